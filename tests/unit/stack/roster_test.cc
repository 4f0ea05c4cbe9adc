#include "stack/roster.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "aws/error.h"

namespace cytoskel {
namespace {

constexpr char kPath[] = "team.toml";

TEST(RosterTest, ReadsTheIssuesExample) {
  Roster roster = ParseRoster(
      "[users.alice]\n"
      "prefixes = [\"cpg0001-alpha/\", \"cpg0002-beta/\"]\n"
      "\n"
      "[users.bob]\n"
      "prefixes = [\"cpg0003-gamma/\"]\n"
      "permission = \"READ\"          # default READWRITE\n",
      kPath);
  EXPECT_EQ(roster.path, kPath);
  ASSERT_EQ(roster.users.size(), 2u);
  EXPECT_EQ(roster.users[0].name, "alice");
  EXPECT_EQ(roster.users[0].sub_prefixes,
            (std::vector<std::string>{"cpg0001-alpha/*", "cpg0002-beta/*"}));
  EXPECT_EQ(roster.users[0].permission, "READWRITE");
  EXPECT_EQ(roster.users[0].line, 1u);
  EXPECT_EQ(roster.users[1].name, "bob");
  EXPECT_EQ(roster.users[1].sub_prefixes,
            (std::vector<std::string>{"cpg0003-gamma/*"}));
  EXPECT_EQ(roster.users[1].permission, "READ");
  EXPECT_EQ(roster.users[1].line, 4u);
}

TEST(RosterTest, AcceptsOtherSpellingsOfTheSameRoster) {
  const std::vector<std::string> spellings = {
      // Inline tables, prefixes in each accepted form, a lower-case
      // permission.
      "users = { zed = { prefixes = [\"a/*\", \"b\"], permission = "
      "\"readwrite\" } }\n",
      // Dotted keys.
      "users.zed.prefixes = [\"a\", \"b/\"]\n",
      // An explicit [users] table, comments, a multi-line list.
      "# the team\n[users]\n[users.zed]\nprefixes = [\n  \"a/\",  # one\n"
      "  \"b/\",\n]\n",
  };
  for (const std::string& text : spellings) {
    SCOPED_TRACE(text);
    Roster roster = ParseRoster(text, kPath);
    ASSERT_EQ(roster.users.size(), 1u);
    EXPECT_EQ(roster.users[0].name, "zed");
    EXPECT_EQ(roster.users[0].sub_prefixes,
              (std::vector<std::string>{"a/*", "b/*"}));
    EXPECT_EQ(roster.users[0].permission, "READWRITE");
  }
}

TEST(RosterTest, NonAsciiIsWelcomeInCommentsOnly) {
  Roster roster = ParseRoster(
      "\xEF\xBB\xBF# Zo\xC3\xAB's lab, \xEF\xBB\xA5\n"
      "[users.zoe]  # Zo\xC3\xAB M\xC3\xBCller\n"
      "prefixes = [\"z/\"]\n",
      kPath);
  ASSERT_EQ(roster.users.size(), 1u);
  EXPECT_EQ(roster.users[0].name, "zoe");

  // toml++ 3.3 meets undefined behaviour on these (é, U+FEE5) outside
  // strings and comments; they are refused like any stray character.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"\xC3\xA9 = 1\n",
       "team.toml:1: Error while parsing root table: expected keys, tables, "
       "whitespace or comments, saw '?'"},
      {"[users]\n\xEF\xBB\xA5\"\n",
       "team.toml:2: Error while parsing root table: expected keys, tables, "
       "whitespace or comments, saw '?'"},
      {"[users.\"zo\xC3\xAB\"]\nprefixes = [\"z/\"]\n",
       "team.toml:1: user name 'zo?\?' may hold only letters, digits and "
       "+=,.@_-"},
      {"[users.zoe]\nprefixes = [\"\"\"z\\\n\xC3\xA9/\"\"\"]\n",
       "team.toml:2: users.zoe.prefixes: prefix 'z?\?/' has a character "
       "outside letters, digits and !_.'()-"},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    try {
      ParseRoster(text, kPath);
      ADD_FAILURE() << "accepted";
    } catch (const Error& error) {
      EXPECT_EQ(std::string(error.what()), expected);
    }
  }
}

TEST(RosterTest, AnEmptyUsersTableListsNobody) {
  EXPECT_TRUE(ParseRoster("[users]\n", kPath).users.empty());
}

TEST(RosterTest, UsersAreSortedByName) {
  Roster roster = ParseRoster(
      "[users.carol]\nprefixes = [\"c/\"]\n"
      "[users.alice]\nprefixes = [\"a/\"]\n"
      "[users.Bob]\nprefixes = [\"b/\"]\n",
      kPath);
  ASSERT_EQ(roster.users.size(), 3u);
  EXPECT_EQ(roster.users[0].name, "Bob");
  EXPECT_EQ(roster.users[1].name, "alice");
  EXPECT_EQ(roster.users[2].name, "carol");
}

// Each bad roster, with the whole message it gets (exact: users read it).
TEST(RosterTest, BadRostersAreRefusedNamingTheLine) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[users.alice]\nprefixes = [\"a/\"]\nprefix = [\"b/\"]\n",
       "team.toml:3: users.alice: unknown key 'prefix' (a user takes only "
       "prefixes and permission)"},
      {"owner = \"me\"\n[users.alice]\nprefixes = [\"a/\"]\n",
       "team.toml:1: unknown key 'owner': a roster holds only [users.NAME] "
       "tables"},
      {"[users.\"bad name\"]\nprefixes = [\"a/\"]\n",
       "team.toml:1: user name 'bad name' may hold only letters, digits and "
       "+=,.@_-"},
      {"[users.alice]\nprefixes = [\"a/\", \"cpg0001*\"]\n",
       "team.toml:2: users.alice.prefixes: prefix 'cpg0001*' has a '*' that "
       "is not at the end of a folder: a grant covers whole folders, for "
       "example 'cpg0001/*'"},
      {"[users.alice]\nprefixes = [\n  \"a/\",\n  \"*\",\n]\n",
       "team.toml:4: users.alice.prefixes: prefix '*' would grant the whole "
       "bucket: name the dataset folder, for example 'cpg0001-example/'"},
      {"[users.alice]\nprefixes = [\"a/\"]\npermission = \"ADMIN\"\n",
       "team.toml:3: users.alice.permission: permission 'ADMIN' must be "
       "READ, WRITE or READWRITE"},
      {"[users.alice]\nprefixes = [\"a/\"]\npermission = 3\n",
       "team.toml:3: users.alice.permission: must be a string: READ, WRITE "
       "or READWRITE"},
      {"[users.alice]\nprefixes = [\"a/\"]\n[users.alice]\nprefixes = "
       "[\"b/\"]\n",
       "team.toml:3: Error while parsing table header: cannot redefine "
       "existing table 'users.alice'"},
      {"[users.alice]\nprefixes = [\"a/\"]\n\n[users.Alice]\nprefixes = "
       "[\"b/\"]\n",
       "team.toml:4: user Alice is user alice again (line 1): IAM user names "
       "ignore case"},
      {"[users.alice]\nprefixes = []\n",
       "team.toml:2: users.alice.prefixes is empty: list at least one "
       "prefix, or remove the user"},
      {"[users.alice]\npermission = \"READ\"\n",
       "team.toml:1: users.alice has no prefixes: add prefixes = "
       "[\"cpgNNNN-name/\"]"},
      {"[users.alice]\nprefixes = \"a/\"\n",
       "team.toml:2: users.alice.prefixes must be a list of strings, for "
       "example [\"cpg0001-example/\"]"},
      {"[users.alice]\nprefixes = [\"a/\", 7]\n",
       "team.toml:2: users.alice.prefixes entry 2 is not a string"},
      {"[users.alice]\nprefixes = [\"a\", \"a/*\"]\n",
       "team.toml:2: users.alice.prefixes: 'a/*' is the same folder as 'a' "
       "(both grant a/*)"},
      {"users = 3\n",
       "team.toml:1: users must be a table of users, each written "
       "[users.NAME]"},
      {"[[users]]\nname = \"alice\"\n",
       "team.toml:1: users must be a table of users, each written "
       "[users.NAME]"},
      {"[users]\nalice = \"a/\"\n",
       "team.toml:2: users.alice must be a table: write [users.alice] "
       "followed by prefixes = [\"...\"]"},
      {"",
       "team.toml:1: no users: a roster lists [users.NAME] tables (an "
       "empty [users] table lists nobody)"},
      {"[users.alice\n", "team.toml:1: "},
      // toml++ asserts on this one in Debug builds unless TOML_ASSERT is
      // turned off (see src/stack/toml.h).
      {"[`",
       "team.toml:1: Error while parsing key: expected bare key "
       "starting character or string delimiter, saw '`'"},
      {std::string("[users.alice]\nprefixes = [\"a/\"]") + '\0' + "\n",
       "team.toml:2: not a text file (it holds a NUL byte): a roster is TOML "
       "text"},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    try {
      ParseRoster(text, kPath);
      ADD_FAILURE() << "accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kUsage);
      if (expected.ends_with(": ")) {
        EXPECT_EQ(std::string(error.what()).rfind(expected, 0), 0u)
            << error.what();
      } else {
        EXPECT_EQ(error.what(), expected);
      }
    }
  }
}

TEST(RosterTest, ListsEveryProblemOfAFile) {
  try {
    ParseRoster(
        "[users.alice]\n"
        "prefixes = [\"*\"]\n"
        "\n"
        "[users.bob]\n"
        "prefixes = [\"b/\"]\n"
        "permision = \"READ\"\n",
        kPath);
    ADD_FAILURE() << "accepted";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              "roster team.toml has 2 problems, so nothing was read from AWS "
              "or changed:\n"
              "  team.toml:2: users.alice.prefixes: prefix '*' would grant "
              "the whole bucket: name the dataset folder, for example "
              "'cpg0001-example/'\n"
              "  team.toml:6: users.bob: unknown key 'permision' (a user "
              "takes only prefixes and permission)");
  }
}

TEST(RosterTest, ShowsOnlyPrintableCharactersOfKeys) {
  try {
    ParseRoster("\"\\u0007bell\" = 1\n[users]\n", kPath);
    ADD_FAILURE() << "accepted";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              "team.toml:1: unknown key '?bell': a roster holds only "
              "[users.NAME] tables");
  }
}

TEST(RosterTest, RefusesATextLargerThanTheCap) {
  std::string text = "[users]\n" + std::string(kMaxRosterBytes, '#');
  try {
    ParseRoster(text, kPath);
    ADD_FAILURE() << "accepted";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              "roster team.toml is larger than 1048576 bytes: a roster is a "
              "short text file");
  }
}

// The parser's contract on arbitrary bytes: a Roster or a usage Error.
TEST(RosterTest, ArbitraryBytesGiveARosterOrAUsageError) {
  std::mt19937 random(42);
  const std::string seed =
      "[users.alice]\nprefixes = [\"cpg0001-alpha/\", \"b/\"]\n"
      "permission = \"READ\"\n[users.\"x\"]\nprefixes=[]\n";
  for (int round = 0; round < 3000; ++round) {
    std::string text = seed;
    int edits = 1 + static_cast<int>(random() % 8);
    for (int i = 0; i < edits && !text.empty(); ++i) {
      size_t at = random() % text.size();
      text[at] = static_cast<char>(random() % 256);
    }
    try {
      Roster roster = ParseRoster(text, kPath);
      for (const RosterUser& user : roster.users) {
        EXPECT_FALSE(user.sub_prefixes.empty());
      }
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kUsage);
    }
  }
}

class RosterFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("roster_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::string Write(const std::string& name, const std::string& content) {
    std::string path = (directory_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  std::string Refusal(const std::string& path) {
    try {
      LoadRoster(path);
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kUsage);
      return error.what();
    }
    ADD_FAILURE() << "accepted " << path;
    return "";
  }

  std::filesystem::path directory_;
};

TEST_F(RosterFileTest, LoadsAFile) {
  std::string path = Write("team.toml", "[users.a]\nprefixes = [\"p/\"]\n");
  Roster roster = LoadRoster(path);
  EXPECT_EQ(roster.path, path);
  ASSERT_EQ(roster.users.size(), 1u);
}

TEST_F(RosterFileTest, RefusesWhatIsNotAReadableRoster) {
  std::string missing = (directory_ / "missing.toml").string();
  EXPECT_EQ(Refusal(missing), "roster " + missing + " does not exist");
  EXPECT_EQ(Refusal(directory_.string()), "cannot read roster " +
                                              directory_.string() +
                                              ": it is not a regular file");
  std::string big = Write("big.toml", std::string(kMaxRosterBytes + 10, '#'));
  EXPECT_EQ(Refusal(big), "roster " + big +
                              " is larger than 1048576 bytes: a roster is a "
                              "short text file");
  std::string binary = Write("binary.toml", std::string("\x7f"
                                                        "ELF\0\0",
                                                        6));
  EXPECT_EQ(Refusal(binary), binary +
                                 ":1: not a text file (it holds a NUL byte): "
                                 "a roster is TOML text");
  std::string fifo = (directory_ / "fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(Refusal(fifo),
            "cannot read roster " + fifo + ": it is not a regular file");
  if (::geteuid() != 0) {
    std::string locked = Write("locked.toml", "[users]\n");
    ::chmod(locked.c_str(), 0);
    EXPECT_EQ(Refusal(locked),
              "cannot read roster " + locked + ": Permission denied");
  }
}

}  // namespace
}  // namespace cytoskel
