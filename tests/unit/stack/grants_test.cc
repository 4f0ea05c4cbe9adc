#include "stack/grants.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "../caught_error.h"
#include "aws/error.h"
#include "fake_aws.h"
#include "stack/propagation.h"

namespace cytoskel {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kLocation[] = "loc-1";
constexpr char kAliceArn[] = "arn:aws:iam::123456789012:user/lab/alice";

std::string GrantFields(const std::string& id, const std::string& grantee,
                        const std::string& sub_prefix,
                        const std::string& permission) {
  return "<AccessGrantId>" + id +
         "</AccessGrantId><AccessGrantArn>arn:aws:s3:us-east-1:123456789012:"
         "access-grants/default/grant/" +
         id +
         "</AccessGrantArn><Grantee><GranteeType>IAM</GranteeType>"
         "<GranteeIdentifier>" +
         grantee + "</GranteeIdentifier></Grantee><Permission>" + permission +
         "</Permission><AccessGrantsLocationId>" + kLocation +
         "</AccessGrantsLocationId><AccessGrantsLocationConfiguration>"
         "<S3SubPrefix>" +
         sub_prefix +
         "</S3SubPrefix></AccessGrantsLocationConfiguration><GrantScope>"
         "s3://bucket/" +
         sub_prefix +
         "</GrantScope><CreatedAt>2024-05-01T12:00:00Z</CreatedAt>";
}

std::string GrantsPage(const std::vector<std::string>& grants,
                       const std::string& next_token = "") {
  std::string list;
  for (const auto& fields : grants) {
    list += "<AccessGrantsListEntry>" + fields + "</AccessGrantsListEntry>";
  }
  std::string token =
      next_token.empty() ? "" : "<NextToken>" + next_token + "</NextToken>";
  return "<ListAccessGrantsResult>" + token + "<AccessGrantsList>" + list +
         "</AccessGrantsList></ListAccessGrantsResult>";
}

std::string CreatedGrant(const std::string& id) {
  return "<CreateAccessGrantResult>" +
         GrantFields(id, kAliceArn, "cpg0001-x/*", "READWRITE") +
         "</CreateAccessGrantResult>";
}

std::string LocationReply() {
  return std::string(
             "<GetAccessGrantsLocationResult>"
             "<AccessGrantsLocationId>") +
         kLocation +
         "</AccessGrantsLocationId><LocationScope>s3://bucket/"
         "</LocationScope></GetAccessGrantsLocationResult>";
}

std::string AliceReply() {
  return IamReply("GetUser",
                  "<User>" + UserXml("alice", true, "/lab/") + "</User>");
}

CheckedGrantRequest AliceRequest(const std::string& grantee = "alice") {
  return CheckGrantRequest({grantee, kLocation, "cpg0001-x", "READWRITE"});
}

// A user, a location and no grant yet.
void ScriptReadyAccount(FakeAws& aws) {
  aws.Always("GetUser", 200, AliceReply());
  aws.Always("GetAccessGrantsLocation", 200, LocationReply());
  aws.Reply("ListAccessGrants", 200, GrantsPage({}));
}

// ---- checking input ----

TEST(CheckGrantRequestTest, NormalizesEveryPart) {
  struct Case {
    GrantRequest request;
    std::string name, arn, sub_prefix, permission;
  };
  const std::vector<Case> cases = {
      {{"alice", "loc-1", "cpg0001-x", "READWRITE"},
       "alice",
       "",
       "cpg0001-x/*",
       "READWRITE"},
      {{"alice", "loc-1", "cpg0001-x/", "read"},
       "alice",
       "",
       "cpg0001-x/*",
       "READ"},
      {{kAliceArn, "loc-1", "cpg0001-x/*", "Write"},
       "alice",
       kAliceArn,
       "cpg0001-x/*",
       "WRITE"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.request.grantee + " " + c.request.prefix);
    CheckedGrantRequest checked = CheckGrantRequest(c.request);
    EXPECT_EQ(checked.grantee_name, c.name);
    EXPECT_EQ(checked.grantee_arn, c.arn);
    EXPECT_EQ(checked.location_id, "loc-1");
    EXPECT_EQ(checked.sub_prefix, c.sub_prefix);
    EXPECT_EQ(checked.permission, c.permission);
  }
}

TEST(CheckGrantRequestTest, RefusesBadParts) {
  const std::vector<std::pair<GrantRequest, std::string>> cases = {
      {{"bad name", "loc-1", "x", "READ"}, "user name"},
      {{"arn:aws:iam::1:user/x", "loc-1", "x", "READ"}, "not an IAM user ARN"},
      {{"arn:aws:iam::123456789012:role/x", "loc-1", "x", "READ"},
       "not an IAM user ARN"},
      {{"alice", "loc/1", "x", "READ"}, "location id"},
      {{"alice", "loc-1", "*", "READ"}, "whole bucket"},
      {{"alice", "loc-1", "cpg0001*", "READ"}, "not at the end"},
      {{"alice", "loc-1", "x", "ALL"}, "READ, WRITE or READWRITE"},
  };
  for (const auto& [request, fragment] : cases) {
    SCOPED_TRACE(fragment);
    Error error = CaughtError([&r = request] { CheckGrantRequest(r); });
    EXPECT_EQ(error.kind(), ErrorKind::kUsage);
    EXPECT_THAT(error.message(), HasSubstr(fragment));
  }
}

// ---- create ----

TEST(CreateStackGrantTest, GrantsToTheArnIamReturns) {
  FakeAws aws;
  ScriptReadyAccount(aws);
  aws.Reply("CreateAccessGrant", 200, CreatedGrant("g1"));
  StackContext stack(aws.session(), StackSettings{});

  CreateGrantResult result = CreateStackGrant(stack, AliceRequest());

  EXPECT_FALSE(result.already_existed);
  EXPECT_EQ(result.grant.id, "g1");
  EXPECT_THAT(aws.operations(),
              ElementsAre("GetUser", "GetAccessGrantsLocation",
                          "ListAccessGrants", "CreateAccessGrant"));
  std::string body = aws.RequestsOf("CreateAccessGrant")[0].body;
  EXPECT_THAT(body, HasSubstr("<GranteeIdentifier>" + std::string(kAliceArn) +
                              "</GranteeIdentifier>"));
  EXPECT_THAT(body, HasSubstr("<S3SubPrefix>cpg0001-x/*</S3SubPrefix>"));
  EXPECT_THAT(body, HasSubstr("<Permission>READWRITE</Permission>"));
  EXPECT_THAT(body, HasSubstr("<Key>managed-by</Key>"));
  std::string query = UrlQuery(aws.RequestsOf("ListAccessGrants")[0].url);
  EXPECT_THAT(query, HasSubstr("granteetype=IAM"));
  EXPECT_THAT(query, HasSubstr("permission=READWRITE"));
}

TEST(CreateStackGrantTest, ChecksAnArnAgainstIam) {
  struct Case {
    const char* name;
    std::string grantee;
    std::vector<std::string> operations;
    std::string error;  // "" when the grant is made
  };
  const std::vector<Case> cases = {
      {"exact ARN",
       kAliceArn,
       {"GetUser", "GetAccessGrantsLocation", "ListAccessGrants",
        "CreateAccessGrant"},
       ""},
      {"ARN without the user's path",
       "arn:aws:iam::123456789012:user/alice",
       {"GetUser"},
       "is not the ARN of IAM user alice: that is " + std::string(kAliceArn)},
      {"another partition's ARN: refused before any call",
       "arn:aws-cn:iam::123456789012:user/alice",
       {},
       "is an ARN of partition aws-cn, but the stack's region us-east-1 is "
       "in partition aws"},
      {"another account's user: taken as typed",
       "arn:aws:iam::999999999999:user/bob",
       {"GetAccessGrantsLocation", "ListAccessGrants", "CreateAccessGrant"},
       ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    FakeAws aws;
    ScriptReadyAccount(aws);
    aws.Reply("CreateAccessGrant", 200, CreatedGrant("g1"));
    StackContext stack(aws.session(), StackSettings{});

    if (c.error.empty()) {
      CreateStackGrant(stack, AliceRequest(c.grantee));
    } else {
      Error error = CaughtError(
          [&] { CreateStackGrant(stack, AliceRequest(c.grantee)); });
      EXPECT_EQ(error.kind(), ErrorKind::kUsage);
      EXPECT_THAT(error.message(), HasSubstr(c.error));
    }
    EXPECT_THAT(aws.operations(), ElementsAreArray(c.operations));
  }
}

TEST(CreateStackGrantTest, RefusesUnknownUsersAndLocations) {
  struct Case {
    const char* name;
    std::function<void(FakeAws&)> script;
    std::string code;
    std::string fragment;
  };
  const std::vector<Case> cases = {
      {"unknown user",
       [](FakeAws& aws) {
         aws.Reply("GetUser", 404, ErrorReply("NoSuchEntity"));
       },
       "NoSuchEntity", "there is no IAM user named alice"},
      {"unknown location",
       [](FakeAws& aws) {
         aws.Reply("GetUser", 200, AliceReply());
         aws.Reply("GetAccessGrantsLocation", 404,
                   ErrorReply("NoSuchAccessGrantsLocationError"));
       },
       "NoSuchAccessGrantsLocationError",
       "there is no Access Grants location with ID loc-1"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    FakeAws aws;
    c.script(aws);
    StackContext stack(aws.session(), StackSettings{});

    Error error = CaughtError([&] { CreateStackGrant(stack, AliceRequest()); });

    EXPECT_EQ(error.kind(), ErrorKind::kService);
    EXPECT_EQ(error.code(), c.code);
    EXPECT_THAT(error.message(), HasSubstr(c.fragment));
    EXPECT_THAT(aws.operations(), Not(Contains("CreateAccessGrant")));
  }
}

TEST(CreateStackGrantTest, ReturnsAnIdenticalGrantInsteadOfADuplicate) {
  FakeAws aws;
  aws.Always("GetUser", 200, AliceReply());
  aws.Always("GetAccessGrantsLocation", 200, LocationReply());
  aws.Reply(
      "ListAccessGrants", 200,
      GrantsPage({GrantFields("other", kAliceArn, "cpg0002/*", "READWRITE")},
                 "page2"));
  aws.Reply(
      "ListAccessGrants", 200,
      GrantsPage({GrantFields("same", kAliceArn, "cpg0001-x/*", "READWRITE")}));
  StackContext stack(aws.session(), StackSettings{});

  CreateGrantResult result = CreateStackGrant(stack, AliceRequest());

  EXPECT_TRUE(result.already_existed);
  EXPECT_EQ(result.grant.id, "same");
  EXPECT_THAT(aws.operations(), Not(Contains("CreateAccessGrant")));
  EXPECT_THAT(UrlQuery(aws.RequestsOf("ListAccessGrants")[1].url),
              HasSubstr("nextToken=page2"));
}

TEST(CreateStackGrantTest, WaitsForIamToPropagateANewUser) {
  FakeAws aws;
  ScriptReadyAccount(aws);
  aws.Reply("CreateAccessGrant", 400,
            ErrorReply("InvalidRequest", "Invalid Grantee"));
  aws.Reply("CreateAccessGrant", 400,
            ErrorReply("InvalidRequest", "Invalid Grantee"));
  aws.Reply("CreateAccessGrant", 200, CreatedGrant("g1"));
  StackContext stack(aws.session(), StackSettings{});

  CreateGrantResult result = CreateStackGrant(stack, AliceRequest());

  EXPECT_EQ(result.grant.id, "g1");
  EXPECT_EQ(aws.RequestsOf("CreateAccessGrant").size(), 3u);
  EXPECT_EQ(aws.slept(), std::chrono::seconds(3));  // 1 s, then 2 s
}

TEST(CreateStackGrantTest, GivesUpOnPropagationAfterTheBudget) {
  FakeAws aws;
  ScriptReadyAccount(aws);
  aws.Always("CreateAccessGrant", 400,
             ErrorReply("InvalidRequest", "Invalid Grantee"));
  StackContext stack(aws.session(), StackSettings{});

  Error error = CaughtError([&] { CreateStackGrant(stack, AliceRequest()); });

  EXPECT_EQ(error.code(), "InvalidRequest");
  EXPECT_LE(aws.slept(), kPropagationBudget);
  EXPECT_GE(aws.slept(), kPropagationBudget - std::chrono::seconds(10));
}

TEST(CreateStackGrantTest, RetriesOnlyInvalidGrantee) {
  const std::vector<std::pair<std::string, std::string>> errors = {
      {"InvalidRequest", "Invalid permission"},
      {"AccessDenied", "no"},
      {"AccessGrantsQuotaExceededError", "full"},
  };
  for (const auto& [code, message] : errors) {
    SCOPED_TRACE(code + ": " + message);
    FakeAws aws;
    ScriptReadyAccount(aws);
    aws.Reply("CreateAccessGrant", 400, ErrorReply(code, message));
    StackContext stack(aws.session(), StackSettings{});

    Error error = CaughtError([&] { CreateStackGrant(stack, AliceRequest()); });

    EXPECT_EQ(error.code(), code);
    EXPECT_EQ(aws.RequestsOf("CreateAccessGrant").size(), 1u);
    EXPECT_EQ(aws.slept(), std::chrono::milliseconds(0));
  }
}

TEST(CreateStackGrantTest, DoesNotWaitForAnotherAccountsPrincipal) {
  FakeAws aws;
  ScriptReadyAccount(aws);
  aws.Always("CreateAccessGrant", 400,
             ErrorReply("InvalidRequest", "Invalid Grantee"));
  StackContext stack(aws.session(), StackSettings{});

  Error error = CaughtError([&] {
    CreateStackGrant(stack,
                     AliceRequest("arn:aws:iam::999999999999:user/alice"));
  });

  EXPECT_EQ(error.code(), "InvalidRequest");
  EXPECT_EQ(aws.RequestsOf("CreateAccessGrant").size(), 1u);
  EXPECT_EQ(aws.slept(), std::chrono::milliseconds(0));
}

TEST(CreateStackGrantTest, NeverResendsCreateAccessGrantBlindly) {
  struct Case {
    const char* name;
    std::function<void(FakeAws&)> first_answer;
    std::string found;  // grant id the second list finds; "" for none
    size_t creates;
    bool already_existed;
  };
  const std::vector<Case> cases = {
      {"answer lost, grant made",
       [](FakeAws& aws) { aws.LoseAnswer("CreateAccessGrant"); }, "g1", 1,
       false},
      {"answer lost, grant not made",
       [](FakeAws& aws) { aws.LoseAnswer("CreateAccessGrant"); }, "", 2, false},
      {"made meanwhile by another admin",
       [](FakeAws& aws) {
         aws.Reply("CreateAccessGrant", 409,
                   ErrorReply("AccessGrantAlreadyExists"));
       },
       "g1", 1, true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    FakeAws aws;
    ScriptReadyAccount(aws);
    c.first_answer(aws);
    std::vector<std::string> found;
    if (!c.found.empty()) {
      found.push_back(
          GrantFields(c.found, kAliceArn, "cpg0001-x/*", "READWRITE"));
    }
    aws.Reply("ListAccessGrants", 200, GrantsPage(found));
    aws.Reply("CreateAccessGrant", 200, CreatedGrant("g2"));
    StackContext stack(aws.session(), StackSettings{});

    CreateGrantResult result = CreateStackGrant(stack, AliceRequest());

    EXPECT_EQ(aws.RequestsOf("CreateAccessGrant").size(), c.creates);
    EXPECT_EQ(result.grant.id, c.found.empty() ? "g2" : c.found);
    EXPECT_EQ(result.already_existed, c.already_existed);
  }
}

// ---- list and delete ----

TEST(ListStackGrantsTest, ReadsEveryPage) {
  FakeAws aws;
  aws.Reply("ListAccessGrants", 200,
            GrantsPage({GrantFields("g1", kAliceArn, "a/*", "READ")}, "t2"));
  aws.Reply("ListAccessGrants", 200,
            GrantsPage({GrantFields("g2", kAliceArn, "b/*", "WRITE")}));
  StackContext stack(aws.session(), StackSettings{});

  std::vector<AccessGrant> grants = ListStackGrants(stack);

  ASSERT_EQ(grants.size(), 2u);
  EXPECT_EQ(grants[0].id, "g1");
  EXPECT_EQ(grants[1].id, "g2");
  EXPECT_EQ(grants[1].sub_prefix, "b/*");
  EXPECT_THAT(UrlQuery(aws.RequestsOf("ListAccessGrants")[1].url),
              HasSubstr("nextToken=t2"));
}

TEST(DeleteStackGrantTest, DeletesAnExistingGrant) {
  FakeAws aws;
  aws.Reply("GetAccessGrant", 200,
            "<GetAccessGrantResult>" +
                GrantFields("g1", kAliceArn, "a/*", "READ") +
                "</GetAccessGrantResult>");
  aws.Reply("DeleteAccessGrant", 204, "");
  StackContext stack(aws.session(), StackSettings{});

  AccessGrant grant = DeleteStackGrant(stack, "g1");

  EXPECT_EQ(grant.grant_scope, "s3://bucket/a/*");
  EXPECT_THAT(aws.operations(),
              ElementsAre("GetAccessGrant", "DeleteAccessGrant"));
  EXPECT_EQ(aws.RequestsOf("DeleteAccessGrant")[0].method, "DELETE");
}

TEST(DeleteStackGrantTest, RefusesUnknownAndMalformedIds) {
  FakeAws aws;
  aws.Reply("GetAccessGrant", 404, ErrorReply("NoSuchAccessGrantError"));
  StackContext stack(aws.session(), StackSettings{});

  Error unknown = CaughtError([&] { DeleteStackGrant(stack, "g404"); });
  Error malformed = CaughtError([&] { DeleteStackGrant(stack, "../g1"); });

  EXPECT_EQ(unknown.kind(), ErrorKind::kService);
  EXPECT_EQ(unknown.code(), "NoSuchAccessGrantError");
  EXPECT_THAT(unknown.message(),
              HasSubstr("there is no access grant with ID g404"));
  EXPECT_EQ(malformed.kind(), ErrorKind::kUsage);
  EXPECT_THAT(aws.operations(), ElementsAre("GetAccessGrant"));
}

TEST(GranteeUserNameTest, NamesIamUsersOnly) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"arn:aws:iam::123456789012:user/alice", "alice"},
      {"arn:aws:iam::123456789012:user/lab/x/alice", "alice"},
      {"arn:aws:iam::123456789012:role/r", ""},
      {"not an arn", ""},
  };
  for (const auto& [identifier, name] : cases) {
    SCOPED_TRACE(identifier);
    AccessGrant grant;
    grant.grantee_type = "IAM";
    grant.grantee_identifier = identifier;
    EXPECT_EQ(GranteeUserName(grant), name);
  }
  AccessGrant directory;
  directory.grantee_type = "DIRECTORY_USER";
  directory.grantee_identifier = "arn:aws:iam::123456789012:user/alice";
  EXPECT_EQ(GranteeUserName(directory), "");
}

}  // namespace
}  // namespace cytoskel
