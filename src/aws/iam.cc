#include "aws/iam.h"

#include <utility>

#include "aws/error.h"
#include "aws/query_protocol.h"
#include "aws/xml.h"

namespace cytoskel {

namespace {

using MemberFn = std::function<void(const pugi::xml_node&)>;

// Runs `read` and returns its value, or nullopt when IAM answers
// NoSuchEntity. Every other Error propagates.
template <typename Read>
auto NullIfMissing(Read read) -> std::optional<decltype(read())> {
  try {
    return read();
  } catch (const Error& error) {
    if (!error.HasCode({"NoSuchEntity"})) throw;
    return std::nullopt;
  }
}

// A call that is safe to repeat after a broken connection: every read, and
// the writes whose repetition changes nothing (delete, attach, put, tag).
QueryReply Repeatable(Session& session, const std::string& action,
                      const QueryParams& params) {
  return QueryCall(session, Service::kIam, action, params,
                   {.idempotent = true});
}

// A create: never replayed blindly, because IAM may have acted on the first
// attempt; the caller reconciles by reading.
QueryReply Once(Session& session, const std::string& action,
                const QueryParams& params) {
  return QueryCall(session, Service::kIam, action, params,
                   {.idempotent = false});
}

// Like QueryPages, but hands `on_page` each page's whole result, for the
// actions whose reply carries more than one list or a header element
// (GetGroup, ListEntitiesForPolicy).
void ForEachPage(Session& session, const std::string& action,
                 QueryParams params, const MemberFn& on_page) {
  params.emplace_back("MaxItems", "1000");
  std::string marker;
  do {
    QueryParams page_params = params;
    if (!marker.empty()) page_params.emplace_back("Marker", marker);
    QueryReply reply = Repeatable(session, action, page_params);
    on_page(reply.result);
    bool truncated = ChildText(reply.result, "IsTruncated") == "true";
    marker = truncated ? ChildText(reply.result, "Marker") : "";
  } while (!marker.empty());
}

// The child element `name` of `node`; throws a transport Error naming the
// action when the reply lacks it.
pugi::xml_node RequiredChild(const pugi::xml_node& node, const char* name,
                             const std::string& action) {
  pugi::xml_node child = node.child(name);
  if (child.empty()) {
    throw TransportError(action + ": the reply has no <" + name +
                         "> where the API promises one");
  }
  return child;
}

// Query-protocol list encoding: Tags.member.1.Key, Tags.member.1.Value, ...
void AppendTags(const Tags& tags, QueryParams* params) {
  for (size_t i = 0; i < tags.size(); ++i) {
    std::string prefix = "Tags.member." + std::to_string(i + 1);
    params->emplace_back(prefix + ".Key", tags[i].key);
    params->emplace_back(prefix + ".Value", tags[i].value);
  }
}

Tag ParseTag(const pugi::xml_node& member) {
  return {ChildText(member, "Key"), ChildText(member, "Value")};
}

Tags ParseTags(const pugi::xml_node& list) {
  Tags tags;
  for (pugi::xml_node member : list.children("member")) {
    tags.push_back(ParseTag(member));
  }
  return tags;
}

IamUser ParseUser(const pugi::xml_node& node, const std::string& action) {
  IamUser user;
  user.name = RequiredText(node, "UserName", action);
  user.arn = RequiredText(node, "Arn", action);
  user.user_id = ChildText(node, "UserId");
  user.path = ChildText(node, "Path");
  user.create_date = ChildText(node, "CreateDate");
  user.tags = ParseTags(node.child("Tags"));
  return user;
}

AccessKeyInfo ParseAccessKey(const pugi::xml_node& node,
                             const std::string& action) {
  AccessKeyInfo key;
  key.user_name = ChildText(node, "UserName");
  key.access_key_id = RequiredText(node, "AccessKeyId", action);
  key.status = ChildText(node, "Status");
  key.create_date = ChildText(node, "CreateDate");
  return key;
}

IamGroup ParseGroup(const pugi::xml_node& node, const std::string& action) {
  IamGroup group;
  group.name = RequiredText(node, "GroupName", action);
  group.arn = RequiredText(node, "Arn", action);
  group.group_id = ChildText(node, "GroupId");
  group.path = ChildText(node, "Path");
  group.create_date = ChildText(node, "CreateDate");
  return group;
}

AttachedPolicy ParseAttachedPolicy(const pugi::xml_node& node) {
  return {ChildText(node, "PolicyName"), ChildText(node, "PolicyArn")};
}

IamPolicy ParsePolicy(const pugi::xml_node& node, const std::string& action) {
  IamPolicy policy;
  policy.name = RequiredText(node, "PolicyName", action);
  policy.arn = RequiredText(node, "Arn", action);
  policy.policy_id = ChildText(node, "PolicyId");
  policy.path = ChildText(node, "Path");
  policy.default_version_id = ChildText(node, "DefaultVersionId");
  policy.attachment_count = node.child("AttachmentCount").text().as_int(0);
  policy.description = ChildText(node, "Description");
  policy.create_date = ChildText(node, "CreateDate");
  policy.update_date = ChildText(node, "UpdateDate");
  policy.tags = ParseTags(node.child("Tags"));
  return policy;
}

PolicyVersion ParsePolicyVersion(const pugi::xml_node& node,
                                 const std::string& action) {
  PolicyVersion version;
  version.version_id = RequiredText(node, "VersionId", action);
  version.document = DecodePolicyDocument(ChildText(node, "Document"));
  version.is_default = ChildText(node, "IsDefaultVersion") == "true";
  version.create_date = ChildText(node, "CreateDate");
  return version;
}

IamRole ParseRole(const pugi::xml_node& node, const std::string& action) {
  IamRole role;
  role.name = RequiredText(node, "RoleName", action);
  role.arn = RequiredText(node, "Arn", action);
  role.role_id = ChildText(node, "RoleId");
  role.path = ChildText(node, "Path");
  role.create_date = ChildText(node, "CreateDate");
  role.assume_role_policy_document =
      DecodePolicyDocument(ChildText(node, "AssumeRolePolicyDocument"));
  role.description = ChildText(node, "Description");
  role.max_session_duration =
      node.child("MaxSessionDuration").text().as_int(3600);
  role.tags = ParseTags(node.child("Tags"));
  return role;
}

std::vector<std::string> ListPolicyNames(Session& session,
                                         const std::string& action,
                                         const QueryParams& params) {
  std::vector<std::string> names;
  QueryPages(session, action, params, "PolicyNames",
             [&](const pugi::xml_node& member) {
               names.push_back(member.text().as_string());
             });
  return names;
}

std::vector<AttachedPolicy> ListAttached(Session& session,
                                         const std::string& action,
                                         const QueryParams& params) {
  std::vector<AttachedPolicy> policies;
  QueryPages(session, action, params, "AttachedPolicies",
             [&](const pugi::xml_node& member) {
               policies.push_back(ParseAttachedPolicy(member));
             });
  return policies;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Removes, in the order IAM needs, everything that stands in the way of
// DeleteUser. Each removal that finds its item already gone is skipped
// silently; each one that succeeds is reported.
class UserTeardown {
 public:
  UserTeardown(IamClient& iam, const std::string& user,
               const std::function<void(std::string_view)>& on_step)
      : iam_(iam), user_(user), on_step_(on_step) {}

  void RemoveCredentials() {
    Remove("deleted login profile", [&] { iam_.DeleteLoginProfile(user_); });
    for (const auto& key :
         OrEmpty([&] { return iam_.ListAccessKeys(user_); })) {
      Remove("deleted access key " + key.access_key_id,
             [&] { iam_.DeleteAccessKey(user_, key.access_key_id); });
    }
    for (const auto& cert :
         OrEmpty([&] { return iam_.ListSigningCertificates(user_); })) {
      Remove("deleted signing certificate " + cert.certificate_id, [&] {
        iam_.DeleteSigningCertificate(user_, cert.certificate_id);
      });
    }
    for (const auto& key :
         OrEmpty([&] { return iam_.ListSshPublicKeys(user_); })) {
      Remove("deleted SSH public key " + key.ssh_public_key_id,
             [&] { iam_.DeleteSshPublicKey(user_, key.ssh_public_key_id); });
    }
    for (const auto& credential :
         OrEmpty([&] { return iam_.ListServiceSpecificCredentials(user_); })) {
      const std::string& id = credential.service_specific_credential_id;
      Remove("deleted service-specific credential " + id,
             [&] { iam_.DeleteServiceSpecificCredential(user_, id); });
    }
  }

  // A device must be deactivated (detached from the user) before a virtual
  // one can be deleted; hardware devices are only deactivated.
  void RemoveMfaDevices() {
    for (const auto& device :
         OrEmpty([&] { return iam_.ListMfaDevices(user_); })) {
      const std::string& serial = device.serial_number;
      Remove("deactivated MFA device " + serial,
             [&] { iam_.DeactivateMfaDevice(user_, serial); });
      if (device.IsVirtual()) {
        Remove("deleted virtual MFA device " + serial,
               [&] { iam_.DeleteVirtualMfaDevice(serial); });
      }
    }
  }

  void RemovePolicies() {
    for (const auto& name :
         OrEmpty([&] { return iam_.ListUserPolicies(user_); })) {
      Remove("deleted inline policy " + name,
             [&] { iam_.DeleteUserPolicy(user_, name); });
    }
    for (const auto& policy :
         OrEmpty([&] { return iam_.ListAttachedUserPolicies(user_); })) {
      Remove("detached policy " + policy.policy_arn,
             [&] { iam_.DetachUserPolicy(user_, policy.policy_arn); });
    }
  }

  void LeaveGroups() {
    for (const auto& group :
         OrEmpty([&] { return iam_.ListGroupsForUser(user_); })) {
      Remove("removed from group " + group.name,
             [&] { iam_.RemoveUserFromGroup(group.name, user_); });
    }
  }

  void DeleteUser() {
    Remove("deleted user " + user_, [&] { iam_.DeleteUser(user_); });
  }

 private:
  // Runs `call` and reports `what` unless the item was already gone.
  void Remove(const std::string& what, const std::function<void()>& call) {
    try {
      call();
    } catch (const Error& error) {
      if (!error.HasCode({"NoSuchEntity"})) throw;
      return;
    }
    if (on_step_) on_step_(what);
  }

  // The list `list` returns, or nothing when the user vanished meanwhile.
  template <typename List>
  static auto OrEmpty(List list) -> decltype(list()) {
    return NullIfMissing(list).value_or(decltype(list()){});
  }

  IamClient& iam_;
  const std::string& user_;
  const std::function<void(std::string_view)>& on_step_;
};

}  // namespace

std::string DecodePolicyDocument(std::string_view encoded) {
  std::string decoded;
  decoded.reserve(encoded.size());
  for (size_t i = 0; i < encoded.size(); ++i) {
    bool escape = encoded[i] == '%' && i + 2 < encoded.size() &&
                  HexValue(encoded[i + 1]) >= 0 &&
                  HexValue(encoded[i + 2]) >= 0;
    if (!escape) {
      decoded += encoded[i];
      continue;
    }
    decoded += static_cast<char>(HexValue(encoded[i + 1]) * 16 +
                                 HexValue(encoded[i + 2]));
    i += 2;
  }
  return decoded;
}

bool MfaDevice::IsVirtual() const {
  // Virtual devices are named by their ARN (arn:aws:iam::123:mfa/name);
  // hardware devices by the serial printed on them.
  return serial_number.starts_with("arn:");
}

IamClient::IamClient(Session& session) : session_(session) {}

// ---- Users ----

std::optional<IamUser> IamClient::GetUser(const std::string& name) {
  const std::string action = "GetUser";
  return NullIfMissing([&] {
    QueryReply reply = Repeatable(session_, action, {{"UserName", name}});
    return ParseUser(RequiredChild(reply.result, "User", action), action);
  });
}

IamUser IamClient::CreateUser(const std::string& name, const Tags& tags,
                              const std::string& path) {
  const std::string action = "CreateUser";
  QueryParams params = {{"UserName", name}, {"Path", path}};
  AppendTags(tags, &params);
  QueryReply reply = Once(session_, action, params);
  return ParseUser(RequiredChild(reply.result, "User", action), action);
}

void IamClient::DeleteUser(const std::string& name) {
  Repeatable(session_, "DeleteUser", {{"UserName", name}});
}

void IamClient::ListUsers(const std::function<void(const IamUser&)>& each,
                          const std::string& path_prefix) {
  QueryPages(session_, "ListUsers", {{"PathPrefix", path_prefix}}, "Users",
             [&](const pugi::xml_node& member) {
               each(ParseUser(member, "ListUsers"));
             });
}

std::vector<IamUser> IamClient::ListUsers(const std::string& path_prefix) {
  std::vector<IamUser> users;
  ListUsers([&](const IamUser& user) { users.push_back(user); }, path_prefix);
  return users;
}

Tags IamClient::ListUserTags(const std::string& user_name) {
  Tags tags;
  QueryPages(
      session_, "ListUserTags", {{"UserName", user_name}}, "Tags",
      [&](const pugi::xml_node& member) { tags.push_back(ParseTag(member)); });
  return tags;
}

void IamClient::TagUser(const std::string& user_name, const Tags& tags) {
  QueryParams params = {{"UserName", user_name}};
  AppendTags(tags, &params);
  Repeatable(session_, "TagUser", params);
}

// ---- Access keys ----

NewAccessKey IamClient::CreateAccessKey(const std::string& user_name) {
  const std::string action = "CreateAccessKey";
  QueryReply reply = Once(session_, action, {{"UserName", user_name}});
  pugi::xml_node node = RequiredChild(reply.result, "AccessKey", action);
  AccessKeyInfo info = ParseAccessKey(node, action);
  NewAccessKey key;
  key.user_name = std::move(info.user_name);
  key.access_key_id = std::move(info.access_key_id);
  key.status = std::move(info.status);
  key.create_date = std::move(info.create_date);
  key.secret_access_key = RequiredText(node, "SecretAccessKey", action);
  return key;
}

std::vector<AccessKeyInfo> IamClient::ListAccessKeys(
    const std::string& user_name) {
  std::vector<AccessKeyInfo> keys;
  QueryPages(session_, "ListAccessKeys", {{"UserName", user_name}},
             "AccessKeyMetadata", [&](const pugi::xml_node& member) {
               keys.push_back(ParseAccessKey(member, "ListAccessKeys"));
             });
  return keys;
}

void IamClient::DeleteAccessKey(const std::string& user_name,
                                const std::string& access_key_id) {
  Repeatable(session_, "DeleteAccessKey",
             {{"UserName", user_name}, {"AccessKeyId", access_key_id}});
}

void IamClient::UpdateAccessKey(const std::string& user_name,
                                const std::string& access_key_id,
                                const std::string& status) {
  Repeatable(session_, "UpdateAccessKey",
             {{"UserName", user_name},
              {"AccessKeyId", access_key_id},
              {"Status", status}});
}

AccessKeyLastUsed IamClient::GetAccessKeyLastUsed(
    const std::string& access_key_id) {
  QueryReply reply = Repeatable(session_, "GetAccessKeyLastUsed",
                                {{"AccessKeyId", access_key_id}});
  pugi::xml_node node = reply.result.child("AccessKeyLastUsed");
  AccessKeyLastUsed last_used;
  last_used.user_name = ChildText(reply.result, "UserName");
  last_used.last_used_date = ChildText(node, "LastUsedDate");
  last_used.service_name = ChildText(node, "ServiceName");
  last_used.region = ChildText(node, "Region");
  return last_used;
}

// ---- What else a user owns ----

std::optional<LoginProfile> IamClient::GetLoginProfile(
    const std::string& user_name) {
  const std::string action = "GetLoginProfile";
  return NullIfMissing([&] {
    QueryReply reply = Repeatable(session_, action, {{"UserName", user_name}});
    pugi::xml_node node = RequiredChild(reply.result, "LoginProfile", action);
    LoginProfile profile;
    profile.user_name = ChildText(node, "UserName");
    profile.create_date = ChildText(node, "CreateDate");
    profile.password_reset_required =
        ChildText(node, "PasswordResetRequired") == "true";
    return profile;
  });
}

void IamClient::DeleteLoginProfile(const std::string& user_name) {
  Repeatable(session_, "DeleteLoginProfile", {{"UserName", user_name}});
}

std::vector<MfaDevice> IamClient::ListMfaDevices(const std::string& user_name) {
  std::vector<MfaDevice> devices;
  QueryPages(session_, "ListMFADevices", {{"UserName", user_name}},
             "MFADevices", [&](const pugi::xml_node& member) {
               devices.push_back({ChildText(member, "UserName"),
                                  ChildText(member, "SerialNumber"),
                                  ChildText(member, "EnableDate")});
             });
  return devices;
}

void IamClient::DeactivateMfaDevice(const std::string& user_name,
                                    const std::string& serial_number) {
  Repeatable(session_, "DeactivateMFADevice",
             {{"UserName", user_name}, {"SerialNumber", serial_number}});
}

void IamClient::DeleteVirtualMfaDevice(const std::string& serial_number) {
  Repeatable(session_, "DeleteVirtualMFADevice",
             {{"SerialNumber", serial_number}});
}

std::vector<SigningCertificate> IamClient::ListSigningCertificates(
    const std::string& user_name) {
  std::vector<SigningCertificate> certificates;
  QueryPages(session_, "ListSigningCertificates", {{"UserName", user_name}},
             "Certificates", [&](const pugi::xml_node& member) {
               certificates.push_back({ChildText(member, "UserName"),
                                       ChildText(member, "CertificateId"),
                                       ChildText(member, "Status"),
                                       ChildText(member, "UploadDate")});
             });
  return certificates;
}

void IamClient::DeleteSigningCertificate(const std::string& user_name,
                                         const std::string& certificate_id) {
  Repeatable(session_, "DeleteSigningCertificate",
             {{"UserName", user_name}, {"CertificateId", certificate_id}});
}

std::vector<SshPublicKey> IamClient::ListSshPublicKeys(
    const std::string& user_name) {
  std::vector<SshPublicKey> keys;
  QueryPages(session_, "ListSSHPublicKeys", {{"UserName", user_name}},
             "SSHPublicKeys", [&](const pugi::xml_node& member) {
               keys.push_back({ChildText(member, "UserName"),
                               ChildText(member, "SSHPublicKeyId"),
                               ChildText(member, "Status"),
                               ChildText(member, "UploadDate")});
             });
  return keys;
}

void IamClient::DeleteSshPublicKey(const std::string& user_name,
                                   const std::string& ssh_public_key_id) {
  Repeatable(session_, "DeleteSSHPublicKey",
             {{"UserName", user_name}, {"SSHPublicKeyId", ssh_public_key_id}});
}

std::vector<ServiceSpecificCredential>
IamClient::ListServiceSpecificCredentials(const std::string& user_name) {
  std::vector<ServiceSpecificCredential> credentials;
  QueryPages(
      session_, "ListServiceSpecificCredentials", {{"UserName", user_name}},
      "ServiceSpecificCredentials", [&](const pugi::xml_node& member) {
        ServiceSpecificCredential credential;
        credential.user_name = ChildText(member, "UserName");
        credential.service_specific_credential_id =
            ChildText(member, "ServiceSpecificCredentialId");
        credential.service_name = ChildText(member, "ServiceName");
        credential.service_user_name = ChildText(member, "ServiceUserName");
        credential.status = ChildText(member, "Status");
        credential.create_date = ChildText(member, "CreateDate");
        credentials.push_back(std::move(credential));
      });
  return credentials;
}

void IamClient::DeleteServiceSpecificCredential(
    const std::string& user_name, const std::string& credential_id) {
  Repeatable(session_, "DeleteServiceSpecificCredential",
             {{"UserName", user_name},
              {"ServiceSpecificCredentialId", credential_id}});
}

std::vector<std::string> IamClient::ListUserPolicies(
    const std::string& user_name) {
  return ListPolicyNames(session_, "ListUserPolicies",
                         {{"UserName", user_name}});
}

void IamClient::DeleteUserPolicy(const std::string& user_name,
                                 const std::string& policy_name) {
  Repeatable(session_, "DeleteUserPolicy",
             {{"UserName", user_name}, {"PolicyName", policy_name}});
}

std::vector<AttachedPolicy> IamClient::ListAttachedUserPolicies(
    const std::string& user_name) {
  return ListAttached(session_, "ListAttachedUserPolicies",
                      {{"UserName", user_name}});
}

void IamClient::DetachUserPolicy(const std::string& user_name,
                                 const std::string& policy_arn) {
  Repeatable(session_, "DetachUserPolicy",
             {{"UserName", user_name}, {"PolicyArn", policy_arn}});
}

std::vector<IamGroup> IamClient::ListGroupsForUser(
    const std::string& user_name) {
  std::vector<IamGroup> groups;
  QueryPages(session_, "ListGroupsForUser", {{"UserName", user_name}}, "Groups",
             [&](const pugi::xml_node& member) {
               groups.push_back(ParseGroup(member, "ListGroupsForUser"));
             });
  return groups;
}

bool IamClient::ForceDeleteUser(
    const std::string& name,
    const std::function<void(std::string_view step)>& on_step) {
  if (!GetUser(name)) return false;
  UserTeardown teardown(*this, name, on_step);
  teardown.RemoveCredentials();
  teardown.RemoveMfaDevices();
  teardown.RemovePolicies();
  teardown.LeaveGroups();
  teardown.DeleteUser();
  return true;
}

// ---- Groups ----

std::optional<IamGroupMembers> IamClient::GetGroup(const std::string& name) {
  const std::string action = "GetGroup";
  return NullIfMissing([&] {
    IamGroupMembers members;
    ForEachPage(session_, action, {{"GroupName", name}},
                [&](const pugi::xml_node& result) {
                  members.group = ParseGroup(
                      RequiredChild(result, "Group", action), action);
                  for (pugi::xml_node user : result.child("Users")) {
                    members.users.push_back(ParseUser(user, action));
                  }
                });
    return members;
  });
}

bool IamClient::GroupExists(const std::string& name) {
  const std::string action = "GetGroup";
  return NullIfMissing([&] {
           QueryReply reply = Repeatable(
               session_, action, {{"GroupName", name}, {"MaxItems", "1"}});
           return ParseGroup(RequiredChild(reply.result, "Group", action),
                             action);
         })
      .has_value();
}

IamGroup IamClient::CreateGroup(const std::string& name,
                                const std::string& path) {
  const std::string action = "CreateGroup";
  QueryReply reply =
      Once(session_, action, {{"GroupName", name}, {"Path", path}});
  return ParseGroup(RequiredChild(reply.result, "Group", action), action);
}

void IamClient::DeleteGroup(const std::string& name) {
  Repeatable(session_, "DeleteGroup", {{"GroupName", name}});
}

void IamClient::AddUserToGroup(const std::string& group_name,
                               const std::string& user_name) {
  Repeatable(session_, "AddUserToGroup",
             {{"GroupName", group_name}, {"UserName", user_name}});
}

void IamClient::RemoveUserFromGroup(const std::string& group_name,
                                    const std::string& user_name) {
  Repeatable(session_, "RemoveUserFromGroup",
             {{"GroupName", group_name}, {"UserName", user_name}});
}

void IamClient::AttachGroupPolicy(const std::string& group_name,
                                  const std::string& policy_arn) {
  Repeatable(session_, "AttachGroupPolicy",
             {{"GroupName", group_name}, {"PolicyArn", policy_arn}});
}

void IamClient::DetachGroupPolicy(const std::string& group_name,
                                  const std::string& policy_arn) {
  Repeatable(session_, "DetachGroupPolicy",
             {{"GroupName", group_name}, {"PolicyArn", policy_arn}});
}

std::vector<AttachedPolicy> IamClient::ListAttachedGroupPolicies(
    const std::string& group_name) {
  return ListAttached(session_, "ListAttachedGroupPolicies",
                      {{"GroupName", group_name}});
}

// ---- Managed policies ----

std::optional<IamPolicy> IamClient::GetPolicy(const std::string& arn) {
  const std::string action = "GetPolicy";
  return NullIfMissing([&] {
    QueryReply reply = Repeatable(session_, action, {{"PolicyArn", arn}});
    return ParsePolicy(RequiredChild(reply.result, "Policy", action), action);
  });
}

IamPolicy IamClient::CreatePolicy(const NewPolicy& policy) {
  const std::string action = "CreatePolicy";
  QueryParams params = {{"PolicyName", policy.name},
                        {"Path", policy.path},
                        {"PolicyDocument", policy.document}};
  if (!policy.description.empty()) {
    params.emplace_back("Description", policy.description);
  }
  AppendTags(policy.tags, &params);
  QueryReply reply = Once(session_, action, params);
  return ParsePolicy(RequiredChild(reply.result, "Policy", action), action);
}

std::optional<PolicyVersion> IamClient::GetPolicyVersion(
    const std::string& policy_arn, const std::string& version_id) {
  const std::string action = "GetPolicyVersion";
  return NullIfMissing([&] {
    QueryReply reply =
        Repeatable(session_, action,
                   {{"PolicyArn", policy_arn}, {"VersionId", version_id}});
    return ParsePolicyVersion(
        RequiredChild(reply.result, "PolicyVersion", action), action);
  });
}

PolicyVersion IamClient::CreatePolicyVersion(const std::string& policy_arn,
                                             const std::string& document) {
  const std::string action = "CreatePolicyVersion";
  QueryReply reply = Once(session_, action,
                          {{"PolicyArn", policy_arn},
                           {"PolicyDocument", document},
                           {"SetAsDefault", "true"}});
  PolicyVersion version = ParsePolicyVersion(
      RequiredChild(reply.result, "PolicyVersion", action), action);
  // IAM does not echo the document back; the caller's is the new default.
  if (version.document.empty()) version.document = document;
  return version;
}

std::vector<PolicyVersion> IamClient::ListPolicyVersions(
    const std::string& policy_arn) {
  std::vector<PolicyVersion> versions;
  QueryPages(
      session_, "ListPolicyVersions", {{"PolicyArn", policy_arn}}, "Versions",
      [&](const pugi::xml_node& member) {
        versions.push_back(ParsePolicyVersion(member, "ListPolicyVersions"));
      });
  return versions;
}

void IamClient::DeletePolicyVersion(const std::string& policy_arn,
                                    const std::string& version_id) {
  Repeatable(session_, "DeletePolicyVersion",
             {{"PolicyArn", policy_arn}, {"VersionId", version_id}});
}

void IamClient::DeletePolicy(const std::string& arn) {
  Repeatable(session_, "DeletePolicy", {{"PolicyArn", arn}});
}

PolicyEntities IamClient::ListEntitiesForPolicy(const std::string& policy_arn) {
  PolicyEntities entities;
  auto collect = [](const pugi::xml_node& list, const char* name_element,
                    std::vector<std::string>* names) {
    for (pugi::xml_node member : list.children("member")) {
      names->push_back(ChildText(member, name_element));
    }
  };
  ForEachPage(
      session_, "ListEntitiesForPolicy", {{"PolicyArn", policy_arn}},
      [&](const pugi::xml_node& result) {
        collect(result.child("PolicyGroups"), "GroupName",
                &entities.group_names);
        collect(result.child("PolicyUsers"), "UserName", &entities.user_names);
        collect(result.child("PolicyRoles"), "RoleName", &entities.role_names);
      });
  return entities;
}

void IamClient::TagPolicy(const std::string& policy_arn, const Tags& tags) {
  QueryParams params = {{"PolicyArn", policy_arn}};
  AppendTags(tags, &params);
  Repeatable(session_, "TagPolicy", params);
}

// ---- Roles ----

std::optional<IamRole> IamClient::GetRole(const std::string& name) {
  const std::string action = "GetRole";
  return NullIfMissing([&] {
    QueryReply reply = Repeatable(session_, action, {{"RoleName", name}});
    return ParseRole(RequiredChild(reply.result, "Role", action), action);
  });
}

IamRole IamClient::CreateRole(const NewRole& role) {
  const std::string action = "CreateRole";
  QueryParams params = {
      {"RoleName", role.name},
      {"Path", role.path},
      {"AssumeRolePolicyDocument", role.assume_role_policy_document},
      {"MaxSessionDuration", std::to_string(role.max_session_duration)}};
  if (!role.description.empty()) {
    params.emplace_back("Description", role.description);
  }
  AppendTags(role.tags, &params);
  QueryReply reply = Once(session_, action, params);
  return ParseRole(RequiredChild(reply.result, "Role", action), action);
}

void IamClient::UpdateRole(const std::string& name, int max_session_duration) {
  Repeatable(session_, "UpdateRole",
             {{"RoleName", name},
              {"MaxSessionDuration", std::to_string(max_session_duration)}});
}

void IamClient::UpdateAssumeRolePolicy(const std::string& name,
                                       const std::string& document) {
  Repeatable(session_, "UpdateAssumeRolePolicy",
             {{"RoleName", name}, {"PolicyDocument", document}});
}

void IamClient::PutRolePolicy(const std::string& role_name,
                              const std::string& policy_name,
                              const std::string& document) {
  Repeatable(session_, "PutRolePolicy",
             {{"RoleName", role_name},
              {"PolicyName", policy_name},
              {"PolicyDocument", document}});
}

std::optional<std::string> IamClient::GetRolePolicy(
    const std::string& role_name, const std::string& policy_name) {
  const std::string action = "GetRolePolicy";
  return NullIfMissing([&] {
    QueryReply reply =
        Repeatable(session_, action,
                   {{"RoleName", role_name}, {"PolicyName", policy_name}});
    return DecodePolicyDocument(
        RequiredText(reply.result, "PolicyDocument", action));
  });
}

std::vector<std::string> IamClient::ListRolePolicies(
    const std::string& role_name) {
  return ListPolicyNames(session_, "ListRolePolicies",
                         {{"RoleName", role_name}});
}

void IamClient::DeleteRolePolicy(const std::string& role_name,
                                 const std::string& policy_name) {
  Repeatable(session_, "DeleteRolePolicy",
             {{"RoleName", role_name}, {"PolicyName", policy_name}});
}

std::vector<AttachedPolicy> IamClient::ListAttachedRolePolicies(
    const std::string& role_name) {
  return ListAttached(session_, "ListAttachedRolePolicies",
                      {{"RoleName", role_name}});
}

void IamClient::DetachRolePolicy(const std::string& role_name,
                                 const std::string& policy_arn) {
  Repeatable(session_, "DetachRolePolicy",
             {{"RoleName", role_name}, {"PolicyArn", policy_arn}});
}

void IamClient::DeleteRole(const std::string& name) {
  Repeatable(session_, "DeleteRole", {{"RoleName", name}});
}

void IamClient::TagRole(const std::string& name, const Tags& tags) {
  QueryParams params = {{"RoleName", name}};
  AppendTags(tags, &params);
  Repeatable(session_, "TagRole", params);
}

}  // namespace cytoskel
