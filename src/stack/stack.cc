#include "stack/stack.h"

#include <fmt/format.h>

#include "stack/toml.h"

#include <functional>
#include <map>

#include "aws/error.h"
#include "aws/partition.h"
#include "aws/sts.h"
#include "stack/validate.h"

namespace cytoskel {

namespace {

std::string ConfigPath(const Environment& env) {
  if (auto path = env.get_env("CYTOSKEL_CONFIG"); path && !path->empty()) {
    return *path;
  }
  if (auto xdg = env.get_env("XDG_CONFIG_HOME"); xdg && !xdg->empty()) {
    return *xdg + "/cytoskel/config.toml";
  }
  return ExpandHome("~/.config/cytoskel/config.toml", env);
}

void ValidateBucketName(const std::string& bucket) {
  bool valid =
      bucket.size() >= 3 && bucket.size() <= 63 &&
      bucket.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") ==
          std::string::npos &&
      std::isalnum(static_cast<unsigned char>(bucket.front())) &&
      std::isalnum(static_cast<unsigned char>(bucket.back()));
  if (!valid) {
    throw UsageError(fmt::format(
        "bucket name '{}' must be 3 to 63 lower-case letters, digits, dots "
        "or hyphens, starting and ending with a letter or digit",
        bucket));
  }
}

using Setter = std::function<void(StackSettings&, const toml::node&)>;

Setter Text(std::string StackSettings::*field,
            std::function<void(const std::string&)> check) {
  return [field, check](StackSettings& settings, const toml::node& node) {
    auto value = node.value<std::string>();
    if (!value) throw UsageError("must be a string");
    check(*value);
    settings.*field = *value;
  };
}

const std::map<std::string, Setter>& Setters() {
  static const std::map<std::string, Setter> setters = {
      {"bucket", Text(&StackSettings::bucket, ValidateBucketName)},
      {"region", Text(&StackSettings::region,
                      [](const std::string& region) {
                        if (region.empty() ||
                            region.find_first_not_of(
                                "abcdefghijklmnopqrstuvwxyz0123456789-") !=
                                std::string::npos) {
                          throw UsageError("'" + region +
                                           "' is not a region name");
                        }
                      })},
      {"group", Text(&StackSettings::group, ValidateUserName)},
      {"policy", Text(&StackSettings::policy, ValidateUserName)},
      {"role", Text(&StackSettings::role, ValidateUserName)},
      {"role_policy", Text(&StackSettings::role_policy, ValidateUserName)},
      {"account_id", Text(&StackSettings::account_id, ValidateAccountId)},
      {"max_session_seconds",
       [](StackSettings& settings, const toml::node& node) {
         // Only a TOML integer: value<int64_t>() would also convert a
         // float, and one out of range (340e20) is undefined behaviour.
         const toml::value<int64_t>* integer = node.as_integer();
         std::optional<int64_t> value;
         if (integer != nullptr) value = integer->get();
         if (!value || *value < 3600 || *value > 43200) {
           throw UsageError("must be a whole number from 3600 to 43200");
         }
         settings.max_session_seconds = static_cast<int>(*value);
       }},
  };
  return setters;
}

void ApplySetting(StackSettings& settings, const std::string& key,
                  const toml::node& node, const std::string& where) {
  auto setter = Setters().find(key);
  if (setter == Setters().end()) {
    throw ConfigError(
        fmt::format("{}: unknown stack setting '{}'", where, key));
  }
  try {
    setter->second(settings, node);
  } catch (const Error& error) {
    throw ConfigError(fmt::format("{}: {} {}", where, key, error.message()));
  }
}

}  // namespace

StackSettings ParseStackSettings(const std::string& name,
                                 const std::string& toml_text,
                                 const std::string& path) {
  StackSettings settings;
  settings.name = name;
  toml::table root;
  try {
    root = toml::parse(TomlAsciiOnly(toml_text), path);
  } catch (const toml::parse_error& error) {
    throw ConfigError(fmt::format("{}:{}: {}", path, error.source().begin.line,
                                  error.description()));
  }
  const toml::table* stack = root["stacks"][name].as_table();
  if (stack == nullptr) return settings;
  for (const auto& [key, node] : *stack) {
    std::string where = fmt::format("{}:{}", path, node.source().begin.line);
    ApplySetting(settings, std::string(key.str()), node, where);
  }
  return settings;
}

StackSettings LoadStackSettings(const std::string& name,
                                const Environment& env) {
  std::string path = ConfigPath(env);
  std::optional<std::string> text = env.read_file(path);
  if (!text) {
    StackSettings settings;
    settings.name = name;
    return settings;
  }
  return ParseStackSettings(name, *text, path);
}

StackContext::StackContext(Session& session, StackSettings settings)
    : session_(session),
      settings_(std::move(settings)),
      iam_(session),
      s3_(session) {}

const std::string& StackContext::account_id() {
  if (account_id_.empty()) {
    account_id_ = GetCallerIdentity(session_).account;
  }
  return account_id_;
}

std::string_view StackContext::partition() const {
  return PartitionOf(settings_.region).name;
}

std::string StackContext::IamArn(std::string_view resource) {
  return fmt::format("arn:{}:iam::{}:{}", partition(), account_id(), resource);
}

std::string StackContext::instance_arn() {
  return fmt::format("arn:{}:s3:{}:{}:access-grants/default", partition(),
                     settings_.region, account_id());
}

std::string StackContext::location_scope() const {
  return "s3://" + settings_.bucket + "/";
}

void StackContext::GuardAccount() {
  if (settings_.account_id.empty()) return;
  if (account_id() != settings_.account_id) {
    throw UsageError(fmt::format(
        "stack {} belongs to account {}, but the credentials in use are "
        "for account {}: refusing to change it",
        settings_.name, settings_.account_id, account_id()));
  }
}

S3ControlClient& StackContext::s3control() {
  if (!s3control_) {
    s3control_ = std::make_unique<S3ControlClient>(session_, account_id());
  }
  return *s3control_;
}

}  // namespace cytoskel
