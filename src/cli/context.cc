#include "cli/context.h"

#include <ostream>
#include <utility>

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
    session_ = std::make_unique<Session>(flags_.aws, env_, deps_, sink);
  }
  return *session_;
}

bool CommandContext::color() const {
  return io_.err_is_tty && !flags_.no_color && !env_.get_env("NO_COLOR");
}

}  // namespace cytoskel
