#include "cli/errors.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cytoskel {
namespace {

TEST(ErrorsTest, ExitCodesFollowTheAwsCli) {
  struct Case {
    const char* name;
    Error error;
    ExitCode expected;
  };
  const std::vector<Case> cases = {
      {"usage", UsageError("bad"), kExitUsage},
      {"config", ConfigError("bad"), kExitConfig},
      {"service", Error::Service("GetUser", 404, "NoSuchEntity", "m", "r"),
       kExitService},
      {"transport", TransportError("reset"), kExitOther},
      {"internal", Error(ErrorKind::kInternal, "x"), kExitOther},
      {"interrupted", Error(ErrorKind::kInterrupted, "x"), kExitInterrupted},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(ExitCodeFor(c.error), c.expected);
  }
}

TEST(ErrorsTest, DescribesServiceErrorsInPlainWords) {
  struct Case {
    Error error;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {Error::Service("GetCallerIdentity", 403, "SignatureDoesNotMatch",
                      "The request signature we calculated does not match",
                      "r1"),
       "GetCallerIdentity failed: AWS rejected the request signature: the "
       "secret access key does not match the access key id (check the "
       "profile's aws_secret_access_key)"},
      {Error::Service("CreateUser", 403, "AccessDenied",
                      "User: arn:aws:iam::1:user/x is not authorized", "r2"),
       "CreateUser failed: access denied: the caller lacks the permission "
       "(User: arn:aws:iam::1:user/x is not authorized)"},
      {Error::Service("GetUser", 404, "NoSuchEntity",
                      "The user with name bob cannot be found.", "r3"),
       "GetUser failed: The user with name bob cannot be found. "
       "(NoSuchEntity)"},
      {Error::Service("HeadBucket", 404, "NotFound", "", "r4"),
       "HeadBucket failed: NotFound (HTTP 404)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.expected);
    EXPECT_EQ(DescribeError(c.error), c.expected);
  }
}

TEST(ErrorsTest, DetailCarriesCodeAndRequestId) {
  Error error = Error::Service("GetUser", 404, "NoSuchEntity", "m", "req-9");
  EXPECT_EQ(DescribeErrorDetail(error),
            "operation GetUser, HTTP 404, code NoSuchEntity, request id "
            "req-9");
  EXPECT_EQ(DescribeErrorDetail(UsageError("x")), "");
}

}  // namespace
}  // namespace cytoskel
