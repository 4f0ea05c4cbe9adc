// The HTTP seam. Everything above it speaks HttpRequest / HttpResponse; the
// real implementation is libcurl (curl_http.h), and unit tests substitute a
// fake that returns canned replies.
#ifndef CYTOSKEL_AWS_HTTP_H_
#define CYTOSKEL_AWS_HTTP_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cytoskel {

using Header = std::pair<std::string, std::string>;
using Headers = std::vector<Header>;

// Returns the value of the first header named `name` (ASCII
// case-insensitive), or nullopt.
std::optional<std::string> FindHeader(const Headers& headers,
                                      std::string_view name);

struct HttpRequest {
  std::string method;
  std::string url;  // scheme://host[:port]/path?query, already encoded
  Headers headers;
  std::string body;
  // False for a request the server may have acted on even when its answer
  // is lost (a create): the transport must never send it twice by itself.
  bool idempotent = true;
};

// Why no HTTP answer arrived. The retry layer needs to know whether the
// request may have reached the server: kConnect means it certainly did not.
enum class NetworkFailure {
  kNone,
  kConnect,  // could not connect (refused, DNS, unreachable): never sent
  kTimeout,  // connect or transfer stalled past its limit
  kReset,    // the connection broke after the request was sent
  kTls,      // certificate or handshake failure
  kOther,
};

struct HttpResponse {
  long status = 0;  // 0 when no answer arrived (see `failure`)
  Headers headers;
  std::string body;
  NetworkFailure failure = NetworkFailure::kNone;
  std::string failure_detail;  // human readable; never holds a secret

  std::optional<std::string> Header(std::string_view name) const {
    return FindHeader(headers, name);
  }
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Sends one request and waits for the whole answer. Never throws for a
  // network failure: it reports it in HttpResponse::failure instead, so the
  // caller's retry rules decide.
  virtual HttpResponse Send(const HttpRequest& request) = 0;
};

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_HTTP_H_
