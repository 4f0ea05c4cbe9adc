// Onboarding and offboarding a contributor as plan, then apply: the plan
// reads the account and lists every step (one PlannedStep per user, key,
// group membership, grant), so the command can show it before anything
// changes; applying it makes only what the plan found missing. Nothing here
// prints: results come back as structs, progress through callbacks.
#ifndef CYTOSKEL_STACK_ONBOARDING_H_
#define CYTOSKEL_STACK_ONBOARDING_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "aws/iam.h"
#include "aws/s3control.h"
#include "stack/grants.h"
#include "stack/stack.h"
#include "stack/steps.h"
#include "stack/users.h"

namespace cytoskel {

// One line of a plan: "create access key (written to alice.credentials)".
struct PlannedStep {
  // create | add | keep | revoke | delete | remove | deactivate
  std::string action;
  std::string kind;  // user | access key | group membership | grant
  std::string name;  // what the step is about, in plain words
};

// Called after each step that changed something, with the step as done
// (its name then holds ids AWS gave, such as the new key's).
using StepDone = std::function<void(const PlannedStep& step)>;

// Where onboard and rotate-key write a new key when no --credentials-file
// is given: "NAME.credentials" in the current directory.
std::string DefaultCredentialsFile(const std::string& name);

// What a contributor receives: the credentials profile [NAME] holding the
// key, preceded by comments with the ~/.aws/config profiles to add (the
// region of profile NAME, and profile cpg-upload whose credential_process
// runs cytoskel), and the folders the key reaches. Holds the secret.
std::string ContributorCredentialsFile(const std::string& name,
                                       const NewAccessKey& key,
                                       const std::string& region,
                                       const std::vector<std::string>& folders);

// Writes `content`, which holds the secret of the new `key`, to `path`
// (WriteSecretFile: 0600, replacing a file there); returns true when it
// replaced one. When the write fails the secret exists nowhere else, so the
// key is deleted again, then the write's Error is thrown with
// `consequence` ("the new access key was deleted again; ...") added.
bool SaveNewAccessKey(IamClient& iam, const std::string& path,
                      const std::string& content, const NewAccessKey& key,
                      const std::string& consequence,
                      const StepCallback& on_step = {});

// The stack's Access Grants location (scope s3://BUCKET/). Throws a service
// Error saying to run `up` when it does not exist.
AccessGrantsLocation RequireStackLocation(StackContext& stack);

// Throws a usage Error unless cytoskel manages `user` (as GetUser returns
// it, with tags): tagged managed-by=cytoskel, or a member of the stack's
// group. Returns the user's groups, which it reads to decide.
std::vector<IamGroup> RequireManagedUser(StackContext& stack,
                                         const IamUser& user);

// ---- onboard ----

struct OnboardRequest {
  std::string name;
  std::vector<std::string> prefixes;  // dataset folders, at least one
  std::string permission = "READWRITE";
  std::string credentials_file;  // empty: DefaultCredentialsFile(name)
};

// An OnboardRequest whose every part has been checked.
struct CheckedOnboardRequest {
  std::string name;
  std::vector<std::string> sub_prefixes;  // "folder/*", without duplicates
  std::string permission;                 // READ | WRITE | READWRITE
  std::string credentials_file;
};

// Checks the name, every prefix (NormalizeGrantPrefix), the permission and
// the credentials file's path, without any AWS call; throws a usage Error
// naming the bad part.
CheckedOnboardRequest CheckOnboardRequest(const OnboardRequest& request);

struct OnboardPlan {
  CheckedOnboardRequest request;
  std::optional<IamUser> user;      // nullopt: the user is to be made
  bool in_group = false;            // already a member of the stack's group
  std::vector<AccessKeyInfo> keys;  // the user's keys; none: one is made
  AccessGrantsLocation location;    // the stack's
  std::vector<std::string> missing_sub_prefixes;  // grants to create
  std::vector<AccessGrant> kept_grants;  // requested grants already there
  std::vector<PlannedStep> steps;        // every step, "keep" ones included

  // True when the plan holds nothing but "keep" steps.
  bool NothingToDo() const;
};

// Reads the account (user, its keys, the group, the location, the user's
// grants) and plans the onboarding. Reads only. Throws a usage Error for an
// existing user cytoskel does not manage, and the "not set up" service
// Error when the stack's group or location is missing.
OnboardPlan PlanOnboard(StackContext& stack,
                        const CheckedOnboardRequest& request);

struct OnboardResult {
  IamUser user;
  // The key made by this run, else the kept one(s).
  std::vector<std::string> access_key_ids;
  bool key_created = false;
  // True when a file already at the credentials path was replaced.
  bool file_replaced = false;
  // The requested grants, in request order, made or found.
  std::vector<CreateGrantResult> grants;
};

// Applies `plan`: a new user, or one outside the group, through
// CreateStackUser (its key, whose keys it replaces, is written to the
// credentials file before the user joins the group, so a run killed at any
// point is finished by the next); for a member without a key, a key; then
// the missing grants. A new key is written to the credentials file (0600,
// replacing a file there) before anything else happens; when that fails
// the key is deleted again, so the next run makes another. A member that
// already has a key keeps it and the file is not touched. Calls `done`
// after each step that changed something and `on_step` for diagnostics
// (retries, resumed runs).
OnboardResult ApplyOnboard(StackContext& stack, const OnboardPlan& plan,
                           const StepDone& done = {},
                           const StepCallback& on_step = {});

// ---- offboard ----

struct OffboardPlan {
  IamUser user;
  std::vector<AccessGrant> grants;  // revoked first
  std::vector<PlannedStep> steps;
};

// Reads the user, its grants, keys and groups and plans their removal.
// Reads only. Throws NoSuchUserError for an unknown user and a usage Error
// for a user cytoskel does not manage.
OffboardPlan PlanOffboard(StackContext& stack, const std::string& name);

// Removes the user as `delete user` does (DeleteStackUser): every grant,
// then everything IAM holds for the user, then the user. `on_step` gets
// one line per removed item ("deleted grant ID (READ on s3://...)",
// "deleted access key AKIA...", "deleted user alice").
DeleteUserResult ApplyOffboard(StackContext& stack, const OffboardPlan& plan,
                               const StepCallback& on_step = {});

}  // namespace cytoskel

#endif  // CYTOSKEL_STACK_ONBOARDING_H_
