#include "aws/retry.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "aws/error.h"

namespace cytoskel {

namespace {

// The codes botocore's standard mode treats as throttling.
constexpr std::array<std::string_view, 13> kThrottlingCodes = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "EC2ThrottledException",
};

constexpr std::array<std::string_view, 4> kTransientCodes = {
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
    "InternalError",
};

constexpr std::array<std::string_view, 4> kClockSkewCodes = {
    "RequestTimeTooSkewed",
    "RequestExpired",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
};

template <size_t N>
bool Contains(const std::array<std::string_view, N>& codes,
              const std::string& code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

FailureClass ClassifyNetworkFailure(NetworkFailure failure, bool idempotent) {
  switch (failure) {
    case NetworkFailure::kConnect:
      return FailureClass::kTransient;  // never reached the server
    case NetworkFailure::kTimeout:
      return idempotent ? FailureClass::kTimeout : FailureClass::kNotRetryable;
    case NetworkFailure::kReset:
      return idempotent ? FailureClass::kTransient
                        : FailureClass::kNotRetryable;
    default:
      return FailureClass::kNotRetryable;
  }
}

}  // namespace

RetryMode ParseRetryMode(const std::string& text) {
  if (text == "standard" || text == "adaptive") return RetryMode::kStandard;
  if (text == "legacy") return RetryMode::kLegacy;
  throw ConfigError("retry mode '" + text +
                    "' is not one of standard, adaptive, legacy");
}

FailureClass ClassifyFailure(const HttpResponse& response,
                             const std::string& code, bool idempotent) {
  if (response.failure != NetworkFailure::kNone) {
    return ClassifyNetworkFailure(response.failure, idempotent);
  }
  if (Contains(kThrottlingCodes, code) || response.status == 429) {
    return FailureClass::kThrottling;
  }
  // Clock skew is decided by the caller, which can read the Date header;
  // here the code alone marks the candidate.
  if (Contains(kClockSkewCodes, code)) return FailureClass::kClockSkew;
  if (Contains(kTransientCodes, code)) return FailureClass::kTransient;
  switch (response.status) {
    case 500:
    case 502:
    case 503:
    case 504:
      return FailureClass::kTransient;
    default:
      return FailureClass::kNotRetryable;
  }
}

std::chrono::milliseconds BackoffDelay(int attempt, double random01) {
  constexpr double kMaxSeconds = 20.0;
  double exponent = std::min(attempt - 1, 30);
  double seconds = std::min(
      std::clamp(random01, 0.0, 1.0) * std::pow(2.0, exponent), kMaxSeconds);
  return std::chrono::milliseconds(static_cast<long>(seconds * 1000.0));
}

bool RetryQuota::Acquire(FailureClass failure, int* cost) {
  int wanted = failure == FailureClass::kTimeout ? kTimeoutCost : kRetryCost;
  std::lock_guard lock(mutex_);
  if (available_ < wanted) return false;
  available_ -= wanted;
  *cost = wanted;
  return true;
}

void RetryQuota::Release(int last_retry_cost) {
  std::lock_guard lock(mutex_);
  int refund = last_retry_cost > 0 ? last_retry_cost : kSuccessRefund;
  available_ = std::min(kCapacity, available_ + refund);
}

int RetryQuota::available() const {
  std::lock_guard lock(mutex_);
  return available_;
}

}  // namespace cytoskel
