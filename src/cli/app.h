// The command line: parse argv against the command table, run the chosen
// command, and turn its outcome into an exit code.
#ifndef CYTOSKEL_CLI_APP_H_
#define CYTOSKEL_CLI_APP_H_

#include <string>
#include <vector>

#include "aws/environment.h"
#include "aws/session.h"
#include "cli/context.h"

namespace cytoskel {

// Runs cytoskel with `args` (argv without the program name). Returns the
// process exit code. Never throws.
int RunCli(const std::vector<std::string>& args, Io& io, Environment env,
           SessionDeps deps = {});

// The closest of `candidates` to `word` by edit distance, or "" when none
// is close enough to suggest.
std::string ClosestWord(const std::string& word,
                        const std::vector<std::string>& candidates);

}  // namespace cytoskel

#endif  // CYTOSKEL_CLI_APP_H_
