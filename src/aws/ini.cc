#include "aws/ini.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "aws/error.h"

namespace cytoskel {

namespace {

// What Python's str.isspace() accepts among ASCII characters; configparser
// strips with it.
constexpr std::string_view kSpace(" \t\n\r\v\f\x1c\x1d\x1e\x1f", 10);

// Where Python's str.splitlines() breaks a line, among ASCII characters.
constexpr std::string_view kLineBreaks("\n\r\v\f\x1c\x1d\x1e", 7);

// The separators of shlex.split, which botocore uses on section headers.
constexpr std::string_view kShellSpace(" \t\r\n", 4);

bool IsSpace(char c) { return kSpace.find(c) != std::string_view::npos; }

std::string_view TrimLeft(std::string_view text) {
  size_t start = 0;
  while (start < text.size() && IsSpace(text[start])) ++start;
  return text.substr(start);
}

std::string_view TrimRight(std::string_view text) {
  size_t end = text.size();
  while (end > 0 && IsSpace(text[end - 1])) --end;
  return text.substr(0, end);
}

std::string_view Trim(std::string_view text) {
  return TrimRight(TrimLeft(text));
}

std::string AsciiLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

// Splits at "\n", "\r\n" and "\r", as Python's universal newlines do. A
// final line end does not start another line.
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    if (end < text.size() && text[end] == '\r' && end + 1 < text.size() &&
        text[end + 1] == '\n') {
      ++end;
    }
    start = end + 1;
  }
  return lines;
}

// Splits text into words as Python's shlex.split does in POSIX mode: quotes
// group (and may produce an empty word), a backslash escapes the next
// character outside single quotes. nullopt for an unclosed quote or a
// trailing backslash, where shlex raises.
std::optional<std::vector<std::string>> SplitShellWords(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (kShellSpace.find(c) != std::string_view::npos) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\\') {
      if (++i == text.size()) return std::nullopt;
      word += text[i];
    } else if (c == '\'') {
      const size_t close = text.find('\'', i + 1);
      if (close == std::string_view::npos) return std::nullopt;
      word += text.substr(i + 1, close - i - 1);
      i = close;
    } else if (c == '"') {
      for (++i;; ++i) {
        if (i >= text.size()) return std::nullopt;
        if (text[i] == '"') break;
        // Inside double quotes a backslash escapes only '"' and '\'.
        if (text[i] == '\\' && i + 1 < text.size() &&
            (text[i + 1] == '"' || text[i + 1] == '\\')) {
          ++i;
        }
        word += text[i];
      }
    } else {
      word += c;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

// One line of a value, kept with its number for error messages.
struct ValueLine {
  std::string text;
  int number;
};
using RawValue = std::vector<ValueLine>;
using RawSection = std::map<std::string, RawValue>;

// A port of configparser's RawConfigParser._read (strict mode, default
// delimiters and comment prefixes, empty lines allowed in values), followed
// by botocore's split of indented values into sub-sections.
class Parser {
 public:
  explicit Parser(const std::string& path) : path_(path) {}

  IniFile Parse(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    int number = 0;
    for (std::string_view line : SplitLines(text)) ParseLine(line, ++number);
    return Finish();
  }

 private:
  void ParseLine(std::string_view line, int number) {
    const std::string_view content = Trim(line);
    if (content.starts_with('#') || content.starts_with(';')) return;
    if (content.empty()) {
      // A blank line belongs to the value being read, if any: it ends a
      // sub-section line list only if what follows is not indented.
      if (value_ != nullptr) value_->push_back({"", number});
      return;
    }

    const size_t indent = line.size() - TrimLeft(line).size();
    if (value_ != nullptr && indent > indent_) {
      value_->push_back({std::string(content), number});
      return;
    }
    indent_ = indent;
    if (IsSectionHeader(content)) {
      StartSection(content.substr(1, content.rfind(']') - 1), number);
    } else if (section_ == nullptr) {
      Fail(number, "text before the first [section]");
    } else {
      StartValue(content, number);
    }
  }

  // configparser's header pattern: '[', at least one character, then the
  // last ']' on the line; anything after it is ignored.
  static bool IsSectionHeader(std::string_view content) {
    const size_t close = content.rfind(']');
    return content.starts_with('[') && close != std::string_view::npos &&
           close >= 2;
  }

  void StartSection(std::string_view header, int number) {
    value_ = nullptr;
    if (header == "DEFAULT") {
      section_ = &defaults_;
      section_name_ = "DEFAULT";
      return;
    }
    std::string name(header);
    if (sections_.count(name) > 0) {
      Fail(number, fmt::format("section [{}] appears twice", name));
    }
    order_.push_back(name);
    section_ = &sections_[name];
    section_name_ = std::move(name);
  }

  // "key = value" or "key: value": the key ends at the first '=' or ':'.
  void StartValue(std::string_view content, int number) {
    const size_t split = content.find_first_of("=:");
    if (split == std::string_view::npos) {
      Fail(number, "expected \"key = value\"");
    }
    const std::string key = AsciiLower(TrimRight(content.substr(0, split)));
    if (key.empty()) Fail(number, "no key before the '=' or ':'");
    if (section_->count(key) > 0) {
      Fail(number,
           fmt::format("key \"{}\" appears twice in [{}]", key, section_name_));
    }
    value_ = &(*section_)[key];
    value_->push_back({std::string(Trim(content.substr(split + 1))), number});
  }

  IniFile Finish() const {
    const IniSection defaults = Convert(defaults_);
    IniFile file;
    for (const std::string& name : order_) {
      IniSection section = Convert(sections_.at(name));
      Inherit(defaults, section);
      file.emplace_back(name, std::move(section));
    }
    return file;
  }

  static void Inherit(const IniSection& defaults, IniSection& section) {
    for (const auto& [key, value] : defaults.values) {
      if (!section.Has(key)) section.values[key] = value;
    }
    for (const auto& [key, value] : defaults.subsections) {
      if (!section.Has(key)) section.subsections[key] = value;
    }
  }

  // Joins each value's lines. A value whose first line is empty and which
  // has more lines is a sub-section (botocore's _parse_nested).
  IniSection Convert(const RawSection& raw) const {
    IniSection section;
    for (const auto& [key, lines] : raw) {
      std::string joined;
      for (const ValueLine& line : lines) {
        if (&line != &lines.front()) joined += '\n';
        joined += line.text;
      }
      joined.resize(TrimRight(joined).size());
      if (joined.starts_with('\n')) {
        section.subsections[key] = ParseSubsection(key, lines);
      } else {
        section.values[key] = std::move(joined);
      }
    }
    return section;
  }

  std::map<std::string, std::string> ParseSubsection(
      const std::string& key, const RawValue& lines) const {
    std::map<std::string, std::string> entries;
    for (const ValueLine& line : lines) {
      std::string_view rest = line.text;
      while (!rest.empty()) {
        const size_t end =
            std::min(rest.find_first_of(kLineBreaks), rest.size());
        AddSubsectionEntry(key, Trim(rest.substr(0, end)), line.number,
                           entries);
        rest.remove_prefix(std::min(end + 1, rest.size()));
      }
    }
    return entries;
  }

  void AddSubsectionEntry(const std::string& key, std::string_view entry,
                          int number,
                          std::map<std::string, std::string>& entries) const {
    if (entry.empty()) return;
    const size_t split = entry.find('=');
    if (split == std::string_view::npos) {
      Fail(number,
           fmt::format("expected \"key = value\" in the block under \"{}\"",
                       key));
    }
    entries[std::string(Trim(entry.substr(0, split)))] =
        std::string(Trim(entry.substr(split + 1)));
  }

  [[noreturn]] void Fail(int number, std::string_view reason) const {
    throw ConfigError(
        fmt::format("Unable to parse config file: {} (line {}: {})", path_,
                    number, reason));
  }

  const std::string path_;
  std::map<std::string, RawSection> sections_;  // node-stable: see section_
  std::vector<std::string> order_;
  RawSection defaults_;
  RawSection* section_ = nullptr;  // the section being read, or null
  std::string section_name_;
  RawValue* value_ = nullptr;  // the value being read, or null
  size_t indent_ = 0;          // indentation of the last key or header line
};

}  // namespace

IniFile ParseIni(std::string_view text, const std::string& path) {
  return Parser(path).Parse(text);
}

ConfigSections SortConfigSections(const IniFile& file) {
  ConfigSections sorted;
  for (const auto& [header, section] : file) {
    std::map<std::string, IniSection>* kind = nullptr;
    if (header.starts_with("profile")) {
      kind = &sorted.profiles;
    } else if (header.starts_with("sso-session")) {
      kind = &sorted.sso_sessions;
    } else if (header.starts_with("services")) {
      kind = &sorted.services;
    } else if (header == "default") {
      sorted.profiles["default"] = section;
      continue;
    } else {
      continue;
    }
    const auto words = SplitShellWords(header);
    if (words && words->size() == 2) (*kind)[(*words)[1]] = section;
  }
  return sorted;
}

}  // namespace cytoskel
