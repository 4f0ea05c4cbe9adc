#include "stack/propagation.h"

#include <algorithm>

#include <fmt/format.h>

namespace cytoskel {

bool IsPropagationError(const Error& error,
                        std::initializer_list<std::string_view> codes,
                        std::string_view message_fragment) {
  if (error.kind() != ErrorKind::kService) return false;
  bool code_matches =
      std::find(codes.begin(), codes.end(), error.code()) != codes.end();
  return code_matches &&
         (message_fragment.empty() ||
          error.message().find(message_fragment) != std::string::npos);
}

void RetryWhilePropagating(Session& session,
                           std::initializer_list<std::string_view> codes,
                           const std::function<void()>& call,
                           std::string_view message_fragment) {
  std::chrono::seconds waited{0};
  std::chrono::seconds delay{1};
  for (;;) {
    try {
      call();
      return;
    } catch (const Error& error) {
      if (!IsPropagationError(error, codes, message_fragment) ||
          waited + delay > kPropagationBudget) {
        throw;
      }
      session.Debug(fmt::format("{}: waiting {} s for IAM to propagate ({})",
                                error.operation(), delay.count(),
                                error.code()));
    }
    session.Sleep(delay);
    waited += delay;
    delay = std::min(delay * 2, std::chrono::seconds(10));
  }
}

}  // namespace cytoskel
