// Fuzzes the validators every typed value goes through before any AWS call
// (stack/validate.h): user names, account ids, ARNs, Access Grants ids,
// grant prefixes and permissions.
//
// Properties checked besides "no crash, only cytoskel::Error":
// - whatever is accepted obeys the documented rule (charset, length);
// - ParseArn's parts join back to the input;
// - NormalizeGrantPrefix gives a folder ("x/*"), never the whole bucket,
//   never a '*' before the end, and is idempotent;
// - no refusal message carries a control character (they are shown to a
//   terminal).
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "stack/validate.h"

namespace cytoskel::fuzz {
namespace {

bool Printable(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isprint(static_cast<unsigned char>(c)) != 0;
  });
}

bool IamNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("+=,.@_-").find(c) != std::string_view::npos;
}

// Runs `body`; a refusal must be a usage Error with a printable message.
template <typename Body>
bool Accepted(const char* what, Body&& body) {
  try {
    body();
    return true;
  } catch (const Error& error) {
    Require(error.kind() == ErrorKind::kUsage, "refusals are usage errors");
    Require(Printable(error.message()), "refusal messages are printable");
    return false;
  } catch (const std::exception& error) {
    Finding(what, error.what());
  }
}

void CheckUserName(std::string_view text) {
  if (!Accepted("ValidateUserName", [&] { ValidateUserName(text); })) return;
  Require(!text.empty() && text.size() <= 64, "user names are 1-64 long");
  Require(std::all_of(text.begin(), text.end(), IamNameChar),
          "user names use [A-Za-z0-9+=,.@_-]");
}

void CheckArn(std::string_view text) {
  if (auto arn = ParseArn(text)) {
    std::string joined = "arn:" + arn->partition + ":" + arn->service + ":" +
                         arn->region + ":" + arn->account + ":" + arn->resource;
    Require(joined == text, "ARN parts join back to the input");
  }
  std::string name;
  if (!Accepted("ValidateUserArn", [&] { name = ValidateUserArn(text); })) {
    return;
  }
  Require(text.ends_with("/" + name), "the user name ends the ARN");
  Require(Accepted("ValidateUserName", [&] { ValidateUserName(name); }),
          "the name of an accepted ARN is a valid user name");
}

void CheckPrefix(std::string_view text) {
  std::string folder;
  if (!Accepted("NormalizeGrantPrefix",
                [&] { folder = NormalizeGrantPrefix(text); })) {
    return;
  }
  Require(folder.size() > 2 && folder.ends_with("/*"),
          "a grant prefix is a folder");
  Require(folder.find('*') == folder.size() - 1, "'*' only at the end");
  Require(!folder.starts_with("/"), "no leading '/'");
  Require(folder.find("//") == std::string::npos, "no empty folder name");
  std::string again;
  Require(Accepted("NormalizeGrantPrefix",
                   [&] { again = NormalizeGrantPrefix(folder); }),
          "a normalized prefix is accepted");
  Require(again == folder, "NormalizeGrantPrefix is idempotent");
}

void CheckOthers(std::string_view text) {
  if (Accepted("ValidateAccountId", [&] { ValidateAccountId(text); })) {
    Require(text.size() == 12, "account ids have 12 digits");
  }
  if (Accepted("ValidateAccessGrantsId",
               [&] { ValidateAccessGrantsId(text, "grant id"); })) {
    Require(!text.empty() && text.size() <= 64, "ids are 1-64 long");
  }
  std::string permission;
  if (Accepted("NormalizePermission",
               [&] { permission = NormalizePermission(text); })) {
    Require(permission == "READ" || permission == "WRITE" ||
                permission == "READWRITE",
            "permissions are READ, WRITE or READWRITE");
  }
}

}  // namespace
}  // namespace cytoskel::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  cytoskel::fuzz::CheckUserName(text);
  cytoskel::fuzz::CheckArn(text);
  cytoskel::fuzz::CheckPrefix(text);
  cytoskel::fuzz::CheckOthers(text);
  return 0;
}
