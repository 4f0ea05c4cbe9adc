#include "aws/config.h"

#include <charconv>

#include <fmt/format.h>

#include "aws/error.h"
#include "aws/partition.h"

namespace cytoskel {

namespace {

constexpr char kDefaultConfigFile[] = "~/.aws/config";
constexpr char kDefaultCredentialsFile[] = "~/.aws/credentials";

// A setting's value and where it came from, for error messages
// ("AWS_RETRY_MODE", "retry_mode in profile \"dev\"").
struct Sourced {
  std::string value;
  std::string source;
};

std::optional<std::string> NonEmpty(const std::optional<std::string>& value) {
  if (value && !value->empty()) return value;
  return std::nullopt;
}

std::string AsciiLower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

std::optional<std::string> Lookup(const std::map<std::string, std::string>& map,
                                  const std::string& key) {
  const auto found = map.find(key);
  if (found == map.end()) return std::nullopt;
  return found->second;
}

// The environment variable if set (even empty, as botocore reads it), else
// the profile setting.
std::optional<Sourced> EnvThenProfile(const Environment& env,
                                      const std::string& variable,
                                      const ResolvedConfig& config,
                                      const std::string& key) {
  if (std::optional<std::string> value = env.get_env(variable)) {
    return Sourced{*value, variable};
  }
  if (std::optional<std::string> value = ScopedSetting(config, key)) {
    return Sourced{*value,
                   fmt::format("{} in profile \"{}\"", key, config.profile)};
  }
  return std::nullopt;
}

// botocore's validate_region_name: letters, digits and inner hyphens, at
// most 63 characters. It keeps a region from bending a host name.
bool IsValidRegion(const std::string& region) {
  if (region.empty() || region.size() > 63) return false;
  for (char c : region) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                       (c >= '0' && c <= '9');
    if (!alnum && c != '-') return false;
  }
  return region.front() != '-' && region.back() != '-';
}

std::string InvalidRegionMessage(const std::string& region,
                                 const std::string& source) {
  return fmt::format(
      "Invalid region \"{}\" from {}: a region name is letters, digits and "
      "hyphens, such as \"us-east-1\".",
      region, source);
}

void ChooseProfile(const GlobalOptions& options, const Environment& env,
                   ResolvedConfig& config) {
  config.profile = "default";
  if (std::optional<std::string> flag = NonEmpty(options.profile)) {
    config.profile = *flag;
    config.profile_source = "--profile";
  } else {
    for (const char* variable : {"AWS_DEFAULT_PROFILE", "AWS_PROFILE"}) {
      if (std::optional<std::string> value = env.get_env(variable)) {
        config.profile = *value;
        config.profile_source = variable;
        break;
      }
    }
  }
  config.profile_named = !config.profile_source.empty();
}

// The parsed file, or an empty one if `path` is empty or names no file.
IniFile LoadIni(const std::string& path, const Environment& env) {
  if (path.empty()) return {};
  const std::optional<std::string> text = env.read_file(path);
  if (!text) return {};
  return ParseIni(*text, path);
}

void LoadFiles(const Environment& env, ResolvedConfig& config) {
  config.config_file = ExpandPath(
      env.get_env("AWS_CONFIG_FILE").value_or(kDefaultConfigFile), env);
  config.credentials_file =
      ExpandPath(env.get_env("AWS_SHARED_CREDENTIALS_FILE")
                     .value_or(kDefaultCredentialsFile),
                 env);

  ConfigSections sections =
      SortConfigSections(LoadIni(config.config_file, env));
  config.config_profiles = std::move(sections.profiles);
  config.services = std::move(sections.services);
  for (auto& [name, section] : LoadIni(config.credentials_file, env)) {
    config.credentials_sections[name] = std::move(section);
  }
}

void SelectProfile(ResolvedConfig& config) {
  if (config.profile_named && !ProfileExists(config, config.profile)) {
    throw ConfigError(fmt::format("The config profile ({}) could not be found",
                                  config.profile));
  }
  if (const auto found = config.config_profiles.find(config.profile);
      found != config.config_profiles.end()) {
    config.profile_settings = found->second.values;
    config.profile_subsections = found->second.subsections;
  }
  if (const auto found = config.credentials_sections.find(config.profile);
      found != config.credentials_sections.end()) {
    config.credentials_settings = found->second.values;
  }
}

void ResolveRegion(const GlobalOptions& options, const Environment& env,
                   ResolvedConfig& config) {
  if (std::optional<std::string> flag = NonEmpty(options.region)) {
    if (!IsValidRegion(*flag)) {
      throw UsageError(InvalidRegionMessage(*flag, "--region"));
    }
    config.region = *flag;
    config.region_source = "--region";
    return;
  }
  std::optional<Sourced> found;
  for (const char* variable : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (std::optional<std::string> value = env.get_env(variable)) {
      found = Sourced{*value, variable};
      break;
    }
  }
  if (!found) {
    if (std::optional<std::string> value = ScopedSetting(config, "region")) {
      found = Sourced{*value, "profile"};
    }
  }
  if (!found) return;
  if (!found->value.empty() && !IsValidRegion(found->value)) {
    const std::string source =
        found->source == "profile"
            ? fmt::format("region in profile \"{}\"", config.profile)
            : found->source;
    throw ConfigError(InvalidRegionMessage(found->value, source));
  }
  config.region = found->value;
  config.region_source = found->source;
}

void ResolveTls(const GlobalOptions& options, const Environment& env,
                ResolvedConfig& config) {
  if (std::optional<Sourced> bundle =
          EnvThenProfile(env, "AWS_CA_BUNDLE", config, "ca_bundle")) {
    config.ca_bundle = bundle->value;
  }
  config.verify_tls = !options.no_verify_ssl;
}

int ParseMaxAttempts(const Sourced& setting) {
  // Python's int() allows surrounding whitespace and a '+'.
  std::string_view text = setting.value;
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  if (text.starts_with('+')) text.remove_prefix(1);
  int attempts = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), attempts);
  if (text.empty() || error != std::errc() ||
      end != text.data() + text.size() || attempts < 1) {
    throw ConfigError(fmt::format(
        "Invalid max_attempts \"{}\" from {}: it must be an integer greater "
        "than or equal to 1.",
        setting.value, setting.source));
  }
  return attempts;
}

void ResolveRetries(const Environment& env, ResolvedConfig& config) {
  if (std::optional<Sourced> mode =
          EnvThenProfile(env, "AWS_RETRY_MODE", config, "retry_mode")) {
    if (mode->value != "legacy" && mode->value != "standard" &&
        mode->value != "adaptive") {
      throw ConfigError(fmt::format(
          "Invalid retry mode \"{}\" from {}: it must be one of legacy, "
          "standard, adaptive.",
          mode->value, mode->source));
    }
    config.retry_mode = mode->value;
  }
  // botocore's defaults: 5 attempts in legacy mode, 3 otherwise.
  config.max_attempts = config.retry_mode == "legacy" ? 5 : 3;
  if (std::optional<Sourced> attempts =
          EnvThenProfile(env, "AWS_MAX_ATTEMPTS", config, "max_attempts")) {
    config.max_attempts = ParseMaxAttempts(*attempts);
  }
}

void ResolveEndpointSwitch(const Environment& env, ResolvedConfig& config) {
  // botocore's ensure_boolean: only "true", in any case, is true.
  if (std::optional<Sourced> ignore =
          EnvThenProfile(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", config,
                         "ignore_configured_endpoint_urls")) {
    config.ignore_configured_endpoint_urls =
        AsciiLower(ignore->value) == "true";
  }
}

// The names botocore derives from each service id: the suffix of the
// AWS_ENDPOINT_URL_<SUFFIX> variable and the block in [services NAME].
struct ServiceNames {
  const char* env_suffix;
  const char* services_key;
};

ServiceNames NamesOf(Service service) {
  switch (service) {
    case Service::kIam:
      return {"IAM", "iam"};
    case Service::kSts:
      return {"STS", "sts"};
    case Service::kS3:
      return {"S3", "s3"};
    case Service::kS3Control:
      return {"S3_CONTROL", "s3_control"};
  }
  return {"", ""};  // not reached: the switch covers every Service
}

// Accepts http:// or https:// (any case) followed by a host.
bool IsValidEndpoint(const std::string& url) {
  const std::string lower = AsciiLower(url);
  size_t host = 0;
  if (lower.starts_with("http://")) {
    host = 7;
  } else if (lower.starts_with("https://")) {
    host = 8;
  } else {
    return false;
  }
  return host < url.size() &&
         std::string_view("/?#:").find(url[host]) == std::string_view::npos;
}

std::string CheckedEndpoint(const std::string& url, const std::string& source) {
  if (!IsValidEndpoint(url)) {
    throw ConfigError(fmt::format(
        "Invalid endpoint URL \"{}\" from {}: it must start with http:// or "
        "https:// and name a host.",
        url, source));
  }
  return url;
}

// The endpoint_url of the service's block in the profile's services section.
std::optional<Sourced> ServicesSectionEndpoint(const ResolvedConfig& config,
                                               const ServiceNames& names) {
  const std::optional<std::string> name = ScopedSetting(config, "services");
  if (!name) return std::nullopt;
  const auto section = config.services.find(*name);
  if (section == config.services.end() ||
      (section->second.values.empty() && section->second.subsections.empty())) {
    throw ConfigError(fmt::format(
        "The profile is configured to use the services section but the "
        "\"{}\" services configuration does not exist.",
        *name));
  }
  const auto block = section->second.subsections.find(names.services_key);
  if (block == section->second.subsections.end()) return std::nullopt;
  std::optional<std::string> url =
      NonEmpty(Lookup(block->second, "endpoint_url"));
  if (!url) return std::nullopt;
  return Sourced{*url, fmt::format("the {} block of [services {}]",
                                   names.services_key, *name)};
}

}  // namespace

ResolvedConfig ResolveConfig(const GlobalOptions& options,
                             const Environment& env) {
  ResolvedConfig config;
  ChooseProfile(options, env, config);
  LoadFiles(env, config);
  SelectProfile(config);
  ResolveRegion(options, env, config);
  ResolveTls(options, env, config);
  ResolveRetries(env, config);
  ResolveEndpointSwitch(env, config);
  return config;
}

bool ProfileExists(const ResolvedConfig& config, const std::string& profile) {
  return config.config_profiles.count(profile) > 0 ||
         config.credentials_sections.count(profile) > 0;
}

IniSection ScopedProfile(const ResolvedConfig& config,
                         const std::string& profile) {
  IniSection merged;
  if (const auto found = config.config_profiles.find(profile);
      found != config.config_profiles.end()) {
    merged = found->second;
  }
  const auto found = config.credentials_sections.find(profile);
  if (found == config.credentials_sections.end()) return merged;
  // Like Python's dict.update: a key of the credentials file replaces the
  // config file's, whether either is a plain value or a block.
  for (const auto& [key, value] : found->second.values) {
    merged.subsections.erase(key);
    merged.values[key] = value;
  }
  for (const auto& [key, block] : found->second.subsections) {
    merged.values.erase(key);
    merged.subsections[key] = block;
  }
  return merged;
}

std::optional<std::string> ScopedSetting(const ResolvedConfig& config,
                                         const std::string& key) {
  return Lookup(ScopedProfile(config, config.profile).values, key);
}

std::string EndpointOverride(const ResolvedConfig& config, Service service,
                             const GlobalOptions& options,
                             const Environment& env) {
  if (options.endpoint_url) {
    if (!options.endpoint_url->empty() &&
        !IsValidEndpoint(*options.endpoint_url)) {
      throw UsageError(fmt::format(
          "Invalid --endpoint-url \"{}\": it must start with http:// or "
          "https:// and name a host.",
          *options.endpoint_url));
    }
    return *options.endpoint_url;
  }
  if (config.ignore_configured_endpoint_urls) return "";

  const ServiceNames names = NamesOf(service);
  const std::string service_variable =
      fmt::format("AWS_ENDPOINT_URL_{}", names.env_suffix);
  for (const std::string& variable :
       {service_variable, std::string("AWS_ENDPOINT_URL")}) {
    if (std::optional<std::string> url = NonEmpty(env.get_env(variable))) {
      return CheckedEndpoint(*url, variable);
    }
  }
  if (std::optional<Sourced> url = ServicesSectionEndpoint(config, names)) {
    return CheckedEndpoint(url->value, url->source);
  }
  if (std::optional<std::string> url =
          NonEmpty(ScopedSetting(config, "endpoint_url"))) {
    return CheckedEndpoint(
        *url, fmt::format("endpoint_url in profile \"{}\"", config.profile));
  }
  return "";
}

std::string DefaultEndpoint(Service service, const std::string& region) {
  if (service == Service::kIam) {
    return fmt::format("https://{}", PartitionOf(region).iam_host);
  }
  if (region.empty()) {
    throw ConfigError(
        "You must specify a region. Use --region, set AWS_REGION, or set "
        "region in your profile (aws configure).");
  }
  if (!IsValidRegion(region)) {
    throw ConfigError(InvalidRegionMessage(region, "the configuration"));
  }
  std::string_view suffix = PartitionOf(region).dns_suffix;
  switch (service) {
    case Service::kSts:
      return fmt::format("https://sts.{}.{}", region, suffix);
    case Service::kS3:
      return fmt::format("https://s3.{}.{}", region, suffix);
    case Service::kS3Control:
      return fmt::format("https://s3-control.{}.{}", region, suffix);
    case Service::kIam:
      break;
  }
  return fmt::format("https://{}", PartitionOf(region).iam_host);
}

}  // namespace cytoskel
