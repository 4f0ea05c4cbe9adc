// What `apply ROSTER` would change: the live state it reads once, and the
// pure function from (roster, live state) to the list of changes.
//
// The rules, in short:
// - A roster user that does not exist is created (user, tag, one access
//   key, then the group: CreateStackUser). One that exists must be
//   managed: in the stack's group, or tagged managed-by=cytoskel. A tagged
//   user outside the group, or in it without an access key, is completed
//   by CreateStackUser (an earlier run stopped before handing a key over;
//   keys never handed over are replaced). Nobody else gets a key.
// - A roster user's grants on the stack's location converge exactly to the
//   roster: same sub-prefixes, same permission. A permission change is a
//   create of the new grant and a delete of the old one. Grants on other
//   locations are left alone.
// - A member of the group that the roster does not list is offboarded only
//   with `prune` (DeleteStackUser), and otherwise reported as kept.
// - Roster users that exist unmanaged, or exist under a name that differs
//   in case, are refused before anything changes.
#ifndef CYTOSKEL_STACK_ROSTER_PLAN_H_
#define CYTOSKEL_STACK_ROSTER_PLAN_H_

#include <cstddef>
#include <string>
#include <vector>

#include "aws/s3control.h"
#include "stack/reconciler.h"
#include "stack/roster.h"
#include "stack/stack.h"

namespace cytoskel {

// An IAM user as planning sees it.
struct LiveUser {
  std::string name;  // as IAM spells it
  std::string arn;
  bool in_group = false;
  bool tagged = false;     // managed-by=cytoskel; read for roster users only
  size_t access_keys = 0;  // counted for tagged roster users only
};

// The account as the plan reads it.
struct LiveState {
  std::string group;        // the stack's group, for messages
  std::string location_id;  // the stack's location, s3://BUCKET/
  // The group's members, and every roster user that exists, once each.
  std::vector<LiveUser> users;
  std::vector<AccessGrant> grants;  // every grant of the instance
};

// Reads the live state for `roster`: the group's members, the location,
// every grant, every IAM user's name (ListUsers), and for each roster user
// that exists GetUser (and ListAccessKeys when it is tagged), these on up
// to `workers` threads. A roster of new users thus costs no read per user.
// Reads only. Throws the
// service Error "the stack is not set up" when the group or the location is
// missing, and any error of the reads.
LiveState ReadLiveState(StackContext& stack, const Roster& roster,
                        size_t workers);

enum class RosterAction {
  kCreateUser,    // new user, tag, key written to a file, group
  kCompleteUser,  // tagged, and keyless or outside the group: the same
  kCreateGrant,
  kDeleteGrant,
  kOffboardUser,  // DeleteStackUser: grants, keys, ..., the user
};

struct RosterChange {
  RosterAction action = RosterAction::kCreateUser;
  std::string user;        // the IAM user name
  std::string sub_prefix;  // grants: "folder/*"
  std::string permission;  // grants
  std::string grant_id;    // kDeleteGrant: the grant to delete
  // kCreateGrant: the grantee's ARN as IAM has it; "" for a user the same
  // plan creates, whose ARN comes from CreateUser's answer.
  std::string grantee_arn;
  std::string note;  // plain words shown after the line; may be ""
  // kCreateUser, kCompleteUser: the user's roster sub-prefixes, which the
  // key file names for the contributor.
  std::vector<std::string> sub_prefixes;
};

// Change::kCreate, kUpdate or kDelete.
Change ChangeOf(RosterAction action);
// "user" or "grant".
const char* KindOf(RosterAction action);
// The user name, or "USER SUB_PREFIX PERMISSION" for a grant.
std::string SubjectOf(const RosterChange& change);

struct RosterPlan {
  std::string location_id;  // the stack's location, where grants are made
  // In the order they are applied: user changes, grants to create, grants
  // to delete, users to offboard; by user name within each.
  std::vector<RosterChange> changes;
  // Members of the group the roster does not list, kept (no prune).
  std::vector<std::string> unlisted;
  size_t users_in_sync = 0;   // roster users needing no user change
  size_t grants_in_sync = 0;  // roster grants already there

  // The users whose new key will be written to a file.
  std::vector<std::string> UsersGettingKeys() const;
};

struct PlanOptions {
  bool prune = false;
};

// The changes that make `live` match `roster`. Pure. Throws a usage Error
// naming every roster user that exists but is not managed (not in the
// group, not tagged) or whose name differs in case from IAM's.
RosterPlan PlanRoster(const Roster& roster, const LiveState& live,
                      const PlanOptions& options);

}  // namespace cytoskel

#endif  // CYTOSKEL_STACK_ROSTER_PLAN_H_
