// Regressions for validator defects found by fuzz/validators_fuzzer.cc.
#include <gtest/gtest.h>

#include <string>

#include "aws/error.h"
#include "stack/validate.h"

namespace cytoskel {
namespace {

// A 1023-character prefix normalized to 1025 characters ("folder/*"),
// which NormalizeGrantPrefix itself then refused.
TEST(ValidateRegressionsTest, ANormalizedPrefixIsAcceptedAgain) {
  std::string longest(1022, 'a');
  EXPECT_EQ(NormalizeGrantPrefix(longest), longest + "/*");
  EXPECT_EQ(NormalizeGrantPrefix(longest + "/*"), longest + "/*");
  EXPECT_THROW(NormalizeGrantPrefix(std::string(1023, 'a')), Error);
}

}  // namespace
}  // namespace cytoskel
