#include "stack/policies.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace cytoskel {

namespace {

using nlohmann::json;

constexpr const char* kVersion = "2012-10-17";

json InstanceConditions(const std::string& account_id,
                        const std::string& instance_arn) {
  return {{"StringEquals", {{"aws:ResourceAccount", account_id}}},
          {"ArnEquals", {{"s3:AccessGrantsInstanceArn", instance_arn}}}};
}

// Lists are compared as sets, and a lone string as a list of one, since
// IAM treats them so.
json Canonical(const json& value) {
  if (value.is_object()) {
    json result = json::object();
    for (const auto& [key, item] : value.items()) {
      result[key] = Canonical(item);
    }
    return result;
  }
  json list = value.is_array() ? value : json::array({value});
  std::vector<json> items;
  for (const auto& item : list) {
    items.push_back(item.is_object() ? Canonical(item) : item);
  }
  std::sort(items.begin(), items.end(),
            [](const json& a, const json& b) { return a.dump() < b.dump(); });
  return items;
}

}  // namespace

json UploaderPolicy(const std::string& instance_arn) {
  return {{"Version", kVersion},
          {"Statement",
           {{{"Sid", "AccessGrantsForUploaders"},
             {"Effect", "Allow"},
             {"Action",
              {"s3:GetDataAccess", "s3:ListCallerAccessGrants",
               "s3:GetAccessGrantsInstanceForPrefix"}},
             {"Resource", instance_arn}}}}};
}

json LocationRoleTrust(const std::string& account_id,
                       const std::string& instance_arn) {
  return {{"Version", kVersion},
          {"Statement",
           {{{"Sid", "AccessGrantsAssumesThisRole"},
             {"Effect", "Allow"},
             {"Principal", {{"Service", "access-grants.s3.amazonaws.com"}}},
             {"Action",
              {"sts:AssumeRole", "sts:SetSourceIdentity", "sts:SetContext"}},
             {"Condition",
              {{"StringEquals", {{"aws:SourceAccount", account_id}}},
               {"ArnEquals", {{"aws:SourceArn", instance_arn}}}}}}}}};
}

json LocationRolePolicy(std::string_view partition, const std::string& bucket,
                        const std::string& account_id,
                        const std::string& instance_arn) {
  json conditions = InstanceConditions(account_id, instance_arn);
  const std::string bucket_arn =
      fmt::format("arn:{}:s3:::{}", partition, bucket);
  return {{"Version", kVersion},
          {"Statement",
           {{{"Sid", "ObjectReadWrite"},
             {"Effect", "Allow"},
             {"Action",
              {"s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAcl",
               "s3:GetObjectVersionAcl", "s3:ListMultipartUploadParts",
               "s3:PutObject", "s3:PutObjectAcl", "s3:PutObjectVersionAcl",
               "s3:DeleteObject", "s3:DeleteObjectVersion",
               "s3:AbortMultipartUpload"}},
             {"Resource", bucket_arn + "/*"},
             {"Condition", conditions}},
            {{"Sid", "ListBucket"},
             {"Effect", "Allow"},
             {"Action", "s3:ListBucket"},
             {"Resource", bucket_arn},
             {"Condition", conditions}}}}};
}

bool SamePolicy(const std::string& left, const json& right) {
  json parsed = json::parse(left, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return false;
  return Canonical(parsed) == Canonical(right);
}

}  // namespace cytoskel
