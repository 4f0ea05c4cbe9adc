#include "aws/config.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "aws/error.h"

namespace cytoskel {
namespace {

using Vars = std::map<std::string, std::string>;
using Files = std::map<std::string, std::string>;

constexpr char kHome[] = "/home/u";
constexpr char kConfigPath[] = "/home/u/.aws/config";
constexpr char kCredentialsPath[] = "/home/u/.aws/credentials";

// An Environment over maps. HOME is /home/u unless `vars` says otherwise;
// the file "/unreadable" exists but cannot be read.
Environment FakeEnvironment(Vars vars, Files files) {
  vars.emplace("HOME", kHome);
  Environment env = Environment::FromMaps(std::move(vars), std::move(files));
  env.read_file = [read = std::move(env.read_file)](const std::string& path) {
    if (path == "/unreadable") {
      throw ConfigError("Unable to read /unreadable: Permission denied");
    }
    return read(path);
  };
  return env;
}

const char kConfig[] = R"([default]
region = us-west-2

[profile CPG]
aws_access_key_id = AKIACPG
aws_secret_access_key = SeCrEtCPG
region = us-east-1
output = json

[profile dev]
region = eu-west-1
s3 =
  addressing_style = path
)";

const char kCredentials[] = R"([default]
aws_access_key_id = AKIADEFAULT
aws_secret_access_key = SeCrEtDEFAULT

[ci]
aws_access_key_id = AKIACI
aws_secret_access_key = SeCrEtCI
region = ap-south-1

[dev]
region = eu-central-1
)";

Files StandardFiles() {
  return {{kConfigPath, kConfig}, {kCredentialsPath, kCredentials}};
}

GlobalOptions Flags(std::optional<std::string> profile,
                    std::optional<std::string> region = std::nullopt) {
  GlobalOptions options;
  options.profile = std::move(profile);
  options.region = std::move(region);
  return options;
}

struct ProfileCase {
  const char* name;
  Vars vars;
  Files files;
  GlobalOptions options;
  std::string profile;
  std::string profile_source;
  std::string region;
  std::string region_source;
};

TEST(ResolveConfigTest, ChoosesProfileAndRegion) {
  const std::vector<ProfileCase> cases = {
      {"nothing named: default profile",
       {},
       StandardFiles(),
       {},
       "default",
       "",
       "us-west-2",
       "profile"},
      {"AWS_PROFILE",
       {{"AWS_PROFILE", "CPG"}},
       StandardFiles(),
       {},
       "CPG",
       "AWS_PROFILE",
       "us-east-1",
       "profile"},
      {"AWS_DEFAULT_PROFILE before AWS_PROFILE, as botocore",
       {{"AWS_PROFILE", "CPG"}, {"AWS_DEFAULT_PROFILE", "dev"}},
       StandardFiles(),
       {},
       "dev",
       "AWS_DEFAULT_PROFILE",
       "eu-central-1",
       "profile"},
      {"--profile before both variables",
       {{"AWS_PROFILE", "dev"}, {"AWS_DEFAULT_PROFILE", "dev"}},
       StandardFiles(),
       Flags("CPG"),
       "CPG",
       "--profile",
       "us-east-1",
       "profile"},
      {"empty --profile is not given",
       {{"AWS_PROFILE", "CPG"}},
       StandardFiles(),
       Flags(""),
       "CPG",
       "AWS_PROFILE",
       "us-east-1",
       "profile"},
      {"profile only in the credentials file",
       {{"AWS_PROFILE", "ci"}},
       StandardFiles(),
       {},
       "ci",
       "AWS_PROFILE",
       "ap-south-1",
       "profile"},
      {"credentials file overrides the config file's region",
       {{"AWS_PROFILE", "dev"}},
       StandardFiles(),
       {},
       "dev",
       "AWS_PROFILE",
       "eu-central-1",
       "profile"},
      {"--region first",
       {{"AWS_REGION", "ca-central-1"}, {"AWS_DEFAULT_REGION", "sa-east-1"}},
       StandardFiles(),
       Flags(std::nullopt, "eu-north-1"),
       "default",
       "",
       "eu-north-1",
       "--region"},
      {"AWS_REGION before AWS_DEFAULT_REGION",
       {{"AWS_REGION", "ca-central-1"}, {"AWS_DEFAULT_REGION", "sa-east-1"}},
       StandardFiles(),
       {},
       "default",
       "",
       "ca-central-1",
       "AWS_REGION"},
      {"AWS_DEFAULT_REGION before the profile",
       {{"AWS_DEFAULT_REGION", "sa-east-1"}},
       StandardFiles(),
       {},
       "default",
       "",
       "sa-east-1",
       "AWS_DEFAULT_REGION"},
      {"empty --region is not given",
       {{"AWS_REGION", "ca-central-1"}},
       StandardFiles(),
       Flags(std::nullopt, ""),
       "default",
       "",
       "ca-central-1",
       "AWS_REGION"},
      {"a set but empty variable stops the search, as botocore",
       {{"AWS_DEFAULT_REGION", ""}},
       StandardFiles(),
       {},
       "default",
       "",
       "",
       "AWS_DEFAULT_REGION"},
      {"no files, nothing named", {}, {}, {}, "default", "", "", ""},
  };
  for (const ProfileCase& c : cases) {
    SCOPED_TRACE(c.name);
    const ResolvedConfig config =
        ResolveConfig(c.options, FakeEnvironment(c.vars, c.files));
    EXPECT_EQ(config.profile, c.profile);
    EXPECT_EQ(config.profile_source, c.profile_source);
    EXPECT_EQ(config.profile_named, !c.profile_source.empty());
    EXPECT_EQ(config.region, c.region);
    EXPECT_EQ(config.region_source, c.region_source);
  }
}

TEST(ResolveConfigTest, CopiesTheProfilesSettings) {
  const ResolvedConfig config = ResolveConfig(
      {}, FakeEnvironment({{"AWS_PROFILE", "dev"}}, StandardFiles()));
  EXPECT_EQ(config.profile_settings,
            (std::map<std::string, std::string>{{"region", "eu-west-1"}}));
  EXPECT_EQ(config.profile_subsections.at("s3").at("addressing_style"), "path");
  EXPECT_EQ(config.credentials_settings,
            (std::map<std::string, std::string>{{"region", "eu-central-1"}}));
  EXPECT_EQ(ScopedSetting(config, "region"), "eu-central-1");
  EXPECT_EQ(ScopedSetting(config, "missing"), std::nullopt);
  EXPECT_TRUE(ProfileExists(config, "ci"));
  EXPECT_TRUE(ProfileExists(config, "CPG"));
  EXPECT_FALSE(ProfileExists(config, "profile CPG"));
}

struct PathCase {
  const char* name;
  Vars vars;
  std::string config_file;
  std::string credentials_file;
};

TEST(ResolveConfigTest, FindsTheFiles) {
  const std::vector<PathCase> cases = {
      {"defaults under HOME", {}, kConfigPath, kCredentialsPath},
      {"HOME with a trailing slash",
       {{"HOME", "/root/"}},
       "/root/.aws/config",
       "/root/.aws/credentials"},
      {"variables",
       {{"AWS_CONFIG_FILE", "/etc/aws.cfg"},
        {"AWS_SHARED_CREDENTIALS_FILE", "/etc/aws.creds"}},
       "/etc/aws.cfg",
       "/etc/aws.creds"},
      {"~ and $VAR expanded as botocore does",
       {{"AWS_CONFIG_FILE", "~/cfg/$STAGE.ini"},
        {"AWS_SHARED_CREDENTIALS_FILE", "${DIR}/c-$UNSET"},
        {"STAGE", "prod"},
        {"DIR", "/d"}},
       "/home/u/cfg/prod.ini",
       "/d/c-$UNSET"},
  };
  for (const PathCase& c : cases) {
    SCOPED_TRACE(c.name);
    const ResolvedConfig config =
        ResolveConfig({}, FakeEnvironment(c.vars, {}));
    EXPECT_EQ(config.config_file, c.config_file);
    EXPECT_EQ(config.credentials_file, c.credentials_file);
  }
}

TEST(ResolveConfigTest, ReadsFilesFromTheirVariables) {
  const ResolvedConfig config = ResolveConfig(
      {}, FakeEnvironment(
              {{"AWS_CONFIG_FILE", "/c"},
               {"AWS_SHARED_CREDENTIALS_FILE", "/k"},
               {"AWS_PROFILE", "x"}},
              {{"/c", "[profile x]\nregion = r1\n"}, {"/k", "[x]\nk = v\n"}}));
  EXPECT_EQ(config.region, "r1");
  EXPECT_EQ(config.credentials_settings.at("k"), "v");
}

struct SettingsCase {
  const char* name;
  Vars vars;
  std::string config;
  bool no_verify_ssl;
  std::string ca_bundle;
  bool verify_tls;
  int max_attempts;
  std::string retry_mode;
};

TEST(ResolveConfigTest, ResolvesTlsAndRetries) {
  const std::vector<SettingsCase> cases = {
      {"defaults", {}, "", false, "", true, 3, "standard"},
      {"--no-verify-ssl", {}, "", true, "", false, 3, "standard"},
      {"profile ca_bundle",
       {},
       "[default]\nca_bundle = /p.pem\n",
       false,
       "/p.pem",
       true,
       3,
       "standard"},
      {"AWS_CA_BUNDLE first",
       {{"AWS_CA_BUNDLE", "/e.pem"}},
       "[default]\nca_bundle = /p.pem\n",
       false,
       "/e.pem",
       true,
       3,
       "standard"},
      {"legacy mode defaults to 5 attempts",
       {},
       "[default]\nretry_mode = legacy\n",
       false,
       "",
       true,
       5,
       "legacy"},
      {"AWS_RETRY_MODE first",
       {{"AWS_RETRY_MODE", "adaptive"}},
       "[default]\nretry_mode = legacy\n",
       false,
       "",
       true,
       3,
       "adaptive"},
      {"profile max_attempts",
       {},
       "[default]\nmax_attempts = 10\n",
       false,
       "",
       true,
       10,
       "standard"},
      {"AWS_MAX_ATTEMPTS first, with spaces and sign",
       {{"AWS_MAX_ATTEMPTS", " +7 "}},
       "[default]\nmax_attempts = 2\n",
       false,
       "",
       true,
       7,
       "standard"},
  };
  for (const SettingsCase& c : cases) {
    SCOPED_TRACE(c.name);
    GlobalOptions options;
    options.no_verify_ssl = c.no_verify_ssl;
    const ResolvedConfig config = ResolveConfig(
        options, FakeEnvironment(c.vars, {{kConfigPath, c.config}}));
    EXPECT_EQ(config.ca_bundle, c.ca_bundle);
    EXPECT_EQ(config.verify_tls, c.verify_tls);
    EXPECT_EQ(config.max_attempts, c.max_attempts);
    EXPECT_EQ(config.retry_mode, c.retry_mode);
  }
}

struct ErrorCase {
  const char* name;
  Vars vars;
  Files files;
  GlobalOptions options;
  ErrorKind kind;
  std::string message;
};

TEST(ResolveConfigTest, ReportsBadConfiguration) {
  const std::vector<ErrorCase> cases = {
      {"named profile in neither file",
       {{"AWS_PROFILE", "nope"}},
       StandardFiles(),
       {},
       ErrorKind::kConfig,
       "The config profile (nope) could not be found"},
      {"--profile without any file",
       {},
       {},
       Flags("CPG"),
       ErrorKind::kConfig,
       "The config profile (CPG) could not be found"},
      {"explicit default must exist too",
       {},
       {},
       Flags("default"),
       ErrorKind::kConfig,
       "The config profile (default) could not be found"},
      {"empty AWS_PROFILE names the profile \"\"",
       {{"AWS_PROFILE", ""}},
       StandardFiles(),
       {},
       ErrorKind::kConfig,
       "The config profile () could not be found"},
      {"[profile x] is not [x] in the credentials file",
       {{"AWS_PROFILE", "x"}},
       {{kCredentialsPath, "[profile x]\n"}},
       {},
       ErrorKind::kConfig,
       "The config profile (x) could not be found"},
      {"unparsable credentials file",
       {},
       {{kCredentialsPath, "aws_secret_access_key = SeCrEt\n"}},
       {},
       ErrorKind::kConfig,
       "Unable to parse config file: /home/u/.aws/credentials (line 1: text "
       "before the first [section])"},
      {"unreadable config file",
       {{"AWS_CONFIG_FILE", "/unreadable"}},
       {},
       {},
       ErrorKind::kConfig,
       "Unable to read /unreadable: Permission denied"},
      {"malformed --region",
       {},
       {},
       Flags(std::nullopt, "us east 1"),
       ErrorKind::kUsage,
       "Invalid region \"us east 1\" from --region: a region name is "
       "letters, digits and hyphens, such as \"us-east-1\"."},
      {"malformed AWS_REGION",
       {{"AWS_REGION", "evil.com/x"}},
       {},
       {},
       ErrorKind::kConfig,
       "Invalid region \"evil.com/x\" from AWS_REGION: a region name is "
       "letters, digits and hyphens, such as \"us-east-1\"."},
      {"malformed profile region",
       {},
       {{kConfigPath, "[default]\nregion = -us\n"}},
       {},
       ErrorKind::kConfig,
       "Invalid region \"-us\" from region in profile \"default\": a region "
       "name is letters, digits and hyphens, such as \"us-east-1\"."},
      {"unknown retry mode",
       {{"AWS_RETRY_MODE", "Standard"}},
       {},
       {},
       ErrorKind::kConfig,
       "Invalid retry mode \"Standard\" from AWS_RETRY_MODE: it must be one "
       "of legacy, standard, adaptive."},
      {"max_attempts not a number",
       {},
       {{kConfigPath, "[default]\nmax_attempts = lots\n"}},
       {},
       ErrorKind::kConfig,
       "Invalid max_attempts \"lots\" from max_attempts in profile "
       "\"default\": it must be an integer greater than or equal to 1."},
      {"max_attempts zero",
       {{"AWS_MAX_ATTEMPTS", "0"}},
       {},
       {},
       ErrorKind::kConfig,
       "Invalid max_attempts \"0\" from AWS_MAX_ATTEMPTS: it must be an "
       "integer greater than or equal to 1."},
      {"max_attempts empty",
       {{"AWS_MAX_ATTEMPTS", ""}},
       {},
       {},
       ErrorKind::kConfig,
       "Invalid max_attempts \"\" from AWS_MAX_ATTEMPTS: it must be an "
       "integer greater than or equal to 1."},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.name);
    try {
      ResolveConfig(c.options, FakeEnvironment(c.vars, c.files));
      ADD_FAILURE() << "no error";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), c.kind);
      EXPECT_EQ(error.message(), c.message);
      EXPECT_EQ(error.message().find("SeCrEt"), std::string::npos);
    }
  }
}

const char kEndpointConfig[] = R"([default]
services = local
endpoint_url = http://profile-wide:1

[profile bare]
region = us-east-1

[profile ignoring]
ignore_configured_endpoint_urls = true
endpoint_url = http://profile-wide:1

[profile broken]
services = missing

[profile hollow]
services = empty

[services local]
s3 =
  endpoint_url = http://s3-local:4566
s3_control =
  endpoint_url = http://control-local:4566
sts =
  region = us-west-2

[services empty]
)";

struct EndpointCase {
  const char* name;
  Vars vars;
  std::optional<std::string> flag;
  Service service;
  std::string expected;
};

TEST(EndpointOverrideTest, FollowsTheCliOrder) {
  const std::vector<EndpointCase> cases = {
      {"nothing configured",
       {{"AWS_PROFILE", "bare"}},
       std::nullopt,
       Service::kS3,
       ""},
      {"flag beats everything",
       {{"AWS_ENDPOINT_URL_S3", "http://env-s3:1"}},
       "http://flag:1",
       Service::kS3,
       "http://flag:1"},
      {"empty flag means the real endpoint",
       {{"AWS_ENDPOINT_URL", "http://env:1"}},
       "",
       Service::kS3,
       ""},
      {"service variable beats the global one",
       {{"AWS_ENDPOINT_URL_S3", "http://env-s3:1"},
        {"AWS_ENDPOINT_URL", "http://env:1"}},
       std::nullopt,
       Service::kS3,
       "http://env-s3:1"},
      {"other services take the global variable",
       {{"AWS_ENDPOINT_URL_S3", "http://env-s3:1"},
        {"AWS_ENDPOINT_URL", "http://env:1"}},
       std::nullopt,
       Service::kIam,
       "http://env:1"},
      {"S3 Control variable name",
       {{"AWS_ENDPOINT_URL_S3_CONTROL", "http://env-ctl:1"}},
       std::nullopt,
       Service::kS3Control,
       "http://env-ctl:1"},
      {"IAM and STS variable names",
       {{"AWS_ENDPOINT_URL_IAM", "http://env-iam:1"},
        {"AWS_ENDPOINT_URL_STS", "http://env-sts:1"}},
       std::nullopt,
       Service::kSts,
       "http://env-sts:1"},
      {"empty variables are skipped",
       {{"AWS_ENDPOINT_URL_S3", ""}, {"AWS_ENDPOINT_URL", ""}},
       std::nullopt,
       Service::kS3,
       "http://s3-local:4566"},
      {"services section, s3 block",
       {},
       std::nullopt,
       Service::kS3,
       "http://s3-local:4566"},
      {"services section, s3_control block",
       {},
       std::nullopt,
       Service::kS3Control,
       "http://control-local:4566"},
      {"block without endpoint_url falls to the profile's",
       {},
       std::nullopt,
       Service::kSts,
       "http://profile-wide:1"},
      {"no block falls to the profile's",
       {},
       std::nullopt,
       Service::kIam,
       "http://profile-wide:1"},
      {"ignore variable turns off configured URLs",
       {{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE"},
        {"AWS_ENDPOINT_URL", "http://env:1"}},
       std::nullopt,
       Service::kS3,
       ""},
      {"ignore variable leaves the flag",
       {{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}},
       "http://flag:1",
       Service::kS3,
       "http://flag:1"},
      {"ignore setting in the profile",
       {{"AWS_PROFILE", "ignoring"}, {"AWS_ENDPOINT_URL", "http://env:1"}},
       std::nullopt,
       Service::kS3,
       ""},
      {"variable false overrides the profile's true",
       {{"AWS_PROFILE", "ignoring"},
        {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false"}},
       std::nullopt,
       Service::kS3,
       "http://profile-wide:1"},
      {"only \"true\" is true",
       {{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "1"},
        {"AWS_ENDPOINT_URL", "http://env:1"}},
       std::nullopt,
       Service::kS3,
       "http://env:1"},
  };
  for (const EndpointCase& c : cases) {
    SCOPED_TRACE(c.name);
    const Environment env =
        FakeEnvironment(c.vars, {{kConfigPath, kEndpointConfig}});
    GlobalOptions options;
    options.endpoint_url = c.flag;
    const ResolvedConfig config = ResolveConfig(options, env);
    EXPECT_EQ(EndpointOverride(config, c.service, options, env), c.expected);
  }
}

TEST(EndpointOverrideTest, ReportsBadEndpoints) {
  const std::vector<ErrorCase> cases = {
      {"services names a missing section",
       {{"AWS_PROFILE", "broken"}},
       {},
       {},
       ErrorKind::kConfig,
       "The profile is configured to use the services section but the "
       "\"missing\" services configuration does not exist."},
      {"services names an empty section",
       {{"AWS_PROFILE", "hollow"}},
       {},
       {},
       ErrorKind::kConfig,
       "The profile is configured to use the services section but the "
       "\"empty\" services configuration does not exist."},
      {"URL without scheme",
       {{"AWS_ENDPOINT_URL", "localhost:4566"}},
       {},
       {},
       ErrorKind::kConfig,
       "Invalid endpoint URL \"localhost:4566\" from AWS_ENDPOINT_URL: it "
       "must start with http:// or https:// and name a host."},
      {"URL without host",
       {{"AWS_ENDPOINT_URL_S3", "http://:4566"}},
       {},
       {},
       ErrorKind::kConfig,
       "Invalid endpoint URL \"http://:4566\" from AWS_ENDPOINT_URL_S3: it "
       "must start with http:// or https:// and name a host."},
      {"bad flag",
       {},
       {},
       [] {
         GlobalOptions options;
         options.endpoint_url = "ftp://x";
         return options;
       }(),
       ErrorKind::kUsage,
       "Invalid --endpoint-url \"ftp://x\": it must start with http:// or "
       "https:// and name a host."},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.name);
    const Environment env =
        FakeEnvironment(c.vars, {{kConfigPath, kEndpointConfig}});
    const ResolvedConfig config = ResolveConfig(c.options, env);
    try {
      EndpointOverride(config, Service::kS3, c.options, env);
      ADD_FAILURE() << "no error";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), c.kind);
      EXPECT_EQ(error.message(), c.message);
    }
  }
}

TEST(DefaultEndpointTest, BuildsAwsPartitionHosts) {
  const struct {
    Service service;
    const char* region;
    const char* expected;
  } cases[] = {
      {Service::kIam, "eu-west-1", "https://iam.amazonaws.com"},
      {Service::kIam, "", "https://iam.amazonaws.com"},
      {Service::kSts, "eu-west-1", "https://sts.eu-west-1.amazonaws.com"},
      {Service::kS3, "us-east-1", "https://s3.us-east-1.amazonaws.com"},
      {Service::kS3Control, "ap-south-1",
       "https://s3-control.ap-south-1.amazonaws.com"},
      {Service::kIam, "cn-northwest-1",
       "https://iam.cn-north-1.amazonaws.com.cn"},
      {Service::kSts, "cn-north-1", "https://sts.cn-north-1.amazonaws.com.cn"},
      {Service::kS3, "cn-northwest-1",
       "https://s3.cn-northwest-1.amazonaws.com.cn"},
      {Service::kS3Control, "cn-north-1",
       "https://s3-control.cn-north-1.amazonaws.com.cn"},
      {Service::kIam, "us-gov-east-1", "https://iam.us-gov.amazonaws.com"},
      {Service::kS3Control, "us-gov-west-1",
       "https://s3-control.us-gov-west-1.amazonaws.com"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.expected);
    EXPECT_EQ(DefaultEndpoint(c.service, c.region), c.expected);
  }
}

TEST(DefaultEndpointTest, RefusesTheIsolatedPartitions) {
  for (const char* region :
       {"us-iso-east-1", "us-isob-east-1", "eusc-de-east-1"}) {
    SCOPED_TRACE(region);
    for (Service service : {Service::kIam, Service::kS3Control}) {
      try {
        DefaultEndpoint(service, region);
        ADD_FAILURE() << "no error";
      } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::kConfig);
        EXPECT_EQ(error.message(),
                  std::string("region ") + region +
                      " is in an isolated AWS partition, which cytoskel does "
                      "not support");
      }
    }
  }
}

TEST(DefaultEndpointTest, NeedsAUsableRegion) {
  const struct {
    const char* region;
    const char* message;
  } cases[] = {
      {"",
       "You must specify a region. Use --region, set AWS_REGION, or set "
       "region in your profile (aws configure)."},
      {"a/b",
       "Invalid region \"a/b\" from the configuration: a region name is "
       "letters, digits and hyphens, such as \"us-east-1\"."},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.region);
    try {
      DefaultEndpoint(Service::kS3, c.region);
      ADD_FAILURE() << "no error";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kConfig);
      EXPECT_EQ(error.message(), c.message);
    }
  }
}

struct ExpandCase {
  const char* name;
  Vars vars;
  std::string path;
  std::string expected;
};

TEST(ExpandPathTest, ExpandsLikePython) {
  const std::vector<ExpandCase> cases = {
      {"plain", {}, "/a/b", "/a/b"},
      {"tilde alone", {}, "~", "/home/u"},
      {"tilde slash", {}, "~/x", "/home/u/x"},
      {"other user untouched", {}, "~bob/x", "~bob/x"},
      {"tilde inside untouched", {}, "/a/~/b", "/a/~/b"},
      {"HOME is /", {{"HOME", "/"}}, "~", "/"},
      {"variable", {{"D", "/d"}}, "$D/x", "/d/x"},
      {"braced variable", {{"D", "/d"}}, "${D}x", "/dx"},
      {"unset variable kept", {}, "$NOPE/${NOPE}", "$NOPE/${NOPE}"},
      {"lone and trailing dollars", {}, "a$ b$", "a$ b$"},
      {"unclosed brace", {{"D", "/d"}}, "${D", "${D"},
      {"variable then tilde", {{"T", "~"}}, "$T/x", "/home/u/x"},
  };
  for (const ExpandCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(ExpandPath(c.path, FakeEnvironment(c.vars, {})), c.expected);
  }
}

}  // namespace
}  // namespace cytoskel
