// Shared by the commands of a stack (`cytoskel cpgstaging ...`).
#ifndef CYTOSKEL_CLI_STACK_COMMAND_H_
#define CYTOSKEL_CLI_STACK_COMMAND_H_

#include <memory>
#include <string>

#include "cli/context.h"
#include "stack/stack.h"

namespace cytoskel {

// The built-in stack every `cpgstaging` command works on.
inline constexpr const char* kDefaultStack = "cpgstaging";

// Loads the stack's settings (config file over the defaults), pins the
// session to the stack's region and returns the stack's context.
std::unique_ptr<StackContext> OpenStack(
    CommandContext& context, const std::string& name = kDefaultStack);

// Asks "PROMPT [y/N] " on the terminal and returns true on "y" or "yes".
// Off a terminal it never asks: it throws a usage Error telling the user to
// pass --yes, so scripts cannot hang or destroy by accident.
bool Confirm(CommandContext& context, const std::string& prompt);

}  // namespace cytoskel

#endif  // CYTOSKEL_CLI_STACK_COMMAND_H_
