#include "stack/roster_apply.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
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

// ---- ApplyRosterPlan (one worker: FakeAws answers one call at a time) ----

constexpr char kGroup[] = "staging_cpg_uploaders";

std::string GroupReply() {
  return IamReply("GetGroup",
                  std::string("<Group><Path>/</Path><GroupName>") + kGroup +
                      "</GroupName><GroupId>AGPA1</GroupId><Arn>"
                      "arn:aws:iam::123456789012:group/" +
                      kGroup +
                      "</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate>"
                      "</Group><Users></Users><IsTruncated>false"
                      "</IsTruncated>");
}

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
  aws.Reply("GetGroup", 200, GroupReply());
  aws.Reply("GetUser", 404, ErrorReply("NoSuchEntity"));
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
  EXPECT_THAT(aws.operations(), ElementsAre("GetGroup", "GetUser", "CreateUser",
                                            "DeleteAccessGrant", "GetUser"));
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
