// Shared helpers of the libFuzzer targets: a Session whose HTTP answers
// come from the fuzzer's bytes, and the rule that decides what counts as
// a finding.
//
// A finding is anything but a clean return or a cytoskel::Error: a crash,
// a sanitizer report, a hang, or another exception type escaping (the
// contract of every parser here is "throws Error, nothing else").
#ifndef CYTOSKEL_FUZZ_FUZZ_SUPPORT_H_
#define CYTOSKEL_FUZZ_FUZZ_SUPPORT_H_

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "aws/environment.h"
#include "aws/error.h"
#include "aws/http.h"
#include "aws/session.h"

namespace cytoskel::fuzz {

// Aborts (a finding) with the exception's text.
[[noreturn]] inline void Finding(const char* where, const char* what) {
  std::fprintf(stderr, "FINDING in %s: unexpected exception: %s\n", where,
               what);
  std::abort();
}

// Runs `body`; a cytoskel::Error is an expected outcome, any other
// exception a finding.
template <typename Body>
void ExpectOnlyErrors(const char* where, Body&& body) {
  try {
    body();
  } catch (const Error&) {
    // The documented way to refuse bad input.
  } catch (const std::exception& error) {
    Finding(where, error.what());
  } catch (...) {
    Finding(where, "not a std::exception");
  }
}

// Checks a property; aborts naming it when it does not hold.
inline void Require(bool holds, const char* property) {
  if (holds) return;
  std::fprintf(stderr, "FINDING: property does not hold: %s\n", property);
  std::abort();
}

// The replies a fuzz input describes, in a readable framing so that seed
// files are real AWS answers: replies are separated by kReplySeparator;
// each may start with a status line "HTTP NNN\n" (else 200) and header
// lines "> Name: value\n", then the body.
inline constexpr std::string_view kReplySeparator = "\n----\n";

inline HttpResponse ParseReply(std::string_view text) {
  HttpResponse response;
  response.status = 200;
  if (text.starts_with("HTTP ") && text.size() >= 9) {
    long status = 0;
    for (char c : text.substr(5, 3)) {
      status = c >= '0' && c <= '9' ? status * 10 + (c - '0') : -1000;
    }
    if (status >= 0) response.status = status;
    size_t end = text.find('\n');
    text = end == std::string_view::npos ? "" : text.substr(end + 1);
  }
  while (text.starts_with("> ")) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(2, end - std::min(end, size_t{2}));
    size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      size_t value = line.find_first_not_of(' ', colon + 1);
      response.headers.emplace_back(std::string(line.substr(0, colon)),
                                    value == std::string_view::npos
                                        ? ""
                                        : std::string(line.substr(value)));
    }
    text = end == std::string_view::npos ? "" : text.substr(end + 1);
  }
  response.body = std::string(text);
  return response;
}

// Answers every request with the next reply of the input. When they run
// out it answers a non-retryable 400 error, so paging loops always end.
class ScriptedHttpClient : public HttpClient {
 public:
  explicit ScriptedHttpClient(std::string_view replies) : rest_(replies) {}

  HttpResponse Send(const HttpRequest&) override {
    if (done_ || ++sent_ > kMaxRequests) {
      HttpResponse exhausted;
      exhausted.status = 400;
      exhausted.body =
          "<Error><Code>FuzzInputExhausted</Code><Message>no more "
          "replies</Message></Error>";
      return exhausted;
    }
    size_t end = rest_.find(kReplySeparator);
    std::string_view reply = rest_.substr(0, end);
    if (end == std::string_view::npos) {
      done_ = true;
    } else {
      rest_ = rest_.substr(end + kReplySeparator.size());
    }
    return ParseReply(reply);
  }

 private:
  static constexpr int kMaxRequests = 64;

  std::string_view rest_;
  bool done_ = false;
  int sent_ = 0;
};

// A Session for account 123456789012 in us-east-1 with static keys, an
// endpoint on loopback (never contacted), a fixed clock, no sleeping, and
// every HTTP answer from `replies` (see ScriptedHttpClient).
inline std::unique_ptr<Session> ScriptedSession(std::string_view replies) {
  Environment env = Environment::FromMaps(
      {{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
       {"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
       {"AWS_REGION", "us-east-1"},
       {"AWS_ENDPOINT_URL", "http://localhost:9"}},
      {});
  SessionDeps deps;
  deps.make_http = [replies] {
    return std::make_unique<ScriptedHttpClient>(replies);
  };
  deps.now = [] { return Clock::time_point(std::chrono::seconds(1714564800)); };
  deps.sleep = [](std::chrono::milliseconds) {};
  deps.random01 = [] { return 0.0; };
  deps.run_process = [](const std::string&) { return ProcessResult{}; };
  return std::make_unique<Session>(GlobalOptions{}, std::move(env),
                                   std::move(deps));
}

}  // namespace cytoskel::fuzz

#endif  // CYTOSKEL_FUZZ_FUZZ_SUPPORT_H_
