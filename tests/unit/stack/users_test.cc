#include "stack/users.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "../caught_error.h"
#include "../scratch_dir.h"
#include "aws/error.h"
#include "fake_aws.h"

namespace cytoskel {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kGroup[] = "staging_cpg_uploaders";

std::string UserReply(const std::string& name, bool managed) {
  return IamReply("GetUser", "<User>" + UserXml(name, managed) + "</User>");
}

std::string KeyReply(const std::string& user, const std::string& id) {
  return IamReply("CreateAccessKey",
                  "<AccessKey><UserName>" + user + "</UserName><AccessKeyId>" +
                      id +
                      "</AccessKeyId><Status>Active</Status>"
                      "<SecretAccessKey>secret-of-" +
                      id +
                      "</SecretAccessKey><CreateDate>2024-05-01T12:00:00Z"
                      "</CreateDate></AccessKey>");
}

std::string KeysReply(const std::string& user,
                      const std::vector<std::string>& ids) {
  std::string members;
  for (const auto& id : ids) {
    members += "<member><UserName>" + user + "</UserName><AccessKeyId>" + id +
               "</AccessKeyId><Status>Active</Status><CreateDate>"
               "2024-05-01T12:00:00Z</CreateDate></member>";
  }
  return IamReply("ListAccessKeys", "<AccessKeyMetadata>" + members +
                                        "</AccessKeyMetadata><IsTruncated>"
                                        "false</IsTruncated>");
}

std::string GrantXml(const std::string& id, const std::string& grantee) {
  return "<AccessGrantsListEntry><AccessGrantId>" + id +
         "</AccessGrantId><AccessGrantArn>arn:aws:s3:us-east-1:123456789012:"
         "access-grants/default/grant/" +
         id +
         "</AccessGrantArn><Grantee><GranteeType>IAM</GranteeType>"
         "<GranteeIdentifier>" +
         grantee +
         "</GranteeIdentifier></Grantee><Permission>READWRITE</Permission>"
         "<AccessGrantsLocationId>loc-1</AccessGrantsLocationId>"
         "<AccessGrantsLocationConfiguration><S3SubPrefix>cpg0001/*"
         "</S3SubPrefix></AccessGrantsLocationConfiguration><GrantScope>"
         "s3://bucket/cpg0001/*</GrantScope></AccessGrantsListEntry>";
}

std::string GrantsReply(const std::vector<std::string>& entries) {
  std::string list;
  for (const auto& entry : entries) list += entry;
  return "<ListAccessGrantsResult><AccessGrantsList>" + list +
         "</AccessGrantsList></ListAccessGrantsResult>";
}

// What ForceDeleteUser calls for a user that owns nothing else.
const std::vector<std::string> kTeardown = {"GetUser",
                                            "DeleteLoginProfile",
                                            "ListAccessKeys",
                                            "ListSigningCertificates",
                                            "ListSSHPublicKeys",
                                            "ListServiceSpecificCredentials",
                                            "ListMFADevices",
                                            "ListUserPolicies",
                                            "ListAttachedUserPolicies",
                                            "ListGroupsForUser",
                                            "DeleteUser"};

// Lets ForceDeleteUser of `name` run against an otherwise empty account.
void AllowTeardown(FakeAws& aws, const std::string& name) {
  aws.Always("GetUser", 200, UserReply(name, true));
  aws.AlwaysEmpty({"DeleteLoginProfile", "ListAccessKeys",
                   "ListSigningCertificates", "ListSSHPublicKeys",
                   "ListServiceSpecificCredentials", "ListMFADevices",
                   "ListUserPolicies", "ListAttachedUserPolicies",
                   "ListGroupsForUser", "DeleteUser"});
}

std::vector<std::string> Concat(std::vector<std::string> first,
                                const std::vector<std::string>& second) {
  first.insert(first.end(), second.begin(), second.end());
  return first;
}

CreateUserRequest Create(const std::string& name,
                         const std::string& credentials_file = "") {
  CreateUserRequest request;
  request.name = name;
  request.credentials_file = credentials_file;
  return request;
}

DeleteUserRequest Delete(const std::string& name, bool force = false) {
  DeleteUserRequest request;
  request.name = name;
  request.force = force;
  return request;
}

// ---- list ----

TEST(ListStackUsersTest, ReadsEveryPageOfTheGroup) {
  FakeAws aws;
  aws.Reply("GetGroup", 200, GroupReply({"alice", "bob"}, "page2"));
  aws.Reply("GetGroup", 200, GroupReply({"carol"}));
  StackContext stack(aws.session(), StackSettings{});

  std::vector<IamUser> users = ListStackUsers(stack);

  std::vector<std::string> arns;
  for (const IamUser& user : users) arns.push_back(user.arn);
  EXPECT_THAT(arns, ElementsAre("arn:aws:iam::123456789012:user/alice",
                                "arn:aws:iam::123456789012:user/bob",
                                "arn:aws:iam::123456789012:user/carol"));
  auto requests = aws.RequestsOf("GetGroup");
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(FormValue(requests[0].body, "GroupName"), kGroup);
  EXPECT_EQ(FormValue(requests[1].body, "Marker"), "page2");
}

TEST(ListStackUsersTest, AMissingGroupMeansTheStackIsNotSetUp) {
  FakeAws aws;
  aws.Reply("GetGroup", 404, ErrorReply("NoSuchEntity"));
  StackContext stack(aws.session(), StackSettings{});

  Error error = CaughtError([&] { ListStackUsers(stack); });

  EXPECT_EQ(error.kind(), ErrorKind::kService);
  EXPECT_EQ(error.code(), "NoSuchEntity");
  EXPECT_THAT(error.message(),
              HasSubstr("the stack is not set up: run `cytoskel cpgstaging "
                        "up` first"));
}

// ---- create ----

struct CreateCase {
  const char* name;
  std::function<void(FakeAws&)> script;
  std::vector<std::string> operations;
  bool resumed;
};

// The replies of a user made from scratch without trouble.
void ScriptFreshUser(FakeAws& aws) {
  aws.Reply("GetUser", 404, ErrorReply("NoSuchEntity"));
  aws.Reply("GetGroup", 200, GroupReply({}));
  aws.Reply(
      "CreateUser", 200,
      IamReply("CreateUser", "<User>" + UserXml("alice", false) + "</User>"));
  aws.Reply("AddUserToGroup", 200, EmptyIamReply("AddUserToGroup"));
}

TEST(CreateStackUserTest, MakesOrCompletesTheUserWithoutResendingCreates) {
  const std::vector<CreateCase> cases = {
      {"fresh user",
       [](FakeAws& aws) {
         ScriptFreshUser(aws);
         aws.Reply("CreateAccessKey", 200, KeyReply("alice", "AKIANEW"));
       },
       {"GetUser", "GetGroup", "CreateUser", "CreateAccessKey",
        "AddUserToGroup"},
       false},
      {"keyless managed user left by a run that died",
       [](FakeAws& aws) {
         aws.Reply("GetUser", 200, UserReply("alice", true));
         aws.Reply("ListGroupsForUser", 200, GroupsForUserReply({"other"}));
         aws.Reply("GetGroup", 200, GroupReply({}));
         aws.Reply("ListAccessKeys", 200, KeysReply("alice", {}));
         aws.Reply("AddUserToGroup", 200, EmptyIamReply("AddUserToGroup"));
         aws.Reply("CreateAccessKey", 200, KeyReply("alice", "AKIANEW"));
       },
       {"GetUser", "ListGroupsForUser", "GetGroup", "ListAccessKeys",
        "CreateAccessKey", "AddUserToGroup"},
       true},
      {"managed user outside the group: its key was never handed over",
       [](FakeAws& aws) {
         aws.Reply("GetUser", 200, UserReply("alice", true));
         aws.Reply("ListGroupsForUser", 200, GroupsForUserReply({}));
         aws.Reply("GetGroup", 200, GroupReply({}));
         aws.Reply("ListAccessKeys", 200, KeysReply("alice", {"AKIALOST"}));
         aws.Reply("DeleteAccessKey", 200, EmptyIamReply("DeleteAccessKey"));
         aws.Reply("CreateAccessKey", 200, KeyReply("alice", "AKIANEW"));
         aws.Reply("AddUserToGroup", 200, EmptyIamReply("AddUserToGroup"));
       },
       {"GetUser", "ListGroupsForUser", "GetGroup", "ListAccessKeys",
        "DeleteAccessKey", "CreateAccessKey", "AddUserToGroup"},
       true},
      {"keyless member left by an earlier version",
       [](FakeAws& aws) {
         aws.Reply("GetUser", 200, UserReply("alice", true));
         aws.Reply("ListGroupsForUser", 200, GroupsForUserReply({kGroup}));
         aws.Reply("ListAccessKeys", 200, KeysReply("alice", {}));
         aws.Reply("CreateAccessKey", 200, KeyReply("alice", "AKIANEW"));
       },
       {"GetUser", "ListGroupsForUser", "ListAccessKeys", "CreateAccessKey"},
       true},
      {"CreateUser's answer lost, but IAM made the user",
       [](FakeAws& aws) {
         aws.Reply("GetUser", 404, ErrorReply("NoSuchEntity"));
         aws.Reply("GetGroup", 200, GroupReply({}));
         aws.LoseAnswer("CreateUser");
         aws.Reply("GetUser", 200, UserReply("alice", true));
         aws.Reply("AddUserToGroup", 200, EmptyIamReply("AddUserToGroup"));
         aws.Reply("CreateAccessKey", 200, KeyReply("alice", "AKIANEW"));
       },
       {"GetUser", "GetGroup", "CreateUser", "GetUser", "CreateAccessKey",
        "AddUserToGroup"},
       false},
      {"CreateUser's answer lost, and IAM did not make the user",
       [](FakeAws& aws) {
         aws.Reply("GetUser", 404, ErrorReply("NoSuchEntity"));
         aws.Reply("GetGroup", 200, GroupReply({}));
         aws.LoseAnswer("CreateUser");
         aws.Reply("GetUser", 404, ErrorReply("NoSuchEntity"));
         aws.Reply("CreateUser", 200,
                   IamReply("CreateUser",
                            "<User>" + UserXml("alice", false) + "</User>"));
         aws.Reply("AddUserToGroup", 200, EmptyIamReply("AddUserToGroup"));
         aws.Reply("CreateAccessKey", 200, KeyReply("alice", "AKIANEW"));
       },
       {"GetUser", "GetGroup", "CreateUser", "GetUser", "CreateUser",
        "CreateAccessKey", "AddUserToGroup"},
       false},
      {"CreateAccessKey's answer lost: the unknown key is deleted",
       [](FakeAws& aws) {
         ScriptFreshUser(aws);
         aws.LoseAnswer("CreateAccessKey");
         aws.Reply("ListAccessKeys", 200, KeysReply("alice", {"AKIALOST"}));
         aws.Reply("DeleteAccessKey", 200, EmptyIamReply("DeleteAccessKey"));
         aws.Reply("CreateAccessKey", 200, KeyReply("alice", "AKIANEW"));
       },
       {"GetUser", "GetGroup", "CreateUser", "CreateAccessKey",
        "ListAccessKeys", "DeleteAccessKey", "CreateAccessKey",
        "AddUserToGroup"},
       false},
  };
  for (const CreateCase& c : cases) {
    SCOPED_TRACE(c.name);
    FakeAws aws;
    c.script(aws);
    StackContext stack(aws.session(), StackSettings{});

    CreateUserResult result = CreateStackUser(stack, Create("alice"));

    EXPECT_THAT(aws.operations(), ElementsAreArray(c.operations));
    EXPECT_EQ(result.resumed, c.resumed);
    EXPECT_EQ(result.user.arn, "arn:aws:iam::123456789012:user/alice");
    EXPECT_EQ(result.key.access_key_id, "AKIANEW");
    EXPECT_EQ(result.key.secret_access_key, "secret-of-AKIANEW");
    for (const HttpRequest& request : aws.RequestsOf("DeleteAccessKey")) {
      EXPECT_EQ(FormValue(request.body, "AccessKeyId"), "AKIALOST");
    }
    for (const HttpRequest& request : aws.RequestsOf("AddUserToGroup")) {
      EXPECT_EQ(FormValue(request.body, "GroupName"), kGroup);
    }
  }
}

TEST(CreateStackUserTest, TagsTheUserAsManaged) {
  FakeAws aws;
  ScriptFreshUser(aws);
  aws.Reply("CreateAccessKey", 200, KeyReply("alice", "AKIANEW"));
  StackContext stack(aws.session(), StackSettings{});

  CreateStackUser(stack, Create("alice"));

  HttpRequest create = aws.RequestsOf("CreateUser").at(0);
  EXPECT_EQ(FormValue(create.body, "UserName"), "alice");
  EXPECT_EQ(FormValue(create.body, "Tags.member.1.Key"), "managed-by");
  EXPECT_EQ(FormValue(create.body, "Tags.member.1.Value"), "cytoskel");
}

TEST(CreateStackUserTest, AUserKnownToBeNewCostsOnlyTheThreeWrites) {
  FakeAws aws;
  aws.Reply(
      "CreateUser", 200,
      IamReply("CreateUser", "<User>" + UserXml("alice", true) + "</User>"));
  aws.Reply("CreateAccessKey", 200, KeyReply("alice", "AKIANEW"));
  aws.Reply("AddUserToGroup", 200, EmptyIamReply("AddUserToGroup"));
  StackContext stack(aws.session(), StackSettings{});
  CreateUserRequest request = Create("alice");
  request.known_new = true;

  CreateUserResult result = CreateStackUser(stack, request);

  EXPECT_THAT(aws.operations(),
              ElementsAre("CreateUser", "CreateAccessKey", "AddUserToGroup"));
  EXPECT_FALSE(result.resumed);
  EXPECT_EQ(result.key.access_key_id, "AKIANEW");
}

TEST(CreateStackUserTest, AUserKnownToBeNewButMadeMeanwhileIsLeftAlone) {
  FakeAws aws;
  aws.Reply("CreateUser", 409, ErrorReply("EntityAlreadyExists"));
  StackContext stack(aws.session(), StackSettings{});
  CreateUserRequest request = Create("alice");
  request.known_new = true;

  Error error = CaughtError([&] { CreateStackUser(stack, request); });

  EXPECT_EQ(error.code(), "EntityAlreadyExists");
  EXPECT_THAT(aws.operations(), ElementsAre("CreateUser"));
}

struct RefusalCase {
  const char* name;
  std::string user;
  std::function<void(FakeAws&)> script;
  ErrorKind kind;
  std::string fragment;
  std::vector<std::string> operations;
};

TEST(CreateStackUserTest, RefusesWhatItCannotSafelyComplete) {
  const std::vector<RefusalCase> cases = {
      {"invalid name: no AWS call",
       "bad name",
       [](FakeAws&) {},
       ErrorKind::kUsage,
       "may hold only",
       {}},
      {"stack not set up",
       "alice",
       [](FakeAws& aws) {
         aws.Reply("GetUser", 404, ErrorReply("NoSuchEntity"));
         aws.Reply("GetGroup", 404, ErrorReply("NoSuchEntity"));
       },
       ErrorKind::kService,
       "the stack is not set up",
       {"GetUser", "GetGroup"}},
      {"existing user with a key",
       "alice",
       [](FakeAws& aws) {
         aws.Reply("GetUser", 200, UserReply("alice", true));
         aws.Reply("ListGroupsForUser", 200, GroupsForUserReply({kGroup}));
         aws.Reply("ListAccessKeys", 200, KeysReply("alice", {"AKIAOLD"}));
       },
       ErrorKind::kUsage,
       "rotate-key alice",
       {"GetUser", "ListGroupsForUser", "ListAccessKeys"}},
      {"existing user cytoskel did not make",
       "alice",
       [](FakeAws& aws) {
         aws.Reply("GetUser", 200, UserReply("alice", false));
         aws.Reply("ListGroupsForUser", 200, GroupsForUserReply({}));
         aws.Reply("GetGroup", 200, GroupReply({}));
       },
       ErrorKind::kUsage,
       "is not managed by cytoskel",
       {"GetUser", "ListGroupsForUser", "GetGroup"}},
  };
  for (const RefusalCase& c : cases) {
    SCOPED_TRACE(c.name);
    FakeAws aws;
    c.script(aws);
    StackContext stack(aws.session(), StackSettings{});

    Error error = CaughtError([&] { CreateStackUser(stack, Create(c.user)); });

    EXPECT_EQ(error.kind(), c.kind);
    EXPECT_THAT(error.message(), HasSubstr(c.fragment));
    EXPECT_THAT(aws.operations(), ElementsAreArray(c.operations));
  }
}

TEST(CreateStackUserTest, DeletesTheNewUserWhenIamRefusesALaterStep) {
  const std::vector<std::string> failing = {"AddUserToGroup",
                                            "CreateAccessKey"};
  for (const std::string& operation : failing) {
    SCOPED_TRACE(operation);
    FakeAws aws;
    aws.Reply("GetUser", 404, ErrorReply("NoSuchEntity"));
    aws.Reply("GetGroup", 200, GroupReply({}));
    aws.Reply(
        "CreateUser", 200,
        IamReply("CreateUser", "<User>" + UserXml("alice", false) + "</User>"));
    if (operation == "AddUserToGroup") {
      aws.Reply("CreateAccessKey", 200, KeyReply("alice", "AKIANEW"));
    }
    aws.Reply(operation, 409, ErrorReply("LimitExceeded", "too many"));
    AllowTeardown(aws, "alice");
    StackContext stack(aws.session(), StackSettings{});
    std::vector<std::string> steps;

    Error error = CaughtError([&] {
      CreateStackUser(stack, Create("alice"),
                      [&](std::string_view step) { steps.emplace_back(step); });
    });

    EXPECT_EQ(error.code(), "LimitExceeded");
    EXPECT_EQ(aws.operations().back(), "DeleteUser");
    EXPECT_THAT(steps, ::testing::Contains("deleted user alice"));
  }
}

TEST(CreateStackUserTest, KeepsAResumedUserWhenIamRefusesTheKey) {
  FakeAws aws;
  aws.Reply("GetUser", 200, UserReply("alice", true));
  aws.Reply("ListGroupsForUser", 200, GroupsForUserReply({}));
  aws.Reply("GetGroup", 200, GroupReply({}));
  aws.Reply("ListAccessKeys", 200, KeysReply("alice", {}));
  aws.Reply("AddUserToGroup", 200, EmptyIamReply("AddUserToGroup"));
  aws.Reply("CreateAccessKey", 409, ErrorReply("LimitExceeded"));
  StackContext stack(aws.session(), StackSettings{});

  Error error = CaughtError([&] { CreateStackUser(stack, Create("alice")); });

  EXPECT_EQ(error.code(), "LimitExceeded");
  EXPECT_THAT(aws.operations(), Not(::testing::Contains("DeleteUser")));
}

TEST(CreateStackUserTest, WritesTheKeyToACredentialsFile) {
  ScratchDir dir;
  FakeAws aws;
  ScriptFreshUser(aws);
  aws.Reply("CreateAccessKey", 200, KeyReply("alice", "AKIANEW"));
  StackContext stack(aws.session(), StackSettings{});

  CreateStackUser(stack, Create("alice", dir.File("alice.ini")));

  EXPECT_EQ(ReadFile(dir.File("alice.ini")),
            "[alice]\naws_access_key_id = AKIANEW\n"
            "aws_secret_access_key = secret-of-AKIANEW\n");
  struct stat info;
  ASSERT_EQ(::stat(dir.File("alice.ini").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST(CreateStackUserTest, RefusesASymlinkedCredentialsFileBeforeAnyCall) {
  ScratchDir dir;
  std::filesystem::create_symlink(dir.File("elsewhere"), dir.File("link"));
  FakeAws aws;
  StackContext stack(aws.session(), StackSettings{});

  Error error = CaughtError(
      [&] { CreateStackUser(stack, Create("alice", dir.File("link"))); });

  EXPECT_EQ(error.kind(), ErrorKind::kUsage);
  EXPECT_THAT(error.message(), HasSubstr("symbolic link"));
  EXPECT_THAT(aws.operations(), IsEmpty());
}

TEST(CreateStackUserTest, DeletesTheKeyAgainWhenTheFileCannotBeWritten) {
  ScratchDir dir;
  std::string sub = dir.File("sub");
  std::filesystem::create_directory(sub);
  FakeAws aws;
  ScriptFreshUser(aws);
  aws.Reply("CreateAccessKey", 200, KeyReply("alice", "AKIANEW"));
  aws.OnCall("CreateAccessKey", [&] { std::filesystem::remove_all(sub); });
  aws.Reply("DeleteAccessKey", 200, EmptyIamReply("DeleteAccessKey"));
  StackContext stack(aws.session(), StackSettings{});

  Error error = CaughtError(
      [&] { CreateStackUser(stack, Create("alice", sub + "/alice.ini")); });

  EXPECT_THAT(error.message(), HasSubstr("deleted again"));
  EXPECT_THAT(error.message(), Not(HasSubstr("secret-of")));
  ASSERT_EQ(aws.RequestsOf("DeleteAccessKey").size(), 1u);
  EXPECT_EQ(FormValue(aws.RequestsOf("DeleteAccessKey")[0].body, "AccessKeyId"),
            "AKIANEW");
  EXPECT_THAT(aws.operations(), Not(::testing::Contains("DeleteUser")));
}

TEST(CredentialsProfileTest, IsAnAwsCredentialsFileSection) {
  NewAccessKey key;
  key.access_key_id = "AKIA1";
  key.secret_access_key = "s/e+c";
  EXPECT_EQ(CredentialsProfile("lab", key),
            "[lab]\naws_access_key_id = AKIA1\n"
            "aws_secret_access_key = s/e+c\n");
}

// ---- delete ----

TEST(DeleteStackUserTest, DeletesTheUsersGrantsThenTheUser) {
  FakeAws aws;
  const std::string arn = "arn:aws:iam::123456789012:user/alice";
  AllowTeardown(aws, "alice");
  aws.Reply("ListAccessGrants", 200,
            GrantsReply({GrantXml("g1", arn),
                         GrantXml("g2", arn + "x")}));  // not alice's
  aws.Reply("DeleteAccessGrant", 204, "");
  StackContext stack(aws.session(), StackSettings{});
  std::vector<std::string> steps;

  DeleteUserResult result =
      DeleteStackUser(stack, Delete("alice"),
                      [&](std::string_view step) { steps.emplace_back(step); });

  ASSERT_EQ(result.deleted_grants.size(), 1u);
  EXPECT_EQ(result.deleted_grants[0].id, "g1");
  EXPECT_EQ(result.user.arn, arn);
  EXPECT_THAT(
      aws.operations(),
      ElementsAreArray(Concat(
          {"GetUser", "ListAccessGrants", "DeleteAccessGrant"}, kTeardown)));
  std::string query = UrlQuery(aws.RequestsOf("ListAccessGrants")[0].url);
  EXPECT_THAT(query, HasSubstr("granteetype=IAM"));
  EXPECT_THAT(query, HasSubstr("granteeidentifier=arn%3Aaws%3Aiam%3A%3A"
                               "123456789012%3Auser%2Falice"));
  EXPECT_THAT(UrlPath(aws.RequestsOf("DeleteAccessGrant")[0].url),
              ::testing::EndsWith("/grant/g1"));
  EXPECT_EQ(steps.front(),
            "deleted grant g1 (READWRITE on "
            "s3://bucket/cpg0001/*)");
  EXPECT_EQ(steps.back(), "deleted user alice");
}

TEST(DeleteStackUserTest, WithoutAnInstanceThereAreNoGrantsToDelete) {
  FakeAws aws;
  AllowTeardown(aws, "alice");
  aws.Reply("ListAccessGrants", 404,
            ErrorReply("AccessGrantsInstanceNotExistsError"));
  StackContext stack(aws.session(), StackSettings{});

  DeleteUserResult result = DeleteStackUser(stack, Delete("alice"));

  EXPECT_THAT(result.deleted_grants, IsEmpty());
  EXPECT_EQ(aws.operations().back(), "DeleteUser");
}

TEST(DeleteStackUserTest, AnUnmanagedUserNeedsGroupMembershipOrForce) {
  struct Case {
    const char* name;
    bool force;
    std::string groups;  // ListGroupsForUser members
    bool deleted;
  };
  const std::string group_member =
      std::string("<member><Path>/</Path><GroupName>") + kGroup +
      "</GroupName><GroupId>AGPA1</GroupId><Arn>arn:aws:iam::123456789012:"
      "group/x</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate></member>";
  const std::vector<Case> cases = {
      {"in no group: refused", false, "", false},
      {"in the stack's group: deleted", false, group_member, true},
      {"forced: deleted", true, "", true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    FakeAws aws;
    AllowTeardown(aws, "admin");
    aws.Always("GetUser", 200, UserReply("admin", false));
    aws.Reply("ListGroupsForUser", 200,
              IamReply("ListGroupsForUser",
                       "<Groups>" + c.groups +
                           "</Groups><IsTruncated>false</IsTruncated>"));
    aws.Always("ListAccessGrants", 200, GrantsReply({}));
    StackContext stack(aws.session(), StackSettings{});

    if (c.deleted) {
      DeleteStackUser(stack, Delete("admin", c.force));
      EXPECT_EQ(aws.operations().back(), "DeleteUser");
    } else {
      Error error = CaughtError(
          [&] { DeleteStackUser(stack, Delete("admin", c.force)); });
      EXPECT_EQ(error.kind(), ErrorKind::kUsage);
      EXPECT_THAT(error.message(), HasSubstr("pass --force"));
      EXPECT_THAT(aws.operations(),
                  ElementsAre("GetUser", "ListGroupsForUser"));
    }
  }
}

TEST(DeleteStackUserTest, AnUnknownUserIsAServiceError) {
  FakeAws aws;
  aws.Reply("GetUser", 404, ErrorReply("NoSuchEntity"));
  StackContext stack(aws.session(), StackSettings{});

  Error error = CaughtError([&] { DeleteStackUser(stack, Delete("ghost")); });

  EXPECT_EQ(error.kind(), ErrorKind::kService);
  EXPECT_EQ(error.code(), "NoSuchEntity");
  EXPECT_THAT(error.message(), HasSubstr("there is no IAM user named ghost"));
  EXPECT_THAT(aws.operations(), ElementsAre("GetUser"));
}

}  // namespace
}  // namespace cytoskel
