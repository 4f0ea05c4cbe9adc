#include "cli/terminal_prompt.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>

namespace cytoskel {

namespace {

// Owns the descriptor of /dev/tty and the terminal mode found on it, which
// it puts back when it goes out of scope, however the read ended.
class Terminal {
 public:
  Terminal() : fd_(::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)) {
    if (fd_ >= 0) saved_ = ::tcgetattr(fd_, &mode_) == 0;
  }
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;
  ~Terminal() {
    if (fd_ < 0) return;
    if (saved_) ::tcsetattr(fd_, TCSAFLUSH, &mode_);
    ::close(fd_);
  }

  bool open() const { return fd_ >= 0; }

  void Write(const std::string& text) const {
    size_t done = 0;
    while (done < text.size()) {
      ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      done += static_cast<size_t>(n);
    }
  }

  void EchoOff() const {
    if (!saved_) return;
    termios quiet = mode_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(fd_, TCSAFLUSH, &quiet);
  }

  // One line, without its end; nullopt at end of file or on an error.
  std::optional<std::string> ReadLine() const {
    std::string line;
    for (;;) {
      char c = 0;
      ssize_t n = ::read(fd_, &c, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return std::nullopt;
      if (c == '\n' || c == '\r') return line;
      line += c;
    }
  }

 private:
  int fd_;
  bool saved_ = false;
  termios mode_{};
};

}  // namespace

std::optional<std::string> AskOnTerminal(const std::string& prompt) {
  Terminal terminal;
  if (!terminal.open()) return std::nullopt;
  terminal.Write(prompt);
  terminal.EchoOff();
  std::optional<std::string> answer = terminal.ReadLine();
  terminal.Write("\n");
  return answer;
}

std::optional<std::string> AskMfaCodeOnTerminal(const std::string& serial) {
  return AskOnTerminal("Enter MFA code for " + serial + ": ");
}

}  // namespace cytoskel
