#include "aws/operation.h"

#include <fmt/format.h>

#include <ctime>

#include "aws/crypto.h"
#include "aws/error.h"
#include "aws/retry.h"
#include "aws/sigv4.h"
#include "aws/xml.h"

namespace cytoskel {

namespace {

// A skew this large is a wrong clock, not a slow network.
constexpr std::chrono::minutes kSkewThreshold{4};

std::string HostOf(const std::string& base_url) {
  size_t start = base_url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  size_t end = base_url.find('/', start);
  return base_url.substr(
      start, end == std::string::npos ? std::string::npos : end - start);
}

// Puts the account id in front of the host, as S3 Control requires, also
// for custom endpoints ("http://localhost:4566" becomes
// "http://123456789012.localhost:4566").
std::string PrefixHost(const std::string& base_url,
                       const std::string& account_id) {
  if (account_id.empty()) return base_url;
  size_t start = base_url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  return base_url.substr(0, start) + account_id + "." + base_url.substr(start);
}

std::string EncodeQuery(const QueryParams& query) {
  std::string encoded;
  for (const auto& [name, value] : query) {
    if (!encoded.empty()) encoded += '&';
    encoded += UriEncode(name, true) + "=" + UriEncode(value, true);
  }
  return encoded;
}

std::string TargetOf(const Operation& operation) {
  std::string query = EncodeQuery(operation.query);
  return query.empty() ? operation.path : operation.path + "?" + query;
}

std::optional<Clock::time_point> ParseHttpDate(const std::string& text) {
  std::tm parts{};
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S", &parts);
  if (end == nullptr) return std::nullopt;
  return Clock::from_time_t(timegm(&parts));
}

HttpRequest BuildRequest(const Endpoint& endpoint, const Operation& operation,
                         const Credentials& credentials,
                         Clock::time_point signing_time,
                         SigningResult* signing) {
  std::string base = PrefixHost(endpoint.base_url, operation.account_id);
  SignableRequest signable;
  signable.method = operation.method;
  signable.target = TargetOf(operation);
  signable.body = operation.body;
  signable.headers.emplace_back("Host", HostOf(base));
  for (const auto& header : operation.headers) {
    signable.headers.push_back(header);
  }
  if (!operation.account_id.empty()) {
    signable.headers.emplace_back("x-amz-account-id", operation.account_id);
  }
  if (operation.checksum_required) {
    signable.headers.emplace_back("x-amz-checksum-crc32",
                                  Crc32Base64(operation.body));
  }

  SigningParams params;
  params.region = endpoint.region;
  params.service = endpoint.signing_name;
  params.time = signing_time;
  bool s3_rules = endpoint.signing_name == "s3";
  params.normalize_path = !s3_rules;
  params.double_encode_path = !s3_rules;
  params.payload =
      s3_rules ? PayloadMode::kHashWithHeader : PayloadMode::kHashOnly;
  *signing = SignWithHeaders(signable, credentials, params);

  HttpRequest request;
  request.method = operation.method;
  request.url = base + signing->target;
  request.body = operation.body;
  request.idempotent = operation.idempotent;
  for (const auto& header : signing->headers) {
    // libcurl derives Host from the URL; sending it twice would be wrong.
    if (FindHeader({header}, "host")) continue;
    request.headers.push_back(header);
  }
  return request;
}

std::string RequestIdOf(const HttpResponse& response) {
  for (const char* name :
       {"x-amz-request-id", "x-amzn-RequestId", "x-amzn-requestid"}) {
    if (auto id = response.Header(name)) return *id;
  }
  return "";
}

Error ErrorFromResponse(const Operation& operation,
                        const HttpResponse& response) {
  if (response.failure != NetworkFailure::kNone) {
    return TransportError(
               fmt::format("{}: {}", operation.name, response.failure_detail))
        .WithOperation(operation.name);
  }
  std::optional<AwsErrorBody> parsed = ParseErrorBody(response.body);
  if (!parsed) {
    // HEAD answers and some proxies carry no AWS error document.
    std::string code = response.status == 404   ? "NotFound"
                       : response.status == 403 ? "Forbidden"
                                                : "";
    if (code.empty()) {
      return TransportError(
                 fmt::format("{}: HTTP {} with no AWS error in the reply",
                             operation.name, response.status))
          .WithOperation(operation.name);
    }
    return Error::Service(operation.name, static_cast<int>(response.status),
                          code, "", RequestIdOf(response));
  }
  std::string request_id =
      parsed->request_id.empty() ? RequestIdOf(response) : parsed->request_id;
  return Error::Service(operation.name, static_cast<int>(response.status),
                        parsed->code, parsed->message, request_id);
}

void DebugSigning(Session& session, const Operation& operation,
                  const HttpRequest& request, const SigningResult& signing,
                  int attempt) {
  if (!session.debugging()) return;
  session.Debug(fmt::format("{} {} {} (attempt {})", operation.name,
                            request.method, request.url, attempt));
  session.Debug("canonical request:\n" +
                MaskCanonicalRequest(signing.canonical_request));
  session.Debug("string to sign:\n" + signing.string_to_sign);
}

void DebugAnswer(Session& session, const Operation& operation,
                 const HttpResponse& response,
                 std::chrono::steady_clock::duration elapsed) {
  if (!session.debugging()) return;
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
  if (response.failure != NetworkFailure::kNone) {
    session.Debug(fmt::format("{} failed after {} ms: {}", operation.name, ms,
                              response.failure_detail));
    return;
  }
  session.Debug(fmt::format("{} HTTP {} in {} ms, request id {}",
                            operation.name, response.status, ms,
                            RequestIdOf(response)));
}

// True when the answer says our clock is off by more than the threshold;
// then the session's clock is corrected so the next signature is valid.
bool CorrectedSkew(Session& session, const HttpResponse& response) {
  std::optional<std::string> date = response.Header("Date");
  if (!date) return false;
  std::optional<Clock::time_point> server_time = ParseHttpDate(*date);
  if (!server_time) return false;
  auto skew = *server_time - session.SigningTime();
  if (skew < kSkewThreshold && skew > -kSkewThreshold) return false;
  session.CorrectClock(*server_time);
  session.Debug(fmt::format(
      "clock skew: corrected the signing clock by {} s",
      std::chrono::duration_cast<std::chrono::seconds>(session.clock_offset())
          .count()));
  return true;
}

Error Exhausted(const Operation& operation, Error last, int attempts,
                FailureClass failure) {
  if (failure != FailureClass::kThrottling &&
      failure != FailureClass::kTransient &&
      failure != FailureClass::kTimeout) {
    return last;
  }
  std::string what = failure == FailureClass::kThrottling
                         ? "throttled"
                         : "failed with a transient error";
  std::string message = fmt::format(
      "{} {} on all {} attempts: {}", operation.name, what, attempts,
      last.message().empty() ? last.code() : last.message());
  if (last.kind() == ErrorKind::kService) {
    return Error::Service(operation.name, last.http_status(), last.code(),
                          message, last.request_id());
  }
  return TransportError(message).WithOperation(operation.name);
}

}  // namespace

std::string OperationUrl(const Endpoint& endpoint, const Operation& operation) {
  return PrefixHost(endpoint.base_url, operation.account_id) +
         TargetOf(operation);
}

std::string MaskCanonicalRequest(std::string canonical_request) {
  for (const char* marker :
       {"x-amz-security-token:", "X-Amz-Security-Token="}) {
    size_t at = 0;
    while ((at = canonical_request.find(marker, at)) != std::string::npos) {
      size_t begin = at + std::string_view(marker).size();
      size_t end = canonical_request.find_first_of("&\n", begin);
      if (end == std::string::npos) end = canonical_request.size();
      canonical_request.replace(begin, end - begin, "****");
      at = begin;
    }
  }
  return canonical_request;
}

HttpResponse Perform(Session& session, const Operation& operation) {
  return PerformWith(session, operation, session.GetCredentials());
}

HttpResponse PerformWith(Session& session, const Operation& operation,
                         const Credentials& credentials) {
  Endpoint endpoint = session.EndpointFor(operation.service);
  int max_attempts = session.retry().max_attempts;
  bool skew_corrected = false;
  int last_retry_cost = 0;
  for (int attempt = 1;; ++attempt) {
    SigningResult signing;
    HttpRequest request = BuildRequest(endpoint, operation, credentials,
                                       session.SigningTime(), &signing);
    DebugSigning(session, operation, request, signing, attempt);
    auto started = std::chrono::steady_clock::now();
    HttpResponse response = session.Http().Send(request);
    DebugAnswer(session, operation, response,
                std::chrono::steady_clock::now() - started);
    if (response.failure == NetworkFailure::kNone &&
        response.status / 100 == 2) {
      session.quota().Release(last_retry_cost);
      return response;
    }

    Error error = ErrorFromResponse(operation, response);
    FailureClass failure =
        ClassifyFailure(response, error.code(), operation.idempotent);
    if (failure == FailureClass::kClockSkew) {
      // One free, immediate retry with the server's clock; a real
      // signature mismatch fails on the spot.
      if (!skew_corrected && CorrectedSkew(session, response)) {
        skew_corrected = true;
        --attempt;
        continue;
      }
      throw error;
    }
    if (failure == FailureClass::kNotRetryable) throw error;
    if (attempt >= max_attempts ||
        !session.quota().Acquire(failure, &last_retry_cost)) {
      throw Exhausted(operation, error, attempt, failure);
    }
    auto delay = BackoffDelay(attempt, session.Random01());
    session.Debug(
        fmt::format("{}: retrying in {} ms ({})", operation.name, delay.count(),
                    error.code().empty() ? error.message() : error.code()));
    session.Sleep(delay);
  }
}

}  // namespace cytoskel
