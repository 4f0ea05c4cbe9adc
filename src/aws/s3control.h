// S3 Control's Access Grants API (rest-xml). Every request goes to
// <account>.s3-control.<region>.amazonaws.com (or the account-prefixed
// custom endpoint) with x-amz-account-id and a body checksum.
#ifndef CYTOSKEL_AWS_S3CONTROL_H_
#define CYTOSKEL_AWS_S3CONTROL_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "aws/session.h"
#include "aws/tag.h"

namespace cytoskel {

struct AccessGrantsInstance {
  std::string id;
  std::string arn;
  std::string created_at;
};

struct AccessGrantsLocation {
  std::string id;
  std::string arn;
  std::string scope;  // "s3://bucket/"
  std::string iam_role_arn;
  std::string created_at;
};

struct AccessGrant {
  std::string id;
  std::string arn;
  std::string grantee_type;        // IAM | DIRECTORY_USER | DIRECTORY_GROUP
  std::string grantee_identifier;  // the principal ARN for IAM
  std::string permission;          // READ | WRITE | READWRITE
  std::string location_id;
  std::string sub_prefix;
  std::string grant_scope;  // authoritative joined scope
  std::string application_arn;
  std::string created_at;
};

// What ListCallerAccessGrants tells a contributor about one grant.
struct CallerGrant {
  std::string permission;
  std::string grant_scope;
  std::string application_arn;
};

struct NewAccessGrant {
  std::string location_id;
  std::string sub_prefix;
  std::string grantee_type = "IAM";
  std::string grantee_identifier;
  std::string permission = "READWRITE";
  Tags tags;
};

// Server-side filters of ListAccessGrants; empty fields do not filter.
struct GrantFilter {
  std::string grantee_type;
  std::string grantee_identifier;
  std::string permission;
  std::string grant_scope;
};

struct DataAccessRequest {
  std::string target;      // s3://bucket/prefix/*
  std::string permission;  // READ | WRITE | READWRITE
  std::optional<int> duration_seconds;
  std::string privilege;    // "" (Default) | Default | Minimal
  std::string target_type;  // "" | Object
};

struct DataAccess {
  Credentials credentials;  // temporary; source "s3-access-grants"
  std::string matched_grant_target;
  std::string grantee_type;
  std::string grantee_identifier;
};

class S3ControlClient {
 public:
  S3ControlClient(Session& session, std::string account_id);

  // nullopt when the account has no instance in the region.
  std::optional<AccessGrantsInstance> GetInstance();
  AccessGrantsInstance CreateInstance(const Tags& tags);
  void DeleteInstance();
  // The ARN of the instance that serves `s3_prefix`.
  std::string GetInstanceForPrefix(const std::string& s3_prefix);

  std::optional<std::string> GetResourcePolicy();
  void PutResourcePolicy(const std::string& policy);
  void DeleteResourcePolicy();

  AccessGrantsLocation CreateLocation(const std::string& scope,
                                      const std::string& iam_role_arn,
                                      const Tags& tags);
  // nullopt when no location has this id.
  std::optional<AccessGrantsLocation> GetLocation(const std::string& id);
  AccessGrantsLocation UpdateLocation(const std::string& id,
                                      const std::string& iam_role_arn);
  void DeleteLocation(const std::string& id);
  // Calls `each` for every location, page by page, optionally only those
  // with scope `scope_filter`.
  void ListLocations(const std::string& scope_filter,
                     const std::function<void(AccessGrantsLocation)>& each);

  AccessGrant CreateGrant(const NewAccessGrant& grant);
  // nullopt when no grant has this id.
  std::optional<AccessGrant> GetGrant(const std::string& id);
  void DeleteGrant(const std::string& id);
  // Calls `each` for every grant matching `filter`, page by page.
  void ListGrants(const GrantFilter& filter,
                  const std::function<void(AccessGrant)>& each);

  // The grants of the caller (whoever signs), page by page.
  void ListCallerGrants(const std::string& scope_filter,
                        const std::function<void(CallerGrant)>& each);
  DataAccess GetDataAccess(const DataAccessRequest& request);

  void TagResource(const std::string& arn, const Tags& tags);
  void UntagResource(const std::string& arn,
                     const std::vector<std::string>& keys);
  Tags ListTagsForResource(const std::string& arn);

  const std::string& account_id() const { return account_id_; }

 private:
  Session& session_;
  std::string account_id_;
};

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_S3CONTROL_H_
