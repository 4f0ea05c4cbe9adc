#include "aws/s3.h"

#include <initializer_list>
#include <string_view>
#include <utility>

#include "aws/crypto.h"
#include "aws/error.h"
#include "aws/operation.h"
#include "aws/sigv4.h"
#include "aws/xml.h"

namespace cytoskel {

namespace {

constexpr char kS3Namespace[] = "http://s3.amazonaws.com/doc/2006-03-01/";

// An S3 request for `bucket` (and `key`, when not empty). Every call here is
// safe to repeat after a broken connection: CreateBucket too, since a
// repeat answers BucketAlreadyOwnedByYou, which counts as success.
Operation S3Operation(std::string name, std::string method,
                      const std::string& bucket, const std::string& key = "") {
  Operation operation;
  operation.name = std::move(name);
  operation.service = Service::kS3;
  operation.method = std::move(method);
  operation.path = S3Path(bucket, key);
  operation.idempotent = true;
  return operation;
}

// A bucket sub-resource request such as GET /bucket?encryption.
Operation SubresourceOperation(std::string name, std::string method,
                               const std::string& bucket,
                               const char* subresource) {
  Operation operation = S3Operation(std::move(name), std::move(method), bucket);
  operation.query.emplace_back(subresource, "");
  return operation;
}

// Sets an XML request body. The bucket-setting Puts are marked "checksum
// required" in the S3 model, so the body's MD5 goes along.
void SetXmlBody(std::string body, Operation* operation) {
  operation->headers.emplace_back("Content-Type", "application/xml");
  operation->headers.emplace_back("Content-MD5", Md5Base64(body));
  operation->body = std::move(body);
}

// Performs a read of a bucket setting and parses its reply; nullopt when S3
// answers `missing_code` (the bucket has no such setting).
template <typename Parse>
auto ReadSetting(Session& session, const Operation& operation,
                 std::string_view missing_code, Parse parse)
    -> std::optional<decltype(parse(pugi::xml_node()))> {
  HttpResponse response;
  try {
    response = Perform(session, operation);
  } catch (const Error& error) {
    if (!error.HasCode({missing_code})) throw;
    return std::nullopt;
  }
  pugi::xml_document document = ParseXmlReply(response.body, operation.name);
  return parse(document.document_element());
}

const char* XmlBool(bool value) { return value ? "true" : "false"; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes a name S3 sent with encoding-type=url: %XX escapes, and `+` for a
// space (the form encoding S3 uses there, as botocore's unquote_plus
// assumes).
std::string FormDecode(std::string_view encoded) {
  std::string decoded;
  decoded.reserve(encoded.size());
  for (size_t i = 0; i < encoded.size(); ++i) {
    bool escape = encoded[i] == '%' && i + 2 < encoded.size() &&
                  HexValue(encoded[i + 1]) >= 0 &&
                  HexValue(encoded[i + 2]) >= 0;
    if (escape) {
      decoded += static_cast<char>(HexValue(encoded[i + 1]) * 16 +
                                   HexValue(encoded[i + 2]));
      i += 2;
    } else {
      decoded += encoded[i] == '+' ? ' ' : encoded[i];
    }
  }
  return decoded;
}

ObjectPage ParseObjectPage(const pugi::xml_node& root) {
  bool url_encoded = ChildText(root, "EncodingType") == "url";
  auto name = [url_encoded](const pugi::xml_node& node, const char* child) {
    std::string text = ChildText(node, child);
    return url_encoded ? FormDecode(text) : text;
  };
  ObjectPage page;
  for (pugi::xml_node node : root.children("Contents")) {
    S3Object object;
    object.key = name(node, "Key");
    object.size = node.child("Size").text().as_llong(0);
    object.etag = ChildText(node, "ETag");
    object.last_modified = ChildText(node, "LastModified");
    page.objects.push_back(std::move(object));
  }
  for (pugi::xml_node node : root.children("CommonPrefixes")) {
    page.common_prefixes.push_back(name(node, "Prefix"));
  }
  page.is_truncated = ChildText(root, "IsTruncated") == "true";
  page.next_continuation_token = ChildText(root, "NextContinuationToken");
  return page;
}

}  // namespace

bool PublicAccessBlock::AllBlocked() const {
  return block_public_acls && ignore_public_acls && block_public_policy &&
         restrict_public_buckets;
}

std::string S3Path(const std::string& bucket, const std::string& key) {
  std::string path = "/" + UriEncode(bucket, /*encode_slash=*/true);
  if (!key.empty()) path += "/" + UriEncode(key, /*encode_slash=*/false);
  return path;
}

S3Client::S3Client(Session& session) : session_(session) {}

BucketAccess S3Client::HeadBucket(const std::string& bucket,
                                  const std::string& expected_owner) {
  Operation operation = S3Operation("HeadBucket", "HEAD", bucket);
  if (!expected_owner.empty()) {
    operation.headers.emplace_back("x-amz-expected-bucket-owner",
                                   expected_owner);
  }
  try {
    Perform(session_, operation);
    return BucketAccess::kOwned;
  } catch (const Error& error) {
    // A HEAD answer has no body: Perform names the bare status.
    if (error.HasCode({"NotFound", "NoSuchBucket"})) {
      return BucketAccess::kNotFound;
    }
    if (error.HasCode({"Forbidden", "AccessDenied"})) {
      return BucketAccess::kForbidden;
    }
    throw;
  }
}

void S3Client::CreateBucket(const std::string& bucket) {
  Operation operation = S3Operation("CreateBucket", "PUT", bucket);
  // us-east-1 is S3's default location and refuses to be named as one.
  std::string region = session_.EndpointFor(Service::kS3).region;
  if (region != "us-east-1") {
    operation.headers.emplace_back("Content-Type", "application/xml");
    operation.body = std::string("<CreateBucketConfiguration xmlns=\"") +
                     kS3Namespace + "\"><LocationConstraint>" +
                     XmlEscape(region) +
                     "</LocationConstraint></CreateBucketConfiguration>";
  }
  try {
    Perform(session_, operation);
  } catch (const Error& error) {
    if (!error.HasCode({"BucketAlreadyOwnedByYou"})) throw;
  }
}

void S3Client::DeleteBucket(const std::string& bucket) {
  Perform(session_, S3Operation("DeleteBucket", "DELETE", bucket));
}

std::optional<PublicAccessBlock> S3Client::GetPublicAccessBlock(
    const std::string& bucket) {
  Operation operation = SubresourceOperation("GetPublicAccessBlock", "GET",
                                             bucket, "publicAccessBlock");
  return ReadSetting(
      session_, operation, "NoSuchPublicAccessBlockConfiguration",
      [](const pugi::xml_node& root) {
        auto flag = [&](const char* name) {
          return ChildText(root, name) == "true";
        };
        PublicAccessBlock settings;
        settings.block_public_acls = flag("BlockPublicAcls");
        settings.ignore_public_acls = flag("IgnorePublicAcls");
        settings.block_public_policy = flag("BlockPublicPolicy");
        settings.restrict_public_buckets = flag("RestrictPublicBuckets");
        return settings;
      });
}

void S3Client::PutPublicAccessBlock(const std::string& bucket,
                                    const PublicAccessBlock& settings) {
  Operation operation = SubresourceOperation("PutPublicAccessBlock", "PUT",
                                             bucket, "publicAccessBlock");
  SetXmlBody(std::string("<PublicAccessBlockConfiguration xmlns=\"") +
                 kS3Namespace + "\"><BlockPublicAcls>" +
                 XmlBool(settings.block_public_acls) +
                 "</BlockPublicAcls><IgnorePublicAcls>" +
                 XmlBool(settings.ignore_public_acls) +
                 "</IgnorePublicAcls><BlockPublicPolicy>" +
                 XmlBool(settings.block_public_policy) +
                 "</BlockPublicPolicy><RestrictPublicBuckets>" +
                 XmlBool(settings.restrict_public_buckets) +
                 "</RestrictPublicBuckets>"
                 "</PublicAccessBlockConfiguration>",
             &operation);
  Perform(session_, operation);
}

std::optional<BucketEncryption> S3Client::GetBucketEncryption(
    const std::string& bucket) {
  Operation operation =
      SubresourceOperation("GetBucketEncryption", "GET", bucket, "encryption");
  return ReadSetting(
      session_, operation, "ServerSideEncryptionConfigurationNotFoundError",
      [](const pugi::xml_node& root) {
        pugi::xml_node rule = root.child("Rule");
        pugi::xml_node by_default =
            rule.child("ApplyServerSideEncryptionByDefault");
        BucketEncryption encryption;
        encryption.sse_algorithm = ChildText(by_default, "SSEAlgorithm");
        encryption.kms_master_key_id = ChildText(by_default, "KMSMasterKeyID");
        encryption.bucket_key_enabled =
            ChildText(rule, "BucketKeyEnabled") == "true";
        return encryption;
      });
}

void S3Client::PutBucketEncryption(const std::string& bucket) {
  Operation operation =
      SubresourceOperation("PutBucketEncryption", "PUT", bucket, "encryption");
  SetXmlBody(std::string("<ServerSideEncryptionConfiguration xmlns=\"") +
                 kS3Namespace +
                 "\"><Rule><ApplyServerSideEncryptionByDefault>"
                 "<SSEAlgorithm>AES256</SSEAlgorithm>"
                 "</ApplyServerSideEncryptionByDefault></Rule>"
                 "</ServerSideEncryptionConfiguration>",
             &operation);
  Perform(session_, operation);
}

std::optional<std::string> S3Client::GetBucketOwnershipControls(
    const std::string& bucket) {
  Operation operation = SubresourceOperation(
      "GetBucketOwnershipControls", "GET", bucket, "ownershipControls");
  return ReadSetting(session_, operation, "OwnershipControlsNotFoundError",
                     [](const pugi::xml_node& root) {
                       return ChildText(root.child("Rule"), "ObjectOwnership");
                     });
}

void S3Client::PutBucketOwnershipControls(const std::string& bucket,
                                          const std::string& object_ownership) {
  Operation operation = SubresourceOperation(
      "PutBucketOwnershipControls", "PUT", bucket, "ownershipControls");
  SetXmlBody(std::string("<OwnershipControls xmlns=\"") + kS3Namespace +
                 "\"><Rule><ObjectOwnership>" + XmlEscape(object_ownership) +
                 "</ObjectOwnership></Rule></OwnershipControls>",
             &operation);
  Perform(session_, operation);
}

ObjectPage S3Client::ListObjectsV2(const std::string& bucket,
                                   const ListObjectsRequest& request) {
  Operation operation = S3Operation("ListObjectsV2", "GET", bucket);
  operation.query = {{"list-type", "2"},
                     {"max-keys", std::to_string(request.max_keys)},
                     // Keys may hold bytes XML 1.0 cannot carry.
                     {"encoding-type", "url"}};
  if (!request.prefix.empty()) {
    operation.query.emplace_back("prefix", request.prefix);
  }
  if (!request.delimiter.empty()) {
    operation.query.emplace_back("delimiter", request.delimiter);
  }
  if (!request.continuation_token.empty()) {
    operation.query.emplace_back("continuation-token",
                                 request.continuation_token);
  }
  HttpResponse response = Perform(session_, operation);
  pugi::xml_document document = ParseXmlReply(response.body, operation.name);
  return ParseObjectPage(document.document_element());
}

bool S3Client::IsBucketEmpty(const std::string& bucket) {
  ListObjectsRequest request;
  request.max_keys = 1;
  return ListObjectsV2(bucket, request).objects.empty();
}

std::string S3Client::PutObject(const std::string& bucket,
                                const std::string& key, const std::string& body,
                                const std::string& content_type) {
  Operation operation = S3Operation("PutObject", "PUT", bucket, key);
  operation.headers.emplace_back("Content-Type", content_type);
  operation.headers.emplace_back("Content-MD5", Md5Base64(body));
  operation.body = body;
  HttpResponse response = Perform(session_, operation);
  return response.Header("ETag").value_or("");
}

void S3Client::DeleteObject(const std::string& bucket, const std::string& key) {
  Perform(session_, S3Operation("DeleteObject", "DELETE", bucket, key));
}

}  // namespace cytoskel
