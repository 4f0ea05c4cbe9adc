#include "cli/child_process.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "aws/error.h"

extern char** environ;

namespace cytoskel {

namespace {

constexpr int kForwarded[] = {SIGINT,  SIGTERM, SIGHUP,
                              SIGQUIT, SIGUSR1, SIGUSR2};

std::atomic<pid_t> child_pid{0};

void Forward(int signal_number) {
  pid_t pid = child_pid.load();
  if (pid > 0) ::kill(pid, signal_number);
}

// Installs Forward for the signals above and restores the old handlers
// when it goes out of scope.
class SignalForwarding {
 public:
  SignalForwarding() {
    struct sigaction action {};
    action.sa_handler = Forward;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < std::size(kForwarded); ++i) {
      sigaction(kForwarded[i], &action, &saved_[i]);
    }
  }
  ~SignalForwarding() {
    for (size_t i = 0; i < std::size(kForwarded); ++i) {
      sigaction(kForwarded[i], &saved_[i], nullptr);
    }
  }
  SignalForwarding(const SignalForwarding&) = delete;
  SignalForwarding& operator=(const SignalForwarding&) = delete;

 private:
  struct sigaction saved_[std::size(kForwarded)]{};
};

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& text : strings) pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

int WaitFor(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      throw Error(ErrorKind::kInternal,
                  std::string("waiting for the command failed: ") +
                      std::strerror(errno));
    }
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

}  // namespace

std::map<std::string, std::string> CurrentEnvironment() {
  std::map<std::string, std::string> variables;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    size_t equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    variables.emplace(text.substr(0, equals), text.substr(equals + 1));
  }
  return variables;
}

int RunChild(const std::vector<std::string>& argv,
             const std::map<std::string, std::string>& environment) {
  if (argv.empty()) throw UsageError("exec needs a command to run");
  std::vector<std::string> arguments = argv;
  std::vector<std::string> pairs;
  for (const auto& [name, value] : environment) {
    pairs.push_back(name + "=" + value);
  }
  std::vector<char*> argument_pointers = Pointers(arguments);
  std::vector<char*> environment_pointers = Pointers(pairs);

  SignalForwarding forwarding;
  pid_t pid = 0;
  int failed =
      ::posix_spawnp(&pid, arguments[0].c_str(), nullptr, nullptr,
                     argument_pointers.data(), environment_pointers.data());
  if (failed != 0) {
    throw UsageError("cannot run '" + arguments[0] +
                     "': " + std::strerror(failed));
  }
  child_pid.store(pid);
  int status = WaitFor(pid);
  child_pid.store(0);
  return status;
}

}  // namespace cytoskel
