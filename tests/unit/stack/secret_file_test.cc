#include "stack/secret_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../caught_error.h"
#include "aws/error.h"

namespace cytoskel {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSecret[] = "[lab]\naws_secret_access_key = s3cr3t/value\n";

class SecretFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "cytoskel-secret-XXXXXX")
            .string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  static std::string Read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  static unsigned Mode(const std::string& path) {
    struct stat info;
    EXPECT_EQ(::lstat(path.c_str(), &info), 0) << path;
    return info.st_mode & 07777;
  }

  // The names in the directory: no temporary file may be left behind.
  std::vector<std::string> Entries() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  std::string dir_;
};

TEST_F(SecretFileTest, WritesANewFileWithMode0600) {
  WriteSecretFile(Path("creds"), kSecret);

  EXPECT_EQ(Read(Path("creds")), kSecret);
  EXPECT_EQ(Mode(Path("creds")), 0600u);
  EXPECT_EQ(Entries(), std::vector<std::string>{"creds"});
}

TEST_F(SecretFileTest, ReplacesAnExistingFileWhateverItsMode) {
  const std::vector<unsigned> modes = {0644, 0666, 0400, 0600};
  for (unsigned mode : modes) {
    SCOPED_TRACE(mode);
    {
      std::ofstream old(Path("creds"));
      old << "old content that is longer than the new content, by far........"
             "................................................................";
    }
    ASSERT_EQ(::chmod(Path("creds").c_str(), mode), 0);

    WriteSecretFile(Path("creds"), kSecret);

    EXPECT_EQ(Read(Path("creds")), kSecret);
    EXPECT_EQ(Mode(Path("creds")), 0600u);
    EXPECT_EQ(Entries(), std::vector<std::string>{"creds"});
  }
}

TEST_F(SecretFileTest, Is0600WhateverTheUmask) {
  mode_t old = ::umask(0277);  // would give 0400
  WriteSecretFile(Path("creds"), kSecret);
  ::umask(old);

  EXPECT_EQ(Mode(Path("creds")), 0600u);
}

TEST_F(SecretFileTest, RefusesPathsItMustNotWrite) {
  {
    std::ofstream target(Path("target"));
    target << "untouched";
  }
  std::filesystem::create_symlink(Path("target"), Path("link"));
  std::filesystem::create_symlink(Path("nowhere"), Path("dangling"));
  std::filesystem::create_directory(Path("dir"));
  struct Case {
    std::string path;
    std::string fragment;
  };
  const std::vector<Case> cases = {
      {Path("link"), "is a symbolic link"},
      {Path("dangling"), "is a symbolic link"},
      {Path("dir"), "is not a regular file"},
      {Path("missing/creds"), "does not exist"},
      {"", "empty"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);
    Error error = CaughtError([&] { WriteSecretFile(c.path, kSecret); });

    EXPECT_EQ(error.kind(), ErrorKind::kUsage);
    EXPECT_THAT(error.message(), HasSubstr(c.fragment));
    EXPECT_THAT(error.message(), Not(HasSubstr("s3cr3t")));
  }
  EXPECT_EQ(Read(Path("target")), "untouched");
  EXPECT_FALSE(std::filesystem::exists(Path("nowhere")));
  EXPECT_EQ(Entries(),
            (std::vector<std::string>{"dangling", "dir", "link", "target"}));
}

TEST_F(SecretFileTest, CheckAcceptsANewFileInAnExistingDirectory) {
  CheckSecretFilePath(Path("new"));
  CheckSecretFilePath("relative-name-in-the-current-directory");
  EXPECT_FALSE(std::filesystem::exists(Path("new")));
}

}  // namespace
}  // namespace cytoskel
