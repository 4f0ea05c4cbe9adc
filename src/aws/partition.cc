#include "aws/partition.h"

#include <fmt/format.h>

#include <array>

#include "aws/error.h"

namespace cytoskel {

namespace {

constexpr Partition kAws = {"aws", "amazonaws.com", "iam.amazonaws.com",
                            "us-east-1"};
constexpr Partition kAwsCn = {"aws-cn", "amazonaws.com.cn",
                              "iam.cn-north-1.amazonaws.com.cn", "cn-north-1"};
constexpr Partition kAwsUsGov = {"aws-us-gov", "amazonaws.com",
                                 "iam.us-gov.amazonaws.com", "us-gov-west-1"};

// Region prefixes of partitions with no public endpoints cytoskel knows.
constexpr std::array<std::string_view, 5> kIsolated = {
    "us-iso-", "us-isob-", "us-isof-", "eu-isoe-", "eusc-"};

}  // namespace

const Partition& PartitionOf(std::string_view region) {
  if (region.starts_with("cn-")) return kAwsCn;
  if (region.starts_with("us-gov-")) return kAwsUsGov;
  for (std::string_view prefix : kIsolated) {
    if (region.starts_with(prefix)) {
      throw ConfigError(fmt::format(
          "region {} is in an isolated AWS partition, which cytoskel does "
          "not support",
          region));
    }
  }
  return kAws;
}

}  // namespace cytoskel
