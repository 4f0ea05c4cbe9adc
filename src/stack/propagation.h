// IAM is eventually consistent: a user, role or trust policy made seconds
// ago may not be usable yet, and AWS says so with specific error codes.
// RetryWhilePropagating retries only those, with backoff, for up to about
// two minutes; every other error goes straight through.
#ifndef CYTOSKEL_STACK_PROPAGATION_H_
#define CYTOSKEL_STACK_PROPAGATION_H_

#include <chrono>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

#include "aws/error.h"
#include "aws/session.h"

namespace cytoskel {

// The longest cytoskel waits for IAM to catch up.
inline constexpr std::chrono::seconds kPropagationBudget{120};

// True when `error` is a service error with one of `codes` (and, when
// `message_fragment` is not empty, a message containing it).
bool IsPropagationError(const Error& error,
                        std::initializer_list<std::string_view> codes,
                        std::string_view message_fragment = "");

// Calls `call` until it succeeds, it fails with an error that is not a
// propagation error, or the budget is spent (then the last error is thrown).
// Waits 1, 2, 4, 8, then 10 s between tries, through the session's sleep.
void RetryWhilePropagating(Session& session,
                           std::initializer_list<std::string_view> codes,
                           const std::function<void()>& call,
                           std::string_view message_fragment = "");

}  // namespace cytoskel

#endif  // CYTOSKEL_STACK_PROPAGATION_H_
