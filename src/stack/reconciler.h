// `up` as desired state, plan, apply. Each resource of the stack reads its
// live state, says how it differs from what the stack wants, and converges
// it. There is no state file: any admin on any machine gets the same plan.
#ifndef CYTOSKEL_STACK_RECONCILER_H_
#define CYTOSKEL_STACK_RECONCILER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "stack/stack.h"

namespace cytoskel {

enum class Change { kUnchanged, kCreate, kUpdate, kDelete };

// "create", "update", "unchanged", "delete".
const char* ChangeName(Change change);

// "created", "updated", "kept", "deleted": how a report says it happened.
const char* ChangePastTense(Change change);

// One resource's line of a plan.
struct ResourcePlan {
  std::string kind;  // "bucket", "role", ...
  std::string name;
  Change change = Change::kUnchanged;
  // What differs, in plain words, one entry per difference.
  std::vector<std::string> differences;
};

// What later resources learn from earlier ones while planning and
// applying, in dependency order.
struct StackFacts {
  bool instance_exists = false;
  std::string policy_arn;
  std::string role_arn;
};

class Resource {
 public:
  virtual ~Resource() = default;
  // Reads the live state and says what Apply would change. Reads only.
  virtual ResourcePlan Inspect() = 0;
  // Makes the live state match `plan` (the result of Inspect). Safe to run
  // again after an interruption.
  virtual void Apply(const ResourcePlan& plan) = 0;
};

// The stack's resources in dependency order: bucket, Access Grants
// instance, uploader policy, uploader group, location role, location.
std::vector<std::unique_ptr<Resource>> StackResources(StackContext& stack,
                                                      StackFacts& facts);

class Reconciler {
 public:
  explicit Reconciler(StackContext& stack);

  // Inspects every resource, in order.
  std::vector<ResourcePlan> Plan();

  // Applies every change of `plan` (from Plan()), in order, calling
  // `applied` after each one. A create whose answer was lost is not sent
  // again blindly: the resource is inspected once more and only what is
  // still missing is applied.
  void Apply(const std::vector<ResourcePlan>& plan,
             const std::function<void(const ResourcePlan&)>& applied);

 private:
  StackContext& stack_;
  StackFacts facts_;
  std::vector<std::unique_ptr<Resource>> resources_;
};

}  // namespace cytoskel

#endif  // CYTOSKEL_STACK_RECONCILER_H_
