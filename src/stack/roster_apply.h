// Applying a roster plan (stack/roster_plan.h): the changes run in four
// phases, each on a bounded pool of threads sharing the stack's Session:
//   1. user changes (per user, in order, through CreateStackUser: user,
//      key, credentials file, group),
//   2. grants to create (CreateStackGrant: waits out IAM's propagation of
//      brand-new users, never duplicates a grant),
//   3. grants to delete (after the creates, so a permission change never
//      leaves the contributor without access in between),
//   4. users to offboard (DeleteStackUser).
// A failed change does not stop the others: every failure is collected and
// the rest finishes. The grants of a user whose creation failed are
// skipped. Every step is safe to run again, so rerunning `apply` after a
// failure completes what is left.
#ifndef CYTOSKEL_STACK_ROSTER_APPLY_H_
#define CYTOSKEL_STACK_ROSTER_APPLY_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "aws/error.h"
#include "stack/roster_plan.h"
#include "stack/stack.h"

namespace cytoskel {

// How many AWS calls `apply` runs at once by default: enough to hide the
// round trips, few enough to stay well under IAM's throttling.
inline constexpr size_t kRosterWorkers = 6;
inline constexpr size_t kMaxRosterWorkers = 16;

enum class ChangeStatus { kDone, kFailed, kSkipped };

struct ChangeOutcome {
  ChangeStatus status = ChangeStatus::kDone;
  // Plain words about what happened, without secrets; may be "". Examples:
  // "key written to DIR/alice.credentials", "was there already".
  std::string note;
  std::string credentials_file;  // users that got a key
  std::string grant_id;          // grants created
  std::optional<Error> error;    // kFailed
};

struct RosterApplyOptions {
  // Where new keys go, as DIR/NAME.credentials, mode 0600: the file
  // `onboard` writes (ContributorCredentialsFile: the credentials profile
  // [NAME], with how to use it as comments). Required when the plan gives
  // any user a key.
  std::string credentials_dir;
  size_t workers = kRosterWorkers;
};

// DIR/NAME.credentials.
std::string CredentialsFileFor(const std::string& credentials_dir,
                               const std::string& user);

// Throws a usage Error unless `credentials_dir` is an existing directory
// this process may write in. Lets `apply` refuse before any AWS call.
void CheckCredentialsDir(const std::string& credentials_dir);

// Throws a usage Error, before anything changes, when the plan gives users
// a key and `credentials_dir` is empty (naming the users), or when a key
// file there could not be written (CheckSecretFilePath: a symbolic link, a
// directory, ...).
void CheckKeyDestinations(const RosterPlan& plan,
                          const std::string& credentials_dir);

// Called after each change, from a worker thread, never two calls at once.
// `finished` of `total` changes are done (in any status) at this point.
using ChangeCallback = std::function<void(
    size_t index, const ChangeOutcome& outcome, size_t finished, size_t total)>;

// Applies `plan.changes` as described above and returns one outcome per
// change, in the plan's order. Throws only before anything is attempted
// (CheckKeyDestinations); every failure after that is an outcome.
std::vector<ChangeOutcome> ApplyRosterPlan(
    StackContext& stack, const RosterPlan& plan,
    const RosterApplyOptions& options, const ChangeCallback& on_change = {});

}  // namespace cytoskel

#endif  // CYTOSKEL_STACK_ROSTER_APPLY_H_
