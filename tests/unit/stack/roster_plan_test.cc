#include "stack/roster_plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aws/error.h"
#include "stack/roster.h"

namespace cytoskel {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kLocation[] = "loc-1";
constexpr char kArn[] = "arn:aws:iam::123456789012:user/";

// A compact way to write the expected plan: one line per change, as
// "create user alice", "delete grant bob b/* READ [g2] (note)".
std::vector<std::string> Lines(const RosterPlan& plan) {
  std::vector<std::string> lines;
  for (const RosterChange& change : plan.changes) {
    std::string line = std::string(ChangeName(ChangeOf(change.action))) + " " +
                       KindOf(change.action) + " " + SubjectOf(change);
    if (!change.grant_id.empty()) line += " [" + change.grant_id + "]";
    if (!change.note.empty()) line += " (" + change.note + ")";
    lines.push_back(line);
  }
  return lines;
}

LiveUser Member(const std::string& name, bool tagged = true, size_t keys = 1) {
  LiveUser user;
  user.name = name;
  user.arn = kArn + name;
  user.in_group = true;
  user.tagged = tagged;
  user.access_keys = keys;
  return user;
}

LiveUser Outsider(const std::string& name, bool tagged, size_t keys = 1) {
  LiveUser user = Member(name, tagged, keys);
  user.in_group = false;
  return user;
}

AccessGrant Grant(const std::string& id, const std::string& user,
                  const std::string& sub_prefix,
                  const std::string& permission = "READWRITE",
                  const std::string& location = kLocation) {
  AccessGrant grant;
  grant.id = id;
  grant.grantee_type = "IAM";
  grant.grantee_identifier = kArn + user;
  grant.sub_prefix = sub_prefix;
  grant.permission = permission;
  grant.location_id = location;
  return grant;
}

LiveState Live(std::vector<LiveUser> users, std::vector<AccessGrant> grants) {
  LiveState live;
  live.group = "uploaders";
  live.location_id = kLocation;
  live.users = std::move(users);
  live.grants = std::move(grants);
  return live;
}

Roster Team() {
  return ParseRoster(
      "[users.alice]\nprefixes = [\"a1/\", \"a2/\"]\n"
      "[users.bob]\nprefixes = [\"b/\"]\npermission = \"READ\"\n",
      "team.toml");
}

TEST(RosterPlanTest, CreatesEverythingOnAnEmptyAccount) {
  RosterPlan plan = PlanRoster(Team(), Live({}, {}), {});
  EXPECT_THAT(Lines(plan), ElementsAre("create user alice", "create user bob",
                                       "create grant alice a1/* READWRITE",
                                       "create grant alice a2/* READWRITE",
                                       "create grant bob b/* READ"));
  EXPECT_EQ(plan.location_id, kLocation);
  EXPECT_THAT(plan.UsersGettingKeys(), ElementsAre("alice", "bob"));
  EXPECT_EQ(plan.users_in_sync, 0u);
  EXPECT_EQ(plan.grants_in_sync, 0u);
}

TEST(RosterPlanTest, AConvergedAccountNeedsNoChange) {
  LiveState live =
      Live({Member("alice"), Member("bob")},
           {Grant("g1", "alice", "a1/*"), Grant("g2", "alice", "a2/*"),
            Grant("g3", "bob", "b/*", "READ")});
  RosterPlan plan = PlanRoster(Team(), live, {});
  EXPECT_THAT(plan.changes, IsEmpty());
  EXPECT_THAT(plan.unlisted, IsEmpty());
  EXPECT_EQ(plan.users_in_sync, 2u);
  EXPECT_EQ(plan.grants_in_sync, 3u);
}

TEST(RosterPlanTest, GrantsConvergeExactly) {
  LiveState live =
      Live({Member("alice"), Member("bob")},
           {Grant("g1", "alice", "a1/*"),
            Grant("g9", "alice", "old/*"),           // no longer listed
            Grant("g8", "alice", "a2*"),             // not the folder form
            Grant("g3", "bob", "b/*", "READWRITE"),  // permission changed
            Grant("g7", "alice", "x/*", "READ", "loc-2"),  // another location
            Grant("g6", "carol", "a1/*")});                // another grantee
  RosterPlan plan = PlanRoster(Team(), live, {});
  EXPECT_THAT(Lines(plan),
              ElementsAre("create grant alice a2/* READWRITE",
                          "create grant bob b/* READ (replaces READWRITE)",
                          "delete grant alice a2* READWRITE [g8] (not in the "
                          "roster)",
                          "delete grant alice old/* READWRITE [g9] (not in "
                          "the roster)",
                          "delete grant bob b/* READWRITE [g3] (replaced by "
                          "READ)"));
  EXPECT_EQ(plan.grants_in_sync, 1u);
  EXPECT_THAT(plan.UsersGettingKeys(), IsEmpty());
}

TEST(RosterPlanTest, ExistingUsersGetOnlyWhatIsMissing) {
  Roster roster = ParseRoster(
      "[users.keyless]\nprefixes = [\"k/\"]\n"
      "[users.outside]\nprefixes = [\"o/\"]\n"
      "[users.stray]\nprefixes = [\"s/\"]\n"
      "[users.legacy]\nprefixes = [\"l/\"]\n"
      "[users.working]\nprefixes = [\"w/\"]\n",
      "team.toml");
  LiveState live =
      Live({Member("keyless", true, 0), Outsider("outside", true, 2),
            Outsider("stray", true, 0),
            Member("legacy", /*tagged=*/false, /*keys=*/0),
            Member("working", true, 2)},
           {Grant("g1", "keyless", "k/*"), Grant("g2", "outside", "o/*"),
            Grant("g3", "legacy", "l/*"), Grant("g4", "stray", "s/*"),
            Grant("g5", "working", "w/*")});
  RosterPlan plan = PlanRoster(roster, live, {});
  EXPECT_THAT(Lines(plan),
              ElementsAre("update user keyless (has no access key (an "
                          "earlier run stopped half way): gets one)",
                          "update user outside (outside group uploaders (an "
                          "earlier run stopped half way): gets a key in "
                          "place of its 2 (never handed over))",
                          "update user stray (outside group uploaders (an "
                          "earlier run stopped half way): gets a key)"));
  EXPECT_THAT(plan.UsersGettingKeys(),
              ElementsAre("keyless", "outside", "stray"));
  EXPECT_EQ(plan.users_in_sync, 2u);
  EXPECT_EQ(plan.grants_in_sync, 5u);
}

TEST(RosterPlanTest, UnlistedMembersAreKeptUnlessPruned) {
  LiveState live =
      Live({Member("zoe"), Member("alice"), Member("bob"),
            Member("carol", /*tagged=*/false)},
           {Grant("g1", "alice", "a1/*"), Grant("g2", "alice", "a2/*"),
            Grant("g3", "bob", "b/*", "READ"), Grant("g4", "carol", "c/*"),
            Grant("g5", "carol", "d/*", "READ", "loc-2")});
  RosterPlan kept = PlanRoster(Team(), live, {});
  EXPECT_THAT(kept.changes, IsEmpty());
  EXPECT_THAT(kept.unlisted, ElementsAre("carol", "zoe"));

  RosterPlan pruned = PlanRoster(Team(), live, {.prune = true});
  EXPECT_THAT(Lines(pruned),
              ElementsAre("delete user carol (not in the roster: offboarded "
                          "with its 2 grant(s) and keys)",
                          "delete user zoe (not in the roster: offboarded "
                          "with its 0 grant(s) and keys)"));
  EXPECT_THAT(pruned.unlisted, IsEmpty());
}

TEST(RosterPlanTest, NamesMatchWithoutRegardToCase) {
  // "ALICE" in the group is the roster's "alice" to IAM: never pruned, and
  // refused until the roster spells it as IAM does.
  LiveState live = Live({Member("ALICE"), Member("bob")}, {});
  try {
    PlanRoster(Team(), live, {.prune = true});
    ADD_FAILURE() << "accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kUsage);
    EXPECT_EQ(std::string(error.what()),
              "roster user alice is IAM user ALICE: IAM user names ignore "
              "case, so write each name as IAM spells it; nothing was "
              "changed");
  }
}

TEST(RosterPlanTest, RefusesUsersItDoesNotManage) {
  LiveState live = Live({Outsider("alice", false), Outsider("bob", false)},
                        {Grant("g1", "alice", "a1/*")});
  try {
    PlanRoster(Team(), live, {});
    ADD_FAILURE() << "accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kUsage);
    EXPECT_EQ(std::string(error.what()),
              "alice, bob already exist(s) in IAM but cytoskel does not "
              "manage them (not in group uploaders, no tag "
              "managed-by=cytoskel): remove them from the roster, or adopt "
              "them by adding them to group uploaders; nothing was changed");
  }
}

TEST(RosterPlanTest, AnEmptyRosterPrunesEveryMember) {
  Roster nobody = ParseRoster("[users]\n", "team.toml");
  LiveState live = Live({Member("alice")}, {});
  EXPECT_THAT(PlanRoster(nobody, live, {}).unlisted, ElementsAre("alice"));
  EXPECT_THAT(Lines(PlanRoster(nobody, live, {.prune = true})),
              ElementsAre("delete user alice (not in the roster: "
                          "offboarded with its 0 grant(s) and keys)"));
}

}  // namespace
}  // namespace cytoskel
