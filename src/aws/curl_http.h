// HttpClient on libcurl. One instance keeps one easy handle, so successive
// requests reuse the connection; use one instance per thread.
#ifndef CYTOSKEL_AWS_CURL_HTTP_H_
#define CYTOSKEL_AWS_CURL_HTTP_H_

#include <chrono>
#include <memory>
#include <string>

#include "aws/http.h"

namespace cytoskel {

struct CurlOptions {
  std::string ca_bundle;  // "" = the system's trust store
  bool verify_tls = true;
  std::chrono::milliseconds connect_timeout{10000};
  // A transfer slower than 1 byte/s for this long is abandoned.
  std::chrono::seconds stall_timeout{60};
};

class CurlHttpClient : public HttpClient {
 public:
  explicit CurlHttpClient(CurlOptions options);
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  HttpResponse Send(const HttpRequest& request) override;

 private:
  struct Handle;
  CurlOptions options_;
  std::unique_ptr<Handle> handle_;
};

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_CURL_HTTP_H_
