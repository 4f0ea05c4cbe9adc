#include "aws/error.h"

#include <gtest/gtest.h>

namespace cytoskel {
namespace {

TEST(ErrorTest, HasCodeMatchesServiceErrorsOnly) {
  Error service = Error::Service("GetUser", 404, "NoSuchEntity", "gone", "r");
  EXPECT_TRUE(service.HasCode({"NoSuchEntity"}));
  EXPECT_TRUE(service.HasCode({"Throttling", "NoSuchEntity"}));
  EXPECT_FALSE(service.HasCode({"NoSuchEntityX", "Throttling"}));
  EXPECT_FALSE(service.HasCode({}));

  // A usage error never matches, whatever its message says.
  EXPECT_FALSE(UsageError("NoSuchEntity").HasCode({"NoSuchEntity"}));
  EXPECT_FALSE(UsageError("").HasCode({""}));
}

}  // namespace
}  // namespace cytoskel
