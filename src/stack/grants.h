// The stack's Access Grants: who may reach which prefix of the bucket.
// Creating (by user name or ARN, never twice), listing and deleting them.
// Nothing here prints: results come back as structs, progress through a
// StepCallback.
#ifndef CYTOSKEL_STACK_GRANTS_H_
#define CYTOSKEL_STACK_GRANTS_H_

#include <string>
#include <vector>

#include "aws/s3control.h"
#include "stack/stack.h"
#include "stack/steps.h"

namespace cytoskel {

// `create grant` as typed.
struct GrantRequest {
  std::string grantee;  // an IAM user name or user ARN
  std::string location_id;
  std::string prefix;  // a dataset folder: "cpg0001-x", "cpg0001-x/*", ...
  std::string permission = "READWRITE";
};

// A GrantRequest whose every part has been checked.
struct CheckedGrantRequest {
  std::string grantee_name;  // the user name (from the ARN when one was given)
  std::string grantee_arn;   // the ARN as typed; empty when a name was given
  std::string location_id;
  std::string sub_prefix;  // always "folder/*" (NormalizeGrantPrefix)
  std::string permission;  // READ | WRITE | READWRITE
};

// Checks every part of `request` without any AWS call; throws a usage Error
// naming the bad part.
CheckedGrantRequest CheckGrantRequest(const GrantRequest& request);

struct CreateGrantResult {
  AccessGrant grant;
  // True when an identical grant (grantee, location, sub-prefix,
  // permission) was there already and nothing was created.
  bool already_existed = false;
};

// Grants `request.permission` on the location's `sub_prefix` to the user.
// A user name is resolved with GetUser (the ARN IAM returns includes the
// path); an ARN of this account must name an existing user exactly. The
// location must exist. An identical grant is returned, not duplicated.
// While IAM has not propagated a brand-new user of this account ("Invalid
// Grantee"), the create is retried for up to kPropagationBudget; another
// account's ARN is tried once. A lost CreateAccessGrant
// answer is checked by listing before the create is sent again.
// Throws a service Error: NoSuchEntity for an unknown user,
// NoSuchAccessGrantsLocationError for an unknown location.
CreateGrantResult CreateStackGrant(StackContext& stack,
                                   const CheckedGrantRequest& request,
                                   const StepCallback& on_step = {});

// The create step of CreateStackGrant, for a caller that has already done
// its checks: `wanted.grantee_identifier` is the ARN IAM gave a user of
// this account, the location exists, and no identical grant was seen
// (apply, whose plan read all of that). Retries "Invalid Grantee" while
// IAM propagates a new user; a lost answer, or AccessGrantAlreadyExists,
// is settled by listing. `already_existed` is true only in that last case.
CreateGrantResult CreateCheckedGrant(StackContext& stack,
                                     const NewAccessGrant& wanted,
                                     const StepCallback& on_step = {});

// Every grant of the account's instance, every page.
std::vector<AccessGrant> ListStackGrants(StackContext& stack);

// The grants whose grantee is the IAM principal `principal_arn`; none when
// the account has no Access Grants instance.
std::vector<AccessGrant> GrantsOf(StackContext& stack,
                                  const std::string& principal_arn);

// Deletes every grant of GrantsOf(principal_arn); returns them. A grant
// deleted meanwhile by someone else is skipped.
std::vector<AccessGrant> DeleteGrantsOf(StackContext& stack,
                                        const std::string& principal_arn,
                                        const StepCallback& on_step = {});

// Deletes grant `grant_id` and returns what it was. Throws a usage Error
// for a malformed id and a service Error (NoSuchAccessGrantError) when no
// grant has this id.
AccessGrant DeleteStackGrant(StackContext& stack, const std::string& grant_id);

// The user name of a grant whose grantee is an IAM user; "" otherwise.
std::string GranteeUserName(const AccessGrant& grant);

}  // namespace cytoskel

#endif  // CYTOSKEL_STACK_GRANTS_H_
