#include "stack/secret_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "aws/error.h"

namespace cytoskel {

namespace {

constexpr mode_t kSecretMode = S_IRUSR | S_IWUSR;  // 0600

std::string Directory(const std::string& path) {
  std::string parent = std::filesystem::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

Error WriteError(const std::string& path, const char* what, int error) {
  return Error(ErrorKind::kInternal,
               fmt::format("could not write {}: {}: {}", path, what,
                           std::strerror(error)));
}

// An open file descriptor, closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Close(); }

  int get() const { return fd_; }
  // Closes now; returns close's result (0, or -1 with errno set).
  int Close() {
    int result = fd_ >= 0 ? ::close(fd_) : 0;
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

void WriteAll(int fd, std::string_view content, const std::string& path) {
  while (!content.empty()) {
    ssize_t written = ::write(fd, content.data(), content.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      throw WriteError(path, "write", errno);
    }
    content.remove_prefix(static_cast<size_t>(written));
  }
}

// Writes `content` into the new file `fd`, forces it to disk and closes it.
void FillTemporary(Fd& fd, std::string_view content, const std::string& path) {
  // mkstemp's mode is 0600 less the umask: say 0600 exactly.
  if (::fchmod(fd.get(), kSecretMode) != 0) {
    throw WriteError(path, "chmod", errno);
  }
  WriteAll(fd.get(), content, path);
  if (::fsync(fd.get()) != 0) throw WriteError(path, "fsync", errno);
  if (fd.Close() != 0) throw WriteError(path, "close", errno);
}

// Makes the rename durable. Best effort: the file is already in place.
void SyncDirectory(const std::string& directory) {
  Fd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() >= 0) ::fsync(fd.get());
}

}  // namespace

void CheckSecretFilePath(const std::string& path) {
  if (path.empty()) throw UsageError("the file name is empty");
  struct stat info;
  if (::lstat(path.c_str(), &info) == 0) {
    if (S_ISLNK(info.st_mode)) {
      throw UsageError(fmt::format(
          "refusing to write secrets to {}: it is a symbolic link", path));
    }
    if (!S_ISREG(info.st_mode)) {
      throw UsageError(fmt::format(
          "refusing to write secrets to {}: it is not a regular file", path));
    }
  }
  std::string directory = Directory(path);
  if (::stat(directory.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    throw UsageError(fmt::format("cannot write {}: directory {} does not exist",
                                 path, directory));
  }
  if (::access(directory.c_str(), W_OK | X_OK) != 0) {
    throw UsageError(fmt::format(
        "cannot write {}: directory {} is not writable", path, directory));
  }
}

void WriteSecretFile(const std::string& path, std::string_view content) {
  CheckSecretFilePath(path);
  std::string directory = Directory(path);
  std::string name = std::filesystem::path(path).filename().string();
  std::string pattern = directory + "/." + name + ".tmp-XXXXXX";
  std::vector<char> temporary(pattern.begin(), pattern.end());
  temporary.push_back('\0');

  // mkostemp opens with O_CREAT | O_EXCL: the name is new and ours alone.
  Fd fd(::mkostemp(temporary.data(), O_CLOEXEC));
  if (fd.get() < 0) throw WriteError(path, "create temporary file", errno);
  try {
    FillTemporary(fd, content, path);
    // rename replaces `path` itself, never what a link there points at.
    if (::rename(temporary.data(), path.c_str()) != 0) {
      throw WriteError(path, "rename", errno);
    }
  } catch (...) {
    ::unlink(temporary.data());
    throw;
  }
  SyncDirectory(directory);
}

}  // namespace cytoskel
