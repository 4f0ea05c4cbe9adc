#include "aws/iam.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "aws/error.h"
#include "fake_http.h"

namespace cytoskel {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// A successful IAM answer to `action` whose <ActionResult> holds `result`.
std::string IamReply(const std::string& action, const std::string& result) {
  return "<" + action +
         "Response xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><" +
         action + "Result>" + result + "</" + action +
         "Result><ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-"
         "6e8eEXAMPLE</RequestId></ResponseMetadata></" +
         action + "Response>";
}

// An answer with no result element (DeleteUser, TagRole, ...).
std::string EmptyReply(const std::string& action) {
  return "<" + action +
         "Response xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
         "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></" +
         action + "Response>";
}

std::string UserXml(const std::string& name) {
  return "<Path>/</Path><UserName>" + name + "</UserName><UserId>AIDA" + name +
         "</UserId><Arn>arn:aws:iam::123456789012:user/" + name +
         "</Arn><CreateDate>2024-01-02T03:04:05Z</CreateDate>";
}

std::string Member(const std::string& inner) {
  return "<member>" + inner + "</member>";
}

// One page of a list answer: `list` holding `members`, then the paging
// elements.
std::string Page(const std::string& action, const std::string& list,
                 const std::string& members, const std::string& next = "") {
  std::string paging =
      next.empty()
          ? "<IsTruncated>false</IsTruncated>"
          : "<IsTruncated>true</IsTruncated><Marker>" + next + "</Marker>";
  return IamReply(action,
                  "<" + list + ">" + members + "</" + list + ">" + paging);
}

std::string ActionOf(const HttpRequest& request) {
  return FormValue(request.body, "Action").value_or("");
}

std::vector<std::string> Actions(const FakeHttpServer& server) {
  std::vector<std::string> actions;
  for (const auto& request : server.requests()) {
    actions.push_back(ActionOf(request));
  }
  return actions;
}

class IamClientTest : public ::testing::Test {
 protected:
  FakeHttpServer server_;
  std::unique_ptr<Session> session_ = MakeTestSession(server_);
  IamClient iam_{*session_};
};

// ---- Parsing replies ----

TEST_F(IamClientTest, GetUserParsesEveryField) {
  server_.Reply(200, IamReply("GetUser", "<User>" + UserXml("alice") +
                                             "<Tags><member><Key>managed-by"
                                             "</Key><Value>cytoskel</Value>"
                                             "</member></Tags></User>"));

  std::optional<IamUser> user = iam_.GetUser("alice");

  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(user->name, "alice");
  EXPECT_EQ(user->arn, "arn:aws:iam::123456789012:user/alice");
  EXPECT_EQ(user->user_id, "AIDAalice");
  EXPECT_EQ(user->path, "/");
  EXPECT_EQ(user->create_date, "2024-01-02T03:04:05Z");
  EXPECT_THAT(user->tags, ElementsAre(Tag{"managed-by", "cytoskel"}));
  HttpRequest request = server_.requests().at(0);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, "https://iam.amazonaws.com/");
  EXPECT_THAT(
      FormParams(request.body),
      ElementsAre(std::pair<std::string, std::string>{"Action", "GetUser"},
                  std::pair<std::string, std::string>{"Version", "2010-05-08"},
                  std::pair<std::string, std::string>{"UserName", "alice"}));
}

// IAM is global per partition: its host and signing region follow the
// partition of the profile's region, not the region itself.
TEST(IamPartitionTest, TalksToThePartitionsIamEndpoint) {
  const struct {
    const char* region;
    const char* url;
    const char* scope;
  } cases[] = {
      {"eu-west-1", "https://iam.amazonaws.com/", "/us-east-1/iam/"},
      {"cn-northwest-1", "https://iam.cn-north-1.amazonaws.com.cn/",
       "/cn-north-1/iam/"},
      {"us-gov-east-1", "https://iam.us-gov.amazonaws.com/",
       "/us-gov-west-1/iam/"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.region);
    FakeHttpServer server;
    auto session = MakeTestSession(server, c.region);
    IamClient iam(*session);
    server.ReplyError(404, "NoSuchEntity", "no such user");

    EXPECT_FALSE(iam.GetUser("alice").has_value());

    HttpRequest request = server.requests().at(0);
    EXPECT_EQ(request.url, c.url);
    EXPECT_THAT(FindHeader(request.headers, "Authorization").value_or(""),
                HasSubstr(c.scope));
  }
}

TEST_F(IamClientTest, GetRoleDecodesTheTrustPolicy) {
  server_.Reply(
      200,
      IamReply("GetRole",
               "<Role><Path>/</Path><RoleName>loc-role</RoleName>"
               "<RoleId>AROA1</RoleId>"
               "<Arn>arn:aws:iam::123456789012:role/loc-role</Arn>"
               "<CreateDate>2024-01-02T03:04:05Z</CreateDate>"
               "<AssumeRolePolicyDocument>%7B%22Version%22%3A%222012-10-17%22"
               "%2C%22Statement%22%3A%5B%5D%7D</AssumeRolePolicyDocument>"
               "<Description>a b</Description>"
               "<MaxSessionDuration>43200</MaxSessionDuration>"
               "<Tags><member><Key>k</Key><Value>v</Value></member></Tags>"
               "<RoleLastUsed/></Role>"));

  std::optional<IamRole> role = iam_.GetRole("loc-role");

  ASSERT_TRUE(role.has_value());
  EXPECT_EQ(role->name, "loc-role");
  EXPECT_EQ(role->arn, "arn:aws:iam::123456789012:role/loc-role");
  EXPECT_EQ(role->assume_role_policy_document,
            R"({"Version":"2012-10-17","Statement":[]})");
  EXPECT_EQ(role->max_session_duration, 43200);
  EXPECT_EQ(role->description, "a b");
  EXPECT_THAT(role->tags, ElementsAre(Tag{"k", "v"}));
}

TEST_F(IamClientTest, GetPolicyAndItsDefaultVersion) {
  server_.Reply(200, IamReply("GetPolicy",
                              "<Policy><PolicyName>p</PolicyName>"
                              "<DefaultVersionId>v3</DefaultVersionId>"
                              "<PolicyId>ANPA1</PolicyId><Path>/</Path>"
                              "<Arn>arn:aws:iam::123456789012:policy/p</Arn>"
                              "<AttachmentCount>2</AttachmentCount>"
                              "<IsAttachable>true</IsAttachable>"
                              "<Description>d</Description></Policy>"));
  server_.Reply(200, IamReply("GetPolicyVersion",
                              "<PolicyVersion><Document>%7B%22a%22%3A%20%22b"
                              "+c%22%7D</Document><VersionId>v3</VersionId>"
                              "<IsDefaultVersion>true</IsDefaultVersion>"
                              "</PolicyVersion>"));

  std::optional<IamPolicy> policy =
      iam_.GetPolicy("arn:aws:iam::123456789012:policy/p");
  ASSERT_TRUE(policy.has_value());
  std::optional<PolicyVersion> version =
      iam_.GetPolicyVersion(policy->arn, policy->default_version_id);

  EXPECT_EQ(policy->name, "p");
  EXPECT_EQ(policy->default_version_id, "v3");
  EXPECT_EQ(policy->attachment_count, 2);
  EXPECT_EQ(policy->description, "d");
  ASSERT_TRUE(version.has_value());
  EXPECT_EQ(version->document, R"({"a": "b+c"})");
  EXPECT_TRUE(version->is_default);
  HttpRequest second = server_.requests().at(1);
  EXPECT_EQ(FormValue(second.body, "PolicyArn"),
            "arn:aws:iam::123456789012:policy/p");
  EXPECT_EQ(FormValue(second.body, "VersionId"), "v3");
}

TEST_F(IamClientTest, GetRolePolicyDecodesTheDocument) {
  server_.Reply(200, IamReply("GetRolePolicy",
                              "<RoleName>r</RoleName><PolicyName>p"
                              "</PolicyName><PolicyDocument>%7B%7D"
                              "</PolicyDocument>"));

  EXPECT_EQ(iam_.GetRolePolicy("r", "p"), "{}");
}

TEST_F(IamClientTest, CreateAccessKeyReturnsTheSecret) {
  server_.Reply(200, IamReply("CreateAccessKey",
                              "<AccessKey><UserName>alice</UserName>"
                              "<AccessKeyId>AKIANEW</AccessKeyId>"
                              "<Status>Active</Status>"
                              "<SecretAccessKey>s3cr3t/Key+</SecretAccessKey>"
                              "<CreateDate>2024-01-02T03:04:05Z</CreateDate>"
                              "</AccessKey>"));

  NewAccessKey key = iam_.CreateAccessKey("alice");

  EXPECT_EQ(key.user_name, "alice");
  EXPECT_EQ(key.access_key_id, "AKIANEW");
  EXPECT_EQ(key.status, "Active");
  EXPECT_EQ(key.secret_access_key, "s3cr3t/Key+");
  EXPECT_EQ(key.create_date, "2024-01-02T03:04:05Z");
}

TEST_F(IamClientTest, GetAccessKeyLastUsedOfANeverUsedKey) {
  server_.Reply(200, IamReply("GetAccessKeyLastUsed",
                              "<UserName>alice</UserName><AccessKeyLastUsed>"
                              "<Region>N/A</Region><ServiceName>N/A"
                              "</ServiceName></AccessKeyLastUsed>"));

  AccessKeyLastUsed last_used = iam_.GetAccessKeyLastUsed("AKIA1");

  EXPECT_EQ(last_used.user_name, "alice");
  EXPECT_EQ(last_used.last_used_date, "");
  EXPECT_EQ(last_used.service_name, "N/A");
  EXPECT_EQ(FormValue(server_.requests().at(0).body, "AccessKeyId"), "AKIA1");
}

TEST_F(IamClientTest, ARequiredElementMissingIsATransportError) {
  server_.Reply(200, IamReply("GetUser",
                              "<User><UserName>alice</UserName>"
                              "</User>"));

  try {
    iam_.GetUser("alice");
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kTransport);
    EXPECT_THAT(error.message(), HasSubstr("GetUser"));
    EXPECT_THAT(error.message(), HasSubstr("<Arn>"));
  }
}

// ---- Paging ----

TEST_F(IamClientTest, ListUsersFollowsMarkersToTheLastPage) {
  server_.Reply(
      200, Page("ListUsers", "Users",
                Member(UserXml("a")) + Member(UserXml("b")), "marker+1/="));
  server_.Reply(200, Page("ListUsers", "Users", Member(UserXml("c")), "m2"));
  server_.Reply(200, Page("ListUsers", "Users", Member(UserXml("d"))));

  std::vector<std::string> names;
  for (const IamUser& user : iam_.ListUsers()) names.push_back(user.name);

  EXPECT_THAT(names, ElementsAre("a", "b", "c", "d"));
  std::vector<HttpRequest> requests = server_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(FormValue(requests[0].body, "Marker"), std::nullopt);
  EXPECT_EQ(FormValue(requests[0].body, "MaxItems"), "1000");
  EXPECT_EQ(FormValue(requests[0].body, "PathPrefix"), "/");
  EXPECT_EQ(FormValue(requests[1].body, "Marker"), "marker+1/=");
  EXPECT_EQ(FormValue(requests[2].body, "Marker"), "m2");
}

TEST_F(IamClientTest, GetGroupJoinsTheMembersOfEveryPage) {
  std::string group =
      "<Group><Path>/</Path><GroupName>uploaders</GroupName><GroupId>AGPA1"
      "</GroupId><Arn>arn:aws:iam::123456789012:group/uploaders</Arn>"
      "<CreateDate>2024-01-02T03:04:05Z</CreateDate></Group>";
  server_.Reply(
      200, IamReply("GetGroup", group + "<Users>" + Member(UserXml("a")) +
                                    "</Users><IsTruncated>true</IsTruncated>"
                                    "<Marker>next</Marker>"));
  server_.Reply(200, IamReply("GetGroup",
                              group + "<Users>" + Member(UserXml("b")) +
                                  Member(UserXml("c")) +
                                  "</Users><IsTruncated>false</IsTruncated>"));

  std::optional<IamGroupMembers> members = iam_.GetGroup("uploaders");

  ASSERT_TRUE(members.has_value());
  EXPECT_EQ(members->group.name, "uploaders");
  EXPECT_EQ(members->group.arn, "arn:aws:iam::123456789012:group/uploaders");
  std::vector<std::string> names;
  for (const auto& user : members->users) names.push_back(user.name);
  EXPECT_THAT(names, ElementsAre("a", "b", "c"));
  EXPECT_EQ(FormValue(server_.requests().at(1).body, "Marker"), "next");
  EXPECT_EQ(FormValue(server_.requests().at(1).body, "GroupName"), "uploaders");
}

TEST_F(IamClientTest, GroupExistsReadsOnePageOfOneMember) {
  server_.Reply(
      200, IamReply("GetGroup",
                    "<Group><Path>/</Path><GroupName>uploaders</GroupName>"
                    "<GroupId>AGPA1</GroupId><Arn>arn:aws:iam::123456789012:"
                    "group/uploaders</Arn><CreateDate>2024-01-02T03:04:05Z"
                    "</CreateDate></Group><Users>" +
                        Member(UserXml("a")) +
                        "</Users><IsTruncated>true</IsTruncated>"
                        "<Marker>next</Marker>"));

  EXPECT_TRUE(iam_.GroupExists("uploaders"));
  ASSERT_EQ(server_.requests().size(), 1u);
  EXPECT_EQ(FormValue(server_.requests()[0].body, "MaxItems"), "1");
  EXPECT_EQ(FormValue(server_.requests()[0].body, "GroupName"), "uploaders");
}

TEST_F(IamClientTest, ListEntitiesForPolicyJoinsAllThreeListsOfEveryPage) {
  server_.Reply(200,
                IamReply("ListEntitiesForPolicy",
                         "<PolicyGroups>" + Member("<GroupName>g</GroupName>") +
                             "</PolicyGroups><PolicyUsers/>"
                             "<IsTruncated>true</IsTruncated>"
                             "<Marker>x</Marker>"));
  server_.Reply(200,
                IamReply("ListEntitiesForPolicy",
                         "<PolicyRoles>" + Member("<RoleName>r</RoleName>") +
                             "</PolicyRoles><PolicyUsers>" +
                             Member("<UserName>u</UserName>") +
                             "</PolicyUsers>"
                             "<IsTruncated>false</IsTruncated>"));

  PolicyEntities entities = iam_.ListEntitiesForPolicy("arn:p");

  EXPECT_THAT(entities.group_names, ElementsAre("g"));
  EXPECT_THAT(entities.user_names, ElementsAre("u"));
  EXPECT_THAT(entities.role_names, ElementsAre("r"));
}

struct ListCase {
  const char* name;
  std::string action;
  std::string list_element;
  std::string member;
  std::function<std::vector<std::string>(IamClient&)> call;
  std::vector<std::string> expected;
};

TEST_F(IamClientTest, EveryListParsesItsMembersAcrossPages) {
  auto ids = [](auto items, auto field) {
    std::vector<std::string> values;
    for (const auto& item : items) values.push_back(item.*field);
    return values;
  };
  const std::vector<ListCase> cases = {
      {"access keys",
       "ListAccessKeys",
       "AccessKeyMetadata",
       "<UserName>u</UserName><AccessKeyId>AKIA1</AccessKeyId>"
       "<Status>Active</Status>",
       [&](IamClient& iam) {
         return ids(iam.ListAccessKeys("u"), &AccessKeyInfo::access_key_id);
       },
       {"AKIA1", "AKIA1"}},
      {"MFA devices",
       "ListMFADevices",
       "MFADevices",
       "<UserName>u</UserName><SerialNumber>arn:aws:iam::1:mfa/u"
       "</SerialNumber><EnableDate>2024-01-01T00:00:00Z</EnableDate>",
       [&](IamClient& iam) {
         return ids(iam.ListMfaDevices("u"), &MfaDevice::serial_number);
       },
       {"arn:aws:iam::1:mfa/u", "arn:aws:iam::1:mfa/u"}},
      {"signing certificates",
       "ListSigningCertificates",
       "Certificates",
       "<UserName>u</UserName><CertificateId>C1</CertificateId>"
       "<CertificateBody>-----BEGIN</CertificateBody><Status>Active</Status>",
       [&](IamClient& iam) {
         return ids(iam.ListSigningCertificates("u"),
                    &SigningCertificate::certificate_id);
       },
       {"C1", "C1"}},
      {"SSH keys",
       "ListSSHPublicKeys",
       "SSHPublicKeys",
       "<UserName>u</UserName><SSHPublicKeyId>APKA1</SSHPublicKeyId>"
       "<Status>Active</Status><UploadDate>2024-01-01T00:00:00Z</UploadDate>",
       [&](IamClient& iam) {
         return ids(iam.ListSshPublicKeys("u"),
                    &SshPublicKey::ssh_public_key_id);
       },
       {"APKA1", "APKA1"}},
      {"service-specific credentials",
       "ListServiceSpecificCredentials",
       "ServiceSpecificCredentials",
       "<UserName>u</UserName><Status>Active</Status>"
       "<ServiceUserName>u-at-1</ServiceUserName>"
       "<CreateDate>2024-01-01T00:00:00Z</CreateDate>"
       "<ServiceSpecificCredentialId>ACCA1</ServiceSpecificCredentialId>"
       "<ServiceName>codecommit.amazonaws.com</ServiceName>",
       [&](IamClient& iam) {
         return ids(iam.ListServiceSpecificCredentials("u"),
                    &ServiceSpecificCredential::service_specific_credential_id);
       },
       {"ACCA1", "ACCA1"}},
      {"inline user policies",
       "ListUserPolicies",
       "PolicyNames",
       "inline-1",
       [&](IamClient& iam) { return iam.ListUserPolicies("u"); },
       {"inline-1", "inline-1"}},
      {"attached user policies",
       "ListAttachedUserPolicies",
       "AttachedPolicies",
       "<PolicyName>p</PolicyName><PolicyArn>arn:p</PolicyArn>",
       [&](IamClient& iam) {
         return ids(iam.ListAttachedUserPolicies("u"),
                    &AttachedPolicy::policy_arn);
       },
       {"arn:p", "arn:p"}},
      {"groups of a user",
       "ListGroupsForUser",
       "Groups",
       "<Path>/</Path><GroupName>g</GroupName><GroupId>G1</GroupId>"
       "<Arn>arn:g</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate>",
       [&](IamClient& iam) {
         return ids(iam.ListGroupsForUser("u"), &IamGroup::name);
       },
       {"g", "g"}},
      {"user tags",
       "ListUserTags",
       "Tags",
       "<Key>k</Key><Value>v</Value>",
       [&](IamClient& iam) { return ids(iam.ListUserTags("u"), &Tag::key); },
       {"k", "k"}},
      {"attached group policies",
       "ListAttachedGroupPolicies",
       "AttachedPolicies",
       "<PolicyName>p</PolicyName><PolicyArn>arn:p</PolicyArn>",
       [&](IamClient& iam) {
         return ids(iam.ListAttachedGroupPolicies("g"),
                    &AttachedPolicy::policy_name);
       },
       {"p", "p"}},
      {"policy versions",
       "ListPolicyVersions",
       "Versions",
       "<VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion>",
       [&](IamClient& iam) {
         return ids(iam.ListPolicyVersions("arn:p"),
                    &PolicyVersion::version_id);
       },
       {"v1", "v1"}},
      {"inline role policies",
       "ListRolePolicies",
       "PolicyNames",
       "rp",
       [&](IamClient& iam) { return iam.ListRolePolicies("r"); },
       {"rp", "rp"}},
      {"attached role policies",
       "ListAttachedRolePolicies",
       "AttachedPolicies",
       "<PolicyName>p</PolicyName><PolicyArn>arn:p</PolicyArn>",
       [&](IamClient& iam) {
         return ids(iam.ListAttachedRolePolicies("r"),
                    &AttachedPolicy::policy_arn);
       },
       {"arn:p", "arn:p"}},
  };
  for (const ListCase& test : cases) {
    SCOPED_TRACE(test.name);
    FakeHttpServer server;
    auto session = MakeTestSession(server);
    IamClient iam(*session);
    server.Reply(200, Page(test.action, test.list_element, Member(test.member),
                           "page2"));
    server.Reply(200,
                 Page(test.action, test.list_element, Member(test.member)));

    EXPECT_EQ(test.call(iam), test.expected);
    EXPECT_THAT(Actions(server), ElementsAre(test.action, test.action));
    EXPECT_EQ(FormValue(server.requests().at(1).body, "Marker"), "page2");
  }
}

// ---- NoSuchEntity ----

struct MissingCase {
  const char* name;
  std::function<bool(IamClient&)> found;
};

TEST_F(IamClientTest, GetsAnswerNulloptForNoSuchEntity) {
  const std::vector<MissingCase> cases = {
      {"user", [](IamClient& iam) { return iam.GetUser("x").has_value(); }},
      {"login profile",
       [](IamClient& iam) { return iam.GetLoginProfile("x").has_value(); }},
      {"group", [](IamClient& iam) { return iam.GetGroup("x").has_value(); }},
      {"group exists", [](IamClient& iam) { return iam.GroupExists("x"); }},
      {"policy",
       [](IamClient& iam) { return iam.GetPolicy("arn:x").has_value(); }},
      {"policy version",
       [](IamClient& iam) {
         return iam.GetPolicyVersion("arn:x", "v1").has_value();
       }},
      {"role", [](IamClient& iam) { return iam.GetRole("x").has_value(); }},
      {"role policy",
       [](IamClient& iam) { return iam.GetRolePolicy("x", "p").has_value(); }},
  };
  for (const MissingCase& test : cases) {
    SCOPED_TRACE(test.name);
    FakeHttpServer server;
    auto session = MakeTestSession(server);
    IamClient iam(*session);
    server.ReplyError(404, "NoSuchEntity",
                      "The user with name x cannot be "
                      "found.");

    EXPECT_FALSE(test.found(iam));
    EXPECT_EQ(server.requests().size(), 1u);
  }
}

TEST_F(IamClientTest, OtherErrorsOfAGetPropagate) {
  server_.ReplyError(403, "AccessDenied", "not allowed");

  try {
    iam_.GetUser("alice");
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kService);
    EXPECT_EQ(error.code(), "AccessDenied");
    EXPECT_EQ(error.operation(), "GetUser");
  }
}

// ---- What each call sends ----

using Params = std::vector<std::pair<std::string, std::string>>;

struct SendCase {
  const char* name;
  std::function<void(IamClient&)> call;
  std::string reply;  // result inner XML; "" means an empty answer
  Params expected;    // after Action and Version
};

TEST_F(IamClientTest, EachCallSendsItsActionAndParameters) {
  const std::string role_xml =
      "<Role><Path>/</Path><RoleName>r</RoleName><RoleId>R</RoleId>"
      "<Arn>arn:r</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate></Role>";
  const std::string policy_xml =
      "<Policy><PolicyName>p</PolicyName><Arn>arn:p</Arn>"
      "<DefaultVersionId>v1</DefaultVersionId></Policy>";
  const std::string group_xml =
      "<Group><Path>/</Path><GroupName>g</GroupName><GroupId>G</GroupId>"
      "<Arn>arn:g</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate></Group>";
  const std::vector<SendCase> cases = {
      {"CreateUser",
       [](IamClient& iam) {
         iam.CreateUser("alice", {{"managed-by", "cytoskel"}, {"a b", "c&d"}});
       },
       "<User>" + UserXml("alice") + "</User>",
       {{"UserName", "alice"},
        {"Path", "/"},
        {"Tags.member.1.Key", "managed-by"},
        {"Tags.member.1.Value", "cytoskel"},
        {"Tags.member.2.Key", "a b"},
        {"Tags.member.2.Value", "c&d"}}},
      {"DeleteUser",
       [](IamClient& iam) { iam.DeleteUser("alice"); },
       "",
       {{"UserName", "alice"}}},
      {"TagUser",
       [](IamClient& iam) {
         iam.TagUser("alice", {{"k", "v"}});
       },
       "",
       {{"UserName", "alice"},
        {"Tags.member.1.Key", "k"},
        {"Tags.member.1.Value", "v"}}},
      {"DeleteAccessKey",
       [](IamClient& iam) { iam.DeleteAccessKey("alice", "AKIA1"); },
       "",
       {{"UserName", "alice"}, {"AccessKeyId", "AKIA1"}}},
      {"UpdateAccessKey",
       [](IamClient& iam) {
         iam.UpdateAccessKey("alice", "AKIA1", "Inactive");
       },
       "",
       {{"UserName", "alice"},
        {"AccessKeyId", "AKIA1"},
        {"Status", "Inactive"}}},
      {"DeleteLoginProfile",
       [](IamClient& iam) { iam.DeleteLoginProfile("alice"); },
       "",
       {{"UserName", "alice"}}},
      {"DeactivateMFADevice",
       [](IamClient& iam) { iam.DeactivateMfaDevice("alice", "arn:mfa"); },
       "",
       {{"UserName", "alice"}, {"SerialNumber", "arn:mfa"}}},
      {"DeleteVirtualMFADevice",
       [](IamClient& iam) { iam.DeleteVirtualMfaDevice("arn:mfa"); },
       "",
       {{"SerialNumber", "arn:mfa"}}},
      {"DeleteSigningCertificate",
       [](IamClient& iam) { iam.DeleteSigningCertificate("alice", "C1"); },
       "",
       {{"UserName", "alice"}, {"CertificateId", "C1"}}},
      {"DeleteSSHPublicKey",
       [](IamClient& iam) { iam.DeleteSshPublicKey("alice", "APKA1"); },
       "",
       {{"UserName", "alice"}, {"SSHPublicKeyId", "APKA1"}}},
      {"DeleteServiceSpecificCredential",
       [](IamClient& iam) {
         iam.DeleteServiceSpecificCredential("alice", "ACCA1");
       },
       "",
       {{"UserName", "alice"}, {"ServiceSpecificCredentialId", "ACCA1"}}},
      {"DeleteUserPolicy",
       [](IamClient& iam) { iam.DeleteUserPolicy("alice", "p"); },
       "",
       {{"UserName", "alice"}, {"PolicyName", "p"}}},
      {"DetachUserPolicy",
       [](IamClient& iam) { iam.DetachUserPolicy("alice", "arn:p"); },
       "",
       {{"UserName", "alice"}, {"PolicyArn", "arn:p"}}},
      {"CreateGroup",
       [](IamClient& iam) { iam.CreateGroup("g"); },
       group_xml,
       {{"GroupName", "g"}, {"Path", "/"}}},
      {"DeleteGroup",
       [](IamClient& iam) { iam.DeleteGroup("g"); },
       "",
       {{"GroupName", "g"}}},
      {"AddUserToGroup",
       [](IamClient& iam) { iam.AddUserToGroup("g", "alice"); },
       "",
       {{"GroupName", "g"}, {"UserName", "alice"}}},
      {"RemoveUserFromGroup",
       [](IamClient& iam) { iam.RemoveUserFromGroup("g", "alice"); },
       "",
       {{"GroupName", "g"}, {"UserName", "alice"}}},
      {"AttachGroupPolicy",
       [](IamClient& iam) { iam.AttachGroupPolicy("g", "arn:p"); },
       "",
       {{"GroupName", "g"}, {"PolicyArn", "arn:p"}}},
      {"DetachGroupPolicy",
       [](IamClient& iam) { iam.DetachGroupPolicy("g", "arn:p"); },
       "",
       {{"GroupName", "g"}, {"PolicyArn", "arn:p"}}},
      {"CreatePolicy",
       [](IamClient& iam) {
         NewPolicy policy;
         policy.name = "p";
         policy.document = R"({"Version": "2012-10-17"})";
         policy.description = "what it is for";
         policy.tags = {{"managed-by", "cytoskel"}};
         iam.CreatePolicy(policy);
       },
       policy_xml,
       {{"PolicyName", "p"},
        {"Path", "/"},
        {"PolicyDocument", R"({"Version": "2012-10-17"})"},
        {"Description", "what it is for"},
        {"Tags.member.1.Key", "managed-by"},
        {"Tags.member.1.Value", "cytoskel"}}},
      {"CreatePolicyVersion",
       [](IamClient& iam) { iam.CreatePolicyVersion("arn:p", "{}"); },
       "<PolicyVersion><VersionId>v2</VersionId>"
       "<IsDefaultVersion>true</IsDefaultVersion></PolicyVersion>",
       {{"PolicyArn", "arn:p"},
        {"PolicyDocument", "{}"},
        {"SetAsDefault", "true"}}},
      {"DeletePolicyVersion",
       [](IamClient& iam) { iam.DeletePolicyVersion("arn:p", "v1"); },
       "",
       {{"PolicyArn", "arn:p"}, {"VersionId", "v1"}}},
      {"DeletePolicy",
       [](IamClient& iam) { iam.DeletePolicy("arn:p"); },
       "",
       {{"PolicyArn", "arn:p"}}},
      {"TagPolicy",
       [](IamClient& iam) {
         iam.TagPolicy("arn:p", {{"k", "v"}});
       },
       "",
       {{"PolicyArn", "arn:p"},
        {"Tags.member.1.Key", "k"},
        {"Tags.member.1.Value", "v"}}},
      {"CreateRole",
       [](IamClient& iam) {
         NewRole role;
         role.name = "r";
         role.assume_role_policy_document = "{\"Statement\": []}";
         role.max_session_duration = 43200;
         role.description = "location role";
         role.tags = {{"k", "v"}};
         iam.CreateRole(role);
       },
       role_xml,
       {{"RoleName", "r"},
        {"Path", "/"},
        {"AssumeRolePolicyDocument", "{\"Statement\": []}"},
        {"MaxSessionDuration", "43200"},
        {"Description", "location role"},
        {"Tags.member.1.Key", "k"},
        {"Tags.member.1.Value", "v"}}},
      {"UpdateRole",
       [](IamClient& iam) { iam.UpdateRole("r", 43200); },
       "",
       {{"RoleName", "r"}, {"MaxSessionDuration", "43200"}}},
      {"UpdateAssumeRolePolicy",
       [](IamClient& iam) { iam.UpdateAssumeRolePolicy("r", "{}"); },
       "",
       {{"RoleName", "r"}, {"PolicyDocument", "{}"}}},
      {"PutRolePolicy",
       [](IamClient& iam) { iam.PutRolePolicy("r", "p", "{\"a\": 1}"); },
       "",
       {{"RoleName", "r"},
        {"PolicyName", "p"},
        {"PolicyDocument", "{\"a\": 1}"}}},
      {"DeleteRolePolicy",
       [](IamClient& iam) { iam.DeleteRolePolicy("r", "p"); },
       "",
       {{"RoleName", "r"}, {"PolicyName", "p"}}},
      {"DetachRolePolicy",
       [](IamClient& iam) { iam.DetachRolePolicy("r", "arn:p"); },
       "",
       {{"RoleName", "r"}, {"PolicyArn", "arn:p"}}},
      {"DeleteRole",
       [](IamClient& iam) { iam.DeleteRole("r"); },
       "",
       {{"RoleName", "r"}}},
      {"TagRole",
       [](IamClient& iam) {
         iam.TagRole("r", {{"k", "v"}});
       },
       "",
       {{"RoleName", "r"},
        {"Tags.member.1.Key", "k"},
        {"Tags.member.1.Value", "v"}}},
  };
  for (const SendCase& test : cases) {
    SCOPED_TRACE(test.name);
    FakeHttpServer server;
    auto session = MakeTestSession(server);
    IamClient iam(*session);
    server.Reply(200, test.reply.empty() ? EmptyReply(test.name)
                                         : IamReply(test.name, test.reply));

    test.call(iam);

    ASSERT_EQ(server.requests().size(), 1u);
    Params expected = {{"Action", test.name}, {"Version", "2010-05-08"}};
    expected.insert(expected.end(), test.expected.begin(), test.expected.end());
    EXPECT_EQ(FormParams(server.requests()[0].body), expected);
  }
}

// ---- Retries: creates are never replayed blindly ----

struct ReplayCase {
  const char* name;
  std::function<void(IamClient&)> call;
  std::string reply;
  bool replayed;
};

TEST_F(IamClientTest, OnlyRepeatableCallsAreSentAgainAfterABrokenConnection) {
  const std::vector<ReplayCase> cases = {
      {"CreateUser", [](IamClient& iam) { iam.CreateUser("alice"); },
       IamReply("CreateUser", "<User>" + UserXml("alice") + "</User>"), false},
      {"CreateAccessKey", [](IamClient& iam) { iam.CreateAccessKey("alice"); },
       IamReply("CreateAccessKey",
                "<AccessKey><AccessKeyId>A</AccessKeyId>"
                "<SecretAccessKey>S</SecretAccessKey></AccessKey>"),
       false},
      {"DeleteUser", [](IamClient& iam) { iam.DeleteUser("alice"); },
       EmptyReply("DeleteUser"), true},
      {"AttachGroupPolicy",
       [](IamClient& iam) { iam.AttachGroupPolicy("g", "arn:p"); },
       EmptyReply("AttachGroupPolicy"), true},
      {"GetUser", [](IamClient& iam) { iam.GetUser("alice"); },
       IamReply("GetUser", "<User>" + UserXml("alice") + "</User>"), true},
  };
  for (const ReplayCase& test : cases) {
    SCOPED_TRACE(test.name);
    FakeHttpServer server;
    auto session = MakeTestSession(server);
    IamClient iam(*session);
    server.ReplyFailure(NetworkFailure::kReset);
    if (test.replayed) server.Reply(200, test.reply);

    if (test.replayed) {
      EXPECT_NO_THROW(test.call(iam));
      EXPECT_EQ(server.requests().size(), 2u);
    } else {
      EXPECT_THROW(test.call(iam), Error);
      EXPECT_EQ(server.requests().size(), 1u);
    }
  }
}

// ---- ForceDeleteUser ----

// Answers every call ForceDeleteUser makes for a user holding one of
// everything (two access keys, a virtual and a hardware MFA device).
void ScriptFullTeardown(FakeHttpServer& server) {
  server.Reply(200, IamReply("GetUser", "<User>" + UserXml("bob") + "</User>"));
  server.Reply(200, EmptyReply("DeleteLoginProfile"));
  server.Reply(200, Page("ListAccessKeys", "AccessKeyMetadata",
                         Member("<AccessKeyId>AKIA1</AccessKeyId>") +
                             Member("<AccessKeyId>AKIA2</AccessKeyId>")));
  server.Reply(200, EmptyReply("DeleteAccessKey"));
  server.Reply(200, EmptyReply("DeleteAccessKey"));
  server.Reply(200, Page("ListSigningCertificates", "Certificates",
                         Member("<CertificateId>C1</CertificateId>")));
  server.Reply(200, EmptyReply("DeleteSigningCertificate"));
  server.Reply(200, Page("ListSSHPublicKeys", "SSHPublicKeys",
                         Member("<SSHPublicKeyId>APKA1</SSHPublicKeyId>")));
  server.Reply(200, EmptyReply("DeleteSSHPublicKey"));
  server.Reply(
      200, Page("ListServiceSpecificCredentials", "ServiceSpecificCredentials",
                Member("<ServiceSpecificCredentialId>ACCA1"
                       "</ServiceSpecificCredentialId>")));
  server.Reply(200, EmptyReply("DeleteServiceSpecificCredential"));
  server.Reply(200, Page("ListMFADevices", "MFADevices",
                         Member("<SerialNumber>arn:aws:iam::123456789012:mfa/"
                                "bob</SerialNumber>") +
                             Member("<SerialNumber>GAHT12345678"
                                    "</SerialNumber>")));
  server.Reply(200, EmptyReply("DeactivateMFADevice"));
  server.Reply(200, EmptyReply("DeleteVirtualMFADevice"));
  server.Reply(200, EmptyReply("DeactivateMFADevice"));
  server.Reply(200, Page("ListUserPolicies", "PolicyNames", Member("inline")));
  server.Reply(200, EmptyReply("DeleteUserPolicy"));
  server.Reply(200, Page("ListAttachedUserPolicies", "AttachedPolicies",
                         Member("<PolicyName>p</PolicyName>"
                                "<PolicyArn>arn:p</PolicyArn>")));
  server.Reply(200, EmptyReply("DetachUserPolicy"));
  server.Reply(200, Page("ListGroupsForUser", "Groups",
                         Member("<Path>/</Path><GroupName>uploaders"
                                "</GroupName><Arn>arn:g</Arn>")));
  server.Reply(200, EmptyReply("RemoveUserFromGroup"));
  server.Reply(200, EmptyReply("DeleteUser"));
}

TEST_F(IamClientTest, ForceDeleteUserRemovesEverythingInOrder) {
  ScriptFullTeardown(server_);
  std::vector<std::string> steps;

  bool deleted = iam_.ForceDeleteUser(
      "bob", [&](std::string_view step) { steps.emplace_back(step); });

  EXPECT_TRUE(deleted);
  EXPECT_EQ(server_.pending_replies(), 0u);
  EXPECT_THAT(
      Actions(server_),
      ElementsAre(
          "GetUser", "DeleteLoginProfile", "ListAccessKeys", "DeleteAccessKey",
          "DeleteAccessKey", "ListSigningCertificates",
          "DeleteSigningCertificate", "ListSSHPublicKeys", "DeleteSSHPublicKey",
          "ListServiceSpecificCredentials", "DeleteServiceSpecificCredential",
          "ListMFADevices", "DeactivateMFADevice", "DeleteVirtualMFADevice",
          "DeactivateMFADevice", "ListUserPolicies", "DeleteUserPolicy",
          "ListAttachedUserPolicies", "DetachUserPolicy", "ListGroupsForUser",
          "RemoveUserFromGroup", "DeleteUser"));
  EXPECT_THAT(
      steps,
      ElementsAre("deleted login profile", "deleted access key AKIA1",
                  "deleted access key AKIA2", "deleted signing certificate C1",
                  "deleted SSH public key APKA1",
                  "deleted service-specific credential ACCA1",
                  "deactivated MFA device arn:aws:iam::123456789012:mfa/bob",
                  "deleted virtual MFA device "
                  "arn:aws:iam::123456789012:mfa/bob",
                  "deactivated MFA device GAHT12345678",
                  "deleted inline policy inline", "detached policy arn:p",
                  "removed from group uploaders", "deleted user bob"));
  for (const auto& request : server_.requests()) {
    std::string action = ActionOf(request);
    if (action == "DeleteVirtualMFADevice") continue;
    if (action == "RemoveUserFromGroup") {
      EXPECT_EQ(FormValue(request.body, "GroupName"), "uploaders");
    }
    EXPECT_EQ(FormValue(request.body, "UserName"), "bob") << action;
  }
}

TEST_F(IamClientTest, ForceDeleteUserFinishesAnInterruptedRun) {
  // A previous run removed the login profile and one key; the list still
  // showed the key when this run read it.
  server_.Reply(200,
                IamReply("GetUser", "<User>" + UserXml("bob") + "</User>"));
  server_.ReplyError(404, "NoSuchEntity",
                     "Login Profile for User bob "
                     "cannot be found.");
  server_.Reply(200, Page("ListAccessKeys", "AccessKeyMetadata",
                          Member("<AccessKeyId>AKIA1</AccessKeyId>")));
  server_.ReplyError(404, "NoSuchEntity",
                     "The Access Key with id AKIA1 "
                     "cannot be found.");
  for (const char* list :
       {"ListSigningCertificates", "ListSSHPublicKeys",
        "ListServiceSpecificCredentials", "ListMFADevices", "ListUserPolicies",
        "ListAttachedUserPolicies", "ListGroupsForUser"}) {
    server_.Reply(200, IamReply(list, "<IsTruncated>false</IsTruncated>"));
  }
  server_.Reply(200, EmptyReply("DeleteUser"));
  std::vector<std::string> steps;

  bool deleted = iam_.ForceDeleteUser(
      "bob", [&](std::string_view step) { steps.emplace_back(step); });

  EXPECT_TRUE(deleted);
  EXPECT_THAT(steps, ElementsAre("deleted user bob"));
  EXPECT_EQ(server_.pending_replies(), 0u);
}

TEST_F(IamClientTest, ForceDeleteUserOfAMissingUserDoesNothing) {
  server_.ReplyError(404, "NoSuchEntity", "cannot be found");

  EXPECT_FALSE(iam_.ForceDeleteUser("ghost", {}));
  EXPECT_THAT(Actions(server_), ElementsAre("GetUser"));
}

TEST_F(IamClientTest, ForceDeleteUserStopsOnOtherErrors) {
  server_.Reply(200,
                IamReply("GetUser", "<User>" + UserXml("bob") + "</User>"));
  server_.ReplyError(403, "AccessDenied", "no iam:DeleteLoginProfile");

  try {
    iam_.ForceDeleteUser("bob", {});
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), "AccessDenied");
    EXPECT_EQ(error.operation(), "DeleteLoginProfile");
  }
}

// ---- Secrets ----

TEST_F(IamClientTest, NoSecretReachesAnErrorOrADebugLine) {
  FakeHttpServer server;
  std::vector<std::string> debug_lines;
  auto session = MakeTestSession(
      server, "us-east-1",
      [&](std::string_view line) { debug_lines.emplace_back(line); });
  IamClient iam(*session);
  // A reply that carries a secret but lacks the key id it promises.
  server.Reply(200, IamReply("CreateAccessKey",
                             "<AccessKey><UserName>alice</UserName>"
                             "<SecretAccessKey>NEWSECRETvalue</SecretAccessKey>"
                             "</AccessKey>"));
  server.ReplyError(409, "LimitExceeded",
                    "Cannot exceed quota for "
                    "AccessKeysPerUser: 2");

  std::vector<std::string> messages;
  for (int i = 0; i < 2; ++i) {
    try {
      iam.CreateAccessKey("alice");
      ADD_FAILURE() << "expected an Error";
    } catch (const Error& error) {
      messages.push_back(error.message() + " " + error.what());
    }
  }

  ASSERT_EQ(messages.size(), 2u);
  for (const std::string& text : messages) {
    EXPECT_THAT(text, Not(HasSubstr("NEWSECRETvalue")));
    EXPECT_THAT(text, Not(HasSubstr(testing_http::kTestSecretAccessKey)));
  }
  EXPECT_FALSE(debug_lines.empty());
  for (const std::string& line : debug_lines) {
    EXPECT_THAT(line, Not(HasSubstr(testing_http::kTestSecretAccessKey)));
    EXPECT_THAT(line, Not(HasSubstr("NEWSECRETvalue")));
  }
}

// ---- Small pieces ----

TEST(DecodePolicyDocumentTest, DecodesPercentEscapesOnly) {
  struct Case {
    const char* encoded;
    const char* decoded;
  };
  const Case cases[] = {
      {"", ""},
      {"%7B%22a%22%3A%22b%22%7D", R"({"a":"b"})"},
      {"%7b%7d", "{}"},
      {"a+b", "a+b"},
      {"a%20b", "a b"},
      {"100%", "100%"},
      {"%2", "%2"},
      {"%zz", "%zz"},
      {"%25", "%"},
      {"%E2%9C%93", "\xE2\x9C\x93"},
      {R"({"plain":"json"})", R"({"plain":"json"})"},
  };
  for (const Case& test : cases) {
    EXPECT_EQ(DecodePolicyDocument(test.encoded), test.decoded) << test.encoded;
  }
}

TEST(MfaDeviceTest, VirtualDevicesAreNamedByArn) {
  EXPECT_TRUE((MfaDevice{"u", "arn:aws:iam::1:mfa/u", ""}).IsVirtual());
  EXPECT_FALSE((MfaDevice{"u", "GAHT12345678", ""}).IsVirtual());
}

}  // namespace
}  // namespace cytoskel
