#include "contributor/scoped_credentials.h"

#include <fmt/format.h>

#include <cctype>

#include "aws/error.h"
#include "aws/sts.h"
#include "stack/validate.h"

namespace cytoskel {

namespace {

constexpr int kMinDuration = 900;
constexpr int kMaxDuration = 43200;

std::string NormalizeTarget(const std::string& target) {
  std::string_view rest(target);
  if (!rest.starts_with("s3://") || rest.size() > 2048) {
    throw UsageError("target '" + target.substr(0, 80) +
                     "' must be an S3 URI such as s3://BUCKET/PREFIX/*");
  }
  rest.remove_prefix(5);
  if (rest.empty() || rest.front() == '/') {
    throw UsageError("target '" + target + "' names no bucket");
  }
  for (char c : rest) {
    if (!std::isprint(static_cast<unsigned char>(c))) {
      throw UsageError("target holds a control character");
    }
  }
  // "s3://bucket/folder/" means the folder, as a grant scope writes it.
  return target.ends_with("/") && rest.find('/') != std::string_view::npos
             ? target + "*"
             : target;
}

std::string NormalizePrivilege(const std::string& privilege) {
  std::string lower;
  for (char c : privilege) {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (lower == "default") return "Default";
  if (lower == "minimal") return "Minimal";
  throw UsageError("--privilege must be Default or Minimal, not '" +
                   privilege.substr(0, 40) + "'");
}

std::string DescribeGrants(const std::vector<CallerGrant>& grants) {
  if (grants.empty()) return "you have no grants";
  std::string text = "you can reach: ";
  for (size_t i = 0; i < grants.size(); ++i) {
    text += (i == 0 ? "" : ", ") + grants[i].grant_scope + " (" +
            grants[i].permission + ")";
  }
  return text;
}

// Picks the target from the caller's grants when none was given.
CallerGrant OnlyGrant(const std::vector<CallerGrant>& grants) {
  if (grants.size() == 1) return grants.front();
  if (grants.empty()) {
    throw UsageError(
        "you have no S3 Access Grants: ask the bucket's admin for one");
  }
  throw UsageError("you hold " + std::to_string(grants.size()) +
                   " grants; choose one with --target (" +
                   DescribeGrants(grants) + ")");
}

// Turns the refusals a contributor meets into plain words.
Error ExplainRefusal(const Error& error, S3ControlClient& client,
                     const std::string& target, const std::string& permission) {
  if (error.kind() != ErrorKind::kService) return error;
  if (error.code() == "AccessDenied") {
    std::vector<CallerGrant> grants;
    try {
      client.ListCallerGrants(
          "", [&](CallerGrant grant) { grants.push_back(std::move(grant)); });
    } catch (const Error&) {
      return error;  // the key cannot even list grants: keep AWS's words
    }
    return Error(ErrorKind::kService,
                 fmt::format("no grant of yours covers {} for {}; {}", target,
                             permission, DescribeGrants(grants)));
  }
  if (error.code() == "StsValidationError") {
    return Error(ErrorKind::kService,
                 "the requested --duration is longer than the location "
                 "allows (its role's maximum session): ask for less");
  }
  return error;
}

}  // namespace

ScopedRequest NormalizeRequest(ScopedRequest request) {
  if (!request.target.empty()) {
    request.target = NormalizeTarget(request.target);
  }
  if (!request.permission.empty()) {
    request.permission = NormalizePermission(request.permission);
  }
  if (request.duration_seconds && (*request.duration_seconds < kMinDuration ||
                                   *request.duration_seconds > kMaxDuration)) {
    throw UsageError(fmt::format(
        "--duration must be from {} to {} seconds (15 minutes to 12 hours)",
        kMinDuration, kMaxDuration));
  }
  if (!request.privilege.empty()) {
    request.privilege = NormalizePrivilege(request.privilege);
  }
  return request;
}

std::vector<CallerGrant> ListMyGrants(Session& session,
                                      std::string* account_id) {
  *account_id = GetCallerIdentity(session).account;
  S3ControlClient client(session, *account_id);
  std::vector<CallerGrant> grants;
  client.ListCallerGrants(
      "", [&](CallerGrant grant) { grants.push_back(std::move(grant)); });
  return grants;
}

ScopedCredentials GetScopedCredentials(Session& session,
                                       const ScopedRequest& request,
                                       const CredentialCache* cache) {
  CacheKey key{session.GetCredentials().access_key_id, request.target,
               request.permission, request.privilege,
               request.duration_seconds.value_or(0)};
  if (cache != nullptr) {
    if (auto hit = cache->Load(key, session.SigningTime())) {
      session.Debug("credentials: served from the cache");
      return *hit;
    }
  }

  ScopedCredentials value;
  value.target = request.target;
  value.permission = request.permission;
  if (value.target.empty()) {
    CallerGrant grant = OnlyGrant(ListMyGrants(session, &value.account_id));
    value.target = grant.grant_scope;
    if (value.permission.empty()) value.permission = grant.permission;
  } else {
    value.account_id = GetCallerIdentity(session).account;
  }
  if (value.permission.empty()) value.permission = "READWRITE";

  S3ControlClient client(session, value.account_id);
  DataAccessRequest access{value.target, value.permission,
                           request.duration_seconds, request.privilege, ""};
  try {
    DataAccess granted = client.GetDataAccess(access);
    value.credentials = granted.credentials;
    value.matched_grant_target = granted.matched_grant_target;
  } catch (const Error& error) {
    throw ExplainRefusal(error, client, value.target, value.permission);
  }
  if (cache != nullptr) cache->Store(key, value);
  return value;
}

}  // namespace cytoskel
