// Fuzzes SigV4 canonicalisation and signing (aws/sigv4.h) with arbitrary
// methods, targets, headers and bodies, and the --debug masking of the
// canonical request (aws/operation.h).
//
// Properties checked besides "no crash, only cytoskel::Error":
// - NormalizePath starts with '/' and is idempotent; so are CanonicalQuery
//   and the S3 form of CanonicalUri (already-canonical input is kept);
// - a signature is 64 lowercase hex digits, Authorization is the last
//   header and names it;
// - the secret key appears in no signing stage, and what --debug prints of
//   the canonical request (MaskCanonicalRequest) is the same whatever the
//   session token: masking hides it wherever it went. (A check for the
//   token's text would be wrong: percent-encoding can spell it from other
//   bytes, "\xff" "woGZ..." becoming "%FFwoGZ...".)
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "aws/operation.h"
#include "aws/sigv4.h"
#include "fuzz_support.h"

namespace cytoskel::fuzz {
namespace {

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr char kToken[] = "FwoGZXIvYXdzEFUZZSESSIONTOKENEXAMPLE";
constexpr char kOtherToken[] = "IQoJb3JpZ2luX2VjEOTHERTOKEN";

bool LowerHex(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

void CheckCanonicalParts(std::string_view path, std::string_view query) {
  std::string normalized = NormalizePath(path);
  Require(normalized.starts_with("/"), "a normalized path starts with '/'");
  Require(NormalizePath(normalized) == normalized,
          "NormalizePath is idempotent");

  std::string canonical = CanonicalQuery(query);
  Require(CanonicalQuery(canonical) == canonical,
          "CanonicalQuery is idempotent");

  std::string uri = CanonicalUri(path, false, false);
  Require(CanonicalUri(uri, false, false) == uri,
          "the S3 canonical URI of a canonical URI is itself");
  CanonicalUri(path, true, true);
  UriEncode(path, true);
}

SignableRequest MakeRequest(FuzzedDataProvider& data) {
  SignableRequest request;
  request.method = data.ConsumeRandomLengthString(16);
  request.target = data.ConsumeRandomLengthString(512);
  request.headers.emplace_back("Host", data.ConsumeRandomLengthString(64));
  int extra = data.ConsumeIntegralInRange(0, 6);
  for (int i = 0; i < extra; ++i) {
    std::string name = data.ConsumeRandomLengthString(32);
    request.headers.emplace_back(name, data.ConsumeRandomLengthString(128));
  }
  request.body = data.ConsumeRandomLengthString(1024);
  return request;
}

SigningParams MakeParams(FuzzedDataProvider& data) {
  SigningParams params;
  params.region = data.ConsumeRandomLengthString(24);
  params.service = data.ConsumeRandomLengthString(16);
  // Up to 2200-01-01: system_clock counts nanoseconds in 64 bits, which
  // end in 2262.
  params.time = std::chrono::system_clock::time_point(std::chrono::seconds(
      data.ConsumeIntegralInRange<int64_t>(0, 7258118400)));
  params.normalize_path = data.ConsumeBool();
  params.double_encode_path = data.ConsumeBool();
  params.payload = data.PickValueInArray({PayloadMode::kHashOnly,
                                          PayloadMode::kHashWithHeader,
                                          PayloadMode::kUnsigned});
  params.omit_session_token = data.ConsumeBool();
  params.expires =
      std::chrono::seconds(data.ConsumeIntegralInRange(-10, 700000));
  return params;
}

void CheckNoSecret(const SigningResult& result) {
  for (const std::string& text :
       {result.canonical_request, result.string_to_sign, result.target}) {
    Require(text.find(kSecret) == std::string::npos,
            "the secret key is never in a signing stage");
  }
}

// Signs again with another session token: the masked canonical requests
// must not tell the two apart.
void CheckTokenMasked(const SignableRequest& request,
                      const Credentials& credentials,
                      const SigningParams& params,
                      const SigningResult& result) {
  Credentials other = credentials;
  other.session_token = kOtherToken;
  SigningResult again = SignWithHeaders(request, other, params);
  Require(MaskCanonicalRequest(result.canonical_request) ==
              MaskCanonicalRequest(again.canonical_request),
          "--debug masks the session token");
}

void CheckSigning(FuzzedDataProvider& data) {
  SignableRequest request = MakeRequest(data);
  SigningParams params = MakeParams(data);
  Credentials credentials{"AKIDEXAMPLE", kSecret, "", std::nullopt, "fuzz"};
  if (data.ConsumeBool()) credentials.session_token = kToken;
  bool secret_is_input = false;
  for (const auto& [name, value] : request.headers) {
    for (const std::string& text : {name, value}) {
      secret_is_input |= text.find(kSecret) != std::string::npos;
    }
  }
  for (const std::string& text : {request.target, request.method}) {
    secret_is_input |= text.find(kSecret) != std::string::npos;
  }

  ExpectOnlyErrors("SignWithHeaders", [&] {
    SigningResult result = SignWithHeaders(request, credentials, params);
    Require(LowerHex(result.signature), "signatures are 64 hex digits");
    Require(!result.headers.empty() &&
                result.headers.back().first == "Authorization" &&
                result.headers.back().second.ends_with(result.signature),
            "Authorization is the last header and names the signature");
    if (!secret_is_input) CheckNoSecret(result);
    if (!credentials.session_token.empty()) {
      CheckTokenMasked(request, credentials, params, result);
    }
  });
  ExpectOnlyErrors("PresignWithQuery", [&] {
    SigningResult result = PresignWithQuery(request, credentials, params);
    Require(LowerHex(result.signature), "signatures are 64 hex digits");
    Require(result.target.find("X-Amz-Signature=" + result.signature) !=
                std::string::npos,
            "a presigned target carries the signature");
    if (!secret_is_input) CheckNoSecret(result);
  });
}

}  // namespace
}  // namespace cytoskel::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider provider(data, size);
  std::string path = provider.ConsumeRandomLengthString(512);
  std::string query = provider.ConsumeRandomLengthString(512);
  cytoskel::fuzz::CheckCanonicalParts(path, query);
  cytoskel::fuzz::ExpectOnlyErrors("CanonicalHeaders", [&] {
    cytoskel::Headers headers;
    int count = provider.ConsumeIntegralInRange(0, 8);
    for (int i = 0; i < count; ++i) {
      std::string name = provider.ConsumeRandomLengthString(32);
      headers.emplace_back(name, provider.ConsumeRandomLengthString(128));
    }
    std::string signed_headers;
    cytoskel::CanonicalHeaders(headers, &signed_headers);
  });
  cytoskel::fuzz::CheckSigning(provider);
  return 0;
}
