#include "stack/key_rotation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../scratch_dir.h"
#include "aws/error.h"
#include "fake_aws.h"

namespace cytoskel {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

AccessKeyInfo KeyInfo(const std::string& id, const std::string& status,
                      const std::string& created = "2024-05-01T12:00:00Z") {
  return {"alice", id, status, created};
}

std::vector<std::string> Ids(const std::vector<AccessKeyInfo>& keys) {
  std::vector<std::string> ids;
  for (const AccessKeyInfo& key : keys) ids.push_back(key.access_key_id);
  return ids;
}

// ---- deciding ----

TEST(DecideKeyRotationTest, MakesRoomWithinTheTwoKeyLimit) {
  struct Case {
    const char* name;
    std::vector<AccessKeyInfo> keys;
    std::vector<std::string> delete_first;
    std::vector<std::string> retire;
  };
  const std::vector<Case> cases = {
      {"no key: the new one is the only one", {}, {}, {}},
      {"one active key is replaced", {KeyInfo("A", "Active")}, {}, {"A"}},
      {"one inactive key is replaced", {KeyInfo("A", "Inactive")}, {}, {"A"}},
      {"active and inactive: the inactive one makes room",
       {KeyInfo("A", "Active"), KeyInfo("B", "Inactive")},
       {"B"},
       {"A"}},
      {"inactive listed first",
       {KeyInfo("B", "Inactive"), KeyInfo("A", "Active")},
       {"B"},
       {"A"}},
      {"two inactive: the older makes room",
       {KeyInfo("NEWER", "Inactive", "2024-05-02T00:00:00Z"),
        KeyInfo("OLDER", "Inactive", "2024-01-01T00:00:00Z")},
       {"OLDER"},
       {"NEWER"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    KeyDecision decision = DecideKeyRotation("alice", c.keys);
    EXPECT_THAT(Ids(decision.delete_first), ElementsAreArray(c.delete_first));
    EXPECT_THAT(Ids(decision.retire), ElementsAreArray(c.retire));
  }
}

TEST(DecideKeyRotationTest, RefusesTwoActiveKeysNamingBoth) {
  try {
    DecideKeyRotation("alice",
                      {KeyInfo("A", "Active"), KeyInfo("B", "Active")});
    ADD_FAILURE() << "accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kUsage);
    EXPECT_EQ(error.message(),
              "user alice has two active access keys (A, B) and IAM allows "
              "no third: make the one no longer in use inactive (aws iam "
              "update-access-key --user-name alice --access-key-id ID "
              "--status Inactive), then run rotate-key again");
  }
}

// ---- applying ----

std::string NewKeyReply(const std::string& id) {
  return IamReply("CreateAccessKey",
                  "<AccessKey><UserName>alice</UserName><AccessKeyId>" + id +
                      "</AccessKeyId><Status>Active</Status>"
                      "<SecretAccessKey>secret-of-" +
                      id +
                      "</SecretAccessKey><CreateDate>2024-05-01T12:00:00Z"
                      "</CreateDate></AccessKey>");
}

KeyRotationPlan Plan(const std::string& file,
                     std::vector<AccessKeyInfo> delete_first,
                     std::vector<AccessKeyInfo> retire,
                     bool deactivate_only = false) {
  KeyRotationPlan plan;
  plan.request.name = "alice";
  plan.request.credentials_file = file;
  plan.request.deactivate_only = deactivate_only;
  plan.user.name = "alice";
  plan.keys.delete_first = std::move(delete_first);
  plan.keys.retire = std::move(retire);
  plan.folders = {"s3://staging-cellpainting-gallery/cpg0001/*"};
  return plan;
}

TEST(ApplyKeyRotationTest, SavesTheNewKeyBeforeDeletingTheOld) {
  ScratchDir dir;
  std::string file = dir.File("alice.credentials");
  FakeAws aws;
  aws.Reply("CreateAccessKey", 200, NewKeyReply("AKIANEW"));
  std::string file_when_deleting;
  aws.OnCall("DeleteAccessKey", [&] { file_when_deleting = ReadFile(file); });
  aws.Reply("DeleteAccessKey", 200, EmptyIamReply("DeleteAccessKey"));
  StackContext stack(aws.session(), StackSettings{});
  std::vector<std::string> done;

  KeyRotationResult result =
      ApplyKeyRotation(stack, Plan(file, {}, {KeyInfo("AKIAOLD", "Active")}),
                       [&](const PlannedStep& step) {
                         done.push_back(step.action + " " + step.name);
                       });

  EXPECT_THAT(aws.operations(),
              ElementsAre("CreateAccessKey", "DeleteAccessKey"));
  EXPECT_EQ(FormValue(aws.RequestsOf("DeleteAccessKey")[0].body, "AccessKeyId"),
            "AKIAOLD");
  EXPECT_THAT(file_when_deleting,
              HasSubstr("[alice]\naws_access_key_id = AKIANEW\n"
                        "aws_secret_access_key = secret-of-AKIANEW\n"));
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(result.new_access_key_id, "AKIANEW");
  EXPECT_THAT(result.deleted_access_key_ids, ElementsAre("AKIAOLD"));
  EXPECT_THAT(result.deactivated_access_key_ids, IsEmpty());
  EXPECT_FALSE(result.file_replaced);
  EXPECT_THAT(
      done, ElementsAre("create AKIANEW written to " + file, "delete AKIAOLD"));
}

TEST(ApplyKeyRotationTest, DeletesTheInactiveKeyFirstAndCanOnlyDeactivate) {
  ScratchDir dir;
  std::string file = dir.File("alice.credentials");
  std::ofstream(file) << "old content";
  FakeAws aws;
  aws.Reply("DeleteAccessKey", 200, EmptyIamReply("DeleteAccessKey"));
  aws.Reply("CreateAccessKey", 200, NewKeyReply("AKIANEW"));
  aws.Reply("UpdateAccessKey", 200, EmptyIamReply("UpdateAccessKey"));
  StackContext stack(aws.session(), StackSettings{});

  KeyRotationResult result = ApplyKeyRotation(
      stack, Plan(file, {KeyInfo("AKIAIDLE", "Inactive")},
                  {KeyInfo("AKIAOLD", "Active")}, /*deactivate_only=*/true));

  EXPECT_THAT(
      aws.operations(),
      ElementsAre("DeleteAccessKey", "CreateAccessKey", "UpdateAccessKey"));
  HttpRequest update = aws.RequestsOf("UpdateAccessKey")[0];
  EXPECT_EQ(FormValue(update.body, "AccessKeyId"), "AKIAOLD");
  EXPECT_EQ(FormValue(update.body, "Status"), "Inactive");
  EXPECT_THAT(result.deleted_access_key_ids, ElementsAre("AKIAIDLE"));
  EXPECT_THAT(result.deactivated_access_key_ids, ElementsAre("AKIAOLD"));
  EXPECT_TRUE(result.file_replaced);
  EXPECT_THAT(ReadFile(file), HasSubstr("aws_access_key_id = AKIANEW"));
}

TEST(ApplyKeyRotationTest, AFailedWriteDeletesTheNewKeyAndKeepsTheOld) {
  ScratchDir dir;
  std::string file = dir.File("missing-dir/alice.credentials");
  FakeAws aws;
  aws.Reply("CreateAccessKey", 200, NewKeyReply("AKIANEW"));
  aws.Reply("DeleteAccessKey", 200, EmptyIamReply("DeleteAccessKey"));
  StackContext stack(aws.session(), StackSettings{});

  try {
    ApplyKeyRotation(stack, Plan(file, {}, {KeyInfo("AKIAOLD", "Active")}));
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_THAT(error.message(),
                HasSubstr("the new access key was deleted again; the old key "
                          "is unchanged"));
    EXPECT_THAT(error.message(), Not(HasSubstr("secret-of")));
  }

  EXPECT_THAT(aws.operations(),
              ElementsAre("CreateAccessKey", "DeleteAccessKey"));
  EXPECT_EQ(FormValue(aws.RequestsOf("DeleteAccessKey")[0].body, "AccessKeyId"),
            "AKIANEW");
}

TEST(CheckRotateKeyRequestTest, DefaultsTheFileToNameDotCredentials) {
  RotateKeyRequest request;
  request.name = "alice";
  EXPECT_EQ(CheckRotateKeyRequest(request).credentials_file,
            "alice.credentials");
  request.name = "bad name";
  EXPECT_THROW(CheckRotateKeyRequest(request), Error);
}

}  // namespace
}  // namespace cytoskel
