#include "aws/sts.h"

#include "aws/error.h"
#include "aws/query_protocol.h"
#include "aws/xml.h"

namespace cytoskel {

CallerIdentity GetCallerIdentity(Session& session) {
  const std::string action = "GetCallerIdentity";
  QueryReply reply =
      QueryCall(session, Service::kSts, action, {}, {.idempotent = true});
  CallerIdentity identity;
  identity.account = RequiredText(reply.result, "Account", action);
  identity.arn = RequiredText(reply.result, "Arn", action);
  identity.user_id = RequiredText(reply.result, "UserId", action);
  return identity;
}

Credentials AssumeRoleWith(Session& session, const Credentials& source,
                           const AssumeRoleRequest& request) {
  const std::string action = "AssumeRole";
  QueryParams params = {
      {"RoleArn", request.role_arn},
      {"RoleSessionName", request.session_name},
      {"DurationSeconds", std::to_string(request.duration_seconds)},
  };
  if (!request.external_id.empty()) {
    params.emplace_back("ExternalId", request.external_id);
  }
  if (!request.mfa_serial.empty()) {
    params.emplace_back("SerialNumber", request.mfa_serial);
    params.emplace_back("TokenCode", request.token_code);
  }
  QueryReply reply = QueryCall(session, Service::kSts, action, params,
                               {.idempotent = true, .credentials = &source});
  pugi::xml_node node = reply.result.child("Credentials");
  Credentials credentials;
  credentials.access_key_id = RequiredText(node, "AccessKeyId", action);
  credentials.secret_access_key = RequiredText(node, "SecretAccessKey", action);
  credentials.session_token = RequiredText(node, "SessionToken", action);
  credentials.expiration = RequiredTimestamp(node, "Expiration", action);
  credentials.source = "assume-role";
  return credentials;
}

}  // namespace cytoskel
