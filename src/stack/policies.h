// The IAM policy documents of a stack, built from its settings, and a
// comparison that ignores what IAM may reorder or reformat.
#ifndef CYTOSKEL_STACK_POLICIES_H_
#define CYTOSKEL_STACK_POLICIES_H_

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "stack/stack.h"

namespace cytoskel {

// The uploaders' managed policy: only the three Access Grants actions a
// contributor needs, on the instance ARN.
nlohmann::json UploaderPolicy(const std::string& instance_arn);

// The location role's trust policy: only the Access Grants service may
// assume it, and only on behalf of this account's instance (the
// confused-deputy conditions aws:SourceAccount and aws:SourceArn).
nlohmann::json LocationRoleTrust(const std::string& account_id,
                                 const std::string& instance_arn);

// The location role's inline policy: object read/write on BUCKET/* and
// ListBucket on the bucket itself (ARNs of `partition`: aws, aws-cn, ...),
// both only for this account and instance.
// The bucket is named exactly: no wildcard reaches a bucket whose name
// merely starts the same way.
nlohmann::json LocationRolePolicy(std::string_view partition,
                                  const std::string& bucket,
                                  const std::string& account_id,
                                  const std::string& instance_arn);

// True when two policy documents mean the same: statement order, action
// order and a single value versus a one-element list do not matter.
// A document that is not JSON never equals anything.
bool SamePolicy(const std::string& left, const nlohmann::json& right);

}  // namespace cytoskel

#endif  // CYTOSKEL_STACK_POLICIES_H_
