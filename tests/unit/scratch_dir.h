// Files for tests that touch the disk: a fresh directory per test, removed
// afterwards, and reading a file back whole.
#ifndef CYTOSKEL_TESTS_UNIT_SCRATCH_DIR_H_
#define CYTOSKEL_TESTS_UNIT_SCRATCH_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace cytoskel {

// A new directory under the temporary directory, removed with everything
// in it when the object goes out of scope.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "cytoskel-test-XXXXXX")
            .string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  // The path of `name` inside the directory.
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The whole content of the file at `path`; "" when it cannot be read.
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace cytoskel

#endif  // CYTOSKEL_TESTS_UNIT_SCRATCH_DIR_H_
