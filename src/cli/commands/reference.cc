// `cytoskel completion SHELL` and `cytoskel man`: generated from the
// command table.
#include <memory>
#include <ostream>

#include "cli/commands/commands.h"
#include "cli/reference_docs.h"

namespace cytoskel {

CommandSpec CompletionCommand() {
  return {
      .path = "completion",
      .summary = "Print a shell completion script (bash, zsh or fish)",
      .examples =
          "  source <(cytoskel completion bash)\n"
          "  cytoskel completion fish > "
          "~/.config/fish/completions/cytoskel.fish",
      .define = [](CLI::App& command) -> Runner {
        auto shell = std::make_shared<std::string>();
        command.add_option("shell", *shell, "bash, zsh or fish")->required();
        return [shell](CommandContext& context) {
          context.io().out << CompletionScript(*shell);
          return 0;
        };
      },
  };
}

CommandSpec ManCommand() {
  return {
      .path = "man",
      .summary = "Print the man page (roff)",
      .examples = "  cytoskel man | man -l -",
      .define = [](CLI::App&) -> Runner {
        return [](CommandContext& context) {
          context.io().out << ManPage();
          return 0;
        };
      },
  };
}

}  // namespace cytoskel
