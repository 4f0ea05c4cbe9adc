// The INI dialect of the AWS config and credentials files, read the way the
// AWS CLI reads it (Python's configparser in its default strict mode, plus
// botocore's configloader on top). In short:
//
//   [default]                     sections; the header is everything between
//   region = eu-west-1            the first '[' and the last ']'
//   Output: json                  keys end at the first '=' or ':'; they are
//                                 lowercased; keys and values are trimmed
//   # comment / ; comment         whole-line comments only: "a = b # c" has
//                                 the value "b # c", as in botocore
//   s3 =                          an empty value followed by deeper-indented
//     addressing_style = path     "key = value" lines is a sub-section; its
//                                 keys keep their case, as in botocore
//   note = first                  deeper-indented lines after a non-empty
//     second                      value continue it: "first\nsecond"
//
// A section or a key given twice is an error, as is a line outside any
// section, a line with no '=' or ':', a line with an empty key and a
// sub-section line with no '='. Keys of a [DEFAULT] section are inherited by
// every other section. Line ends may be "\n", "\r\n" or "\r"; a leading UTF-8
// byte order mark is skipped (botocore refuses such files; we are lenient
// there on purpose). Only ASCII whitespace counts as whitespace.
#ifndef CYTOSKEL_AWS_INI_H_
#define CYTOSKEL_AWS_INI_H_

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cytoskel {

// One [section]. A key is in exactly one of the two maps.
struct IniSection {
  std::map<std::string, std::string> values;
  std::map<std::string, std::map<std::string, std::string>> subsections;

  bool Has(const std::string& key) const {
    return values.count(key) > 0 || subsections.count(key) > 0;
  }
  friend bool operator==(const IniSection&, const IniSection&) = default;
};

// Every section of one file, by its full header text ("profile dev"), in the
// order of the file. [DEFAULT] is not listed: it is merged into the others.
using IniFile = std::vector<std::pair<std::string, IniSection>>;

// Parses the text of a config or credentials file. Throws ConfigError
// "Unable to parse config file: PATH (line N: REASON)" on the first error
// found; the message never quotes the offending line, which may hold a
// secret. `path` is used only in that message. Safe on arbitrary bytes.
IniFile ParseIni(std::string_view text, const std::string& path);

// The sections of an AWS config file sorted by kind, as botocore's
// build_profile_map does it. "[default]" and "[profile NAME]" are profiles
// (whichever comes later wins if both name "default"); "[sso-session NAME]"
// and "[services NAME]" are their own kinds. NAME is split like a POSIX
// shell word, so [profile "my dev"] names "my dev"; a header that does not
// split into exactly two words (or has unbalanced quotes) is ignored, as is
// every other section.
struct ConfigSections {
  std::map<std::string, IniSection> profiles;
  std::map<std::string, IniSection> sso_sessions;
  std::map<std::string, IniSection> services;
};
ConfigSections SortConfigSections(const IniFile& file);

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_INI_H_
