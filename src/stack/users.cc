#include "stack/users.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "stack/grants.h"
#include "stack/secret_file.h"
#include "stack/validate.h"

namespace cytoskel {

namespace {

Error StackNotSetUp(const StackContext& stack) {
  return Error::Service(
      "GetGroup", 404, "NoSuchEntity",
      fmt::format("the stack is not set up: run `cytoskel {} up` first",
                  stack.settings().name),
      "");
}

bool Contains(const std::vector<std::string>& values,
              const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// Throws unless the stack's group exists, so that a user is never made
// for a stack that cannot take it.
void RequireGroup(StackContext& stack) {
  if (!stack.iam().GroupExists(stack.settings().group)) {
    throw StackNotSetUp(stack);
  }
}

// Whether the existing user `name` is a member of the stack's group. Asks
// for the user's groups, not the group's members: the cost stays the same
// however large the group grows.
bool IsStackMember(StackContext& stack, const std::string& name) {
  std::vector<IamGroup> groups = stack.iam().ListGroupsForUser(name);
  return std::any_of(groups.begin(), groups.end(), [&](const IamGroup& group) {
    return group.name == stack.settings().group;
  });
}

Error NotManagedError(const std::string& name) {
  return UsageError(fmt::format(
      "user {} already exists and is not managed by cytoskel (it has no "
      "tag {}={}): choose another name",
      name, kManagedTag.key, kManagedTag.value));
}

// A user that exists already may be completed only when cytoskel made it
// and never handed a key of it over. A key is handed over before the user
// joins the group, so the keys of a managed user outside the group are
// secrets an earlier run lost when it died: they are deleted. A member
// with a key is a working contributor and is refused.
void CheckResumable(StackContext& stack, const IamUser& user, bool member,
                    const StepCallback& on_step) {
  if (!IsManaged(user.tags)) throw NotManagedError(user.name);
  std::vector<AccessKeyInfo> keys = stack.iam().ListAccessKeys(user.name);
  if (!member) {
    for (const AccessKeyInfo& key : keys) {
      stack.iam().DeleteAccessKey(user.name, key.access_key_id);
      ReportStep(on_step, fmt::format("deleted access key {}: an earlier "
                                      "run stopped before handing it over",
                                      key.access_key_id));
    }
    return;
  }
  if (!keys.empty()) {
    throw UsageError(fmt::format(
        "user {} already exists and has an access key: `cytoskel {} "
        "rotate-key {}` makes a new key, `cytoskel {} delete user {}` "
        "removes the user",
        user.name, stack.settings().name, user.name, stack.settings().name,
        user.name));
  }
}

// CreateUser, never resent blindly: when its answer is lost, GetUser tells
// whether IAM made the user.
IamUser CreateUserOnce(IamClient& iam, const std::string& name,
                       const StepCallback& on_step) {
  try {
    return iam.CreateUser(name, {kManagedTag});
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::kTransport) throw;
  }
  std::optional<IamUser> user = iam.GetUser(name);
  if (!user) {
    ReportStep(on_step, fmt::format("CreateUser {} got no answer and did not "
                                    "happen: sending it again",
                                    name));
    return iam.CreateUser(name, {kManagedTag});
  }
  if (!IsManaged(user->tags)) throw NotManagedError(name);
  ReportStep(on_step,
             fmt::format("CreateUser {} got no answer but happened", name));
  return *user;
}

// Deletes the user this run made, after a later step failed. A failure here
// is reported and swallowed: the caller throws the error that matters, and
// the next run completes the user.
void DeleteAgain(IamClient& iam, const std::string& name,
                 const StepCallback& on_step) {
  try {
    iam.ForceDeleteUser(name, on_step);
  } catch (const Error& error) {
    ReportStep(on_step,
               fmt::format("could not delete user {} again ({}); running the "
                           "same command again completes it",
                           name, error.message()));
  }
}

// Writes the key to `path`. When that fails the secret exists nowhere else,
// so the key is deleted again: the user is left keyless, which the next
// run completes.
void WriteCredentialsFile(IamClient& iam, const std::string& path,
                          const NewAccessKey& key,
                          const StepCallback& on_step) {
  try {
    WriteSecretFile(path, CredentialsProfile(key.user_name, key));
  } catch (const Error& error) {
    iam.DeleteAccessKey(key.user_name, key.access_key_id);
    ReportStep(on_step, fmt::format("deleted access key {} again: its secret "
                                    "could not be saved",
                                    key.access_key_id));
    throw Error(error.kind(),
                error.message() +
                    " (the new access key was deleted again; run the same "
                    "command to make another)");
  }
}

// The last step: the user joins the stack's group. When IAM refuses, a
// user this run made is deleted again, with its new key; a transport
// failure leaves it for the next run to complete.
void JoinGroup(StackContext& stack, const CreateUserResult& result,
               const StepCallback& on_step) {
  try {
    stack.iam().AddUserToGroup(stack.settings().group, result.user.name);
  } catch (const Error& error) {
    if (result.resumed || error.kind() != ErrorKind::kService) throw;
    DeleteAgain(stack.iam(), result.user.name, on_step);
    throw Error::Service(
        error.operation(), error.http_status(), error.code(),
        error.message() + fmt::format(" (user {} was deleted "
                                      "again, with its new key)",
                                      result.user.name),
        error.request_id());
  }
}

}  // namespace

bool IsManaged(const Tags& tags) {
  return std::find(tags.begin(), tags.end(), kManagedTag) != tags.end();
}

Error NoSuchUserError(const std::string& name) {
  return Error::Service("GetUser", 404, "NoSuchEntity",
                        fmt::format("there is no IAM user named {}", name), "");
}

std::vector<IamUser> ListStackUsers(StackContext& stack) {
  std::optional<IamGroupMembers> group =
      stack.iam().GetGroup(stack.settings().group);
  if (!group) throw StackNotSetUp(stack);
  return group->users;
}

void CheckCreateUser(const CreateUserRequest& request) {
  ValidateUserName(request.name);
  if (!request.credentials_file.empty()) {
    CheckSecretFilePath(request.credentials_file);
  }
}

CreateUserResult CreateStackUser(StackContext& stack,
                                 const CreateUserRequest& request,
                                 const StepCallback& on_step,
                                 const KeyDelivery& deliver) {
  CheckCreateUser(request);
  IamClient& iam = stack.iam();
  std::optional<IamUser> existing;
  if (!request.known_new) existing = iam.GetUser(request.name);
  bool member = existing && IsStackMember(stack, existing->name);
  if (!member && !request.known_new) RequireGroup(stack);

  CreateUserResult result;
  if (existing) {
    CheckResumable(stack, *existing, member, on_step);
    result.user = *existing;
    result.resumed = true;
    ReportStep(on_step, fmt::format("user {} exists without an access key "
                                    "(an earlier run stopped half way): "
                                    "completing it",
                                    request.name));
  } else {
    result.user = CreateUserOnce(iam, request.name, on_step);
  }

  try {
    result.key = CreateAccessKeyOnce(iam, request.name, {}, on_step);
  } catch (const Error& error) {
    // IAM refused: undo what this run made. A transport failure leaves the
    // user for the next run to complete (the network is likely down).
    if (!result.resumed && error.kind() == ErrorKind::kService) {
      DeleteAgain(iam, request.name, on_step);
    }
    throw;
  }

  if (!request.credentials_file.empty()) {
    WriteCredentialsFile(iam, request.credentials_file, result.key, on_step);
  }
  if (deliver) deliver(result);
  if (!member) JoinGroup(stack, result, on_step);
  return result;
}

NewAccessKey CreateAccessKeyOnce(IamClient& iam, const std::string& user_name,
                                 const std::vector<std::string>& known_key_ids,
                                 const StepCallback& on_step) {
  try {
    return iam.CreateAccessKey(user_name);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::kTransport) throw;
  }
  for (const AccessKeyInfo& key : iam.ListAccessKeys(user_name)) {
    if (Contains(known_key_ids, key.access_key_id)) continue;
    iam.DeleteAccessKey(user_name, key.access_key_id);
    ReportStep(on_step, fmt::format("deleted access key {}: its secret was "
                                    "lost with CreateAccessKey's answer",
                                    key.access_key_id));
  }
  return iam.CreateAccessKey(user_name);
}

std::string CredentialsProfile(const std::string& profile,
                               const NewAccessKey& key) {
  return fmt::format(
      "[{}]\naws_access_key_id = {}\naws_secret_access_key = {}\n", profile,
      key.access_key_id, key.secret_access_key);
}

DeleteUserResult DeleteStackUser(StackContext& stack,
                                 const DeleteUserRequest& request,
                                 const StepCallback& on_step) {
  ValidateUserName(request.name);
  IamClient& iam = stack.iam();
  std::optional<IamUser> user = iam.GetUser(request.name);
  if (!user) throw NoSuchUserError(request.name);
  if (!request.force && !IsManaged(user->tags)) {
    if (!IsStackMember(stack, request.name)) {
      throw UsageError(fmt::format(
          "user {} is not managed by cytoskel (not in group {}, no tag "
          "{}={}): pass --force to delete it anyway",
          request.name, stack.settings().group, kManagedTag.key,
          kManagedTag.value));
    }
  }

  DeleteUserResult result;
  result.user = *user;
  result.deleted_grants = DeleteGrantsOf(stack, user->arn, on_step);
  if (!iam.ForceDeleteUser(request.name, on_step)) {
    throw NoSuchUserError(request.name);
  }
  return result;
}

}  // namespace cytoskel
