// libcurl, loaded when the first HTTP client is made instead of when the
// program starts. Debian's libcurl brings about thirty libraries (GnuTLS,
// Kerberos, LDAP, SSH, ...) whose mapping and start-up cost about 5 ms,
// which commands that send no request (--version, help, completion, input
// errors) should not pay.
#ifndef CYTOSKEL_AWS_CURL_LIBRARY_H_
#define CYTOSKEL_AWS_CURL_LIBRARY_H_

#include <curl/curl.h>

#include <string>

namespace cytoskel {

// The libcurl functions cytoskel calls, with libcurl's own signatures.
struct CurlLibrary {
  decltype(&curl_global_init) global_init = nullptr;
  decltype(&curl_easy_init) easy_init = nullptr;
  decltype(&curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&curl_easy_reset) easy_reset = nullptr;
  decltype(&curl_easy_setopt) easy_setopt = nullptr;
  decltype(&curl_easy_perform) easy_perform = nullptr;
  decltype(&curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&curl_easy_strerror) easy_strerror = nullptr;
  decltype(&curl_slist_append) slist_append = nullptr;
  decltype(&curl_slist_free_all) slist_free_all = nullptr;

  // Empty when every function above is set; else why libcurl could not be
  // loaded (and every function is null).
  std::string error;
};

// The name cytoskel loads: the soname of the libcurl it was built against.
inline constexpr char kCurlLibraryName[] = "libcurl.so.4";

// Loads libcurl once, thread-safe, and calls curl_global_init; later calls
// return the same result.
const CurlLibrary& LoadCurl();

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_CURL_LIBRARY_H_
