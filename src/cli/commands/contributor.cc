// The contributor's commands: `grants` (what can I reach), `credentials`
// (scoped credentials for a shell or for credential_process) and `exec`
// (run a command with them). A contributor has no stack to name, so these
// sit at the top level.
#include <nlohmann/json.hpp>

#include <memory>
#include <ostream>

#include "aws/error.h"
#include "aws/time_format.h"
#include "cli/child_process.h"
#include "cli/commands/commands.h"
#include "contributor/scoped_credentials.h"

namespace cytoskel {

namespace {

// The options shared by `credentials` and `exec`.
struct RequestOptions {
  std::string target;
  std::string permission;
  int duration = 0;
  std::string privilege;
  bool no_cache = false;

  ScopedRequest Request() const {
    ScopedRequest request{target, permission, std::nullopt, privilege};
    if (duration != 0) request.duration_seconds = duration;
    return NormalizeRequest(request);
  }
};

void AddRequestOptions(CLI::App& command, RequestOptions& options) {
  command.add_option("--target", options.target,
                     "S3 URI to reach, e.g. s3://BUCKET/PREFIX/* (default: "
                     "your only grant)");
  command.add_option("--permission", options.permission,
                     "READ, WRITE or READWRITE (default: the grant's)");
  command.add_option("--duration", options.duration,
                     "Lifetime in seconds, 900-43200 (default 3600)");
  command.add_option("--privilege", options.privilege,
                     "Default (the grant's scope) or Minimal (the target)");
  command.add_flag("--no-cache", options.no_cache,
                   "Ask Access Grants even if cached credentials are fresh");
}

ScopedCredentials Fetch(CommandContext& context,
                        const RequestOptions& options) {
  ScopedRequest request = options.Request();  // validate before any call
  Session& session = context.session();
  if (options.no_cache) return GetScopedCredentials(session, request, nullptr);
  CredentialCache cache(
      CredentialCache::DefaultDirectory(context.environment()),
      context.environment());
  return GetScopedCredentials(session, request, &cache);
}

// ---- grants ----

int RunGrants(CommandContext& context) {
  std::string account_id;
  std::vector<CallerGrant> grants =
      ListMyGrants(context.session(), &account_id);
  std::ostream& out = context.io().out;
  switch (context.output()) {
    case OutputFormat::kJson: {
      nlohmann::json list = nlohmann::json::array();
      for (const CallerGrant& grant : grants) {
        list.push_back({{"GrantScope", grant.grant_scope},
                        {"Permission", grant.permission}});
      }
      PrintJson(out, list);
      break;
    }
    case OutputFormat::kTable: {
      Table table{{"SCOPE", "PERMISSION"}, {}};
      for (const CallerGrant& grant : grants) {
        table.rows.push_back({grant.grant_scope, grant.permission});
      }
      PrintTable(out, table);
      break;
    }
    case OutputFormat::kText:
      for (const CallerGrant& grant : grants) {
        out << grant.grant_scope << " " << grant.permission << '\n';
      }
      break;
  }
  return 0;
}

// ---- credentials ----

struct CredentialsOptions {
  RequestOptions request;
  std::string format = "env";
};

std::string ShellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text)
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

int RunCredentials(CommandContext& context, const CredentialsOptions& options) {
  if (options.format != "env" && options.format != "json" &&
      options.format != "process") {
    throw UsageError("--format must be env, json or process, not '" +
                     options.format + "'");
  }
  ScopedCredentials scoped = Fetch(context, options.request);
  const Credentials& credentials = scoped.credentials;
  std::string expiration = FormatRfc3339(*credentials.expiration);
  std::ostream& out = context.io().out;
  if (options.format == "env") {
    out << "export AWS_ACCESS_KEY_ID=" << ShellQuote(credentials.access_key_id)
        << "\nexport AWS_SECRET_ACCESS_KEY="
        << ShellQuote(credentials.secret_access_key)
        << "\nexport AWS_SESSION_TOKEN="
        << ShellQuote(credentials.session_token)
        << "\nexport AWS_CREDENTIAL_EXPIRATION=" << ShellQuote(expiration)
        << '\n';
  } else if (options.format == "process") {
    out << nlohmann::json({{"Version", 1},
                           {"AccessKeyId", credentials.access_key_id},
                           {"SecretAccessKey", credentials.secret_access_key},
                           {"SessionToken", credentials.session_token},
                           {"Expiration", expiration}})
               .dump()
        << '\n';
  } else {
    PrintJson(out, {{"AccessKeyId", credentials.access_key_id},
                    {"SecretAccessKey", credentials.secret_access_key},
                    {"SessionToken", credentials.session_token},
                    {"Expiration", expiration},
                    {"Target", scoped.target},
                    {"Permission", scoped.permission},
                    {"MatchedGrantTarget", scoped.matched_grant_target}});
  }
  return 0;
}

// ---- exec ----

// The variables that would make the child use other credentials than the
// scoped ones.
constexpr const char* kShadowingVariables[] = {
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
};

std::map<std::string, std::string> ChildEnvironment(
    CommandContext& context, const ScopedCredentials& scoped) {
  std::map<std::string, std::string> environment = CurrentEnvironment();
  for (const char* name : kShadowingVariables) environment.erase(name);
  const Credentials& credentials = scoped.credentials;
  environment["AWS_ACCESS_KEY_ID"] = credentials.access_key_id;
  environment["AWS_SECRET_ACCESS_KEY"] = credentials.secret_access_key;
  environment["AWS_SESSION_TOKEN"] = credentials.session_token;
  environment["AWS_CREDENTIAL_EXPIRATION"] =
      FormatRfc3339(*credentials.expiration);
  Session& session = context.session();
  environment["AWS_REGION"] = session.Region();
  environment["AWS_DEFAULT_REGION"] = session.Region();
  // A custom S3 endpoint (a profile's endpoint_url, say) would be lost with
  // the profile: hand it over explicitly.
  Endpoint s3 = session.EndpointFor(Service::kS3);
  if (s3.custom) environment.try_emplace("AWS_ENDPOINT_URL_S3", s3.base_url);
  return environment;
}

struct ExecOptions {
  RequestOptions request;
  std::vector<std::string> command;
};

int RunExec(CommandContext& context, const ExecOptions& options) {
  if (options.command.empty()) {
    throw UsageError("exec needs a command: cytoskel exec -- COMMAND ARGS");
  }
  ScopedCredentials scoped = Fetch(context, options.request);
  context.io().out.flush();
  return RunChild(options.command, ChildEnvironment(context, scoped));
}

}  // namespace

CommandSpec GrantsCommand() {
  return {
      .path = "grants",
      .summary =
          "List what you can reach through S3 Access Grants (scope "
          "and permission)",
      .examples =
          "  AWS_PROFILE=cpg_staging cytoskel grants\n"
          "  cytoskel --profile cpg_staging grants --output json",
      .define = [](CLI::App&) -> Runner { return RunGrants; },
  };
}

CommandSpec CredentialsCommand() {
  return {
      .path = "credentials",
      .summary = "Print short-lived credentials scoped to your grant",
      .examples =
          "  eval \"$(cytoskel --profile cpg_staging credentials)\"\n"
          "  cytoskel credentials --target s3://BUCKET/cpg0001-x/* "
          "--format json\n"
          "  # in ~/.aws/config, for the AWS CLI and every SDK:\n"
          "  [profile cpg-upload]\n"
          "  credential_process = cytoskel --profile cpg_staging "
          "credentials --format process",
      .define = [](CLI::App& command) -> Runner {
        auto options = std::make_shared<CredentialsOptions>();
        AddRequestOptions(command, options->request);
        command.add_option("--format", options->format,
                           "env (export lines), json, or process "
                           "(credential_process)");
        return [options](CommandContext& context) {
          return RunCredentials(context, *options);
        };
      },
  };
}

CommandSpec ExecCommand() {
  return {
      .path = "exec",
      .summary = "Run a command with credentials scoped to your grant",
      .examples =
          "  cytoskel --profile cpg_staging exec -- aws s3 sync ./data "
          "s3://BUCKET/cpg0001-x/\n"
          "  cytoskel exec --target s3://BUCKET/cpg0001-x/* -- rclone ...",
      .define = [](CLI::App& command) -> Runner {
        auto options = std::make_shared<ExecOptions>();
        AddRequestOptions(command, options->request);
        command.add_option("command", options->command,
                           "The command and its arguments, after --");
        return [options](CommandContext& context) {
          return RunExec(context, *options);
        };
      },
  };
}

}  // namespace cytoskel
