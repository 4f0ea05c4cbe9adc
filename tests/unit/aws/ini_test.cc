#include "aws/ini.h"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "aws/error.h"

namespace cytoskel {
namespace {

// One line per key, sections in file order: "[name]", "key=value",
// "block.key=value". Values show line breaks as "\n".
std::string Render(const IniFile& file) {
  std::string text;
  const auto escaped = [](const std::string& value) {
    std::string out;
    for (char c : value)
      out += c == '\n' ? std::string("\\n") : std::string(1, c);
    return out;
  };
  for (const auto& [name, section] : file) {
    text += "[" + name + "]\n";
    for (const auto& [key, value] : section.values) {
      text += key + "=" + escaped(value) + "\n";
    }
    for (const auto& [key, block] : section.subsections) {
      for (const auto& [inner, value] : block) {
        text += key + "." + inner + "=" + escaped(value) + "\n";
      }
    }
  }
  return text;
}

struct ParseCase {
  const char* name;
  std::string text;
  std::string expected;  // Render() of the result
};

TEST(ParseIniTest, ReadsWhatBotocoreReads) {
  const std::vector<ParseCase> cases = {
      {"empty file", "", ""},
      {"only comments and blanks", "# a\n; b\n\n   \n", ""},
      {"one key", "[default]\nregion = us-east-1\n",
       "[default]\nregion=us-east-1\n"},
      {"keys lowercased, values trimmed, colon delimiter",
       "[default]\n  Region   =   eu-west-1  \nOutput: json\n",
       "[default]\noutput=json\nregion=eu-west-1\n"},
      {"first of '=' or ':' ends the key", "[a]\nk:v=w\nx=y:z\n",
       "[a]\nk=v=w\nx=y:z\n"},
      {"no inline comments, as in botocore", "[a]\nk = v # c ; d\n",
       "[a]\nk=v # c ; d\n"},
      {"whole-line comments anywhere", "[a]\n# c\n; c\nk = v\n    # c\n",
       "[a]\nk=v\n"},
      {"empty value", "[a]\nk =\n", "[a]\nk=\n"},
      {"sub-section keeps inner case",
       "[default]\ns3 =\n  addressing_style = path\n  Signature_Version = "
       "s3v4\nregion = x\n",
       "[default]\nregion=x\ns3.Signature_Version=s3v4\n"
       "s3.addressing_style=path\n"},
      {"sub-section splits on '=' only",
       "[services local]\niam =\n  endpoint_url = http://localhost:4566\n",
       "[services local]\niam.endpoint_url=http://localhost:4566\n"},
      {"blank and comment lines inside a sub-section",
       "[a]\ns3 =\n\n  x = 1\n  # note\n\n  y = 2\n\nz = 3\n",
       "[a]\nz=3\ns3.x=1\ns3.y=2\n"},
      {"continued plain value", "[a]\nnote = first\n  second\n\tthird\n",
       "[a]\nnote=first\\nsecond\\nthird\n"},
      {"deeper indent after an indented key continues it",
       "[a]\n  k = v\n    more\n  j = w\n", "[a]\nj=w\nk=v\\nmore\n"},
      {"CRLF line ends", "[a]\r\nk = v\r\ns3 =\r\n  x = 1\r\n",
       "[a]\nk=v\ns3.x=1\n"},
      {"CR line ends", "[a]\rk = v\r", "[a]\nk=v\n"},
      {"byte order mark", "\xEF\xBB\xBF[a]\nk = v\n", "[a]\nk=v\n"},
      {"header ends at the last ']'", "[a]b] ; trailing\nk = v\n",
       "[a]b]\nk=v\n"},
      {"header text kept as written", "[ profile x ]\nk = v\n",
       "[ profile x ]\nk=v\n"},
      {"DEFAULT is inherited, own keys win",
       "[DEFAULT]\nregion = r\nk = d\n[a]\nk = own\n[b]\n",
       "[a]\nk=own\nregion=r\n[b]\nk=d\nregion=r\n"},
      {"sections in file order", "[z]\n[a]\n[m]\n", "[z]\n[a]\n[m]\n"},
  };
  for (const ParseCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Render(ParseIni(c.text, "/cfg")), c.expected);
  }
}

struct ErrorCase {
  const char* name;
  std::string text;
  std::string expected;
};

TEST(ParseIniTest, ErrorsNameFileAndLine) {
  const std::vector<ErrorCase> cases = {
      {"key before any section", "k = v\n",
       "Unable to parse config file: /cfg (line 1: text before the first "
       "[section])"},
      {"indented line before any section", "\n  k = v\n",
       "Unable to parse config file: /cfg (line 2: text before the first "
       "[section])"},
      {"line without delimiter", "[a]\nk = v\nwJalrXUtnFEMIsecret\n",
       "Unable to parse config file: /cfg (line 3: expected \"key = "
       "value\")"},
      {"empty header is not a header", "[a]\n[]\n",
       "Unable to parse config file: /cfg (line 2: expected \"key = "
       "value\")"},
      {"empty key", "[a]\n = v\n",
       "Unable to parse config file: /cfg (line 2: no key before the '=' or "
       "':')"},
      {"duplicate section", "[a]\n[b]\n[a]\n",
       "Unable to parse config file: /cfg (line 3: section [a] appears "
       "twice)"},
      {"duplicate key in any case", "[a]\nRegion = x\nregion = y\n",
       "Unable to parse config file: /cfg (line 3: key \"region\" appears "
       "twice in [a])"},
      {"duplicate key across DEFAULT blocks",
       "[DEFAULT]\nk = 1\n[DEFAULT]\nk = 2\n",
       "Unable to parse config file: /cfg (line 4: key \"k\" appears twice "
       "in [DEFAULT])"},
      {"sub-section line without '='", "[a]\ns3 =\n  x = 1\n  secretish\n",
       "Unable to parse config file: /cfg (line 4: expected \"key = value\" "
       "in the block under \"s3\")"},
      {"CRLF counts lines once", "[a]\r\nk = v\r\nbad\r\n",
       "Unable to parse config file: /cfg (line 3: expected \"key = "
       "value\")"},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.name);
    try {
      ParseIni(c.text, "/cfg");
      ADD_FAILURE() << "no error";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kConfig);
      EXPECT_EQ(error.message(), c.expected);
      EXPECT_EQ(error.message().find("secret"), std::string::npos);
    }
  }
}

// Whatever the bytes, the parser returns or throws Error; the sanitizer build
// checks that nothing in between misbehaves.
TEST(ParseIniTest, SurvivesArbitraryBytes) {
  static constexpr char kBytes[] =
      "[]=:#; \t\r\n\v\"'\\aZ\0\xEF\xBB\xBF\xff profile services DEFAULT s3";
  const std::string alphabet(kBytes, sizeof kBytes - 1);
  std::mt19937 random(12345);
  std::uniform_int_distribution<size_t> length(0, 200);
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  for (int round = 0; round < 3000; ++round) {
    std::string text(length(random), ' ');
    for (char& c : text) c = alphabet[pick(random)];
    try {
      SortConfigSections(ParseIni(text, "/fuzz"));
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kConfig);
    }
  }
}

struct SortCase {
  const char* name;
  std::string text;
  std::string profiles;  // "name;name;" in map order
  std::string services;
  std::string sso_sessions;
};

std::string Names(const std::map<std::string, IniSection>& sections) {
  std::string names;
  for (const auto& [name, section] : sections) names += name + ";";
  return names;
}

TEST(SortConfigSectionsTest, SortsLikeBuildProfileMap) {
  const std::vector<SortCase> cases = {
      {"default and named", "[default]\n[profile dev]\n", "default;dev;", "",
       ""},
      {"bare names are not profiles in a config file", "[dev]\n[preview]\n", "",
       "", ""},
      {"quoted name", "[profile \"my dev\"]\n[profile 'x y']\n", "my dev;x y;",
       "", ""},
      {"not exactly two words", "[profile]\n[profile a b]\n[profilex]\n", "",
       "", ""},
      {"unbalanced quote", "[profile 'x]\n[profile a\\]\n", "", "", ""},
      {"escaped space", "[profile a\\ b]\n", "a b;", "", ""},
      {"services and sso sessions",
       "[services local]\nk = v\n[sso-session corp]\nk = v\n", "", "local;",
       "corp;"},
      {"leading space hides the kind", "[ profile dev]\n[ default]\n", "", "",
       ""},
  };
  for (const SortCase& c : cases) {
    SCOPED_TRACE(c.name);
    const ConfigSections sorted = SortConfigSections(ParseIni(c.text, "/c"));
    EXPECT_EQ(Names(sorted.profiles), c.profiles);
    EXPECT_EQ(Names(sorted.services), c.services);
    EXPECT_EQ(Names(sorted.sso_sessions), c.sso_sessions);
  }
}

TEST(SortConfigSectionsTest, LaterDefaultSectionWins) {
  const struct {
    const char* name;
    std::string text;
    std::string region;
  } cases[] = {
      {"[profile default] last",
       "[default]\nregion = a\n[profile default]\nregion = b\n", "b"},
      {"[default] last",
       "[profile default]\nregion = b\n[default]\nregion = a\n", "a"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const ConfigSections sorted = SortConfigSections(ParseIni(c.text, "/c"));
    EXPECT_EQ(sorted.profiles.at("default").values.at("region"), c.region);
  }
}

}  // namespace
}  // namespace cytoskel
