#include "stack/roster_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "aws/error.h"
#include "stack/grants.h"
#include "stack/parallel.h"
#include "stack/users.h"

namespace cytoskel {

namespace {

// IAM user names are unique without regard to case: users are matched by
// this key.
std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return lower;
}

std::string Join(const std::vector<std::string>& items) {
  return fmt::format("{}", fmt::join(items, ", "));
}

// ---- reading ----

std::string FindLocationId(StackContext& stack) {
  std::string id;
  stack.s3control().ListLocations(stack.location_scope(),
                                  [&](AccessGrantsLocation location) {
                                    if (id.empty()) id = location.id;
                                  });
  if (!id.empty()) return id;
  throw Error::Service(
      "ListAccessGrantsLocations", 404, "NoSuchAccessGrantsLocationError",
      fmt::format("the stack has no Access Grants location for {}: run "
                  "`cytoskel {} up` first",
                  stack.location_scope(), stack.settings().name),
      "");
}

// The roster user `name` as IAM has it; nullopt when there is none.
std::optional<LiveUser> ReadUser(StackContext& stack, const std::string& name) {
  std::optional<IamUser> user = stack.iam().GetUser(name);
  if (!user) return std::nullopt;
  LiveUser live;
  live.name = user->name;
  live.arn = user->arn;
  live.tagged = IsManaged(user->tags);
  if (live.tagged) live.access_keys = stack.iam().ListAccessKeys(name).size();
  return live;
}

// The roster's users that IAM has, as the roster spells them (IAM names
// ignore case). One ListUsers instead of a GetUser per roster user.
std::vector<std::string> ExistingRosterUsers(StackContext& stack,
                                             const Roster& roster) {
  std::set<std::string> names;
  stack.iam().ListUsers(
      [&](const IamUser& user) { names.insert(Lower(user.name)); });
  std::vector<std::string> existing;
  for (const RosterUser& user : roster.users) {
    if (names.count(Lower(user.name)) > 0) existing.push_back(user.name);
  }
  return existing;
}

// ---- planning ----

using UserIndex = std::map<std::string, const LiveUser*>;

UserIndex IndexUsers(const std::vector<LiveUser>& users) {
  UserIndex index;
  for (const LiveUser& user : users) index.emplace(Lower(user.name), &user);
  return index;
}

// What the plan is made of while it is built, one list per phase.
struct Draft {
  std::vector<RosterChange> users;
  std::vector<RosterChange> grants_to_create;
  std::vector<RosterChange> grants_to_delete;
  std::vector<RosterChange> offboards;
  std::vector<std::string> unmanaged;
  std::vector<std::string> miscased;
};

RosterChange UserChange(RosterAction action, const std::string& user,
                        std::string note = "") {
  RosterChange change;
  change.action = action;
  change.user = user;
  change.note = std::move(note);
  return change;
}

RosterChange GrantChange(RosterAction action, const std::string& user,
                         const std::string& sub_prefix,
                         const std::string& permission) {
  RosterChange change = UserChange(action, user);
  change.sub_prefix = sub_prefix;
  change.permission = permission;
  return change;
}

// The grants of `user` on the stack's location.
std::vector<const AccessGrant*> GrantsOnLocation(const LiveState& live,
                                                 const LiveUser& user) {
  std::vector<const AccessGrant*> grants;
  for (const AccessGrant& grant : live.grants) {
    if (grant.grantee_type == "IAM" && grant.grantee_identifier == user.arn &&
        grant.location_id == live.location_id) {
      grants.push_back(&grant);
    }
  }
  std::sort(grants.begin(), grants.end(),
            [](const AccessGrant* a, const AccessGrant* b) {
              return std::tie(a->sub_prefix, a->permission, a->id) <
                     std::tie(b->sub_prefix, b->permission, b->id);
            });
  return grants;
}

// Makes the user's grants on the location exactly the roster's.
void PlanGrants(const RosterUser& wanted, const LiveUser& user,
                const LiveState& live, Draft& draft, RosterPlan& plan) {
  std::set<std::string> wanted_prefixes(wanted.sub_prefixes.begin(),
                                        wanted.sub_prefixes.end());
  std::set<std::string> kept;
  std::map<std::string, std::string> replaced;  // sub-prefix -> permission
  for (const AccessGrant* grant : GrantsOnLocation(live, user)) {
    bool listed = wanted_prefixes.count(grant->sub_prefix) > 0;
    if (listed && grant->permission == wanted.permission &&
        kept.insert(grant->sub_prefix).second) {
      ++plan.grants_in_sync;
      continue;
    }
    RosterChange change = GrantChange(RosterAction::kDeleteGrant, wanted.name,
                                      grant->sub_prefix, grant->permission);
    change.grant_id = grant->id;
    if (listed && grant->permission != wanted.permission) {
      change.note = "replaced by " + wanted.permission;
      replaced.emplace(grant->sub_prefix, grant->permission);
    } else if (!listed) {
      change.note = "not in the roster";
    } else {
      change.note = "a duplicate";
    }
    draft.grants_to_delete.push_back(std::move(change));
  }
  for (const std::string& sub_prefix : wanted.sub_prefixes) {
    if (kept.count(sub_prefix) > 0) continue;
    RosterChange change = GrantChange(RosterAction::kCreateGrant, wanted.name,
                                      sub_prefix, wanted.permission);
    change.grantee_arn = user.arn;
    if (auto old = replaced.find(sub_prefix); old != replaced.end()) {
      change.note = "replaces " + old->second;
    }
    draft.grants_to_create.push_back(std::move(change));
  }
}

// The change, if any, that makes an existing managed user a complete
// contributor. CreateStackUser hands a key over before the user joins the
// group, so a tagged user outside the group never had its key handed over,
// and a tagged member without a key lost it half way.
void PlanExistingUser(const RosterUser& wanted, const LiveUser& user,
                      const LiveState& live, Draft& draft, RosterPlan& plan) {
  if (user.tagged && !user.in_group) {
    std::string note = fmt::format(
        "outside group {} (an earlier run stopped half way): gets a key",
        live.group);
    if (user.access_keys > 0) {
      note += fmt::format(" in place of its {} (never handed over)",
                          user.access_keys);
    }
    draft.users.push_back(
        UserChange(RosterAction::kCompleteUser, user.name, note));
    draft.users.back().sub_prefixes = wanted.sub_prefixes;
  } else if (user.tagged && user.access_keys == 0) {
    draft.users.push_back(
        UserChange(RosterAction::kCompleteUser, user.name,
                   "has no access key (an earlier run stopped half way): "
                   "gets one"));
    draft.users.back().sub_prefixes = wanted.sub_prefixes;
  } else {
    ++plan.users_in_sync;
  }
}

void PlanRosterUser(const RosterUser& wanted, const UserIndex& index,
                    const LiveState& live, Draft& draft, RosterPlan& plan) {
  auto found = index.find(Lower(wanted.name));
  if (found == index.end()) {
    draft.users.push_back(UserChange(RosterAction::kCreateUser, wanted.name));
    draft.users.back().sub_prefixes = wanted.sub_prefixes;
    for (const std::string& sub_prefix : wanted.sub_prefixes) {
      draft.grants_to_create.push_back(GrantChange(RosterAction::kCreateGrant,
                                                   wanted.name, sub_prefix,
                                                   wanted.permission));
    }
    return;
  }
  const LiveUser& user = *found->second;
  if (user.name != wanted.name) {
    draft.miscased.push_back(
        fmt::format("roster user {} is IAM user {}", wanted.name, user.name));
    return;
  }
  if (!user.in_group && !user.tagged) {
    draft.unmanaged.push_back(wanted.name);
    return;
  }
  PlanExistingUser(wanted, user, live, draft, plan);
  PlanGrants(wanted, user, live, draft, plan);
}

size_t CountGrantsOf(const LiveState& live, const std::string& arn) {
  return static_cast<size_t>(std::count_if(
      live.grants.begin(), live.grants.end(), [&](const AccessGrant& grant) {
        return grant.grantee_type == "IAM" && grant.grantee_identifier == arn;
      }));
}

// Group members the roster does not list: offboarded or kept.
void PlanUnlisted(const Roster& roster, const LiveState& live,
                  const PlanOptions& options, Draft& draft, RosterPlan& plan) {
  std::set<std::string> listed;
  for (const RosterUser& user : roster.users) listed.insert(Lower(user.name));
  for (const LiveUser& user : live.users) {
    if (!user.in_group || listed.count(Lower(user.name)) > 0) continue;
    if (!options.prune) {
      plan.unlisted.push_back(user.name);
      continue;
    }
    draft.offboards.push_back(UserChange(
        RosterAction::kOffboardUser, user.name,
        fmt::format("not in the roster: offboarded with its {} grant(s) "
                    "and keys",
                    CountGrantsOf(live, user.arn))));
  }
  std::sort(plan.unlisted.begin(), plan.unlisted.end());
  std::sort(draft.offboards.begin(), draft.offboards.end(),
            [](const RosterChange& a, const RosterChange& b) {
              return a.user < b.user;
            });
}

void RefuseUnmanaged(const Draft& draft, const LiveState& live) {
  std::vector<std::string> reasons;
  if (!draft.unmanaged.empty()) {
    reasons.push_back(fmt::format(
        "{} already exist(s) in IAM but cytoskel does not manage them (not "
        "in group {}, no tag {}={}): remove them from the roster, or adopt "
        "them by adding them to group {}",
        Join(draft.unmanaged), live.group, kManagedTag.key, kManagedTag.value,
        live.group));
  }
  if (!draft.miscased.empty()) {
    reasons.push_back(
        fmt::format("{}: IAM user names ignore case, so write "
                    "each name as IAM spells it",
                    Join(draft.miscased)));
  }
  if (reasons.empty()) return;
  throw UsageError(
      fmt::format("{}; nothing was changed", fmt::join(reasons, "; ")));
}

}  // namespace

LiveState ReadLiveState(StackContext& stack, const Roster& roster,
                        size_t workers) {
  LiveState live;
  live.group = stack.settings().group;
  for (const IamUser& member : ListStackUsers(stack)) {
    LiveUser user;
    user.name = member.name;
    user.arn = member.arn;
    user.in_group = true;
    live.users.push_back(std::move(user));
  }
  // Also makes stack.s3control() before the threads share it.
  live.location_id = FindLocationId(stack);
  live.grants = ListStackGrants(stack);

  std::vector<std::string> existing = ExistingRosterUsers(stack, roster);
  std::vector<std::optional<LiveUser>> found(existing.size());
  ForEachParallel(found.size(), workers,
                  [&](size_t i) { found[i] = ReadUser(stack, existing[i]); });

  std::map<std::string, size_t> position;
  for (size_t i = 0; i < live.users.size(); ++i) {
    position.emplace(Lower(live.users[i].name), i);
  }
  for (std::optional<LiveUser>& user : found) {
    if (!user) continue;
    auto known = position.find(Lower(user->name));
    if (known == position.end()) {
      live.users.push_back(std::move(*user));
      continue;
    }
    user->in_group = true;
    live.users[known->second] = std::move(*user);
  }
  return live;
}

Change ChangeOf(RosterAction action) {
  switch (action) {
    case RosterAction::kCreateUser:
    case RosterAction::kCreateGrant:
      return Change::kCreate;
    case RosterAction::kCompleteUser:
      return Change::kUpdate;
    case RosterAction::kDeleteGrant:
    case RosterAction::kOffboardUser:
      return Change::kDelete;
  }
  return Change::kUnchanged;
}

const char* KindOf(RosterAction action) {
  bool grant = action == RosterAction::kCreateGrant ||
               action == RosterAction::kDeleteGrant;
  return grant ? "grant" : "user";
}

std::string SubjectOf(const RosterChange& change) {
  if (std::string_view(KindOf(change.action)) == "user") return change.user;
  return fmt::format("{} {} {}", change.user, change.sub_prefix,
                     change.permission);
}

std::vector<std::string> RosterPlan::UsersGettingKeys() const {
  std::vector<std::string> users;
  for (const RosterChange& change : changes) {
    if (change.action == RosterAction::kCreateUser ||
        change.action == RosterAction::kCompleteUser) {
      users.push_back(change.user);
    }
  }
  return users;
}

RosterPlan PlanRoster(const Roster& roster, const LiveState& live,
                      const PlanOptions& options) {
  RosterPlan plan;
  plan.location_id = live.location_id;
  Draft draft;
  UserIndex index = IndexUsers(live.users);
  for (const RosterUser& wanted : roster.users) {
    PlanRosterUser(wanted, index, live, draft, plan);
  }
  RefuseUnmanaged(draft, live);
  PlanUnlisted(roster, live, options, draft, plan);

  for (auto* phase : {&draft.users, &draft.grants_to_create,
                      &draft.grants_to_delete, &draft.offboards}) {
    plan.changes.insert(plan.changes.end(), phase->begin(), phase->end());
  }
  return plan;
}

}  // namespace cytoskel
