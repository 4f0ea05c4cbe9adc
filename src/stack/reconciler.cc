#include "stack/reconciler.h"

#include <fmt/format.h>

#include <algorithm>

#include "aws/error.h"
#include "stack/policies.h"
#include "stack/propagation.h"

namespace cytoskel {

namespace {

bool HasTag(const Tags& tags, const Tag& wanted) {
  return std::find(tags.begin(), tags.end(), wanted) != tags.end();
}

ResourcePlan PlanFor(std::string kind, std::string name,
                     std::vector<std::string> differences) {
  ResourcePlan plan{std::move(kind), std::move(name), Change::kUnchanged,
                    std::move(differences)};
  if (!plan.differences.empty()) plan.change = Change::kUpdate;
  return plan;
}

ResourcePlan Missing(std::string kind, std::string name) {
  return {std::move(kind), std::move(name), Change::kCreate, {}};
}

bool Differs(const ResourcePlan& plan, std::string_view fragment) {
  return plan.change == Change::kCreate ||
         std::any_of(plan.differences.begin(), plan.differences.end(),
                     [&](const std::string& difference) {
                       return difference.find(fragment) != std::string::npos;
                     });
}

// The bucket: public access blocked, default encryption, and
// bucket-owner-enforced object ownership.
class BucketResource : public Resource {
 public:
  explicit BucketResource(StackContext& stack) : stack_(stack) {}

  ResourcePlan Inspect() override {
    const std::string& bucket = stack_.settings().bucket;
    BucketAccess access = stack_.s3().HeadBucket(bucket, stack_.account_id());
    if (access == BucketAccess::kNotFound) return Missing("bucket", bucket);
    if (access == BucketAccess::kForbidden) {
      throw Error(ErrorKind::kService,
                  fmt::format("bucket {} exists but is not this account's "
                              "(or these credentials cannot reach it)",
                              bucket));
    }
    std::vector<std::string> differences;
    auto block = stack_.s3().GetPublicAccessBlock(bucket);
    if (!block || !block->AllBlocked()) {
      differences.push_back("public access is not fully blocked");
    }
    if (!stack_.s3().GetBucketEncryption(bucket)) {
      differences.push_back("default encryption is off");
    }
    auto ownership = stack_.s3().GetBucketOwnershipControls(bucket);
    if (!ownership || *ownership != "BucketOwnerEnforced") {
      differences.push_back("object ownership is not BucketOwnerEnforced");
    }
    return PlanFor("bucket", bucket, differences);
  }

  void Apply(const ResourcePlan& plan) override {
    const std::string& bucket = stack_.settings().bucket;
    if (plan.change == Change::kCreate) stack_.s3().CreateBucket(bucket);
    if (Differs(plan, "public access")) {
      stack_.s3().PutPublicAccessBlock(bucket);
    }
    if (Differs(plan, "encryption")) stack_.s3().PutBucketEncryption(bucket);
    if (Differs(plan, "ownership")) {
      stack_.s3().PutBucketOwnershipControls(bucket);
    }
  }

 private:
  StackContext& stack_;
};

// The account's one Access Grants instance in the region.
class InstanceResource : public Resource {
 public:
  InstanceResource(StackContext& stack, StackFacts& facts)
      : stack_(stack), facts_(facts) {}

  ResourcePlan Inspect() override {
    auto instance = stack_.s3control().GetInstance();
    facts_.instance_exists = instance.has_value();
    if (!instance) return Missing("access grants instance", "default");
    std::vector<std::string> differences;
    if (!HasTag(stack_.s3control().ListTagsForResource(instance->arn),
                kManagedTag)) {
      differences.push_back("it is not tagged managed-by=cytoskel");
    }
    return PlanFor("access grants instance", "default", differences);
  }

  void Apply(const ResourcePlan& plan) override {
    if (plan.change == Change::kCreate) {
      stack_.s3control().CreateInstance({kManagedTag});
    } else {
      stack_.s3control().TagResource(stack_.instance_arn(), {kManagedTag});
    }
    facts_.instance_exists = true;
  }

 private:
  StackContext& stack_;
  StackFacts& facts_;
};

// The managed policy that lets uploaders ask Access Grants for credentials.
class PolicyResource : public Resource {
 public:
  PolicyResource(StackContext& stack, StackFacts& facts)
      : stack_(stack), facts_(facts) {}

  ResourcePlan Inspect() override {
    const std::string& name = stack_.settings().policy;
    facts_.policy_arn = stack_.IamArn("policy/" + name);
    auto policy = stack_.iam().GetPolicy(facts_.policy_arn);
    if (!policy) return Missing("policy", name);
    default_version_id_ = policy->default_version_id;
    auto version = stack_.iam().GetPolicyVersion(facts_.policy_arn,
                                                 policy->default_version_id);
    std::vector<std::string> differences;
    if (!version || !SamePolicy(version->document, Desired())) {
      differences.push_back(
          "its document is not the stack's (the three Access Grants actions "
          "on the instance)");
    }
    return PlanFor("policy", name, differences);
  }

  void Apply(const ResourcePlan& plan) override {
    std::string document = Desired().dump();
    if (plan.change == Change::kCreate) {
      NewPolicy policy;
      policy.name = stack_.settings().policy;
      policy.document = document;
      policy.description =
          "Lets cytoskel uploaders get scoped credentials from S3 Access "
          "Grants";
      policy.tags = {kManagedTag};
      facts_.policy_arn = stack_.iam().CreatePolicy(policy).arn;
      return;
    }
    MakeRoomForVersion();
    stack_.iam().CreatePolicyVersion(facts_.policy_arn, document);
  }

 private:
  nlohmann::json Desired() { return UploaderPolicy(stack_.instance_arn()); }

  // IAM keeps at most five versions: drop the oldest non-default one.
  void MakeRoomForVersion() {
    auto versions = stack_.iam().ListPolicyVersions(facts_.policy_arn);
    if (versions.size() < 5) return;
    std::erase_if(versions, [&](const PolicyVersion& version) {
      return version.version_id == default_version_id_;
    });
    auto oldest = std::min_element(versions.begin(), versions.end(),
                                   [](const auto& a, const auto& b) {
                                     return a.create_date < b.create_date;
                                   });
    if (oldest != versions.end()) {
      stack_.iam().DeletePolicyVersion(facts_.policy_arn, oldest->version_id);
    }
  }

  StackContext& stack_;
  StackFacts& facts_;
  std::string default_version_id_;
};

// The uploader group, with the policy attached.
class GroupResource : public Resource {
 public:
  GroupResource(StackContext& stack, StackFacts& facts)
      : stack_(stack), facts_(facts) {}

  ResourcePlan Inspect() override {
    const std::string& group = stack_.settings().group;
    if (!stack_.iam().GetGroup(group)) return Missing("group", group);
    auto attached = stack_.iam().ListAttachedGroupPolicies(group);
    bool attached_ok = std::any_of(
        attached.begin(), attached.end(),
        [&](const auto& p) { return p.policy_arn == facts_.policy_arn; });
    std::vector<std::string> differences;
    if (!attached_ok) {
      differences.push_back(fmt::format(
          "policy {} is not attached to group {}; `up` will reattach it",
          stack_.settings().policy, group));
    }
    return PlanFor("group", group, differences);
  }

  void Apply(const ResourcePlan& plan) override {
    const std::string& group = stack_.settings().group;
    if (plan.change == Change::kCreate) stack_.iam().CreateGroup(group);
    stack_.iam().AttachGroupPolicy(group, facts_.policy_arn);
  }

 private:
  StackContext& stack_;
  StackFacts& facts_;
};

// The role Access Grants assumes to mint contributors' credentials.
class RoleResource : public Resource {
 public:
  RoleResource(StackContext& stack, StackFacts& facts)
      : stack_(stack), facts_(facts) {}

  ResourcePlan Inspect() override {
    const StackSettings& settings = stack_.settings();
    auto role = stack_.iam().GetRole(settings.role);
    if (!role) return Missing("role", settings.role);
    facts_.role_arn = role->arn;
    std::vector<std::string> differences;
    if (!SamePolicy(role->assume_role_policy_document, Trust())) {
      differences.push_back(
          "its trust policy is not the stack's (only "
          "access-grants.s3.amazonaws.com, for this account and instance)");
    }
    if (role->max_session_duration != settings.max_session_seconds) {
      differences.push_back(fmt::format("its max session is {} s, not {} s",
                                        role->max_session_duration,
                                        settings.max_session_seconds));
    }
    auto inline_policy =
        stack_.iam().GetRolePolicy(settings.role, settings.role_policy);
    if (!inline_policy || !SamePolicy(*inline_policy, Permissions())) {
      differences.push_back(fmt::format(
          "its inline policy {} is missing or not the stack's (object "
          "access to exactly arn:{}:s3:::{}/*)",
          settings.role_policy, stack_.partition(), settings.bucket));
    }
    return PlanFor("role", settings.role, differences);
  }

  void Apply(const ResourcePlan& plan) override {
    const StackSettings& settings = stack_.settings();
    if (plan.change == Change::kCreate) {
      NewRole role;
      role.name = settings.role;
      role.assume_role_policy_document = Trust().dump();
      role.max_session_duration = settings.max_session_seconds;
      role.description =
          "Assumed by S3 Access Grants for stack " + settings.name;
      role.tags = {kManagedTag};
      facts_.role_arn = stack_.iam().CreateRole(role).arn;
    } else {
      if (Differs(plan, "trust policy")) {
        stack_.iam().UpdateAssumeRolePolicy(settings.role, Trust().dump());
      }
      if (Differs(plan, "max session")) {
        stack_.iam().UpdateRole(settings.role, settings.max_session_seconds);
      }
    }
    if (Differs(plan, "inline policy")) {
      stack_.iam().PutRolePolicy(settings.role, settings.role_policy,
                                 Permissions().dump());
    }
  }

 private:
  nlohmann::json Trust() {
    return LocationRoleTrust(stack_.account_id(), stack_.instance_arn());
  }
  nlohmann::json Permissions() {
    return LocationRolePolicy(stack_.partition(), stack_.settings().bucket,
                              stack_.account_id(), stack_.instance_arn());
  }

  StackContext& stack_;
  StackFacts& facts_;
};

// The Access Grants location for the whole bucket, through the role.
class LocationResource : public Resource {
 public:
  LocationResource(StackContext& stack, StackFacts& facts)
      : stack_(stack), facts_(facts) {}

  ResourcePlan Inspect() override {
    std::string scope = stack_.location_scope();
    location_.reset();
    if (!facts_.instance_exists) return Missing("location", scope);
    stack_.s3control().ListLocations("", [&](AccessGrantsLocation found) {
      // The first version registered "s3://BUCKET/"; adopt "s3://BUCKET"
      // too, which names the same place.
      if (!location_ && (found.scope == scope || found.scope + "/" == scope)) {
        location_ = std::move(found);
      }
    });
    if (!location_) return Missing("location", scope);
    std::vector<std::string> differences;
    if (location_->iam_role_arn != RoleArn()) {
      differences.push_back(fmt::format("it uses role {}, not {}",
                                        location_->iam_role_arn, RoleArn()));
    }
    return PlanFor("location", scope, differences);
  }

  void Apply(const ResourcePlan& plan) override {
    // A role made seconds ago may not be visible to Access Grants yet.
    RetryWhilePropagating(
        stack_.session(), {"InvalidIamRole", "StsNotAuthorizedError"}, [&] {
          if (plan.change == Change::kCreate) {
            stack_.s3control().CreateLocation(stack_.location_scope(),
                                              RoleArn(), {kManagedTag});
          } else {
            stack_.s3control().UpdateLocation(location_->id, RoleArn());
          }
        });
  }

 private:
  std::string RoleArn() const {
    if (!facts_.role_arn.empty()) return facts_.role_arn;
    return stack_.IamArn("role/" + stack_.settings().role);
  }

  StackContext& stack_;
  StackFacts& facts_;
  std::optional<AccessGrantsLocation> location_;
};

}  // namespace

const char* ChangeName(Change change) {
  switch (change) {
    case Change::kCreate:
      return "create";
    case Change::kUpdate:
      return "update";
    case Change::kDelete:
      return "delete";
    case Change::kUnchanged:
      return "unchanged";
  }
  return "unchanged";
}

const char* ChangePastTense(Change change) {
  switch (change) {
    case Change::kCreate:
      return "created";
    case Change::kUpdate:
      return "updated";
    case Change::kDelete:
      return "deleted";
    case Change::kUnchanged:
      break;
  }
  return "kept";
}

std::vector<std::unique_ptr<Resource>> StackResources(StackContext& stack,
                                                      StackFacts& facts) {
  std::vector<std::unique_ptr<Resource>> resources;
  resources.push_back(std::make_unique<BucketResource>(stack));
  resources.push_back(std::make_unique<InstanceResource>(stack, facts));
  resources.push_back(std::make_unique<PolicyResource>(stack, facts));
  resources.push_back(std::make_unique<GroupResource>(stack, facts));
  resources.push_back(std::make_unique<RoleResource>(stack, facts));
  resources.push_back(std::make_unique<LocationResource>(stack, facts));
  return resources;
}

Reconciler::Reconciler(StackContext& stack)
    : stack_(stack), resources_(StackResources(stack, facts_)) {}

std::vector<ResourcePlan> Reconciler::Plan() {
  std::vector<ResourcePlan> plan;
  for (auto& resource : resources_) plan.push_back(resource->Inspect());
  return plan;
}

void Reconciler::Apply(
    const std::vector<ResourcePlan>& plan,
    const std::function<void(const ResourcePlan&)>& applied) {
  for (size_t i = 0; i < resources_.size() && i < plan.size(); ++i) {
    if (plan[i].change == Change::kUnchanged) continue;
    try {
      resources_[i]->Apply(plan[i]);
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::kTransport) throw;
      // The answer was lost: the change may or may not have happened.
      ResourcePlan again = resources_[i]->Inspect();
      if (again.change != Change::kUnchanged) resources_[i]->Apply(again);
    }
    applied(plan[i]);
  }
}

}  // namespace cytoskel
