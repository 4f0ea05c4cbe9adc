#include "stack/teardown.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "aws/error.h"
#include "stack/propagation.h"

namespace cytoskel {

namespace {

// The codes that mean "already gone": a step that meets one has nothing to
// do.
bool AlreadyGone(const Error& error) {
  static const std::set<std::string> codes = {
      "NoSuchEntity",
      "NoSuchAccessGrantError",
      "NoSuchAccessGrantsLocationError",
      "AccessGrantsInstanceNotExistsError",
      "NoSuchBucket",
      "NotFound",
  };
  return error.kind() == ErrorKind::kService && codes.contains(error.code());
}

// A location whose grants were just deleted may still look busy for a few
// seconds.
void DeleteLocation(StackContext& stack, const std::string& id) {
  RetryWhilePropagating(stack.session(), {"AccessGrantsLocationNotEmptyError"},
                        [&] { stack.s3control().DeleteLocation(id); });
}

// Reads the account and appends the steps. The steps' functions hold only
// a pointer to the StackContext, which outlives the plan.
class Planner {
 public:
  Planner(StackContext& stack, TeardownPlan& plan)
      : stack_(stack), plan_(plan) {}

  void AccessGrants() {
    if (!stack_.s3control().GetInstance()) return;
    std::set<std::string> ours;
    size_t others = 0;
    std::string scope = stack_.location_scope();
    stack_.s3control().ListLocations("", [&](AccessGrantsLocation location) {
      if (location.scope == scope || location.scope + "/" == scope) {
        ours.insert(location.id);
      } else {
        ++others;
      }
    });
    stack_.s3control().ListGrants({}, [&](AccessGrant grant) {
      if (!ours.contains(grant.location_id)) return;
      Add("delete", "grant", grant.id + " (" + grant.grant_scope + ")",
          [stack = &stack_, id = grant.id] {
            stack->s3control().DeleteGrant(id);
          });
    });
    for (const std::string& id : ours) {
      Add("delete", "location", id,
          [stack = &stack_, id] { DeleteLocation(*stack, id); });
    }
    if (others > 0) {
      plan_.kept.push_back(fmt::format(
          "the Access Grants instance: {} location(s) of other buckets "
          "still use it",
          others));
      return;
    }
    Add("delete", "access grants instance", "default",
        [stack = &stack_] { stack->s3control().DeleteInstance(); });
  }

  void Group() {
    const std::string& group = stack_.settings().group;
    auto members = stack_.iam().GetGroup(group);
    if (!members) return;
    for (const IamUser& user : members->users) {
      Add("remove", "member", user.name + " from group " + group,
          [stack = &stack_, group, name = user.name] {
            stack->iam().RemoveUserFromGroup(group, name);
          });
    }
    for (const AttachedPolicy& policy :
         stack_.iam().ListAttachedGroupPolicies(group)) {
      Add("detach", "policy", policy.policy_name + " from group " + group,
          [stack = &stack_, group, arn = policy.policy_arn] {
            stack->iam().DetachGroupPolicy(group, arn);
          });
    }
    Add("delete", "group", group,
        [stack = &stack_, group] { stack->iam().DeleteGroup(group); });
  }

  void Policy() {
    std::string arn = stack_.IamArn("policy/" + stack_.settings().policy);
    auto policy = stack_.iam().GetPolicy(arn);
    if (!policy) return;
    PolicyEntities entities = stack_.iam().ListEntitiesForPolicy(arn);
    for (const std::string& user : entities.user_names) {
      Add("detach", "policy", policy->name + " from user " + user,
          [stack = &stack_, arn, user] {
            stack->iam().DetachUserPolicy(user, arn);
          });
    }
    for (const std::string& role : entities.role_names) {
      Add("detach", "policy", policy->name + " from role " + role,
          [stack = &stack_, arn, role] {
            stack->iam().DetachRolePolicy(role, arn);
          });
    }
    for (const std::string& group : entities.group_names) {
      if (group == stack_.settings().group) continue;  // planned above
      Add("detach", "policy", policy->name + " from group " + group,
          [stack = &stack_, arn, group] {
            stack->iam().DetachGroupPolicy(group, arn);
          });
    }
    for (const PolicyVersion& version : stack_.iam().ListPolicyVersions(arn)) {
      if (version.version_id == policy->default_version_id) continue;
      Add("delete", "policy version", policy->name + " " + version.version_id,
          [stack = &stack_, arn, id = version.version_id] {
            stack->iam().DeletePolicyVersion(arn, id);
          });
    }
    Add("delete", "policy", policy->name,
        [stack = &stack_, arn] { stack->iam().DeletePolicy(arn); });
  }

  void Role() {
    const std::string& role = stack_.settings().role;
    if (!stack_.iam().GetRole(role)) return;
    for (const std::string& name : stack_.iam().ListRolePolicies(role)) {
      Add("delete", "role policy", name + " of role " + role,
          [stack = &stack_, role, name] {
            stack->iam().DeleteRolePolicy(role, name);
          });
    }
    for (const AttachedPolicy& policy :
         stack_.iam().ListAttachedRolePolicies(role)) {
      Add("detach", "policy", policy.policy_name + " from role " + role,
          [stack = &stack_, role, arn = policy.policy_arn] {
            stack->iam().DetachRolePolicy(role, arn);
          });
    }
    Add("delete", "role", role,
        [stack = &stack_, role] { stack->iam().DeleteRole(role); });
  }

  void Bucket(bool delete_bucket) {
    const std::string& bucket = stack_.settings().bucket;
    if (!delete_bucket) {
      plan_.kept.push_back("bucket " + bucket +
                           " (pass --delete-bucket to delete it when empty)");
      return;
    }
    if (stack_.s3().HeadBucket(bucket, stack_.account_id()) !=
        BucketAccess::kOwned) {
      return;
    }
    if (!stack_.s3().IsBucketEmpty(bucket)) {
      throw UsageError("bucket " + bucket +
                       " holds objects: cytoskel never deletes data; empty "
                       "it first or leave out --delete-bucket");
    }
    Add("delete", "bucket", bucket,
        [stack = &stack_, bucket] { stack->s3().DeleteBucket(bucket); });
  }

 private:
  void Add(std::string action, std::string kind, std::string name,
           std::function<void()> run) {
    plan_.steps.push_back(
        {std::move(action), std::move(kind), std::move(name), std::move(run)});
  }

  StackContext& stack_;
  TeardownPlan& plan_;
};

}  // namespace

TeardownPlan PlanTeardown(StackContext& stack, bool delete_bucket) {
  TeardownPlan plan;
  Planner planner(stack, plan);
  planner.Bucket(delete_bucket);  // first: refuse before planning the rest
  std::vector<TeardownStep> bucket_steps = std::move(plan.steps);
  plan.steps.clear();
  planner.AccessGrants();
  planner.Group();
  planner.Policy();
  planner.Role();
  for (auto& step : bucket_steps) plan.steps.push_back(std::move(step));
  return plan;
}

void RunTeardown(const TeardownPlan& plan,
                 const std::function<void(const TeardownStep&)>& done) {
  for (const TeardownStep& step : plan.steps) {
    try {
      step.run();
    } catch (const Error& error) {
      if (!AlreadyGone(error)) throw;
    }
    done(step);
  }
}

}  // namespace cytoskel
