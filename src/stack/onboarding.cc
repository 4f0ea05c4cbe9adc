#include "stack/onboarding.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "aws/error.h"
#include "stack/secret_file.h"
#include "stack/validate.h"

namespace cytoskel {

namespace {

Error StackNotSetUp(const StackContext& stack, const std::string& what) {
  return Error::Service(
      "GetAccessGrantsLocation", 404, "NoSuchEntity",
      fmt::format("the stack is not set up ({} is missing): run `cytoskel {} "
                  "up` first",
                  what, stack.settings().name),
      "");
}

Error NotManagedError(const StackContext& stack, const std::string& name) {
  return UsageError(fmt::format(
      "user {} exists and is not managed by cytoskel (not in group {}, no "
      "tag {}={}): choose another name",
      name, stack.settings().group, kManagedTag.key, kManagedTag.value));
}

void Done(const StepDone& done, PlannedStep step) {
  if (done) done(step);
}

bool InGroup(const std::vector<IamUser>& members, const IamUser& user) {
  return std::any_of(
      members.begin(), members.end(),
      [&](const IamUser& member) { return member.arn == user.arn; });
}

bool Contains(const std::vector<std::string>& values,
              const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// The scope a grant on `sub_prefix` of `location` has: s3://BUCKET/folder/*.
std::string ScopeOf(const AccessGrantsLocation& location,
                    const std::string& sub_prefix) {
  std::string scope = location.scope;
  if (!scope.ends_with('/')) scope += '/';
  return scope + sub_prefix;
}

std::string GrantLine(const AccessGrant& grant) {
  return fmt::format("{} ({} on {})", grant.id, grant.permission,
                     grant.grant_scope);
}

std::string KeyIds(const std::vector<AccessKeyInfo>& keys) {
  std::string ids;
  for (const AccessKeyInfo& key : keys) {
    ids += (ids.empty() ? "" : ", ") + key.access_key_id;
  }
  return ids;
}

// A grant of the plan's user that is exactly the one requested.
std::optional<AccessGrant> FindRequested(const std::vector<AccessGrant>& grants,
                                         const std::string& location_id,
                                         const std::string& sub_prefix,
                                         const std::string& permission) {
  for (const AccessGrant& grant : grants) {
    if (grant.location_id == location_id && grant.sub_prefix == sub_prefix &&
        grant.permission == permission) {
      return grant;
    }
  }
  return std::nullopt;
}

bool PathTaken(const std::string& path) {
  std::error_code error;
  return std::filesystem::symlink_status(path, error).type() !=
         std::filesystem::file_type::not_found;
}

std::vector<std::string> GrantScopes(const OnboardPlan& plan) {
  std::vector<std::string> scopes;
  for (const std::string& sub_prefix : plan.request.sub_prefixes) {
    scopes.push_back(ScopeOf(plan.location, sub_prefix));
  }
  return scopes;
}

// ---- planning onboard ----

void PlanUserSteps(OnboardPlan& plan, const StackSettings& settings) {
  const CheckedOnboardRequest& request = plan.request;
  plan.steps.push_back({plan.user ? "keep" : "create", "user", request.name});
  plan.steps.push_back(
      {plan.in_group ? "keep" : "add", "group membership", settings.group});
  if (plan.user && !plan.in_group && !plan.keys.empty()) {
    // See CreateStackUser: a key is handed over before its user joins the
    // group, so no key of a user outside it is known to be held.
    plan.steps.push_back(
        {"create", "access key",
         fmt::format("written to {} (replacing {}: {} is outside group {})",
                     request.credentials_file, KeyIds(plan.keys), request.name,
                     settings.group)});
  } else if (plan.keys.empty()) {
    plan.steps.push_back(
        {"create", "access key", "written to " + request.credentials_file});
  } else {
    plan.steps.push_back(
        {"keep", "access key",
         KeyIds(plan.keys) + " (" + request.credentials_file +
             " is not written; `rotate-key` makes a new key and writes "
             "it)"});
  }
}

void PlanGrantSteps(OnboardPlan& plan, const std::vector<AccessGrant>& held) {
  const CheckedOnboardRequest& request = plan.request;
  for (const std::string& sub_prefix : request.sub_prefixes) {
    std::optional<AccessGrant> grant =
        FindRequested(held, plan.location.id, sub_prefix, request.permission);
    if (grant) {
      plan.kept_grants.push_back(*grant);
      plan.steps.push_back({"keep", "grant", GrantLine(*grant)});
    } else {
      plan.missing_sub_prefixes.push_back(sub_prefix);
      plan.steps.push_back({"create", "grant",
                            fmt::format("{} on {}", request.permission,
                                        ScopeOf(plan.location, sub_prefix))});
    }
  }
}

// ---- applying onboard ----

// A member of the group with no key (its key was deleted): a new one.
std::optional<NewAccessKey> CompleteExistingUser(StackContext& stack,
                                                 const OnboardPlan& plan,
                                                 const StepCallback& on_step) {
  if (!plan.keys.empty()) return std::nullopt;
  return CreateAccessKeyOnce(stack.iam(), plan.request.name, {}, on_step);
}

CreateGrantResult CreateRequestedGrant(StackContext& stack,
                                       const OnboardPlan& plan,
                                       const IamUser& user,
                                       const std::string& sub_prefix,
                                       const StepCallback& on_step) {
  CheckedGrantRequest grant;
  grant.grantee_name = user.name;
  grant.grantee_arn = user.arn;
  grant.location_id = plan.location.id;
  grant.sub_prefix = sub_prefix;
  grant.permission = plan.request.permission;
  return CreateStackGrant(stack, grant, on_step);
}

// Writes the new key, with the contributor's instructions, to the
// credentials file (deleting the key again when that fails).
void SaveOnboardKey(StackContext& stack, const OnboardPlan& plan,
                    const NewAccessKey& key, OnboardResult& result,
                    const StepDone& done, const StepCallback& on_step) {
  const CheckedOnboardRequest& request = plan.request;
  std::string content = ContributorCredentialsFile(
      request.name, key, stack.settings().region, GrantScopes(plan));
  result.file_replaced =
      SaveNewAccessKey(stack.iam(), request.credentials_file, content, key,
                       "the new access key was deleted again; run the same "
                       "command to make another",
                       on_step);
  result.key_created = true;
  result.access_key_ids = {key.access_key_id};
  Done(done, {"create", "access key",
              fmt::format("{} written to {}", key.access_key_id,
                          request.credentials_file)});
}

// Makes the user, or completes one an earlier run left outside the group,
// with CreateStackUser: the key is written to the credentials file before
// the user joins the group, so a run killed at any point is finished by the
// next one.
void CreateOnboardedUser(StackContext& stack, const OnboardPlan& plan,
                         OnboardResult& result, const StepDone& done,
                         const StepCallback& on_step) {
  CreateUserRequest create;
  create.name = plan.request.name;
  CreateUserResult created = CreateStackUser(
      stack, create, on_step, [&](const CreateUserResult& made) {
        result.user = made.user;
        if (!made.resumed) Done(done, {"create", "user", made.user.arn});
        SaveOnboardKey(stack, plan, made.key, result, done, on_step);
      });
  result.user = created.user;
  Done(done, {"add", "group membership", stack.settings().group});
}

// Fills result.grants in request order: the kept grants as they are, the
// missing ones made.
void CreateMissingGrants(StackContext& stack, const OnboardPlan& plan,
                         OnboardResult& result, const StepDone& done,
                         const StepCallback& on_step) {
  const CheckedOnboardRequest& request = plan.request;
  for (const std::string& sub_prefix : request.sub_prefixes) {
    std::optional<AccessGrant> kept = FindRequested(
        plan.kept_grants, plan.location.id, sub_prefix, request.permission);
    if (kept) {
      result.grants.push_back({*kept, true});
      continue;
    }
    result.grants.push_back(
        CreateRequestedGrant(stack, plan, result.user, sub_prefix, on_step));
    Done(done, {"create", "grant", GrantLine(result.grants.back().grant)});
  }
}

}  // namespace

std::string DefaultCredentialsFile(const std::string& name) {
  return name + ".credentials";
}

std::string ContributorCredentialsFile(
    const std::string& name, const NewAccessKey& key, const std::string& region,
    const std::vector<std::string>& folders) {
  std::string target;
  std::string folder_lines;
  for (const std::string& folder : folders) {
    folder_lines += "#   " + folder + "\n";
  }
  if (folders.size() > 1) target = " --target " + folders.front();
  return fmt::format(
      "# The AWS access key of {0}, a contributor to the staging bucket.\n"
      "# Keep this file private (mode 0600) and never share the key.\n"
      "#\n"
      "# 1. Put the profile [{0}] at the end of this file into\n"
      "#    ~/.aws/credentials (or use this file as it is, through\n"
      "#    AWS_SHARED_CREDENTIALS_FILE).\n"
      "# 2. Add these two profiles to ~/.aws/config. The second one gets\n"
      "#    short-lived upload credentials for your folder through cytoskel\n"
      "#    and renews them by itself:\n"
      "#\n"
      "#   [profile {0}]\n"
      "#   region = {1}\n"
      "#\n"
      "#   [profile cpg-upload]\n"
      "#   region = {1}\n"
      "#   credential_process = cytoskel --profile {0} credentials --format "
      "process{2}\n"
      "#\n"
      "# 3. Upload: aws --profile cpg-upload s3 cp FILE FOLDER\n"
      "#\n"
      "# The folders this key reaches{3}:\n"
      "{4}"
      "\n"
      "{5}",
      name, region, target,
      folders.size() > 1 ? " (change --target to reach another)" : "",
      folder_lines, CredentialsProfile(name, key));
}

bool SaveNewAccessKey(IamClient& iam, const std::string& path,
                      const std::string& content, const NewAccessKey& key,
                      const std::string& consequence,
                      const StepCallback& on_step) {
  bool existed = PathTaken(path);
  try {
    WriteSecretFile(path, content);
  } catch (const Error& error) {
    try {
      iam.DeleteAccessKey(key.user_name, key.access_key_id);
      ReportStep(on_step, fmt::format("deleted access key {} again: its "
                                      "secret could not be saved",
                                      key.access_key_id));
    } catch (const Error& undo) {
      ReportStep(on_step, fmt::format("could not delete access key {} again "
                                      "({}): nobody holds its secret, delete "
                                      "it by hand",
                                      key.access_key_id, undo.message()));
    }
    throw Error(error.kind(), error.message() + " (" + consequence + ")");
  }
  return existed;
}

AccessGrantsLocation RequireStackLocation(StackContext& stack) {
  std::string scope = stack.location_scope();
  std::optional<AccessGrantsLocation> found;
  try {
    stack.s3control().ListLocations(scope, [&](AccessGrantsLocation location) {
      if (!found && location.scope == scope) found = std::move(location);
    });
  } catch (const Error& error) {
    if (error.code() != "AccessGrantsInstanceNotExistsError") throw;
  }
  if (!found) throw StackNotSetUp(stack, "location " + scope);
  return *found;
}

std::vector<IamGroup> RequireManagedUser(StackContext& stack,
                                         const IamUser& user) {
  std::vector<IamGroup> groups = stack.iam().ListGroupsForUser(user.name);
  bool member =
      std::any_of(groups.begin(), groups.end(), [&](const IamGroup& group) {
        return group.name == stack.settings().group;
      });
  if (!member && !IsManaged(user.tags)) {
    throw UsageError(fmt::format(
        "user {} is not managed by cytoskel (not in group {}, no tag {}={})",
        user.name, stack.settings().group, kManagedTag.key, kManagedTag.value));
  }
  return groups;
}

// ---- onboard ----

CheckedOnboardRequest CheckOnboardRequest(const OnboardRequest& request) {
  CheckedOnboardRequest checked;
  ValidateUserName(request.name);
  checked.name = request.name;
  if (request.prefixes.empty()) {
    throw UsageError(
        "onboard needs at least one --prefix: the dataset folder the user "
        "may reach, for example --prefix cpg0001-example/");
  }
  for (const std::string& prefix : request.prefixes) {
    std::string sub_prefix = NormalizeGrantPrefix(prefix);
    if (!Contains(checked.sub_prefixes, sub_prefix)) {
      checked.sub_prefixes.push_back(sub_prefix);
    }
  }
  checked.permission = NormalizePermission(request.permission);
  checked.credentials_file = request.credentials_file.empty()
                                 ? DefaultCredentialsFile(request.name)
                                 : request.credentials_file;
  CheckSecretFilePath(checked.credentials_file);
  return checked;
}

bool OnboardPlan::NothingToDo() const {
  return std::all_of(steps.begin(), steps.end(), [](const PlannedStep& step) {
    return step.action == "keep";
  });
}

OnboardPlan PlanOnboard(StackContext& stack,
                        const CheckedOnboardRequest& request) {
  IamClient& iam = stack.iam();
  OnboardPlan plan;
  plan.request = request;
  std::vector<IamUser> members = ListStackUsers(stack);
  plan.location = RequireStackLocation(stack);

  std::vector<AccessGrant> held;
  plan.user = iam.GetUser(request.name);
  if (plan.user) {
    plan.in_group = InGroup(members, *plan.user);
    if (!plan.in_group && !IsManaged(plan.user->tags)) {
      throw NotManagedError(stack, request.name);
    }
    plan.keys = iam.ListAccessKeys(request.name);
    held = GrantsOf(stack, plan.user->arn);
  }
  PlanUserSteps(plan, stack.settings());
  PlanGrantSteps(plan, held);
  return plan;
}

OnboardResult ApplyOnboard(StackContext& stack, const OnboardPlan& plan,
                           const StepDone& done, const StepCallback& on_step) {
  OnboardResult result;
  if (!plan.user || !plan.in_group) {
    CreateOnboardedUser(stack, plan, result, done, on_step);
  } else {
    result.user = *plan.user;
    std::optional<NewAccessKey> key =
        CompleteExistingUser(stack, plan, on_step);
    if (key) {
      SaveOnboardKey(stack, plan, *key, result, done, on_step);
    } else {
      for (const AccessKeyInfo& kept : plan.keys) {
        result.access_key_ids.push_back(kept.access_key_id);
      }
    }
  }

  CreateMissingGrants(stack, plan, result, done, on_step);
  return result;
}

// ---- offboard ----

OffboardPlan PlanOffboard(StackContext& stack, const std::string& name) {
  ValidateUserName(name);
  IamClient& iam = stack.iam();
  std::optional<IamUser> user = iam.GetUser(name);
  if (!user) throw NoSuchUserError(name);
  std::vector<IamGroup> groups = RequireManagedUser(stack, *user);

  OffboardPlan plan;
  plan.user = *user;
  plan.grants = GrantsOf(stack, user->arn);
  for (const AccessGrant& grant : plan.grants) {
    plan.steps.push_back({"revoke", "grant", GrantLine(grant)});
  }
  for (const AccessKeyInfo& key : iam.ListAccessKeys(name)) {
    plan.steps.push_back({"delete", "access key", key.access_key_id});
  }
  for (const IamGroup& group : groups) {
    plan.steps.push_back({"remove", "group membership", group.name});
  }
  plan.steps.push_back(
      {"delete", "user",
       name + " (and any login profile, MFA device, policy, certificate or "
              "SSH key it has)"});
  return plan;
}

DeleteUserResult ApplyOffboard(StackContext& stack, const OffboardPlan& plan,
                               const StepCallback& on_step) {
  DeleteUserRequest request;
  request.name = plan.user.name;
  return DeleteStackUser(stack, request, on_step);
}

}  // namespace cytoskel
