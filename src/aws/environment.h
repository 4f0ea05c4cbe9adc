// The outside world as the configuration code sees it: environment variables
// and files. Production code passes Environment::System(); tests pass maps.
#ifndef CYTOSKEL_AWS_ENVIRONMENT_H_
#define CYTOSKEL_AWS_ENVIRONMENT_H_

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace cytoskel {

struct Environment {
  // The variable's value, or nullopt if it is not set. A variable set to ""
  // is set: callers decide what an empty value means.
  std::function<std::optional<std::string>(const std::string& name)> get_env;

  // The file's bytes, or nullopt if there is no regular file at `path` (a
  // missing file or a directory, as botocore's os.path.isfile sees it).
  // Throws ConfigError "Unable to read PATH: REASON" if the file exists but
  // cannot be read (botocore would silently treat it as empty).
  std::function<std::optional<std::string>(const std::string& path)> read_file;

  // The real process environment (getenv) and file system.
  static Environment System();

  // A world that has only `variables` set and only `files` (path -> bytes)
  // on disk: for tests, benchmarks and fuzzers, which must not see the
  // machine they run on.
  static Environment FromMaps(std::map<std::string, std::string> variables,
                              std::map<std::string, std::string> files = {});
};

// Replaces a leading "~" (alone or before '/') with $HOME, without a trailing
// '/' of HOME. Other paths, "~user/..." paths, and every path when HOME is
// unset, are returned as given.
std::string ExpandHome(const std::string& path, const Environment& env);

// What botocore does to AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE:
// first "$NAME" and "${NAME}" are replaced by the variable's value when it
// is set (and left as written when not), then ExpandHome.
std::string ExpandPath(const std::string& path, const Environment& env);

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_ENVIRONMENT_H_
