#include "stack/roster.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "stack/toml.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <map>
#include <optional>

#include "aws/error.h"
#include "stack/validate.h"

namespace cytoskel {

namespace {

// How many problems one message lists; the rest are counted.
constexpr size_t kMaxListedProblems = 20;
uint32_t LineOf(const toml::source_region& source) {
  return std::max<uint32_t>(1, source.begin.line);
}

// The problems found in one roster, each with its line.
class Problems {
 public:
  explicit Problems(const std::string& path) : path_(path) {}

  void Add(uint32_t line, std::string text) {
    problems_.push_back({line, std::move(text)});
  }
  size_t count() const { return problems_.size(); }

  // Throws a usage Error listing every problem (first by line), if any.
  void ThrowIfAny() {
    if (problems_.empty()) return;
    std::stable_sort(
        problems_.begin(), problems_.end(),
        [](const Problem& a, const Problem& b) { return a.line < b.line; });
    if (problems_.size() == 1) throw UsageError(Describe(problems_.front()));
    std::string message = fmt::format(
        "roster {} has {} problems, so nothing was read from AWS or changed:",
        path_, problems_.size());
    size_t listed = std::min(problems_.size(), kMaxListedProblems);
    for (size_t i = 0; i < listed; ++i) {
      message += "\n  " + Describe(problems_[i]);
    }
    if (problems_.size() > listed) {
      message += fmt::format("\n  ... and {} more", problems_.size() - listed);
    }
    throw UsageError(message);
  }

 private:
  struct Problem {
    uint32_t line;
    std::string text;
  };

  std::string Describe(const Problem& problem) const {
    return fmt::format("{}:{}: {}", path_, problem.line, problem.text);
  }

  const std::string& path_;
  std::vector<Problem> problems_;
};

// Refuses, before TOML sees them, texts no reviewed roster can be.
void CheckText(std::string_view text, const std::string& path) {
  if (text.size() > kMaxRosterBytes) {
    throw UsageError(fmt::format(
        "roster {} is larger than {} bytes: a roster is a short text file",
        path, kMaxRosterBytes));
  }
  size_t nul = text.find('\0');
  if (nul != std::string_view::npos) {
    auto line =
        std::count(text.begin(), text.begin() + static_cast<long>(nul), '\n') +
        1;
    throw UsageError(fmt::format(
        "{}:{}: not a text file (it holds a NUL byte): a roster is TOML text",
        path, line));
  }
}

toml::table ParseToml(std::string_view text, const std::string& path) {
  try {
    return toml::parse(TomlAsciiOnly(text), path);
  } catch (const toml::parse_error& error) {
    throw UsageError(fmt::format("{}:{}: {}", path, LineOf(error.source()),
                                 error.description()));
  }
}

// Each entry of `prefixes`, normalized; problems for the rest.
std::vector<std::string> ReadPrefixes(const toml::node& node,
                                      const std::string& where,
                                      Problems& problems) {
  std::vector<std::string> sub_prefixes;
  const toml::array* list = node.as_array();
  if (list == nullptr) {
    problems.Add(LineOf(node.source()),
                 where +
                     " must be a list of strings, for example "
                     "[\"cpg0001-example/\"]");
    return sub_prefixes;
  }
  if (list->empty()) {
    problems.Add(LineOf(node.source()),
                 where +
                     " is empty: list at least one prefix, or remove "
                     "the user");
  }
  std::map<std::string, std::string> seen;  // sub-prefix -> as written
  for (size_t i = 0; i < list->size(); ++i) {
    const toml::node& entry = *list->get(i);
    uint32_t line = LineOf(entry.source());
    std::optional<std::string> prefix = entry.value_exact<std::string>();
    if (!prefix) {
      problems.Add(line,
                   fmt::format("{} entry {} is not a string", where, i + 1));
      continue;
    }
    std::string sub_prefix;
    try {
      sub_prefix = NormalizeGrantPrefix(*prefix);
    } catch (const Error& error) {
      problems.Add(line, where + ": " + error.message());
      continue;
    }
    auto [first, inserted] = seen.emplace(sub_prefix, *prefix);
    if (!inserted) {
      problems.Add(line, fmt::format("{}: '{}' is the same folder as '{}' "
                                     "(both grant {})",
                                     where, Shown(*prefix),
                                     Shown(first->second), sub_prefix));
      continue;
    }
    sub_prefixes.push_back(std::move(sub_prefix));
  }
  return sub_prefixes;
}

void ReadPermission(const toml::node& node, const std::string& where,
                    RosterUser& user, Problems& problems) {
  std::optional<std::string> text = node.value_exact<std::string>();
  try {
    if (!text) throw UsageError("must be a string: READ, WRITE or READWRITE");
    user.permission = NormalizePermission(*text);
  } catch (const Error& error) {
    problems.Add(LineOf(node.source()), where + ": " + error.message());
  }
}

// The user of table `users.NAME`; nullopt (and problems) when it is wrong.
std::optional<RosterUser> ReadUser(const toml::key& name,
                                   const toml::node& node, Problems& problems) {
  size_t problems_before = problems.count();
  RosterUser user;
  user.name = std::string(name.str());
  user.line = LineOf(node.source());
  std::string where = "users." + Shown(user.name);
  try {
    ValidateUserName(user.name);
  } catch (const Error& error) {
    problems.Add(LineOf(name.source()), error.message());
  }
  const toml::table* table = node.as_table();
  if (table == nullptr) {
    problems.Add(user.line, fmt::format("{} must be a table: write [{}] "
                                        "followed by prefixes = [\"...\"]",
                                        where, where));
    return std::nullopt;
  }

  bool has_prefixes = false;
  for (const auto& [key, value] : *table) {
    if (key == "prefixes") {
      has_prefixes = true;
      user.sub_prefixes = ReadPrefixes(value, where + ".prefixes", problems);
    } else if (key == "permission") {
      ReadPermission(value, where + ".permission", user, problems);
    } else {
      problems.Add(LineOf(key.source()),
                   fmt::format("{}: unknown key '{}' (a user takes only "
                               "prefixes and permission)",
                               where, Shown(key.str())));
    }
  }
  if (!has_prefixes) {
    problems.Add(user.line, fmt::format("{} has no prefixes: add prefixes = "
                                        "[\"cpgNNNN-name/\"]",
                                        where));
  }
  if (problems.count() != problems_before) return std::nullopt;
  return user;
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return lower;
}

// IAM names are unique without regard to case: "Bob" and "bob" would be
// one user, so a roster naming both is ambiguous.
void CheckCaseDuplicates(const std::vector<RosterUser>& users,
                         Problems& problems) {
  std::map<std::string, const RosterUser*> by_lower;
  for (const RosterUser& user : users) {
    auto [other, inserted] = by_lower.emplace(Lower(user.name), &user);
    if (inserted) continue;
    const RosterUser* first = other->second;
    const RosterUser* again = &user;
    if (again->line < first->line) std::swap(first, again);
    problems.Add(again->line,
                 fmt::format("user {} is user {} again (line {}): IAM user "
                             "names ignore case",
                             again->name, first->name, first->line));
  }
}

void ReadUsers(const toml::table& root, Roster& roster, Problems& problems) {
  const toml::node* users = root.get("users");
  if (users == nullptr) {
    problems.Add(1,
                 "no users: a roster lists [users.NAME] tables (an empty "
                 "[users] table lists nobody)");
    return;
  }
  const toml::table* table = users->as_table();
  if (table == nullptr) {
    problems.Add(LineOf(users->source()),
                 "users must be a table of users, each written [users.NAME]");
    return;
  }
  for (const auto& [name, node] : *table) {
    if (std::optional<RosterUser> user = ReadUser(name, node, problems)) {
      roster.users.push_back(std::move(*user));
    }
  }
}

Error ReadError(const std::string& path, const char* what) {
  return UsageError(fmt::format("cannot read roster {}: {}", path, what));
}

// Reads at most kMaxRosterBytes + 1 bytes of `fd`.
std::string ReadCapped(int fd, const std::string& path) {
  std::string text;
  char buffer[65536];
  while (text.size() <= kMaxRosterBytes) {
    ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw ReadError(path, std::strerror(errno));
    if (got == 0) break;
    text.append(buffer, static_cast<size_t>(got));
  }
  return text;
}

}  // namespace

Roster ParseRoster(std::string_view toml_text, const std::string& path) {
  CheckText(toml_text, path);
  toml::table root = ParseToml(toml_text, path);

  Roster roster;
  roster.path = path;
  Problems problems(path);
  for (const auto& [key, node] : root) {
    if (key == "users") continue;
    problems.Add(LineOf(key.source()),
                 fmt::format("unknown key '{}': a roster holds only "
                             "[users.NAME] tables",
                             Shown(key.str())));
  }
  ReadUsers(root, roster, problems);
  std::sort(
      roster.users.begin(), roster.users.end(),
      [](const RosterUser& a, const RosterUser& b) { return a.name < b.name; });
  CheckCaseDuplicates(roster.users, problems);
  problems.ThrowIfAny();
  return roster;
}

Roster LoadRoster(const std::string& path) {
  if (path.empty()) throw UsageError("the roster's file name is empty");
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused
  // below as not a regular file.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT) {
      throw UsageError(fmt::format("roster {} does not exist", path));
    }
    throw ReadError(path, std::strerror(errno));
  }
  std::string text;
  try {
    struct stat info;
    if (::fstat(fd, &info) != 0) throw ReadError(path, std::strerror(errno));
    if (!S_ISREG(info.st_mode)) {
      throw ReadError(path, "it is not a regular file");
    }
    text = ReadCapped(fd, path);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  return ParseRoster(text, path);
}

}  // namespace cytoskel
