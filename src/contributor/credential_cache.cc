#include "contributor/credential_cache.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "aws/crypto.h"
#include "aws/error.h"
#include "aws/time_format.h"
#include "stack/secret_file.h"

namespace cytoskel {

namespace {

using nlohmann::json;

// Makes `directory` (and its parent) with mode 0700 if missing, and
// tightens an existing one that others could read.
void PrepareDirectory(const std::string& directory) {
  size_t slash = directory.find_last_of('/');
  if (slash != std::string::npos && slash > 0) {
    ::mkdir(directory.substr(0, slash).c_str(), 0700);
  }
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST) {
    throw Error(ErrorKind::kInternal, "cannot create the cache directory " +
                                          directory + ": " +
                                          std::strerror(errno));
  }
  struct stat info {};
  if (::lstat(directory.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    throw Error(ErrorKind::kInternal,
                "the cache directory " + directory + " is not a directory");
  }
  if ((info.st_mode & 077) != 0) ::chmod(directory.c_str(), 0700);
}

json ToJson(const ScopedCredentials& value) {
  const Credentials& credentials = value.credentials;
  return {{"AccessKeyId", credentials.access_key_id},
          {"SecretAccessKey", credentials.secret_access_key},
          {"SessionToken", credentials.session_token},
          {"Expiration", FormatRfc3339(*credentials.expiration)},
          {"Target", value.target},
          {"Permission", value.permission},
          {"MatchedGrantTarget", value.matched_grant_target},
          {"AccountId", value.account_id}};
}

std::optional<ScopedCredentials> FromJson(const json& entry) {
  if (!entry.is_object()) return std::nullopt;
  auto text = [&](const char* name) -> std::string {
    auto found = entry.find(name);
    return found != entry.end() && found->is_string()
               ? found->get<std::string>()
               : "";
  };
  ScopedCredentials value;
  value.credentials.access_key_id = text("AccessKeyId");
  value.credentials.secret_access_key = text("SecretAccessKey");
  value.credentials.session_token = text("SessionToken");
  value.credentials.expiration = ParseRfc3339(text("Expiration"));
  value.credentials.source = "cache";
  value.target = text("Target");
  value.permission = text("Permission");
  value.matched_grant_target = text("MatchedGrantTarget");
  value.account_id = text("AccountId");
  if (value.credentials.access_key_id.empty() ||
      value.credentials.secret_access_key.empty() ||
      !value.credentials.expiration) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

CredentialCache::CredentialCache(std::string directory, Environment env)
    : directory_(std::move(directory)), env_(std::move(env)) {}

std::string CredentialCache::DefaultDirectory(const Environment& env) {
  if (auto xdg = env.get_env("XDG_CACHE_HOME"); xdg && !xdg->empty()) {
    return *xdg + "/cytoskel";
  }
  return ExpandHome("~/.cache/cytoskel", env);
}

std::string CredentialCache::PathFor(const CacheKey& key) const {
  json identity = {key.access_key_id, key.target, key.permission, key.privilege,
                   key.duration_seconds};
  return directory_ + "/" + Sha256Hex(identity.dump()).substr(0, 40) + ".json";
}

std::optional<ScopedCredentials> CredentialCache::Load(
    const CacheKey& key, std::chrono::system_clock::time_point now) const {
  std::optional<std::string> text;
  try {
    text = env_.read_file(PathFor(key));
  } catch (const Error&) {
    return std::nullopt;  // an unreadable entry is simply not used
  }
  if (!text) return std::nullopt;
  json entry = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  std::optional<ScopedCredentials> value = FromJson(entry);
  if (!value || *value->credentials.expiration - kRefreshMargin <= now) {
    return std::nullopt;
  }
  return value;
}

void CredentialCache::Store(const CacheKey& key,
                            const ScopedCredentials& value) const {
  PrepareDirectory(directory_);
  WriteSecretFile(PathFor(key), ToJson(value).dump());
}

}  // namespace cytoskel
