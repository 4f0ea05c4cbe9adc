#include "aws/curl_library.h"

#include <dlfcn.h>

namespace cytoskel {

namespace {

// Sets `function` to the symbol `name` of `library`; false when missing.
template <typename Function>
bool Bind(void* library, const char* name, Function& function) {
  function = reinterpret_cast<Function>(::dlsym(library, name));
  return function != nullptr;
}

CurlLibrary Load() {
  CurlLibrary curl;
  // Never unloaded: libcurl stays for the life of the process.
  void* library = ::dlopen(kCurlLibraryName, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* reason = ::dlerror();
    curl.error = reason != nullptr ? reason : kCurlLibraryName;
    return curl;
  }
  bool complete = Bind(library, "curl_global_init", curl.global_init) &&
                  Bind(library, "curl_easy_init", curl.easy_init) &&
                  Bind(library, "curl_easy_cleanup", curl.easy_cleanup) &&
                  Bind(library, "curl_easy_reset", curl.easy_reset) &&
                  Bind(library, "curl_easy_setopt", curl.easy_setopt) &&
                  Bind(library, "curl_easy_perform", curl.easy_perform) &&
                  Bind(library, "curl_easy_getinfo", curl.easy_getinfo) &&
                  Bind(library, "curl_easy_strerror", curl.easy_strerror) &&
                  Bind(library, "curl_slist_append", curl.slist_append) &&
                  Bind(library, "curl_slist_free_all", curl.slist_free_all);
  if (!complete) {
    curl = CurlLibrary{};
    curl.error = std::string(kCurlLibraryName) +
                 " lacks a function cytoskel "
                 "needs";
    return curl;
  }
  if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    curl = CurlLibrary{};
    curl.error = "curl_global_init failed";
  }
  return curl;
}

}  // namespace

const CurlLibrary& LoadCurl() {
  // A function-local static is initialised once, even with threads.
  static const CurlLibrary curl = Load();
  return curl;
}

}  // namespace cytoskel
