// `destroy` as a plan: read what the stack made, list the deletions in an
// order AWS accepts (grants, locations, instance; group members, group,
// policy, role; bucket last), then run them. Every step tolerates its
// target being gone already, so a rerun finishes an interrupted destroy.
#ifndef CYTOSKEL_STACK_TEARDOWN_H_
#define CYTOSKEL_STACK_TEARDOWN_H_

#include <functional>
#include <string>
#include <vector>

#include "stack/stack.h"

namespace cytoskel {

struct TeardownStep {
  std::string action;  // "delete", "remove", "detach"
  std::string kind;    // "grant", "location", "member", ...
  std::string name;
  std::function<void()> run;
};

struct TeardownPlan {
  std::vector<TeardownStep> steps;
  // Things deliberately left in place, in plain words.
  std::vector<std::string> kept;
};

// Reads the account and plans the teardown. With `delete_bucket`, an empty
// bucket is deleted last; a bucket holding objects makes this throw a usage
// Error before anything is changed.
TeardownPlan PlanTeardown(StackContext& stack, bool delete_bucket);

// Runs the steps in order, calling `done` after each.
void RunTeardown(const TeardownPlan& plan,
                 const std::function<void(const TeardownStep&)>& done);

}  // namespace cytoskel

#endif  // CYTOSKEL_STACK_TEARDOWN_H_
