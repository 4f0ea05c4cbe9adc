#include "aws/curl_http.h"

#include <curl/curl.h>

#include <utility>

#include "aws/curl_library.h"

namespace cytoskel {

namespace {

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::string Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

// Collects response headers. A new status line (after a 100 Continue, say)
// starts the list afresh, so only the final answer's headers remain.
size_t AppendHeader(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<Headers*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    headers->clear();
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    headers->emplace_back(Trim(line.substr(0, colon)),
                          Trim(line.substr(colon + 1)));
  }
  return size * count;
}

NetworkFailure ClassifyCurlCode(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
      return NetworkFailure::kConnect;
    case CURLE_OPERATION_TIMEDOUT:
      return NetworkFailure::kTimeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
      return NetworkFailure::kTls;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return NetworkFailure::kReset;
    default:
      return NetworkFailure::kOther;
  }
}

// Owns a curl_slist for the duration of one request.
class HeaderList {
 public:
  explicit HeaderList(const Headers& headers) {
    for (const auto& [name, value] : headers) {
      Append(name + ": " + value);
    }
    // No "Expect: 100-continue" round trip: AWS answers at once anyway.
    Append("Expect:");
    // No Content-Type libcurl would invent for a body sent without one.
    if (!FindHeader(headers, "Content-Type")) Append("Content-Type:");
  }
  ~HeaderList() { LoadCurl().slist_free_all(list_); }
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;
  curl_slist* get() const { return list_; }

 private:
  void Append(const std::string& line) {
    list_ = LoadCurl().slist_append(list_, line.c_str());
  }
  curl_slist* list_ = nullptr;
};

}  // namespace

struct CurlHttpClient::Handle {
  CURL* easy = nullptr;
  char error_buffer[CURL_ERROR_SIZE] = {};
};

CurlHttpClient::CurlHttpClient(CurlOptions options)
    : options_(std::move(options)), handle_(std::make_unique<Handle>()) {
  const CurlLibrary& curl = LoadCurl();
  if (curl.error.empty()) handle_->easy = curl.easy_init();
}

CurlHttpClient::~CurlHttpClient() {
  if (handle_->easy != nullptr) LoadCurl().easy_cleanup(handle_->easy);
}

HttpResponse CurlHttpClient::Send(const HttpRequest& request) {
  HttpResponse response;
  const CurlLibrary& curl = LoadCurl();
  CURL* easy = handle_->easy;
  if (easy == nullptr) {
    response.failure = NetworkFailure::kOther;
    response.failure_detail = curl.error.empty()
                                  ? "could not initialise libcurl"
                                  : "could not load libcurl: " + curl.error;
    return response;
  }
  curl.easy_reset(easy);
  HeaderList header_list(request.headers);
  handle_->error_buffer[0] = '\0';

  curl.easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl.easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl.easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  // The path was signed as it stands: "." and ".." in an S3 key must reach
  // the server unchanged.
  curl.easy_setopt(easy, CURLOPT_PATH_AS_IS, 1L);
  // libcurl silently sends a request again when a reused connection breaks
  // before any answer byte, which would repeat a create the server already
  // ran (two access keys, one secret lost). A new connection is never
  // retried that way, so non-idempotent requests get one.
  curl.easy_setopt(easy, CURLOPT_FRESH_CONNECT, request.idempotent ? 0L : 1L);
  curl.easy_setopt(easy, CURLOPT_HTTPHEADER, header_list.get());
  curl.easy_setopt(easy, CURLOPT_ERRORBUFFER, handle_->error_buffer);
  curl.easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl.easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl.easy_setopt(easy, CURLOPT_LOW_SPEED_TIME,
                   static_cast<long>(options_.stall_timeout.count()));
  curl.easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
  curl.easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
  if (!options_.ca_bundle.empty()) {
    curl.easy_setopt(easy, CURLOPT_CAINFO, options_.ca_bundle.c_str());
  }

  if (request.method == "HEAD") {
    curl.easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else {
    curl.easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  if (!request.body.empty() || request.method == "POST" ||
      request.method == "PUT") {
    curl.easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
    curl.easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  curl.easy_setopt(easy, CURLOPT_WRITEFUNCTION, AppendBody);
  curl.easy_setopt(easy, CURLOPT_WRITEDATA, &response.body);
  curl.easy_setopt(easy, CURLOPT_HEADERFUNCTION, AppendHeader);
  curl.easy_setopt(easy, CURLOPT_HEADERDATA, &response.headers);

  CURLcode code = curl.easy_perform(easy);
  if (code != CURLE_OK) {
    response.failure = ClassifyCurlCode(code);
    response.failure_detail = handle_->error_buffer[0] != '\0'
                                  ? handle_->error_buffer
                                  : curl.easy_strerror(code);
    response.headers.clear();
    response.body.clear();
    return response;
  }
  curl.easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

}  // namespace cytoskel
