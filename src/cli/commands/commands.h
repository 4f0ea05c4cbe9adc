// One function per command, each defined in its own file beside this one
// and listed in the command table (cli/command_table.cc).
#ifndef CYTOSKEL_CLI_COMMANDS_COMMANDS_H_
#define CYTOSKEL_CLI_COMMANDS_COMMANDS_H_

#include "cli/command_table.h"

namespace cytoskel {

CommandSpec WhoamiCommand();

// cpgstaging: the stack itself.
CommandSpec UpCommand();
CommandSpec DestroyCommand();
CommandSpec ListLocationCommand();

}  // namespace cytoskel

#endif  // CYTOSKEL_CLI_COMMANDS_COMMANDS_H_
