// Rotating a contributor's access key within IAM's limit of two keys per
// user, as plan, then apply. The order never leaves the user without a
// working key: the new key is made and saved to the credentials file
// before the old one is deleted (or deactivated). Nothing here prints.
#ifndef CYTOSKEL_STACK_KEY_ROTATION_H_
#define CYTOSKEL_STACK_KEY_ROTATION_H_

#include <string>
#include <vector>

#include "aws/iam.h"
#include "stack/onboarding.h"
#include "stack/stack.h"
#include "stack/steps.h"

namespace cytoskel {

struct RotateKeyRequest {
  std::string name;
  std::string credentials_file;  // empty: DefaultCredentialsFile(name)
  // Make the old key Inactive and keep it, instead of deleting it.
  bool deactivate_only = false;
};

// Checks the name and the credentials file's path without any AWS call and
// fills in the default path; throws a usage Error.
RotateKeyRequest CheckRotateKeyRequest(const RotateKeyRequest& request);

// What to do with the keys a user has, decided before anything changes.
struct KeyDecision {
  // An inactive key deleted first, to make room for the new one (only when
  // the user has two keys).
  std::vector<AccessKeyInfo> delete_first;
  // The keys replaced by the new one: deleted after the new key is saved,
  // or with deactivate_only made Inactive (an inactive one is left as is).
  std::vector<AccessKeyInfo> retire;
};

// Decides from `keys` (the user's, as ListAccessKeys gives them). With
// fewer than two keys, all are retired. With two, the oldest inactive one
// is deleted first and the other retired; two active keys make it throw a
// usage Error saying how to make room, as IAM refuses a third key.
KeyDecision DecideKeyRotation(const std::string& user_name,
                              const std::vector<AccessKeyInfo>& keys);

struct KeyRotationPlan {
  RotateKeyRequest request;  // checked
  IamUser user;
  KeyDecision keys;
  std::vector<std::string> folders;  // the user's grant scopes, for the file
  std::vector<PlannedStep> steps;
};

// Reads the user (which must exist and be managed), its keys and its
// grants, and plans the rotation. Reads only. Throws NoSuchUserError, a
// usage Error for an unmanaged user, or DecideKeyRotation's refusal.
KeyRotationPlan PlanKeyRotation(StackContext& stack,
                                const RotateKeyRequest& request);

struct KeyRotationResult {
  std::string new_access_key_id;
  std::vector<std::string> deleted_access_key_ids;
  std::vector<std::string> deactivated_access_key_ids;
  bool file_replaced = false;  // a file already at the path was replaced
};

// Applies `plan`: deletes delete_first, makes the new key, writes it to the
// credentials file (0600), then retires the old keys. When the file cannot
// be written the new key is deleted again and the old keys are left as
// they were. Calls `done` after each step and `on_step` for diagnostics.
KeyRotationResult ApplyKeyRotation(StackContext& stack,
                                   const KeyRotationPlan& plan,
                                   const StepDone& done = {},
                                   const StepCallback& on_step = {});

}  // namespace cytoskel

#endif  // CYTOSKEL_STACK_KEY_ROTATION_H_
