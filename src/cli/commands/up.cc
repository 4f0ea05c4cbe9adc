// `cytoskel cpgstaging up`: converge the account to the stack. Reads the
// live account, prints the plan (one line a resource), then applies it.
#include <nlohmann/json.hpp>

#include <memory>
#include <ostream>

#include "cli/commands/commands.h"
#include "cli/stack_command.h"
#include "stack/reconciler.h"

namespace cytoskel {

namespace {

struct UpOptions {
  bool dry_run = false;
};

void PrintPlanLine(std::ostream& out, const ResourcePlan& plan) {
  std::string change = ChangeName(plan.change);
  change.resize(10, ' ');
  out << "  " << change << " " << plan.kind << " " << plan.name << '\n';
  for (const std::string& difference : plan.differences) {
    out << "               - " << difference << '\n';
  }
}

nlohmann::json PlanJson(const std::vector<ResourcePlan>& plan) {
  nlohmann::json list = nlohmann::json::array();
  for (const ResourcePlan& step : plan) {
    list.push_back({{"kind", step.kind},
                    {"name", step.name},
                    {"change", ChangeName(step.change)},
                    {"differences", step.differences}});
  }
  return list;
}

size_t CountChanges(const std::vector<ResourcePlan>& plan) {
  return static_cast<size_t>(
      std::count_if(plan.begin(), plan.end(), [](const ResourcePlan& step) {
        return step.change != Change::kUnchanged;
      }));
}

int RunUp(CommandContext& context, const UpOptions& options) {
  std::unique_ptr<StackContext> stack = OpenStack(context);
  stack->GuardAccount();
  const StackSettings& settings = stack->settings();
  bool text = context.output() != OutputFormat::kJson;
  std::ostream& out = context.io().out;

  Reconciler reconciler(*stack);
  std::vector<ResourcePlan> plan = reconciler.Plan();
  size_t changes = CountChanges(plan);
  if (text) {
    out << "Stack " << settings.name << " in account " << stack->account_id()
        << ", region " << settings.region << ":\n";
    for (const ResourcePlan& step : plan) PrintPlanLine(out, step);
  }
  bool apply = changes > 0 && !options.dry_run;
  if (apply) {
    reconciler.Apply(plan, [&](const ResourcePlan& step) {
      if (text) {
        out << ChangePastTense(step.change) << " " << step.kind << " "
            << step.name << '\n';
      }
    });
  }
  if (!text) {
    PrintJson(out, {{"stack", settings.name},
                    {"account", stack->account_id()},
                    {"region", settings.region},
                    {"plan", PlanJson(plan)},
                    {"applied", apply}});
  } else if (changes == 0) {
    out << "No changes: the account matches stack " << settings.name << ".\n";
  } else if (options.dry_run) {
    out << "Dry run: " << changes << " change(s) planned, none made.\n";
  } else {
    out << "Done: " << changes << " change(s) applied.\n";
  }
  return 0;
}

}  // namespace

CommandSpec UpCommand() {
  return {
      .path = "cpgstaging up",
      .summary =
          "Create or repair the stack: bucket, Access Grants instance, "
          "policy, group, role and location",
      .examples =
          "  AWS_PROFILE=CPG cytoskel cpgstaging up --dry-run\n"
          "  AWS_PROFILE=CPG cytoskel cpgstaging up",
      .define = [](CLI::App& command) -> Runner {
        auto options = std::make_shared<UpOptions>();
        command.add_flag("--dry-run", options->dry_run,
                         "Print the plan and change nothing");
        return [options](CommandContext& context) {
          return RunUp(context, *options);
        };
      },
  };
}

}  // namespace cytoskel
