// AWS Signature Version 4 (AWS4-HMAC-SHA256), as a pure function of its
// inputs: the signing time is a parameter and nothing is read from the
// environment. Every stage (canonical request, string to sign, signature) is
// returned so that tests can compare each one and --debug can show them when
// AWS answers SignatureDoesNotMatch.
//
// Conformance: the 38 aws-c-auth v4 cases (header and query mode) and the two
// extra cases of AWS's 2015 suite, in tests/data/sigv4; S3 behaviour is
// checked against botocore in tests/unit/aws/sigv4_test.cc.
//
// Input contract, for every function here: arbitrary bytes never crash or
// reach undefined behaviour. Malformed input is either canonicalized
// defensively (documented per function) or rejected with cytoskel::Error.
#ifndef CYTOSKEL_AWS_SIGV4_H_
#define CYTOSKEL_AWS_SIGV4_H_

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/credentials.h"

namespace cytoskel {

using Header = std::pair<std::string, std::string>;
using Headers = std::vector<Header>;  // repeated names allowed, order kept

// The payload-hash line used instead of a body hash.
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

struct SignableRequest {
  std::string method;  // used exactly as given: pass it as sent ("GET")
  // Path plus optional "?query", exactly as on the request line. An empty
  // path means "/".
  std::string target;
  Headers headers;  // must include Host; every header here is signed
  std::string body;
};

enum class PayloadMode {
  // Payload line = hex SHA-256 of the body; no header is added.
  kHashOnly,
  // Same line; header mode also adds and signs
  // `x-amz-content-sha256: <hash>`. What S3 and S3 Control need.
  kHashWithHeader,
  // Payload line UNSIGNED-PAYLOAD; header mode also adds and signs
  // `x-amz-content-sha256: UNSIGNED-PAYLOAD`. Presigned S3 URLs use this.
  kUnsigned,
};

struct SigningParams {
  std::string region;
  std::string service;  // "iam", "sts", "s3" (S3 Control signs as "s3")
  std::chrono::system_clock::time_point time;
  // Remove `.`/`..` segments and merge `//` before encoding. False for S3.
  bool normalize_path = true;
  // True: the path on the request line is percent-encoded once more (`%`
  // becomes `%25`). False (S3, S3 Control): the path is taken as already
  // encoded; see CanonicalUri.
  bool double_encode_path = true;
  PayloadMode payload = PayloadMode::kHashOnly;
  // True: the session token is attached after signing and is not signed.
  bool omit_session_token = false;
  // Query (presign) mode only. Must lie in [1 s, 7 days] (AWS's limits).
  std::chrono::seconds expires{3600};
};

struct SigningResult {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;         // 64 lowercase hex characters
  std::string signed_headers;    // "host;x-amz-date"
  std::string credential_scope;  // "20150830/us-east-1/iam/aws4_request"
  // Header mode: the request's full header list to send: the input headers
  // (minus any the signer owns, see SignWithHeaders), then X-Amz-Date,
  // X-Amz-Security-Token, x-amz-content-sha256 as applicable, then
  // Authorization. Query mode: the input headers unchanged.
  Headers headers;
  // Header mode: the input target unchanged. Query mode: the target to send:
  // path, the input query, then every X-Amz-* parameter and X-Amz-Signature.
  std::string target;
};

// Signs with an Authorization header. The signer owns X-Amz-Date and
// Authorization, plus X-Amz-Security-Token when the credentials carry a
// token and x-amz-content-sha256 when the payload mode adds it: input
// headers with those names (any case) are replaced, not duplicated.
// Throws Error (kInternal) when the request has no Host header or a header
// name is not an HTTP token.
SigningResult SignWithHeaders(const SignableRequest& request,
                              const Credentials& credentials,
                              const SigningParams& params);

// Presigns with query parameters. Only the input headers are signed (usually
// just Host); no header is added. X-Amz-* parameters the signer sets that
// are already in the input query are dropped first. The payload line is the
// body hash except in kUnsigned mode. Throws as SignWithHeaders does, and a
// UsageError when params.expires is outside [1 s, 7 days].
SigningResult PresignWithQuery(const SignableRequest& request,
                               const Credentials& credentials,
                               const SigningParams& params);

// ---- Building blocks, exposed for tests and fuzzers. ----

// Percent-encodes every byte except the unreserved set A-Z a-z 0-9 - . _ ~
// (and `/` when `encode_slash` is false), as %XX with uppercase hex.
std::string UriEncode(std::string_view text, bool encode_slash);

// Removes `.` and `..` segments and merges empty segments. The result always
// starts with `/` and ends with `/` only when `path` does ("/a/b/.." gives
// "/a", as botocore does); "" and "/.." give "/".
std::string NormalizePath(std::string_view path);

// The canonical URI of a request-line path. With `double_encode_path`, the
// (optionally normalized) path is UriEncode'd with `/` kept, so an existing
// `%` becomes `%25`. Without it (S3), the path must already be encoded by the
// caller, one UriEncode(segment, true) per segment: it is used as given,
// except that valid %xx escapes get uppercase hex and any byte that cannot
// stand in an encoded path (a space, a non-ASCII byte, a `%` not followed by
// two hex digits) is encoded. For well-formed input that is the identity.
std::string CanonicalUri(std::string_view path, bool normalize_path,
                         bool double_encode_path);

// The canonical form of a raw query string (without the `?`). Parameters are
// split on `&` (empty ones skipped) and at the first `=` (none: empty value).
// Keys and values are percent-decoded, re-encoded with UriEncode(x, true),
// then sorted by key, then value, bytewise. Decoding touches %XX escapes
// only: a literal `+` is a plus sign (canonical %2B), never a space. A caller
// that builds its query with UriEncode(x, true) (space as %20, `+` as %2B)
// gets exactly botocore's canonical query. A `%` not followed by two hex
// digits is kept as a literal `%` (canonical %25).
std::string CanonicalQuery(std::string_view query);

// Canonical header block: one "name:value\n" line per distinct lowercase
// name, sorted by name; values trimmed, inner whitespace runs (line breaks
// included) collapsed to one space, repeated names joined with "," in input
// order. Stores the ";"-joined names in *signed_headers unless it is null.
// Throws Error (kInternal) for a name that is not an HTTP token.
std::string CanonicalHeaders(const Headers& headers,
                             std::string* signed_headers);

// "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256(canonical_request)>".
std::string StringToSign(std::string_view amz_date,
                         std::string_view credential_scope,
                         std::string_view canonical_request);

// Hex HMAC of `string_to_sign` under the key derived from the secret, date
// stamp, region and service. The derived keys are wiped before returning.
std::string SignatureHex(std::string_view secret_access_key,
                         std::string_view date_stamp, std::string_view region,
                         std::string_view service,
                         std::string_view string_to_sign);

std::string FormatAmzDate(std::chrono::system_clock::time_point t);
std::string FormatDateStamp(std::chrono::system_clock::time_point t);

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_SIGV4_H_
