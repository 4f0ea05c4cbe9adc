// Session: how it resolves credentials that need a person, an MFA code.
#include "aws/session.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "../caught_error.h"
#include "aws/error.h"
#include "aws/sts.h"
#include "fake_http.h"

namespace cytoskel {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kConfig[] = R"([profile admin]
role_arn = arn:aws:iam::111111111111:role/Admin
source_profile = base
mfa_serial = arn:aws:iam::111111111111:mfa/me
region = us-east-1
)";

constexpr char kCredentials[] = R"([base]
aws_access_key_id = AKIDBASE
aws_secret_access_key = base-secret
)";

constexpr char kAssumeRoleReply[] =
    "<AssumeRoleResponse><AssumeRoleResult><Credentials>"
    "<AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>role-secret"
    "</SecretAccessKey><SessionToken>role-token</SessionToken>"
    "<Expiration>2024-05-01T13:00:00Z</Expiration></Credentials>"
    "</AssumeRoleResult></AssumeRoleResponse>";

constexpr char kIdentityReply[] =
    "<GetCallerIdentityResponse><GetCallerIdentityResult>"
    "<Arn>arn:aws:sts::111111111111:assumed-role/Admin/s</Arn>"
    "<UserId>AROA:s</UserId><Account>111111111111</Account>"
    "</GetCallerIdentityResult></GetCallerIdentityResponse>";

// A session for profile admin (a role behind an MFA device) whose
// ask_mfa_code answers `answer` and records what it was asked.
struct MfaWorld {
  FakeHttpServer server;
  std::vector<std::string> asked;

  std::unique_ptr<Session> MakeSession(std::optional<std::string> answer,
                                       bool can_ask = true) {
    SessionDeps deps;
    deps.make_http = [this] {
      return std::make_unique<FakeHttpClient>(server);
    };
    deps.now = [] {
      return Clock::time_point(std::chrono::seconds(1714564800));
    };
    deps.sleep = [](std::chrono::milliseconds) {};
    deps.random01 = [] { return 0.0; };
    if (can_ask) {
      deps.ask_mfa_code = [this, answer](const std::string& serial) {
        asked.push_back(serial);
        return answer;
      };
    }
    GlobalOptions options;
    options.profile = "admin";
    Environment env = Environment::FromMaps(
        {{"HOME", "/home/u"}}, {{"/home/u/.aws/config", kConfig},
                                {"/home/u/.aws/credentials", kCredentials}});
    return std::make_unique<Session>(options, std::move(env), std::move(deps));
  }
};

TEST(SessionMfaTest, SendsTheCodeTheUserTypedWithTheDevice) {
  MfaWorld world;
  world.server.Reply(200, kAssumeRoleReply);
  world.server.Reply(200, kIdentityReply);
  auto session = world.MakeSession("123456");

  CallerIdentity identity = GetCallerIdentity(*session);

  EXPECT_EQ(identity.account, "111111111111");
  EXPECT_THAT(world.asked, ElementsAre("arn:aws:iam::111111111111:mfa/me"));
  std::vector<HttpRequest> requests = world.server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(FormValue(requests[0].body, "Action"), "AssumeRole");
  EXPECT_EQ(FormValue(requests[0].body, "SerialNumber"),
            "arn:aws:iam::111111111111:mfa/me");
  EXPECT_EQ(FormValue(requests[0].body, "TokenCode"), "123456");
  // The role's keys sign the next call.
  EXPECT_THAT(FindHeader(requests[1].headers, "Authorization").value_or(""),
              HasSubstr("Credential=ASIAROLE/"));
}

TEST(SessionMfaTest, AsksOncePerSession) {
  MfaWorld world;
  world.server.Reply(200, kAssumeRoleReply);
  world.server.Reply(200, kIdentityReply);
  world.server.Reply(200, kIdentityReply);
  auto session = world.MakeSession("123456");

  GetCallerIdentity(*session);
  GetCallerIdentity(*session);

  EXPECT_EQ(world.asked.size(), 1u);
}

TEST(SessionMfaTest, RefusesWithoutSomeoneToAskOrWithABadCode) {
  const struct {
    const char* name;
    std::optional<std::string> answer;
    bool can_ask;
    const char* fragment;
  } cases[] = {
      {"no terminal", std::nullopt, true, "no terminal to ask for it"},
      {"no prompt at all", std::nullopt, false, "no terminal to ask for it"},
      {"five digits", "12345", true, "6 digits"},
      {"letters", "12345a", true, "6 digits"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    MfaWorld world;
    auto session = world.MakeSession(c.answer, c.can_ask);

    Error error = CaughtError([&] { GetCallerIdentity(*session); });

    EXPECT_EQ(error.kind(), ErrorKind::kConfig);
    EXPECT_THAT(error.message(), HasSubstr(c.fragment));
    EXPECT_THAT(error.message(), Not(HasSubstr("base-secret")));
    EXPECT_TRUE(world.server.requests().empty());
  }
}

}  // namespace
}  // namespace cytoskel
