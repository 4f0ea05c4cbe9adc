#include "stack/onboarding.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "aws/error.h"
#include "fake_aws.h"

namespace cytoskel {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kAliceArn[] = "arn:aws:iam::123456789012:user/alice";
constexpr char kScope[] = "s3://staging-cellpainting-gallery/";
constexpr char kLocationsOperation[] =
    "GET /v20180820/accessgrantsinstance/locations";

OnboardRequest Request(std::vector<std::string> prefixes,
                       std::string permission = "READWRITE",
                       std::string name = "alice") {
  OnboardRequest request;
  request.name = std::move(name);
  request.prefixes = std::move(prefixes);
  request.permission = std::move(permission);
  return request;
}

// ---- checking input ----

TEST(CheckOnboardRequestTest, NormalizesPrefixesAndDefaultsTheFile) {
  CheckedOnboardRequest checked = CheckOnboardRequest(
      Request({"cpg0001-a", "cpg0001-a/*", "cpg0002-b/"}, "write"));

  EXPECT_EQ(checked.name, "alice");
  EXPECT_THAT(checked.sub_prefixes, ElementsAre("cpg0001-a/*", "cpg0002-b/*"));
  EXPECT_EQ(checked.permission, "WRITE");
  EXPECT_EQ(checked.credentials_file, "alice.credentials");
}

TEST(CheckOnboardRequestTest, RefusesEachBadPartBeforeAnyCall) {
  struct Case {
    OnboardRequest request;
    std::string fragment;
  };
  OnboardRequest bad_file = Request({"cpg0001-a"});
  bad_file.credentials_file = "/nonexistent-dir/alice.credentials";
  const std::vector<Case> cases = {
      {Request({}), "onboard needs at least one --prefix"},
      {Request({"cpg0001*"}), "cpg0001*"},
      {Request({"*"}), "*"},
      {Request({"cpg0001-a"}, "ADMIN"), "ADMIN"},
      {Request({"cpg0001-a"}, "READ", "bad name"), "bad name"},
      {bad_file, "/nonexistent-dir"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.fragment);
    try {
      CheckOnboardRequest(c.request);
      ADD_FAILURE() << "accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kUsage);
      EXPECT_THAT(error.message(), HasSubstr(c.fragment));
    }
  }
}

// ---- the file handed over ----

TEST(ContributorCredentialsFileTest, HoldsTheProfileAndTheUploadProfile) {
  NewAccessKey key{"alice", "AKIANEW", "Active", "", "s3cr3t"};
  std::string text = ContributorCredentialsFile(
      "alice", key, "us-east-1", {std::string(kScope) + "cpg0001-a/*"});

  EXPECT_THAT(text, HasSubstr("#   [profile alice]\n#   region = us-east-1\n"));
  EXPECT_THAT(text,
              HasSubstr("#   [profile cpg-upload]\n#   region = us-east-1\n"
                        "#   credential_process = cytoskel --profile alice "
                        "credentials --format process\n"));
  EXPECT_THAT(text,
              HasSubstr("#   s3://staging-cellpainting-gallery/cpg0001-a/*"
                        "\n"));
  EXPECT_TRUE(text.ends_with(
      "\n[alice]\naws_access_key_id = AKIANEW\naws_secret_access_key = "
      "s3cr3t\n"));
  // Everything before the profile is a comment or blank.
  std::string head = text.substr(0, text.rfind("\n[alice]\n"));
  std::istringstream lines(head);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_TRUE(line.empty() || line.starts_with("#")) << line;
  }
}

TEST(ContributorCredentialsFileTest, NamesATargetWhenTheKeyReachesSeveral) {
  NewAccessKey key{"alice", "AKIANEW", "Active", "", "s3cr3t"};
  std::string text = ContributorCredentialsFile(
      "alice", key, "us-east-1",
      {std::string(kScope) + "a/*", std::string(kScope) + "b/*"});

  EXPECT_THAT(text, HasSubstr("--format process --target " +
                              std::string(kScope) + "a/*\n"));
  EXPECT_THAT(text, HasSubstr("change --target to reach another"));
}

// ---- planning and applying ----

std::string LocationsReply() {
  return std::string(
             "<ListAccessGrantsLocationsResult><AccessGrantsLocationsList>"
             "<AccessGrantsLocationsListEntry><AccessGrantsLocationId>loc-1"
             "</AccessGrantsLocationId><LocationScope>") +
         kScope +
         "</LocationScope></AccessGrantsLocationsListEntry>"
         "</AccessGrantsLocationsList></ListAccessGrantsLocationsResult>";
}

std::string GrantFields(const std::string& id, const std::string& sub_prefix) {
  return "<AccessGrantId>" + id + "</AccessGrantId><AccessGrantArn>arn:" + id +
         "</AccessGrantArn><Grantee><GranteeType>IAM</GranteeType>"
         "<GranteeIdentifier>" +
         kAliceArn +
         "</GranteeIdentifier></Grantee><Permission>READWRITE</Permission>"
         "<AccessGrantsLocationId>loc-1</AccessGrantsLocationId>"
         "<AccessGrantsLocationConfiguration><S3SubPrefix>" +
         sub_prefix +
         "</S3SubPrefix></AccessGrantsLocationConfiguration><GrantScope>" +
         kScope + sub_prefix + "</GrantScope>";
}

std::string GrantsReply(const std::vector<std::string>& entries) {
  std::string list;
  for (const auto& entry : entries) {
    list += "<AccessGrantsListEntry>" + entry + "</AccessGrantsListEntry>";
  }
  return "<ListAccessGrantsResult><AccessGrantsList>" + list +
         "</AccessGrantsList></ListAccessGrantsResult>";
}

std::string KeysReply(const std::vector<std::string>& ids) {
  std::string members;
  for (const auto& id : ids) {
    members += "<member><UserName>alice</UserName><AccessKeyId>" + id +
               "</AccessKeyId><Status>Active</Status><CreateDate>"
               "2024-05-01T12:00:00Z</CreateDate></member>";
  }
  return IamReply("ListAccessKeys", "<AccessKeyMetadata>" + members +
                                        "</AccessKeyMetadata><IsTruncated>"
                                        "false</IsTruncated>");
}

std::vector<std::string> Lines(const std::vector<PlannedStep>& steps) {
  std::vector<std::string> lines;
  for (const PlannedStep& step : steps) {
    lines.push_back(step.action + " " + step.kind + " " + step.name);
  }
  return lines;
}

TEST(OnboardTest, AnExistingUserWithAKeyGetsOnlyTheMissingGrant) {
  FakeAws aws;
  aws.Reply("GetGroup", 200, GroupReply({"alice"}));
  aws.Reply(kLocationsOperation, 200, LocationsReply());
  aws.Always(
      "GetUser", 200,
      IamReply("GetUser", "<User>" + UserXml("alice", true) + "</User>"));
  aws.Reply("ListAccessKeys", 200, KeysReply({"AKIAOLD"}));
  aws.Reply("ListAccessGrants", 200,
            GrantsReply({GrantFields("g-a", "cpg0001-a/*")}));
  StackContext stack(aws.session(), StackSettings{});
  CheckedOnboardRequest request =
      CheckOnboardRequest(Request({"cpg0001-a", "cpg0002-b"}));

  OnboardPlan plan = PlanOnboard(stack, request);

  EXPECT_THAT(
      Lines(plan.steps),
      ElementsAre("keep user alice",
                  "keep group membership staging_cpg_uploaders",
                  "keep access key AKIAOLD (alice.credentials is not written; "
                  "`rotate-key` makes a new key and writes it)",
                  "keep grant g-a (READWRITE on "
                  "s3://staging-cellpainting-gallery/cpg0001-a/*)",
                  "create grant READWRITE on "
                  "s3://staging-cellpainting-gallery/cpg0002-b/*"));
  EXPECT_FALSE(plan.NothingToDo());

  aws.Always("GetAccessGrantsLocation", 200,
             "<GetAccessGrantsLocationResult><AccessGrantsLocationId>loc-1"
             "</AccessGrantsLocationId></GetAccessGrantsLocationResult>");
  aws.Reply("ListAccessGrants", 200, GrantsReply({}));
  aws.Reply("CreateAccessGrant", 200,
            "<CreateAccessGrantResult>" + GrantFields("g-b", "cpg0002-b/*") +
                "</CreateAccessGrantResult>");
  std::vector<std::string> done;

  OnboardResult result = ApplyOnboard(stack, plan, [&](const PlannedStep& s) {
    done.push_back(s.action + " " + s.kind + " " + s.name);
  });

  EXPECT_THAT(aws.operations(), Not(::testing::Contains("CreateAccessKey")));
  EXPECT_THAT(aws.operations(), Not(::testing::Contains("AddUserToGroup")));
  EXPECT_FALSE(result.key_created);
  EXPECT_THAT(result.access_key_ids, ElementsAre("AKIAOLD"));
  ASSERT_EQ(result.grants.size(), 2u);
  EXPECT_TRUE(result.grants[0].already_existed);
  EXPECT_FALSE(result.grants[1].already_existed);
  EXPECT_THAT(done, ElementsAre("create grant g-b (READWRITE on "
                                "s3://staging-cellpainting-gallery/"
                                "cpg0002-b/*)"));
}

TEST(OnboardTest, RefusesAUserCytoskelDoesNotManage) {
  FakeAws aws;
  aws.Reply("GetGroup", 200, GroupReply({}));
  aws.Reply(kLocationsOperation, 200, LocationsReply());
  aws.Reply(
      "GetUser", 200,
      IamReply("GetUser", "<User>" + UserXml("alice", false) + "</User>"));
  StackContext stack(aws.session(), StackSettings{});

  try {
    PlanOnboard(stack, CheckOnboardRequest(Request({"cpg0001-a"})));
    ADD_FAILURE() << "accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kUsage);
    EXPECT_THAT(error.message(), HasSubstr("is not managed by cytoskel"));
  }
}

TEST(OnboardTest, AStackWithoutItsLocationIsNotSetUp) {
  FakeAws aws;
  aws.Reply("GetGroup", 200, GroupReply({}));
  aws.Reply(kLocationsOperation, 200,
            "<ListAccessGrantsLocationsResult><AccessGrantsLocationsList/>"
            "</ListAccessGrantsLocationsResult>");
  StackContext stack(aws.session(), StackSettings{});

  try {
    PlanOnboard(stack, CheckOnboardRequest(Request({"cpg0001-a"})));
    ADD_FAILURE() << "accepted";
  } catch (const Error& error) {
    EXPECT_THAT(error.message(),
                HasSubstr("location s3://staging-cellpainting-gallery/ is "
                          "missing): run `cytoskel cpgstaging up` first"));
  }
}

}  // namespace
}  // namespace cytoskel
