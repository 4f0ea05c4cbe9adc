#include "cli/stack_command.h"

#include <istream>
#include <ostream>

#include "aws/error.h"

namespace cytoskel {

std::unique_ptr<StackContext> OpenStack(CommandContext& context,
                                        const std::string& name) {
  StackSettings settings = LoadStackSettings(name, context.environment());
  context.UseStackRegion(settings.region);
  return std::make_unique<StackContext>(context.session(), std::move(settings));
}

bool Confirm(CommandContext& context, const std::string& prompt) {
  Io& io = context.io();
  if (!io.in_is_tty) {
    throw UsageError(prompt +
                     ": not asking off a terminal; pass --yes to go ahead");
  }
  io.err << prompt << " [y/N] " << std::flush;
  std::string answer;
  std::getline(io.in, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

}  // namespace cytoskel
