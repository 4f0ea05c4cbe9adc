// Running a child command for `cytoskel exec`: a given environment, the
// caller's terminal, signals forwarded, the exit status passed through.
#ifndef CYTOSKEL_CLI_CHILD_PROCESS_H_
#define CYTOSKEL_CLI_CHILD_PROCESS_H_

#include <map>
#include <string>
#include <vector>

namespace cytoskel {

// This process's environment as a map.
std::map<std::string, std::string> CurrentEnvironment();

// Runs `argv` (searched in PATH) with exactly `environment`, forwarding
// SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 to it while it
// runs. Returns its exit status, or 128 + N when signal N ended it.
// Throws a usage Error when the command cannot be started (not found, not
// executable), naming it.
int RunChild(const std::vector<std::string>& argv,
             const std::map<std::string, std::string>& environment);

}  // namespace cytoskel

#endif  // CYTOSKEL_CLI_CHILD_PROCESS_H_
