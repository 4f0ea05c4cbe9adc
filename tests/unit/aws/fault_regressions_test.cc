// Regressions for defects found by the fault-injection and fuzz work of
// issue 7 (tests/faults, fuzz/). Each test names what it pins down.
#include <gtest/gtest.h>

#include <string>

#include "aws/error.h"
#include "aws/iam.h"
#include "aws/operation.h"
#include "aws/s3control.h"
#include "fake_http.h"

namespace cytoskel {
namespace {

// typed_replies_fuzzer found CreateInstance reading its reply after the
// document holding it was freed (heap-use-after-free under ASan).
TEST(FaultRegressionsTest, CreateInstanceKeepsItsReplyAlive) {
  FakeHttpServer server;
  server.Reply(200,
               "<CreateAccessGrantsInstanceResult xmlns=\"http://"
               "awss3control.amazonaws.com/doc/2018-08-20/\"><CreatedAt>"
               "2024-05-01T12:00:00.000Z</CreatedAt><AccessGrantsInstanceId>"
               "default</AccessGrantsInstanceId><AccessGrantsInstanceArn>"
               "arn:aws:s3:us-east-1:123456789012:access-grants/default"
               "</AccessGrantsInstanceArn></CreateAccessGrantsInstanceResult>");
  auto session = MakeTestSession(server);

  AccessGrantsInstance instance =
      S3ControlClient(*session, "123456789012").CreateInstance({});

  EXPECT_EQ(instance.id, "default");
  EXPECT_EQ(instance.arn,
            "arn:aws:s3:us-east-1:123456789012:access-grants/default");
  EXPECT_EQ(instance.created_at, "2024-05-01T12:00:00.000Z");
}

// The fault proxy showed libcurl sending a create again by itself when a
// reused connection broke after the server ran it (two access keys). The
// transport can only prevent that if it knows which requests must not be
// repeated: creates reach it marked, reads do not.
TEST(FaultRegressionsTest, CreatesReachTheTransportAsNotIdempotent) {
  FakeHttpServer server;
  server.Reply(200,
               "<CreateUserResponse><CreateUserResult><User><Path>/</Path>"
               "<UserName>alice</UserName><UserId>AIDA1</UserId><Arn>"
               "arn:aws:iam::123456789012:user/alice</Arn><CreateDate>"
               "2024-05-01T12:00:00Z</CreateDate></User></CreateUserResult>"
               "</CreateUserResponse>");
  server.Reply(200,
               "<ListAccessKeysResponse><ListAccessKeysResult>"
               "<AccessKeyMetadata/><IsTruncated>false</IsTruncated>"
               "</ListAccessKeysResult></ListAccessKeysResponse>");
  auto session = MakeTestSession(server);
  IamClient iam(*session);

  iam.CreateUser("alice");
  iam.ListAccessKeys("alice");

  ASSERT_EQ(server.requests().size(), 2u);
  EXPECT_FALSE(server.requests()[0].idempotent) << "CreateUser";
  EXPECT_TRUE(server.requests()[1].idempotent) << "ListAccessKeys";
}

// A list entry without its id was handed on with id "" (`list grant`
// printed an empty line; a delete would have named grant ""). The fault
// proxy's malformed replies found it; such a reply is now a transport
// error, as IAM's are.
TEST(FaultRegressionsTest, ListEntriesWithoutAnIdAreRefused) {
  FakeHttpServer server;
  server.Reply(200,
               "<ListAccessGrantsResult><AccessGrantsList>"
               "<AccessGrantsListEntry><Permission>READ</Permission>"
               "</AccessGrantsListEntry></AccessGrantsList>"
               "</ListAccessGrantsResult>");
  server.Reply(
      200,
      "<ListAccessGrantsLocationsResult><AccessGrantsLocationsList>"
      "<AccessGrantsLocationsListEntry><LocationScope>s3://b/"
      "</LocationScope></AccessGrantsLocationsListEntry>"
      "</AccessGrantsLocationsList></ListAccessGrantsLocationsResult>");
  auto session = MakeTestSession(server);
  S3ControlClient control(*session, "123456789012");
  int seen = 0;

  for (int list = 0; list < 2; ++list) {
    try {
      if (list == 0) {
        control.ListGrants({}, [&](AccessGrant) { ++seen; });
      } else {
        control.ListLocations("", [&](AccessGrantsLocation) { ++seen; });
      }
      ADD_FAILURE() << "list " << list << " accepted an entry without id";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kTransport);
      EXPECT_NE(error.message().find("where the API promises one"),
                std::string::npos)
          << error.message();
    }
  }
  EXPECT_EQ(seen, 0);
}

}  // namespace
}  // namespace cytoskel
