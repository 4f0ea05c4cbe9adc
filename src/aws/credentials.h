// AWS credentials as one value, and where they came from.
#ifndef CYTOSKEL_AWS_CREDENTIALS_H_
#define CYTOSKEL_AWS_CREDENTIALS_H_

#include <chrono>
#include <optional>
#include <string>

namespace cytoskel {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;  // secret: never logged or printed to stderr
  std::string session_token;      // secret; empty for long-term keys
  // Set for temporary credentials; unset for long-term keys.
  std::optional<std::chrono::system_clock::time_point> expiration;
  // Which link of the chain produced them, for `whoami` and --debug:
  // "environment", "assume-role", "credential-process",
  // "shared-credentials-file", "config-file".
  std::string source;
};

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_CREDENTIALS_H_
