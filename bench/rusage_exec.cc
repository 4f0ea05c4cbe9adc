// Runs one command and reports what it cost; bench/run.py compiles it and
// starts every measured command through it.
//
//   rusage_exec STATS_FILE COMMAND [ARG...]
//
// Forks, execs COMMAND (looked up in PATH) with this process's stdin, stdout
// and stderr, waits for it with wait4 and writes one line to STATS_FILE:
//
//   <exit code or 128+signal> <wall ns> <user us> <sys us> <max RSS KiB>
//
// Why not time the child from Python directly: Linux starts a child's peak
// RSS at its parent's (fork copies the parent's memory map, and exec keeps
// the old map's high-water mark), so every child of the Python runner would
// report at least the runner's 50 MiB. Forked from this small program, a
// child's peak is its own. Wall time is taken around fork and wait4 here,
// without the Python runner's own overhead.
//
// Exits 0 when the line is written, whatever the command's status; 2 on a
// usage error or when STATS_FILE cannot be written. A command that cannot
// be executed reports status 127 (and a message on stderr).
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace {

long long Nanoseconds(const timespec& t) {
  return static_cast<long long>(t.tv_sec) * 1000000000LL + t.tv_nsec;
}

long long Microseconds(const timeval& t) {
  return static_cast<long long>(t.tv_sec) * 1000000LL + t.tv_usec;
}

int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: rusage_exec STATS_FILE COMMAND [ARG...]\n");
    return 2;
  }
  timespec started{};
  clock_gettime(CLOCK_MONOTONIC, &started);
  pid_t child = fork();
  if (child < 0) {
    std::perror("rusage_exec: fork");
    return 2;
  }
  if (child == 0) {
    execvp(argv[2], argv + 2);
    std::fprintf(stderr, "rusage_exec: %s: %s\n", argv[2],
                 std::strerror(errno));
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  while (wait4(child, &status, 0, &usage) < 0) {
    if (errno != EINTR) {
      std::perror("rusage_exec: wait4");
      return 2;
    }
  }
  timespec finished{};
  clock_gettime(CLOCK_MONOTONIC, &finished);

  std::FILE* stats = std::fopen(argv[1], "w");
  if (stats == nullptr) {
    std::perror("rusage_exec: stats file");
    return 2;
  }
  std::fprintf(stats, "%d %lld %lld %lld %ld\n", ExitCode(status),
               Nanoseconds(finished) - Nanoseconds(started),
               Microseconds(usage.ru_utime), Microseconds(usage.ru_stime),
               usage.ru_maxrss);
  return std::fclose(stats) == 0 ? 0 : 2;
}
