// The AWS SDKs' "standard" retry rules: which failures are retried, how long
// to wait between attempts, and the retry quota that stops a client from
// hammering a struggling service. Pure logic: time and randomness come in
// from the caller, so the rules are unit-tested without waiting.
#ifndef CYTOSKEL_AWS_RETRY_H_
#define CYTOSKEL_AWS_RETRY_H_

#include <chrono>
#include <mutex>
#include <string>

#include "aws/http.h"

namespace cytoskel {

enum class RetryMode { kStandard, kLegacy };

// Parses AWS_RETRY_MODE / retry_mode. "adaptive" is accepted and treated as
// standard (cytoskel does not rate-limit itself on the client side).
// Throws a config Error for anything else.
RetryMode ParseRetryMode(const std::string& text);

// What a failed attempt means for retrying it.
enum class FailureClass {
  kNotRetryable,
  kThrottling,  // the service asked us to slow down
  kTransient,   // 5xx, a broken connection, a request timeout
  kTimeout,     // the client gave up waiting: costs more retry quota
  kClockSkew,   // signed with a wrong clock: fix the clock, retry at once
};

// Classifies one attempt from its HTTP outcome and parsed AWS error code
// (`code` may be empty). `sent_may_have_executed` is false only for
// requests that are safe to repeat even if the server ran them (reads and
// naturally idempotent writes); for the others a broken connection after
// sending is not retried, because the server may have acted on it.
FailureClass ClassifyFailure(const HttpResponse& response,
                             const std::string& code, bool idempotent);

// Full-jitter exponential backoff: random01 * 2^(attempt-1) seconds, capped
// at 20 s. `attempt` counts from 1 (the first retry waits after attempt 1).
std::chrono::milliseconds BackoffDelay(int attempt, double random01);

// The token bucket shared by every request of one process. Thread-safe.
class RetryQuota {
 public:
  static constexpr int kCapacity = 500;
  static constexpr int kRetryCost = 5;
  static constexpr int kTimeoutCost = 10;
  static constexpr int kSuccessRefund = 1;

  // Takes the cost of one retry; false when the bucket cannot pay for it.
  bool Acquire(FailureClass failure, int* cost);
  // After a success: gives back what the last retry took, or 1 if the
  // request succeeded at the first attempt.
  void Release(int last_retry_cost);
  int available() const;

 private:
  mutable std::mutex mutex_;
  int available_ = kCapacity;
};

struct RetrySettings {
  int max_attempts = 3;
  RetryMode mode = RetryMode::kStandard;
};

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_RETRY_H_
