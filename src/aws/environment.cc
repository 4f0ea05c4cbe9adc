#include "aws/environment.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <system_error>

#include <fmt/format.h>

#include "aws/error.h"

namespace cytoskel {

namespace {

std::optional<std::string> GetSystemEnv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

[[noreturn]] void FailToRead(const std::string& path, int error) {
  throw ConfigError(fmt::format("Unable to read {}: {}", path,
                                std::generic_category().message(error)));
}

// Closes a file descriptor when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

std::optional<std::string> ReadSystemFile(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    FailToRead(path, errno);
  }
  if (!S_ISREG(info.st_mode)) return std::nullopt;

  const FileDescriptor file(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) FailToRead(path, errno);
  std::string contents;
  char buffer[8192];
  for (;;) {
    const ssize_t count = read(file.get(), buffer, sizeof buffer);
    if (count == 0) break;
    if (count < 0) {
      if (errno == EINTR) continue;
      FailToRead(path, errno);
    }
    contents.append(buffer, static_cast<size_t>(count));
  }
  return contents;
}

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}

// The variable reference starting at text[start] == '$': "$NAME" or
// "${...}". Returns its length and name, or length 0 if there is none.
std::pair<size_t, std::string> VariableAt(const std::string& text,
                                          size_t start) {
  const size_t after = start + 1;
  if (after < text.size() && text[after] == '{') {
    const size_t close = text.find('}', after);
    if (close == std::string::npos) return {0, ""};
    return {close + 1 - start, text.substr(after + 1, close - after - 1)};
  }
  size_t end = after;
  while (end < text.size() && IsWordChar(text[end])) ++end;
  if (end == after) return {0, ""};
  return {end - start, text.substr(after, end - after)};
}

// Python's os.path.expandvars.
std::string ExpandVariables(const std::string& path, const Environment& env) {
  std::string expanded;
  size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] != '$') {
      expanded += path[pos++];
      continue;
    }
    const auto [length, name] = VariableAt(path, pos);
    if (length == 0) {
      expanded += path[pos++];
      continue;
    }
    const std::optional<std::string> value = env.get_env(name);
    expanded += value ? *value : path.substr(pos, length);
    pos += length;
  }
  return expanded;
}

}  // namespace

Environment Environment::System() { return {GetSystemEnv, ReadSystemFile}; }

Environment Environment::FromMaps(std::map<std::string, std::string> variables,
                                  std::map<std::string, std::string> files) {
  // Both lookups answer from their own copy, so the Environment outlives
  // the maps it was made from.
  auto lookup = [](const std::map<std::string, std::string>& map,
                   const std::string& key) -> std::optional<std::string> {
    const auto found = map.find(key);
    if (found == map.end()) return std::nullopt;
    return found->second;
  };
  Environment env;
  env.get_env = [lookup,
                 variables = std::move(variables)](const std::string& name) {
    return lookup(variables, name);
  };
  env.read_file = [lookup, files = std::move(files)](const std::string& path) {
    return lookup(files, path);
  };
  return env;
}

std::string ExpandHome(const std::string& path, const Environment& env) {
  if (path != "~" && !path.starts_with("~/")) return path;
  std::optional<std::string> home = env.get_env("HOME");
  if (!home) return path;
  while (!home->empty() && home->back() == '/') home->pop_back();
  const std::string expanded = *home + path.substr(1);
  return expanded.empty() ? "/" : expanded;
}

std::string ExpandPath(const std::string& path, const Environment& env) {
  return ExpandHome(ExpandVariables(path, env), env);
}

}  // namespace cytoskel
