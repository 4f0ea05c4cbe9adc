// A Session is everything one cytoskel process knows about how to reach
// AWS: the resolved configuration, the credentials (resolved once, on first
// use), the signing clock with its skew correction, the retry settings and
// quota, and one HTTP connection per thread. Service clients take a Session&.
//
// The outside world (HTTP, clock, sleep, randomness, child processes) comes
// in through SessionDeps, so tests can substitute each of them.
#ifndef CYTOSKEL_AWS_SESSION_H_
#define CYTOSKEL_AWS_SESSION_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "aws/config.h"
#include "aws/credential_chain.h"
#include "aws/credentials.h"
#include "aws/environment.h"
#include "aws/http.h"
#include "aws/retry.h"

namespace cytoskel {

using Clock = std::chrono::system_clock;
using DebugSink = std::function<void(std::string_view line)>;

struct SessionDeps {
  // Makes the HTTP client of one thread; default: libcurl with the
  // configuration's TLS settings.
  std::function<std::unique_ptr<HttpClient>()> make_http;
  std::function<Clock::time_point()> now;
  std::function<void(std::chrono::milliseconds)> sleep;
  std::function<double()> random01;  // uniform in [0, 1)
  std::function<ProcessResult(const std::string&)> run_process;
  // Asks the user for the current code of the MFA device `mfa_serial` (a
  // profile's mfa_serial); nullopt when there is nobody to ask. Unset (the
  // default) means the same: such profiles then fail with a config Error.
  std::function<std::optional<std::string>(const std::string& mfa_serial)>
      ask_mfa_code;
};

// Where one service is reached and how its requests are signed.
struct Endpoint {
  std::string base_url;      // scheme://host[:port], no trailing slash
  std::string region;        // signing region
  std::string signing_name;  // "iam", "sts", "s3"
  bool custom = false;       // true when an endpoint override applies
};

class Session {
 public:
  Session(GlobalOptions options, Environment env, SessionDeps deps = {},
          DebugSink debug = {});
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const ResolvedConfig& config() const { return config_; }
  const GlobalOptions& options() const { return options_; }
  const Environment& environment() const { return env_; }

  // The region in use; throws a config Error naming the ways to set one
  // when nothing does.
  std::string Region() const;
  Endpoint EndpointFor(Service service) const;

  // The caller's credentials, resolved through the AWS chain on first use
  // and shared by every thread afterwards.
  Credentials GetCredentials();

  // The HTTP client of the calling thread (made on first use).
  HttpClient& Http();

  // The time to sign with: the local clock plus the correction learnt from
  // a RequestTimeTooSkewed answer.
  Clock::time_point SigningTime() const;
  // Records the server's time, so later signatures use its clock.
  void CorrectClock(Clock::time_point server_time);
  std::chrono::seconds clock_offset() const;

  RetryQuota& quota() { return quota_; }
  const RetrySettings& retry() const { return retry_; }
  void Sleep(std::chrono::milliseconds delay) const { deps_.sleep(delay); }
  double Random01() const { return deps_.random01(); }

  bool debugging() const { return static_cast<bool>(debug_); }
  // Emits one debug line. The caller guarantees it holds no secret.
  void Debug(std::string_view line) const;

 private:
  Credentials ResolveChain();
  // The code for `mfa_serial` from deps_.ask_mfa_code; throws a config
  // Error when nobody can be asked or the answer is not six digits.
  std::string AskMfaCode(const std::string& mfa_serial);

  GlobalOptions options_;
  Environment env_;
  SessionDeps deps_;
  DebugSink debug_;
  ResolvedConfig config_;
  RetrySettings retry_;
  RetryQuota quota_;
  std::atomic<long long> clock_offset_seconds_{0};

  std::mutex credentials_mutex_;
  std::optional<Credentials> credentials_;

  std::mutex http_mutex_;
  std::map<std::thread::id, std::unique_ptr<HttpClient>> http_;
};

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_SESSION_H_
