// What the micro-benchmarks share: a Session wired to a canned HTTP reply
// (no network, fixed clock, test keys), and realistic inputs: a 1,000-item
// ListAccessGrants page, a 1,000-member GetGroup page, an AWS config file.
#ifndef CYTOSKEL_BENCH_MICRO_BENCH_SUPPORT_H_
#define CYTOSKEL_BENCH_MICRO_BENCH_SUPPORT_H_

#include <memory>
#include <string>

#include "aws/environment.h"
#include "aws/http.h"
#include "aws/session.h"

namespace cytoskel {
namespace bench {

inline constexpr char kAccount[] = "123456789012";

// A Session that signs with static test keys in us-east-1, reads the clock
// as 2024-05-01T12:00:00Z, never sleeps, and whose every request is
// answered with a copy of `reply` (which must outlive the Session).
std::unique_ptr<Session> MakeCannedSession(const HttpResponse& reply);

// A ListAccessGrants reply in the emulator's (and AWS's) shape with `items`
// grants and no NextToken.
std::string ListAccessGrantsPage(int items);

// An IAM GetGroup reply with `users` members and IsTruncated false.
std::string GetGroupPage(int users);

// An AWS config file: [default], `profiles` assume-role profiles with an s3
// sub-section, the admin profile CPG and a [services] section.
std::string ConfigFile(int profiles);

// The matching credentials file: [default] and [CPG].
std::string CredentialsFile();

}  // namespace bench
}  // namespace cytoskel

#endif  // CYTOSKEL_BENCH_MICRO_BENCH_SUPPORT_H_
