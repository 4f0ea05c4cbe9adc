// The AWS credential chain, link by link in the AWS CLI's order (botocore's
// create_credential_resolver):
//
//   1. environment      AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY, with
//                       AWS_SECURITY_TOKEN or else AWS_SESSION_TOKEN and
//                       AWS_CREDENTIAL_EXPIRATION. Skipped when --profile is
//                       given (not when AWS_PROFILE is: there the keys win).
//   2. assume-role      the profile has role_arn (and no
//                       web_identity_token_file): source credentials from
//                       source_profile (recursively, loops refused) or
//                       credential_source = Environment, then STS AssumeRole.
//   3. web identity     not supported: ConfigError.
//   4. SSO              (sso_account_id / sso_role_name) not supported.
//   5. credentials file [NAME] of the credentials file.
//   6. login            (login_session) not supported.
//   7. credential_process, run through /bin/sh -c.
//   8. config file      static keys in the config file's profile.
//   Container and instance-metadata credentials are not supported: with
//   nothing found, ResolveCredentials throws "Unable to locate credentials".
//
// Steps 2, 3, 4, 6 and 7 read the profile's scoped settings (credentials
// file over config file, see config.h), step 5 only the credentials file and
// step 8 only the config file, as botocore does. A setting with an empty
// value counts as absent. Unlike botocore, a secret key without an access
// key id is an error, not a silent skip.
#ifndef CYTOSKEL_AWS_CREDENTIAL_CHAIN_H_
#define CYTOSKEL_AWS_CREDENTIAL_CHAIN_H_

#include <chrono>
#include <functional>
#include <string>

#include "aws/config.h"
#include "aws/credentials.h"
#include "aws/environment.h"

namespace cytoskel {

struct ProcessResult {
  int exit_code = 0;  // 128 + N when killed by signal N
  std::string stdout_text;
  std::string stderr_text;
};

// What STS AssumeRole is asked for. Empty strings mean "not set".
struct AssumeRoleRequest {
  std::string role_arn;
  std::string session_name;  // role_session_name, or cytoskel-session-EPOCH
  std::string external_id;
  std::string mfa_serial;  // set: the caller must ask the user for a code
  std::string token_code;  // that code, sent with mfa_serial
  int duration_seconds = 3600;
  std::string region;  // the resolved region; may be empty
};

struct CredentialDeps {
  Environment env;
  // Runs a credential_process command line; RunProcess below in production.
  std::function<ProcessResult(const std::string& command_line)> run_process;
  // STS AssumeRole signed with `source`. Returns credentials with an
  // expiration; throws the service's Error on failure.
  std::function<Credentials(const Credentials& source,
                            const AssumeRoleRequest& request)>
      assume_role;
  std::function<std::chrono::system_clock::time_point()> now;
};

// Walks the chain for config.profile. Throws ConfigError (never quoting a
// secret) for partial keys, broken assume-role settings, unsupported
// sources, a failing credential_process (its stderr is included, its stdout
// never), expired credentials and for no credentials at all; errors of
// deps.assume_role pass through.
Credentials ResolveCredentials(const ResolvedConfig& config,
                               const CredentialDeps& deps);

// Runs `/bin/sh -c command_line` with the caller's environment and stdin,
// capturing stdout and stderr (each up to 1 MiB; the rest is drained and
// dropped). The child starts with no blocked and no ignored signals. Throws
// ConfigError if the shell cannot be started.
//
// botocore splits credential_process with shlex and runs it without a shell;
// through /bin/sh the same command lines work, and shell syntax ($VAR,
// pipes) works too.
ProcessResult RunProcess(const std::string& command_line);

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_CREDENTIAL_CHAIN_H_
