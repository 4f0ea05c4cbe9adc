// An AWS resource tag, as IAM and S3 Control both use them.
#ifndef CYTOSKEL_AWS_TAG_H_
#define CYTOSKEL_AWS_TAG_H_

#include <string>
#include <vector>

namespace cytoskel {

struct Tag {
  std::string key;
  std::string value;
  bool operator==(const Tag&) const = default;
};

using Tags = std::vector<Tag>;

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_TAG_H_
