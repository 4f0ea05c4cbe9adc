#include "stack/roster_apply.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "aws/error.h"
#include "fake_aws.h"
#include "stack/parallel.h"

namespace cytoskel {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// ---- ForEachParallel ----

TEST(ForEachParallelTest, RunsEveryIndexOnceOnSeveralThreads) {
  std::mutex mutex;
  std::multiset<size_t> seen;
  std::set<std::thread::id> threads;
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  ForEachParallel(200, 4, [&](size_t i) {
    int now = ++running;
    int before = most.load();
    while (now > before && !most.compare_exchange_weak(before, now)) {
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    {
      std::lock_guard lock(mutex);
      seen.insert(i);
      threads.insert(std::this_thread::get_id());
    }
    --running;
  });
  ASSERT_EQ(seen.size(), 200u);
  for (size_t i = 0; i < 200; ++i) EXPECT_EQ(seen.count(i), 1u) << i;
  EXPECT_LE(most.load(), 4);
  EXPECT_LE(threads.size(), 4u);
}

TEST(ForEachParallelTest, OneWorkerRunsInOrderOnTheCallingThread) {
  std::vector<size_t> order;
  std::thread::id caller = std::this_thread::get_id();
  ForEachParallel(5, 1, [&](size_t i) {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    order.push_back(i);
  });
  EXPECT_THAT(order, ElementsAre(0, 1, 2, 3, 4));
  ForEachParallel(0, 8, [](size_t) { ADD_FAILURE() << "called"; });
}

TEST(ForEachParallelTest, AFailureStopsNewTasksAndIsRethrown) {
  std::atomic<size_t> calls{0};
  try {
    ForEachParallel(1000, 1, [&](size_t i) {
      ++calls;
      if (i == 3) throw std::runtime_error("task 3 failed");
    });
    ADD_FAILURE() << "nothing thrown";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "task 3 failed");
  }
  EXPECT_EQ(calls.load(), 4u);
  EXPECT_THROW(ForEachParallel(
                   100, 4, [](size_t) { throw Error(ErrorKind::kUsage, "x"); }),
               Error);
}

// ---- ReadLiveState ----

// Only roster users that IAM lists are read one by one; a new one costs no
// call of its own.
TEST(ReadLiveStateTest, ReadsOnlyTheRosterUsersThatExist) {
  FakeAws aws;
  aws.Reply("GetGroup", 200, GroupReply({"alice"}));
  aws.Reply("GET /v20180820/accessgrantsinstance/locations", 200,
            "<ListAccessGrantsLocationsResult><AccessGrantsLocationsList>"
            "<AccessGrantsLocationsListEntry><AccessGrantsLocationId>loc-1"
            "</AccessGrantsLocationId><LocationScope>s3://staging-"
            "cellpainting-gallery/</LocationScope>"
            "</AccessGrantsLocationsListEntry></AccessGrantsLocationsList>"
            "</ListAccessGrantsLocationsResult>");
  aws.Reply("ListAccessGrants", 200,
            "<ListAccessGrantsResult><AccessGrantsList/>"
            "</ListAccessGrantsResult>");
  aws.Reply(
      "ListUsers", 200,
      IamReply("ListUsers", "<Users><member>" + UserXml("alice", false) +
                                "</member><member>" + UserXml("Bob", false) +
                                "</member><member>" + UserXml("zed", false) +
                                "</member></Users><IsTruncated>false"
                                "</IsTruncated>"));
  for (const char* name : {"alice", "Bob"}) {
    aws.Reply("GetUser", 200,
              IamReply("GetUser", "<User>" + UserXml(name, true) + "</User>"));
  }
  aws.Always("ListAccessKeys", 200, EmptyIamReply("ListAccessKeys"));
  StackContext stack(aws.session(), StackSettings{});
  Roster roster;
  for (const char* name : {"alice", "bob", "carol"}) {
    RosterUser user;
    user.name = name;
    roster.users.push_back(user);
  }

  LiveState live = ReadLiveState(stack, roster, 1);

  EXPECT_EQ(live.location_id, "loc-1");
  std::vector<std::string> asked;
  for (const HttpRequest& request : aws.RequestsOf("GetUser")) {
    asked.push_back(*FormValue(request.body, "UserName"));
  }
  // bob is IAM's Bob (names ignore case); carol is new; zed is not listed.
  EXPECT_THAT(asked, ElementsAre("alice", "bob"));
  EXPECT_EQ(aws.RequestsOf("ListUsers").size(), 1u);
}

// ---- ApplyRosterPlan (one worker: FakeAws answers one call at a time) ----

RosterChange Change(RosterAction action, const std::string& user,
                    const std::string& sub_prefix = "",
                    const std::string& grant_id = "") {
  RosterChange change;
  change.action = action;
  change.user = user;
  change.sub_prefix = sub_prefix;
  change.permission = sub_prefix.empty() ? "" : "READWRITE";
  change.grant_id = grant_id;
  return change;
}

TEST(ApplyRosterPlanTest, FinishesWhatCanFinishAndReportsEachFailure) {
  FakeAws aws;
  aws.Reply("CreateUser", 409, ErrorReply("LimitExceeded", "too many users"));
  aws.Reply("DeleteAccessGrant", 404, ErrorReply("NoSuchAccessGrantError"));
  aws.Reply("GetUser", 404, ErrorReply("NoSuchEntity"));
  StackContext stack(aws.session(), StackSettings{});

  RosterPlan plan;
  plan.location_id = "loc-1";
  plan.changes = {Change(RosterAction::kCreateUser, "newbie"),
                  Change(RosterAction::kCreateGrant, "newbie", "n/*"),
                  Change(RosterAction::kDeleteGrant, "other", "o/*", "g1"),
                  Change(RosterAction::kOffboardUser, "gone")};
  RosterApplyOptions options;
  options.credentials_dir = ::testing::TempDir();
  options.workers = 1;
  std::vector<std::string> calls;
  std::vector<ChangeOutcome> outcomes = ApplyRosterPlan(
      stack, plan, options,
      [&](size_t index, const ChangeOutcome&, size_t finished, size_t total) {
        calls.push_back(std::to_string(index) + ":" + std::to_string(finished) +
                        "/" + std::to_string(total));
      });

  ASSERT_EQ(outcomes.size(), 4u);
  EXPECT_EQ(outcomes[0].status, ChangeStatus::kFailed);
  ASSERT_TRUE(outcomes[0].error.has_value());
  EXPECT_EQ(outcomes[0].error->code(), "LimitExceeded");
  EXPECT_EQ(outcomes[1].status, ChangeStatus::kSkipped);
  EXPECT_EQ(outcomes[1].note, "user newbie could not be created");
  EXPECT_EQ(outcomes[2].status, ChangeStatus::kDone);
  EXPECT_EQ(outcomes[2].note, "was gone already");
  EXPECT_EQ(outcomes[3].status, ChangeStatus::kDone);
  EXPECT_EQ(outcomes[3].note, "was gone already");
  EXPECT_THAT(calls, ElementsAre("0:1/4", "1:2/4", "2:3/4", "3:4/4"));
  EXPECT_THAT(aws.operations(),
              ElementsAre("CreateUser", "DeleteAccessGrant", "GetUser"));
}

// What a new user and its grant cost: the four writes, nothing read again
// that the plan read already. The grant goes to the ARN CreateUser gave.
TEST(ApplyRosterPlanTest, ANewUserCostsOnlyItsWrites) {
  const std::string arn = "arn:aws:iam::123456789012:user/lab/newbie";
  FakeAws aws;
  aws.Reply("CreateUser", 200,
            IamReply("CreateUser",
                     "<User>" + UserXml("newbie", true, "/lab/") + "</User>"));
  aws.Reply("CreateAccessKey", 200,
            IamReply("CreateAccessKey",
                     "<AccessKey><UserName>newbie</UserName><AccessKeyId>"
                     "AKIANEW</AccessKeyId><Status>Active</Status>"
                     "<SecretAccessKey>s</SecretAccessKey></AccessKey>"));
  aws.Reply("AddUserToGroup", 200, EmptyIamReply("AddUserToGroup"));
  aws.Reply("CreateAccessGrant", 200,
            "<CreateAccessGrantResult><AccessGrantId>g1</AccessGrantId>"
            "<Grantee><GranteeType>IAM</GranteeType><GranteeIdentifier>" +
                arn +
                "</GranteeIdentifier></Grantee><Permission>READWRITE"
                "</Permission><AccessGrantsLocationId>loc-1"
                "</AccessGrantsLocationId></CreateAccessGrantResult>");
  StackContext stack(aws.session(), StackSettings{});
  RosterPlan plan;
  plan.location_id = "loc-1";
  plan.changes = {Change(RosterAction::kCreateUser, "newbie"),
                  Change(RosterAction::kCreateGrant, "newbie", "n/*")};
  RosterApplyOptions options;
  options.credentials_dir = ::testing::TempDir();
  options.workers = 1;

  std::vector<ChangeOutcome> outcomes = ApplyRosterPlan(stack, plan, options);

  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[0].status, ChangeStatus::kDone);
  EXPECT_EQ(outcomes[1].status, ChangeStatus::kDone);
  EXPECT_EQ(outcomes[1].grant_id, "g1");
  EXPECT_THAT(aws.operations(),
              ElementsAre("CreateUser", "CreateAccessKey", "AddUserToGroup",
                          "CreateAccessGrant"));
  std::string body = aws.RequestsOf("CreateAccessGrant").at(0).body;
  EXPECT_THAT(body, HasSubstr("<GranteeIdentifier>" + arn));
  EXPECT_THAT(body, HasSubstr("<S3SubPrefix>n/*</S3SubPrefix>"));
  EXPECT_THAT(body, HasSubstr("<AccessGrantsLocationId>loc-1<"));
  std::remove(CredentialsFileFor(::testing::TempDir(), "newbie").c_str());
}

TEST(ApplyRosterPlanTest, ANewKeyNeedsACredentialsDirectory) {
  FakeAws aws;
  StackContext stack(aws.session(), StackSettings{});
  RosterPlan plan;
  plan.changes = {Change(RosterAction::kCreateUser, "alice"),
                  Change(RosterAction::kCompleteUser, "bob")};
  try {
    ApplyRosterPlan(stack, plan, {});
    ADD_FAILURE() << "accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kUsage);
    EXPECT_THAT(error.message(),
                HasSubstr("alice, bob will get a new access key: pass "
                          "--credentials-dir DIR"));
  }
  EXPECT_TRUE(aws.operations().empty());
  EXPECT_EQ(CredentialsFileFor("keys", "alice"), "keys/alice.credentials");
  EXPECT_EQ(CredentialsFileFor("keys/", "alice"), "keys/alice.credentials");
}

}  // namespace
}  // namespace cytoskel
