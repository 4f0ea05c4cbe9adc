#include "cli/context.h"

#include <ostream>
#include <utility>

#include "aws/error.h"

namespace cytoskel {

CommandContext::CommandContext(Io& io, GlobalFlags& flags, Environment env,
                               SessionDeps deps)
    : io_(io), flags_(flags), env_(std::move(env)), deps_(std::move(deps)) {}

CommandContext::~CommandContext() = default;

Session& CommandContext::session() {
  if (!session_) {
    DebugSink sink;
    if (flags_.debug) {
      sink = [this](std::string_view line) {
        io_.err << "cytoskel: debug: " << line << '\n';
      };
    }
    GlobalOptions options = flags_.aws;
    if (stack_region_) options.region = stack_region_;
    session_ = std::make_unique<Session>(options, env_, deps_, sink);
  }
  return *session_;
}

void CommandContext::UseStackRegion(const std::string& region) {
  if (flags_.aws.region && !flags_.aws.region->empty() &&
      *flags_.aws.region != region) {
    throw UsageError("--region " + *flags_.aws.region +
                     " disagrees with the stack, which lives in " + region);
  }
  stack_region_ = region;
}

bool CommandContext::color() const {
  return io_.err_is_tty && !flags_.no_color && !env_.get_env("NO_COLOR");
}

}  // namespace cytoskel
