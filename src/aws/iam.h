// AWS IAM (query protocol): the users, access keys, groups, managed
// policies and roles that cytoskel manages, as typed calls.
//
// Conventions of every IamClient method:
// - Throws Error (see Perform): kService with the IAM code ("NoSuchEntity",
//   "EntityAlreadyExists", "DeleteConflict", "LimitExceeded", ...) when IAM
//   refuses, kTransport when no usable answer came or the reply lacks an
//   element the API promises.
// - Get* methods return std::nullopt when the entity does not exist
//   (NoSuchEntity) instead of throwing.
// - List* methods follow Marker / IsTruncated to the last page.
// - Create* calls are not retried after a broken connection (IAM may have
//   acted on them; the caller reconciles by reading). Every other call is
//   safe to repeat and is retried.
// - Policy documents are passed and returned as plain JSON text: IAM
//   returns them URL-encoded, and this client decodes them.
// - Dates are the ISO 8601 text IAM sends ("2024-05-01T12:00:00Z").
#ifndef CYTOSKEL_AWS_IAM_H_
#define CYTOSKEL_AWS_IAM_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/session.h"
#include "aws/tag.h"

namespace cytoskel {

struct IamUser {
  std::string name;
  std::string arn;
  std::string user_id;
  std::string path;
  std::string create_date;
  Tags tags;  // filled by GetUser only: IAM's lists leave tags out
};

struct AccessKeyInfo {
  std::string user_name;
  std::string access_key_id;
  std::string status;  // "Active" | "Inactive"
  std::string create_date;
};

// A key as CreateAccessKey returns it: the only time IAM reveals the secret.
struct NewAccessKey {
  std::string user_name;
  std::string access_key_id;
  std::string status;
  std::string create_date;
  std::string secret_access_key;  // secret: never logged or put in an Error
};

struct AccessKeyLastUsed {
  std::string user_name;
  std::string last_used_date;  // empty when the key was never used
  std::string service_name;    // "N/A" when never used
  std::string region;          // "N/A" when never used
};

struct LoginProfile {
  std::string user_name;
  std::string create_date;
  bool password_reset_required = false;
};

struct MfaDevice {
  std::string user_name;
  // The device's ARN for a virtual device, the hardware serial otherwise.
  std::string serial_number;
  std::string enable_date;

  // True for a virtual device, which IAM stores as an entity of its own
  // (DeleteVirtualMFADevice) once deactivated.
  bool IsVirtual() const;
};

struct SigningCertificate {
  std::string user_name;
  std::string certificate_id;
  std::string status;
  std::string upload_date;
};

struct SshPublicKey {
  std::string user_name;
  std::string ssh_public_key_id;
  std::string status;
  std::string upload_date;
};

struct ServiceSpecificCredential {
  std::string user_name;
  std::string service_specific_credential_id;
  std::string service_name;       // "codecommit.amazonaws.com", ...
  std::string service_user_name;  // not a secret: the login name
  std::string status;
  std::string create_date;
};

struct AttachedPolicy {
  std::string policy_name;
  std::string policy_arn;
};

struct IamGroup {
  std::string name;
  std::string arn;
  std::string group_id;
  std::string path;
  std::string create_date;
};

// GetGroup's answer: the group and every member, all pages joined.
struct IamGroupMembers {
  IamGroup group;
  std::vector<IamUser> users;
};

struct IamPolicy {
  std::string name;
  std::string arn;
  std::string policy_id;
  std::string path;
  std::string default_version_id;  // "v1", "v2", ...
  int attachment_count = 0;
  std::string description;
  std::string create_date;
  std::string update_date;
  Tags tags;
};

struct PolicyVersion {
  std::string version_id;
  std::string document;  // decoded JSON; empty in ListPolicyVersions
  bool is_default = false;
  std::string create_date;
};

// The principals a managed policy is attached to (by name).
struct PolicyEntities {
  std::vector<std::string> group_names;
  std::vector<std::string> user_names;
  std::vector<std::string> role_names;
};

struct IamRole {
  std::string name;
  std::string arn;
  std::string role_id;
  std::string path;
  std::string create_date;
  std::string assume_role_policy_document;  // decoded JSON
  std::string description;
  int max_session_duration = 3600;  // seconds
  Tags tags;
};

struct NewRole {
  std::string name;
  std::string assume_role_policy_document;  // the trust policy, JSON
  int max_session_duration = 3600;          // seconds, 3600-43200
  std::string description;
  std::string path = "/";
  Tags tags;
};

struct NewPolicy {
  std::string name;
  std::string document;  // JSON
  std::string description;
  std::string path = "/";
  Tags tags;
};

class IamClient {
 public:
  explicit IamClient(Session& session);

  // ---- Users ----
  std::optional<IamUser> GetUser(const std::string& name);
  IamUser CreateUser(const std::string& name, const Tags& tags = {},
                     const std::string& path = "/");
  void DeleteUser(const std::string& name);
  // Calls `each` for every user whose path starts with `path_prefix`.
  void ListUsers(const std::function<void(const IamUser&)>& each,
                 const std::string& path_prefix = "/");
  std::vector<IamUser> ListUsers(const std::string& path_prefix = "/");
  Tags ListUserTags(const std::string& user_name);
  void TagUser(const std::string& user_name, const Tags& tags);

  // ---- Access keys ----
  // The result holds the secret; see NewAccessKey. A third key fails with
  // LimitExceeded.
  NewAccessKey CreateAccessKey(const std::string& user_name);
  std::vector<AccessKeyInfo> ListAccessKeys(const std::string& user_name);
  void DeleteAccessKey(const std::string& user_name,
                       const std::string& access_key_id);
  // `status` is "Active" or "Inactive".
  void UpdateAccessKey(const std::string& user_name,
                       const std::string& access_key_id,
                       const std::string& status);
  AccessKeyLastUsed GetAccessKeyLastUsed(const std::string& access_key_id);

  // ---- What else a user owns (all in the way of DeleteUser) ----
  std::optional<LoginProfile> GetLoginProfile(const std::string& user_name);
  void DeleteLoginProfile(const std::string& user_name);
  std::vector<MfaDevice> ListMfaDevices(const std::string& user_name);
  void DeactivateMfaDevice(const std::string& user_name,
                           const std::string& serial_number);
  void DeleteVirtualMfaDevice(const std::string& serial_number);
  std::vector<SigningCertificate> ListSigningCertificates(
      const std::string& user_name);
  void DeleteSigningCertificate(const std::string& user_name,
                                const std::string& certificate_id);
  std::vector<SshPublicKey> ListSshPublicKeys(const std::string& user_name);
  void DeleteSshPublicKey(const std::string& user_name,
                          const std::string& ssh_public_key_id);
  std::vector<ServiceSpecificCredential> ListServiceSpecificCredentials(
      const std::string& user_name);
  void DeleteServiceSpecificCredential(const std::string& user_name,
                                       const std::string& credential_id);
  std::vector<std::string> ListUserPolicies(const std::string& user_name);
  void DeleteUserPolicy(const std::string& user_name,
                        const std::string& policy_name);
  std::vector<AttachedPolicy> ListAttachedUserPolicies(
      const std::string& user_name);
  void DetachUserPolicy(const std::string& user_name,
                        const std::string& policy_arn);
  std::vector<IamGroup> ListGroupsForUser(const std::string& user_name);

  // Removes everything IAM requires gone before DeleteUser (login profile,
  // access keys, signing certificates, SSH keys, service-specific
  // credentials, MFA devices, inline and attached policies, group
  // memberships), in that order, then the user. Each item already gone
  // (NoSuchEntity) is skipped, so a run cut short is finished by running it
  // again. Calls `on_step` after each removal with a short description that
  // holds no secret ("deleted access key AKIA...",
  // "removed from group uploaders", "deleted user alice"). Returns false when
  // the user did not exist at the start; true when it was deleted.
  bool ForceDeleteUser(
      const std::string& name,
      const std::function<void(std::string_view step)>& on_step = {});

  // ---- Groups ----
  // The group with all its members; nullopt when there is no such group.
  std::optional<IamGroupMembers> GetGroup(const std::string& name);
  // Whether the group exists: one GetGroup page of at most one member, so
  // the cost does not grow with the group.
  bool GroupExists(const std::string& name);
  IamGroup CreateGroup(const std::string& name, const std::string& path = "/");
  void DeleteGroup(const std::string& name);
  void AddUserToGroup(const std::string& group_name,
                      const std::string& user_name);
  void RemoveUserFromGroup(const std::string& group_name,
                           const std::string& user_name);
  void AttachGroupPolicy(const std::string& group_name,
                         const std::string& policy_arn);
  void DetachGroupPolicy(const std::string& group_name,
                         const std::string& policy_arn);
  std::vector<AttachedPolicy> ListAttachedGroupPolicies(
      const std::string& group_name);

  // ---- Managed policies ----
  std::optional<IamPolicy> GetPolicy(const std::string& arn);
  IamPolicy CreatePolicy(const NewPolicy& policy);
  std::optional<PolicyVersion> GetPolicyVersion(const std::string& policy_arn,
                                                const std::string& version_id);
  // Adds a version and makes it the default. A policy holds at most five
  // versions (LimitExceeded): delete an old one first.
  PolicyVersion CreatePolicyVersion(const std::string& policy_arn,
                                    const std::string& document);
  std::vector<PolicyVersion> ListPolicyVersions(const std::string& policy_arn);
  void DeletePolicyVersion(const std::string& policy_arn,
                           const std::string& version_id);
  // Fails with DeleteConflict while the policy is attached or has
  // non-default versions.
  void DeletePolicy(const std::string& arn);
  PolicyEntities ListEntitiesForPolicy(const std::string& policy_arn);
  void TagPolicy(const std::string& policy_arn, const Tags& tags);

  // ---- Roles ----
  std::optional<IamRole> GetRole(const std::string& name);
  IamRole CreateRole(const NewRole& role);
  // Sets the role's maximum session duration (3600-43200 seconds).
  void UpdateRole(const std::string& name, int max_session_duration);
  void UpdateAssumeRolePolicy(const std::string& name,
                              const std::string& document);
  void PutRolePolicy(const std::string& role_name,
                     const std::string& policy_name,
                     const std::string& document);
  // The inline policy's decoded document; nullopt when the role or the
  // policy does not exist.
  std::optional<std::string> GetRolePolicy(const std::string& role_name,
                                           const std::string& policy_name);
  std::vector<std::string> ListRolePolicies(const std::string& role_name);
  void DeleteRolePolicy(const std::string& role_name,
                        const std::string& policy_name);
  std::vector<AttachedPolicy> ListAttachedRolePolicies(
      const std::string& role_name);
  void DetachRolePolicy(const std::string& role_name,
                        const std::string& policy_arn);
  // Fails with DeleteConflict while the role has policies.
  void DeleteRole(const std::string& name);
  void TagRole(const std::string& name, const Tags& tags);

 private:
  Session& session_;
};

// Decodes IAM's URL-encoded policy documents (%XX escapes only: a `+` stays
// a plus sign, as in botocore). A `%` not followed by two hex digits is kept
// as is. Exposed for tests.
std::string DecodePolicyDocument(std::string_view encoded);

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_IAM_H_
