// Which profile, region, files, endpoints, TLS and retry settings are in
// effect, resolved from the command line, the environment and the AWS config
// and credentials files the way the AWS CLI resolves them.
//
// Precedence (first that is set wins):
//   profile   --profile > AWS_DEFAULT_PROFILE > AWS_PROFILE > "default".
//             AWS_DEFAULT_PROFILE before AWS_PROFILE is botocore's real
//             order (session variable "profile"), so `aws` and cytoskel
//             agree when both variables are set.
//   region    --region > AWS_REGION > AWS_DEFAULT_REGION > profile `region`
//   files     AWS_CONFIG_FILE (~/.aws/config),
//             AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials); "$VAR" and
//             "~" are expanded as botocore does
//   ca bundle AWS_CA_BUNDLE > profile `ca_bundle` > system default
//   retries   AWS_RETRY_MODE > profile `retry_mode` > "standard";
//             AWS_MAX_ATTEMPTS > profile `max_attempts` > 3 (5 in legacy
//             mode, as in botocore)
//
// An empty --profile or --region counts as not given (as in the AWS CLI). An
// environment variable that is set counts even when empty, as in botocore:
// AWS_PROFILE="" names the profile "" (which then cannot be found).
//
// "Profile setting" means what botocore calls the scoped config: the config
// file's [profile NAME] (or [default]) with the credentials file's [NAME]
// laid over it key by key. A profile named on the command line or in the
// environment must exist in one of the two files; with no profile named, a
// missing [default] or missing files are fine.
#ifndef CYTOSKEL_AWS_CONFIG_H_
#define CYTOSKEL_AWS_CONFIG_H_

#include <map>
#include <optional>
#include <string>

#include "aws/environment.h"
#include "aws/ini.h"

namespace cytoskel {

enum class Service { kIam, kSts, kS3, kS3Control };

// Global options from the command line; unset means not given.
struct GlobalOptions {
  std::optional<std::string> profile, region, endpoint_url;
  bool no_verify_ssl = false;
};

struct ResolvedConfig {
  std::string profile;         // name in use ("default" if none given)
  bool profile_named = false;  // given by flag or environment
  std::string profile_source;  // "--profile", "AWS_DEFAULT_PROFILE",
                               // "AWS_PROFILE" or "" (not named)
  std::string region;          // empty if nothing sets it
  std::string region_source;   // "--region", "AWS_REGION",
                               // "AWS_DEFAULT_REGION", "profile" or ""
  std::string config_file;     // resolved paths, read or not
  std::string credentials_file;

  // The config file's section for the profile in use, and the credentials
  // file's [NAME]; empty if the file has none.
  std::map<std::string, std::string> profile_settings;
  std::map<std::string, std::map<std::string, std::string>> profile_subsections;
  std::map<std::string, std::string> credentials_settings;

  std::string ca_bundle;  // path of a PEM bundle; "" = system default
  bool verify_tls = true;
  int max_attempts = 3;  // total attempts, first one included; >= 1
  std::string retry_mode = "standard";  // "legacy", "standard", "adaptive"
  // AWS_IGNORE_CONFIGURED_ENDPOINT_URLS > profile setting; "true" in any case
  // turns off every endpoint override but --endpoint-url.
  bool ignore_configured_endpoint_urls = false;

  // Every profile of both files and the config file's [services NAME]
  // sections, for source_profile chains and endpoint lookups.
  std::map<std::string, IniSection> config_profiles;
  std::map<std::string, IniSection> credentials_sections;
  std::map<std::string, IniSection> services;
};

// Resolves everything above. Throws ConfigError for a named profile found in
// neither file ("The config profile (NAME) could not be found"), a file that
// cannot be read or parsed, a malformed region from the environment or a
// file, and bad retry settings; UsageError for a malformed --region.
ResolvedConfig ResolveConfig(const GlobalOptions& options,
                             const Environment& env);

// Whether `profile` is a section of either file.
bool ProfileExists(const ResolvedConfig& config, const std::string& profile);

// The scoped config of any profile (see above); empty if it does not exist.
IniSection ScopedProfile(const ResolvedConfig& config,
                         const std::string& profile);

// One plain (not sub-section) setting of the profile in use, or nullopt.
std::optional<std::string> ScopedSetting(const ResolvedConfig& config,
                                         const std::string& key);

// The endpoint URL override for a service, or "" for the real AWS endpoint.
// Order: --endpoint-url (even empty, which means the real endpoint and no
// lookup) > AWS_ENDPOINT_URL_<IAM|STS|S3|S3_CONTROL> > AWS_ENDPOINT_URL >
// the `endpoint_url` of the service's block in the profile's [services NAME]
// section (block names as botocore: iam, sts, s3, s3_control) > the
// profile's `endpoint_url`. Empty values are skipped.
// ignore_configured_endpoint_urls turns off all but the flag. Throws
// UsageError for a malformed --endpoint-url; ConfigError for a malformed
// configured URL, or a profile whose `services` names a section that does
// not exist or is empty.
std::string EndpointOverride(const ResolvedConfig& config, Service service,
                             const GlobalOptions& options,
                             const Environment& env);

// The real AWS endpoint in the region's partition (see PartitionOf):
// https://iam.amazonaws.com (IAM is global: its host is the partition's),
// https://sts.REGION.SUFFIX, https://s3.REGION.SUFFIX,
// https://s3-control.REGION.SUFFIX (the S3 Control client adds the account
// id in front), SUFFIX being amazonaws.com or amazonaws.com.cn. Throws
// ConfigError if a regional service has no region or a malformed one, or
// the region is in an isolated partition.
std::string DefaultEndpoint(Service service, const std::string& region);

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_CONFIG_H_
