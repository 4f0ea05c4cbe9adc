// The command table: every command of cytoskel, with its help text and
// examples. Dispatch, --help, "did you mean", completion and the man page
// are all generated from it.
#ifndef CYTOSKEL_CLI_COMMAND_TABLE_H_
#define CYTOSKEL_CLI_COMMAND_TABLE_H_

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

#include "cli/context.h"

namespace cytoskel {

struct CommandSpec {
  std::string path;      // the words after "cytoskel": "cpgstaging list user"
  std::string summary;   // one line
  std::string examples;  // lines shown under "Examples:" in --help
  // Other last words that run the same command ("doctor" for "status").
  std::vector<std::string> aliases = {};
  // Adds the command's options and arguments to `command` and returns the
  // body to run when it is chosen. Option values live in storage the
  // returned Runner owns.
  std::function<Runner(CLI::App& command)> define;
};

// A word that only groups commands ("cpgstaging", "cpgstaging list").
struct GroupSpec {
  std::string path;
  std::string summary;
};

const std::vector<CommandSpec>& CommandTable();
const std::vector<GroupSpec>& GroupTable();

}  // namespace cytoskel

#endif  // CYTOSKEL_CLI_COMMAND_TABLE_H_
