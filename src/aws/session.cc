#include "aws/session.h"

#include <algorithm>
#include <random>
#include <string_view>
#include <utility>

#include "aws/curl_http.h"
#include "aws/error.h"
#include "aws/partition.h"
#include "aws/sts.h"

namespace cytoskel {

namespace {

// Temporary credentials this close to expiry are resolved again.
constexpr std::chrono::minutes kRefreshMargin{5};

SessionDeps FillDefaults(SessionDeps deps, const ResolvedConfig& config) {
  if (!deps.make_http) {
    CurlOptions curl;
    curl.ca_bundle = config.ca_bundle;
    curl.verify_tls = config.verify_tls;
    deps.make_http = [curl] { return std::make_unique<CurlHttpClient>(curl); };
  }
  if (!deps.now) deps.now = [] { return Clock::now(); };
  if (!deps.sleep) {
    deps.sleep = [](std::chrono::milliseconds delay) {
      std::this_thread::sleep_for(delay);
    };
  }
  if (!deps.random01) {
    deps.random01 = [] {
      thread_local std::mt19937_64 engine{std::random_device{}()};
      return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
    };
  }
  if (!deps.run_process) deps.run_process = RunProcess;
  return deps;
}

// An MFA code is six digits (STS's TokenCode pattern).
bool IsMfaCode(std::string_view code) {
  return code.size() == 6 && std::all_of(code.begin(), code.end(), [](char c) {
           return c >= '0' && c <= '9';
         });
}

std::string StripTrailingSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

Session::Session(GlobalOptions options, Environment env, SessionDeps deps,
                 DebugSink debug)
    : options_(std::move(options)),
      env_(std::move(env)),
      debug_(std::move(debug)),
      config_(ResolveConfig(options_, env_)) {
  deps_ = FillDefaults(std::move(deps), config_);
  retry_.max_attempts = config_.max_attempts;
  retry_.mode = ParseRetryMode(config_.retry_mode);
}

std::string Session::Region() const {
  if (config_.region.empty()) {
    throw ConfigError(
        "no AWS region is set: use --region, AWS_REGION, or 'region' in "
        "profile " +
        config_.profile);
  }
  return config_.region;
}

Endpoint Session::EndpointFor(Service service) const {
  Endpoint endpoint;
  // IAM is a global service of each partition, always signed for the
  // partition's IAM region (us-east-1 in aws) whatever region the profile
  // names.
  endpoint.region = service == Service::kIam
                        ? std::string(PartitionOf(config_.region).iam_region)
                        : Region();
  endpoint.signing_name = service == Service::kIam   ? "iam"
                          : service == Service::kSts ? "sts"
                                                     : "s3";
  std::string custom = EndpointOverride(config_, service, options_, env_);
  endpoint.custom = !custom.empty();
  endpoint.base_url = StripTrailingSlash(
      endpoint.custom ? custom : DefaultEndpoint(service, endpoint.region));
  return endpoint;
}

Credentials Session::GetCredentials() {
  std::lock_guard lock(credentials_mutex_);
  bool stale = credentials_ && credentials_->expiration &&
               *credentials_->expiration - kRefreshMargin <= deps_.now();
  if (!credentials_ || stale) credentials_ = ResolveChain();
  return *credentials_;
}

std::string Session::AskMfaCode(const std::string& mfa_serial) {
  std::optional<std::string> code;
  if (deps_.ask_mfa_code) code = deps_.ask_mfa_code(mfa_serial);
  if (!code) {
    throw ConfigError(
        "the profile's role needs an MFA code (mfa_serial) and there is no "
        "terminal to ask for it: run cytoskel on a terminal, or use a "
        "profile whose credential_process is `aws configure "
        "export-credentials --profile NAME --format process`");
  }
  if (!IsMfaCode(*code)) {
    throw ConfigError("an MFA code is the 6 digits your device shows now");
  }
  return *code;
}

Credentials Session::ResolveChain() {
  CredentialDeps chain;
  chain.env = env_;
  chain.run_process = deps_.run_process;
  chain.now = deps_.now;
  chain.assume_role = [this](const Credentials& source,
                             AssumeRoleRequest request) {
    if (!request.mfa_serial.empty()) {
      request.token_code = AskMfaCode(request.mfa_serial);
    }
    return AssumeRoleWith(*this, source, request);
  };
  return ResolveCredentials(config_, chain);
}

HttpClient& Session::Http() {
  std::lock_guard lock(http_mutex_);
  auto& client = http_[std::this_thread::get_id()];
  if (!client) client = deps_.make_http();
  return *client;
}

Clock::time_point Session::SigningTime() const {
  return deps_.now() + std::chrono::seconds(clock_offset_seconds_.load());
}

void Session::CorrectClock(Clock::time_point server_time) {
  auto offset = std::chrono::duration_cast<std::chrono::seconds>(server_time -
                                                                 deps_.now());
  clock_offset_seconds_.store(offset.count());
}

std::chrono::seconds Session::clock_offset() const {
  return std::chrono::seconds(clock_offset_seconds_.load());
}

void Session::Debug(std::string_view line) const {
  if (debug_) debug_(line);
}

}  // namespace cytoskel
