#include "aws/operation.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aws/error.h"
#include "aws/query_protocol.h"
#include "fake_http.h"

namespace cytoskel {
namespace {

constexpr char kToken[] = "FQoGZXIvYXdzEXAMPLETOKEN/with+and=";
constexpr long long kNow = 1714564800;  // 2024-05-01T12:00:00Z

// A session like MakeTestSession's, with extra environment variables, and
// recording every sleep it is asked for.
std::unique_ptr<Session> SessionRecordingSleeps(
    FakeHttpServer& server, std::vector<long>* sleeps,
    std::map<std::string, std::string> extra = {}, DebugSink debug = {}) {
  std::map<std::string, std::string> variables = {
      {"AWS_ACCESS_KEY_ID", testing_http::kTestAccessKeyId},
      {"AWS_SECRET_ACCESS_KEY", testing_http::kTestSecretAccessKey},
      {"AWS_REGION", "us-east-1"},
  };
  variables.insert(extra.begin(), extra.end());
  SessionDeps deps;
  deps.make_http = [&server] {
    return std::make_unique<FakeHttpClient>(server);
  };
  deps.now = [] { return Clock::time_point(std::chrono::seconds(kNow)); };
  deps.sleep = [sleeps](std::chrono::milliseconds delay) {
    sleeps->push_back(static_cast<long>(delay.count()));
  };
  deps.random01 = [] { return 0.5; };
  return std::make_unique<Session>(GlobalOptions{},
                                   Environment::FromMaps(std::move(variables)),
                                   std::move(deps), std::move(debug));
}

Operation GetUserOperation() {
  Operation operation;
  operation.name = "GetUser";
  operation.service = Service::kIam;
  operation.body = "Action=GetUser&Version=2010-05-08";
  operation.idempotent = true;
  return operation;
}

Operation CreateUserOperation() {
  Operation operation = GetUserOperation();
  operation.name = "CreateUser";
  operation.body = "Action=CreateUser&Version=2010-05-08&UserName=a";
  operation.idempotent = false;
  return operation;
}

TEST(OperationTest, RetriesThrottlingThenSucceeds) {
  struct Case {
    const char* name;
    long status;
    const char* code;
  };
  const std::vector<Case> cases = {
      {"IAM throttling", 400, "Throttling"},
      {"S3 slow down", 503, "SlowDown"},
      {"plain 500", 500, "InternalFailure"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    FakeHttpServer server;
    std::vector<long> sleeps;
    auto session = SessionRecordingSleeps(server, &sleeps);
    server.ReplyError(c.status, c.code);
    server.ReplyError(c.status, c.code);
    server.Reply(200, "<GetUserResponse/>");
    HttpResponse response = Perform(*session, GetUserOperation());
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(server.requests().size(), 3u);
    // Full jitter with random 0.5: 0.5 s, then 1 s.
    EXPECT_EQ(sleeps, (std::vector<long>{500, 1000}));
  }
}

TEST(OperationTest, PermanentThrottlingStopsAtTheConfiguredAttempts) {
  struct Case {
    std::map<std::string, std::string> env;
    size_t attempts;
  };
  const std::vector<Case> cases = {
      {{}, 3},
      {{{"AWS_MAX_ATTEMPTS", "5"}}, 5},
      {{{"AWS_MAX_ATTEMPTS", "1"}}, 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.attempts);
    FakeHttpServer server;
    std::vector<long> sleeps;
    auto session = SessionRecordingSleeps(server, &sleeps, c.env);
    for (size_t i = 0; i < c.attempts; ++i) {
      server.ReplyError(400, "Throttling", "Rate exceeded");
    }
    try {
      Perform(*session, GetUserOperation());
      FAIL() << "permanent throttling succeeded";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kService);
      EXPECT_EQ(error.code(), "Throttling");
      EXPECT_EQ(std::string(error.what()), "GetUser throttled on all " +
                                               std::to_string(c.attempts) +
                                               " attempts: Rate exceeded");
    }
    EXPECT_EQ(server.requests().size(), c.attempts);
    EXPECT_EQ(server.pending_replies(), 0u);
  }
}

TEST(OperationTest, NeverReplaysACreateWhoseAnswerWasLost) {
  for (NetworkFailure failure :
       {NetworkFailure::kReset, NetworkFailure::kTimeout}) {
    FakeHttpServer server;
    std::vector<long> sleeps;
    auto session = SessionRecordingSleeps(server, &sleeps);
    server.ReplyFailure(failure);
    try {
      Perform(*session, CreateUserOperation());
      FAIL() << "a lost answer counted as success";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kTransport);
      EXPECT_EQ(error.operation(), "CreateUser");
    }
    EXPECT_EQ(server.requests().size(), 1u);
  }
}

TEST(OperationTest, RetriesReadsAndUnsentCreatesAfterNetworkFailures) {
  struct Case {
    const char* name;
    Operation operation;
    NetworkFailure failure;
  };
  const std::vector<Case> cases = {
      {"read after reset", GetUserOperation(), NetworkFailure::kReset},
      {"read after timeout", GetUserOperation(), NetworkFailure::kTimeout},
      {"create that never connected", CreateUserOperation(),
       NetworkFailure::kConnect},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    FakeHttpServer server;
    std::vector<long> sleeps;
    auto session = SessionRecordingSleeps(server, &sleeps);
    server.ReplyFailure(c.failure);
    server.Reply(200, "<R/>");
    EXPECT_EQ(Perform(*session, c.operation).status, 200);
    EXPECT_EQ(server.requests().size(), 2u);
  }
}

TEST(OperationTest, CorrectsASkewedClockWithOneExtraRequest) {
  FakeHttpServer server;
  std::vector<long> sleeps;
  auto session = SessionRecordingSleeps(server, &sleeps);
  // The server's clock is 20 minutes ahead of ours.
  server.Reply(403,
               "<Error><Code>RequestTimeTooSkewed</Code><Message>The "
               "difference between the request time and the current time is "
               "too large.</Message></Error>",
               {{"Date", "Wed, 01 May 2024 12:20:00 GMT"}});
  server.Reply(200, "<R/>");
  EXPECT_EQ(Perform(*session, GetUserOperation()).status, 200);

  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(FindHeader(requests[0].headers, "X-Amz-Date"), "20240501T120000Z");
  EXPECT_EQ(FindHeader(requests[1].headers, "X-Amz-Date"), "20240501T122000Z");
  EXPECT_TRUE(sleeps.empty());
  EXPECT_EQ(session->clock_offset(), std::chrono::seconds(1200));
}

TEST(OperationTest, ASignatureMismatchWithACorrectClockFailsAtOnce) {
  FakeHttpServer server;
  std::vector<long> sleeps;
  auto session = SessionRecordingSleeps(server, &sleeps);
  server.Reply(403,
               "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code>"
               "</Error></ErrorResponse>",
               {{"Date", "Wed, 01 May 2024 12:00:30 GMT"}});
  EXPECT_THROW(Perform(*session, GetUserOperation()), Error);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(OperationTest, S3ControlGetsTheAccountPrefixAndChecksum) {
  FakeHttpServer server;
  std::vector<long> sleeps;
  auto session = SessionRecordingSleeps(server, &sleeps);
  Operation operation;
  operation.name = "CreateAccessGrantsInstance";
  operation.service = Service::kS3Control;
  operation.path = "/v20180820/accessgrantsinstance";
  operation.account_id = "123456789012";
  operation.checksum_required = true;
  operation.body = "<CreateAccessGrantsInstanceRequest/>";
  server.Reply(200, "<R/>");
  Perform(*session, operation);

  HttpRequest sent = server.requests().at(0);
  EXPECT_EQ(sent.url,
            "https://123456789012.s3-control.us-east-1.amazonaws.com"
            "/v20180820/accessgrantsinstance");
  EXPECT_EQ(FindHeader(sent.headers, "x-amz-account-id"), "123456789012");
  EXPECT_TRUE(FindHeader(sent.headers, "x-amz-checksum-crc32").has_value());
  EXPECT_TRUE(FindHeader(sent.headers, "x-amz-content-sha256").has_value());
  std::string authorization = *FindHeader(sent.headers, "Authorization");
  EXPECT_NE(authorization.find("/us-east-1/s3/aws4_request"),
            std::string::npos);
  EXPECT_NE(authorization.find("x-amz-account-id"), std::string::npos);
  EXPECT_NE(authorization.find("x-amz-checksum-crc32"), std::string::npos);
}

TEST(OperationTest, DebugLinesCarryNoSecret) {
  FakeHttpServer server;
  std::vector<long> sleeps;
  std::string debug;
  auto session = SessionRecordingSleeps(
      server, &sleeps, {{"AWS_SESSION_TOKEN", kToken}},
      [&debug](std::string_view line) { (debug += line) += '\n'; });
  server.ReplyError(400, "Throttling");
  server.Reply(200, "<R/>");
  Perform(*session, GetUserOperation());

  EXPECT_NE(debug.find("canonical request"), std::string::npos);
  EXPECT_NE(debug.find("x-amz-security-token:****"), std::string::npos);
  EXPECT_EQ(debug.find(kToken), std::string::npos) << debug;
  EXPECT_EQ(debug.find(testing_http::kTestSecretAccessKey), std::string::npos);
  EXPECT_EQ(debug.find("Signature="), std::string::npos);
  std::string signature =
      *FindHeader(server.requests().at(0).headers, "Authorization");
  signature = signature.substr(signature.find("Signature=") + 10);
  EXPECT_EQ(debug.find(signature), std::string::npos);
}

TEST(OperationTest, MasksTokensInCanonicalRequests) {
  EXPECT_EQ(MaskCanonicalRequest("GET\n/\nX-Amz-Security-Token=abc%2F&x=1\n"
                                 "host:h\nx-amz-security-token:abc/\n"),
            "GET\n/\nX-Amz-Security-Token=****&x=1\nhost:h\n"
            "x-amz-security-token:****\n");
}

TEST(OperationTest, FormBodiesEncodeSpacesAsPlus) {
  EXPECT_EQ(QueryBody(Service::kIam, "CreatePolicy",
                      {{"Description", "a b*c/d"}, {"Path", "/"}}),
            "Action=CreatePolicy&Version=2010-05-08&Description=a+b%2Ac%2Fd"
            "&Path=%2F");
}

}  // namespace
}  // namespace cytoskel
