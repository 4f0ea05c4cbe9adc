// The command line: parse argv against the command table, run the chosen
// command, and turn its outcome into an exit code.
#ifndef CYTOSKEL_CLI_APP_H_
#define CYTOSKEL_CLI_APP_H_

#include <CLI/CLI.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "aws/environment.h"
#include "aws/session.h"
#include "cli/context.h"

namespace cytoskel {

// Builds the whole command line of cytoskel from the command table: the
// global options (bound to `flags`) and every group and command. When
// `runners` is given, it receives each command's body, keyed by its node.
std::unique_ptr<CLI::App> BuildCommandTree(
    GlobalFlags& flags, std::map<CLI::App*, Runner>* runners = nullptr);

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
