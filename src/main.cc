// cytoskel's entry point: everything happens in the core library.
#include <unistd.h>

#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "aws/environment.h"
#include "cli/app.h"
#include "cli/terminal_prompt.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  cytoskel::Io io{std::cin, std::cout, std::cerr, isatty(STDIN_FILENO) == 1,
                  isatty(STDERR_FILENO) == 1};
  std::vector<std::string> args(argv + 1, argv + argc);
  cytoskel::SessionDeps deps;
  deps.ask_mfa_code = cytoskel::AskMfaCodeOnTerminal;
  int code = cytoskel::RunCli(args, io, cytoskel::Environment::System(),
                              std::move(deps));
  std::cout.flush();
  return code;
}
