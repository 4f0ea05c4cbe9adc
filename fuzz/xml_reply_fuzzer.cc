// Fuzzes the XML helpers every AWS reply goes through (aws/xml.h) and the
// RFC 3339 parser the replies' timestamps go through (aws/time_format.h).
//
// Properties checked besides "no crash, only cytoskel::Error":
// - a parsed timestamp formats and parses back to itself (whole seconds);
// - XmlEscape'd text parses back to the same text.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "aws/time_format.h"
#include "aws/xml.h"
#include "fuzz_support.h"

namespace cytoskel::fuzz {
namespace {

constexpr const char* kElements[] = {
    "Code",        "Message",    "RequestId", "Arn",       "UserName",
    "CreateDate",  "Expiration", "Error",     "NextToken", "IsTruncated",
    "AccessKeyId", "member",     "Tags",      "GrantScope"};

void CheckReply(std::string_view body) {
  ExpectOnlyErrors("ParseErrorBody", [&] {
    if (auto error = ParseErrorBody(body)) {
      Require(!error->code.empty(), "a parsed error has a code");
    }
  });
  ExpectOnlyErrors("ParseXmlReply", [&] {
    pugi::xml_document document = ParseXmlReply(body, "FuzzOperation");
    pugi::xml_node root = document.document_element();
    Require(!root.empty(), "a parsed reply has a root element");
    for (const char* name : kElements) {
      ChildText(root, name);
      pugi::xml_node found = FindDescendant(root, name);
      ExpectOnlyErrors("RequiredText",
                       [&] { RequiredText(found.parent(), name, "Fuzz"); });
      ExpectOnlyErrors("RequiredTimestamp", [&] {
        RequiredTimestamp(found.parent(), name, "Fuzz");
      });
    }
  });
}

void CheckTimestamp(std::string_view text) {
  auto parsed = ParseRfc3339(text);
  if (!parsed) return;
  auto whole = std::chrono::floor<std::chrono::seconds>(*parsed);
  std::string formatted = FormatRfc3339(*parsed);
  // FormatRfc3339 promises the inverse only for years 0000-9999.
  if (formatted.size() != 20) return;
  auto again = ParseRfc3339(formatted);
  Require(again.has_value(), "a formatted timestamp parses");
  Require(*again == whole, "timestamps round-trip to the second");
}

bool RoundTrips(std::string_view text) {
  if (text.find_first_not_of(" \t\n\r") == std::string_view::npos) {
    return false;  // whitespace-only text nodes are dropped by design
  }
  // NUL ends a C string and the parser normalises "\r\n" to "\n".
  return text.find('\0') == std::string_view::npos &&
         text.find('\r') == std::string_view::npos;
}

void CheckEscape(std::string_view text) {
  if (!RoundTrips(text)) return;
  std::string document = "<a>" + XmlEscape(text) + "</a>";
  pugi::xml_document parsed = ParseXmlReply(document, "Escape");
  Require(parsed.document_element().text().as_string() == std::string(text),
          "XmlEscape'd text parses back to itself");
}

}  // namespace
}  // namespace cytoskel::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  cytoskel::fuzz::CheckReply(input);
  cytoskel::fuzz::CheckTimestamp(input.substr(0, 64));
  cytoskel::fuzz::CheckEscape(input.substr(0, 256));
  return 0;
}
