// What a command runs with: the standard streams, the global flags, and a
// Session made on first use (so --help and --version never touch AWS
// configuration).
#ifndef CYTOSKEL_CLI_CONTEXT_H_
#define CYTOSKEL_CLI_CONTEXT_H_

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "aws/config.h"
#include "aws/environment.h"
#include "aws/session.h"
#include "cli/output.h"

namespace cytoskel {

struct Io {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  bool in_is_tty = false;
  bool err_is_tty = false;
};

struct GlobalFlags {
  GlobalOptions aws;
  std::string output = "text";
  bool debug = false;
  bool no_color = false;
};

class CommandContext {
 public:
  CommandContext(Io& io, GlobalFlags& flags, Environment env,
                 SessionDeps deps = {});
  ~CommandContext();

  Io& io() { return io_; }
  const GlobalFlags& flags() const { return flags_; }
  OutputFormat output() const { return ParseOutputFormat(flags_.output); }
  const Environment& environment() const { return env_; }

  Session& session();

  // Makes the session use `region` (where a stack lives) unless --region
  // names one, which must then be the same. Call before session().
  void UseStackRegion(const std::string& region);

  // True when stderr is a terminal and NO_COLOR / --no-color allow colour.
  bool color() const;

 private:
  Io& io_;
  GlobalFlags& flags_;
  Environment env_;
  SessionDeps deps_;
  std::optional<std::string> stack_region_;
  std::unique_ptr<Session> session_;
};

// A command's body: returns the exit code; throws Error on failure.
using Runner = std::function<int(CommandContext&)>;

}  // namespace cytoskel

#endif  // CYTOSKEL_CLI_CONTEXT_H_
