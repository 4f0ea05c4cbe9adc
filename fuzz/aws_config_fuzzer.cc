// Fuzzes the AWS config and credentials file reader (aws/ini.h) and what
// is built on it (aws/config.h, aws/credential_chain.h): the input is one
// file's text, read as both ~/.aws/config and ~/.aws/credentials; then
// every profile it defines is resolved as AWS_PROFILE, with its endpoints
// and its credential chain (source_profile loops, role_arn, ...).
//
// Properties checked besides "no crash, only cytoskel::Error":
// - ParseIni is deterministic and lists each section once;
// - a resolved configuration has at least one attempt.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "aws/config.h"
#include "aws/credential_chain.h"
#include "aws/ini.h"
#include "fuzz_support.h"

namespace cytoskel::fuzz {
namespace {

constexpr int kMaxProfiles = 4;
constexpr Service kServices[] = {Service::kIam, Service::kSts, Service::kS3,
                                 Service::kS3Control};

void CheckParse(std::string_view text) {
  ExpectOnlyErrors("ParseIni", [&] {
    IniFile file = ParseIni(text, "/fuzz/config");
    std::set<std::string> names;
    for (const auto& [name, section] : file) {
      Require(names.insert(name).second, "each section is listed once");
    }
    Require(ParseIni(text, "/fuzz/config") == file,
            "ParseIni is deterministic");
    SortConfigSections(file);
  });
}

CredentialDeps FakeCredentialDeps(const Environment& env) {
  CredentialDeps deps;
  deps.env = env;
  deps.run_process = [](const std::string&) {
    ProcessResult result;
    result.exit_code = 1;
    result.stderr_text = "fuzz: no process runs here";
    return result;
  };
  deps.assume_role = [](const Credentials& source, const AssumeRoleRequest&) {
    Credentials assumed = source;
    assumed.session_token = "token";
    assumed.expiration =
        std::chrono::system_clock::time_point(std::chrono::seconds(1914564800));
    return assumed;
  };
  deps.now = [] {
    return std::chrono::system_clock::time_point(
        std::chrono::seconds(1714564800));
  };
  return deps;
}

void CheckProfile(const std::string& text, const std::string& profile) {
  Environment env = Environment::FromMaps(
      {{"AWS_CONFIG_FILE", "/fuzz/config"},
       {"AWS_SHARED_CREDENTIALS_FILE", "/fuzz/credentials"},
       {"AWS_PROFILE", profile},
       {"HOME", "/fuzz"}},
      {{"/fuzz/config", text}, {"/fuzz/credentials", text}});
  GlobalOptions options;
  ExpectOnlyErrors("ResolveConfig", [&] {
    ResolvedConfig config = ResolveConfig(options, env);
    Require(config.max_attempts >= 1, "at least one attempt");
    for (const char* key : {"region", "endpoint_url", "role_arn"}) {
      ScopedSetting(config, key);
    }
    for (Service service : kServices) {
      ExpectOnlyErrors("EndpointOverride", [&] {
        EndpointOverride(config, service, options, env);
      });
      ExpectOnlyErrors("DefaultEndpoint",
                       [&] { DefaultEndpoint(service, config.region); });
    }
    ResolveCredentials(config, FakeCredentialDeps(env));
  });
}

}  // namespace
}  // namespace cytoskel::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  cytoskel::fuzz::CheckParse(text);

  cytoskel::ConfigSections sections;
  try {
    sections =
        cytoskel::SortConfigSections(cytoskel::ParseIni(text, "/fuzz/config"));
  } catch (const cytoskel::Error&) {
    return 0;
  }
  int checked = 0;
  for (const auto& [profile, section] : sections.profiles) {
    if (++checked > cytoskel::fuzz::kMaxProfiles) break;
    cytoskel::fuzz::CheckProfile(text, profile);
  }
  return 0;
}
