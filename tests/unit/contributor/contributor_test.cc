#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "aws/error.h"
#include "contributor/credential_cache.h"
#include "contributor/scoped_credentials.h"

namespace cytoskel {
namespace {

using std::chrono::minutes;
using std::chrono::system_clock;

TEST(ScopedRequestTest, NormalizesGoodRequests) {
  ScopedRequest request =
      NormalizeRequest({"s3://b/cpg0001-x/", "readwrite", 3600, "minimal"});
  EXPECT_EQ(request.target, "s3://b/cpg0001-x/*");
  EXPECT_EQ(request.permission, "READWRITE");
  EXPECT_EQ(request.privilege, "Minimal");
  EXPECT_EQ(NormalizeRequest({"s3://b/cpg0001-x/*", "", {}, ""}).target,
            "s3://b/cpg0001-x/*");
  EXPECT_EQ(NormalizeRequest({"s3://b/key.txt", "", {}, ""}).target,
            "s3://b/key.txt");
  EXPECT_EQ(NormalizeRequest({}).target, "");
}

TEST(ScopedRequestTest, RefusesBadRequests) {
  const std::vector<std::pair<ScopedRequest, std::string>> cases = {
      {{"b/x", "", {}, ""}, "must be an S3 URI"},
      {{"s3://", "", {}, ""}, "names no bucket"},
      {{"s3:///x", "", {}, ""}, "names no bucket"},
      {{"s3://b/\x01", "", {}, ""}, "control character"},
      {{"", "ALL", {}, ""}, "must be READ, WRITE or READWRITE"},
      {{"", "", 899, ""}, "--duration must be from 900 to 43200"},
      {{"", "", 43201, ""}, "--duration must be from 900 to 43200"},
      {{"", "", {}, "max"}, "--privilege must be Default or Minimal"},
  };
  for (const auto& [request, fragment] : cases) {
    SCOPED_TRACE(fragment);
    try {
      NormalizeRequest(request);
      ADD_FAILURE() << "accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kUsage);
      EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos)
          << error.what();
    }
  }
}

class CacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/cytoskel-cache-test-XXXXXX";
    root_ = mkdtemp(pattern);
    directory_ = root_ + "/cache/cytoskel";
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  CredentialCache Cache() const {
    Environment env;
    env.get_env = [](const std::string&) { return std::nullopt; };
    env.read_file = Environment::System().read_file;
    return CredentialCache(directory_, env);
  }

  static ScopedCredentials Value(system_clock::time_point expiration) {
    ScopedCredentials value;
    value.credentials = {"ASIATEMP", "secret", "token", expiration, "test"};
    value.target = "s3://b/x/*";
    value.permission = "READWRITE";
    value.matched_grant_target = "s3://b/x/*";
    value.account_id = "123456789012";
    return value;
  }

  std::string root_;
  std::string directory_;
};

TEST_F(CacheTest, ServesAFreshEntryUntilTheRefreshMargin) {
  CredentialCache cache = Cache();
  CacheKey key{"AKIAME", "s3://b/x/*", "READWRITE", "", 0};
  auto now = system_clock::from_time_t(1800000000);
  cache.Store(key, Value(now + minutes(60)));

  auto hit = cache.Load(key, now);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->credentials.access_key_id, "ASIATEMP");
  EXPECT_EQ(hit->credentials.session_token, "token");
  EXPECT_EQ(*hit->credentials.expiration, now + minutes(60));
  EXPECT_EQ(hit->account_id, "123456789012");

  EXPECT_TRUE(cache.Load(key, now + minutes(44)).has_value());
  EXPECT_FALSE(cache.Load(key, now + minutes(45)).has_value());
}

TEST_F(CacheTest, EntriesAreKeyedByEveryPartOfTheRequest) {
  CredentialCache cache = Cache();
  auto now = system_clock::from_time_t(1800000000);
  CacheKey key{"AKIAME", "s3://b/x/*", "READWRITE", "", 0};
  cache.Store(key, Value(now + minutes(60)));
  std::vector<CacheKey> others = {
      {"AKIAOTHER", "s3://b/x/*", "READWRITE", "", 0},
      {"AKIAME", "s3://b/y/*", "READWRITE", "", 0},
      {"AKIAME", "s3://b/x/*", "READ", "", 0},
      {"AKIAME", "s3://b/x/*", "READWRITE", "Minimal", 0},
      {"AKIAME", "s3://b/x/*", "READWRITE", "", 900},
  };
  for (const CacheKey& other : others) {
    EXPECT_NE(cache.PathFor(other), cache.PathFor(key));
    EXPECT_FALSE(cache.Load(other, now).has_value());
  }
}

TEST_F(CacheTest, FilesArePrivateAndDamagedEntriesAreIgnored) {
  CredentialCache cache = Cache();
  auto now = system_clock::from_time_t(1800000000);
  CacheKey key{"AKIAME", "", "", "", 0};
  cache.Store(key, Value(now + minutes(60)));

  struct stat info {};
  ASSERT_EQ(stat(directory_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
  ASSERT_EQ(stat(cache.PathFor(key).c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);

  for (const char* damaged : {"", "{", "[]", "{\"AccessKeyId\":\"x\"}",
                              "{\"AccessKeyId\":\"x\",\"SecretAccessKey\":"
                              "\"y\",\"Expiration\":\"soon\"}"}) {
    SCOPED_TRACE(damaged);
    std::ofstream(cache.PathFor(key)) << damaged;
    EXPECT_FALSE(cache.Load(key, now).has_value());
  }
}

}  // namespace
}  // namespace cytoskel
