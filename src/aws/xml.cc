#include "aws/xml.h"

#include "aws/error.h"
#include "aws/time_format.h"

namespace cytoskel {

pugi::xml_document ParseXmlReply(std::string_view body,
                                 const std::string& operation) {
  pugi::xml_document document;
  pugi::xml_parse_result result =
      document.load_buffer(body.data(), body.size());
  if (!result || document.document_element().empty()) {
    throw TransportError(
        operation + ": the reply is not valid XML (" +
        (body.empty() ? std::string("empty body") : result.description()) +
        ")");
  }
  return document;
}

std::string ChildText(const pugi::xml_node& node, const char* name) {
  return node.child(name).text().as_string();
}

pugi::xml_node FindDescendant(const pugi::xml_node& node, const char* name) {
  return node.find_node([name](const pugi::xml_node& candidate) {
    return std::string_view(candidate.name()) == name;
  });
}

std::string RequiredText(const pugi::xml_node& node, const char* name,
                         const std::string& operation) {
  std::string text = ChildText(node, name);
  if (text.empty()) {
    throw TransportError(operation + ": the reply has no <" + name +
                         "> where the API promises one");
  }
  return text;
}

std::chrono::system_clock::time_point RequiredTimestamp(
    const pugi::xml_node& node, const char* name,
    const std::string& operation) {
  auto time = ParseRfc3339(RequiredText(node, name, operation));
  if (!time) {
    throw TransportError(operation + ": the reply's <" + name +
                         "> is not a timestamp");
  }
  return *time;
}

std::optional<AwsErrorBody> ParseErrorBody(std::string_view body) {
  pugi::xml_document document;
  if (!document.load_buffer(body.data(), body.size())) return std::nullopt;
  pugi::xml_node root = document.document_element();
  // <Error> is the root (rest-xml), a child (query) or a grandchild
  // (<ErrorResponse><Errors><Error>, as EC2 and moto's STS send it).
  pugi::xml_node error = std::string_view(root.name()) == "Error"
                             ? root
                             : FindDescendant(root, "Error");
  if (error.empty()) return std::nullopt;
  AwsErrorBody parsed;
  parsed.code = ChildText(error, "Code");
  parsed.message = ChildText(error, "Message");
  parsed.request_id = ChildText(error, "RequestId");
  if (parsed.request_id.empty()) {
    parsed.request_id = ChildText(root, "RequestId");
  }
  if (parsed.code.empty()) return std::nullopt;
  return parsed;
}

std::string XmlEscape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&apos;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

}  // namespace cytoskel
