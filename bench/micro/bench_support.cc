#include "bench_support.h"

#include <fmt/format.h>

#include <chrono>
#include <optional>
#include <utility>

namespace cytoskel {
namespace bench {

namespace {

class CannedHttpClient : public HttpClient {
 public:
  explicit CannedHttpClient(const HttpResponse& reply) : reply_(reply) {}
  HttpResponse Send(const HttpRequest&) override { return reply_; }

 private:
  const HttpResponse& reply_;
};

std::string Uuid(int index) {
  return fmt::format("{:08x}-4b44-8802-{:04x}-828081cb3dd5", index,
                     index % 0x10000);
}

}  // namespace

std::unique_ptr<Session> MakeCannedSession(const HttpResponse& reply) {
  Environment env = Environment::FromMaps({
      {"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
      {"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
      {"AWS_REGION", "us-east-1"},
  });
  SessionDeps deps;
  deps.make_http = [&reply] {
    return std::make_unique<CannedHttpClient>(reply);
  };
  deps.now = [] { return Clock::time_point(std::chrono::seconds(1714564800)); };
  deps.sleep = [](std::chrono::milliseconds) {};
  deps.random01 = [] { return 0.0; };
  return std::make_unique<Session>(GlobalOptions{}, std::move(env),
                                   std::move(deps));
}

std::string ListAccessGrantsPage(int items) {
  std::string page =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<ListAccessGrantsResult "
      "xmlns=\"http://awss3control.amazonaws.com/doc/2018-08-20/\">"
      "<AccessGrantsList>";
  for (int i = 0; i < items; ++i) {
    std::string id = Uuid(i);
    page += fmt::format(
        "<AccessGrant><CreatedAt>2024-05-01T12:00:00.000Z</CreatedAt>"
        "<AccessGrantId>{0}</AccessGrantId>"
        "<AccessGrantArn>arn:aws:s3:us-east-1:{1}:access-grants/default/"
        "grant/{0}</AccessGrantArn>"
        "<Grantee><GranteeType>IAM</GranteeType>"
        "<GranteeIdentifier>arn:aws:iam::{1}:user/bench-user-{2:05d}"
        "</GranteeIdentifier></Grantee>"
        "<Permission>READWRITE</Permission>"
        "<AccessGrantsLocationId>40190a42-d4c2-448d-b185-ce81fdc2ff8e"
        "</AccessGrantsLocationId>"
        "<AccessGrantsLocationConfiguration><S3SubPrefix>bench{2:05d}/*"
        "</S3SubPrefix></AccessGrantsLocationConfiguration>"
        "<GrantScope>s3://staging-cellpainting-gallery/bench{2:05d}/*"
        "</GrantScope></AccessGrant>",
        id, kAccount, i);
  }
  return page + "</AccessGrantsList></ListAccessGrantsResult>";
}

std::string GetGroupPage(int users) {
  std::string page = fmt::format(
      "<GetGroupResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
      "<GetGroupResult><Group><Path>/</Path>"
      "<GroupName>staging_cpg_uploaders</GroupName>"
      "<GroupId>AGPAEXAMPLEGROUPID01</GroupId>"
      "<Arn>arn:aws:iam::{}:group/staging_cpg_uploaders</Arn>"
      "<CreateDate>2024-05-01T12:00:00Z</CreateDate></Group><Users>",
      kAccount);
  for (int i = 0; i < users; ++i) {
    page += fmt::format(
        "<member><Path>/</Path><UserName>bench-user-{0:05d}</UserName>"
        "<UserId>AIDAEXAMPLE{0:09d}</UserId>"
        "<Arn>arn:aws:iam::{1}:user/bench-user-{0:05d}</Arn>"
        "<CreateDate>2024-05-01T12:00:00Z</CreateDate></member>",
        i, kAccount);
  }
  return page +
         "</Users><IsTruncated>false</IsTruncated></GetGroupResult>"
         "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>"
         "</GetGroupResponse>";
}

std::string ConfigFile(int profiles) {
  std::string text =
      "[default]\nregion = us-east-1\noutput = json\n\n"
      "[profile CPG]\n"
      "region = us-east-1\noutput = json\n"
      "endpoint_url = http://localhost:4566\n\n";
  for (int i = 0; i < profiles; ++i) {
    text += fmt::format(
        "# lab {0}\n[profile lab{0}]\n"
        "role_arn = arn:aws:iam::{1}:role/lab{0}-admin\n"
        "source_profile = default\nregion = eu-west-1\n"
        "s3 =\n  addressing_style = path\n  max_concurrent_requests = 20\n\n",
        i, kAccount);
  }
  return text +
         "[services local]\ns3 =\n  endpoint_url = http://localhost:4566\n";
}

std::string CredentialsFile() {
  return "[default]\naws_access_key_id = AKIDEXAMPLE\n"
         "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n\n"
         "[CPG]\naws_access_key_id = AKIDEXAMPLE2\n"
         "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKE2\n";
}

}  // namespace bench
}  // namespace cytoskel
