// One function per command, each defined in its own file beside this one
// and listed in the command table (cli/command_table.cc).
#ifndef CYTOSKEL_CLI_COMMANDS_COMMANDS_H_
#define CYTOSKEL_CLI_COMMANDS_COMMANDS_H_

#include "cli/command_table.h"

namespace cytoskel {

CommandSpec WhoamiCommand();
CommandSpec CompletionCommand();
CommandSpec ManCommand();

// Contributors.
CommandSpec GrantsCommand();
CommandSpec CredentialsCommand();
CommandSpec ExecCommand();

// cpgstaging: the stack itself.
CommandSpec UpCommand();
CommandSpec DestroyCommand();
CommandSpec StatusCommand();
CommandSpec ListLocationCommand();

// cpgstaging: its users and grants (users.cc, grants.cc).
CommandSpec ListUserCommand();
CommandSpec ListGrantCommand();
CommandSpec CreateUserCommand();
CommandSpec DeleteUserCommand();
CommandSpec CreateGrantCommand();
CommandSpec DeleteGrantCommand();

// cpgstaging: admin workflows (onboard.cc, audit.cc).
CommandSpec OnboardCommand();
CommandSpec RotateKeyCommand();
CommandSpec OffboardCommand();
CommandSpec AuditCommand();

// cpgstaging: the access list as a roster file (apply.cc).
CommandSpec ApplyCommand();

}  // namespace cytoskel

#endif  // CYTOSKEL_CLI_COMMANDS_COMMANDS_H_
