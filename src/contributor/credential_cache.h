// The on-disk cache of scoped credentials, so that `credentials` (run by
// every AWS SDK through credential_process) and `exec` do not ask Access
// Grants again while the last answer is still good.
//
// One file per request, named by a hash of (caller's access key id, target,
// permission, privilege, duration), in $XDG_CACHE_HOME/cytoskel (default
// ~/.cache/cytoskel). The directory is 0700, each file 0600 and replaced
// atomically. An entry is used until 15 minutes before its expiry.
#ifndef CYTOSKEL_CONTRIBUTOR_CREDENTIAL_CACHE_H_
#define CYTOSKEL_CONTRIBUTOR_CREDENTIAL_CACHE_H_

#include <chrono>
#include <optional>
#include <string>

#include "aws/credentials.h"
#include "aws/environment.h"

namespace cytoskel {

// Scoped credentials and what they are for.
struct ScopedCredentials {
  Credentials credentials;  // always with an expiration
  std::string target;       // the S3 URI they were asked for
  std::string permission;
  std::string matched_grant_target;
  std::string account_id;
};

// What a cache entry is looked up by.
struct CacheKey {
  std::string access_key_id;  // the caller's own key: not a secret
  std::string target;         // "" when the caller's only grant decides
  std::string permission;
  std::string privilege;
  int duration_seconds = 0;  // 0 when not given
};

class CredentialCache {
 public:
  // Entries closer than this to expiry are not served.
  static constexpr std::chrono::minutes kRefreshMargin{15};

  // Entries live in `directory`; files are read through `env`.
  CredentialCache(std::string directory, Environment env);

  // $XDG_CACHE_HOME/cytoskel, else ~/.cache/cytoskel.
  static std::string DefaultDirectory(const Environment& env);

  // The entry for `key` if one exists, parses, and is valid for at least
  // kRefreshMargin after `now`. A damaged entry counts as missing.
  std::optional<ScopedCredentials> Load(
      const CacheKey& key, std::chrono::system_clock::time_point now) const;

  // Stores `value` for `key` (directory made 0700 if missing). Throws an
  // internal Error naming the path on failure, never the secret.
  void Store(const CacheKey& key, const ScopedCredentials& value) const;

  // The file an entry for `key` lives in.
  std::string PathFor(const CacheKey& key) const;

 private:
  std::string directory_;
  Environment env_;
};

}  // namespace cytoskel

#endif  // CYTOSKEL_CONTRIBUTOR_CREDENTIAL_CACHE_H_
