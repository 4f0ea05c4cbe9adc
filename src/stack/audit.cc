#include "stack/audit.h"

#include <fmt/format.h>

#include <map>
#include <optional>
#include <set>

#include "aws/error.h"
#include "aws/time_format.h"
#include "stack/grants.h"
#include "stack/users.h"
#include "stack/validate.h"

namespace cytoskel {

namespace {

constexpr int kMaxKeyAgeLimit = 36500;  // a century: anything more is a typo

// What the classification looks things up in.
struct AuditIndex {
  std::set<std::string> user_arns;
  std::set<std::string> member_arns;
  std::set<std::string> grantee_arns;  // IAM grantees of any grant
  std::map<std::string, std::string> location_scopes;  // id -> scope
  std::string stack_location_id;  // empty when the stack has none
};

AuditIndex Index(const AuditSnapshot& snapshot) {
  AuditIndex index;
  for (const IamUser& user : snapshot.users) index.user_arns.insert(user.arn);
  for (const IamUser& user : snapshot.members) {
    index.member_arns.insert(user.arn);
  }
  for (const AccessGrant& grant : snapshot.grants) {
    if (grant.grantee_type == "IAM") {
      index.grantee_arns.insert(grant.grantee_identifier);
    }
  }
  for (const AccessGrantsLocation& location : snapshot.locations) {
    index.location_scopes[location.id] = location.scope;
    if (location.scope == snapshot.location_scope) {
      index.stack_location_id = location.id;
    }
  }
  return index;
}

std::string Describe(const AccessGrant& grant) {
  return fmt::format("grant {} ({} on {})", grant.id, grant.permission,
                     grant.grant_scope);
}

// True when `identifier` is the ARN of an IAM user of `account`.
bool IsUserArnOf(const std::string& identifier, const std::string& account) {
  std::optional<Arn> arn = ParseArn(identifier);
  return arn && arn->service == "iam" && arn->account == account &&
         arn->resource.starts_with("user/");
}

// Who the grant goes to: orphan (a user of this account that is gone) or
// foreign (anything that is not a user of this account).
std::optional<AuditFinding> CheckGrantee(const AuditSnapshot& snapshot,
                                         const AuditIndex& index,
                                         const AccessGrant& grant) {
  if (grant.grantee_type != "IAM") {
    return AuditFinding{
        kForeignGrantee, grant.id,
        fmt::format("{} goes to {} {}, an identity cytoskel does not manage",
                    Describe(grant), grant.grantee_type,
                    grant.grantee_identifier)};
  }
  if (!IsUserArnOf(grant.grantee_identifier, snapshot.account_id)) {
    return AuditFinding{
        kForeignGrantee, grant.id,
        fmt::format("{} goes to {}, which is not an IAM user of account {}",
                    Describe(grant), grant.grantee_identifier,
                    snapshot.account_id)};
  }
  if (index.user_arns.count(grant.grantee_identifier) == 0) {
    return AuditFinding{
        kOrphanGrant, grant.id,
        fmt::format("{} goes to user {}, which no longer exists: `cytoskel {} "
                    "delete grant {}` removes it",
                    Describe(grant), GranteeUserName(grant),
                    snapshot.stack_name, grant.id)};
  }
  return std::nullopt;
}

std::optional<AuditFinding> CheckLocation(const AuditSnapshot& snapshot,
                                          const AuditIndex& index,
                                          const AccessGrant& grant) {
  if (!index.stack_location_id.empty() &&
      grant.location_id == index.stack_location_id) {
    return std::nullopt;
  }
  auto scope = index.location_scopes.find(grant.location_id);
  std::string where =
      scope == index.location_scopes.end()
          ? fmt::format("location {}", grant.location_id)
          : fmt::format("location {} ({})", grant.location_id, scope->second);
  std::string missing =
      index.stack_location_id.empty()
          ? fmt::format(", which does not exist (`cytoskel {} up` makes it)",
                        snapshot.stack_name)
          : "";
  return AuditFinding{
      kGrantOutsideLocation, grant.id,
      fmt::format("{} is in {}, not in the stack's location {}{}",
                  Describe(grant), where, snapshot.location_scope, missing)};
}

void CheckGrants(const AuditSnapshot& snapshot, const AuditIndex& index,
                 std::vector<AuditFinding>& findings) {
  for (const AccessGrant& grant : snapshot.grants) {
    for (const auto& finding : {CheckGrantee(snapshot, index, grant),
                                CheckLocation(snapshot, index, grant)}) {
      if (finding) findings.push_back(*finding);
    }
  }
}

// Users that exist, are not in the group, and hold grants: one finding per
// user, naming every grant.
void CheckUsersOutsideGroup(const AuditSnapshot& snapshot,
                            const AuditIndex& index,
                            std::vector<AuditFinding>& findings) {
  for (const IamUser& user : snapshot.users) {
    if (index.member_arns.count(user.arn) != 0 ||
        index.grantee_arns.count(user.arn) == 0) {
      continue;
    }
    std::vector<std::string> held;
    std::string first_id;
    for (const AccessGrant& grant : snapshot.grants) {
      if (grant.grantee_type != "IAM" || grant.grantee_identifier != user.arn) {
        continue;
      }
      if (first_id.empty()) first_id = grant.id;
      held.push_back(Describe(grant));
    }
    findings.push_back(
        {kUserOutsideGroup, user.name,
         fmt::format("user {} is not in group {} but holds {} grant(s): {}; "
                     "add it to the group, or revoke with `cytoskel {} delete "
                     "grant {}`",
                     user.name, snapshot.group, held.size(),
                     fmt::join(held, ", "), snapshot.stack_name, first_id)});
  }
}

void CheckMembersWithoutGrant(const AuditSnapshot& snapshot,
                              const AuditIndex& index,
                              std::vector<AuditFinding>& findings) {
  for (const IamUser& member : snapshot.members) {
    if (index.grantee_arns.count(member.arn) != 0) continue;
    findings.push_back(
        {kUserWithoutGrant, member.name,
         fmt::format("user {} is in group {} but holds no grant: `cytoskel {} "
                     "onboard {} --prefix FOLDER` gives it one, `cytoskel {} "
                     "offboard {}` removes it",
                     member.name, snapshot.group, snapshot.stack_name,
                     member.name, snapshot.stack_name, member.name)});
  }
}

void CheckKeys(const AuditSnapshot& snapshot, const AuditOptions& options,
               std::chrono::system_clock::time_point now,
               std::vector<AuditFinding>& findings) {
  for (const AuditedKey& audited : snapshot.keys) {
    const AccessKeyInfo& key = audited.key;
    auto created = ParseRfc3339(key.create_date);
    if (created) {
      auto days = std::chrono::floor<std::chrono::days>(now - *created).count();
      if (days > options.max_key_age_days) {
        findings.push_back(
            {kOldKey, key.access_key_id,
             fmt::format("access key {} of user {} is {} days old (more than "
                         "{}): `cytoskel {} rotate-key {}` replaces it",
                         key.access_key_id, key.user_name, days,
                         options.max_key_age_days, snapshot.stack_name,
                         key.user_name)});
      }
    }
    if (audited.last_used_date.empty()) {
      findings.push_back(
          {kUnusedKey, key.access_key_id,
           fmt::format("access key {} of user {} (created {}) has never been "
                       "used",
                       key.access_key_id, key.user_name, key.create_date)});
    }
  }
}

Error NotSetUp(const StackContext& stack) {
  return Error::Service(
      "ListAccessGrants", 404, "AccessGrantsInstanceNotExistsError",
      fmt::format("the stack is not set up (it has no Access Grants "
                  "instance): run `cytoskel {} up` first",
                  stack.settings().name),
      "");
}

std::vector<AuditedKey> ReadMemberKeys(IamClient& iam,
                                       const std::vector<IamUser>& members) {
  std::vector<AuditedKey> keys;
  for (const IamUser& member : members) {
    for (AccessKeyInfo& key : iam.ListAccessKeys(member.name)) {
      if (key.status != "Active") continue;
      std::string last_used =
          iam.GetAccessKeyLastUsed(key.access_key_id).last_used_date;
      keys.push_back({std::move(key), std::move(last_used)});
    }
  }
  return keys;
}

}  // namespace

void CheckAuditOptions(const AuditOptions& options) {
  if (options.max_key_age_days < 1 ||
      options.max_key_age_days > kMaxKeyAgeLimit) {
    throw UsageError(
        fmt::format("--max-key-age must be a number of days from 1 to {}, "
                    "not {}",
                    kMaxKeyAgeLimit, options.max_key_age_days));
  }
}

AuditSnapshot ReadAuditSnapshot(StackContext& stack) {
  AuditSnapshot snapshot;
  snapshot.stack_name = stack.settings().name;
  snapshot.group = stack.settings().group;
  snapshot.location_scope = stack.location_scope();
  snapshot.members = ListStackUsers(stack);
  snapshot.account_id = stack.account_id();
  try {
    snapshot.grants = ListStackGrants(stack);
    stack.s3control().ListLocations("", [&](AccessGrantsLocation location) {
      snapshot.locations.push_back(std::move(location));
    });
  } catch (const Error& error) {
    if (error.HasCode({"AccessGrantsInstanceNotExistsError"})) {
      throw NotSetUp(stack);
    }
    throw;
  }
  stack.iam().ListUsers(
      [&](const IamUser& user) { snapshot.users.push_back(user); });
  snapshot.keys = ReadMemberKeys(stack.iam(), snapshot.members);
  return snapshot;
}

std::vector<AuditFinding> ClassifyAudit(
    const AuditSnapshot& snapshot, const AuditOptions& options,
    std::chrono::system_clock::time_point now) {
  AuditIndex index = Index(snapshot);
  std::vector<AuditFinding> findings;
  CheckGrants(snapshot, index, findings);
  CheckUsersOutsideGroup(snapshot, index, findings);
  CheckMembersWithoutGrant(snapshot, index, findings);
  CheckKeys(snapshot, options, now, findings);
  return findings;
}

}  // namespace cytoskel
