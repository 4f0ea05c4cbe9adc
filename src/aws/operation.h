// One AWS API call on the wire: build the URL, sign, send, retry by the
// standard rules, correct a skewed clock, and turn an error answer into an
// Error. Every service client goes through Perform.
#ifndef CYTOSKEL_AWS_OPERATION_H_
#define CYTOSKEL_AWS_OPERATION_H_

#include <string>
#include <utility>
#include <vector>

#include "aws/config.h"
#include "aws/credentials.h"
#include "aws/http.h"
#include "aws/session.h"

namespace cytoskel {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

struct Operation {
  std::string name;  // the API name, e.g. "CreateUser"
  Service service = Service::kIam;
  std::string method = "POST";
  std::string path = "/";  // URI-encoded path, starting with '/'
  QueryParams query;       // raw names and values; Perform encodes them
  Headers headers;
  std::string body;
  // Safe to send again after a broken connection: reads, and writes whose
  // repetition changes nothing. Creates are not: their callers reconcile.
  bool idempotent = false;
  // S3 Control: the account id becomes the host prefix and the
  // x-amz-account-id header.
  std::string account_id;
  // The API requires a body checksum (every Access Grants operation).
  bool checksum_required = false;
};

// Performs `operation` with the session's credentials. Returns the 2xx
// answer; throws Error otherwise (kService with the AWS code for an error
// answer, kTransport when no usable answer came).
HttpResponse Perform(Session& session, const Operation& operation);

// The same with explicit credentials (used to call STS AssumeRole with the
// source profile's keys while the session's own credentials resolve).
HttpResponse PerformWith(Session& session, const Operation& operation,
                         const Credentials& credentials);

// The full URL `operation` is sent to (exposed for tests and --debug).
std::string OperationUrl(const Endpoint& endpoint, const Operation& operation);

// Masks every secret in a canonical request for --debug: the value of the
// x-amz-security-token header and query parameter.
std::string MaskCanonicalRequest(std::string canonical_request);

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_OPERATION_H_
