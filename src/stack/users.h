// The stack's users: the contributors, who are members of the stack's
// uploader group and carry the managed-by=cytoskel tag. Listing, creating
// (safe to run again after a run that died half way) and deleting them
// together with their grants. Nothing here prints: results come back as
// structs, progress through a StepCallback.
#ifndef CYTOSKEL_STACK_USERS_H_
#define CYTOSKEL_STACK_USERS_H_

#include <functional>
#include <string>
#include <vector>

#include "aws/error.h"
#include "aws/iam.h"
#include "aws/s3control.h"
#include "stack/stack.h"
#include "stack/steps.h"

namespace cytoskel {

// True when `tags` hold kManagedTag.
bool IsManaged(const Tags& tags);

// The service Error of a missing user ("there is no IAM user named NAME",
// code NoSuchEntity, exit 254).
Error NoSuchUserError(const std::string& name);

// The members of the stack's group, every page, in IAM's order. Throws a
// service Error saying "the stack is not set up: run `cytoskel STACK up`
// first" when the group does not exist.
std::vector<IamUser> ListStackUsers(StackContext& stack);

struct CreateUserRequest {
  std::string name;
  // When not empty, the new key is written to this file as the credentials
  // profile [name] (see WriteSecretFile) instead of being returned for
  // printing.
  std::string credentials_file;
  // Set only by a caller that has just seen the stack's group exist and
  // IAM hold no user of this name (apply's plan): the reads that would
  // tell so again are skipped. A user made meanwhile by someone else makes
  // CreateUser fail with EntityAlreadyExists, and nothing is changed.
  bool known_new = false;
};

struct CreateUserResult {
  IamUser user;      // as IAM describes it (the ARN includes the path)
  NewAccessKey key;  // holds the secret
  // True when the user already existed, managed, and an earlier run died
  // before handing a key over; this run completed it.
  bool resumed = false;
};

// Hands the new key over (the cli prints it). Called before the user joins
// the stack's group: see CreateStackUser.
using KeyDelivery = std::function<void(const CreateUserResult& result)>;

// Checks what needs no AWS call: the name and the credentials file's path.
// Throws a usage Error.
void CheckCreateUser(const CreateUserRequest& request);

// Makes `request.name` a contributor: a user tagged managed-by=cytoskel,
// member of the stack's group, with one access key. Requires the stack's
// group (else the "not set up" Error of ListStackUsers).
//
// The steps are CreateUser, CreateAccessKey, handing the key over (the
// credentials file, then `deliver`), and last AddUserToGroup: membership
// tells a later run that someone holds the key. So a run killed at any
// point is finished by running it again:
// - a managed user outside the group is completed, not refused; keys it
//   has were never handed over (their secrets are lost) and are deleted;
// - when CreateUser succeeded and a later IAM call is refused, the user is
//   deleted again (ForceDeleteUser) before the error is thrown;
// - a lost CreateUser answer is checked with GetUser, a lost CreateAccessKey
//   answer with CreateAccessKeyOnce;
// - when the credentials file cannot be written, the key (whose secret
//   exists nowhere else) is deleted again, so the next run makes another.
// Throws a usage Error when the user is a member of the group with an
// access key (naming rotate-key) or exists without the managed-by=cytoskel
// tag.
CreateUserResult CreateStackUser(StackContext& stack,
                                 const CreateUserRequest& request,
                                 const StepCallback& on_step = {},
                                 const KeyDelivery& deliver = {});

// Creates an access key for `user_name` without ever sending
// CreateAccessKey twice blindly: when its answer (the only copy of the
// secret) is lost, every key of the user not in `known_key_ids` is deleted,
// as nobody can use it, and the key is created once more.
NewAccessKey CreateAccessKeyOnce(IamClient& iam, const std::string& user_name,
                                 const std::vector<std::string>& known_key_ids,
                                 const StepCallback& on_step = {});

// The AWS shared-credentials text for `key`: profile [profile] with
// aws_access_key_id and aws_secret_access_key.
std::string CredentialsProfile(const std::string& profile,
                               const NewAccessKey& key);

struct DeleteUserRequest {
  std::string name;
  // Delete even a user that is neither in the stack's group nor tagged
  // managed-by=cytoskel.
  bool force = false;
};

struct DeleteUserResult {
  IamUser user;
  std::vector<AccessGrant> deleted_grants;
};

// Deletes every Access Grant whose grantee is the user's ARN, then the user
// and everything IAM requires gone first (IamClient::ForceDeleteUser).
// Throws NoSuchUserError for an unknown user, and a usage Error for a user
// the stack does not manage unless `request.force`.
DeleteUserResult DeleteStackUser(StackContext& stack,
                                 const DeleteUserRequest& request,
                                 const StepCallback& on_step = {});

}  // namespace cytoskel

#endif  // CYTOSKEL_STACK_USERS_H_
