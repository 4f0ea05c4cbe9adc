#include "aws/error.h"

#include <utility>

namespace cytoskel {

Error::Error(ErrorKind kind, std::string message)
    : kind_(kind), message_(std::move(message)) {}

Error Error::Service(std::string operation, int http_status, std::string code,
                     std::string message, std::string request_id) {
  Error error(ErrorKind::kService, std::move(message));
  error.operation_ = std::move(operation);
  error.http_status_ = http_status;
  error.code_ = std::move(code);
  error.request_id_ = std::move(request_id);
  return error;
}

Error& Error::WithOperation(std::string operation) {
  if (operation_.empty()) operation_ = std::move(operation);
  return *this;
}

bool Error::HasCode(std::initializer_list<std::string_view> codes) const {
  if (kind_ != ErrorKind::kService) return false;
  for (std::string_view code : codes) {
    if (code_ == code) return true;
  }
  return false;
}

Error UsageError(std::string message) {
  return Error(ErrorKind::kUsage, std::move(message));
}

Error ConfigError(std::string message) {
  return Error(ErrorKind::kConfig, std::move(message));
}

Error TransportError(std::string message) {
  return Error(ErrorKind::kTransport, std::move(message));
}

}  // namespace cytoskel
