// SigV4 signing (aws/sigv4.h), once per request: the S3 Control GET of a
// ListAccessGrants page and the IAM form POST of a GetGroup page.
#include <benchmark/benchmark.h>

#include <chrono>

#include "aws/credentials.h"
#include "aws/sigv4.h"

namespace cytoskel {
namespace {

Credentials TestCredentials() {
  Credentials credentials;
  credentials.access_key_id = "AKIDEXAMPLE";
  credentials.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  return credentials;
}

SigningParams Params(const char* service, bool s3) {
  SigningParams params;
  params.region = "us-east-1";
  params.service = service;
  params.time =
      std::chrono::system_clock::time_point(std::chrono::seconds(1714564800));
  params.normalize_path = !s3;
  params.double_encode_path = !s3;
  params.payload = s3 ? PayloadMode::kHashWithHeader : PayloadMode::kHashOnly;
  return params;
}

void BM_SignS3ControlListPage(benchmark::State& state) {
  SignableRequest request{
      "GET",
      "/v20180820/accessgrantsinstance/grants?maxResults=1000&nextToken="
      "Y3l0b3NrZWwtcGFnZToxMDAy",
      {{"Host", "123456789012.s3-control.us-east-1.amazonaws.com"},
       {"x-amz-account-id", "123456789012"},
       {"x-amz-checksum-crc32", "AAAAAA=="}},
      ""};
  Credentials credentials = TestCredentials();
  SigningParams params = Params("s3", true);
  for (auto _ : state) {
    benchmark::DoNotOptimize(SignWithHeaders(request, credentials, params));
  }
}
BENCHMARK(BM_SignS3ControlListPage);

void BM_SignIamGetGroup(benchmark::State& state) {
  SignableRequest request{
      "POST",
      "/",
      {{"Host", "iam.amazonaws.com"},
       {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
      "Action=GetGroup&GroupName=staging_cpg_uploaders&MaxItems=1000&"
      "Version=2010-05-08"};
  Credentials credentials = TestCredentials();
  SigningParams params = Params("iam", false);
  for (auto _ : state) {
    benchmark::DoNotOptimize(SignWithHeaders(request, credentials, params));
  }
}
BENCHMARK(BM_SignIamGetGroup);

}  // namespace
}  // namespace cytoskel
