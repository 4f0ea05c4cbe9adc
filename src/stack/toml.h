// toml++, configured for files a user hands us. Include this instead of
// <toml++/toml.h>.
#ifndef CYTOSKEL_STACK_TOML_H_
#define CYTOSKEL_STACK_TOML_H_

// toml++ 3.3 checks some of its parser's expectations with assert(), and a
// few of them fail on malformed input that the parser then reports as a
// proper parse_error (for example "[`"). Release builds compile them out;
// this makes Debug and sanitizer builds do the same, so a bad config file or
// roster gives an error message instead of an abort.
#ifndef TOML_ASSERT
#define TOML_ASSERT(expr) static_cast<void>(0)
#endif

#include <toml++/toml.h>

#include <string>
#include <string_view>

namespace cytoskel {

// `text` with a leading UTF-8 byte order mark dropped and every other
// non-ASCII byte read as '?'. toml++ 3.3 reaches __builtin_unreachable()
// (undefined behaviour) when it asks whether some non-ASCII characters,
// U+00E9 among them, are whitespace (is_non_ascii_horizontal_whitespace),
// which happens outside strings and comments and after a line-ending
// backslash in multi-line strings. cytoskel's TOML files need non-ASCII
// nowhere but in comments: names, prefixes and ids are ASCII, so a '?' in
// one is refused by their own checks, and lines keep their numbers. Parse
// every file through this.
inline std::string TomlAsciiOnly(std::string_view text) {
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  if (text.starts_with(kByteOrderMark)) {
    text.remove_prefix(kByteOrderMark.size());
  }
  std::string ascii(text);
  for (char& c : ascii) {
    if (static_cast<unsigned char>(c) >= 0x80) c = '?';
  }
  return ascii;
}

}  // namespace cytoskel

#endif  // CYTOSKEL_STACK_TOML_H_
