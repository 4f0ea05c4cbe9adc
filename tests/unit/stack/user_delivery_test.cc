// CreateStackUser hands the key over before the user joins the group, so
// that `kill -9` at any point of `create user` is finished by one rerun
// (found by tests/e2e/test_faults.py, KillTest).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "fake_aws.h"
#include "stack/users.h"

namespace cytoskel {
namespace {

std::string KeyXml(const std::string& id) {
  return IamReply("CreateAccessKey",
                  "<AccessKey><UserName>alice</UserName><AccessKeyId>" + id +
                      "</AccessKeyId><Status>Active</Status>"
                      "<SecretAccessKey>secret-of-" +
                      id +
                      "</SecretAccessKey><CreateDate>2024-01-02T03:04:05Z"
                      "</CreateDate></AccessKey>");
}

TEST(UserDeliveryTest, TheKeyIsHandedOverBeforeTheUserJoinsTheGroup) {
  FakeAws aws;
  aws.Reply("GetGroup", 200, GroupReply({}));
  aws.Reply("GetUser", 404, ErrorReply("NoSuchEntity"));
  aws.Reply(
      "CreateUser", 200,
      IamReply("CreateUser", "<User>" + UserXml("alice", false) + "</User>"));
  aws.Reply("CreateAccessKey", 200, KeyXml("AKIANEW"));
  aws.Reply("AddUserToGroup", 200, EmptyIamReply("AddUserToGroup"));
  std::string delivered;
  bool delivered_before_joining = false;
  aws.OnCall("AddUserToGroup",
             [&] { delivered_before_joining = !delivered.empty(); });
  StackContext stack(aws.session(), StackSettings{});

  CreateStackUser(stack, CreateUserRequest{"alice", ""}, {},
                  [&](const CreateUserResult& result) {
                    delivered = result.key.access_key_id;
                  });

  EXPECT_EQ(delivered, "AKIANEW");
  EXPECT_TRUE(delivered_before_joining);
}

TEST(UserDeliveryTest, AKeyNeverHandedOverIsReplaced) {
  FakeAws aws;
  aws.Reply("GetGroup", 200, GroupReply({}));
  aws.Reply("GetUser", 200,
            IamReply("GetUser", "<User>" + UserXml("alice", true) + "</User>"));
  aws.Reply("ListGroupsForUser", 200, GroupsForUserReply({}));
  aws.Reply("ListAccessKeys", 200,
            IamReply("ListAccessKeys",
                     "<AccessKeyMetadata><member><UserName>alice</UserName>"
                     "<AccessKeyId>AKIALOST</AccessKeyId><Status>Active"
                     "</Status><CreateDate>2024-01-02T03:04:05Z</CreateDate>"
                     "</member></AccessKeyMetadata><IsTruncated>false"
                     "</IsTruncated>"));
  aws.Reply("DeleteAccessKey", 200, EmptyIamReply("DeleteAccessKey"));
  aws.Reply("CreateAccessKey", 200, KeyXml("AKIANEW"));
  aws.Reply("AddUserToGroup", 200, EmptyIamReply("AddUserToGroup"));
  StackContext stack(aws.session(), StackSettings{});

  CreateUserResult result =
      CreateStackUser(stack, CreateUserRequest{"alice", ""});

  EXPECT_TRUE(result.resumed);
  EXPECT_EQ(result.key.access_key_id, "AKIANEW");
  ASSERT_EQ(aws.RequestsOf("DeleteAccessKey").size(), 1u);
  EXPECT_EQ(FormValue(aws.RequestsOf("DeleteAccessKey")[0].body, "AccessKeyId"),
            "AKIALOST");
}

}  // namespace
}  // namespace cytoskel
