// `audit`: who can reach what, and what is wrong with it. The account is
// read once into an AuditSnapshot (every grant, location and IAM user, the
// group's members, and the keys of those members only), then classified by
// a pure function, so each finding is testable from plain lists. Reads
// only; nothing here prints.
#ifndef CYTOSKEL_STACK_AUDIT_H_
#define CYTOSKEL_STACK_AUDIT_H_

#include <chrono>
#include <string>
#include <vector>

#include "aws/iam.h"
#include "aws/s3control.h"
#include "stack/stack.h"

namespace cytoskel {

// The kinds of finding, stable names for monitoring.
inline constexpr char kOrphanGrant[] = "orphan-grant";
inline constexpr char kGrantOutsideLocation[] = "grant-outside-location";
inline constexpr char kForeignGrantee[] = "foreign-grantee";
inline constexpr char kUserOutsideGroup[] = "user-outside-group";
inline constexpr char kUserWithoutGrant[] = "user-without-grant";
inline constexpr char kOldKey[] = "old-key";
inline constexpr char kUnusedKey[] = "unused-key";

struct AuditFinding {
  std::string kind;     // one of the k* names above
  std::string subject;  // a grant id, a user name or an access key id
  std::string detail;   // one sentence in plain words, saying what to do
};

// An access key of a group member, with when it was last used.
struct AuditedKey {
  AccessKeyInfo key;
  std::string last_used_date;  // empty: never used (or not looked up)
};

// Everything the audit reads.
struct AuditSnapshot {
  std::string stack_name;
  std::string account_id;
  std::string group;
  std::string location_scope;  // the stack's: s3://BUCKET/
  std::vector<AccessGrantsLocation> locations;
  std::vector<AccessGrant> grants;
  std::vector<IamUser> users;    // every IAM user of the account
  std::vector<IamUser> members;  // the stack's group
  // The active keys of the members: an inactive key cannot be used, and
  // `rotate-key --deactivate-only` keeps one on purpose.
  std::vector<AuditedKey> keys;
};

struct AuditOptions {
  int max_key_age_days = 90;
};

// Throws a usage Error unless 1 <= max_key_age_days <= 36500.
void CheckAuditOptions(const AuditOptions& options);

// Reads the snapshot: ListAccessGrants, ListAccessGrantsLocations and
// ListUsers once each, GetGroup once, then per member ListAccessKeys and
// per active key GetAccessKeyLastUsed. Throws the "not set up" service
// Error when the group or the Access Grants instance is missing.
AuditSnapshot ReadAuditSnapshot(StackContext& stack);

// The findings, in this order: per grant (orphan, outside the location,
// foreign grantee), per user (outside the group holding grants, member
// without grant), per key (old, never used). `now` is when the audit runs.
std::vector<AuditFinding> ClassifyAudit(
    const AuditSnapshot& snapshot, const AuditOptions& options,
    std::chrono::system_clock::time_point now);

}  // namespace cytoskel

#endif  // CYTOSKEL_STACK_AUDIT_H_
