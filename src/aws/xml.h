// Reading AWS XML replies with pugixml. AWS puts every reply element in a
// default namespace, which pugixml ignores, so plain names work.
#ifndef CYTOSKEL_AWS_XML_H_
#define CYTOSKEL_AWS_XML_H_

#include <pugixml.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace cytoskel {

// Parses a reply body. Throws a transport Error naming `operation` when the
// body is not well-formed XML (a cut reply, an HTML page from a proxy).
pugi::xml_document ParseXmlReply(std::string_view body,
                                 const std::string& operation);

// The text of the first child element `name` of `node`, or "" if absent.
std::string ChildText(const pugi::xml_node& node, const char* name);

// The first element named `name` anywhere below `node`, depth first.
pugi::xml_node FindDescendant(const pugi::xml_node& node, const char* name);

// Reads the text of child `name` and requires it to be present and
// non-empty; otherwise throws a transport Error that names the operation
// and the element (the reply does not match the API).
std::string RequiredText(const pugi::xml_node& node, const char* name,
                         const std::string& operation);

// Reads child `name` as an RFC 3339 timestamp; throws a transport Error
// naming the operation when it is missing or malformed.
std::chrono::system_clock::time_point RequiredTimestamp(
    const pugi::xml_node& node, const char* name, const std::string& operation);

// The fields of an AWS error reply, from either shape:
// <Error><Code/><Message/><RequestId/></Error> or
// <ErrorResponse><Error>...</Error><RequestId/></ErrorResponse>, and the
// <ErrorResponse><Errors><Error>...</Error></Errors></ErrorResponse> variant.
struct AwsErrorBody {
  std::string code;
  std::string message;
  std::string request_id;
};

// Returns nullopt when `body` is not an AWS error document.
std::optional<AwsErrorBody> ParseErrorBody(std::string_view body);

// Escapes text for inclusion in an XML element or attribute.
std::string XmlEscape(std::string_view text);

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_XML_H_
