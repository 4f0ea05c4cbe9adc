#include "aws/sigv4.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <utility>

#include "aws/crypto.h"
#include "aws/error.h"

namespace cytoskel {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kScopeTerminator = "aws4_request";
constexpr std::chrono::seconds kMaxPresignExpiry{7 * 24 * 3600};

// Key material that is wiped when it goes out of scope, also when an
// exception unwinds past it.
class SecretBytes {
 public:
  explicit SecretBytes(std::string bytes) : bytes_(std::move(bytes)) {}
  ~SecretBytes() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  std::string_view view() const { return bytes_; }

 private:
  std::string bytes_;
};

// ---- Character classes and small string helpers. ----

bool IsAsciiAlnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9');
}

bool IsUnreserved(char c) {
  return IsAsciiAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// RFC 9110 token characters: what a header name may consist of.
bool IsTokenChar(char c) {
  return IsAsciiAlnum(c) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// The whitespace that header canonicalization trims and collapses: space,
// tab and line breaks (folded header lines arrive with theirs).
bool IsHeaderSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
         c == '\f';
}

// Value of a hex digit, or -1.
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// True when text[pos] starts a well-formed %XX escape.
bool IsEscapeAt(std::string_view text, std::size_t pos) {
  return pos + 2 < text.size() && text[pos] == '%' &&
         HexValue(text[pos + 1]) >= 0 && HexValue(text[pos + 2]) >= 0;
}

void AppendEscaped(unsigned char byte, std::string* out) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  out->push_back('%');
  out->push_back(kDigits[byte >> 4]);
  out->push_back(kDigits[byte & 0x0f]);
}

char ToLowerAscii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string ToLowerAscii(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = ToLowerAscii(c);
  return lower;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ToLowerAscii(x) == ToLowerAscii(y);
         });
}

// Decodes %XX escapes; anything else, a malformed `%` included, is copied.
std::string PercentDecode(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (IsEscapeAt(text, i)) {
      decoded.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 +
                                          HexValue(text[i + 2])));
      i += 2;
    } else {
      decoded.push_back(text[i]);
    }
  }
  return decoded;
}

// Encodes a path that is meant to be encoded already: keeps unreserved
// bytes, `/` and valid escapes (hex made uppercase), encodes the rest.
std::string EncodeKeepingEscapes(std::string_view path) {
  std::string encoded;
  encoded.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (IsEscapeAt(path, i)) {
      AppendEscaped(static_cast<unsigned char>(HexValue(path[i + 1]) * 16 +
                                               HexValue(path[i + 2])),
                    &encoded);
      i += 2;
    } else if (IsUnreserved(c) || c == '/') {
      encoded.push_back(c);
    } else {
      AppendEscaped(static_cast<unsigned char>(c), &encoded);
    }
  }
  return encoded;
}

// Trims the value and collapses each inner whitespace run to one space.
std::string TrimAndCollapse(std::string_view value) {
  std::string result;
  result.reserve(value.size());
  bool pending_space = false;
  for (char c : value) {
    if (IsHeaderSpace(c)) {
      pending_space = !result.empty();
      continue;
    }
    if (pending_space) result.push_back(' ');
    pending_space = false;
    result.push_back(c);
  }
  return result;
}

// Splits "path?query" at the first `?`; the query excludes the `?`.
std::pair<std::string_view, std::string_view> SplitTarget(
    std::string_view target) {
  const std::size_t question = target.find('?');
  if (question == std::string_view::npos) return {target, {}};
  return {target.substr(0, question), target.substr(question + 1)};
}

// Calls `visit(part)` for each non-empty `&`-separated part of a query.
template <typename Visitor>
void ForEachQueryPart(std::string_view query, Visitor visit) {
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    if (end > start) visit(query.substr(start, end - start));
    start = end + 1;
  }
}

std::string_view QueryPartKey(std::string_view part) {
  return part.substr(0, part.find('='));
}

void AppendQueryPart(std::string_view part, std::string* query) {
  if (!query->empty()) query->push_back('&');
  query->append(part);
}

// ---- Request pieces. ----

bool HasHeader(const Headers& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(), [&](const Header& h) {
    return EqualsIgnoreCase(h.first, name);
  });
}

void RequireHost(const SignableRequest& request) {
  if (!HasHeader(request.headers, "host")) {
    throw Error(ErrorKind::kInternal, "cannot sign a request without Host");
  }
}

// The input headers minus those named in `owned` (any case).
Headers WithoutHeaders(const Headers& headers,
                       const std::vector<std::string_view>& owned) {
  Headers kept;
  for (const Header& header : headers) {
    const bool is_owned =
        std::any_of(owned.begin(), owned.end(), [&](std::string_view name) {
          return EqualsIgnoreCase(header.first, name);
        });
    if (!is_owned) kept.push_back(header);
  }
  return kept;
}

// The raw query minus parameters whose decoded key is in `owned` (exact).
std::string WithoutQueryParams(std::string_view query,
                               const std::vector<std::string_view>& owned) {
  std::string kept;
  ForEachQueryPart(query, [&](std::string_view part) {
    const std::string key = PercentDecode(QueryPartKey(part));
    if (std::find(owned.begin(), owned.end(), key) == owned.end()) {
      AppendQueryPart(part, &kept);
    }
  });
  return kept;
}

std::string PayloadHash(const SignableRequest& request, PayloadMode mode) {
  if (mode == PayloadMode::kUnsigned) return std::string(kUnsignedPayload);
  return Sha256Hex(request.body);
}

std::string CredentialScope(std::string_view date_stamp,
                            const SigningParams& params) {
  std::string scope(date_stamp);
  scope.append("/").append(params.region);
  scope.append("/").append(params.service);
  scope.append("/").append(kScopeTerminator);
  return scope;
}

std::string CanonicalRequest(std::string_view method,
                             std::string_view canonical_uri,
                             std::string_view canonical_query,
                             std::string_view canonical_headers,
                             std::string_view signed_headers,
                             std::string_view payload_hash) {
  std::string request(method);
  request.append("\n").append(canonical_uri);
  request.append("\n").append(canonical_query);
  request.append("\n").append(canonical_headers);
  request.append("\n").append(signed_headers);
  request.append("\n").append(payload_hash);
  return request;
}

// Fills the three signing stages of `result` from its canonical request.
void SignCanonicalRequest(const Credentials& credentials,
                          const SigningParams& params,
                          std::string_view amz_date,
                          std::string_view date_stamp, SigningResult* result) {
  result->string_to_sign = StringToSign(amz_date, result->credential_scope,
                                        result->canonical_request);
  result->signature =
      SignatureHex(credentials.secret_access_key, date_stamp, params.region,
                   params.service, result->string_to_sign);
}

std::string AuthorizationValue(const Credentials& credentials,
                               const SigningResult& result) {
  std::string value(kAlgorithm);
  value.append(" Credential=").append(credentials.access_key_id);
  value.append("/").append(result.credential_scope);
  value.append(", SignedHeaders=").append(result.signed_headers);
  value.append(", Signature=").append(result.signature);
  return value;
}

// ---- Dates. ----

struct UtcTime {
  int year;
  unsigned month;
  unsigned day;
  int hours;
  int minutes;
  int seconds;
};

UtcTime ToUtc(std::chrono::system_clock::time_point t) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(t);
  const auto days = std::chrono::floor<std::chrono::days>(seconds);
  const std::chrono::year_month_day date(days);
  const std::chrono::hh_mm_ss time_of_day(seconds - days);
  return {static_cast<int>(date.year()),
          static_cast<unsigned>(date.month()),
          static_cast<unsigned>(date.day()),
          static_cast<int>(time_of_day.hours().count()),
          static_cast<int>(time_of_day.minutes().count()),
          static_cast<int>(time_of_day.seconds().count())};
}

}  // namespace

std::string UriEncode(std::string_view text, bool encode_slash) {
  std::string encoded;
  encoded.reserve(text.size());
  for (char c : text) {
    if (IsUnreserved(c) || (c == '/' && !encode_slash)) {
      encoded.push_back(c);
    } else {
      AppendEscaped(static_cast<unsigned char>(c), &encoded);
    }
  }
  return encoded;
}

std::string NormalizePath(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }

  std::string normalized;
  for (std::string_view segment : segments) {
    normalized.append("/").append(segment);
  }
  if (normalized.empty() || path.back() == '/') normalized.push_back('/');
  return normalized;
}

std::string CanonicalUri(std::string_view path, bool normalize_path,
                         bool double_encode_path) {
  if (path.empty()) return "/";
  const std::string prepared =
      normalize_path ? NormalizePath(path) : std::string(path);
  return double_encode_path ? UriEncode(prepared, /*encode_slash=*/false)
                            : EncodeKeepingEscapes(prepared);
}

std::string CanonicalQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  ForEachQueryPart(query, [&](std::string_view part) {
    const std::size_t equals = part.find('=');
    const std::string_view key = part.substr(0, equals);
    const std::string_view value = equals == std::string_view::npos
                                       ? std::string_view()
                                       : part.substr(equals + 1);
    params.emplace_back(UriEncode(PercentDecode(key), true),
                        UriEncode(PercentDecode(value), true));
  });
  std::sort(params.begin(), params.end());

  std::string canonical;
  for (const auto& [key, value] : params) {
    if (!canonical.empty()) canonical.push_back('&');
    canonical.append(key).append("=").append(value);
  }
  return canonical;
}

std::string CanonicalHeaders(const Headers& headers,
                             std::string* signed_headers) {
  // std::map keeps names sorted bytewise; values join in input order.
  std::map<std::string, std::string> joined;
  for (const auto& [name, value] : headers) {
    if (name.empty() || !std::all_of(name.begin(), name.end(), IsTokenChar)) {
      throw Error(ErrorKind::kInternal,
                  "cannot sign a header whose name is not an HTTP token");
    }
    const auto [it, inserted] =
        joined.try_emplace(ToLowerAscii(name), TrimAndCollapse(value));
    if (!inserted) it->second.append(",").append(TrimAndCollapse(value));
  }

  std::string canonical;
  std::string names;
  for (const auto& [name, value] : joined) {
    canonical.append(name).append(":").append(value).append("\n");
    if (!names.empty()) names.push_back(';');
    names.append(name);
  }
  if (signed_headers != nullptr) *signed_headers = std::move(names);
  return canonical;
}

std::string StringToSign(std::string_view amz_date,
                         std::string_view credential_scope,
                         std::string_view canonical_request) {
  std::string string_to_sign(kAlgorithm);
  string_to_sign.append("\n").append(amz_date);
  string_to_sign.append("\n").append(credential_scope);
  string_to_sign.append("\n").append(Sha256Hex(canonical_request));
  return string_to_sign;
}

std::string SignatureHex(std::string_view secret_access_key,
                         std::string_view date_stamp, std::string_view region,
                         std::string_view service,
                         std::string_view string_to_sign) {
  std::string prefixed_secret;
  prefixed_secret.reserve(4 + secret_access_key.size());
  prefixed_secret.append("AWS4").append(secret_access_key);

  const SecretBytes k_secret(std::move(prefixed_secret));
  const SecretBytes k_date(HmacSha256(k_secret.view(), date_stamp));
  const SecretBytes k_region(HmacSha256(k_date.view(), region));
  const SecretBytes k_service(HmacSha256(k_region.view(), service));
  const SecretBytes k_signing(HmacSha256(k_service.view(), kScopeTerminator));
  return HexEncode(HmacSha256(k_signing.view(), string_to_sign));
}

std::string FormatAmzDate(std::chrono::system_clock::time_point t) {
  const UtcTime utc = ToUtc(t);
  char text[40];
  std::snprintf(text, sizeof(text), "%04d%02u%02uT%02d%02d%02dZ", utc.year,
                utc.month, utc.day, utc.hours, utc.minutes, utc.seconds);
  return text;
}

std::string FormatDateStamp(std::chrono::system_clock::time_point t) {
  return FormatAmzDate(t).substr(0, 8);
}

SigningResult SignWithHeaders(const SignableRequest& request,
                              const Credentials& credentials,
                              const SigningParams& params) {
  RequireHost(request);
  const std::string amz_date = FormatAmzDate(params.time);
  const std::string date_stamp = FormatDateStamp(params.time);
  const bool has_token = !credentials.session_token.empty();
  const bool sign_token = has_token && !params.omit_session_token;
  const bool add_hash_header = params.payload != PayloadMode::kHashOnly;
  const std::string payload_hash = PayloadHash(request, params.payload);

  // The headers the signer owns replace any the caller passed.
  std::vector<std::string_view> owned = {"authorization", "x-amz-date"};
  if (has_token) owned.push_back("x-amz-security-token");
  if (add_hash_header) owned.push_back("x-amz-content-sha256");
  SigningResult result;
  result.headers = WithoutHeaders(request.headers, owned);
  result.headers.emplace_back("X-Amz-Date", amz_date);
  if (sign_token) {
    result.headers.emplace_back("X-Amz-Security-Token",
                                credentials.session_token);
  }
  if (add_hash_header) {
    result.headers.emplace_back("x-amz-content-sha256", payload_hash);
  }

  const auto [path, query] = SplitTarget(request.target);
  const std::string canonical_headers =
      CanonicalHeaders(result.headers, &result.signed_headers);
  result.credential_scope = CredentialScope(date_stamp, params);
  result.canonical_request = CanonicalRequest(
      request.method,
      CanonicalUri(path, params.normalize_path, params.double_encode_path),
      CanonicalQuery(query), canonical_headers, result.signed_headers,
      payload_hash);
  SignCanonicalRequest(credentials, params, amz_date, date_stamp, &result);

  if (has_token && !sign_token) {
    result.headers.emplace_back("X-Amz-Security-Token",
                                credentials.session_token);
  }
  result.headers.emplace_back("Authorization",
                              AuthorizationValue(credentials, result));
  result.target = request.target;
  return result;
}

SigningResult PresignWithQuery(const SignableRequest& request,
                               const Credentials& credentials,
                               const SigningParams& params) {
  RequireHost(request);
  if (params.expires < std::chrono::seconds(1) ||
      params.expires > kMaxPresignExpiry) {
    throw UsageError(
        "a presigned URL must expire between 1 second and 7 days from now");
  }
  const std::string amz_date = FormatAmzDate(params.time);
  const std::string date_stamp = FormatDateStamp(params.time);
  const bool has_token = !credentials.session_token.empty();
  const bool sign_token = has_token && !params.omit_session_token;

  SigningResult result;
  result.headers = request.headers;
  const std::string canonical_headers =
      CanonicalHeaders(result.headers, &result.signed_headers);
  result.credential_scope = CredentialScope(date_stamp, params);

  // The input query, minus the parameters the signer owns, then the
  // signing parameters, encoded as they go on the wire, in botocore's order.
  std::vector<std::string_view> owned = {
      "X-Amz-Algorithm", "X-Amz-Credential",    "X-Amz-Date",
      "X-Amz-Expires",   "X-Amz-SignedHeaders", "X-Amz-Signature"};
  if (has_token) owned.push_back("X-Amz-Security-Token");
  const auto [path, input_query] = SplitTarget(request.target);
  std::string query = WithoutQueryParams(input_query, owned);
  const auto append_param = [&query](std::string_view name,
                                     std::string_view value) {
    AppendQueryPart(std::string(name) + "=" + UriEncode(value, true), &query);
  };
  append_param("X-Amz-Algorithm", kAlgorithm);
  append_param("X-Amz-Credential",
               credentials.access_key_id + "/" + result.credential_scope);
  append_param("X-Amz-Date", amz_date);
  append_param("X-Amz-Expires", std::to_string(params.expires.count()));
  append_param("X-Amz-SignedHeaders", result.signed_headers);
  if (sign_token) {
    append_param("X-Amz-Security-Token", credentials.session_token);
  }

  result.canonical_request = CanonicalRequest(
      request.method,
      CanonicalUri(path, params.normalize_path, params.double_encode_path),
      CanonicalQuery(query), canonical_headers, result.signed_headers,
      PayloadHash(request, params.payload));
  SignCanonicalRequest(credentials, params, amz_date, date_stamp, &result);

  if (has_token && !sign_token) {
    append_param("X-Amz-Security-Token", credentials.session_token);
  }
  append_param("X-Amz-Signature", result.signature);
  result.target = std::string(path) + "?" + query;
  return result;
}

}  // namespace cytoskel
