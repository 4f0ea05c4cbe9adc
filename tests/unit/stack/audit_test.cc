#include "stack/audit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "aws/error.h"
#include "aws/time_format.h"
#include "fake_aws.h"

namespace cytoskel {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kScope[] = "s3://staging-cellpainting-gallery/";
constexpr char kStackLocation[] = "loc-stack";
constexpr char kOtherLocation[] = "loc-other";

std::string UserArn(const std::string& name) {
  return std::string("arn:aws:iam::") + kFakeAccount + ":user/" + name;
}

IamUser User(const std::string& name) {
  IamUser user;
  user.name = name;
  user.arn = UserArn(name);
  return user;
}

AccessGrant Grant(const std::string& id, const std::string& grantee,
                  const std::string& location = kStackLocation,
                  const std::string& type = "IAM") {
  AccessGrant grant;
  grant.id = id;
  grant.grantee_type = type;
  grant.grantee_identifier = grantee;
  grant.permission = "READWRITE";
  grant.location_id = location;
  grant.sub_prefix = id + "/*";
  grant.grant_scope = std::string(kScope) + id + "/*";
  return grant;
}

AuditedKey Key(const std::string& user, const std::string& id,
               const std::string& created, const std::string& last_used) {
  AuditedKey key;
  key.key.user_name = user;
  key.key.access_key_id = id;
  key.key.status = "Active";
  key.key.create_date = created;
  key.last_used_date = last_used;
  return key;
}

std::chrono::system_clock::time_point Now() {
  return *ParseRfc3339("2024-06-30T12:00:00Z");
}

// A stack with nothing wrong: alice is a member with a grant in the stack's
// location and a recent, used key.
AuditSnapshot CleanSnapshot() {
  AuditSnapshot snapshot;
  snapshot.stack_name = "cpgstaging";
  snapshot.account_id = kFakeAccount;
  snapshot.group = "staging_cpg_uploaders";
  snapshot.location_scope = kScope;
  snapshot.locations = {{kStackLocation, "", kScope, "", ""},
                        {kOtherLocation, "", "s3://other-bucket/", "", ""}};
  snapshot.users = {User("alice"), User("admin")};
  snapshot.members = {User("alice")};
  snapshot.grants = {Grant("g-alice", UserArn("alice"))};
  snapshot.keys = {Key("alice", "AKIAALICE", "2024-06-01T00:00:00Z",
                       "2024-06-29T00:00:00Z")};
  return snapshot;
}

struct Found {
  std::string kind;
  std::string subject;
  bool operator==(const Found&) const = default;
};

void PrintTo(const Found& found, std::ostream* out) {
  *out << found.kind << " " << found.subject;
}

std::vector<Found> Kinds(const std::vector<AuditFinding>& findings) {
  std::vector<Found> found;
  for (const AuditFinding& finding : findings) {
    found.push_back({finding.kind, finding.subject});
  }
  return found;
}

TEST(ClassifyAuditTest, ACleanStackHasNoFindings) {
  EXPECT_THAT(ClassifyAudit(CleanSnapshot(), {}, Now()), IsEmpty());
}

TEST(ClassifyAuditTest, FindsEachKindOfProblem) {
  struct Case {
    const char* name;
    std::function<void(AuditSnapshot&)> change;
    AuditOptions options;
    std::vector<Found> expected;
    std::string fragment;  // in the first finding's detail
  };
  const std::vector<Case> cases = {
      {"grantee deleted behind the tool's back",
       [](AuditSnapshot& s) {
         s.grants.push_back(Grant("g-bob", UserArn("bob")));
       },
       {},
       {{kOrphanGrant, "g-bob"}},
       "grant g-bob (READWRITE on s3://staging-cellpainting-gallery/g-bob/*) "
       "goes to user bob, which no longer exists: `cytoskel cpgstaging "
       "delete grant g-bob` removes it"},
      {"grant in another location",
       [](AuditSnapshot& s) {
         s.grants.push_back(Grant("g-far", UserArn("alice"), kOtherLocation));
       },
       {},
       {{kGrantOutsideLocation, "g-far"}},
       "is in location loc-other (s3://other-bucket/), not in the stack's "
       "location s3://staging-cellpainting-gallery/"},
      {"grant in an unknown location",
       [](AuditSnapshot& s) {
         s.grants.push_back(Grant("g-lost", UserArn("alice"), "loc-gone"));
       },
       {},
       {{kGrantOutsideLocation, "g-lost"}},
       "is in location loc-gone, not in the stack's location"},
      {"the stack has no location",
       [](AuditSnapshot& s) { s.locations.erase(s.locations.begin()); },
       {},
       {{kGrantOutsideLocation, "g-alice"}},
       "which does not exist (`cytoskel cpgstaging up` makes it)"},
      {"grant to a role",
       [](AuditSnapshot& s) {
         s.grants.push_back(
             Grant("g-role", "arn:aws:iam::123456789012:role/uploader"));
       },
       {},
       {{kForeignGrantee, "g-role"}},
       "goes to arn:aws:iam::123456789012:role/uploader, which is not an IAM "
       "user of account 123456789012"},
      {"grant to another account's user",
       [](AuditSnapshot& s) {
         s.grants.push_back(
             Grant("g-ext", "arn:aws:iam::999999999999:user/alice"));
       },
       {},
       {{kForeignGrantee, "g-ext"}},
       "not an IAM user of account 123456789012"},
      {"grant to a directory user",
       [](AuditSnapshot& s) {
         s.grants.push_back(
             Grant("g-dir", "d-123", kStackLocation, "DIRECTORY_USER"));
       },
       {},
       {{kForeignGrantee, "g-dir"}},
       "goes to DIRECTORY_USER d-123, an identity cytoskel does not manage"},
      {"user outside the group holding two grants: one finding",
       [](AuditSnapshot& s) {
         s.users.push_back(User("carol"));
         s.grants.push_back(Grant("g-c1", UserArn("carol")));
         s.grants.push_back(Grant("g-c2", UserArn("carol")));
       },
       {},
       {{kUserOutsideGroup, "carol"}},
       "user carol is not in group staging_cpg_uploaders but holds 2 "
       "grant(s): grant g-c1 (READWRITE on "
       "s3://staging-cellpainting-gallery/g-c1/*), grant g-c2"},
      {"member without grant",
       [](AuditSnapshot& s) {
         s.users.push_back(User("dave"));
         s.members.push_back(User("dave"));
       },
       {},
       {{kUserWithoutGrant, "dave"}},
       "user dave is in group staging_cpg_uploaders but holds no grant"},
      {"a grant outside the location still counts as a grant",
       [](AuditSnapshot& s) {
         s.grants = {Grant("g-far", UserArn("alice"), kOtherLocation)};
       },
       {},
       {{kGrantOutsideLocation, "g-far"}},
       "g-far"},
      {"key older than the limit",
       [](AuditSnapshot& s) {
         s.keys[0].key.create_date = "2024-03-01T12:00:00Z";  // 121 days
       },
       {},
       {{kOldKey, "AKIAALICE"}},
       "access key AKIAALICE of user alice is 121 days old (more than 90): "
       "`cytoskel cpgstaging rotate-key alice` replaces it"},
      {"--max-key-age lowers the limit",
       [](AuditSnapshot&) {},
       {.max_key_age_days = 20},
       {{kOldKey, "AKIAALICE"}},
       "is 29 days old (more than 20)"},
      {"a key exactly at the limit is fine",
       [](AuditSnapshot&) {},
       {.max_key_age_days = 29},
       {},
       ""},
      {"key never used",
       [](AuditSnapshot& s) { s.keys[0].last_used_date = ""; },
       {},
       {{kUnusedKey, "AKIAALICE"}},
       "access key AKIAALICE of user alice (created 2024-06-01T00:00:00Z) "
       "has never been used"},
      {"an old unused key is both",
       [](AuditSnapshot& s) {
         s.keys[0].key.create_date = "2023-01-01T00:00:00Z";
         s.keys[0].last_used_date = "";
       },
       {},
       {{kOldKey, "AKIAALICE"}, {kUnusedKey, "AKIAALICE"}},
       "days old"},
      {"an unreadable date is not a finding",
       [](AuditSnapshot& s) { s.keys[0].key.create_date = "yesterday"; },
       {},
       {},
       ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    AuditSnapshot snapshot = CleanSnapshot();
    c.change(snapshot);

    std::vector<AuditFinding> findings =
        ClassifyAudit(snapshot, c.options, Now());

    EXPECT_THAT(Kinds(findings), ElementsAreArray(c.expected));
    if (!findings.empty()) {
      EXPECT_THAT(findings[0].detail, HasSubstr(c.fragment));
    }
  }
}

TEST(ClassifyAuditTest, ListsGrantsThenUsersThenKeys) {
  AuditSnapshot snapshot = CleanSnapshot();
  snapshot.keys[0].last_used_date = "";
  snapshot.members.push_back(User("dave"));
  snapshot.users.push_back(User("dave"));
  snapshot.users.push_back(User("carol"));
  snapshot.grants.push_back(Grant("g-carol", UserArn("carol")));
  snapshot.grants.push_back(Grant("g-bob", UserArn("bob"), kOtherLocation));

  EXPECT_THAT(Kinds(ClassifyAudit(snapshot, {}, Now())),
              ElementsAre(Found{kOrphanGrant, "g-bob"},
                          Found{kGrantOutsideLocation, "g-bob"},
                          Found{kUserOutsideGroup, "carol"},
                          Found{kUserWithoutGrant, "dave"},
                          Found{kUnusedKey, "AKIAALICE"}));
}

TEST(CheckAuditOptionsTest, RefusesAgesOutsideOneDayToACentury) {
  for (int days : {0, -5, 36501}) {
    SCOPED_TRACE(days);
    try {
      CheckAuditOptions({.max_key_age_days = days});
      ADD_FAILURE() << "accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kUsage);
      EXPECT_THAT(error.message(), HasSubstr("--max-key-age"));
    }
  }
  CheckAuditOptions({.max_key_age_days = 1});
  CheckAuditOptions({.max_key_age_days = 36500});
}

// ---- reading the account ----

constexpr char kLocationsOperation[] =
    "GET /v20180820/accessgrantsinstance/locations";

std::string UsersReply(const std::vector<std::string>& names) {
  std::string users;
  for (const auto& name : names) {
    users += "<member>" + UserXml(name, false) + "</member>";
  }
  return IamReply("ListUsers", "<Users>" + users +
                                   "</Users><IsTruncated>false</IsTruncated>");
}

std::string KeysReply(const std::string& user,
                      const std::vector<std::pair<std::string, std::string>>&
                          keys) {  // id, status
  std::string members;
  for (const auto& [id, status] : keys) {
    members += "<member><UserName>" + user + "</UserName><AccessKeyId>" + id +
               "</AccessKeyId><Status>" + status +
               "</Status><CreateDate>2024-05-01T12:00:00Z</CreateDate>"
               "</member>";
  }
  return IamReply("ListAccessKeys", "<AccessKeyMetadata>" + members +
                                        "</AccessKeyMetadata><IsTruncated>"
                                        "false</IsTruncated>");
}

std::string LastUsedReply(const std::string& user, const std::string& date) {
  std::string when =
      date.empty() ? "" : "<LastUsedDate>" + date + "</LastUsedDate>";
  return IamReply("GetAccessKeyLastUsed",
                  "<UserName>" + user + "</UserName><AccessKeyLastUsed>" +
                      when +
                      "<ServiceName>sts</ServiceName><Region>us-east-1"
                      "</Region></AccessKeyLastUsed>");
}

std::string LocationsReply() {
  return std::string(
             "<ListAccessGrantsLocationsResult><AccessGrantsLocationsList>"
             "<AccessGrantsLocationsListEntry><AccessGrantsLocationId>") +
         kStackLocation + "</AccessGrantsLocationId><LocationScope>" + kScope +
         "</LocationScope></AccessGrantsLocationsListEntry>"
         "</AccessGrantsLocationsList></ListAccessGrantsLocationsResult>";
}

std::string GrantsReply(const std::string& grantee) {
  return "<ListAccessGrantsResult><AccessGrantsList><AccessGrantsListEntry>"
         "<AccessGrantId>g1</AccessGrantId><Grantee><GranteeType>IAM"
         "</GranteeType><GranteeIdentifier>" +
         grantee +
         "</GranteeIdentifier></Grantee><Permission>READ</Permission>"
         "<AccessGrantsLocationId>loc-stack</AccessGrantsLocationId>"
         "</AccessGrantsListEntry></AccessGrantsList></ListAccessGrantsResult>";
}

TEST(ReadAuditSnapshotTest, ListsEachThingOnceAndKeysOnlyOfMembers) {
  FakeAws aws;
  aws.Reply("GetGroup", 200, GroupReply({"alice", "bob"}));
  aws.Reply("ListAccessGrants", 200, GrantsReply(UserArn("alice")));
  aws.Reply(kLocationsOperation, 200, LocationsReply());
  aws.Reply("ListUsers", 200, UsersReply({"alice", "bob", "admin"}));
  aws.Reply("ListAccessKeys", 200,
            KeysReply("alice", {{"AKIA1", "Active"}, {"AKIA2", "Inactive"}}));
  aws.Reply("ListAccessKeys", 200, KeysReply("bob", {{"AKIA3", "Active"}}));
  aws.Reply("GetAccessKeyLastUsed", 200,
            LastUsedReply("alice", "2024-05-02T00:00:00Z"));
  aws.Reply("GetAccessKeyLastUsed", 200, LastUsedReply("bob", ""));
  StackContext stack(aws.session(), StackSettings{});

  AuditSnapshot snapshot = ReadAuditSnapshot(stack);

  EXPECT_THAT(aws.operations(),
              ElementsAre("GetGroup", "ListAccessGrants", kLocationsOperation,
                          "ListUsers", "ListAccessKeys", "GetAccessKeyLastUsed",
                          "ListAccessKeys", "GetAccessKeyLastUsed"));
  auto last_used = aws.RequestsOf("GetAccessKeyLastUsed");
  EXPECT_EQ(FormValue(last_used[0].body, "AccessKeyId"), "AKIA1");
  EXPECT_EQ(FormValue(last_used[1].body, "AccessKeyId"), "AKIA3");
  ASSERT_EQ(snapshot.keys.size(), 2u);
  EXPECT_EQ(snapshot.keys[0].last_used_date, "2024-05-02T00:00:00Z");
  EXPECT_EQ(snapshot.keys[1].last_used_date, "");
  EXPECT_EQ(snapshot.users.size(), 3u);
  EXPECT_EQ(snapshot.grants.size(), 1u);
  EXPECT_EQ(snapshot.location_scope, kScope);

  EXPECT_THAT(
      Kinds(ClassifyAudit(snapshot, {}, Now())),
      ElementsAre(Found{kUserWithoutGrant, "bob"}, Found{kUnusedKey, "AKIA3"}));
}

TEST(ReadAuditSnapshotTest, AMissingInstanceMeansTheStackIsNotSetUp) {
  FakeAws aws;
  aws.Reply("GetGroup", 200, GroupReply({}));
  aws.Reply("ListAccessGrants", 404,
            ErrorReply("AccessGrantsInstanceNotExistsError"));
  StackContext stack(aws.session(), StackSettings{});

  try {
    ReadAuditSnapshot(stack);
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kService);
    EXPECT_THAT(error.message(),
                HasSubstr("run `cytoskel cpgstaging up` first"));
  }
}

}  // namespace
}  // namespace cytoskel
