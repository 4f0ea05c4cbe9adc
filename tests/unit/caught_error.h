// CaughtError: for tests of calls that must fail with a cytoskel::Error.
//
//   Error error = CaughtError([&] { CreateStackUser(stack, request); });
//   EXPECT_EQ(error.kind(), ErrorKind::kUsage);
#ifndef CYTOSKEL_TESTS_UNIT_CAUGHT_ERROR_H_
#define CYTOSKEL_TESTS_UNIT_CAUGHT_ERROR_H_

#include <gtest/gtest.h>

#include "aws/error.h"

namespace cytoskel {

// Runs `call` and returns the Error it throws; fails the test, and returns
// an internal Error, when it throws none.
template <typename Call>
Error CaughtError(Call call) {
  try {
    call();
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "no error thrown";
  return Error(ErrorKind::kInternal, "none");
}

}  // namespace cytoskel

#endif  // CYTOSKEL_TESTS_UNIT_CAUGHT_ERROR_H_
