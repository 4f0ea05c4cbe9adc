// A contributor's life cycle in single commands: `cytoskel cpgstaging
// onboard`, `rotate-key` and `offboard`. Each prints its plan (one line per
// step), then does it, printing "done: ..." after each step. The logic
// lives in stack/onboarding.h and stack/key_rotation.h; this file parses
// the command line and prints.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "cli/commands/commands.h"
#include "cli/stack_command.h"
#include "stack/key_rotation.h"
#include "stack/onboarding.h"
#include "stack/validate.h"

namespace cytoskel {

namespace {

// Diagnostics (retries, resumed runs) go to stderr.
StepCallback StderrSteps(CommandContext& context) {
  return [&context](std::string_view step) {
    context.io().err << "cytoskel: " << step << '\n';
  };
}

// "done: ..." lines go to stdout in text and table output; JSON output
// prints one document at the end instead.
StepDone DoneLines(CommandContext& context) {
  if (context.output() == OutputFormat::kJson) return {};
  return [&context](const PlannedStep& step) {
    context.io().out << "done: " << step.action << " " << step.kind << " "
                     << step.name << '\n';
  };
}

StepCallback DoneText(CommandContext& context) {
  if (context.output() == OutputFormat::kJson) return {};
  return [&context](std::string_view step) {
    context.io().out << "done: " << step << '\n';
  };
}

void PrintPlanText(std::ostream& out, const std::vector<PlannedStep>& steps) {
  for (const PlannedStep& step : steps) {
    std::string action = step.action;
    action.resize(10, ' ');
    out << "  " << action << " " << step.kind << " " << step.name << '\n';
  }
}

// Prints `title` and the plan (text or table); JSON output prints nothing
// here, as the plan is part of its final document.
void PrintPlan(CommandContext& context, const std::string& title,
               const std::vector<PlannedStep>& steps) {
  std::ostream& out = context.io().out;
  switch (context.output()) {
    case OutputFormat::kText:
      out << title << ":\n";
      PrintPlanText(out, steps);
      break;
    case OutputFormat::kTable: {
      out << title << ":\n";
      Table table{{"ACTION", "KIND", "NAME"}, {}};
      for (const PlannedStep& step : steps) {
        table.rows.push_back({step.action, step.kind, step.name});
      }
      PrintTable(out, table);
      break;
    }
    case OutputFormat::kJson:
      break;
  }
  out.flush();
}

nlohmann::json StepsJson(const std::vector<PlannedStep>& steps) {
  nlohmann::json list = nlohmann::json::array();
  for (const PlannedStep& step : steps) {
    list.push_back(
        {{"Action", step.action}, {"Kind", step.kind}, {"Name", step.name}});
  }
  return list;
}

nlohmann::json GrantJson(const AccessGrant& grant) {
  return {{"GrantId", grant.id},
          {"GrantArn", grant.arn},
          {"Permission", grant.permission},
          {"LocationId", grant.location_id},
          {"S3SubPrefix", grant.sub_prefix},
          {"GrantScope", grant.grant_scope}};
}

std::string ReplacedNote(bool replaced) {
  return replaced ? " (it replaced the file that was there)" : "";
}

// ---- onboard ----

void PrintOnboarded(CommandContext& context, const OnboardPlan& plan,
                    const OnboardResult& result) {
  std::ostream& out = context.io().out;
  const std::string& file = plan.request.credentials_file;
  if (context.output() == OutputFormat::kJson) {
    nlohmann::json grants = nlohmann::json::array();
    for (const CreateGrantResult& grant : result.grants) {
      nlohmann::json json = GrantJson(grant.grant);
      json["Created"] = !grant.already_existed;
      grants.push_back(json);
    }
    PrintJson(out, {{"UserName", result.user.name},
                    {"Arn", result.user.arn},
                    {"Steps", StepsJson(plan.steps)},
                    {"AccessKeyIds", result.access_key_ids},
                    {"AccessKeyCreated", result.key_created},
                    {"CredentialsFile", file},
                    {"CredentialsFileWritten", result.key_created},
                    {"CredentialsFileReplaced", result.file_replaced},
                    {"Grants", grants}});
  } else if (plan.NothingToDo()) {
    out << "Nothing to do: " << result.user.name << " is onboarded already; "
        << file << " was not written.\n";
  } else if (result.key_created) {
    out << "Onboarded " << result.user.name << ": hand " << file
        << " over privately" << ReplacedNote(result.file_replaced) << ".\n";
  } else {
    out << "Onboarded " << result.user.name << ": it keeps its access key; "
        << file << " was not written.\n";
  }
}

int RunOnboard(CommandContext& context, const OnboardRequest& request) {
  context.output();  // a bad --output fails before any AWS call
  CheckedOnboardRequest checked = CheckOnboardRequest(request);
  std::unique_ptr<StackContext> stack = OpenStack(context);
  stack->GuardAccount();

  OnboardPlan plan = PlanOnboard(*stack, checked);
  PrintPlan(context,
            fmt::format("Onboard {} in stack {} (account {})", checked.name,
                        stack->settings().name, stack->account_id()),
            plan.steps);
  OnboardResult result =
      ApplyOnboard(*stack, plan, DoneLines(context), StderrSteps(context));
  PrintOnboarded(context, plan, result);
  return 0;
}

// ---- rotate-key ----

void PrintRotated(CommandContext& context, const KeyRotationPlan& plan,
                  const KeyRotationResult& result) {
  std::ostream& out = context.io().out;
  const std::string& file = plan.request.credentials_file;
  if (context.output() == OutputFormat::kJson) {
    PrintJson(out,
              {{"UserName", plan.user.name},
               {"Arn", plan.user.arn},
               {"Steps", StepsJson(plan.steps)},
               {"NewAccessKeyId", result.new_access_key_id},
               {"CredentialsFile", file},
               {"CredentialsFileReplaced", result.file_replaced},
               {"DeletedAccessKeyIds", result.deleted_access_key_ids},
               {"DeactivatedAccessKeyIds", result.deactivated_access_key_ids}});
    return;
  }
  out << "Rotated the access key of " << plan.user.name << ": hand " << file
      << " over privately" << ReplacedNote(result.file_replaced) << ".\n";
}

int RunRotateKey(CommandContext& context, const RotateKeyRequest& request) {
  context.output();
  RotateKeyRequest checked = CheckRotateKeyRequest(request);
  std::unique_ptr<StackContext> stack = OpenStack(context);
  stack->GuardAccount();

  KeyRotationPlan plan = PlanKeyRotation(*stack, checked);
  PrintPlan(
      context,
      fmt::format("Rotate the access key of {} in stack {} (account {})",
                  checked.name, stack->settings().name, stack->account_id()),
      plan.steps);
  KeyRotationResult result =
      ApplyKeyRotation(*stack, plan, DoneLines(context), StderrSteps(context));
  PrintRotated(context, plan, result);
  return 0;
}

// ---- offboard ----

struct OffboardOptions {
  std::string name;
  bool yes = false;
  bool dry_run = false;
};

void PrintOffboarded(CommandContext& context, const OffboardPlan& plan,
                     const DeleteUserResult* result,
                     const std::vector<std::string>& removed) {
  std::ostream& out = context.io().out;
  if (context.output() == OutputFormat::kJson) {
    nlohmann::json revoked = nlohmann::json::array();
    if (result) {
      for (const AccessGrant& grant : result->deleted_grants) {
        revoked.push_back(GrantJson(grant));
      }
    }
    PrintJson(out, {{"UserName", plan.user.name},
                    {"Arn", plan.user.arn},
                    {"DryRun", result == nullptr},
                    {"Steps", StepsJson(plan.steps)},
                    {"RevokedGrants", revoked},
                    {"Removed", removed},
                    {"Deleted", result != nullptr}});
  } else if (!result) {
    out << "Dry run: nothing was changed.\n";
  } else {
    out << "Offboarded " << plan.user.name << ": "
        << result->deleted_grants.size() << " grant(s) revoked, user "
        << "deleted.\n";
  }
}

// Asks before offboarding unless --yes. JSON output shows the plan only at
// the end, so the question is preceded by the plan on stderr.
bool ConfirmOffboard(CommandContext& context, const OffboardPlan& plan) {
  if (context.output() == OutputFormat::kJson && context.io().in_is_tty) {
    context.io().err << "Offboard " << plan.user.name << ":\n";
    PrintPlanText(context.io().err, plan.steps);
  }
  return Confirm(context,
                 fmt::format("Offboard {}: revoke {} grant(s) and delete the "
                             "user?",
                             plan.user.name, plan.grants.size()));
}

int RunOffboard(CommandContext& context, const OffboardOptions& options) {
  context.output();
  ValidateUserName(options.name);
  std::unique_ptr<StackContext> stack = OpenStack(context);
  stack->GuardAccount();

  OffboardPlan plan = PlanOffboard(*stack, options.name);
  PrintPlan(context,
            fmt::format("Offboard {} ({}) from stack {}", plan.user.name,
                        plan.user.arn, stack->settings().name),
            plan.steps);
  if (options.dry_run) {
    PrintOffboarded(context, plan, nullptr, {});
    return 0;
  }
  if (!options.yes && !ConfirmOffboard(context, plan)) {
    context.io().out << "Nothing was changed.\n";
    return 0;
  }
  std::vector<std::string> removed;
  StepCallback done_text = DoneText(context);
  DeleteUserResult result =
      ApplyOffboard(*stack, plan, [&](std::string_view step) {
        removed.emplace_back(step);
        if (done_text) done_text(step);
      });
  PrintOffboarded(context, plan, &result, removed);
  return 0;
}

}  // namespace

CommandSpec OnboardCommand() {
  return {
      .path = "cpgstaging onboard",
      .summary =
          "Onboard a contributor in one step: user, access key, group "
          "membership, grants, and a 0600 credentials file to hand over",
      .examples =
          "  AWS_PROFILE=CPG cytoskel cpgstaging onboard lab42 --prefix "
          "cpg0042-example/\n"
          "  cytoskel cpgstaging onboard lab42 --prefix cpg0042-a/ --prefix "
          "cpg0042-b/ --permission WRITE --credentials-file "
          "/secure/lab42.credentials\n"
          "  (run it again to add a prefix: it makes only what is missing)",
      .define = [](CLI::App& command) -> Runner {
        auto request = std::make_shared<OnboardRequest>();
        command.add_option("NAME", request->name, "The IAM user name")
            ->required();
        command
            .add_option("--prefix", request->prefixes,
                        "A dataset folder the user may reach (cpg0001-x, "
                        "cpg0001-x/ and cpg0001-x/* all mean the folder); "
                        "repeat for several")
            ->required()
            ->allow_extra_args(false)
            ->type_name("PREFIX");
        command
            .add_option("--permission", request->permission,
                        "READ, WRITE or READWRITE (default READWRITE)")
            ->type_name("PERMISSION");
        command
            .add_option("--credentials-file", request->credentials_file,
                        "Where to write a new key (mode 0600, replacing a "
                        "file there); default NAME.credentials in the "
                        "current directory")
            ->type_name("PATH");
        return [request](CommandContext& context) {
          return RunOnboard(context, *request);
        };
      },
  };
}

CommandSpec RotateKeyCommand() {
  return {
      .path = "cpgstaging rotate-key",
      .summary =
          "Give a contributor a new access key (written to a 0600 file), "
          "then delete the old one",
      .examples =
          "  AWS_PROFILE=CPG cytoskel cpgstaging rotate-key lab42\n"
          "  cytoskel cpgstaging rotate-key lab42 --credentials-file "
          "/secure/lab42.credentials --deactivate-only",
      .define = [](CLI::App& command) -> Runner {
        auto request = std::make_shared<RotateKeyRequest>();
        command.add_option("NAME", request->name, "The IAM user name")
            ->required();
        command
            .add_option("--credentials-file", request->credentials_file,
                        "Where to write the new key (mode 0600, replacing a "
                        "file there); default NAME.credentials in the "
                        "current directory")
            ->type_name("PATH");
        command.add_flag("--deactivate-only", request->deactivate_only,
                         "Make the old key Inactive and keep it, instead of "
                         "deleting it");
        return [request](CommandContext& context) {
          return RunRotateKey(context, *request);
        };
      },
  };
}

CommandSpec OffboardCommand() {
  return {
      .path = "cpgstaging offboard",
      .summary =
          "Remove a contributor: revoke every grant, then delete the user "
          "and everything IAM holds for it",
      .examples =
          "  AWS_PROFILE=CPG cytoskel cpgstaging offboard lab42\n"
          "  cytoskel cpgstaging offboard lab42 --dry-run\n"
          "  cytoskel cpgstaging offboard lab42 --yes",
      .define = [](CLI::App& command) -> Runner {
        auto options = std::make_shared<OffboardOptions>();
        command.add_option("NAME", options->name, "The IAM user name")
            ->required();
        command.add_flag("--dry-run", options->dry_run,
                         "Print the plan and change nothing");
        command.add_flag("--yes,-y", options->yes,
                         "Do not ask for confirmation");
        return [options](CommandContext& context) {
          return RunOffboard(context, *options);
        };
      },
  };
}

}  // namespace cytoskel
