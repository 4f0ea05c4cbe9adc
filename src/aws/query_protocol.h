// The AWS "query" protocol used by IAM and STS: a form-encoded POST of
// Action, Version and parameters, answered by
// <ActionResponse><ActionResult>...</ActionResult></ActionResponse>.
#ifndef CYTOSKEL_AWS_QUERY_PROTOCOL_H_
#define CYTOSKEL_AWS_QUERY_PROTOCOL_H_

#include <pugixml.hpp>

#include <functional>
#include <string>

#include "aws/operation.h"

namespace cytoskel {

struct QueryReply {
  pugi::xml_document document;
  pugi::xml_node result;  // <ActionResult>, or the root if there is none
};

struct QueryCallOptions {
  bool idempotent = false;
  const Credentials* credentials = nullptr;  // default: the session's
};

// Calls `action` and parses its reply. Throws Error (see Perform); a reply
// that is not XML is a transport Error naming the action.
QueryReply QueryCall(Session& session, Service service,
                     const std::string& action, const QueryParams& params,
                     QueryCallOptions options = {});

// Calls a paged IAM list action (Marker / IsTruncated) until the last page,
// calling `on_member` for each <member> of the element `list_element` of
// every page, in order. List actions are reads, so they are retried.
void QueryPages(Session& session, const std::string& action, QueryParams params,
                const char* list_element,
                const std::function<void(const pugi::xml_node&)>& on_member);

// The form body for `action` with `params` (exposed for tests).
std::string QueryBody(Service service, const std::string& action,
                      const QueryParams& params);

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_QUERY_PROTOCOL_H_
