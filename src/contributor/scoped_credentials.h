// What a contributor does with their IAM key: see which grants they hold,
// and trade the key for short-lived credentials scoped to one of them
// (S3 Access Grants GetDataAccess), served from the cache when possible.
#ifndef CYTOSKEL_CONTRIBUTOR_SCOPED_CREDENTIALS_H_
#define CYTOSKEL_CONTRIBUTOR_SCOPED_CREDENTIALS_H_

#include <optional>
#include <string>
#include <vector>

#include "aws/s3control.h"
#include "aws/session.h"
#include "contributor/credential_cache.h"

namespace cytoskel {

struct ScopedRequest {
  std::string target;      // "" = the caller's only grant
  std::string permission;  // "" = the grant's own (or READWRITE)
  std::optional<int> duration_seconds;
  std::string privilege;  // "" = Default
};

// Checks and normalises a request before any AWS call: the target must be
// an s3:// URI naming a bucket ("s3://b/x/" becomes "s3://b/x/*"), the
// permission READ|WRITE|READWRITE, the duration 900-43200 s, the privilege
// Default|Minimal. Throws a usage Error naming the bad value.
ScopedRequest NormalizeRequest(ScopedRequest request);

// The caller's grants (ListCallerAccessGrants, every page). Sets
// *account_id to the caller's account (from GetCallerIdentity).
std::vector<CallerGrant> ListMyGrants(Session& session,
                                      std::string* account_id);

// Scoped credentials for `request`: from `cache` when it holds a fresh
// entry (no AWS call at all), else from GetDataAccess, then stored in
// `cache`. `cache` may be null (--no-cache). With no target, the caller's
// grants decide: one is used; none or several is a usage Error that lists
// them. A refusal because no grant covers the target lists what the caller
// can reach.
ScopedCredentials GetScopedCredentials(Session& session,
                                       const ScopedRequest& request,
                                       const CredentialCache* cache);

}  // namespace cytoskel

#endif  // CYTOSKEL_CONTRIBUTOR_SCOPED_CREDENTIALS_H_
