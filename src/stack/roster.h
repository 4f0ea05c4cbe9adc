// A roster: the stack's access list as a reviewed TOML file, which
// `cytoskel STACK apply` converges the account to.
//
//   [users.alice]
//   prefixes = ["cpg0001-alpha/", "cpg0002-beta/"]
//
//   [users.bob]
//   prefixes = ["cpg0003-gamma/"]
//   permission = "READ"          # default READWRITE
//
// Reading and checking one is pure (no AWS call, no clock, no thread). Every
// refusal is a usage Error (exit 252) whose message starts "PATH:LINE: ",
// so a bad roster is fixed from the message alone; when a file holds more
// than one problem, all are listed (the first ones, one a line).
#ifndef CYTOSKEL_STACK_ROSTER_H_
#define CYTOSKEL_STACK_ROSTER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cytoskel {

// The largest roster read: a roster is a short text file, and a bigger one
// is far more likely a wrong path than a list of a hundred thousand users.
inline constexpr size_t kMaxRosterBytes = 1 << 20;  // 1 MiB

struct RosterUser {
  std::string name;  // a valid IAM user name (ValidateUserName)
  // The grant sub-prefixes, NormalizeGrantPrefix's "folder/*" form, in the
  // file's order, never empty, no two the same.
  std::vector<std::string> sub_prefixes;
  std::string permission = "READWRITE";  // READ | WRITE | READWRITE
  uint32_t line = 0;                     // where the user's table starts
};

struct Roster {
  std::string path;  // as given, for messages
  // Sorted by name; no two names equal ignoring case (IAM user names are
  // unique without regard to case).
  std::vector<RosterUser> users;
};

// Parses and checks the text of a roster; `path` only names it in
// messages. Safe on arbitrary bytes. Non-ASCII characters are welcome in
// comments and read as '?' anywhere else (see AsciiOnly in roster.cc).
// Refuses (usage Error, "PATH:LINE: ..."):
// TOML syntax errors; text over kMaxRosterBytes or holding a NUL byte; a
// file with no `users` table (an empty `[users]` table is a roster that
// lists nobody); unknown keys at the top level or in a user's table; a bad
// user name; a user not written as a table; a missing, empty or non-list
// `prefixes`, a non-string entry, a bad or repeated prefix; a bad
// `permission`; two users whose names differ only in case.
Roster ParseRoster(std::string_view toml_text, const std::string& path);

// Reads the roster file at `path` and parses it. Refuses with a usage Error
// a path that does not exist, is not a regular file, cannot be read, or is
// larger than kMaxRosterBytes, before reading more than that.
Roster LoadRoster(const std::string& path);

}  // namespace cytoskel

#endif  // CYTOSKEL_STACK_ROSTER_H_
