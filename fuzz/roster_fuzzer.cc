// Fuzzes the roster parser (stack/roster.h ParseRoster): the input is the
// roster file's text.
//
// Properties checked besides "no crash, only cytoskel::Error":
// - every refusal is a usage Error naming the file and line of each
//   problem;
// - an accepted roster holds valid, sorted user names, no two equal
//   ignoring case, each with at least one distinct "folder/*" prefix and a
//   known permission.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "stack/roster.h"
#include "stack/validate.h"

namespace cytoskel::fuzz {
namespace {

constexpr char kPath[] = "/fuzz/team.toml";

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return text;
}

// One problem: "PATH:LINE: ...". Several: "roster PATH has N problems
// ...:" then one "  PATH:LINE: ..." line each, the last maybe
// "  ... and N more".
bool NamesTheFile(std::string_view message) {
  const std::string located = std::string(kPath) + ":";
  if (message.starts_with(located)) return true;
  if (!message.starts_with("roster " + std::string(kPath) + " ")) return false;
  size_t line = message.find('\n');
  while (line != std::string_view::npos) {
    std::string_view rest = message.substr(line + 1);
    if (!rest.starts_with("  " + located) && !rest.starts_with("  ... and ")) {
      return false;
    }
    line = message.find('\n', line + 1);
  }
  return true;
}

void CheckUser(const RosterUser& user) {
  try {
    ValidateUserName(user.name);
  } catch (const Error&) {
    Require(false, "roster user names are valid IAM names");
  }
  Require(!user.sub_prefixes.empty(), "every user has a prefix");
  std::set<std::string> seen;
  for (const std::string& prefix : user.sub_prefixes) {
    Require(prefix.size() > 2 && prefix.ends_with("/*"),
            "prefixes are folders");
    Require(seen.insert(prefix).second, "no prefix twice");
  }
  Require(user.permission == "READ" || user.permission == "WRITE" ||
              user.permission == "READWRITE",
          "permissions are READ, WRITE or READWRITE");
}

void CheckRoster(std::string_view text) {
  Roster roster;
  try {
    roster = ParseRoster(text, kPath);
  } catch (const Error& error) {
    Require(error.kind() == ErrorKind::kUsage, "refusals are usage errors");
    Require(NamesTheFile(error.message()), "refusals name the file and line");
    return;
  } catch (const std::exception& error) {
    Finding("ParseRoster", error.what());
  }
  std::set<std::string> names;
  for (size_t i = 0; i < roster.users.size(); ++i) {
    CheckUser(roster.users[i]);
    Require(names.insert(Lower(roster.users[i].name)).second,
            "no two users equal ignoring case");
    if (i > 0) {
      Require(roster.users[i - 1].name < roster.users[i].name,
              "users are sorted by name");
    }
  }
}

}  // namespace
}  // namespace cytoskel::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cytoskel::fuzz::CheckRoster(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
