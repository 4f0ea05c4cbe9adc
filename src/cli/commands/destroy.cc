// `cytoskel cpgstaging destroy`: remove what `up` made. Prints the plan,
// asks before deleting (unless --yes), and keeps the bucket unless
// --delete-bucket is given and the bucket is empty.
#include <fmt/format.h>

#include <memory>
#include <ostream>

#include "cli/commands/commands.h"
#include "cli/stack_command.h"
#include "stack/teardown.h"

namespace cytoskel {

namespace {

struct DestroyOptions {
  bool dry_run = false;
  bool yes = false;
  bool delete_bucket = false;
};

void PrintPlan(std::ostream& out, const TeardownPlan& plan) {
  for (const TeardownStep& step : plan.steps) {
    std::string action = step.action;
    action.resize(10, ' ');
    out << "  " << action << " " << step.kind << " " << step.name << '\n';
  }
  for (const std::string& kept : plan.kept)
    out << "  keep       " << kept << '\n';
}

int RunDestroy(CommandContext& context, const DestroyOptions& options) {
  std::unique_ptr<StackContext> stack = OpenStack(context);
  stack->GuardAccount();
  const StackSettings& settings = stack->settings();
  std::ostream& out = context.io().out;

  TeardownPlan plan = PlanTeardown(*stack, options.delete_bucket);
  out << "Stack " << settings.name << " in account " << stack->account_id()
      << ", region " << settings.region << ":\n";
  PrintPlan(out, plan);
  if (plan.steps.empty()) {
    out << "Nothing to destroy.\n";
    return 0;
  }
  if (options.dry_run) {
    out << "Dry run: " << plan.steps.size() << " step(s) planned, none "
        << "made.\n";
    return 0;
  }
  out.flush();
  if (!options.yes &&
      !Confirm(context, fmt::format("Destroy stack {} in account {}?",
                                    settings.name, stack->account_id()))) {
    out << "Nothing was changed.\n";
    return 0;
  }
  RunTeardown(plan, [&](const TeardownStep& step) {
    out << "done: " << step.action << " " << step.kind << " " << step.name
        << '\n';
  });
  out << "Destroyed stack " << settings.name << ".\n";
  return 0;
}

}  // namespace

CommandSpec DestroyCommand() {
  return {
      .path = "cpgstaging destroy",
      .summary =
          "Remove what `up` made (grants, location, instance, group, "
          "policy, role); the bucket stays unless --delete-bucket",
      .examples =
          "  AWS_PROFILE=CPG cytoskel cpgstaging destroy --dry-run\n"
          "  AWS_PROFILE=CPG cytoskel cpgstaging destroy --yes\n"
          "  cytoskel cpgstaging destroy --yes --delete-bucket",
      .define = [](CLI::App& command) -> Runner {
        auto options = std::make_shared<DestroyOptions>();
        command.add_flag("--dry-run", options->dry_run,
                         "Print the plan and change nothing");
        command.add_flag("--yes,-y", options->yes,
                         "Do not ask for confirmation");
        command.add_flag("--delete-bucket", options->delete_bucket,
                         "Also delete the bucket, if it is empty");
        return [options](CommandContext& context) {
          return RunDestroy(context, *options);
        };
      },
  };
}

}  // namespace cytoskel
