#include "cli/app.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace cytoskel {
namespace {

// Runs the CLI with no AWS environment at all and captures its streams.
struct CliRun {
  int code;
  std::string out;
  std::string err;
};

CliRun RunWith(const std::vector<std::string>& args) {
  std::istringstream in;
  std::ostringstream out, err;
  Io io{in, out, err, false, false};
  int code = RunCli(args, io, Environment::FromMaps({}));
  return {code, out.str(), err.str()};
}

TEST(AppTest, SuggestsTheClosestWord) {
  struct Case {
    const char* word;
    const char* expected;
  };
  const std::vector<std::string> words = {"whoami", "cpgstaging", "grants",
                                          "credentials", "exec"};
  const std::vector<Case> cases = {
      {"whoam", "whoami"}, {"cpgstagin", "cpgstaging"},
      {"grant", "grants"}, {"credentails", "credentials"},
      {"exce", "exec"},    {"zzzzzzzz", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.word);
    EXPECT_EQ(ClosestWord(c.word, words), c.expected);
  }
}

TEST(AppTest, VersionNeedsNoConfiguration) {
  CliRun run = RunWith({"--version"});
  EXPECT_EQ(run.code, 0);
  EXPECT_EQ(run.out, std::string("cytoskel ") + CYTOSKEL_VERSION + "\n");
  EXPECT_EQ(run.err, "");
}

TEST(AppTest, MistypedCommandIsAUsageErrorWithASuggestion) {
  CliRun run = RunWith({"whoam"});
  EXPECT_EQ(run.code, 252);
  EXPECT_NE(run.err.find("cytoskel: error: "), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("did you mean 'whoami'?"), std::string::npos)
      << run.err;
  EXPECT_EQ(run.out, "");
}

TEST(AppTest, AnUnknownCommandWordIsNamedWithItsParent) {
  const struct {
    std::vector<std::string> args;
    const char* message;
  } cases[] = {
      {{"cpgstaging", "bogus"},
       "cytoskel: error: 'bogus' is not a command of 'cytoskel cpgstaging'\n"},
      {{"cpgstaging", "lst"},
       "cytoskel: error: 'lst' is not a command of 'cytoskel cpgstaging' "
       "(did you mean 'list'?)\n"},
      {{"cpgstaging", "list", "usr"},
       "cytoskel: error: 'usr' is not a command of 'cytoskel cpgstaging "
       "list' (did you mean 'user'?)\n"},
      // Asking for help on a word that is no command is the same mistake.
      {{"cpgstaging", "bogus", "--help"},
       "cytoskel: error: 'bogus' is not a command of 'cytoskel cpgstaging'\n"},
      {{"cpgstaging",
        "b\x01"
        "d"},
       "cytoskel: error: 'b?d' is not a command of 'cytoskel cpgstaging'\n"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.args.back());
    CliRun run = RunWith(c.args);
    EXPECT_EQ(run.code, 252);
    EXPECT_EQ(run.err, std::string(c.message) +
                           "Run 'cytoskel --help' for the list of commands.\n");
    EXPECT_EQ(run.out, "");
  }
}

TEST(AppTest, DoctorIsStatus) {
  CliRun run = RunWith({"cpgstaging", "doctor", "--help"});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("Explain how the account differs from the stack"),
            std::string::npos)
      << run.out;
}

TEST(AppTest, HelpOfACommandGroupIsNoError) {
  CliRun run = RunWith({"cpgstaging", "--help"});
  EXPECT_EQ(run.code, 0);
  EXPECT_NE(run.out.find("onboard"), std::string::npos) << run.out;
}

TEST(AppTest, HelpListsCommandsWithExamples) {
  CliRun run = RunWith({"whoami", "--help"});
  EXPECT_EQ(run.code, 0);
  EXPECT_NE(run.out.find("Examples:"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("cytoskel whoami"), std::string::npos) << run.out;
}

TEST(AppTest, BadOutputFormatIsAUsageError) {
  CliRun run = RunWith({"--output", "yaml", "whoami"});
  EXPECT_EQ(run.code, 252);
  EXPECT_EQ(run.err,
            "cytoskel: error: --output must be text, json or table, not "
            "'yaml'\n");
}

TEST(AppTest, MissingCredentialsIsAConfigurationError) {
  CliRun run = RunWith({"--region", "us-east-1", "whoami"});
  EXPECT_EQ(run.code, 253) << run.err;
  EXPECT_EQ(run.out, "");
}

}  // namespace
}  // namespace cytoskel
