// The user and grant commands end to end inside the process: the command
// line in, the exact bytes on stdout and stderr and the exit code out, with
// AWS faked (tests/unit/stack/fake_aws.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "../stack/fake_aws.h"
#include "cli/app.h"

namespace cytoskel {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kAliceArn[] = "arn:aws:iam::123456789012:user/alice";
constexpr char kGrantArn[] =
    "arn:aws:s3:us-east-1:123456789012:access-grants/default/grant/g1";

struct CliRun {
  int code;
  std::string out;
  std::string err;
};

CliRun RunCommand(FakeAws& aws, const std::vector<std::string>& args) {
  std::istringstream in;
  std::ostringstream out, err;
  Io io{in, out, err, false, false};
  int code = RunCli(args, io, FakeAws::env(), aws.deps());
  return {code, out.str(), err.str()};
}

std::string GrantFields(const std::string& id) {
  return "<AccessGrantId>" + id +
         "</AccessGrantId><AccessGrantArn>arn:aws:s3:us-east-1:123456789012:"
         "access-grants/default/grant/" +
         id +
         "</AccessGrantArn><Grantee><GranteeType>IAM</GranteeType>"
         "<GranteeIdentifier>" +
         kAliceArn +
         "</GranteeIdentifier></Grantee><Permission>READWRITE</Permission>"
         "<AccessGrantsLocationId>loc-1</AccessGrantsLocationId>"
         "<AccessGrantsLocationConfiguration><S3SubPrefix>cpg0001-x/*"
         "</S3SubPrefix></AccessGrantsLocationConfiguration><GrantScope>"
         "s3://staging-cellpainting-gallery/cpg0001-x/*</GrantScope>"
         "<CreatedAt>2024-05-01T12:00:00Z</CreatedAt>";
}

std::string GrantsPage(const std::vector<std::string>& ids) {
  std::string list;
  for (const auto& id : ids) {
    list += "<AccessGrantsListEntry>" + GrantFields(id) +
            "</AccessGrantsListEntry>";
  }
  return "<ListAccessGrantsResult><AccessGrantsList>" + list +
         "</AccessGrantsList></ListAccessGrantsResult>";
}

// A new user's replies, up to and including its key.
void ScriptNewUser(FakeAws& aws) {
  aws.Reply("GetGroup", 200, GroupReply({}));
  aws.Reply("GetUser", 404, ErrorReply("NoSuchEntity"));
  aws.Reply(
      "CreateUser", 200,
      IamReply("CreateUser", "<User>" + UserXml("alice", false) + "</User>"));
  aws.Reply("AddUserToGroup", 200, EmptyIamReply("AddUserToGroup"));
  aws.Reply("CreateAccessKey", 200,
            IamReply("CreateAccessKey",
                     "<AccessKey><UserName>alice</UserName><AccessKeyId>"
                     "AKIANEW</AccessKeyId><Status>Active</Status>"
                     "<SecretAccessKey>wJal/rXUt+nFEMI</SecretAccessKey>"
                     "<CreateDate>2024-05-01T12:00:00Z</CreateDate>"
                     "</AccessKey>"));
}

// A user, a location, and no grant yet.
void ScriptGrantable(FakeAws& aws) {
  aws.Always(
      "GetUser", 200,
      IamReply("GetUser", "<User>" + UserXml("alice", true) + "</User>"));
  aws.Always("GetAccessGrantsLocation", 200,
             "<GetAccessGrantsLocationResult><AccessGrantsLocationId>loc-1"
             "</AccessGrantsLocationId></GetAccessGrantsLocationResult>");
}

TEST(UserCommandsTest, ListUserPrintsOneArnPerLine) {
  FakeAws aws;
  aws.Reply("GetGroup", 200, GroupReply({"alice", "bob"}));

  CliRun run = RunCommand(aws, {"cpgstaging", "list", "user"});

  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out,
            "arn:aws:iam::123456789012:user/alice\n"
            "arn:aws:iam::123456789012:user/bob\n");
  EXPECT_EQ(run.err, "");
}

TEST(UserCommandsTest, ListUserAllListsEveryIamUser) {
  FakeAws aws;
  aws.Reply("ListUsers", 200,
            IamReply("ListUsers", "<Users><member>" + UserXml("admin", false) +
                                      "</member></Users><IsTruncated>false"
                                      "</IsTruncated>"));

  CliRun run = RunCommand(aws, {"cpgstaging", "list", "user", "--all"});

  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out, "arn:aws:iam::123456789012:user/admin\n");
}

TEST(UserCommandsTest, ListUserJsonAndTable) {
  FakeAws aws;
  aws.Always("GetGroup", 200, GroupReply({"alice"}));

  CliRun json =
      RunCommand(aws, {"--output", "json", "cpgstaging", "list", "user"});
  CliRun table =
      RunCommand(aws, {"cpgstaging", "list", "user", "--output", "table"});

  ASSERT_EQ(json.code, 0) << json.err;
  nlohmann::json users = nlohmann::json::parse(json.out);
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0]["UserName"], "alice");
  EXPECT_EQ(users[0]["Arn"], kAliceArn);
  EXPECT_EQ(users[0]["CreateDate"], "2024-01-02T03:04:05Z");
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_EQ(table.out,
            "NAME   ARN                                   CREATED\n"
            "-----  ------------------------------------  "
            "--------------------\n"
            "alice  arn:aws:iam::123456789012:user/alice  "
            "2024-01-02T03:04:05Z\n");
}

TEST(UserCommandsTest, ListUserWithoutTheStackSaysRunUp) {
  FakeAws aws;
  aws.Reply("GetGroup", 404, ErrorReply("NoSuchEntity"));

  CliRun run = RunCommand(aws, {"cpgstaging", "list", "user"});

  EXPECT_EQ(run.code, 254);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err,
            "cytoskel: error: GetGroup failed: the stack is not set up: run "
            "`cytoskel cpgstaging up` first (NoSuchEntity)\n");
}

TEST(UserCommandsTest, CreateUserPrintsTheSeedsTwoLines) {
  FakeAws aws;
  ScriptNewUser(aws);

  CliRun run = RunCommand(aws, {"cpgstaging", "create", "user", "alice"});

  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out,
            "Created user ARN: arn:aws:iam::123456789012:user/alice\n"
            "Creds: {\"UserName\":\"alice\",\"AccessKeyId\":\"AKIANEW\","
            "\"Status\":\"Active\",\"SecretAccessKey\":\"wJal/rXUt+nFEMI\","
            "\"CreateDate\":\"2024-05-01T12:00:00Z\"}\n");
  EXPECT_EQ(run.err, "");
}

TEST(UserCommandsTest, CreateUserWithACredentialsFileKeepsTheSecretOff) {
  std::string dir =
      (std::filesystem::temp_directory_path() / "cytoskel-cli-users-test")
          .string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directory(dir);
  std::string path = dir + "/alice.credentials";
  FakeAws aws;
  ScriptNewUser(aws);

  CliRun run = RunCommand(aws, {"cpgstaging", "create", "user", "alice",
                                "--credentials-file", path});

  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out,
            "Created user ARN: arn:aws:iam::123456789012:user/alice\n"
            "Creds: written to " +
                path + "\n");
  EXPECT_THAT(run.out + run.err, Not(HasSubstr("wJal/rXUt+nFEMI")));
  struct stat info;
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  std::filesystem::remove_all(dir);
}

TEST(UserCommandsTest, CreateUserJsonHasTheKey) {
  FakeAws aws;
  ScriptNewUser(aws);

  CliRun run = RunCommand(
      aws, {"--output", "json", "cpgstaging", "create", "user", "alice"});

  ASSERT_EQ(run.code, 0) << run.err;
  nlohmann::json created = nlohmann::json::parse(run.out);
  EXPECT_EQ(created["Arn"], kAliceArn);
  EXPECT_EQ(created["Resumed"], false);
  EXPECT_EQ(created["AccessKey"]["AccessKeyId"], "AKIANEW");
  EXPECT_EQ(created["AccessKey"]["SecretAccessKey"], "wJal/rXUt+nFEMI");
}

TEST(UserCommandsTest, DeleteUserPrintsTheSeedLine) {
  FakeAws aws;
  aws.Always(
      "GetUser", 200,
      IamReply("GetUser", "<User>" + UserXml("alice", true) + "</User>"));
  aws.Reply("ListAccessGrants", 200, GrantsPage({}));
  aws.AlwaysEmpty({"DeleteLoginProfile", "ListAccessKeys",
                   "ListSigningCertificates", "ListSSHPublicKeys",
                   "ListServiceSpecificCredentials", "ListMFADevices",
                   "ListUserPolicies", "ListAttachedUserPolicies",
                   "ListGroupsForUser", "DeleteUser"});

  CliRun run = RunCommand(aws, {"cpgstaging", "delete", "user", "alice"});

  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out, "User with username: alice is deleted\n");
  EXPECT_THAT(run.err, HasSubstr("cytoskel: deleted user alice\n"));
}

TEST(UserCommandsTest, BadInputIsRefusedBeforeAnyAwsCall) {
  const std::vector<std::vector<std::string>> commands = {
      {"cpgstaging", "create", "user", "no spaces"},
      {"cpgstaging", "create", "user", std::string(65, 'a')},
      {"cpgstaging", "delete", "user", "a/b"},
      {"cpgstaging", "create", "grant", "alice", "loc-1", "*"},
      {"cpgstaging", "create", "grant", "alice", "loc-1", "cpg0001*"},
      {"cpgstaging", "create", "grant", "alice", "loc-1", "x", "--permission",
       "ALL"},
      {"cpgstaging", "create", "grant", "arn:aws:iam::1:user/x", "loc-1", "x"},
      {"cpgstaging", "create", "grant", "alice", "loc/1", "x"},
      {"cpgstaging", "delete", "grant", "g/1"},
      {"cpgstaging", "create", "user", "alice", "--credentials-file",
       "/nonexistent-dir/creds"},
      {"--output", "yaml", "cpgstaging", "list", "grant"},
      {"cpgstaging", "create", "user"},
  };
  for (const auto& command : commands) {
    std::string line;
    for (const auto& word : command) line += word + " ";
    SCOPED_TRACE(line);
    FakeAws aws;

    CliRun run = RunCommand(aws, command);

    EXPECT_EQ(run.code, 252) << run.err;
    EXPECT_EQ(run.out, "");
    EXPECT_THAT(run.err, HasSubstr("cytoskel: error: "));
    EXPECT_THAT(aws.requests(), IsEmpty());
  }
}

TEST(GrantCommandsTest, CreateGrantPrintsTheArnOnce) {
  FakeAws aws;
  ScriptGrantable(aws);
  aws.Reply("ListAccessGrants", 200, GrantsPage({}));
  aws.Reply("CreateAccessGrant", 200,
            "<CreateAccessGrantResult>" + GrantFields("g1") +
                "</CreateAccessGrantResult>");
  aws.Reply("ListAccessGrants", 200, GrantsPage({"g1"}));

  CliRun first = RunCommand(aws, {"cpgstaging", "create", "grant", kAliceArn,
                                  "loc-1", "cpg0001-x/*"});
  CliRun second = RunCommand(
      aws, {"cpgstaging", "create", "grant", "alice", "loc-1", "cpg0001-x/"});

  EXPECT_EQ(first.code, 0) << first.err;
  EXPECT_EQ(first.out,
            std::string("Created grant with ARN: ") + kGrantArn + "\n");
  EXPECT_EQ(second.code, 0) << second.err;
  EXPECT_EQ(second.out,
            std::string("Grant already exists with ARN: ") + kGrantArn + "\n");
  EXPECT_EQ(aws.RequestsOf("CreateAccessGrant").size(), 1u);
}

TEST(GrantCommandsTest, ListGrantPrintsOneIdPerLine) {
  FakeAws aws;
  aws.Always("ListAccessGrants", 200, GrantsPage({"g1", "g2"}));

  CliRun text = RunCommand(aws, {"cpgstaging", "list", "grant"});
  CliRun json =
      RunCommand(aws, {"cpgstaging", "list", "grant", "--output", "json"});
  CliRun table =
      RunCommand(aws, {"cpgstaging", "list", "grant", "--output", "table"});

  EXPECT_EQ(text.code, 0) << text.err;
  EXPECT_EQ(text.out, "g1\ng2\n");
  nlohmann::json grants = nlohmann::json::parse(json.out);
  ASSERT_EQ(grants.size(), 2u);
  EXPECT_EQ(grants[1]["GrantId"], "g2");
  EXPECT_EQ(grants[1]["GranteeUserName"], "alice");
  EXPECT_EQ(grants[1]["S3SubPrefix"], "cpg0001-x/*");
  EXPECT_EQ(grants[1]["Permission"], "READWRITE");
  EXPECT_THAT(table.out, ::testing::StartsWith(
                             "ID  GRANTEE  SCOPE                          "));
  EXPECT_THAT(table.out, HasSubstr("\ng2  alice    s3://"));
}

TEST(GrantCommandsTest, DeleteGrantPrintsTheSeedLineOrSaysItIsUnknown) {
  FakeAws aws;
  aws.Reply(
      "GetAccessGrant", 200,
      "<GetAccessGrantResult>" + GrantFields("g1") + "</GetAccessGrantResult>");
  aws.Reply("DeleteAccessGrant", 204, "");
  aws.Reply("GetAccessGrant", 404, ErrorReply("NoSuchAccessGrantError"));

  CliRun deleted = RunCommand(aws, {"cpgstaging", "delete", "grant", "g1"});
  CliRun unknown = RunCommand(aws, {"cpgstaging", "delete", "grant", "g1"});

  EXPECT_EQ(deleted.code, 0) << deleted.err;
  EXPECT_EQ(deleted.out, "Deleted grant with ID: g1\n");
  EXPECT_EQ(unknown.code, 254);
  EXPECT_EQ(unknown.out, "");
  EXPECT_EQ(unknown.err,
            "cytoskel: error: GetAccessGrant failed: there is no access grant "
            "with ID g1: `cytoskel cpgstaging list grant` shows them "
            "(NoSuchAccessGrantError)\n");
}

}  // namespace
}  // namespace cytoskel
