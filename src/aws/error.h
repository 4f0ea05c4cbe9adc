// The one error type of cytoskel. Every failure that reaches the user is an
// Error: it carries what kind of failure it was (which decides the exit code),
// the AWS operation it happened in, and for service errors the HTTP status,
// AWS error code and request id. The cli layer is the only place that turns
// an Error into words and an exit code.
//
// Contract: no Error ever holds a secret (secret key, session token,
// signature, Authorization value). Code that builds one from untrusted text
// (an AWS reply, a config file line) must not copy such values into it.
#ifndef CYTOSKEL_AWS_ERROR_H_
#define CYTOSKEL_AWS_ERROR_H_

#include <exception>
#include <initializer_list>
#include <string>
#include <string_view>

namespace cytoskel {

enum class ErrorKind {
  kUsage,        // bad command line or bad input value: exit 252
  kConfig,       // bad configuration, profile or credentials: exit 253
  kService,      // AWS answered with an error: exit 254
  kTransport,    // network, TLS, timeout, malformed reply: exit 255
  kInternal,     // anything else: exit 255
  kInterrupted,  // SIGINT / SIGTERM: exit 130
};

class Error : public std::exception {
 public:
  Error(ErrorKind kind, std::string message);

  // An error answer from AWS. `operation` is the API name ("CreateUser").
  static Error Service(std::string operation, int http_status, std::string code,
                       std::string message, std::string request_id);

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  const std::string& operation() const { return operation_; }
  int http_status() const { return http_status_; }
  // The AWS error code ("NoSuchEntity"); empty unless kind() is kService.
  const std::string& code() const { return code_; }
  const std::string& request_id() const { return request_id_; }

  // True when AWS answered with one of `codes` (a service error).
  bool HasCode(std::initializer_list<std::string_view> codes) const;

  // Adds the operation name to an error raised below the service layer.
  Error& WithOperation(std::string operation);

  const char* what() const noexcept override { return message_.c_str(); }

 private:
  ErrorKind kind_;
  std::string message_;
  std::string operation_;
  int http_status_ = 0;
  std::string code_;
  std::string request_id_;
};

// Shorthands for the common kinds.
Error UsageError(std::string message);
Error ConfigError(std::string message);
Error TransportError(std::string message);

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_ERROR_H_
