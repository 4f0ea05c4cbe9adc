// Asking the person at the terminal, as the AWS CLI does for MFA codes:
// through /dev/tty, so that it works while stdin and stdout are pipes
// (`cytoskel ... | jq`), and never when there is no terminal at all.
#ifndef CYTOSKEL_CLI_TERMINAL_PROMPT_H_
#define CYTOSKEL_CLI_TERMINAL_PROMPT_H_

#include <optional>
#include <string>

namespace cytoskel {

// Writes `prompt` to the controlling terminal and reads one line from it
// with echo off (the answer is not left on the screen), without the line
// end. nullopt when the process has no controlling terminal, or it closes
// before a line ends.
std::optional<std::string> AskOnTerminal(const std::string& prompt);

// What SessionDeps::ask_mfa_code is in production: AskOnTerminal with the
// AWS CLI's prompt, "Enter MFA code for SERIAL: ".
std::optional<std::string> AskMfaCodeOnTerminal(const std::string& serial);

}  // namespace cytoskel

#endif  // CYTOSKEL_CLI_TERMINAL_PROMPT_H_
