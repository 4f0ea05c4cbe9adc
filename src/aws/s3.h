// Amazon S3 (rest-xml): the staging bucket and its settings, plus the few
// object calls that tests and the demo need.
//
// Requests use path-style addressing, {endpoint}/{bucket}/{key}, which works
// for AWS and for every local emulator alike. Keys are URI-encoded per
// segment ("a b/c.txt" is sent as "a%20b/c.txt").
//
// Conventions of every S3Client method: throws Error (see Perform), kService
// with the S3 code ("NoSuchBucket", "AccessDenied", "BucketNotEmpty", ...)
// when S3 refuses, kTransport when no usable answer came. Get* reads of a
// bucket setting return std::nullopt when the bucket has none configured.
#ifndef CYTOSKEL_AWS_S3_H_
#define CYTOSKEL_AWS_S3_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aws/session.h"

namespace cytoskel {

// What HeadBucket learnt about a bucket name.
enum class BucketAccess {
  kOwned,      // it exists and the caller may use it (and, when an expected
               // owner was given, that account owns it)
  kNotFound,   // no bucket has this name
  kForbidden,  // it exists, but belongs to someone else or the caller lacks
               // s3:ListBucket on it
};

struct PublicAccessBlock {
  bool block_public_acls = true;
  bool ignore_public_acls = true;
  bool block_public_policy = true;
  bool restrict_public_buckets = true;

  // True when all four settings are on.
  bool AllBlocked() const;
  bool operator==(const PublicAccessBlock&) const = default;
};

// The bucket's default encryption (its first rule).
struct BucketEncryption {
  std::string sse_algorithm;      // "AES256" (SSE-S3), "aws:kms", ...
  std::string kms_master_key_id;  // empty for SSE-S3
  bool bucket_key_enabled = false;
};

struct ListObjectsRequest {
  std::string prefix;
  std::string delimiter;           // "/" groups keys into common prefixes
  std::string continuation_token;  // from the previous page; "" for the first
  int max_keys = 1000;             // S3 never returns more than 1000
};

struct S3Object {
  std::string key;
  std::int64_t size = 0;
  std::string etag;
  std::string last_modified;
};

// One page of ListObjectsV2.
struct ObjectPage {
  std::vector<S3Object> objects;
  std::vector<std::string> common_prefixes;
  bool is_truncated = false;
  std::string next_continuation_token;  // set when is_truncated
};

class S3Client {
 public:
  explicit S3Client(Session& session);

  // Never throws for 404 (kNotFound) or 403 (kForbidden). With
  // `expected_owner` (an account id), a bucket owned by another account
  // answers kForbidden.
  BucketAccess HeadBucket(const std::string& bucket,
                          const std::string& expected_owner = "");
  // Creates the bucket in the session's region. Succeeds, doing nothing,
  // when the caller already owns it; BucketAlreadyExists (someone else's
  // bucket) throws.
  void CreateBucket(const std::string& bucket);
  // Fails with BucketNotEmpty while the bucket holds objects or versions.
  void DeleteBucket(const std::string& bucket);

  std::optional<PublicAccessBlock> GetPublicAccessBlock(
      const std::string& bucket);
  void PutPublicAccessBlock(const std::string& bucket,
                            const PublicAccessBlock& settings = {});

  std::optional<BucketEncryption> GetBucketEncryption(
      const std::string& bucket);
  // Sets default encryption to SSE-S3 (AES256).
  void PutBucketEncryption(const std::string& bucket);

  // The bucket's ObjectOwnership setting ("BucketOwnerEnforced", ...).
  std::optional<std::string> GetBucketOwnershipControls(
      const std::string& bucket);
  void PutBucketOwnershipControls(
      const std::string& bucket,
      const std::string& object_ownership = "BucketOwnerEnforced");

  // One page of the bucket's keys, in UTF-8 binary order.
  ObjectPage ListObjectsV2(const std::string& bucket,
                           const ListObjectsRequest& request = {});
  // True when the bucket holds no object. Object versions and unfinished
  // multipart uploads are not looked at.
  bool IsBucketEmpty(const std::string& bucket);

  // Uploads a small object in one request (the body is held in memory).
  // Returns the ETag.
  std::string PutObject(
      const std::string& bucket, const std::string& key,
      const std::string& body,
      const std::string& content_type = "application/octet-stream");
  // Succeeds also when the key does not exist, as S3 does.
  void DeleteObject(const std::string& bucket, const std::string& key);

 private:
  Session& session_;
};

// The request path of a bucket, or of a key in it: "/bucket" or
// "/bucket/a%20b/c.txt". Exposed for tests.
std::string S3Path(const std::string& bucket, const std::string& key = "");

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_S3_H_
