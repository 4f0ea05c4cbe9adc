// Fuzzes the typed reply parsers of every service client (IAM, STS, S3,
// S3 Control) and the error path of Perform: the fuzzer's bytes pick a
// call, then supply each HTTP answer (status, headers, body) it receives
// (framing: see ScriptedHttpClient in fuzz_support.h).
// Paging calls get as many pages as the bytes describe.
//
// Properties checked besides "no crash, only cytoskel::Error":
// - a parsed access key and scoped credentials hold non-empty ids and
//   secrets (an empty secret would be a wrong success);
// - GetDataAccess credentials always carry an expiration.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "aws/iam.h"
#include "aws/s3.h"
#include "aws/s3control.h"
#include "aws/sts.h"
#include "fuzz_support.h"

namespace cytoskel::fuzz {
namespace {

void IamCalls(Session& session, int which) {
  IamClient iam(session);
  switch (which) {
    case 0:
      iam.GetUser("alice");
      break;
    case 1:
      iam.CreateUser("alice", {{"managed-by", "cytoskel"}});
      break;
    case 2:
      iam.ListUsers();
      break;
    case 3: {
      NewAccessKey key = iam.CreateAccessKey("alice");
      Require(!key.access_key_id.empty() && !key.secret_access_key.empty(),
              "a created access key has an id and a secret");
      break;
    }
    case 4:
      iam.ListAccessKeys("alice");
      break;
    case 5:
      iam.GetGroup("staging_cpg_uploaders");
      break;
    case 6:
      iam.GetPolicy("arn:aws:iam::123456789012:policy/p");
      break;
    case 7:
      iam.GetPolicyVersion("arn:aws:iam::123456789012:policy/p", "v1");
      break;
    case 8:
      iam.ListPolicyVersions("arn:aws:iam::123456789012:policy/p");
      break;
    case 9:
      iam.GetRole("role");
      break;
    case 10:
      iam.GetRolePolicy("role", "policy");
      break;
    case 11:
      iam.ListAttachedGroupPolicies("group");
      break;
    case 12:
      iam.ForceDeleteUser("alice");
      break;
    case 13:
      iam.GetAccessKeyLastUsed("AKIDEXAMPLE");
      break;
    case 14:
      iam.ListEntitiesForPolicy("arn:aws:iam::123456789012:policy/p");
      break;
    default:
      iam.ListGroupsForUser("alice");
      break;
  }
}

void S3ControlCalls(Session& session, int which) {
  S3ControlClient control(session, "123456789012");
  auto ignore = [](auto) {};
  switch (which) {
    case 0:
      control.GetInstance();
      break;
    case 1:
      control.CreateInstance({{"managed-by", "cytoskel"}});
      break;
    case 2:
      control.ListLocations("", ignore);
      break;
    case 3:
      control.CreateLocation("s3://bucket/", "arn:aws:iam::1:role/r", {});
      break;
    case 4:
      control.ListGrants({}, ignore);
      break;
    case 5: {
      NewAccessGrant grant;
      grant.location_id = "default";
      grant.sub_prefix = "cpg0001/*";
      grant.grantee_identifier = "arn:aws:iam::123456789012:user/alice";
      control.CreateGrant(grant);
      break;
    }
    case 6:
      control.GetGrant("id");
      break;
    case 7: {
      DataAccessRequest request;
      request.target = "s3://bucket/cpg0001/*";
      request.permission = "READWRITE";
      DataAccess access = control.GetDataAccess(request);
      Require(!access.credentials.access_key_id.empty() &&
                  !access.credentials.secret_access_key.empty(),
              "scoped credentials have an id and a secret");
      Require(access.credentials.expiration.has_value(),
              "scoped credentials expire");
      break;
    }
    case 8:
      control.ListCallerGrants("", ignore);
      break;
    case 9:
      control.ListTagsForResource("arn:aws:s3:us-east-1:1:access-grants/x");
      break;
    case 10:
      control.GetLocation("id");
      break;
    default:
      control.GetInstanceForPrefix("s3://bucket/x");
      break;
  }
}

void S3AndStsCalls(Session& session, int which) {
  S3Client s3(session);
  switch (which) {
    case 0:
      s3.HeadBucket("bucket", "123456789012");
      break;
    case 1:
      s3.GetPublicAccessBlock("bucket");
      break;
    case 2:
      s3.GetBucketEncryption("bucket");
      break;
    case 3:
      s3.GetBucketOwnershipControls("bucket");
      break;
    case 4:
      s3.ListObjectsV2("bucket");
      break;
    case 5:
      s3.IsBucketEmpty("bucket");
      break;
    default: {
      CallerIdentity identity = GetCallerIdentity(session);
      Require(!identity.account.empty(), "an identity has an account");
      break;
    }
  }
}

}  // namespace
}  // namespace cytoskel::fuzz

// Input: one byte picking the service, one the call, then the replies in
// the framing of fuzz_support.h.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  int service = data[0] % 3;
  int which = data[1] % 16;
  std::string_view replies(reinterpret_cast<const char*>(data) + 2, size - 2);
  auto session = cytoskel::fuzz::ScriptedSession(replies);
  cytoskel::fuzz::ExpectOnlyErrors("typed reply", [&] {
    switch (service) {
      case 0:
        cytoskel::fuzz::IamCalls(*session, which);
        break;
      case 1:
        cytoskel::fuzz::S3ControlCalls(*session, which);
        break;
      default:
        cytoskel::fuzz::S3AndStsCalls(*session, which);
        break;
    }
  });
  return 0;
}
