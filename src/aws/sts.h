// AWS STS: who am I, and assume-role for profiles that name a role.
#ifndef CYTOSKEL_AWS_STS_H_
#define CYTOSKEL_AWS_STS_H_

#include <string>

#include "aws/credential_chain.h"
#include "aws/credentials.h"
#include "aws/session.h"

namespace cytoskel {

struct CallerIdentity {
  std::string account;
  std::string arn;
  std::string user_id;
};

CallerIdentity GetCallerIdentity(Session& session);

// Calls AssumeRole with `source` credentials and returns the role's
// temporary credentials (source "assume-role"). With `request.mfa_serial`
// set, sends it and `request.token_code` (SerialNumber, TokenCode).
Credentials AssumeRoleWith(Session& session, const Credentials& source,
                           const AssumeRoleRequest& request);

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_STS_H_
