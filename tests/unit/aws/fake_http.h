// Test doubles for the HTTP seam: a scripted server that records every
// request and answers from a queue of canned replies, and a Session wired to
// it with static test credentials, a fixed clock and no real sleeping.
//
//   FakeHttpServer server;
//   server.Reply(200, "<GetUserResponse>...</GetUserResponse>");
//   auto session = MakeTestSession(server);
//   IamClient(*session).GetUser("alice");
//   EXPECT_EQ(FormValue(server.requests()[0].body, "Action"), "GetUser");
#ifndef CYTOSKEL_TESTS_UNIT_AWS_FAKE_HTTP_H_
#define CYTOSKEL_TESTS_UNIT_AWS_FAKE_HTTP_H_

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/config.h"
#include "aws/environment.h"
#include "aws/http.h"
#include "aws/session.h"

namespace cytoskel {
namespace testing_http {

// The keys every test session signs with. Tests assert that the secret
// never appears in an Error or a debug line.
inline constexpr char kTestAccessKeyId[] = "AKIDEXAMPLE";
inline constexpr char kTestSecretAccessKey[] =
    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

}  // namespace testing_http

// Records requests and answers them in order from a queue. Thread-safe. A
// request beyond the queue fails the test and gets a non-retryable 400.
class FakeHttpServer {
 public:
  // Queues one answer.
  void Reply(long status, std::string body, Headers headers = {}) {
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.headers = std::move(headers);
    std::lock_guard lock(mutex_);
    replies_.push_back(std::move(response));
  }

  // Queues an AWS error answer in the query protocol's shape.
  void ReplyError(long status, const std::string& code,
                  const std::string& message = "") {
    Reply(status, "<ErrorResponse><Error><Type>Sender</Type><Code>" + code +
                      "</Code><Message>" + message +
                      "</Message></Error><RequestId>req-1</RequestId>"
                      "</ErrorResponse>");
  }

  // Queues an answer that never came: the connection failed.
  void ReplyFailure(NetworkFailure failure) {
    HttpResponse response;
    response.failure = failure;
    response.failure_detail = "fake network failure";
    std::lock_guard lock(mutex_);
    replies_.push_back(std::move(response));
  }

  HttpResponse Answer(const HttpRequest& request) {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    if (replies_.empty()) {
      ADD_FAILURE() << "unexpected request: " << request.method << " "
                    << request.url << "\n"
                    << request.body;
      HttpResponse response;
      response.status = 400;
      response.body =
          "<Error><Code>FakeServerHasNoReply</Code>"
          "<Message>no canned reply left</Message></Error>";
      return response;
    }
    HttpResponse response = std::move(replies_.front());
    replies_.pop_front();
    return response;
  }

  std::vector<HttpRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  size_t pending_replies() const {
    std::lock_guard lock(mutex_);
    return replies_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::deque<HttpResponse> replies_;
  std::vector<HttpRequest> requests_;
};

// The HttpClient a Session makes; forwards to the shared server.
class FakeHttpClient : public HttpClient {
 public:
  explicit FakeHttpClient(FakeHttpServer& server) : server_(server) {}
  HttpResponse Send(const HttpRequest& request) override {
    return server_.Answer(request);
  }

 private:
  FakeHttpServer& server_;
};

// A Session that signs with the test keys in `region`, talks to `server`,
// never sleeps, and reads the clock as 2024-05-01T12:00:00Z. `debug`, when
// set, receives the --debug lines.
inline std::unique_ptr<Session> MakeTestSession(
    FakeHttpServer& server, const std::string& region = "us-east-1",
    DebugSink debug = {}) {
  Environment env = Environment::FromMaps({
      {"AWS_ACCESS_KEY_ID", testing_http::kTestAccessKeyId},
      {"AWS_SECRET_ACCESS_KEY", testing_http::kTestSecretAccessKey},
      {"AWS_REGION", region},
  });
  SessionDeps deps;
  deps.make_http = [&server] {
    return std::make_unique<FakeHttpClient>(server);
  };
  deps.now = [] { return Clock::time_point(std::chrono::seconds(1714564800)); };
  deps.sleep = [](std::chrono::milliseconds) {};
  deps.random01 = [] { return 0.0; };
  return std::make_unique<Session>(GlobalOptions{}, std::move(env),
                                   std::move(deps), std::move(debug));
}

// Decodes %XX escapes and, when `plus_is_space`, `+` (form encoding).
inline std::string PercentDecode(std::string_view text,
                                 bool plus_is_space = true) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string decoded;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 &&
        hex(text[i + 2]) >= 0) {
      decoded += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
      i += 2;
    } else {
      decoded += plus_is_space && text[i] == '+' ? ' ' : text[i];
    }
  }
  return decoded;
}

// The decoded name/value pairs of a form body or query string, in order.
inline std::vector<std::pair<std::string, std::string>> FormParams(
    std::string_view form) {
  std::vector<std::pair<std::string, std::string>> params;
  while (!form.empty()) {
    size_t end = form.find('&');
    std::string_view pair = form.substr(0, end);
    size_t equals = pair.find('=');
    std::string_view name = pair.substr(0, equals);
    std::string_view value =
        equals == std::string_view::npos ? "" : pair.substr(equals + 1);
    if (!pair.empty()) {
      params.emplace_back(PercentDecode(name), PercentDecode(value));
    }
    form = end == std::string_view::npos ? "" : form.substr(end + 1);
  }
  return params;
}

// The decoded value of form parameter `name`, or nullopt when absent.
inline std::optional<std::string> FormValue(std::string_view form,
                                            const std::string& name) {
  for (auto& [key, value] : FormParams(form)) {
    if (key == name) return value;
  }
  return std::nullopt;
}

// The path of a request URL ("http://host/a%20b?x=1" gives "/a%20b").
inline std::string UrlPath(const std::string& url) {
  size_t scheme = url.find("://");
  size_t start = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (start == std::string::npos) return "/";
  size_t end = url.find('?', start);
  return url.substr(start, end == std::string::npos ? end : end - start);
}

// The query string of a request URL, without the '?'; "" when none.
inline std::string UrlQuery(const std::string& url) {
  size_t question = url.find('?');
  return question == std::string::npos ? "" : url.substr(question + 1);
}

}  // namespace cytoskel

#endif  // CYTOSKEL_TESTS_UNIT_AWS_FAKE_HTTP_H_
