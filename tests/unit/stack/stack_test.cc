#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aws/error.h"
#include "fake_aws.h"
#include "stack/policies.h"
#include "stack/stack.h"

namespace cytoskel {
namespace {

TEST(StackSettingsTest, DefaultsAreTheFirstVersionsNames) {
  StackSettings settings = ParseStackSettings("cpgstaging", "", "c.toml");
  EXPECT_EQ(settings.bucket, "staging-cellpainting-gallery");
  EXPECT_EQ(settings.region, "us-east-1");
  EXPECT_EQ(settings.group, "staging_cpg_uploaders");
  EXPECT_EQ(settings.policy, "staging_cpg_creds_data_access");
  EXPECT_EQ(settings.role, "cpg_staging_access_grant_location_role");
  EXPECT_EQ(settings.role_policy, "cpg_staging_access_grant_location_policy");
  EXPECT_EQ(settings.max_session_seconds, 43200);
  EXPECT_EQ(settings.account_id, "");
}

TEST(StackSettingsTest, TheConfigFileOverridesOnlyItsOwnStack) {
  StackSettings settings = ParseStackSettings("cpgstaging",
                                              "[stacks.cpgstaging]\n"
                                              "bucket = \"other-bucket\"\n"
                                              "account_id = \"123456789012\"\n"
                                              "max_session_seconds = 7200\n"
                                              "[stacks.elsewhere]\n"
                                              "bucket = \"not-this-one\"\n",
                                              "c.toml");
  EXPECT_EQ(settings.bucket, "other-bucket");
  EXPECT_EQ(settings.account_id, "123456789012");
  EXPECT_EQ(settings.max_session_seconds, 7200);
  EXPECT_EQ(settings.group, "staging_cpg_uploaders");
}

TEST(StackSettingsTest, BadFilesNameTheLine) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[stacks.cpgstaging]\nbuckt = \"x\"\n",
       "c.toml:2: unknown stack setting 'buckt'"},
      {"[stacks.cpgstaging]\n\nbucket = \"Bad_Bucket\"\n",
       "c.toml:3: bucket bucket name 'Bad_Bucket' must be 3 to 63"},
      {"[stacks.cpgstaging]\naccount_id = \"12\"\n",
       "c.toml:2: account_id account id '12' must be 12 digits"},
      {"[stacks.cpgstaging]\nmax_session_seconds = 99999\n",
       "c.toml:2: max_session_seconds must be a whole number from 3600"},
      {"[stacks.cpgstaging]\nmax_session_seconds = 340e20\n",
       "c.toml:2: max_session_seconds must be a whole number from 3600"},
      {"[stacks.cpgstaging]\nbucket = 3\n",
       "c.toml:2: bucket must be a string"},
      {"[stacks.cpgstaging\n", "c.toml:1: "},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    try {
      ParseStackSettings("cpgstaging", text, "c.toml");
      ADD_FAILURE() << "accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kConfig);
      EXPECT_EQ(std::string(error.what()).rfind(expected, 0), 0u)
          << error.what();
    }
  }
}

TEST(PoliciesTest, SamePolicyIgnoresOrderAndSingletons) {
  nlohmann::json wanted = UploaderPolicy("arn:aws:s3:us-east-1:1:x");
  const std::vector<std::pair<std::string, bool>> cases = {
      {wanted.dump(), true},
      {R"({"Statement":[{"Resource":["arn:aws:s3:us-east-1:1:x"],
           "Action":["s3:GetAccessGrantsInstanceForPrefix",
                     "s3:ListCallerAccessGrants","s3:GetDataAccess"],
           "Effect":"Allow","Sid":"AccessGrantsForUploaders"}],
          "Version":"2012-10-17"})",
       true},
      {R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
           "Action":"s3:GetDataAccess","Resource":"arn:aws:s3:us-east-1:1:x",
           "Sid":"AccessGrantsForUploaders"}]})",
       false},
      {"not json", false},
  };
  for (const auto& [document, same] : cases) {
    SCOPED_TRACE(document);
    EXPECT_EQ(SamePolicy(document, wanted), same);
  }
}

TEST(PoliciesTest, LeastPrivilege) {
  const std::string instance =
      "arn:aws:s3:us-east-1:123456789012:access-grants/default";
  nlohmann::json uploader = UploaderPolicy(instance);
  ASSERT_EQ(uploader["Statement"].size(), 1u);
  EXPECT_EQ(uploader["Statement"][0]["Resource"], instance);
  EXPECT_EQ(uploader["Statement"][0]["Action"].size(), 3u);

  nlohmann::json trust = LocationRoleTrust("123456789012", instance);
  const auto& statement = trust["Statement"][0];
  EXPECT_EQ(statement["Principal"],
            nlohmann::json({{"Service", "access-grants.s3.amazonaws.com"}}));
  EXPECT_EQ(statement["Condition"]["StringEquals"]["aws:SourceAccount"],
            "123456789012");
  EXPECT_EQ(statement["Condition"]["ArnEquals"]["aws:SourceArn"], instance);

  nlohmann::json role = LocationRolePolicy(
      "aws", "staging-cellpainting-gallery", "123456789012", instance);
  for (const auto& item : role["Statement"]) {
    std::string resource = item["Resource"];
    EXPECT_TRUE(resource == "arn:aws:s3:::staging-cellpainting-gallery" ||
                resource == "arn:aws:s3:::staging-cellpainting-gallery/*")
        << resource;
    EXPECT_EQ(item["Condition"]["ArnEquals"]["s3:AccessGrantsInstanceArn"],
              instance);
  }
}

// The stack's ARNs carry the partition of its region.
TEST(StackContextTest, ArnsCarryTheRegionsPartition) {
  const struct {
    const char* region;
    const char* instance;
    const char* role;
  } cases[] = {
      {"us-east-1", "arn:aws:s3:us-east-1:123456789012:access-grants/default",
       "arn:aws:iam::123456789012:role/r"},
      {"cn-north-1",
       "arn:aws-cn:s3:cn-north-1:123456789012:access-grants/default",
       "arn:aws-cn:iam::123456789012:role/r"},
      {"us-gov-west-1",
       "arn:aws-us-gov:s3:us-gov-west-1:123456789012:access-grants/default",
       "arn:aws-us-gov:iam::123456789012:role/r"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.region);
    FakeAws aws;
    StackSettings settings;
    settings.region = c.region;
    StackContext stack(aws.session(), settings);

    EXPECT_EQ(stack.instance_arn(), c.instance);
    EXPECT_EQ(stack.IamArn("role/r"), c.role);
    nlohmann::json policy =
        LocationRolePolicy(stack.partition(), "b", "123456789012", c.instance);
    EXPECT_EQ(policy["Statement"][1]["Resource"],
              std::string("arn:") + std::string(stack.partition()) + ":s3:::b");
  }
}

}  // namespace
}  // namespace cytoskel
