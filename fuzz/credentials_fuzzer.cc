// Fuzzes the two places cytoskel reads credentials written by someone else:
// the stdout of a `credential_process` (JSON with Version, AccessKeyId,
// SecretAccessKey, SessionToken, Expiration) and an entry of the on-disk
// scoped-credential cache (contributor/credential_cache.h). The input is
// that text; the first byte picks the reader and the process's exit code.
//
// Properties checked besides "no crash, only cytoskel::Error":
// - credentials accepted from a process have an id and a secret;
// - a cache entry is served only with a secret and an expiration at least
//   the refresh margin away.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "aws/config.h"
#include "aws/credential_chain.h"
#include "contributor/credential_cache.h"
#include "fuzz_support.h"

namespace cytoskel::fuzz {
namespace {

const auto kNow =
    std::chrono::system_clock::time_point(std::chrono::seconds(1714564800));

constexpr char kConfig[] =
    "[profile fuzz]\n"
    "region = us-east-1\n"
    "credential_process = /fuzz/helper --print-credentials\n";

void CheckProcessOutput(const std::string& output, int exit_code) {
  Environment env = Environment::FromMaps(
      {{"AWS_CONFIG_FILE", "/fuzz/config"},
       {"AWS_SHARED_CREDENTIALS_FILE", "/fuzz/credentials"},
       {"AWS_PROFILE", "fuzz"}},
      {{"/fuzz/config", kConfig}});
  ExpectOnlyErrors("credential_process", [&] {
    ResolvedConfig config = ResolveConfig({}, env);
    CredentialDeps deps;
    deps.env = env;
    deps.run_process = [&](const std::string&) {
      ProcessResult result;
      result.exit_code = exit_code;
      result.stdout_text = output;
      result.stderr_text = "helper failed";
      return result;
    };
    deps.assume_role = [](const Credentials& source, const AssumeRoleRequest&) {
      return source;
    };
    deps.now = [] { return kNow; };
    Credentials credentials = ResolveCredentials(config, deps);
    Require(!credentials.access_key_id.empty() &&
                !credentials.secret_access_key.empty(),
            "process credentials have an id and a secret");
  });
}

void CheckCacheEntry(const std::string& text) {
  CacheKey key{"AKIDEXAMPLE", "s3://bucket/cpg0001/*", "READWRITE", "", 0};
  CredentialCache probe("/fuzz/cache", Environment::FromMaps({}, {}));
  std::string path = probe.PathFor(key);
  CredentialCache cache("/fuzz/cache",
                        Environment::FromMaps({}, {{path, text}}));
  ExpectOnlyErrors("CredentialCache::Load", [&] {
    auto entry = cache.Load(key, kNow);
    if (!entry) return;
    Require(!entry->credentials.secret_access_key.empty(),
            "a served cache entry has a secret");
    Require(entry->credentials.expiration.has_value() &&
                *entry->credentials.expiration >=
                    kNow + CredentialCache::kRefreshMargin,
            "a served cache entry is fresh");
  });
}

}  // namespace
}  // namespace cytoskel::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] & 1) {
    cytoskel::fuzz::CheckCacheEntry(text);
  } else {
    cytoskel::fuzz::CheckProcessOutput(text, (data[0] >> 1) % 4 == 0 ? 1 : 0);
  }
  return 0;
}
