// AWS partitions: the separate AWS worlds (commercial, China, GovCloud)
// that differ in DNS suffix, IAM endpoint and the partition field of every
// ARN. Facts from botocore's endpoints.json.
#ifndef CYTOSKEL_AWS_PARTITION_H_
#define CYTOSKEL_AWS_PARTITION_H_

#include <string_view>

namespace cytoskel {

struct Partition {
  std::string_view name;        // the ARN field: aws, aws-cn, aws-us-gov
  std::string_view dns_suffix;  // amazonaws.com, amazonaws.com.cn
  // IAM is one global endpoint per partition, signed for one region.
  std::string_view iam_host;
  std::string_view iam_region;
};

// The partition of `region`: cn-* is aws-cn, us-gov-* is aws-us-gov, and
// every other name (and "") is aws, as botocore falls back to it. Throws
// ConfigError for the isolated partitions (us-iso-*, us-isob-*,
// us-isof-*, eu-isoe-*, eusc-*), which cytoskel does not support.
const Partition& PartitionOf(std::string_view region);

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_PARTITION_H_
