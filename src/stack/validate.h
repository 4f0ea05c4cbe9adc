// Validation of everything a user types, done before any AWS call. Each
// Validate* function throws a usage Error whose message names the value's
// role, what is wrong and the rule; each Normalize* returns the canonical
// form. All are safe on arbitrary bytes.
#ifndef CYTOSKEL_STACK_VALIDATE_H_
#define CYTOSKEL_STACK_VALIDATE_H_

#include <optional>
#include <string>
#include <string_view>

namespace cytoskel {

// IAM user name: 1-64 characters of [A-Za-z0-9+=,.@_-].
void ValidateUserName(std::string_view name);

// A 12-digit AWS account id.
void ValidateAccountId(std::string_view account_id);

// `value` as a message may quote it: printable ASCII only (other bytes
// become '?'), cut after 80 characters.
std::string Shown(std::string_view value);

struct Arn {
  std::string partition;
  std::string service;
  std::string region;
  std::string account;
  std::string resource;  // everything after the fifth ':'
};

// Splits an ARN into its parts; nullopt when it is not
// arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE.
std::optional<Arn> ParseArn(std::string_view text);

// An IAM user ARN, arn:aws:iam::ACCOUNT:user/[PATH/]NAME; returns the user
// name.
std::string ValidateUserArn(std::string_view arn);

// An Access Grants location or grant id: 1-64 characters of [A-Za-z0-9-].
// `what` names the value in the message ("location id").
void ValidateAccessGrantsId(std::string_view id, std::string_view what);

// Turns a dataset prefix into the S3 sub-prefix of a grant, always a folder:
// "cpg0001-x", "cpg0001-x/" and "cpg0001-x/*" all give "cpg0001-x/*".
// Refused: an empty or bare "*" prefix (the whole bucket), a "*" anywhere
// but after the final "/" (so "cpg0001*", which also matches "cpg00010/",
// is refused), a leading "/", empty, "." or ".." segments, characters
// outside [A-Za-z0-9!_.'()-], and a result longer than 1024 characters. A
// result is always accepted again unchanged.
std::string NormalizeGrantPrefix(std::string_view prefix);

// READ, WRITE or READWRITE (case-insensitive); returns the upper-case form.
std::string NormalizePermission(std::string_view permission);

}  // namespace cytoskel

#endif  // CYTOSKEL_STACK_VALIDATE_H_
