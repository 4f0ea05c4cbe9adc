#include "stack/validate.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aws/error.h"

namespace cytoskel {
namespace {

// Expects `call` to throw a usage Error whose message contains `fragment`.
template <typename Call>
void ExpectUsageError(Call call, const std::string& fragment) {
  try {
    call();
    ADD_FAILURE() << "accepted; wanted an error containing: " << fragment;
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kUsage);
    EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos)
        << error.what();
  }
}

TEST(ValidateTest, NormalizesGrantPrefixesToFolders) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"cpg0001-x", "cpg0001-x/*"},
      {"cpg0001-x/", "cpg0001-x/*"},
      {"cpg0001-x/*", "cpg0001-x/*"},
      {"cpg0001-x/images/plate_1", "cpg0001-x/images/plate_1/*"},
      {"a.b(c)'d!e_f", "a.b(c)'d!e_f/*"},
  };
  for (const auto& [input, expected] : cases) {
    SCOPED_TRACE(input);
    EXPECT_EQ(NormalizeGrantPrefix(input), expected);
  }
}

TEST(ValidateTest, RefusesPrefixesWiderThanAFolder) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"*", "would grant the whole bucket"},
      {"", "would grant the whole bucket"},
      {"/", "would grant the whole bucket"},
      {"/*", "would grant the whole bucket"},
      {"cpg0001*", "'*' that is not at the end of a folder"},
      {"cpg*/x", "'*' that is not at the end of a folder"},
      {"cpg0001/**", "'*' that is not at the end of a folder"},
      {"/cpg0001", "must not start with '/'"},
      {"a//b", "empty, '.' or '..' folder name"},
      {"a/../b", "empty, '.' or '..' folder name"},
      {"a b", "character outside"},
      {std::string("a\0b", 3), "character outside"},
      {"caf\xc3\xa9", "character outside"},
      {std::string(2000, 'a'), "longer than 1024"},
  };
  for (const auto& [input, fragment] : cases) {
    SCOPED_TRACE(input.substr(0, 40));
    ExpectUsageError([&in = input] { NormalizeGrantPrefix(in); }, fragment);
  }
}

TEST(ValidateTest, UserNames) {
  const std::vector<std::string> good = {"a", "test_user", "x+y=z,w.v@u-t",
                                         std::string(64, 'n')};
  for (const std::string& name : good) {
    SCOPED_TRACE(name);
    EXPECT_NO_THROW(ValidateUserName(name));
  }
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"", "1 to 64"},
      {std::string(65, 'n'), "1 to 64"},
      {"has space", "only letters, digits and +=,.@_-"},
      {"sl/ash", "only letters, digits and +=,.@_-"},
      {"t\xc3\xa9", "only letters, digits and +=,.@_-"},
  };
  for (const auto& [name, fragment] : bad) {
    SCOPED_TRACE(name);
    ExpectUsageError([&n = name] { ValidateUserName(n); }, fragment);
  }
}

TEST(ValidateTest, UserArns) {
  EXPECT_EQ(ValidateUserArn("arn:aws:iam::123456789012:user/test_user"),
            "test_user");
  EXPECT_EQ(ValidateUserArn("arn:aws:iam::123456789012:user/lab/a/bob"), "bob");
  const std::vector<std::string> bad = {
      "test_user",
      "arn:aws:iam::123456789012:role/r",
      "arn:aws:iam::1234:user/x",
      "arn:aws:s3:::bucket",
      "arn:aws:iam:us-east-1:123456789012:user/x",
      "arn:aws:iam::123456789012",
  };
  for (const auto& arn : bad) {
    SCOPED_TRACE(arn);
    ExpectUsageError([&] { ValidateUserArn(arn); }, "not an IAM user ARN");
  }
}

TEST(ValidateTest, ArnParts) {
  auto arn = ParseArn(
      "arn:aws:s3:us-east-1:123456789012:access-grants/"
      "default/grant/abc");
  ASSERT_TRUE(arn.has_value());
  EXPECT_EQ(arn->partition, "aws");
  EXPECT_EQ(arn->service, "s3");
  EXPECT_EQ(arn->region, "us-east-1");
  EXPECT_EQ(arn->account, "123456789012");
  EXPECT_EQ(arn->resource, "access-grants/default/grant/abc");
  EXPECT_FALSE(ParseArn("arn:aws:s3").has_value());
  EXPECT_FALSE(ParseArn("nra:aws:s3:::b").has_value());
}

TEST(ValidateTest, IdsAccountsAndPermissions) {
  EXPECT_NO_THROW(ValidateAccessGrantsId("e70e7092-7889-42fd-a72b-59b9106a4c51",
                                         "location id"));
  ExpectUsageError([] { ValidateAccessGrantsId("../x", "grant id"); },
                   "grant id '../x' must be 1 to 64 letters, digits or '-'");
  ExpectUsageError([] { ValidateAccessGrantsId("", "location id"); },
                   "location id");
  EXPECT_NO_THROW(ValidateAccountId("123456789012"));
  ExpectUsageError([] { ValidateAccountId("12345678901a"); }, "12 digits");
  EXPECT_EQ(NormalizePermission("read"), "READ");
  EXPECT_EQ(NormalizePermission("ReadWrite"), "READWRITE");
  ExpectUsageError([] { NormalizePermission("ALL"); },
                   "must be READ, WRITE or READWRITE");
}

}  // namespace
}  // namespace cytoskel
