// SigV4 conformance and S3 behaviour.
//
// 1. The aws-c-auth suite in tests/data/sigv4 (see its README.md): every v4
//    case in header and query mode, both classic cases, each stage compared
//    on its own, plus the signed request.
// 2. S3, S3 Control, IAM and double-encoding cases that the suite lacks,
//    checked against botocore (see BotocoreCases below).
// 3. The building blocks, and malformed input.
#include "aws/sigv4.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "aws/credentials.h"
#include "aws/crypto.h"
#include "aws/error.h"

#ifndef CYTOSKEL_SIGV4_TESTDATA_DIR
#error "CYTOSKEL_SIGV4_TESTDATA_DIR must name the tests/data/sigv4 folder"
#endif

namespace cytoskel {
namespace {

namespace fs = std::filesystem;
using std::chrono::system_clock;

const fs::path kDataDir = CYTOSKEL_SIGV4_TESTDATA_DIR;
constexpr char kAccessKeyId[] = "AKIDEXAMPLE";
constexpr char kSecretKey[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

// ---- Reading the suite. ----

std::string ReadBinary(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return {};
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

struct ParsedRequest {
  std::string method;
  std::string target;
  Headers headers;
  std::string body;
};

// Parses request.txt and *-signed-request.txt as README §1.3 describes.
ParsedRequest ParseRequest(std::string_view text) {
  ParsedRequest request;
  std::size_t line_end = std::min(text.find('\n'), text.size());
  const std::string_view request_line = text.substr(0, line_end);
  const std::size_t space = request_line.find(' ');
  constexpr std::string_view kVersion = " HTTP/1.1";
  request.method = std::string(request_line.substr(0, space));
  if (space != std::string_view::npos &&
      request_line.size() >= space + 1 + kVersion.size()) {
    request.target = std::string(request_line.substr(
        space + 1, request_line.size() - space - 1 - kVersion.size()));
  }

  std::size_t pos = line_end + 1;
  while (pos < text.size()) {
    line_end = std::min(text.find('\n', pos), text.size());
    const std::string_view line = text.substr(pos, line_end - pos);
    if (line.empty()) {
      if (line_end < text.size()) request.body = text.substr(line_end + 1);
      break;
    }
    if (line[0] == ' ' || line[0] == '\t') {
      if (!request.headers.empty()) request.headers.back().second += line;
    } else {
      const std::size_t colon = line.find(':');
      request.headers.emplace_back(line.substr(0, colon),
                                   colon == std::string_view::npos
                                       ? std::string_view()
                                       : line.substr(colon + 1));
    }
    pos = line_end + 1;
  }
  return request;
}

// "2015-08-30T12:36:00Z" as a time point. Throws std::invalid_argument
// otherwise (also used at static initialization, so no gtest assertions).
system_clock::time_point ParseTimestamp(const std::string& text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%dZ", &year, &month, &day,
                  &hour, &minute, &second) != 6) {
    throw std::invalid_argument("bad timestamp: " + text);
  }
  const std::chrono::sys_days date =
      std::chrono::year(year) /
      std::chrono::month(static_cast<unsigned>(month)) /
      std::chrono::day(static_cast<unsigned>(day));
  return date + std::chrono::hours(hour) + std::chrono::minutes(minute) +
         std::chrono::seconds(second);
}

const system_clock::time_point kSuiteTime =
    ParseTimestamp("2015-08-30T12:36:00Z");

std::vector<std::string> ListDirectories(const fs::path& parent) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(parent, error)) {
    if (entry.is_directory()) names.push_back(entry.path().filename());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// ---- Comparing signed requests (README §1.5). ----

std::string Lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

// Optional whitespace around a field value is not part of it (RFC 9110):
// the classic .sreq writes "Authorization: AWS4-...".
std::string TrimOws(std::string_view value) {
  const std::size_t first = value.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const std::size_t last = value.find_last_not_of(" \t");
  return std::string(value.substr(first, last - first + 1));
}

// Headers as a sorted multiset: names ignore case, values are exact.
std::vector<Header> HeaderMultiset(const Headers& headers) {
  std::vector<Header> set;
  for (const auto& [name, value] : headers) {
    set.emplace_back(Lower(name), TrimOws(value));
  }
  std::sort(set.begin(), set.end());
  return set;
}

// Query parameters as a sorted multiset: keys exact, values ignore case.
std::vector<std::pair<std::string, std::string>> QueryMultiset(
    std::string_view query) {
  std::vector<std::pair<std::string, std::string>> set;
  std::size_t start = 0;
  while (start <= query.size() && !query.empty()) {
    const std::size_t end = std::min(query.find('&', start), query.size());
    const std::string_view part = query.substr(start, end - start);
    const std::size_t equals = part.find('=');
    set.emplace_back(std::string(part.substr(0, equals)),
                     equals == std::string_view::npos
                         ? std::string()
                         : Lower(std::string(part.substr(equals + 1))));
    start = end + 1;
  }
  std::sort(set.begin(), set.end());
  return set;
}

std::pair<std::string_view, std::string_view> SplitAtQuestion(
    std::string_view target) {
  const std::size_t question = target.find('?');
  if (question == std::string_view::npos) return {target, {}};
  return {target.substr(0, question), target.substr(question + 1)};
}

// The value of the (last) Authorization header, or "".
std::string AuthorizationOf(const SigningResult& result) {
  std::string value;
  for (const auto& [name, header_value] : result.headers) {
    if (Lower(name) == "authorization") value = header_value;
  }
  return value;
}

enum class Mode { kHeader, kQuery };

void ExpectSignedRequest(const ParsedRequest& expected, Mode mode,
                         const std::string& method,
                         const SigningResult& result) {
  EXPECT_EQ(method, expected.method) << "signed request: method";
  if (mode == Mode::kHeader) {
    EXPECT_EQ(result.target, expected.target) << "signed request: target";
  } else {
    const auto [path, query] = SplitAtQuestion(result.target);
    const auto [expected_path, expected_query] =
        SplitAtQuestion(expected.target);
    EXPECT_EQ(path, expected_path) << "signed request: path";
    EXPECT_EQ(QueryMultiset(query), QueryMultiset(expected_query))
        << "signed request: query parameters";
  }
  EXPECT_EQ(HeaderMultiset(result.headers), HeaderMultiset(expected.headers))
      << "signed request: headers";
}

// ---- 1. The v4 suite. ----

struct SuiteCase {
  std::string name;  // directory under v4/
  Mode mode;
};

std::vector<SuiteCase> AllSuiteCases() {
  std::vector<SuiteCase> cases;
  for (const std::string& name : ListDirectories(kDataDir / "v4")) {
    cases.push_back({name, Mode::kHeader});
    cases.push_back({name, Mode::kQuery});
  }
  return cases;
}

std::string SuiteCaseName(const testing::TestParamInfo<SuiteCase>& info) {
  std::string name = info.param.name;
  std::replace(name.begin(), name.end(), '-', '_');
  return name + (info.param.mode == Mode::kHeader ? "_header" : "_query");
}

// Everything one case needs, read from its folder.
struct LoadedCase {
  fs::path dir;
  std::string prefix;  // "header-" or "query-"
  Mode mode;
  ParsedRequest request;
  Credentials credentials;
  SigningParams params;
};

LoadedCase Load(const SuiteCase& suite_case) {
  LoadedCase loaded;
  loaded.dir = kDataDir / "v4" / suite_case.name;
  loaded.mode = suite_case.mode;
  loaded.prefix = suite_case.mode == Mode::kHeader ? "header-" : "query-";
  loaded.request = ParseRequest(ReadBinary(loaded.dir / "request.txt"));

  const nlohmann::json context =
      nlohmann::json::parse(ReadBinary(loaded.dir / "context.json"));
  const nlohmann::json& credentials = context.at("credentials");
  loaded.credentials.access_key_id = credentials.at("access_key_id");
  loaded.credentials.secret_access_key = credentials.at("secret_access_key");
  loaded.credentials.session_token = credentials.value("token", "");

  SigningParams& params = loaded.params;
  params.region = context.at("region");
  params.service = context.at("service");
  params.time = ParseTimestamp(context.at("timestamp"));
  params.expires =
      std::chrono::seconds(context.at("expiration_in_seconds").get<int64_t>());
  params.normalize_path = context.at("normalize");
  params.double_encode_path = true;
  params.payload = context.at("sign_body").get<bool>()
                       ? PayloadMode::kHashWithHeader
                       : PayloadMode::kHashOnly;
  params.omit_session_token = context.value("omit_session_token", false);
  return loaded;
}

SigningResult Sign(const LoadedCase& loaded) {
  const SignableRequest request{loaded.request.method, loaded.request.target,
                                loaded.request.headers, loaded.request.body};
  return loaded.mode == Mode::kHeader
             ? SignWithHeaders(request, loaded.credentials, loaded.params)
             : PresignWithQuery(request, loaded.credentials, loaded.params);
}

class SigV4SuiteTest : public testing::TestWithParam<SuiteCase> {};

TEST_P(SigV4SuiteTest, MatchesEveryStage) {
  const LoadedCase loaded = Load(GetParam());
  SCOPED_TRACE(loaded.dir.string() + " (" + loaded.prefix + "*)");
  const SigningResult result = Sign(loaded);

  EXPECT_EQ(result.canonical_request,
            ReadBinary(loaded.dir / (loaded.prefix + "canonical-request.txt")))
      << "stage: canonical request";
  EXPECT_EQ(result.string_to_sign,
            ReadBinary(loaded.dir / (loaded.prefix + "string-to-sign.txt")))
      << "stage: string to sign";
  EXPECT_EQ(result.signature,
            ReadBinary(loaded.dir / (loaded.prefix + "signature.txt")))
      << "stage: signature";
}

TEST_P(SigV4SuiteTest, MatchesSignedRequest) {
  const LoadedCase loaded = Load(GetParam());
  SCOPED_TRACE(loaded.dir.string() + " (" + loaded.prefix + "*)");
  const SigningResult result = Sign(loaded);

  const ParsedRequest expected = ParseRequest(
      ReadBinary(loaded.dir / (loaded.prefix + "signed-request.txt")));
  ExpectSignedRequest(expected, loaded.mode, loaded.request.method, result);
  EXPECT_EQ(expected.body, loaded.request.body) << "signed request: body";
}

// The last stage alone: expected canonical request in, string to sign and
// signature out. Separates hashing and HMAC bugs from canonicalization bugs.
TEST_P(SigV4SuiteTest, SignsExpectedCanonicalRequest) {
  const LoadedCase loaded = Load(GetParam());
  SCOPED_TRACE(loaded.dir.string() + " (" + loaded.prefix + "*)");
  const std::string scope = FormatDateStamp(loaded.params.time) + "/" +
                            loaded.params.region + "/" + loaded.params.service +
                            "/aws4_request";

  const std::string string_to_sign = StringToSign(
      FormatAmzDate(loaded.params.time), scope,
      ReadBinary(loaded.dir / (loaded.prefix + "canonical-request.txt")));
  EXPECT_EQ(string_to_sign,
            ReadBinary(loaded.dir / (loaded.prefix + "string-to-sign.txt")));
  EXPECT_EQ(
      SignatureHex(loaded.credentials.secret_access_key,
                   FormatDateStamp(loaded.params.time), loaded.params.region,
                   loaded.params.service, string_to_sign),
      ReadBinary(loaded.dir / (loaded.prefix + "signature.txt")));
}

INSTANTIATE_TEST_SUITE_P(V4, SigV4SuiteTest, testing::ValuesIn(AllSuiteCases()),
                         SuiteCaseName);

// Guards against a missing or moved data folder, which would otherwise
// instantiate no cases and pass.
TEST(SigV4SuiteDataTest, HasEveryCase) {
  EXPECT_EQ(ListDirectories(kDataDir / "v4").size(), 38u) << kDataDir;
  EXPECT_EQ(ListDirectories(kDataDir / "classic").size(), 2u) << kDataDir;
}

// ---- The classic 2015 cases (README §2). ----

class SigV4ClassicTest : public testing::TestWithParam<std::string> {};

TEST_P(SigV4ClassicTest, MatchesEveryStage) {
  const fs::path base = kDataDir / "classic" / GetParam() / GetParam();
  SCOPED_TRACE(base.string());
  const auto read = [&base](const char* extension) {
    return ReadBinary(base.string() + extension);
  };
  const ParsedRequest parsed = ParseRequest(read(".req"));
  SigningParams params;
  params.region = "us-east-1";
  params.service = "service";
  params.time = kSuiteTime;

  // .req already carries X-Amz-Date: the signer replaces it, not doubles it.
  const SigningResult result =
      SignWithHeaders({parsed.method, parsed.target, parsed.headers, ""},
                      {kAccessKeyId, kSecretKey, "", {}, "test"}, params);

  EXPECT_EQ(result.canonical_request, read(".creq"))
      << "stage: canonical request";
  EXPECT_EQ(result.string_to_sign, read(".sts")) << "stage: string to sign";
  EXPECT_EQ(AuthorizationOf(result), read(".authz")) << "stage: signature";
  ExpectSignedRequest(ParseRequest(read(".sreq")), Mode::kHeader, parsed.method,
                      result);
}

std::string ClassicCaseName(const testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Classic, SigV4ClassicTest,
                         testing::ValuesIn(ListDirectories(kDataDir /
                                                           "classic")),
                         ClassicCaseName);

// ---- 2. Cases the suite lacks, checked against botocore. ----
//
// Every expected literal below was produced by botocore 1.43.11 with the
// clock fixed: `unittest.mock.patch("botocore.auth.get_current_datetime",
// return_value=datetime(2024, 1, 15, 8, 9, 10))`, credentials AKIDEXAMPLE /
// the suite's secret (plus kToken where noted), an AWSRequest with the same
// method, URL (https://<Host><target>), headers and body, and:
//   S3 header mode: S3SigV4Auth(creds, "s3", region), with
//     request.context["client_config"] =
//     Config(s3={"payload_signing_enabled": <False for UNSIGNED-PAYLOAD>});
//   S3 query mode: S3SigV4QueryAuth(creds, "s3", region, expires=900);
//   IAM and the double-encoding case: SigV4Auth(creds, service, region).
// The canonical request and string to sign were captured by wrapping the
// signer's canonical_request/string_to_sign methods; the signature is the
// one in botocore's Authorization header or X-Amz-Signature parameter.
// CRC-32 values came from Python's zlib.crc32 and base64.

constexpr char kToken[] = "FwoGZXIvYXdzEBYaDH+example/session=token";
const system_clock::time_point kBotocoreTime =
    ParseTimestamp("2024-01-15T08:09:10Z");

// A key with a space, a `%` and a `+`, encoded per segment as the S3 client
// must do before signing: "my folder/100% done+ok.txt".
constexpr char kS3KeyPath[] =
    "/amzn-s3-demo-bucket/my%20folder/100%25%20done%2Bok.txt";

// The body of a CreateAccessGrantsLocation-style S3 Control request.
constexpr char kS3ControlBody[] =
    "<CreateAccessGrantsLocationRequest "
    "xmlns=\"http://awss3control.amazonaws.com/doc/2018-08-20/\">"
    "<LocationScope>s3://amzn-s3-demo-bucket/cpg0001/*</LocationScope>"
    "<IAMRoleArn>arn:aws:iam::123456789012:role/grants-location</IAMRoleArn>"
    "</CreateAccessGrantsLocationRequest>";

SigningParams S3Params(PayloadMode payload) {
  SigningParams params;
  params.region = "us-west-2";
  params.service = "s3";
  params.time = kBotocoreTime;
  params.normalize_path = false;
  params.double_encode_path = false;
  params.payload = payload;
  return params;
}

SigningParams PlainParams(std::string service) {
  SigningParams params;
  params.region = "us-east-1";
  params.service = std::move(service);
  params.time = kBotocoreTime;
  return params;
}

struct BotocoreCase {
  std::string name;
  Mode mode;
  SignableRequest request;
  std::string session_token;
  SigningParams params;
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
  Headers headers;     // header mode: every header botocore sends
  std::string target;  // query mode: botocore's path and query
};

std::vector<BotocoreCase> BotocoreCases() {
  std::vector<BotocoreCase> cases;

  // UNSIGNED-PAYLOAD in header mode; path neither normalized nor encoded
  // again (`%25` stays `%25`); an encoded query value kept as is.
  cases.push_back({
      .name = "s3_get_unsigned_payload",
      .mode = Mode::kHeader,
      .request = {"GET",
                  std::string(kS3KeyPath) +
                      "?versionId=3%2FL4kqtJlcpXroDTDmJ%2BrmSpXd3dIbrHY",
                  {{"Host", "s3.us-west-2.amazonaws.com"}},
                  ""},
      .session_token = "",
      .params = S3Params(PayloadMode::kUnsigned),
      .canonical_request =
          "GET\n"
          "/amzn-s3-demo-bucket/my%20folder/100%25%20done%2Bok.txt\n"
          "versionId=3%2FL4kqtJlcpXroDTDmJ%2BrmSpXd3dIbrHY\n"
          "host:s3.us-west-2.amazonaws.com\n"
          "x-amz-content-sha256:UNSIGNED-PAYLOAD\n"
          "x-amz-date:20240115T080910Z\n"
          "\n"
          "host;x-amz-content-sha256;x-amz-date\n"
          "UNSIGNED-PAYLOAD",
      .string_to_sign = "AWS4-HMAC-SHA256\n"
                        "20240115T080910Z\n"
                        "20240115/us-west-2/s3/aws4_request\n"
                        "def8c1d0fdbdd5aad44828ea5201de07"
                        "fe5fdc72db224a8f4edd4899cecaa2f5",
      .signature = "08cf6925b7ea0c8029bb5860868f4c59"
                   "eae2f3a035765adcdf8dec0355533e62",
      .headers = {{"Host", "s3.us-west-2.amazonaws.com"},
                  {"X-Amz-Date", "20240115T080910Z"},
                  {"X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD"},
                  {"Authorization",
                   "AWS4-HMAC-SHA256 "
                   "Credential=AKIDEXAMPLE/20240115/us-west-2/s3/aws4_request, "
                   "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                   "Signature=08cf6925b7ea0c8029bb5860868f4c59"
                   "eae2f3a035765adcdf8dec0355533e62"}},
      .target = "",
  });

  // Body hash signed in x-amz-content-sha256, session token signed in the
  // header, and dot segments and `//` in the key kept as they are.
  cases.push_back({
      .name = "s3_put_signed_payload_with_token",
      .mode = Mode::kHeader,
      .request = {"PUT",
                  "/amzn-s3-demo-bucket/photos/./2024//../a%20b%25.jpg",
                  {{"Host", "s3.us-west-2.amazonaws.com"},
                   {"Content-Type", "text/plain"}},
                  "hello world\n"},
      .session_token = kToken,
      .params = S3Params(PayloadMode::kHashWithHeader),
      .canonical_request =
          "PUT\n"
          "/amzn-s3-demo-bucket/photos/./2024//../a%20b%25.jpg\n"
          "\n"
          "content-type:text/plain\n"
          "host:s3.us-west-2.amazonaws.com\n"
          "x-amz-content-sha256:a948904f2f0f479b8f8197694b30184b"
          "0d2ed1c1cd2a1ec0fb85d299a192a447\n"
          "x-amz-date:20240115T080910Z\n"
          "x-amz-security-token:FwoGZXIvYXdzEBYaDH+example/session=token\n"
          "\n"
          "content-type;host;x-amz-content-sha256;x-amz-date;"
          "x-amz-security-token\n"
          "a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447",
      .string_to_sign = "AWS4-HMAC-SHA256\n"
                        "20240115T080910Z\n"
                        "20240115/us-west-2/s3/aws4_request\n"
                        "941c5a4638e4f0b79c978eef58f6a496"
                        "ba5845d02ebb7a0e67e0173962e61bf7",
      .signature = "6e5bcaf404dcd8a3537243e75e6b4c06"
                   "2a31bb110d11e17b2806fbd825123643",
      .headers = {{"Host", "s3.us-west-2.amazonaws.com"},
                  {"Content-Type", "text/plain"},
                  {"X-Amz-Date", "20240115T080910Z"},
                  {"X-Amz-Security-Token", kToken},
                  {"X-Amz-Content-SHA256",
                   "a948904f2f0f479b8f8197694b30184b"
                   "0d2ed1c1cd2a1ec0fb85d299a192a447"},
                  {"Authorization",
                   "AWS4-HMAC-SHA256 "
                   "Credential=AKIDEXAMPLE/20240115/us-west-2/s3/aws4_request, "
                   "SignedHeaders=content-type;host;x-amz-content-sha256;"
                   "x-amz-date;x-amz-security-token, "
                   "Signature=6e5bcaf404dcd8a3537243e75e6b4c06"
                   "2a31bb110d11e17b2806fbd825123643"}},
      .target = "",
  });

  // A presigned S3 GET URL: UNSIGNED-PAYLOAD, token signed as a query
  // parameter, an operation parameter kept in front of the X-Amz-* ones.
  SigningParams presign = S3Params(PayloadMode::kUnsigned);
  presign.expires = std::chrono::seconds(900);
  cases.push_back({
      .name = "s3_presigned_get_with_token",
      .mode = Mode::kQuery,
      .request = {"GET",
                  std::string(kS3KeyPath) +
                      "?response-content-disposition="
                      "attachment%3B%20filename%3D%22a%20b.txt%22",
                  {{"Host", "s3.us-west-2.amazonaws.com"}},
                  ""},
      .session_token = kToken,
      .params = presign,
      .canonical_request =
          "GET\n"
          "/amzn-s3-demo-bucket/my%20folder/100%25%20done%2Bok.txt\n"
          "X-Amz-Algorithm=AWS4-HMAC-SHA256&"
          "X-Amz-Credential=AKIDEXAMPLE%2F20240115%2Fus-west-2%2Fs3%2F"
          "aws4_request&"
          "X-Amz-Date=20240115T080910Z&X-Amz-Expires=900&"
          "X-Amz-Security-Token=FwoGZXIvYXdzEBYaDH%2Bexample%2Fsession%3D"
          "token&"
          "X-Amz-SignedHeaders=host&"
          "response-content-disposition="
          "attachment%3B%20filename%3D%22a%20b.txt%22\n"
          "host:s3.us-west-2.amazonaws.com\n"
          "\n"
          "host\n"
          "UNSIGNED-PAYLOAD",
      .string_to_sign = "AWS4-HMAC-SHA256\n"
                        "20240115T080910Z\n"
                        "20240115/us-west-2/s3/aws4_request\n"
                        "90e29a5affa1101a52c6d77b0338c20e"
                        "7210bef8392558db3dd77b29b38dd720",
      .signature = "7571a0428d8fb412510f8fd649a3fc3a"
                   "00cdd58d0eef7b5e03bcfd8de7a1b7fb",
      .headers = {{"Host", "s3.us-west-2.amazonaws.com"}},
      .target = "/amzn-s3-demo-bucket/my%20folder/100%25%20done%2Bok.txt"
                "?response-content-disposition="
                "attachment%3B%20filename%3D%22a%20b.txt%22"
                "&X-Amz-Algorithm=AWS4-HMAC-SHA256"
                "&X-Amz-Credential=AKIDEXAMPLE%2F20240115%2Fus-west-2%2Fs3%2F"
                "aws4_request"
                "&X-Amz-Date=20240115T080910Z"
                "&X-Amz-Expires=900"
                "&X-Amz-SignedHeaders=host"
                "&X-Amz-Security-Token=FwoGZXIvYXdzEBYaDH%2Bexample%2F"
                "session%3Dtoken"
                "&X-Amz-Signature=7571a0428d8fb412510f8fd649a3fc3a"
                "00cdd58d0eef7b5e03bcfd8de7a1b7fb",
  });

  // S3 Control signs as "s3" and signs x-amz-account-id and the checksum.
  cases.push_back({
      .name = "s3control_post_with_checksum",
      .mode = Mode::kHeader,
      .request = {"POST",
                  "/v20180820/accessgrantsinstance/location",
                  {{"Host", "123456789012.s3-control.us-west-2.amazonaws.com"},
                   {"x-amz-account-id", "123456789012"},
                   {"x-amz-checksum-crc32", Crc32Base64(kS3ControlBody)},
                   {"Content-Type", "application/xml"}},
                  kS3ControlBody},
      .session_token = "",
      .params = S3Params(PayloadMode::kHashWithHeader),
      .canonical_request =
          "POST\n"
          "/v20180820/accessgrantsinstance/location\n"
          "\n"
          "content-type:application/xml\n"
          "host:123456789012.s3-control.us-west-2.amazonaws.com\n"
          "x-amz-account-id:123456789012\n"
          "x-amz-checksum-crc32:1C1Uag==\n"
          "x-amz-content-sha256:59b9cbcccbc17388c70a611e7eb45ff3"
          "8fcf9cc3403831d820c3b98209f0c54c\n"
          "x-amz-date:20240115T080910Z\n"
          "\n"
          "content-type;host;x-amz-account-id;x-amz-checksum-crc32;"
          "x-amz-content-sha256;x-amz-date\n"
          "59b9cbcccbc17388c70a611e7eb45ff38fcf9cc3403831d820c3b98209f0c54c",
      .string_to_sign = "AWS4-HMAC-SHA256\n"
                        "20240115T080910Z\n"
                        "20240115/us-west-2/s3/aws4_request\n"
                        "ceae4b362001aa5b3d2908a393d0d0d2"
                        "c2ac9d1e3f631bfa2f681dfced9e756d",
      .signature = "e87279f6654b55726d0b4649bce0c61a"
                   "94c7c8fa697ea5c47cbb49de4d5ae47a",
      .headers = {{"Host", "123456789012.s3-control.us-west-2.amazonaws.com"},
                  {"x-amz-account-id", "123456789012"},
                  {"x-amz-checksum-crc32", "1C1Uag=="},
                  {"Content-Type", "application/xml"},
                  {"X-Amz-Date", "20240115T080910Z"},
                  {"X-Amz-Content-SHA256",
                   "59b9cbcccbc17388c70a611e7eb45ff3"
                   "8fcf9cc3403831d820c3b98209f0c54c"},
                  {"Authorization",
                   "AWS4-HMAC-SHA256 "
                   "Credential=AKIDEXAMPLE/20240115/us-west-2/s3/aws4_request, "
                   "SignedHeaders=content-type;host;x-amz-account-id;"
                   "x-amz-checksum-crc32;x-amz-content-sha256;x-amz-date, "
                   "Signature=e87279f6654b55726d0b4649bce0c61a"
                   "94c7c8fa697ea5c47cbb49de4d5ae47a"}},
      .target = "",
  });

  // An IAM query-protocol call: body hashed, no x-amz-content-sha256.
  cases.push_back({
      .name = "iam_form_post",
      .mode = Mode::kHeader,
      .request = {"POST",
                  "/",
                  {{"Host", "iam.amazonaws.com"},
                   {"Content-Type",
                    "application/x-www-form-urlencoded; charset=utf-8"}},
                  "Action=ListUsers&Version=2010-05-08"},
      .session_token = "",
      .params = PlainParams("iam"),
      .canonical_request =
          "POST\n"
          "/\n"
          "\n"
          "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
          "host:iam.amazonaws.com\n"
          "x-amz-date:20240115T080910Z\n"
          "\n"
          "content-type;host;x-amz-date\n"
          "b6359072c78d70ebee1e81adcbab4f01bf2c23245fa365ef83fe8f1f955085e2",
      .string_to_sign = "AWS4-HMAC-SHA256\n"
                        "20240115T080910Z\n"
                        "20240115/us-east-1/iam/aws4_request\n"
                        "876fe71af100c64f1f6127879c37e4c1"
                        "b38e1afb6d983e5a606681a2b6d07d50",
      .signature = "5d44cf761bbf5848e12db63c8b9c96ce"
                   "9cd24ce80ed892cca31a867fe24dd23e",
      .headers = {{"Host", "iam.amazonaws.com"},
                  {"Content-Type",
                   "application/x-www-form-urlencoded; charset=utf-8"},
                  {"X-Amz-Date", "20240115T080910Z"},
                  {"Authorization",
                   "AWS4-HMAC-SHA256 "
                   "Credential=AKIDEXAMPLE/20240115/us-east-1/iam/"
                   "aws4_request, "
                   "SignedHeaders=content-type;host;x-amz-date, "
                   "Signature=5d44cf761bbf5848e12db63c8b9c96ce"
                   "9cd24ce80ed892cca31a867fe24dd23e"}},
      .target = "",
  });

  // Non-S3 services: normalize, then encode `%` again (`%2F` -> `%252F`).
  cases.push_back({
      .name = "double_encoded_normalized_path",
      .mode = Mode::kHeader,
      .request = {"GET",
                  "/a%20b/../c%2Fd/./e%7E",
                  {{"Host", "example.amazonaws.com"}},
                  ""},
      .session_token = "",
      .params = PlainParams("service"),
      .canonical_request =
          "GET\n"
          "/c%252Fd/e%257E\n"
          "\n"
          "host:example.amazonaws.com\n"
          "x-amz-date:20240115T080910Z\n"
          "\n"
          "host;x-amz-date\n"
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      .string_to_sign = "AWS4-HMAC-SHA256\n"
                        "20240115T080910Z\n"
                        "20240115/us-east-1/service/aws4_request\n"
                        "a5e57861f937985fd8ea10e3cf901eba"
                        "d886bf81339ba4703873b923072c0bc0",
      .signature = "d22b803a9c93c2f31d62ece2be3e8238"
                   "7f267090a4d1d8b22acf93ed9e4462fe",
      .headers = {{"Host", "example.amazonaws.com"},
                  {"X-Amz-Date", "20240115T080910Z"},
                  {"Authorization",
                   "AWS4-HMAC-SHA256 "
                   "Credential=AKIDEXAMPLE/20240115/us-east-1/service/"
                   "aws4_request, "
                   "SignedHeaders=host;x-amz-date, "
                   "Signature=d22b803a9c93c2f31d62ece2be3e8238"
                   "7f267090a4d1d8b22acf93ed9e4462fe"}},
      .target = "",
  });
  return cases;
}

class SigV4BotocoreTest : public testing::TestWithParam<BotocoreCase> {};

TEST_P(SigV4BotocoreTest, MatchesBotocore) {
  const BotocoreCase& c = GetParam();
  const Credentials credentials{
      kAccessKeyId, kSecretKey, c.session_token, {}, "test"};
  const SigningResult result =
      c.mode == Mode::kHeader
          ? SignWithHeaders(c.request, credentials, c.params)
          : PresignWithQuery(c.request, credentials, c.params);

  EXPECT_EQ(result.canonical_request, c.canonical_request)
      << "stage: canonical request";
  EXPECT_EQ(result.string_to_sign, c.string_to_sign) << "stage: string to sign";
  EXPECT_EQ(result.signature, c.signature) << "stage: signature";
  EXPECT_EQ(HeaderMultiset(result.headers), HeaderMultiset(c.headers))
      << "signed headers";
  EXPECT_EQ(result.target,
            c.mode == Mode::kHeader ? c.request.target : c.target)
      << "signed target";
}

std::string BotocoreCaseName(const testing::TestParamInfo<BotocoreCase>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Botocore, SigV4BotocoreTest,
                         testing::ValuesIn(BotocoreCases()), BotocoreCaseName);

TEST(SigV4S3Test, ChecksumHeaderMatchesPython) {
  EXPECT_EQ(Crc32Base64(kS3ControlBody), "1C1Uag==");
}

// With omit_session_token the token rides along unsigned, in either mode.
TEST(SigV4S3Test, OmittedSessionTokenIsAttachedUnsigned) {
  const SignableRequest request{
      "GET", kS3KeyPath, {{"Host", "s3.us-west-2.amazonaws.com"}}, ""};
  const Credentials credentials{kAccessKeyId, kSecretKey, kToken, {}, "test"};
  SigningParams params = S3Params(PayloadMode::kUnsigned);
  params.omit_session_token = true;

  const SigningResult header = SignWithHeaders(request, credentials, params);
  EXPECT_EQ(header.signed_headers, "host;x-amz-content-sha256;x-amz-date");
  EXPECT_EQ(header.canonical_request.find("security-token"), std::string::npos);
  EXPECT_EQ(std::count(header.headers.begin(), header.headers.end(),
                       Header("X-Amz-Security-Token", kToken)),
            1);

  const SigningResult query = PresignWithQuery(request, credentials, params);
  EXPECT_EQ(query.canonical_request.find("Security-Token"), std::string::npos);
  EXPECT_NE(query.target.find("&X-Amz-Security-Token=FwoGZXIvYXdzEBYaDH%2B"
                              "example%2Fsession%3Dtoken&X-Amz-Signature="),
            std::string::npos);
}

// ---- 3. Building blocks and malformed input. ----

struct TextCase {
  std::string input;
  std::string expected;
};

TEST(SigV4BlocksTest, UriEncode) {
  EXPECT_EQ(UriEncode("", true), "");
  EXPECT_EQ(UriEncode("AZaz09-._~", true), "AZaz09-._~");
  EXPECT_EQ(UriEncode("a b+c=d&e", true), "a%20b%2Bc%3Dd%26e");
  EXPECT_EQ(UriEncode("/a/b", true), "%2Fa%2Fb");
  EXPECT_EQ(UriEncode("/a/b", false), "/a/b");
  EXPECT_EQ(UriEncode("100%", false), "100%25");
  EXPECT_EQ(UriEncode(std::string("\x00\xff\xe1\x88\xb4", 5), true),
            "%00%FF%E1%88%B4");
}

TEST(SigV4BlocksTest, NormalizePath) {
  const TextCase cases[] = {
      {"", "/"},
      {"/", "/"},
      {"//", "/"},
      {"/..", "/"},
      {"/../../a", "/a"},
      {"/./", "/"},
      {"/a/./b/../c", "/a/c"},
      {"/a/b/..", "/a"},
      {"/a/b/../", "/a/"},
      {"//a//b//", "/a/b/"},
      {"a/b", "/a/b"},
      {"/.../x", "/.../x"},
      {"/a%2F../b", "/a%2F../b"},  // an encoded slash is not a separator
  };
  for (const TextCase& c : cases) {
    SCOPED_TRACE("path: \"" + c.input + "\"");
    EXPECT_EQ(NormalizePath(c.input), c.expected);
  }
}

TEST(SigV4BlocksTest, CanonicalUriWithoutDoubleEncoding) {
  const TextCase cases[] = {
      {"", "/"},
      {"/bucket/a%20b/100%25", "/bucket/a%20b/100%25"},
      {"/bucket/x%2fy%7e", "/bucket/x%2Fy%7E"},  // hex made uppercase
      {"/bucket/a b", "/bucket/a%20b"},          // raw space encoded
      {"/bucket/\xe1\x88\xb4", "/bucket/%E1%88%B4"},
      {"/bad%zz%4", "/bad%25zz%254"},  // malformed escapes
      {"/a/./b/../c", "/a/./b/../c"},  // not normalized
      {"/a+b=c", "/a%2Bb%3Dc"},
  };
  for (const TextCase& c : cases) {
    SCOPED_TRACE("path: \"" + c.input + "\"");
    EXPECT_EQ(CanonicalUri(c.input, false, false), c.expected);
  }
}

TEST(SigV4BlocksTest, CanonicalUriWithDoubleEncoding) {
  EXPECT_EQ(CanonicalUri("", true, true), "/");
  EXPECT_EQ(CanonicalUri("/a%20b", false, true), "/a%2520b");
  EXPECT_EQ(CanonicalUri("/a/../b c", true, true), "/b%20c");
  EXPECT_EQ(CanonicalUri("/a/../b c", false, true), "/a/../b%20c");
}

TEST(SigV4BlocksTest, CanonicalQuery) {
  const TextCase cases[] = {
      {"", ""},
      {"acl", "acl="},
      {"b=2&a=1", "a=1&b=2"},
      {"a=1&a=0&A=9", "A=9&a=0&a=1"},
      {"a=1+2", "a=1%2B2"},  // `+` is a plus, not a space
      {"a=%2b%20", "a=%2B%20"},
      {"a=%7E", "a=~"},  // over-encoded unreserved byte decoded
      {"a=%zz&b=%4", "a=%25zz&b=%254"},
      {"&&a=1&", "a=1"},
      {"=v", "=v"},
      {"k==v", "k=%3Dv"},
      {"k=a/b c", "k=a%2Fb%20c"},
      {"list-type=2&prefix=a%2Fb%2F&max-keys=1000",
       "list-type=2&max-keys=1000&prefix=a%2Fb%2F"},
  };
  for (const TextCase& c : cases) {
    SCOPED_TRACE("query: \"" + c.input + "\"");
    EXPECT_EQ(CanonicalQuery(c.input), c.expected);
  }
}

TEST(SigV4BlocksTest, CanonicalHeaders) {
  std::string signed_headers = "stale";
  EXPECT_EQ(CanonicalHeaders({}, &signed_headers), "");
  EXPECT_EQ(signed_headers, "");

  const Headers headers = {{"X-B", "  two \t\r\n words  "},
                           {"host", "h"},
                           {"x-b", "second"},
                           {"X-Empty", "   "}};
  EXPECT_EQ(CanonicalHeaders(headers, &signed_headers),
            "host:h\nx-b:two words,second\nx-empty:\n");
  EXPECT_EQ(signed_headers, "host;x-b;x-empty");
  EXPECT_EQ(CanonicalHeaders(headers, nullptr),
            "host:h\nx-b:two words,second\nx-empty:\n");
}

TEST(SigV4BlocksTest, CanonicalHeadersRejectsBadNames) {
  for (const std::string name : {"", "a b", "a:b", "a\nb", "x;y"}) {
    SCOPED_TRACE("name: \"" + name + "\"");
    EXPECT_THROW(CanonicalHeaders({{name, "v"}}, nullptr), Error);
  }
}

TEST(SigV4BlocksTest, FormatDates) {
  EXPECT_EQ(FormatAmzDate(kSuiteTime), "20150830T123600Z");
  EXPECT_EQ(FormatDateStamp(kSuiteTime), "20150830");
  // Sub-second parts are dropped, not rounded.
  EXPECT_EQ(FormatAmzDate(kSuiteTime + std::chrono::milliseconds(999)),
            "20150830T123600Z");
  EXPECT_EQ(FormatAmzDate(system_clock::time_point()), "19700101T000000Z");
  EXPECT_EQ(FormatAmzDate(system_clock::time_point() - std::chrono::seconds(1)),
            "19691231T235959Z");
  EXPECT_EQ(FormatAmzDate(ParseTimestamp("2024-02-29T23:59:59Z")),
            "20240229T235959Z");
  // The clock's extremes still give 16 characters.
  EXPECT_EQ(FormatAmzDate(system_clock::time_point::min()).size(), 16u);
  EXPECT_EQ(FormatAmzDate(system_clock::time_point::max()).size(), 16u);
}

SigningParams SuiteParams() {
  SigningParams params;
  params.region = "us-east-1";
  params.service = "service";
  params.time = kSuiteTime;
  return params;
}

const Credentials kSuiteCredentials{kAccessKeyId, kSecretKey, "", {}, "test"};

TEST(SigV4RequestTest, RequiresHost) {
  const SignableRequest request{"GET", "/", {{"X-Other", "v"}}, ""};
  try {
    SignWithHeaders(request, kSuiteCredentials, SuiteParams());
    ADD_FAILURE() << "header mode signed a request without Host";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInternal);
  }
  EXPECT_THROW(PresignWithQuery(request, kSuiteCredentials, SuiteParams()),
               Error);
}

TEST(SigV4RequestTest, PresignExpiryLimits) {
  const SignableRequest request{"GET", "/", {{"Host", "h"}}, ""};
  SigningParams params = SuiteParams();
  for (const int64_t seconds : {int64_t{0}, int64_t{-5}, int64_t{604801}}) {
    SCOPED_TRACE(seconds);
    params.expires = std::chrono::seconds(seconds);
    try {
      PresignWithQuery(request, kSuiteCredentials, params);
      ADD_FAILURE() << "accepted expiry " << seconds;
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kUsage);
    }
  }
  params.expires = std::chrono::seconds(604800);
  EXPECT_NE(PresignWithQuery(request, kSuiteCredentials, params)
                .target.find("X-Amz-Expires=604800"),
            std::string::npos);
}

// Signing an already signed request (a retry) must not double anything.
TEST(SigV4RequestTest, ReplacesHeadersTheSignerOwns) {
  const SignableRequest fresh{"GET", "/", {{"Host", "h"}}, ""};
  SigningParams params = SuiteParams();
  params.payload = PayloadMode::kHashWithHeader;
  const Credentials credentials{kAccessKeyId, kSecretKey, "tok", {}, "test"};
  const SigningResult first = SignWithHeaders(fresh, credentials, params);

  const SignableRequest resigned{"GET", "/", first.headers, ""};
  const SigningResult second = SignWithHeaders(resigned, credentials, params);
  EXPECT_EQ(HeaderMultiset(second.headers), HeaderMultiset(first.headers));
  EXPECT_EQ(second.signature, first.signature);
}

TEST(SigV4RequestTest, PresignReplacesQueryParamsTheSignerOwns) {
  const SignableRequest fresh{"GET", "/k?a=1", {{"Host", "h"}}, ""};
  const SigningResult first =
      PresignWithQuery(fresh, kSuiteCredentials, SuiteParams());

  const SignableRequest resigned{"GET", first.target, {{"Host", "h"}}, ""};
  const SigningResult second =
      PresignWithQuery(resigned, kSuiteCredentials, SuiteParams());
  EXPECT_EQ(second.target, first.target);
  EXPECT_EQ(second.canonical_request, first.canonical_request);
}

TEST(SigV4RequestTest, EmptyTargetSignsAsRoot) {
  const SignableRequest request{"GET", "", {{"Host", "h"}}, ""};
  const SigningResult result =
      SignWithHeaders(request, kSuiteCredentials, SuiteParams());
  EXPECT_EQ(result.canonical_request.substr(0, 7), "GET\n/\n\n");
  EXPECT_EQ(result.target, "");
}

// A small deterministic fuzz loop: random bytes in every field must give a
// result or a cytoskel::Error, never a crash (run it under ASan and UBSan).
TEST(SigV4RequestTest, SurvivesArbitraryBytes) {
  std::mt19937 rng(20150830);
  const std::string alphabet =
      std::string("/?&=%.+ ~aZ09\t\r\n:;\x00\xe1\xff", 21);
  const auto random_text = [&](std::size_t max_size) {
    std::string text(rng() % (max_size + 1), '\0');
    for (char& c : text) {
      c = rng() % 2 == 0 ? alphabet[rng() % alphabet.size()]
                         : static_cast<char>(rng() % 256);
    }
    return text;
  };

  for (int i = 0; i < 2000; ++i) {
    const SignableRequest request{
        random_text(6),
        random_text(40),
        {{"Host", random_text(10)},
         {rng() % 2 == 0 ? std::string("X-Fuzz") : random_text(6),
          random_text(20)}},
        random_text(20)};
    SigningParams params = SuiteParams();
    params.normalize_path = rng() % 2 == 0;
    params.double_encode_path = rng() % 2 == 0;
    params.payload = static_cast<PayloadMode>(rng() % 3);
    const Credentials credentials{
        random_text(8), random_text(8), random_text(8), {}, "test"};
    try {
      SignWithHeaders(request, credentials, params);
    } catch (const Error&) {
    }
    try {
      PresignWithQuery(request, credentials, params);
    } catch (const Error&) {
    }
    EXPECT_NO_THROW(CanonicalQuery(request.target));
    EXPECT_NO_THROW(NormalizePath(request.target));
  }
}

}  // namespace
}  // namespace cytoskel
