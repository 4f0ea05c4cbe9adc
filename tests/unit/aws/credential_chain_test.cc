#include "aws/credential_chain.h"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "aws/error.h"
#include "aws/time_format.h"

namespace cytoskel {
namespace {

using Clock = std::chrono::system_clock;
using Vars = std::map<std::string, std::string>;

constexpr char kConfigPath[] = "/home/u/.aws/config";
constexpr char kCredentialsPath[] = "/home/u/.aws/credentials";

// Every secret and token below contains "SeCrEt" or "ToKeN", so a test can
// prove that no error message carries one.
const char kConfig[] = R"([default]
region = us-east-1

[profile CPG]
aws_access_key_id = AKIACPG
aws_secret_access_key = SeCrEtCPG
region = us-east-1
output = json

[profile cfgtoken]
aws_access_key_id = AKIACFG
aws_secret_access_key = SeCrEtCFG
aws_session_token = ToKeNCFG

[profile both]
aws_access_key_id = AKIACONFIGBOTH
aws_secret_access_key = SeCrEtCONFIGBOTH

[profile admin]
role_arn = arn:aws:iam::111111111111:role/Admin
source_profile = CPG
external_id = ext-1
role_session_name = me
duration_seconds = 900
mfa_serial = arn:aws:iam::111111111111:mfa/me

[profile chained]
role_arn = arn:aws:iam::222222222222:role/Chained
source_profile = admin

[profile fromenv]
role_arn = arn:aws:iam::333333333333:role/FromEnv
credential_source = Environment

[profile selfsourced]
role_arn = arn:aws:iam::444444444444:role/Self
source_profile = selfsourced
aws_access_key_id = AKIASELF
aws_secret_access_key = SeCrEtSELF

[profile procsource]
role_arn = arn:aws:iam::555555555555:role/Proc
source_profile = proc

[profile badduration]
role_arn = arn:aws:iam::111111111111:role/Admin
source_profile = CPG
duration_seconds = an hour

[profile loop1]
role_arn = arn:aws:iam::111111111111:role/L1
source_profile = loop2

[profile loop2]
role_arn = arn:aws:iam::111111111111:role/L2
source_profile = loop1

[profile selfloop]
role_arn = arn:aws:iam::111111111111:role/S
source_profile = selfloop

[profile bothsources]
role_arn = arn:aws:iam::111111111111:role/B
source_profile = CPG
credential_source = Environment

[profile nosource]
role_arn = arn:aws:iam::111111111111:role/N

[profile lowercasesource]
role_arn = arn:aws:iam::111111111111:role/N
credential_source = environment

[profile imds]
role_arn = arn:aws:iam::111111111111:role/N
credential_source = Ec2InstanceMetadata

[profile dangling]
role_arn = arn:aws:iam::111111111111:role/N
source_profile = ghost

[profile keyless]
region = eu-west-1

[profile sourcekeyless]
role_arn = arn:aws:iam::111111111111:role/N
source_profile = keyless

[profile proc]
credential_process = fetch --ok

[profile procfail]
credential_process = fetch --fail

[profile procquiet]
credential_process = fetch --quiet-fail

[profile procjunk]
credential_process = fetch --junk

[profile procv2]
credential_process = fetch --v2

[profile procnosecret]
credential_process = fetch --no-secret

[profile procemptysecret]
credential_process = fetch --empty-secret

[profile procbadtime]
credential_process = fetch --bad-time

[profile procexpired]
credential_process = fetch --expired

[profile webid]
role_arn = arn:aws:iam::111111111111:role/W
web_identity_token_file = /var/run/token

[profile sso]
sso_account_id = 111111111111
sso_role_name = Admin
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1

[profile login]
login_session = arn:aws:iam::111111111111:user/me

[profile partialcfg]
aws_access_key_id = AKIAPARTIAL
)";

const char kCredentials[] = R"([default]
aws_access_key_id = AKIADEFAULT
aws_secret_access_key = SeCrEtDEFAULT

[both]
aws_access_key_id = AKIACREDSBOTH
aws_secret_access_key = SeCrEtCREDSBOTH
aws_session_token = ToKeNBOTH

[credonly]
aws_access_key_id = AKIACREDONLY
aws_secret_access_key = SeCrEtCREDONLY

[credrole]
role_arn = arn:aws:iam::666666666666:role/InCreds
source_profile = credonly

[credproc]
credential_process = fetch --ok

[partialcred]
aws_secret_access_key = SeCrEtPARTIAL

[emptykeys]
aws_access_key_id =
aws_secret_access_key =
)";

Clock::time_point Now() { return *ParseRfc3339("2025-01-01T00:00:00Z"); }

ProcessResult FakeProcess(const std::string& command) {
  const std::string good =
      R"({"Version": 1, "AccessKeyId": "AKIAPROC", "SecretAccessKey": )"
      R"("SeCrEtPROC", "SessionToken": "ToKeNPROC", "Expiration": )"
      R"("2030-01-01T00:00:00Z"})";
  if (command == "fetch --ok") return {0, good, ""};
  if (command == "fetch --fail") {
    return {3, good, "  login expired; run sso login\n"};
  }
  if (command == "fetch --quiet-fail") return {1, good, ""};
  if (command == "fetch --junk") return {0, "AKIA SeCrEtJUNK", ""};
  if (command == "fetch --v2") {
    return {0,
            R"({"Version": 2, "AccessKeyId": "A", "SecretAccessKey": )"
            R"("SeCrEtV2"})",
            ""};
  }
  if (command == "fetch --no-secret") {
    return {0, R"({"Version": 1, "AccessKeyId": "A"})", ""};
  }
  if (command == "fetch --empty-secret") {
    return {0, R"({"Version": 1, "AccessKeyId": "A", "SecretAccessKey": ""})",
            ""};
  }
  if (command == "fetch --bad-time") {
    return {0,
            R"({"Version": 1, "AccessKeyId": "A", "SecretAccessKey": )"
            R"("SeCrEtT", "Expiration": "tomorrow"})",
            ""};
  }
  if (command == "fetch --expired") {
    return {0,
            R"({"Version": 1, "AccessKeyId": "A", "SecretAccessKey": )"
            R"("SeCrEtE", "Expiration": "2024-12-31T23:00:00+00:00"})",
            ""};
  }
  return {127, "", "fetch: not found"};
}

// A fake world: maps for variables and files, canned processes, and an STS
// that answers "ASIA[Role<-SOURCE_KEY]" and records every request.
struct World {
  Vars vars;
  std::shared_ptr<std::vector<AssumeRoleRequest>> requests =
      std::make_shared<std::vector<AssumeRoleRequest>>();

  Environment Env() const {
    Vars all = vars;
    all.emplace("HOME", "/home/u");
    return Environment::FromMaps(
        all, {{kConfigPath, kConfig}, {kCredentialsPath, kCredentials}});
  }

  CredentialDeps Deps() const {
    CredentialDeps deps;
    deps.env = Env();
    deps.run_process = FakeProcess;
    deps.assume_role = [requests = requests](const Credentials& source,
                                             const AssumeRoleRequest& request) {
      requests->push_back(request);
      const std::string role =
          request.role_arn.substr(request.role_arn.rfind('/') + 1);
      Credentials assumed;
      assumed.access_key_id =
          "ASIA[" + role + "<-" + source.access_key_id + "]";
      assumed.secret_access_key = "SeCrEtASSUMED";
      assumed.session_token = "ToKeNASSUMED";
      assumed.expiration = Now() + std::chrono::hours(1);
      return assumed;
    };
    deps.now = Now;
    return deps;
  }

  Credentials Resolve(std::optional<std::string> profile_flag) const {
    GlobalOptions options;
    options.profile = std::move(profile_flag);
    return ResolveCredentials(ResolveConfig(options, Env()), Deps());
  }
};

const Vars kEnvKeys = {{"AWS_ACCESS_KEY_ID", "AKIAENV"},
                       {"AWS_SECRET_ACCESS_KEY", "SeCrEtENV"}};

Vars With(Vars vars, const Vars& more) {
  vars.insert(more.begin(), more.end());
  return vars;
}

struct ChainCase {
  const char* name;
  Vars vars;
  std::optional<std::string> profile_flag;
  std::string source;
  std::string access_key_id;
  std::string session_token;
};

TEST(ResolveCredentialsTest, WalksTheChainInCliOrder) {
  const std::vector<ChainCase> cases = {
      {"environment keys", kEnvKeys, std::nullopt, "environment", "AKIAENV",
       ""},
      {"environment keys win over AWS_PROFILE",
       With(kEnvKeys, {{"AWS_PROFILE", "CPG"}}), std::nullopt, "environment",
       "AKIAENV", ""},
      {"--profile skips environment keys", kEnvKeys, "CPG", "config-file",
       "AKIACPG", ""},
      {"AWS_SECURITY_TOKEN before AWS_SESSION_TOKEN, as botocore",
       With(kEnvKeys, {{"AWS_SESSION_TOKEN", "ToKeNs"},
                       {"AWS_SECURITY_TOKEN", "ToKeNold"}}),
       std::nullopt, "environment", "AKIAENV", "ToKeNold"},
      {"AWS_SESSION_TOKEN", With(kEnvKeys, {{"AWS_SESSION_TOKEN", "ToKeNs"}}),
       std::nullopt, "environment", "AKIAENV", "ToKeNs"},
      {"empty environment keys are absent",
       {{"AWS_ACCESS_KEY_ID", ""}, {"AWS_SECRET_ACCESS_KEY", ""}},
       std::nullopt,
       "shared-credentials-file",
       "AKIADEFAULT",
       ""},
      {"default profile from the credentials file",
       {},
       std::nullopt,
       "shared-credentials-file",
       "AKIADEFAULT",
       ""},
      {"keys in the config file (the seed's README)",
       {{"AWS_PROFILE", "CPG"}},
       std::nullopt,
       "config-file",
       "AKIACPG",
       ""},
      {"config file session token",
       {},
       "cfgtoken",
       "config-file",
       "AKIACFG",
       "ToKeNCFG"},
      {"credentials file before config file",
       {},
       "both",
       "shared-credentials-file",
       "AKIACREDSBOTH",
       "ToKeNBOTH"},
      {"profile only in the credentials file",
       {},
       "credonly",
       "shared-credentials-file",
       "AKIACREDONLY",
       ""},
      {"assume role from a source profile",
       {},
       "admin",
       "assume-role",
       "ASIA[Admin<-AKIACPG]",
       "ToKeNASSUMED"},
      {"assume role chained through another role",
       {},
       "chained",
       "assume-role",
       "ASIA[Chained<-ASIA[Admin<-AKIACPG]]",
       "ToKeNASSUMED"},
      {"credential_source = Environment, even with --profile", kEnvKeys,
       "fromenv", "assume-role", "ASIA[FromEnv<-AKIAENV]", "ToKeNASSUMED"},
      {"a profile may source its own static keys",
       {},
       "selfsourced",
       "assume-role",
       "ASIA[Self<-AKIASELF]",
       "ToKeNASSUMED"},
      {"role settings in the credentials file",
       {},
       "credrole",
       "assume-role",
       "ASIA[InCreds<-AKIACREDONLY]",
       "ToKeNASSUMED"},
      {"source profile with credential_process",
       {},
       "procsource",
       "assume-role",
       "ASIA[Proc<-AKIAPROC]",
       "ToKeNASSUMED"},
      {"credential_process",
       {},
       "proc",
       "credential-process",
       "AKIAPROC",
       "ToKeNPROC"},
      {"credential_process in the credentials file",
       {},
       "credproc",
       "credential-process",
       "AKIAPROC",
       "ToKeNPROC"},
      {"web identity variable ignored under --profile",
       {{"AWS_WEB_IDENTITY_TOKEN_FILE", "/t"}},
       "CPG",
       "config-file",
       "AKIACPG",
       ""},
      {"empty file keys are absent",
       {{"AWS_PROFILE", "emptykeys"}},
       std::nullopt,
       "",
       "",
       ""},
  };
  for (const ChainCase& c : cases) {
    SCOPED_TRACE(c.name);
    const World world{c.vars};
    if (c.source.empty()) {
      EXPECT_THROW(world.Resolve(c.profile_flag), Error);
      continue;
    }
    const Credentials credentials = world.Resolve(c.profile_flag);
    EXPECT_EQ(credentials.source, c.source);
    EXPECT_EQ(credentials.access_key_id, c.access_key_id);
    EXPECT_EQ(credentials.session_token, c.session_token);
    EXPECT_FALSE(credentials.secret_access_key.empty());
  }
}

TEST(ResolveCredentialsTest, ReadsExpirations) {
  const struct {
    const char* name;
    Vars vars;
    std::optional<std::string> profile_flag;
    std::optional<std::string> expiration;
  } cases[] = {
      {"long-term keys", {}, std::nullopt, std::nullopt},
      {"AWS_CREDENTIAL_EXPIRATION",
       With(kEnvKeys,
            {{"AWS_CREDENTIAL_EXPIRATION", "2025-01-01T02:00:00+01:00"}}),
       std::nullopt, "2025-01-01T01:00:00Z"},
      {"credential_process Expiration", {}, "proc", "2030-01-01T00:00:00Z"},
      {"assumed role", {}, "admin", "2025-01-01T01:00:00Z"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const Credentials credentials = World{c.vars}.Resolve(c.profile_flag);
    ASSERT_EQ(credentials.expiration.has_value(), c.expiration.has_value());
    if (c.expiration) {
      EXPECT_EQ(FormatRfc3339(*credentials.expiration), *c.expiration);
    }
  }
}

TEST(ResolveCredentialsTest, SendsTheProfilesRoleSettings) {
  const struct {
    const char* name;
    std::string profile;
    std::vector<std::string> role_arns;  // in call order
    std::string session_name;
    std::string external_id;
    std::string mfa_serial;
    int duration_seconds;
  } cases[] = {
      {"every setting",
       "admin",
       {"arn:aws:iam::111111111111:role/Admin"},
       "me",
       "ext-1",
       "arn:aws:iam::111111111111:mfa/me",
       900},
      {"defaults; chain assumes the inner role first",
       "chained",
       {"arn:aws:iam::111111111111:role/Admin",
        "arn:aws:iam::222222222222:role/Chained"},
       "cytoskel-session-1735689600",
       "",
       "",
       3600},
      {"unreadable duration ignored, as botocore",
       "badduration",
       {"arn:aws:iam::111111111111:role/Admin"},
       "cytoskel-session-1735689600",
       "",
       "",
       3600},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const World world{{{"AWS_REGION", "eu-west-2"}}};
    world.Resolve(c.profile);
    ASSERT_EQ(world.requests->size(), c.role_arns.size());
    for (size_t i = 0; i < c.role_arns.size(); ++i) {
      EXPECT_EQ((*world.requests)[i].role_arn, c.role_arns[i]);
      EXPECT_EQ((*world.requests)[i].region, "eu-west-2");
    }
    const AssumeRoleRequest& last = world.requests->back();
    EXPECT_EQ(last.session_name, c.session_name);
    EXPECT_EQ(last.external_id, c.external_id);
    EXPECT_EQ(last.mfa_serial, c.mfa_serial);
    EXPECT_EQ(last.duration_seconds, c.duration_seconds);
  }
}

struct ErrorCase {
  const char* name;
  Vars vars;
  std::optional<std::string> profile_flag;
  std::string message;
};

std::vector<ErrorCase> ErrorCases() {
  const std::string hint_for_webid =
      " Let the AWS CLI v2 fetch them instead: add a profile with "
      "credential_process = aws configure export-credentials --profile "
      "webid --format process, and use that profile.";
  return {
      {"access key without secret",
       {{"AWS_ACCESS_KEY_ID", "AKIAENV"}},
       std::nullopt,
       "Partial credentials found in the environment: AWS_ACCESS_KEY_ID is "
       "set but AWS_SECRET_ACCESS_KEY is missing."},
      {"secret without access key",
       {{"AWS_SECRET_ACCESS_KEY", "SeCrEtENV"}, {"AWS_SESSION_TOKEN", "ToKeN"}},
       std::nullopt,
       "Partial credentials found in the environment: AWS_SECRET_ACCESS_KEY "
       "is set but AWS_ACCESS_KEY_ID is missing."},
      {"partial keys in the config file",
       {},
       "partialcfg",
       "Partial credentials found in profile \"partialcfg\" of the config "
       "file /home/u/.aws/config: aws_access_key_id is set but "
       "aws_secret_access_key is missing."},
      {"partial keys in the credentials file",
       {},
       "partialcred",
       "Partial credentials found in profile [partialcred] of the "
       "credentials file /home/u/.aws/credentials: aws_secret_access_key is "
       "set but aws_access_key_id is missing."},
      {"bad AWS_CREDENTIAL_EXPIRATION",
       With(kEnvKeys, {{"AWS_CREDENTIAL_EXPIRATION", "soon"}}), std::nullopt,
       "AWS_CREDENTIAL_EXPIRATION is not an RFC 3339 time such as "
       "2024-05-01T12:00:00Z."},
      {"expired environment keys",
       With(kEnvKeys, {{"AWS_CREDENTIAL_EXPIRATION", "2024-12-31T00:00:00Z"}}),
       std::nullopt,
       "The credentials from the environment expired at "
       "2024-12-31T00:00:00Z."},
      {"both source_profile and credential_source",
       {},
       "bothsources",
       "The profile \"bothsources\" contains both source_profile and "
       "credential_source."},
      {"neither source_profile nor credential_source",
       {},
       "nosource",
       "The profile \"nosource\" has a role_arn but neither source_profile "
       "nor credential_source."},
      {"credential_source names are exact",
       {},
       "lowercasesource",
       "The credential source \"environment\" referenced in profile "
       "\"lowercasesource\" is not valid. Valid values are Environment, "
       "EcsContainer and Ec2InstanceMetadata."},
      {"instance metadata as credential_source",
       {},
       "imds",
       "Profile \"imds\" has credential_source = Ec2InstanceMetadata, which "
       "cytoskel does not support: it reads no container or instance "
       "metadata credentials."},
      {"credential_source = Environment without keys",
       {},
       "fromenv",
       "Profile \"fromenv\" has credential_source = Environment, but "
       "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set."},
      {"missing source profile",
       {},
       "dangling",
       "The source_profile \"ghost\" referenced in the profile \"dangling\" "
       "does not exist."},
      {"source profile without credentials",
       {},
       "sourcekeyless",
       "The source profile \"keyless\" must have credentials."},
      {"source_profile loop",
       {},
       "loop1",
       "Infinite loop in credential configuration detected. Attempting to "
       "load from profile loop1 which has already been visited. Visited "
       "profiles: loop1, loop2"},
      {"profile sourcing itself without keys",
       {},
       "selfloop",
       "Infinite loop in credential configuration detected. Attempting to "
       "load from profile selfloop which has already been visited. Visited "
       "profiles: selfloop"},
      {"web identity profile",
       {},
       "webid",
       "Profile \"webid\" uses web identity credentials "
       "(web_identity_token_file), which cytoskel does not support." +
           hint_for_webid},
      {"web identity variable",
       {{"AWS_WEB_IDENTITY_TOKEN_FILE", "/t"}},
       std::nullopt,
       "AWS_WEB_IDENTITY_TOKEN_FILE is set, but cytoskel does not support web "
       "identity credentials. Let the AWS CLI v2 fetch them instead: add a "
       "profile with credential_process = aws configure export-credentials "
       "--profile default --format process, and use that profile."},
      {"SSO profile",
       {},
       "sso",
       "Profile \"sso\" uses IAM Identity Center (SSO) credentials, which "
       "cytoskel does not support. Let the AWS CLI v2 fetch them instead: add "
       "a profile with credential_process = aws configure export-credentials "
       "--profile sso --format process, and use that profile."},
      {"login profile",
       {},
       "login",
       "Profile \"login\" uses \"aws login\" credentials (login_session), "
       "which cytoskel does not support. Let the AWS CLI v2 fetch them "
       "instead: add a profile with credential_process = aws configure "
       "export-credentials --profile login --format process, and use that "
       "profile."},
      {"failing credential_process shows its stderr, not its stdout",
       {},
       "procfail",
       "credential_process of profile \"procfail\" failed with exit status "
       "3: login expired; run sso login"},
      {"failing credential_process without stderr",
       {},
       "procquiet",
       "credential_process of profile \"procquiet\" failed with exit status "
       "1."},
      {"credential_process printing no JSON",
       {},
       "procjunk",
       "credential_process of profile \"procjunk\" did not print a JSON "
       "object."},
      {"credential_process version 2",
       {},
       "procv2",
       "credential_process of profile \"procv2\" must print \"Version\": 1."},
      {"credential_process without SecretAccessKey",
       {},
       "procnosecret",
       "credential_process of profile \"procnosecret\" printed no "
       "SecretAccessKey."},
      {"credential_process with an empty SecretAccessKey",
       {},
       "procemptysecret",
       "credential_process of profile \"procemptysecret\" printed an empty "
       "SecretAccessKey."},
      {"credential_process with a bad Expiration",
       {},
       "procbadtime",
       "credential_process of profile \"procbadtime\" printed an Expiration "
       "that is not an RFC 3339 time."},
      {"credential_process with expired credentials",
       {},
       "procexpired",
       "The credentials from credential_process of profile \"procexpired\" "
       "expired at 2024-12-31T23:00:00Z."},
      {"nothing anywhere",
       {{"AWS_SHARED_CREDENTIALS_FILE", "/none"}},
       std::nullopt,
       "Unable to locate credentials for profile \"default\". You can "
       "configure credentials by running \"aws configure\". (cytoskel reads "
       "environment variables, the credentials and config files, "
       "assume-role profiles and credential_process; not container or "
       "instance metadata credentials.)"},
  };
}

TEST(ResolveCredentialsTest, ExplainsEveryFailure) {
  for (const ErrorCase& c : ErrorCases()) {
    SCOPED_TRACE(c.name);
    try {
      World{c.vars}.Resolve(c.profile_flag);
      ADD_FAILURE() << "no error";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kConfig);
      EXPECT_EQ(error.message(), c.message);
    }
  }
}

TEST(ResolveCredentialsTest, NoErrorMessageCarriesASecret) {
  for (const ErrorCase& c : ErrorCases()) {
    SCOPED_TRACE(c.name);
    try {
      World{c.vars}.Resolve(c.profile_flag);
    } catch (const Error& error) {
      EXPECT_EQ(error.message().find("SeCrEt"), std::string::npos);
      EXPECT_EQ(error.message().find("ToKeN"), std::string::npos);
    }
  }
}

struct ProcessCase {
  const char* name;
  std::string command;
  int exit_code;
  std::string stdout_text;
  std::string stderr_text;
};

TEST(RunProcessTest, CapturesBothStreamsAndTheExitCode) {
  const std::vector<ProcessCase> cases = {
      {"both streams", "printf '{\"Version\": 1}'; printf 'warn\\n' >&2", 0,
       "{\"Version\": 1}", "warn\n"},
      {"exit status", "printf out; exit 3", 3, "out", ""},
      {"killed by a signal", "kill -TERM $$", 128 + 15, "", ""},
      {"shell syntax works", "X=ab; echo \"$X\" | tr a-z A-Z", 0, "AB\n", ""},
      {"command not found", "/nonexistent/cmd 2>/dev/null", 127, "", ""},
  };
  for (const ProcessCase& c : cases) {
    SCOPED_TRACE(c.name);
    const ProcessResult result = RunProcess(c.command);
    EXPECT_EQ(result.exit_code, c.exit_code);
    EXPECT_EQ(result.stdout_text, c.stdout_text);
    EXPECT_EQ(result.stderr_text, c.stderr_text);
  }
}

TEST(RunProcessTest, DrainsLargeOutputWithoutDeadlock) {
  const struct {
    const char* name;
    std::string command;
    size_t stdout_size;
    size_t stderr_size;
  } cases[] = {
      {"stderr filled first",
       "head -c 300000 /dev/zero >&2; head -c 300000 /dev/zero", 300000,
       300000},
      {"output past the cap is dropped", "head -c 3000000 /dev/zero", 1 << 20,
       0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const ProcessResult result = RunProcess(c.command);
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(result.stdout_text.size(), c.stdout_size);
    EXPECT_EQ(result.stderr_text.size(), c.stderr_size);
  }
}

TEST(RunProcessTest, FeedsTheChain) {
  CredentialDeps deps = World{}.Deps();
  deps.run_process = RunProcess;
  GlobalOptions options;
  options.profile = "proc";
  ResolvedConfig config = ResolveConfig(options, deps.env);
  config.config_profiles["proc"].values["credential_process"] =
      "printf '{\"Version\": 1, \"AccessKeyId\": \"AKIASH\", "
      "\"SecretAccessKey\": \"s\"}'";
  const Credentials credentials = ResolveCredentials(config, deps);
  EXPECT_EQ(credentials.access_key_id, "AKIASH");
  EXPECT_EQ(credentials.source, "credential-process");
  EXPECT_FALSE(credentials.expiration.has_value());
}

TEST(Rfc3339Test, ParsesWhatAwsWrites) {
  const struct {
    const char* text;
    const char* utc;  // FormatRfc3339 of the result
    long long extra_nanoseconds;
  } cases[] = {
      {"2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z", 0},
      {"2025-01-01t00:00:00z", "2025-01-01T00:00:00Z", 0},
      {"2025-01-01 00:00:00Z", "2025-01-01T00:00:00Z", 0},
      {"2025-01-01T02:30:00+02:30", "2025-01-01T00:00:00Z", 0},
      {"2024-12-31T19:00:00-0500", "2025-01-01T00:00:00Z", 0},
      {"2025-01-01T00:00:00.5Z", "2025-01-01T00:00:00Z", 500000000},
      {"2025-01-01T00:00:00.123456789123Z", "2025-01-01T00:00:00Z", 123456789},
      {"2024-02-29T12:00:00Z", "2024-02-29T12:00:00Z", 0},
      {"2016-12-31T23:59:60Z", "2017-01-01T00:00:00Z", 0},
      {"1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z", 0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const auto parsed = ParseRfc3339(c.text);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(FormatRfc3339(*parsed), c.utc);
    const auto whole = std::chrono::floor<std::chrono::seconds>(*parsed);
    EXPECT_EQ(
        std::chrono::duration_cast<std::chrono::nanoseconds>(*parsed - whole)
            .count(),
        c.extra_nanoseconds);
  }
}

TEST(Rfc3339Test, RefusesEverythingElse) {
  const char* const cases[] = {
      "",
      "2025-01-01",
      "2025-01-01T00:00:00",
      "2025-01-01T00:00Z",
      "2025-1-01T00:00:00Z",
      "2025-02-30T00:00:00Z",
      "2025-13-01T00:00:00Z",
      "2025-01-01T24:00:00Z",
      "2025-01-01T00:60:00Z",
      "2025-01-01T00:00:61Z",
      "2025-01-01T00:00:00.Z",
      "2025-01-01T00:00:00+24:00",
      "2025-01-01T00:00:00+01",
      "2025-01-01T00:00:00Z ",
      "2025-01-01X00:00:00Z",
      "9999-12-31T23:59:59Z",  // past what the clock can hold
      "tomorrow",
  };
  for (const char* text : cases) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(ParseRfc3339(text).has_value());
  }
}

}  // namespace
}  // namespace cytoskel
