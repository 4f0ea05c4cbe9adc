#include "aws/query_protocol.h"

#include "aws/sigv4.h"
#include "aws/xml.h"

namespace cytoskel {

namespace {

// application/x-www-form-urlencoded: AWS's unreserved set kept, a space
// as '+', everything else %XX. This is byte for byte what botocore sends,
// which matters to servers that re-encode the form before checking the
// signature.
std::string FormEncode(std::string_view text) {
  std::string encoded = UriEncode(text, true);
  std::string result;
  result.reserve(encoded.size());
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (encoded.compare(i, 3, "%20") == 0) {
      result += '+';
      i += 2;
    } else {
      result += encoded[i];
    }
  }
  return result;
}

const char* ApiVersion(Service service) {
  return service == Service::kSts ? "2011-06-15" : "2010-05-08";
}

}  // namespace

std::string QueryBody(Service service, const std::string& action,
                      const QueryParams& params) {
  // Built with append: GCC 12 at -O3 misreads `"literal" + std::string`
  // chains as overlapping copies (-Wrestrict).
  std::string body = "Action=";
  body.append(FormEncode(action))
      .append("&Version=")
      .append(ApiVersion(service));
  for (const auto& [name, value] : params) {
    body.append("&")
        .append(FormEncode(name))
        .append("=")
        .append(FormEncode(value));
  }
  return body;
}

QueryReply QueryCall(Session& session, Service service,
                     const std::string& action, const QueryParams& params,
                     QueryCallOptions options) {
  Operation operation;
  operation.name = action;
  operation.service = service;
  operation.body = QueryBody(service, action, params);
  operation.headers.emplace_back(
      "Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  operation.idempotent = options.idempotent;

  HttpResponse response =
      options.credentials != nullptr
          ? PerformWith(session, operation, *options.credentials)
          : Perform(session, operation);
  QueryReply reply;
  reply.document = ParseXmlReply(response.body, action);
  pugi::xml_node root = reply.document.document_element();
  reply.result = root.child((action + "Result").c_str());
  if (reply.result.empty()) reply.result = root;
  return reply;
}

void QueryPages(Session& session, const std::string& action, QueryParams params,
                const char* list_element,
                const std::function<void(const pugi::xml_node&)>& on_member) {
  params.emplace_back("MaxItems", "1000");
  std::string marker;
  do {
    QueryParams page_params = params;
    if (!marker.empty()) page_params.emplace_back("Marker", marker);
    QueryReply reply = QueryCall(session, Service::kIam, action, page_params,
                                 {.idempotent = true});
    for (pugi::xml_node member : reply.result.child(list_element)) {
      on_member(member);
    }
    bool truncated =
        std::string_view(ChildText(reply.result, "IsTruncated")) == "true";
    marker = truncated ? ChildText(reply.result, "Marker") : "";
  } while (!marker.empty());
}

}  // namespace cytoskel
