#include "aws/s3.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "aws/crypto.h"
#include "aws/error.h"
#include "fake_http.h"

namespace cytoskel {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kNs[] = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

std::string S3Error(const std::string& code) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code +
         "</Code><Message>m</Message><BucketName>b</BucketName>"
         "<RequestId>R1</RequestId><HostId>H1</HostId></Error>";
}

std::string HeaderOf(const HttpRequest& request, std::string_view name) {
  return FindHeader(request.headers, name).value_or("<absent>");
}

class S3ClientTest : public ::testing::Test {
 protected:
  FakeHttpServer server_;
  std::unique_ptr<Session> session_ = MakeTestSession(server_);
  S3Client s3_{*session_};

  HttpRequest OnlyRequest() {
    std::vector<HttpRequest> requests = server_.requests();
    EXPECT_EQ(requests.size(), 1u);
    return requests.empty() ? HttpRequest{} : requests[0];
  }
};

// ---- Addressing ----

TEST(S3PathTest, EncodesEachKeySegmentAndKeepsSlashes) {
  struct Case {
    const char* bucket;
    const char* key;
    const char* path;
  };
  const Case cases[] = {
      {"staging", "", "/staging"},
      {"staging", "a.txt", "/staging/a.txt"},
      {"staging", "my folder/file name.txt",
       "/staging/my%20folder/file%20name.txt"},
      {"staging", "cpg0001/sub/", "/staging/cpg0001/sub/"},
      {"staging", "a+b=c&d?e#f", "/staging/a%2Bb%3Dc%26d%3Fe%23f"},
      {"staging", "~tilde-under_score.", "/staging/~tilde-under_score."},
      {"staging", "caf\xC3\xA9", "/staging/caf%C3%A9"},
      {"staging", "100%", "/staging/100%25"},
  };
  for (const Case& test : cases) {
    EXPECT_EQ(S3Path(test.bucket, test.key), test.path) << test.key;
  }
}

TEST_F(S3ClientTest, PutObjectSendsTheKeyPathStyleWithItsMd5) {
  server_.Reply(200, "", {{"ETag", "\"abc\""}});

  std::string etag = s3_.PutObject("staging", "my folder/file name.txt",
                                   "hello", "text/plain");

  EXPECT_EQ(etag, "\"abc\"");
  HttpRequest request = OnlyRequest();
  EXPECT_EQ(request.method, "PUT");
  EXPECT_EQ(UrlPath(request.url), "/staging/my%20folder/file%20name.txt");
  EXPECT_EQ(UrlQuery(request.url), "");
  EXPECT_EQ(request.body, "hello");
  EXPECT_EQ(HeaderOf(request, "Content-MD5"), Md5Base64("hello"));
  EXPECT_EQ(HeaderOf(request, "Content-Type"), "text/plain");
  EXPECT_EQ(HeaderOf(request, "x-amz-content-sha256"), Sha256Hex("hello"));
  EXPECT_THAT(HeaderOf(request, "Authorization"),
              HasSubstr("/us-east-1/s3/aws4_request"));
}

TEST_F(S3ClientTest, DeleteObjectAndDeleteBucket) {
  server_.Reply(204, "");
  server_.Reply(204, "");

  s3_.DeleteObject("staging", "a b");
  s3_.DeleteBucket("staging");

  std::vector<HttpRequest> requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "DELETE");
  EXPECT_EQ(UrlPath(requests[0].url), "/staging/a%20b");
  EXPECT_EQ(requests[1].method, "DELETE");
  EXPECT_EQ(UrlPath(requests[1].url), "/staging");
}

// ---- HeadBucket ----

struct HeadCase {
  const char* name;
  long status;
  std::string body;
  BucketAccess expected;
};

TEST(S3HeadBucketTest, MapsTheStatusToAnAnswer) {
  const std::vector<HeadCase> cases = {
      {"exists", 200, "", BucketAccess::kOwned},
      {"not found (HEAD has no body)", 404, "", BucketAccess::kNotFound},
      {"forbidden (HEAD has no body)", 403, "", BucketAccess::kForbidden},
      {"not found with a body", 404, S3Error("NoSuchBucket"),
       BucketAccess::kNotFound},
      {"access denied with a body", 403, S3Error("AccessDenied"),
       BucketAccess::kForbidden},
  };
  for (const HeadCase& test : cases) {
    SCOPED_TRACE(test.name);
    FakeHttpServer server;
    auto session = MakeTestSession(server);
    server.Reply(test.status, test.body);

    EXPECT_EQ(S3Client(*session).HeadBucket("staging", "123456789012"),
              test.expected);
    HttpRequest request = server.requests().at(0);
    EXPECT_EQ(request.method, "HEAD");
    EXPECT_EQ(UrlPath(request.url), "/staging");
    EXPECT_EQ(HeaderOf(request, "x-amz-expected-bucket-owner"), "123456789012");
  }
}

TEST_F(S3ClientTest, HeadBucketPassesOtherErrorsOn) {
  server_.Reply(400, S3Error("InvalidBucketName"));

  try {
    s3_.HeadBucket("Bad_Name");
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), "InvalidBucketName");
  }
  EXPECT_EQ(HeaderOf(OnlyRequest(), "x-amz-expected-bucket-owner"), "<absent>");
}

// ---- CreateBucket ----

TEST(S3CreateBucketTest, NamesTheRegionOutsideUsEast1Only) {
  struct Case {
    const char* region;
    std::string body;
  };
  const Case cases[] = {
      {"us-east-1", ""},
      {"eu-west-1", std::string("<CreateBucketConfiguration") + kNs +
                        "><LocationConstraint>eu-west-1</LocationConstraint>"
                        "</CreateBucketConfiguration>"},
  };
  for (const Case& test : cases) {
    SCOPED_TRACE(test.region);
    FakeHttpServer server;
    auto session = MakeTestSession(server, test.region);
    server.Reply(200, "", {{"Location", "/staging"}});

    S3Client(*session).CreateBucket("staging");

    HttpRequest request = server.requests().at(0);
    EXPECT_EQ(request.method, "PUT");
    EXPECT_EQ(UrlPath(request.url), "/staging");
    EXPECT_EQ(request.body, test.body);
    EXPECT_THAT(HeaderOf(request, "Authorization"),
                HasSubstr(std::string("/") + test.region + "/s3/"));
  }
}

TEST_F(S3ClientTest, CreateBucketThatIsAlreadyOursSucceeds) {
  server_.Reply(409, S3Error("BucketAlreadyOwnedByYou"));

  EXPECT_NO_THROW(s3_.CreateBucket("staging"));
}

TEST_F(S3ClientTest, CreateBucketOfSomeoneElsesNameFails) {
  server_.Reply(409, S3Error("BucketAlreadyExists"));

  try {
    s3_.CreateBucket("staging");
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kService);
    EXPECT_EQ(error.code(), "BucketAlreadyExists");
    EXPECT_EQ(error.operation(), "CreateBucket");
  }
}

// ---- Bucket settings ----

TEST_F(S3ClientTest, GetPublicAccessBlockParsesTheFourFlags) {
  server_.Reply(200, std::string("<PublicAccessBlockConfiguration") + kNs +
                         "><BlockPublicAcls>true</BlockPublicAcls>"
                         "<IgnorePublicAcls>false</IgnorePublicAcls>"
                         "<BlockPublicPolicy>true</BlockPublicPolicy>"
                         "<RestrictPublicBuckets>true</RestrictPublicBuckets>"
                         "</PublicAccessBlockConfiguration>");

  std::optional<PublicAccessBlock> settings =
      s3_.GetPublicAccessBlock("staging");

  ASSERT_TRUE(settings.has_value());
  EXPECT_TRUE(settings->block_public_acls);
  EXPECT_FALSE(settings->ignore_public_acls);
  EXPECT_TRUE(settings->block_public_policy);
  EXPECT_TRUE(settings->restrict_public_buckets);
  EXPECT_FALSE(settings->AllBlocked());
  HttpRequest request = OnlyRequest();
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(UrlPath(request.url), "/staging");
  EXPECT_EQ(UrlQuery(request.url), "publicAccessBlock=");
}

TEST_F(S3ClientTest, GetBucketEncryptionParsesTheFirstRule) {
  server_.Reply(200, std::string("<ServerSideEncryptionConfiguration") + kNs +
                         "><Rule><ApplyServerSideEncryptionByDefault>"
                         "<SSEAlgorithm>aws:kms</SSEAlgorithm>"
                         "<KMSMasterKeyID>arn:key</KMSMasterKeyID>"
                         "</ApplyServerSideEncryptionByDefault>"
                         "<BucketKeyEnabled>true</BucketKeyEnabled></Rule>"
                         "</ServerSideEncryptionConfiguration>");

  std::optional<BucketEncryption> encryption =
      s3_.GetBucketEncryption("staging");

  ASSERT_TRUE(encryption.has_value());
  EXPECT_EQ(encryption->sse_algorithm, "aws:kms");
  EXPECT_EQ(encryption->kms_master_key_id, "arn:key");
  EXPECT_TRUE(encryption->bucket_key_enabled);
  EXPECT_EQ(UrlQuery(OnlyRequest().url), "encryption=");
}

TEST_F(S3ClientTest, GetBucketOwnershipControlsReadsTheRule) {
  server_.Reply(200, std::string("<OwnershipControls") + kNs +
                         "><Rule><ObjectOwnership>BucketOwnerEnforced"
                         "</ObjectOwnership></Rule></OwnershipControls>");

  EXPECT_EQ(s3_.GetBucketOwnershipControls("staging"), "BucketOwnerEnforced");
  EXPECT_EQ(UrlQuery(OnlyRequest().url), "ownershipControls=");
}

struct MissingSettingCase {
  const char* code;
  std::function<bool(S3Client&)> found;
};

TEST(S3SettingsTest, AnUnconfiguredSettingReadsAsNullopt) {
  const std::vector<MissingSettingCase> cases = {
      {"NoSuchPublicAccessBlockConfiguration",
       [](S3Client& s3) {
         return s3.GetPublicAccessBlock("staging").has_value();
       }},
      {"ServerSideEncryptionConfigurationNotFoundError",
       [](S3Client& s3) {
         return s3.GetBucketEncryption("staging").has_value();
       }},
      {"OwnershipControlsNotFoundError",
       [](S3Client& s3) {
         return s3.GetBucketOwnershipControls("staging").has_value();
       }},
  };
  for (const MissingSettingCase& test : cases) {
    SCOPED_TRACE(test.code);
    FakeHttpServer server;
    auto session = MakeTestSession(server);
    S3Client s3(*session);
    server.Reply(404, S3Error(test.code));
    server.Reply(404, S3Error("NoSuchBucket"));

    EXPECT_FALSE(test.found(s3));
    try {
      test.found(s3);
      ADD_FAILURE() << "a missing bucket must throw";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), "NoSuchBucket");
    }
  }
}

struct PutCase {
  const char* name;
  std::function<void(S3Client&)> call;
  std::string query;
  std::string body;
};

TEST(S3SettingsTest, PutsSendTheirDocumentWithContentMd5) {
  const std::vector<PutCase> cases = {
      {"public access block",
       [](S3Client& s3) { s3.PutPublicAccessBlock("staging"); },
       "publicAccessBlock=",
       std::string("<PublicAccessBlockConfiguration") + kNs +
           "><BlockPublicAcls>true</BlockPublicAcls>"
           "<IgnorePublicAcls>true</IgnorePublicAcls>"
           "<BlockPublicPolicy>true</BlockPublicPolicy>"
           "<RestrictPublicBuckets>true</RestrictPublicBuckets>"
           "</PublicAccessBlockConfiguration>"},
      {"encryption", [](S3Client& s3) { s3.PutBucketEncryption("staging"); },
       "encryption=",
       std::string("<ServerSideEncryptionConfiguration") + kNs +
           "><Rule><ApplyServerSideEncryptionByDefault>"
           "<SSEAlgorithm>AES256</SSEAlgorithm>"
           "</ApplyServerSideEncryptionByDefault></Rule>"
           "</ServerSideEncryptionConfiguration>"},
      {"ownership controls",
       [](S3Client& s3) { s3.PutBucketOwnershipControls("staging"); },
       "ownershipControls=",
       std::string("<OwnershipControls") + kNs +
           "><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership>"
           "</Rule></OwnershipControls>"},
  };
  for (const PutCase& test : cases) {
    SCOPED_TRACE(test.name);
    FakeHttpServer server;
    auto session = MakeTestSession(server);
    S3Client s3(*session);
    server.Reply(200, "");

    test.call(s3);

    HttpRequest request = server.requests().at(0);
    EXPECT_EQ(request.method, "PUT");
    EXPECT_EQ(UrlPath(request.url), "/staging");
    EXPECT_EQ(UrlQuery(request.url), test.query);
    EXPECT_EQ(request.body, test.body);
    EXPECT_EQ(HeaderOf(request, "Content-MD5"), Md5Base64(test.body));
    EXPECT_EQ(HeaderOf(request, "Content-Type"), "application/xml");
    EXPECT_THAT(HeaderOf(request, "Authorization"), HasSubstr("content-md5"));
  }
}

// ---- Listing ----

TEST_F(S3ClientTest, ListObjectsV2SendsItsParametersAndDecodesKeys) {
  server_.Reply(200, std::string("<ListBucketResult") + kNs +
                         "><Name>staging</Name><Prefix>cpg0001%2F</Prefix>"
                         "<KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>"
                         "<Delimiter>%2F</Delimiter>"
                         "<EncodingType>url</EncodingType>"
                         "<IsTruncated>true</IsTruncated>"
                         "<Contents><Key>cpg0001%2Fa+b.txt</Key>"
                         "<LastModified>2024-01-02T03:04:05.000Z"
                         "</LastModified><ETag>&quot;e1&quot;</ETag>"
                         "<Size>5368709120</Size>"
                         "<StorageClass>STANDARD</StorageClass></Contents>"
                         "<CommonPrefixes><Prefix>cpg0001%2Fsub%2F</Prefix>"
                         "</CommonPrefixes>"
                         "<NextContinuationToken>tok+/=</NextContinuationToken>"
                         "</ListBucketResult>");

  ListObjectsRequest list;
  list.prefix = "cpg0001/";
  list.delimiter = "/";
  list.max_keys = 2;
  list.continuation_token = "prev token";
  ObjectPage page = s3_.ListObjectsV2("staging", list);

  ASSERT_EQ(page.objects.size(), 1u);
  EXPECT_EQ(page.objects[0].key, "cpg0001/a b.txt");
  EXPECT_EQ(page.objects[0].size, 5368709120);
  EXPECT_EQ(page.objects[0].etag, "\"e1\"");
  EXPECT_EQ(page.objects[0].last_modified, "2024-01-02T03:04:05.000Z");
  EXPECT_THAT(page.common_prefixes, ElementsAre("cpg0001/sub/"));
  EXPECT_TRUE(page.is_truncated);
  EXPECT_EQ(page.next_continuation_token, "tok+/=");
  HttpRequest request = OnlyRequest();
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(UrlPath(request.url), "/staging");
  using Param = std::pair<std::string, std::string>;
  EXPECT_THAT(FormParams(UrlQuery(request.url)),
              ElementsAre(Param{"list-type", "2"}, Param{"max-keys", "2"},
                          Param{"encoding-type", "url"},
                          Param{"prefix", "cpg0001/"}, Param{"delimiter", "/"},
                          Param{"continuation-token", "prev token"}));
}

TEST_F(S3ClientTest, ListObjectsV2WithoutEncodingTypeKeepsKeysAsSent) {
  server_.Reply(200, std::string("<ListBucketResult") + kNs +
                         "><IsTruncated>false</IsTruncated>"
                         "<Contents><Key>a+b%20c</Key><Size>1</Size>"
                         "</Contents></ListBucketResult>");

  ObjectPage page = s3_.ListObjectsV2("staging");

  ASSERT_EQ(page.objects.size(), 1u);
  EXPECT_EQ(page.objects[0].key, "a+b%20c");
  EXPECT_FALSE(page.is_truncated);
  EXPECT_EQ(FormValue(UrlQuery(OnlyRequest().url), "max-keys"), "1000");
}

TEST(S3IsBucketEmptyTest, AsksForOneKey) {
  struct Case {
    const char* name;
    std::string contents;
    bool empty;
  };
  const Case cases[] = {
      {"empty", "<KeyCount>0</KeyCount>", true},
      {"one object",
       "<KeyCount>1</KeyCount><Contents><Key>k</Key><Size>0</Size>"
       "</Contents><IsTruncated>true</IsTruncated>",
       false},
  };
  for (const Case& test : cases) {
    SCOPED_TRACE(test.name);
    FakeHttpServer server;
    auto session = MakeTestSession(server);
    server.Reply(200, std::string("<ListBucketResult") + kNs + ">" +
                          test.contents + "</ListBucketResult>");

    EXPECT_EQ(S3Client(*session).IsBucketEmpty("staging"), test.empty);
    EXPECT_EQ(FormValue(UrlQuery(server.requests().at(0).url), "max-keys"),
              "1");
  }
}

TEST_F(S3ClientTest, NoSecretReachesAnError) {
  server_.Reply(403, S3Error("SignatureDoesNotMatch"));

  try {
    s3_.PutObject("staging", "k", "body");
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), "SignatureDoesNotMatch");
    EXPECT_THAT(error.message(),
                ::testing::Not(HasSubstr(testing_http::kTestSecretAccessKey)));
  }
}

}  // namespace
}  // namespace cytoskel
