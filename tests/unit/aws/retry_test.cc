#include "aws/retry.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aws/error.h"

namespace cytoskel {
namespace {

HttpResponse Answer(long status) {
  HttpResponse response;
  response.status = status;
  return response;
}

HttpResponse Broken(NetworkFailure failure) {
  HttpResponse response;
  response.failure = failure;
  return response;
}

struct ClassifyCase {
  const char* name;
  HttpResponse response;
  std::string code;
  bool idempotent;
  FailureClass expected;
};

TEST(RetryTest, ClassifiesFailures) {
  const std::vector<ClassifyCase> cases = {
      {"throttling code", Answer(400), "Throttling", false,
       FailureClass::kThrottling},
      {"slow down", Answer(503), "SlowDown", false, FailureClass::kThrottling},
      {"429 without code", Answer(429), "", false, FailureClass::kThrottling},
      {"plain 500", Answer(500), "", false, FailureClass::kTransient},
      {"503 unknown code", Answer(503), "ServiceUnavailable", false,
       FailureClass::kTransient},
      {"internal error code", Answer(400), "InternalError", false,
       FailureClass::kTransient},
      {"skewed clock", Answer(403), "RequestTimeTooSkewed", false,
       FailureClass::kClockSkew},
      {"access denied", Answer(403), "AccessDenied", true,
       FailureClass::kNotRetryable},
      {"IAM two-key limit is not throttling", Answer(409), "LimitExceeded",
       true, FailureClass::kNotRetryable},
      {"no such entity", Answer(404), "NoSuchEntity", true,
       FailureClass::kNotRetryable},
      {"connect failure, create", Broken(NetworkFailure::kConnect), "", false,
       FailureClass::kTransient},
      {"reset after send, create", Broken(NetworkFailure::kReset), "", false,
       FailureClass::kNotRetryable},
      {"reset after send, read", Broken(NetworkFailure::kReset), "", true,
       FailureClass::kTransient},
      {"timeout, read", Broken(NetworkFailure::kTimeout), "", true,
       FailureClass::kTimeout},
      {"timeout, create", Broken(NetworkFailure::kTimeout), "", false,
       FailureClass::kNotRetryable},
      {"tls failure", Broken(NetworkFailure::kTls), "", true,
       FailureClass::kNotRetryable},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(ClassifyFailure(c.response, c.code, c.idempotent), c.expected);
  }
}

TEST(RetryTest, BackoffIsFullJitterCappedAtTwentySeconds) {
  struct Case {
    int attempt;
    double random;
    long expected_ms;
  };
  const std::vector<Case> cases = {
      {1, 0.0, 0},     {1, 0.5, 500},   {2, 0.5, 1000},   {3, 1.0, 4000},
      {5, 1.0, 16000}, {6, 1.0, 20000}, {40, 0.9, 20000},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("attempt " + std::to_string(c.attempt));
    EXPECT_EQ(BackoffDelay(c.attempt, c.random).count(), c.expected_ms);
  }
}

TEST(RetryTest, QuotaChargesRetriesAndRefundsSuccesses) {
  RetryQuota quota;
  int cost = 0;
  ASSERT_TRUE(quota.Acquire(FailureClass::kThrottling, &cost));
  EXPECT_EQ(cost, RetryQuota::kRetryCost);
  ASSERT_TRUE(quota.Acquire(FailureClass::kTimeout, &cost));
  EXPECT_EQ(cost, RetryQuota::kTimeoutCost);
  EXPECT_EQ(quota.available(), 500 - 5 - 10);
  quota.Release(cost);
  EXPECT_EQ(quota.available(), 500 - 5);
  quota.Release(0);
  EXPECT_EQ(quota.available(), 500 - 4);
}

TEST(RetryTest, QuotaRunsDryAndNeverExceedsCapacity) {
  RetryQuota quota;
  int cost = 0;
  int granted = 0;
  while (quota.Acquire(FailureClass::kThrottling, &cost)) ++granted;
  EXPECT_EQ(granted, RetryQuota::kCapacity / RetryQuota::kRetryCost);
  for (int i = 0; i < 1000; ++i) quota.Release(5);
  EXPECT_EQ(quota.available(), RetryQuota::kCapacity);
}

TEST(RetryTest, ParsesRetryModes) {
  EXPECT_EQ(ParseRetryMode("standard"), RetryMode::kStandard);
  EXPECT_EQ(ParseRetryMode("adaptive"), RetryMode::kStandard);
  EXPECT_EQ(ParseRetryMode("legacy"), RetryMode::kLegacy);
  try {
    ParseRetryMode("turbo");
    FAIL() << "accepted an unknown retry mode";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kConfig);
    EXPECT_EQ(std::string(error.what()),
              "retry mode 'turbo' is not one of standard, adaptive, legacy");
  }
}

}  // namespace
}  // namespace cytoskel
