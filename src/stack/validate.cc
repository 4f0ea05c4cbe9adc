#include "stack/validate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "aws/error.h"

namespace cytoskel {

namespace {

constexpr size_t kMaxShown = 80;

bool IsIamNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("+=,.@_-").find(c) != std::string_view::npos;
}

bool IsPrefixChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!_.'()-").find(c) != std::string_view::npos;
}

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

void ValidatePrefixSegment(std::string_view segment, std::string_view prefix) {
  if (segment.empty() || segment == "." || segment == "..") {
    throw UsageError(fmt::format(
        "prefix '{}' has an empty, '.' or '..' folder name", Shown(prefix)));
  }
  auto bad = std::find_if_not(segment.begin(), segment.end(), IsPrefixChar);
  if (bad == segment.end()) return;
  if (*bad == '*') {
    throw UsageError(fmt::format(
        "prefix '{}' has a '*' that is not at the end of a folder: a grant "
        "covers whole folders, for example '{}/*'",
        Shown(prefix), Shown(segment.substr(0, segment.find('*')))));
  }
  throw UsageError(fmt::format(
      "prefix '{}' has a character outside letters, digits and !_.'()-",
      Shown(prefix)));
}

}  // namespace

std::string Shown(std::string_view value) {
  std::string shown;
  for (char c : value.substr(0, kMaxShown)) {
    auto byte = static_cast<unsigned char>(c);
    shown += std::isprint(byte) ? c : '?';
  }
  if (value.size() > kMaxShown) shown += "...";
  return shown;
}

void ValidateUserName(std::string_view name) {
  if (name.empty() || name.size() > 64) {
    throw UsageError(fmt::format(
        "user name '{}' must be 1 to 64 characters long", Shown(name)));
  }
  if (!std::all_of(name.begin(), name.end(), IsIamNameChar)) {
    throw UsageError(
        fmt::format("user name '{}' may hold only letters, digits and +=,.@_-",
                    Shown(name)));
  }
}

void ValidateAccountId(std::string_view account_id) {
  if (account_id.size() != 12 || !AllDigits(account_id)) {
    throw UsageError(
        fmt::format("account id '{}' must be 12 digits", Shown(account_id)));
  }
}

std::optional<Arn> ParseArn(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    size_t colon = text.find(':', start);
    if (colon == std::string_view::npos) return std::nullopt;
    parts.push_back(text.substr(start, colon - start));
    start = colon + 1;
  }
  if (parts[0] != "arn" || parts[1].empty() || parts[2].empty()) {
    return std::nullopt;
  }
  return Arn{std::string(parts[1]), std::string(parts[2]),
             std::string(parts[3]), std::string(parts[4]),
             std::string(text.substr(start))};
}

std::string ValidateUserArn(std::string_view text) {
  std::optional<Arn> arn = ParseArn(text);
  bool user = arn && arn->service == "iam" && arn->region.empty() &&
              arn->account.size() == 12 && AllDigits(arn->account) &&
              arn->resource.starts_with("user/");
  if (!user) {
    throw UsageError(
        fmt::format("'{}' is not an IAM user ARN "
                    "(arn:aws:iam::ACCOUNT:user/NAME)",
                    Shown(text)));
  }
  std::string name = arn->resource.substr(arn->resource.rfind('/') + 1);
  ValidateUserName(name);
  return name;
}

void ValidateAccessGrantsId(std::string_view id, std::string_view what) {
  bool valid = !id.empty() && id.size() <= 64 &&
               std::all_of(id.begin(), id.end(), [](char c) {
                 return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
               });
  if (!valid) {
    throw UsageError(fmt::format(
        "{} '{}' must be 1 to 64 letters, digits or '-'", what, Shown(id)));
  }
}

std::string NormalizeGrantPrefix(std::string_view prefix) {
  std::string_view folder = prefix;
  if (folder.ends_with("/*")) {
    folder.remove_suffix(2);
  } else if (folder.ends_with("/")) {
    folder.remove_suffix(1);
  }
  if (folder.empty() || folder == "*") {
    throw UsageError(fmt::format(
        "prefix '{}' would grant the whole bucket: name the dataset folder, "
        "for example 'cpg0001-example/'",
        Shown(prefix)));
  }
  if (folder.starts_with("/")) {
    throw UsageError(fmt::format(
        "prefix '{}' must not start with '/': it is relative to the bucket",
        Shown(prefix)));
  }
  // Counted on the result ("folder/*"), so that a normalized prefix is
  // always accepted again (validators_fuzzer found a 1023-character one
  // that was not).
  if (folder.size() + 2 > 1024) {
    throw UsageError(
        "prefix is longer than 1024 characters (counting the '/*' added to "
        "the folder)");
  }
  for (std::string_view segment : Split(folder, '/')) {
    ValidatePrefixSegment(segment, prefix);
  }
  return std::string(folder) + "/*";
}

std::string NormalizePermission(std::string_view permission) {
  std::string upper;
  for (char c : permission.substr(0, kMaxShown)) {
    upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (upper == "READ" || upper == "WRITE" || upper == "READWRITE") {
    return upper;
  }
  throw UsageError(fmt::format(
      "permission '{}' must be READ, WRITE or READWRITE", Shown(permission)));
}

}  // namespace cytoskel
