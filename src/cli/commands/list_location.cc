// `cytoskel cpgstaging list location`: every Access Grants location of the
// account's instance, every page.
#include <memory>
#include <ostream>

#include "cli/commands/commands.h"
#include "cli/stack_command.h"

namespace cytoskel {

namespace {

int RunListLocation(CommandContext& context) {
  std::unique_ptr<StackContext> stack = OpenStack(context);
  std::ostream& out = context.io().out;
  OutputFormat format = context.output();
  nlohmann::json json = nlohmann::json::array();
  Table table{{"ID", "SCOPE", "ROLE", "CREATED"}, {}};
  stack->s3control().ListLocations("", [&](AccessGrantsLocation location) {
    switch (format) {
      case OutputFormat::kText:
        out << "Location: " << location.scope << ", ID: " << location.id
            << '\n';
        break;
      case OutputFormat::kJson:
        json.push_back({{"LocationId", location.id},
                        {"LocationArn", location.arn},
                        {"LocationScope", location.scope},
                        {"IAMRoleArn", location.iam_role_arn},
                        {"CreatedAt", location.created_at}});
        break;
      case OutputFormat::kTable:
        table.rows.push_back({location.id, location.scope,
                              location.iam_role_arn, location.created_at});
        break;
    }
  });
  if (format == OutputFormat::kJson) PrintJson(out, json);
  if (format == OutputFormat::kTable) PrintTable(out, table);
  return 0;
}

}  // namespace

CommandSpec ListLocationCommand() {
  return {
      .path = "cpgstaging list location",
      .summary = "List the Access Grants locations (scope and id)",
      .examples =
          "  AWS_PROFILE=CPG cytoskel cpgstaging list location\n"
          "  cytoskel cpgstaging list location --output table",
      .define = [](CLI::App&) -> Runner { return RunListLocation; },
  };
}

}  // namespace cytoskel
