// Fuzzes the stack configuration file (TOML, stack/stack.h
// ParseStackSettings): the input is the file's text, read for the built-in
// stack and for one other name.
//
// Properties checked besides "no crash, only cytoskel::Error":
// - accepted settings keep the documented ranges (max session 3600-43200,
//   names that are valid IAM names, a 12-digit account id or none).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "stack/stack.h"
#include "stack/validate.h"

namespace cytoskel::fuzz {
namespace {

bool ValidName(const std::string& name) {
  try {
    ValidateUserName(name);
    return true;
  } catch (const Error&) {
    return false;
  }
}

void CheckSettings(const std::string& name, const std::string& text) {
  ExpectOnlyErrors("ParseStackSettings", [&] {
    StackSettings settings =
        ParseStackSettings(name, text, "/fuzz/config.toml");
    Require(settings.name == name, "the stack keeps its name");
    Require(settings.max_session_seconds >= 3600 &&
                settings.max_session_seconds <= 43200,
            "max session is 3600-43200 s");
    Require(ValidName(settings.group) && ValidName(settings.policy) &&
                ValidName(settings.role) && ValidName(settings.role_policy),
            "IAM names are valid");
    Require(settings.account_id.empty() || settings.account_id.size() == 12,
            "an account id has 12 digits");
    Require(!settings.bucket.empty() && !settings.region.empty(),
            "bucket and region are set");
  });
}

}  // namespace
}  // namespace cytoskel::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  cytoskel::fuzz::CheckSettings("cpgstaging", text);
  cytoskel::fuzz::CheckSettings("other", text);
  return 0;
}
