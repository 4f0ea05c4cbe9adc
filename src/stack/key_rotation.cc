#include "stack/key_rotation.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <optional>

#include "aws/error.h"
#include "stack/grants.h"
#include "stack/secret_file.h"
#include "stack/users.h"
#include "stack/validate.h"

namespace cytoskel {

namespace {

bool IsActive(const AccessKeyInfo& key) { return key.status == "Active"; }

void Done(const StepDone& done, PlannedStep step) {
  if (done) done(step);
}

Error TwoActiveKeysError(const std::string& user_name,
                         const std::vector<AccessKeyInfo>& keys) {
  return UsageError(fmt::format(
      "user {} has two active access keys ({}, {}) and IAM allows no third: "
      "make the one no longer in use inactive (aws iam update-access-key "
      "--user-name {} --access-key-id ID --status Inactive), then run "
      "rotate-key again",
      user_name, keys[0].access_key_id, keys[1].access_key_id, user_name));
}

std::vector<std::string> KeyIds(const std::vector<AccessKeyInfo>& keys) {
  std::vector<std::string> ids;
  for (const AccessKeyInfo& key : keys) ids.push_back(key.access_key_id);
  return ids;
}

void PlanSteps(KeyRotationPlan& plan) {
  const RotateKeyRequest& request = plan.request;
  for (const AccessKeyInfo& key : plan.keys.delete_first) {
    plan.steps.push_back(
        {"delete", "access key",
         key.access_key_id +
             " (inactive; makes room, as IAM allows two keys per user)"});
  }
  plan.steps.push_back(
      {"create", "access key", "written to " + request.credentials_file});
  for (const AccessKeyInfo& key : plan.keys.retire) {
    if (!request.deactivate_only) {
      plan.steps.push_back({"delete", "access key", key.access_key_id});
    } else if (IsActive(key)) {
      plan.steps.push_back(
          {"deactivate", "access key", key.access_key_id + " (kept)"});
    } else {
      plan.steps.push_back(
          {"keep", "access key", key.access_key_id + " (inactive already)"});
    }
  }
}

// Deletes a key; one deleted meanwhile (NoSuchEntity) counts as deleted.
void DeleteKey(IamClient& iam, const AccessKeyInfo& key) {
  try {
    iam.DeleteAccessKey(key.user_name, key.access_key_id);
  } catch (const Error& error) {
    if (error.code() != "NoSuchEntity") throw;
  }
}

void RetireKeys(IamClient& iam, const KeyRotationPlan& plan,
                KeyRotationResult& result, const StepDone& done) {
  for (const AccessKeyInfo& key : plan.keys.retire) {
    if (!plan.request.deactivate_only) {
      DeleteKey(iam, key);
      result.deleted_access_key_ids.push_back(key.access_key_id);
      Done(done, {"delete", "access key", key.access_key_id});
    } else if (IsActive(key)) {
      iam.UpdateAccessKey(key.user_name, key.access_key_id, "Inactive");
      result.deactivated_access_key_ids.push_back(key.access_key_id);
      Done(done, {"deactivate", "access key", key.access_key_id});
    }
  }
}

}  // namespace

RotateKeyRequest CheckRotateKeyRequest(const RotateKeyRequest& request) {
  ValidateUserName(request.name);
  RotateKeyRequest checked = request;
  if (checked.credentials_file.empty()) {
    checked.credentials_file = DefaultCredentialsFile(request.name);
  }
  CheckSecretFilePath(checked.credentials_file);
  return checked;
}

KeyDecision DecideKeyRotation(const std::string& user_name,
                              const std::vector<AccessKeyInfo>& keys) {
  KeyDecision decision;
  if (keys.size() < 2) {
    decision.retire = keys;
    return decision;
  }
  std::vector<AccessKeyInfo> inactive;
  std::copy_if(keys.begin(), keys.end(), std::back_inserter(inactive),
               [](const AccessKeyInfo& key) { return !IsActive(key); });
  if (inactive.empty()) throw TwoActiveKeysError(user_name, keys);
  // IAM's dates are ISO 8601 in one format, so text order is time order.
  auto oldest =
      std::min_element(inactive.begin(), inactive.end(),
                       [](const AccessKeyInfo& a, const AccessKeyInfo& b) {
                         return a.create_date < b.create_date;
                       });
  decision.delete_first = {*oldest};
  for (const AccessKeyInfo& key : keys) {
    if (key.access_key_id != oldest->access_key_id) {
      decision.retire.push_back(key);
    }
  }
  return decision;
}

KeyRotationPlan PlanKeyRotation(StackContext& stack,
                                const RotateKeyRequest& request) {
  KeyRotationPlan plan;
  plan.request = CheckRotateKeyRequest(request);
  IamClient& iam = stack.iam();
  std::optional<IamUser> user = iam.GetUser(request.name);
  if (!user) throw NoSuchUserError(request.name);
  RequireManagedUser(stack, *user);
  plan.user = *user;

  plan.keys = DecideKeyRotation(request.name, iam.ListAccessKeys(request.name));
  for (const AccessGrant& grant : GrantsOf(stack, user->arn)) {
    plan.folders.push_back(grant.grant_scope);
  }
  PlanSteps(plan);
  return plan;
}

KeyRotationResult ApplyKeyRotation(StackContext& stack,
                                   const KeyRotationPlan& plan,
                                   const StepDone& done,
                                   const StepCallback& on_step) {
  IamClient& iam = stack.iam();
  const RotateKeyRequest& request = plan.request;
  KeyRotationResult result;
  for (const AccessKeyInfo& key : plan.keys.delete_first) {
    DeleteKey(iam, key);
    result.deleted_access_key_ids.push_back(key.access_key_id);
    Done(done, {"delete", "access key", key.access_key_id + " (inactive)"});
  }

  NewAccessKey key =
      CreateAccessKeyOnce(iam, request.name, KeyIds(plan.keys.retire), on_step);
  std::string content = ContributorCredentialsFile(
      request.name, key, stack.settings().region, plan.folders);
  result.file_replaced =
      SaveNewAccessKey(iam, request.credentials_file, content, key,
                       "the new access key was deleted again; the old key "
                       "is unchanged",
                       on_step);
  result.new_access_key_id = key.access_key_id;
  Done(done, {"create", "access key",
              fmt::format("{} written to {}", key.access_key_id,
                          request.credentials_file)});

  RetireKeys(iam, plan, result, done);
  return result;
}

}  // namespace cytoskel
