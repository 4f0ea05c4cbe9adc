#include "cli/errors.h"

#include <fmt/format.h>

#include <map>

namespace cytoskel {

namespace {

// Plain-words explanations of the AWS error codes a user meets, keyed by
// code. The AWS message follows in parentheses when it adds anything.
const std::map<std::string, std::string>& KnownCodes() {
  static const std::map<std::string, std::string> codes = {
      {"SignatureDoesNotMatch",
       "AWS rejected the request signature: the secret access key does not "
       "match the access key id (check the profile's "
       "aws_secret_access_key)"},
      {"InvalidSignatureException",
       "AWS rejected the request signature: the secret access key does not "
       "match the access key id (check the profile's "
       "aws_secret_access_key)"},
      {"InvalidClientTokenId",
       "AWS does not recognise the access key: it is mistyped, deleted or "
       "deactivated (a brand-new key can take a few seconds to work)"},
      {"InvalidAccessKeyId",
       "AWS does not recognise the access key: it is mistyped, deleted or "
       "deactivated (ask the admin whether your key was rotated)"},
      {"UnrecognizedClientException",
       "AWS does not recognise the access key: it is mistyped, deleted or "
       "deactivated"},
      {"ExpiredToken",
       "the session credentials have expired: get new ones and try again"},
      {"ExpiredTokenException",
       "the session credentials have expired: get new ones and try again"},
      {"RequestTimeTooSkewed",
       "this machine's clock is too far from AWS's: set the clock right "
       "(for example with NTP) and try again"},
      {"AccessDenied", "access denied: the caller lacks the permission"},
      {"AccessDeniedException",
       "access denied: the caller lacks the permission"},
      {"AccessGrantsInstanceNotExistsError",
       "S3 Access Grants is not set up in this account and region: run "
       "`cytoskel cpgstaging up` first"},
  };
  return codes;
}

std::string ServiceSentence(const Error& error) {
  // An error cytoskel itself explained already carries its sentence.
  if (error.code().empty()) return error.message();
  const auto& codes = KnownCodes();
  auto known = codes.find(error.code());
  std::string what = error.operation().empty()
                         ? std::string("AWS refused the request")
                         : fmt::format("{} failed", error.operation());
  if (known != codes.end()) {
    bool add_message =
        !error.message().empty() && (error.code() == "AccessDenied" ||
                                     error.code() == "AccessDeniedException");
    return fmt::format("{}: {}{}", what, known->second,
                       add_message ? " (" + error.message() + ")" : "");
  }
  if (error.message().empty()) {
    return fmt::format("{}: {} (HTTP {})", what, error.code(),
                       error.http_status());
  }
  return fmt::format("{}: {} ({})", what, error.message(), error.code());
}

}  // namespace

ExitCode ExitCodeFor(const Error& error) {
  switch (error.kind()) {
    case ErrorKind::kUsage:
      return kExitUsage;
    case ErrorKind::kConfig:
      return kExitConfig;
    case ErrorKind::kService:
      return kExitService;
    case ErrorKind::kInterrupted:
      return kExitInterrupted;
    case ErrorKind::kTransport:
    case ErrorKind::kInternal:
      return kExitOther;
  }
  return kExitOther;
}

std::string DescribeError(const Error& error) {
  if (error.kind() == ErrorKind::kService) return ServiceSentence(error);
  return error.message();
}

std::string DescribeErrorDetail(const Error& error) {
  if (error.kind() != ErrorKind::kService) return "";
  return fmt::format("operation {}, HTTP {}, code {}, request id {}",
                     error.operation(), error.http_status(), error.code(),
                     error.request_id().empty() ? "-" : error.request_id());
}

}  // namespace cytoskel
