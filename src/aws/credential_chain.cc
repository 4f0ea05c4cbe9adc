#include "aws/credential_chain.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <optional>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "aws/error.h"
#include "aws/time_format.h"

extern char** environ;

namespace cytoskel {

namespace {

using Clock = std::chrono::system_clock;

constexpr size_t kMaxProcessOutput = 1 << 20;
constexpr size_t kMaxStderrInMessage = 4096;

// ---------------------------------------------------------------------------
// Reading settings

// A plain setting with a non-empty value, or nullopt.
std::optional<std::string> Get(const std::map<std::string, std::string>& map,
                               const std::string& key) {
  const auto found = map.find(key);
  if (found == map.end() || found->second.empty()) return std::nullopt;
  return found->second;
}

std::optional<std::string> Get(const IniSection& section,
                               const std::string& key) {
  return Get(section.values, key);
}

// Any non-empty value, from the environment.
std::optional<std::string> GetEnv(const Environment& env,
                                  const std::string& name) {
  std::optional<std::string> value = env.get_env(name);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

bool HasStaticKeys(const IniSection& profile) {
  return Get(profile, "aws_access_key_id") ||
         Get(profile, "aws_secret_access_key");
}

bool HasRoleConfig(const IniSection& profile) {
  return Get(profile, "role_arn") && !Get(profile, "web_identity_token_file");
}

// The suggestion for every source cytoskel cannot read itself.
std::string ExportHint(const std::string& profile) {
  return fmt::format(
      " Let the AWS CLI v2 fetch them instead: add a profile with "
      "credential_process = aws configure export-credentials --profile {} "
      "--format process, and use that profile.",
      profile);
}

// ---------------------------------------------------------------------------
// Static keys

// The keys named `id_name` and `secret_name`, read through `get`: both or
// neither.
// `where` names the place for the partial-keys error.
std::optional<Credentials> StaticKeys(
    const std::function<std::optional<std::string>(const std::string&)>& get,
    const std::string& id_name, const std::string& secret_name,
    const std::string& where) {
  const std::optional<std::string> id = get(id_name);
  const std::optional<std::string> secret = get(secret_name);
  if (!id && !secret) return std::nullopt;
  if (!id || !secret) {
    throw ConfigError(fmt::format(
        "Partial credentials found in {}: {} is set but {} is missing.", where,
        id ? id_name : secret_name, id ? secret_name : id_name));
  }
  Credentials credentials;
  credentials.access_key_id = *id;
  credentials.secret_access_key = *secret;
  return credentials;
}

// Keys from a file section; botocore prefers aws_security_token.
std::optional<Credentials> FileKeys(
    const std::map<std::string, std::string>& settings,
    const std::string& where, const std::string& source) {
  const auto get = [&](const std::string& key) { return Get(settings, key); };
  std::optional<Credentials> credentials =
      StaticKeys(get, "aws_access_key_id", "aws_secret_access_key", where);
  if (!credentials) return std::nullopt;
  credentials->session_token =
      Get(settings, "aws_security_token")
          .value_or(Get(settings, "aws_session_token").value_or(""));
  credentials->source = source;
  return credentials;
}

void CheckNotExpired(const Credentials& credentials, Clock::time_point now,
                     const std::string& what) {
  if (credentials.expiration && *credentials.expiration <= now) {
    throw ConfigError(fmt::format("The credentials from {} expired at {}.",
                                  what,
                                  FormatRfc3339(*credentials.expiration)));
  }
}

std::optional<Credentials> EnvironmentKeys(const CredentialDeps& deps) {
  const auto get = [&](const std::string& name) {
    return GetEnv(deps.env, name);
  };
  std::optional<Credentials> credentials = StaticKeys(
      get, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "the environment");
  if (!credentials) return std::nullopt;
  credentials->session_token =
      get("AWS_SECURITY_TOKEN").value_or(get("AWS_SESSION_TOKEN").value_or(""));
  if (std::optional<std::string> expiration =
          get("AWS_CREDENTIAL_EXPIRATION")) {
    credentials->expiration = ParseRfc3339(*expiration);
    if (!credentials->expiration) {
      throw ConfigError(
          "AWS_CREDENTIAL_EXPIRATION is not an RFC 3339 time such as "
          "2024-05-01T12:00:00Z.");
    }
  }
  credentials->source = "environment";
  CheckNotExpired(*credentials, deps.now(), "the environment");
  return credentials;
}

// ---------------------------------------------------------------------------
// credential_process

std::string ProcessName(const std::string& profile) {
  return fmt::format("credential_process of profile \"{}\"", profile);
}

std::string TrimmedStderr(std::string text) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  text.erase(std::find_if(text.rbegin(), text.rend(), not_space).base(),
             text.end());
  text.erase(text.begin(), std::find_if(text.begin(), text.end(), not_space));
  if (text.size() > kMaxStderrInMessage) {
    text.resize(kMaxStderrInMessage);
    text += " [...]";
  }
  return text;
}

[[noreturn]] void FailProcess(const std::string& profile,
                              const std::string& problem) {
  throw ConfigError(fmt::format("{} {}", ProcessName(profile), problem));
}

// A string member of the process's JSON; absent (or null) if not required.
// A required member must not be empty: an empty key id or secret would only
// fail later, at AWS, as a signature nobody can explain.
std::optional<std::string> JsonString(const nlohmann::json& document,
                                      const char* key, bool required,
                                      const std::string& profile) {
  const auto found = document.find(key);
  if (found == document.end() || found->is_null()) {
    if (required) FailProcess(profile, fmt::format("printed no {}.", key));
    return std::nullopt;
  }
  if (!found->is_string()) {
    FailProcess(profile, fmt::format("printed a non-string {}.", key));
  }
  std::string value = found->get<std::string>();
  if (required && value.empty()) {
    FailProcess(profile, fmt::format("printed an empty {}.", key));
  }
  return value;
}

// Reads {"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken",
// "Expiration"}. No message quotes the output: it holds the secret.
Credentials ParseProcessOutput(const std::string& output,
                               const std::string& profile) {
  const nlohmann::json document =
      nlohmann::json::parse(output, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    FailProcess(profile, "did not print a JSON object.");
  }
  const auto version = document.find("Version");
  if (version == document.end() || !version->is_number() ||
      version->get<double>() != 1.0) {
    FailProcess(profile, "must print \"Version\": 1.");
  }

  Credentials credentials;
  credentials.access_key_id =
      *JsonString(document, "AccessKeyId", true, profile);
  credentials.secret_access_key =
      *JsonString(document, "SecretAccessKey", true, profile);
  credentials.session_token =
      JsonString(document, "SessionToken", false, profile).value_or("");
  if (std::optional<std::string> expiration =
          JsonString(document, "Expiration", false, profile)) {
    credentials.expiration = ParseRfc3339(*expiration);
    if (!credentials.expiration) {
      FailProcess(profile,
                  "printed an Expiration that is not an RFC 3339 time.");
    }
  }
  credentials.source = "credential-process";
  return credentials;
}

Credentials RunCredentialProcess(const std::string& command,
                                 const std::string& profile,
                                 const CredentialDeps& deps) {
  const ProcessResult result = deps.run_process(command);
  if (result.exit_code != 0) {
    const std::string stderr_text = TrimmedStderr(result.stderr_text);
    FailProcess(profile,
                fmt::format("failed with exit status {}{}", result.exit_code,
                            stderr_text.empty() ? "." : ": " + stderr_text));
  }
  Credentials credentials = ParseProcessOutput(result.stdout_text, profile);
  CheckNotExpired(credentials, deps.now(), ProcessName(profile));
  return credentials;
}

// ---------------------------------------------------------------------------
// The chain

class Chain {
 public:
  Chain(const ResolvedConfig& config, const CredentialDeps& deps)
      : config_(config), deps_(deps), visited_{config.profile} {}

  Credentials Resolve() {
    const bool env_allowed = config_.profile_source != "--profile";
    if (env_allowed) {
      if (std::optional<Credentials> keys = EnvironmentKeys(deps_)) {
        return *keys;
      }
    }
    if (HasRoleConfig(ScopedProfile(config_, config_.profile))) {
      return AssumeRole(config_.profile);
    }
    if (std::optional<Credentials> found =
            FromProfile(config_.profile, env_allowed)) {
      return *found;
    }
    throw ConfigError(fmt::format(
        "Unable to locate credentials for profile \"{}\". You can configure "
        "credentials by running \"aws configure\". (cytoskel reads "
        "environment variables, the credentials and config files, "
        "assume-role profiles and credential_process; not container or "
        "instance metadata credentials.)",
        config_.profile));
  }

 private:
  // Links 3 to 8 for one profile. `env_allowed` lets AWS_WEB_IDENTITY_*
  // count; it does not for --profile and for source profiles.
  std::optional<Credentials> FromProfile(const std::string& name,
                                         bool env_allowed) const {
    const IniSection profile = ScopedProfile(config_, name);
    RefuseWebIdentity(name, profile, env_allowed);
    RefuseSso(name, profile);
    if (std::optional<Credentials> keys = CredentialsFileKeys(name)) {
      return keys;
    }
    RefuseLogin(name, profile);
    if (std::optional<std::string> command =
            Get(profile, "credential_process")) {
      return RunCredentialProcess(*command, name, deps_);
    }
    return ConfigFileKeys(name);
  }

  std::optional<Credentials> CredentialsFileKeys(
      const std::string& name) const {
    const auto section = config_.credentials_sections.find(name);
    if (section == config_.credentials_sections.end()) return std::nullopt;
    return FileKeys(section->second.values,
                    fmt::format("profile [{}] of the credentials file {}", name,
                                config_.credentials_file),
                    "shared-credentials-file");
  }

  std::optional<Credentials> ConfigFileKeys(const std::string& name) const {
    const auto profile = config_.config_profiles.find(name);
    if (profile == config_.config_profiles.end()) return std::nullopt;
    return FileKeys(profile->second.values,
                    fmt::format("profile \"{}\" of the config file {}", name,
                                config_.config_file),
                    "config-file");
  }

  // botocore reads the token file name from AWS_WEB_IDENTITY_TOKEN_FILE
  // first, when the environment counts, then from the profile.
  void RefuseWebIdentity(const std::string& name, const IniSection& profile,
                         bool env_allowed) const {
    std::optional<std::string> variable =
        env_allowed ? deps_.env.get_env("AWS_WEB_IDENTITY_TOKEN_FILE")
                    : std::nullopt;
    const bool from_env = variable.has_value();
    const std::string token_file =
        from_env ? *variable
                 : Get(profile, "web_identity_token_file").value_or("");
    if (token_file.empty()) return;
    if (from_env) {
      throw ConfigError(
          "AWS_WEB_IDENTITY_TOKEN_FILE is set, but cytoskel does not support "
          "web identity credentials." +
          ExportHint(name));
    }
    throw ConfigError(fmt::format(
        "Profile \"{}\" uses web identity credentials "
        "(web_identity_token_file), which cytoskel does not support.{}",
        name, ExportHint(name)));
  }

  void RefuseSso(const std::string& name, const IniSection& profile) const {
    if (!profile.Has("sso_account_id") && !profile.Has("sso_role_name")) {
      return;
    }
    throw ConfigError(fmt::format(
        "Profile \"{}\" uses IAM Identity Center (SSO) credentials, which "
        "cytoskel does not support.{}",
        name, ExportHint(name)));
  }

  void RefuseLogin(const std::string& name, const IniSection& profile) const {
    if (!profile.Has("login_session")) return;
    throw ConfigError(fmt::format(
        "Profile \"{}\" uses \"aws login\" credentials (login_session), which "
        "cytoskel does not support.{}",
        name, ExportHint(name)));
  }

  // Link 2 for `name`, which has role_arn.
  Credentials AssumeRole(const std::string& name) {
    const IniSection profile = ScopedProfile(config_, name);
    const std::optional<std::string> source_profile =
        Get(profile, "source_profile");
    const std::optional<std::string> credential_source =
        Get(profile, "credential_source");
    if (source_profile && credential_source) {
      throw ConfigError(
          fmt::format("The profile \"{}\" contains both source_profile and "
                      "credential_source.",
                      name));
    }
    if (!source_profile && !credential_source) {
      throw ConfigError(fmt::format(
          "The profile \"{}\" has a role_arn but neither source_profile nor "
          "credential_source.",
          name));
    }

    const Credentials source =
        credential_source ? FromCredentialSource(name, *credential_source)
                          : FromSourceProfile(name, *source_profile);
    Credentials assumed = deps_.assume_role(source, RoleRequest(profile));
    assumed.source = "assume-role";
    return assumed;
  }

  AssumeRoleRequest RoleRequest(const IniSection& profile) const {
    AssumeRoleRequest request;
    request.role_arn = *Get(profile, "role_arn");
    request.session_name =
        Get(profile, "role_session_name").value_or(DefaultSessionName());
    request.external_id = Get(profile, "external_id").value_or("");
    request.mfa_serial = Get(profile, "mfa_serial").value_or("");
    // Like botocore, a duration_seconds that is not a number is ignored.
    if (std::optional<std::string> duration =
            Get(profile, "duration_seconds")) {
      int seconds = 0;
      const char* end = duration->data() + duration->size();
      const auto result = std::from_chars(duration->data(), end, seconds);
      if (result.ec == std::errc() && result.ptr == end) {
        request.duration_seconds = seconds;
      }
    }
    request.region = config_.region;
    return request;
  }

  std::string DefaultSessionName() const {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
        deps_.now().time_since_epoch());
    return fmt::format("cytoskel-session-{}", seconds.count());
  }

  Credentials FromCredentialSource(const std::string& name,
                                   const std::string& source) const {
    // botocore compares these names exactly.
    if (source == "Environment") {
      if (std::optional<Credentials> keys = EnvironmentKeys(deps_)) {
        return *keys;
      }
      throw ConfigError(fmt::format(
          "Profile \"{}\" has credential_source = Environment, but "
          "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set.",
          name));
    }
    if (source == "EcsContainer" || source == "Ec2InstanceMetadata") {
      throw ConfigError(fmt::format(
          "Profile \"{}\" has credential_source = {}, which cytoskel does "
          "not support: it reads no container or instance metadata "
          "credentials.",
          name, source));
    }
    throw ConfigError(fmt::format(
        "The credential source \"{}\" referenced in profile \"{}\" is not "
        "valid. Valid values are Environment, EcsContainer and "
        "Ec2InstanceMetadata.",
        source, name));
  }

  Credentials FromSourceProfile(const std::string& parent,
                                const std::string& source) {
    CheckSourceProfile(parent, source);
    visited_.push_back(source);
    const IniSection profile = ScopedProfile(config_, source);
    if (HasRoleConfig(profile) && !HasStaticKeys(profile)) {
      return AssumeRole(source);
    }
    std::optional<Credentials> found =
        FromProfile(source, /*env_allowed=*/false);
    if (!found) {
      throw ConfigError(fmt::format(
          "The source profile \"{}\" must have credentials.", source));
    }
    return *found;
  }

  // A profile may name itself as its source only to use its own static
  // keys; any other repeat is a loop.
  void CheckSourceProfile(const std::string& parent,
                          const std::string& source) const {
    if (!ProfileExists(config_, source)) {
      throw ConfigError(fmt::format(
          "The source_profile \"{}\" referenced in the profile \"{}\" does "
          "not exist.",
          source, parent));
    }
    if (std::find(visited_.begin(), visited_.end(), source) == visited_.end()) {
      return;
    }
    if (source == parent && HasStaticKeys(ScopedProfile(config_, source))) {
      return;
    }
    throw ConfigError(fmt::format(
        "Infinite loop in credential configuration detected. Attempting to "
        "load from profile {} which has already been visited. Visited "
        "profiles: {}",
        source, fmt::join(visited_, ", ")));
  }

  const ResolvedConfig& config_;
  const CredentialDeps& deps_;
  std::vector<std::string> visited_;  // profiles on the source_profile path
};

// ---------------------------------------------------------------------------
// RunProcess

// Both ends of a pipe, closed on destruction and on exec.
class Pipe {
 public:
  Pipe() {
    if (pipe2(fds_, O_CLOEXEC) != 0) {
      throw ConfigError(fmt::format("Unable to create a pipe: {}",
                                    std::generic_category().message(errno)));
    }
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  ~Pipe() {
    CloseRead();
    CloseWrite();
  }
  int read_end() const { return fds_[0]; }
  int write_end() const { return fds_[1]; }
  void CloseRead() { Close(fds_[0]); }
  void CloseWrite() { Close(fds_[1]); }

 private:
  static void Close(int& fd) {
    if (fd >= 0) close(fd);
    fd = -1;
  }
  int fds_[2] = {-1, -1};
};

// Spawn settings: stdout and stderr into the pipes, signals at defaults.
class SpawnSetup {
 public:
  SpawnSetup(const Pipe& out, const Pipe& err) {
    posix_spawn_file_actions_init(&actions_);
    posix_spawn_file_actions_adddup2(&actions_, out.write_end(), 1);
    posix_spawn_file_actions_adddup2(&actions_, err.write_end(), 2);
    posix_spawnattr_init(&attributes_);
    sigset_t signals;
    sigemptyset(&signals);
    posix_spawnattr_setsigmask(&attributes_, &signals);
    sigfillset(&signals);
    posix_spawnattr_setsigdefault(&attributes_, &signals);
    posix_spawnattr_setflags(&attributes_,
                             POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions_);
    posix_spawnattr_destroy(&attributes_);
  }
  const posix_spawn_file_actions_t* actions() const { return &actions_; }
  const posix_spawnattr_t* attributes() const { return &attributes_; }

 private:
  posix_spawn_file_actions_t actions_;
  posix_spawnattr_t attributes_;
};

// Reads both pipes until both reach end of file, whichever the child fills
// first, so neither can block it.
void ReadBoth(int out_fd, int err_fd, ProcessResult& result) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&result.stdout_text, &result.stderr_text};
  char buffer[8192];
  int open_count = 2;
  while (open_count > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      throw ConfigError(fmt::format("Unable to read a child process: {}",
                                    std::generic_category().message(errno)));
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t count = read(fds[i].fd, buffer, sizeof buffer);
      if (count < 0 && errno == EINTR) continue;
      if (count <= 0) {
        fds[i].fd = -1;  // poll ignores negative descriptors
        --open_count;
        continue;
      }
      const size_t room =
          kMaxProcessOutput - std::min(kMaxProcessOutput, sinks[i]->size());
      sinks[i]->append(buffer, std::min(room, static_cast<size_t>(count)));
    }
  }
}

int WaitForExit(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return 128;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 128;
}

}  // namespace

Credentials ResolveCredentials(const ResolvedConfig& config,
                               const CredentialDeps& deps) {
  return Chain(config, deps).Resolve();
}

ProcessResult RunProcess(const std::string& command_line) {
  Pipe out;
  Pipe err;
  pid_t pid = 0;
  {
    const SpawnSetup setup(out, err);
    std::string shell = "/bin/sh";
    std::string flag = "-c";
    std::string command = command_line;
    char* argv[] = {shell.data(), flag.data(), command.data(), nullptr};
    const int error = posix_spawn(&pid, shell.c_str(), setup.actions(),
                                  setup.attributes(), argv, environ);
    if (error != 0) {
      throw ConfigError(fmt::format("Unable to run /bin/sh: {}",
                                    std::generic_category().message(error)));
    }
  }
  // Only the child may hold the write ends, or reading never ends.
  out.CloseWrite();
  err.CloseWrite();

  ProcessResult result;
  ReadBoth(out.read_end(), err.read_end(), result);
  result.exit_code = WaitForExit(pid);
  return result;
}

}  // namespace cytoskel
