// `cytoskel whoami`: the caller's identity and the profile and region in
// use, so an admin can check which account a command would change.
#include <nlohmann/json.hpp>

#include "aws/sts.h"
#include "cli/commands/commands.h"

namespace cytoskel {

namespace {

int RunWhoami(CommandContext& context) {
  Session& session = context.session();
  CallerIdentity identity = GetCallerIdentity(session);
  std::string region = session.config().region;
  const std::string& profile = session.config().profile;
  std::string source = session.GetCredentials().source;
  std::ostream& out = context.io().out;
  switch (context.output()) {
    case OutputFormat::kJson:
      PrintJson(out, {{"Account", identity.account},
                      {"Arn", identity.arn},
                      {"UserId", identity.user_id},
                      {"Profile", profile},
                      {"Region", region},
                      {"CredentialSource", source}});
      break;
    case OutputFormat::kTable:
      PrintTable(out, {{"Account", "Arn", "UserId", "Profile", "Region"},
                       {{identity.account, identity.arn, identity.user_id,
                         profile, region}}});
      break;
    case OutputFormat::kText:
      out << "Account: " << identity.account << '\n'
          << "Arn: " << identity.arn << '\n'
          << "UserId: " << identity.user_id << '\n'
          << "Profile: " << profile << '\n'
          << "Region: " << (region.empty() ? "(none)" : region) << '\n';
      break;
  }
  return 0;
}

}  // namespace

CommandSpec WhoamiCommand() {
  return {
      .path = "whoami",
      .summary = "Show the caller's AWS account, ARN, profile and region",
      .examples =
          "  AWS_PROFILE=CPG cytoskel whoami\n"
          "  cytoskel --profile CPG whoami --output json",
      .define = [](CLI::App&) -> Runner { return RunWhoami; },
  };
}

}  // namespace cytoskel
