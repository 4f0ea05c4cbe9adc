#include "stack/roster_apply.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <string_view>

#include "stack/grants.h"
#include "stack/onboarding.h"
#include "stack/parallel.h"
#include "stack/secret_file.h"
#include "stack/users.h"

namespace cytoskel {

namespace {

// The phase a change runs in (see the header): 0 users, 1 grants to
// create, 2 grants to delete, 3 users to offboard.
constexpr size_t kPhases = 4;

size_t PhaseOf(RosterAction action) {
  switch (action) {
    case RosterAction::kCreateUser:
    case RosterAction::kCompleteUser:
      return 0;
    case RosterAction::kCreateGrant:
      return 1;
    case RosterAction::kDeleteGrant:
      return 2;
    case RosterAction::kOffboardUser:
      return 3;
  }
  return 0;
}

ChangeOutcome Done(std::string note = "") {
  ChangeOutcome outcome;
  outcome.note = std::move(note);
  return outcome;
}

// Runs the changes of a plan, phase by phase, and keeps their outcomes.
// The outcomes and the callback are guarded by `mutex_`; everything else
// is either read-only while the workers run or the Session's (thread-safe).
class Applier {
 public:
  Applier(StackContext& stack, const RosterPlan& plan,
          const RosterApplyOptions& options, const ChangeCallback& on_change)
      : stack_(stack),
        plan_(plan),
        options_(options),
        on_change_(on_change),
        outcomes_(plan.changes.size()) {}

  std::vector<ChangeOutcome> Run() {
    std::array<std::vector<size_t>, kPhases> phases;
    for (size_t i = 0; i < plan_.changes.size(); ++i) {
      phases[PhaseOf(plan_.changes[i].action)].push_back(i);
    }
    for (const std::vector<size_t>& phase : phases) {
      ForEachParallel(phase.size(), options_.workers,
                      [&](size_t i) { RunOne(phase[i]); });
      NoteUsersNotCreated();
    }
    return outcomes_;
  }

 private:
  void RunOne(size_t index) {
    const RosterChange& change = plan_.changes[index];
    ChangeOutcome outcome;
    try {
      outcome = Apply(change);
    } catch (const Error& error) {
      outcome.status = ChangeStatus::kFailed;
      outcome.error = error;
    } catch (const std::exception& error) {
      outcome.status = ChangeStatus::kFailed;
      outcome.error = Error(ErrorKind::kInternal,
                            fmt::format("internal error: {}", error.what()));
    }
    std::lock_guard lock(mutex_);
    outcomes_[index] = std::move(outcome);
    ++finished_;
    if (on_change_) {
      on_change_(index, outcomes_[index], finished_, outcomes_.size());
    }
  }

  // Between phases (no worker running): the users whose creation failed,
  // whose grants cannot be made.
  void NoteUsersNotCreated() {
    for (size_t i = 0; i < plan_.changes.size(); ++i) {
      const RosterChange& change = plan_.changes[i];
      if (change.action == RosterAction::kCreateUser &&
          outcomes_[i].status == ChangeStatus::kFailed) {
        users_not_created_.insert(change.user);
      }
    }
  }

  ChangeOutcome Apply(const RosterChange& change) {
    switch (change.action) {
      case RosterAction::kCreateUser:
      case RosterAction::kCompleteUser:
        return MakeUser(change);
      case RosterAction::kCreateGrant:
        return CreateGrant(change);
      case RosterAction::kDeleteGrant:
        return DeleteGrant(change);
      case RosterAction::kOffboardUser:
        return Offboard(change);
    }
    return Done();
  }

  // CreateStackUser, with the key handed over in the same file `onboard`
  // writes (the profile [NAME] and how to use it), before the user joins
  // the group.
  ChangeOutcome MakeUser(const RosterChange& change) {
    CreateUserRequest request;
    request.name = change.user;
    // The plan has just read the group and found no such user.
    request.known_new = change.action == RosterAction::kCreateUser;
    std::string path =
        CredentialsFileFor(options_.credentials_dir, change.user);
    std::vector<std::string> folders;
    for (const std::string& sub_prefix : change.sub_prefixes) {
      folders.push_back(stack_.location_scope() + sub_prefix);
    }
    std::vector<std::string> steps;
    auto on_step = [&steps](std::string_view step) {
      steps.emplace_back(step);
    };
    CreateUserResult made = CreateStackUser(
        stack_, request, on_step, [&](const CreateUserResult& result) {
          SaveNewAccessKey(
              stack_.iam(), path,
              ContributorCredentialsFile(change.user, result.key,
                                         stack_.settings().region, folders),
              result.key,
              "the new access key was deleted again; running apply again "
              "makes another",
              on_step);
        });
    {
      std::lock_guard lock(mutex_);
      made_arns_[change.user] = made.user.arn;
    }
    ChangeOutcome outcome = Done("key written to " + path);
    outcome.credentials_file = path;
    for (const std::string& step : steps) outcome.note += "; " + step;
    return outcome;
  }

  ChangeOutcome CreateGrant(const RosterChange& change) {
    if (users_not_created_.count(change.user) > 0) {
      ChangeOutcome outcome;
      outcome.status = ChangeStatus::kSkipped;
      outcome.note = fmt::format("user {} could not be created", change.user);
      return outcome;
    }
    // The plan read the location and every grant; the grantee's ARN is the
    // plan's or, for a user made in phase 0, CreateUser's.
    NewAccessGrant wanted;
    wanted.grantee_identifier = GranteeArn(change);
    wanted.location_id = plan_.location_id;
    wanted.sub_prefix = change.sub_prefix;
    wanted.permission = change.permission;
    wanted.tags = {kManagedTag};
    CreateGrantResult result = CreateCheckedGrant(stack_, wanted);
    ChangeOutcome outcome =
        Done(result.already_existed ? "was there already" : "");
    outcome.grant_id = result.grant.id;
    return outcome;
  }

  std::string GranteeArn(const RosterChange& change) {
    if (!change.grantee_arn.empty()) return change.grantee_arn;
    std::lock_guard lock(mutex_);
    auto made = made_arns_.find(change.user);
    if (made == made_arns_.end()) {
      throw Error(ErrorKind::kInternal,
                  fmt::format("internal error: no ARN for user {}, whom this "
                              "plan was to create",
                              change.user));
    }
    return made->second;
  }

  ChangeOutcome DeleteGrant(const RosterChange& change) {
    try {
      stack_.s3control().DeleteGrant(change.grant_id);
    } catch (const Error& error) {
      if (!error.HasCode({"NoSuchAccessGrantError"})) throw;
      return Done("was gone already");
    }
    return Done();
  }

  ChangeOutcome Offboard(const RosterChange& change) {
    DeleteUserRequest request;
    request.name = change.user;
    DeleteUserResult result;
    try {
      result = DeleteStackUser(stack_, request);
    } catch (const Error& error) {
      if (!error.HasCode({"NoSuchEntity"})) throw;
      return Done("was gone already");
    }
    return Done(fmt::format("{} grant(s) deleted with it",
                            result.deleted_grants.size()));
  }

  StackContext& stack_;
  const RosterPlan& plan_;
  const RosterApplyOptions& options_;
  const ChangeCallback& on_change_;
  // Written between phases only.
  std::set<std::string> users_not_created_;

  std::mutex mutex_;
  std::map<std::string, std::string> made_arns_;  // user -> ARN, phase 0
  std::vector<ChangeOutcome> outcomes_;
  size_t finished_ = 0;
};

}  // namespace

std::string CredentialsFileFor(const std::string& credentials_dir,
                               const std::string& user) {
  std::string directory = credentials_dir;
  if (!directory.empty() && directory.back() != '/') directory += '/';
  return directory + user + ".credentials";
}

void CheckCredentialsDir(const std::string& credentials_dir) {
  struct stat info;
  if (::stat(credentials_dir.c_str(), &info) != 0) {
    throw UsageError(fmt::format("--credentials-dir {}: {}", credentials_dir,
                                 std::strerror(errno)));
  }
  if (!S_ISDIR(info.st_mode)) {
    throw UsageError(fmt::format("--credentials-dir {} is not a directory",
                                 credentials_dir));
  }
  if (::access(credentials_dir.c_str(), W_OK | X_OK) != 0) {
    throw UsageError(
        fmt::format("--credentials-dir {} is not writable", credentials_dir));
  }
}

void CheckKeyDestinations(const RosterPlan& plan,
                          const std::string& credentials_dir) {
  std::vector<std::string> getting_keys = plan.UsersGettingKeys();
  if (getting_keys.empty()) return;
  if (credentials_dir.empty()) {
    throw UsageError(fmt::format(
        "{} will get a new access key: pass --credentials-dir DIR to say "
        "where the key files go (DIR/NAME.credentials); nothing was changed",
        fmt::join(getting_keys, ", ")));
  }
  CheckCredentialsDir(credentials_dir);
  for (const std::string& user : getting_keys) {
    CheckSecretFilePath(CredentialsFileFor(credentials_dir, user));
  }
}

std::vector<ChangeOutcome> ApplyRosterPlan(StackContext& stack,
                                           const RosterPlan& plan,
                                           const RosterApplyOptions& options,
                                           const ChangeCallback& on_change) {
  CheckKeyDestinations(plan, options.credentials_dir);
  // StackContext makes these on first use, which is not thread-safe: make
  // them here, before the workers share the context.
  stack.account_id();
  stack.s3control();
  return Applier(stack, plan, options, on_change).Run();
}

}  // namespace cytoskel
