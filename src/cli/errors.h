// Turning an Error into words and an exit code: the only place that does.
#ifndef CYTOSKEL_CLI_ERRORS_H_
#define CYTOSKEL_CLI_ERRORS_H_

#include <string>

#include "aws/error.h"
#include "cli/exit_codes.h"

namespace cytoskel {

ExitCode ExitCodeFor(const Error& error);

// One plain sentence saying what failed and what to do. Never includes a
// secret: Error holds none by contract, and the hints name no key values.
std::string DescribeError(const Error& error);

// The AWS code, HTTP status and request id, for --debug; "" when the error
// did not come from AWS.
std::string DescribeErrorDetail(const Error& error);

}  // namespace cytoskel

#endif  // CYTOSKEL_CLI_ERRORS_H_
