// `cytoskel cpgstaging audit`: who can reach what, and what is wrong with
// it (orphan grants, grants outside the stack's location, users outside the
// group holding grants, members without grants, old or unused keys). Exits
// 3 when it finds something. Reads only; the logic is in stack/audit.h.
#include <nlohmann/json.hpp>

#include <memory>
#include <ostream>

#include "cli/commands/commands.h"
#include "cli/exit_codes.h"
#include "cli/stack_command.h"
#include "stack/audit.h"

namespace cytoskel {

namespace {

void PrintFindings(CommandContext& context, const AuditSnapshot& snapshot,
                   const std::vector<AuditFinding>& findings) {
  std::ostream& out = context.io().out;
  switch (context.output()) {
    case OutputFormat::kJson: {
      nlohmann::json list = nlohmann::json::array();
      for (const AuditFinding& finding : findings) {
        list.push_back({{"kind", finding.kind},
                        {"subject", finding.subject},
                        {"detail", finding.detail}});
      }
      PrintJson(out, list);
      return;
    }
    case OutputFormat::kTable: {
      Table table{{"KIND", "SUBJECT", "DETAIL"}, {}};
      for (const AuditFinding& finding : findings) {
        table.rows.push_back({finding.kind, finding.subject, finding.detail});
      }
      PrintTable(out, table);
      return;
    }
    case OutputFormat::kText:
      break;
  }
  out << "Audit of stack " << snapshot.stack_name << " in account "
      << snapshot.account_id << " (" << snapshot.members.size()
      << " user(s) in group " << snapshot.group << ", "
      << snapshot.grants.size() << " grant(s)): ";
  if (findings.empty()) {
    out << "nothing found.\n";
    return;
  }
  out << findings.size() << " finding(s):\n";
  for (const AuditFinding& finding : findings) {
    out << "  " << finding.detail << '\n';
  }
}

int RunAudit(CommandContext& context, const AuditOptions& options) {
  context.output();  // a bad --output fails before any AWS call
  CheckAuditOptions(options);
  std::unique_ptr<StackContext> stack = OpenStack(context);
  AuditSnapshot snapshot = ReadAuditSnapshot(*stack);
  std::vector<AuditFinding> findings =
      ClassifyAudit(snapshot, options, stack->session().SigningTime());
  PrintFindings(context, snapshot, findings);
  return findings.empty() ? kExitOk : kExitFindings;
}

}  // namespace

CommandSpec AuditCommand() {
  return {
      .path = "cpgstaging audit",
      .summary =
          "Find orphan grants, grants outside the stack's location, users "
          "outside the group holding grants, users without grants, and old "
          "or unused keys (exit 3 when it finds something)",
      .examples =
          "  AWS_PROFILE=CPG cytoskel cpgstaging audit\n"
          "  cytoskel cpgstaging audit --max-key-age 30\n"
          "  cytoskel cpgstaging audit --output json    # for monitoring",
      .define = [](CLI::App& command) -> Runner {
        auto options = std::make_shared<AuditOptions>();
        command
            .add_option("--max-key-age", options->max_key_age_days,
                        "Report active access keys older than this many days "
                        "(default 90)")
            ->type_name("DAYS");
        return [options](CommandContext& context) {
          return RunAudit(context, *options);
        };
      },
  };
}

}  // namespace cytoskel
