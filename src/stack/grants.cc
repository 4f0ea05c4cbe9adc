#include "stack/grants.h"

#include <fmt/format.h>

#include <optional>

#include "aws/error.h"
#include "stack/propagation.h"
#include "stack/users.h"
#include "stack/validate.h"

namespace cytoskel {

namespace {

Error NoSuchGrantError(const StackContext& stack, const std::string& id) {
  return Error::Service(
      "GetAccessGrant", 404, "NoSuchAccessGrantError",
      fmt::format("there is no access grant with ID {}: `cytoskel {} list "
                  "grant` shows them",
                  id, stack.settings().name),
      "");
}

// Who a grant goes to, and whether this account's IAM vouched for it.
struct Grantee {
  std::string arn;
  bool in_account = false;  // GetUser found the user here
};

// The ARN to grant to. An ARN of another account is taken as typed (this
// account's IAM cannot see that user); anything else must be a user here.
Grantee ResolveGrantee(StackContext& stack,
                       const CheckedGrantRequest& request) {
  if (!request.grantee_arn.empty()) {
    std::optional<Arn> arn = ParseArn(request.grantee_arn);
    if (arn && arn->partition != stack.partition()) {
      throw UsageError(fmt::format(
          "{} is an ARN of partition {}, but the stack's region {} is in "
          "partition {}",
          request.grantee_arn, arn->partition, stack.settings().region,
          stack.partition()));
    }
    if (arn && arn->account != stack.account_id()) {
      return {request.grantee_arn, false};
    }
  }
  std::optional<IamUser> user = stack.iam().GetUser(request.grantee_name);
  if (!user) throw NoSuchUserError(request.grantee_name);
  if (!request.grantee_arn.empty() && user->arn != request.grantee_arn) {
    throw UsageError(fmt::format("{} is not the ARN of IAM user {}: that is {}",
                                 request.grantee_arn, user->name, user->arn));
  }
  return {user->arn, true};
}

void RequireLocation(StackContext& stack, const std::string& id) {
  if (stack.s3control().GetLocation(id)) return;
  throw Error::Service(
      "GetAccessGrantsLocation", 404, "NoSuchAccessGrantsLocationError",
      fmt::format("there is no Access Grants location with ID {}: `cytoskel "
                  "{} list location` shows them",
                  id, stack.settings().name),
      "");
}

bool SameGrant(const AccessGrant& grant, const NewAccessGrant& wanted) {
  return grant.grantee_type == wanted.grantee_type &&
         grant.grantee_identifier == wanted.grantee_identifier &&
         grant.location_id == wanted.location_id &&
         grant.sub_prefix == wanted.sub_prefix &&
         grant.permission == wanted.permission;
}

std::optional<AccessGrant> FindGrant(StackContext& stack,
                                     const NewAccessGrant& wanted) {
  std::optional<AccessGrant> found;
  GrantFilter filter;
  filter.grantee_type = wanted.grantee_type;
  filter.grantee_identifier = wanted.grantee_identifier;
  filter.permission = wanted.permission;
  stack.s3control().ListGrants(filter, [&](AccessGrant grant) {
    if (!found && SameGrant(grant, wanted)) found = std::move(grant);
  });
  return found;
}

// CreateAccessGrant, never resent blindly: after a lost answer, or when AWS
// says the grant exists (another admin raced us), the grant is looked up.
CreateGrantResult CreateGrantOnce(StackContext& stack,
                                  const NewAccessGrant& wanted,
                                  const StepCallback& on_step) {
  try {
    return {stack.s3control().CreateGrant(wanted), false};
  } catch (const Error& error) {
    bool exists = error.HasCode({"AccessGrantAlreadyExists"});
    if (error.kind() != ErrorKind::kTransport && !exists) throw;
    if (std::optional<AccessGrant> found = FindGrant(stack, wanted)) {
      return {*found, exists};
    }
    if (exists) throw;
  }
  ReportStep(on_step,
             "CreateAccessGrant got no answer and did not happen: sending it "
             "again");
  return {stack.s3control().CreateGrant(wanted), false};
}

}  // namespace

CheckedGrantRequest CheckGrantRequest(const GrantRequest& request) {
  CheckedGrantRequest checked;
  if (request.grantee.starts_with("arn:")) {
    checked.grantee_name = ValidateUserArn(request.grantee);
    checked.grantee_arn = request.grantee;
  } else {
    ValidateUserName(request.grantee);
    checked.grantee_name = request.grantee;
  }
  ValidateAccessGrantsId(request.location_id, "location id");
  checked.location_id = request.location_id;
  checked.sub_prefix = NormalizeGrantPrefix(request.prefix);
  checked.permission = NormalizePermission(request.permission);
  return checked;
}

CreateGrantResult CreateStackGrant(StackContext& stack,
                                   const CheckedGrantRequest& request,
                                   const StepCallback& on_step) {
  Grantee grantee = ResolveGrantee(stack, request);
  NewAccessGrant wanted;
  wanted.grantee_identifier = grantee.arn;
  RequireLocation(stack, request.location_id);
  wanted.location_id = request.location_id;
  wanted.sub_prefix = request.sub_prefix;
  wanted.permission = request.permission;
  wanted.tags = {kManagedTag};
  if (std::optional<AccessGrant> existing = FindGrant(stack, wanted)) {
    return {*existing, true};
  }
  if (!grantee.in_account) {
    // Nothing says this principal exists: "Invalid Grantee" is then far
    // more likely a typo than IAM catching up, and not worth two minutes.
    return CreateGrantOnce(stack, wanted, on_step);
  }
  return CreateCheckedGrant(stack, wanted, on_step);
}

CreateGrantResult CreateCheckedGrant(StackContext& stack,
                                     const NewAccessGrant& wanted,
                                     const StepCallback& on_step) {
  CreateGrantResult result;
  RetryWhilePropagating(
      stack.session(), {"InvalidRequest"},
      [&] { result = CreateGrantOnce(stack, wanted, on_step); },
      "Invalid Grantee");
  return result;
}

std::vector<AccessGrant> ListStackGrants(StackContext& stack) {
  std::vector<AccessGrant> grants;
  stack.s3control().ListGrants(
      {}, [&](AccessGrant grant) { grants.push_back(std::move(grant)); });
  return grants;
}

std::vector<AccessGrant> GrantsOf(StackContext& stack,
                                  const std::string& principal_arn) {
  std::vector<AccessGrant> grants;
  GrantFilter filter;
  filter.grantee_type = "IAM";
  filter.grantee_identifier = principal_arn;
  try {
    stack.s3control().ListGrants(filter, [&](AccessGrant grant) {
      // The filter is the server's; checked here too, as deleting the
      // wrong grant would cost someone their access.
      if (grant.grantee_type == "IAM" &&
          grant.grantee_identifier == principal_arn) {
        grants.push_back(std::move(grant));
      }
    });
  } catch (const Error& error) {
    if (!error.HasCode({"AccessGrantsInstanceNotExistsError"})) throw;
  }
  return grants;
}

std::vector<AccessGrant> DeleteGrantsOf(StackContext& stack,
                                        const std::string& principal_arn,
                                        const StepCallback& on_step) {
  std::vector<AccessGrant> deleted;
  for (AccessGrant& grant : GrantsOf(stack, principal_arn)) {
    try {
      stack.s3control().DeleteGrant(grant.id);
    } catch (const Error& error) {
      if (!error.HasCode({"NoSuchAccessGrantError"})) throw;
      continue;
    }
    ReportStep(on_step, fmt::format("deleted grant {} ({} on {})", grant.id,
                                    grant.permission, grant.grant_scope));
    deleted.push_back(std::move(grant));
  }
  return deleted;
}

AccessGrant DeleteStackGrant(StackContext& stack, const std::string& grant_id) {
  ValidateAccessGrantsId(grant_id, "grant id");
  std::optional<AccessGrant> grant = stack.s3control().GetGrant(grant_id);
  if (!grant) throw NoSuchGrantError(stack, grant_id);
  try {
    stack.s3control().DeleteGrant(grant_id);
  } catch (const Error& error) {
    if (error.HasCode({"NoSuchAccessGrantError"})) {
      throw NoSuchGrantError(stack, grant_id);
    }
    throw;
  }
  return *grant;
}

std::string GranteeUserName(const AccessGrant& grant) {
  if (grant.grantee_type != "IAM") return "";
  std::optional<Arn> arn = ParseArn(grant.grantee_identifier);
  if (!arn || arn->service != "iam" || !arn->resource.starts_with("user/")) {
    return "";
  }
  return arn->resource.substr(arn->resource.rfind('/') + 1);
}

}  // namespace cytoskel
