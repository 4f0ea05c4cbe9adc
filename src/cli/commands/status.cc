// `cytoskel cpgstaging status`: compares the account with what `up` would
// make, explains each difference in plain words, and exits 3 on drift.
// It reads only.
#include <nlohmann/json.hpp>

#include <memory>
#include <ostream>

#include "cli/commands/commands.h"
#include "cli/exit_codes.h"
#include "cli/stack_command.h"
#include "stack/reconciler.h"

namespace cytoskel {

namespace {

// One sentence per difference, saying what `up` will do about it.
std::vector<std::string> Explain(const ResourcePlan& plan) {
  std::string what = plan.kind + " " + plan.name;
  if (plan.change == Change::kCreate) {
    return {what + " does not exist; `up` will create it"};
  }
  std::vector<std::string> sentences;
  for (const std::string& difference : plan.differences) {
    bool says_what_up_does = difference.find("`up`") != std::string::npos;
    sentences.push_back((difference.starts_with(plan.kind)
                             ? difference
                             : what + ": " + difference) +
                        (says_what_up_does ? "" : "; `up` will repair it"));
  }
  return sentences;
}

int RunStatus(CommandContext& context) {
  std::unique_ptr<StackContext> stack = OpenStack(context);
  const StackSettings& settings = stack->settings();
  Reconciler reconciler(*stack);
  std::vector<ResourcePlan> plan = reconciler.Plan();

  std::vector<std::string> sentences;
  nlohmann::json differences = nlohmann::json::array();
  for (const ResourcePlan& step : plan) {
    for (const std::string& sentence : Explain(step)) {
      sentences.push_back(sentence);
      differences.push_back({{"kind", step.kind},
                             {"name", step.name},
                             {"change", ChangeName(step.change)},
                             {"explanation", sentence}});
    }
  }
  std::ostream& out = context.io().out;
  if (context.output() == OutputFormat::kJson) {
    PrintJson(out, {{"stack", settings.name},
                    {"account", stack->account_id()},
                    {"region", settings.region},
                    {"in_sync", sentences.empty()},
                    {"differences", differences}});
  } else if (sentences.empty()) {
    out << "Stack " << settings.name << " in account " << stack->account_id()
        << ", region " << settings.region << ": in sync.\n";
  } else {
    out << "Stack " << settings.name << " in account " << stack->account_id()
        << ", region " << settings.region << ": " << sentences.size()
        << " difference(s):\n";
    for (const std::string& sentence : sentences) {
      out << "  " << sentence << '\n';
    }
  }
  return sentences.empty() ? kExitOk : kExitFindings;
}

}  // namespace

CommandSpec StatusCommand() {
  return {
      .path = "cpgstaging status",
      .summary =
          "Explain how the account differs from the stack (exit 3 on "
          "drift); changes nothing",
      .examples =
          "  AWS_PROFILE=CPG cytoskel cpgstaging status\n"
          "  cytoskel cpgstaging doctor --output json",
      .aliases = {"doctor"},
      .define = [](CLI::App&) -> Runner { return RunStatus; },
  };
}

}  // namespace cytoskel
