// `cytoskel cpgstaging apply ROSTER`: the access list as a reviewed TOML
// file. Reads the roster (refusing a bad one before any AWS call), reads
// the account once, prints the plan (one line a change), then applies it
// concurrently. The logic lives in stack/roster*.h; this file parses the
// command line and prints.
//
// Text output (stdout):
//   Roster team.toml for stack cpgstaging in account 123456789012:
//     create     user alice
//     create     grant alice cpg0001-alpha/* READWRITE
//     delete     grant bob cpg0003-gamma/* READWRITE (replaced by READ)
//     unchanged  2 user(s), 3 grant(s)
//     kept       user erin (not in the roster; --prune offboards it)
//   created user alice (key written to keys/alice.credentials)
//   ...
//   Done: 3 change(s) applied.
// Failures are listed on stderr at the end, one "cytoskel: error: " line
// each, and the exit code is that of the first failure (254 for AWS).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "cli/commands/commands.h"
#include "cli/errors.h"
#include "cli/stack_command.h"
#include "stack/roster.h"
#include "stack/roster_apply.h"
#include "stack/roster_plan.h"

namespace cytoskel {

namespace {

struct ApplyOptions {
  std::string roster;
  bool dry_run = false;
  bool prune = false;
  std::string credentials_dir;
  size_t jobs = kRosterWorkers;
};

const char* StatusName(ChangeStatus status) {
  switch (status) {
    case ChangeStatus::kDone:
      return "done";
    case ChangeStatus::kFailed:
      return "failed";
    case ChangeStatus::kSkipped:
      return "skipped";
  }
  return "failed";
}

// What the progress line says while a change of this kind runs.
const char* Activity(RosterAction action) {
  switch (action) {
    case RosterAction::kCreateUser:
    case RosterAction::kCompleteUser:
      return "creating users";
    case RosterAction::kCreateGrant:
      return "creating grants";
    case RosterAction::kDeleteGrant:
      return "deleting grants";
    case RosterAction::kOffboardUser:
      return "offboarding users";
  }
  return "applying";
}

std::string WithNote(std::string text, const std::string& note) {
  if (!note.empty()) text += " (" + note + ")";
  return text;
}

// "create     grant alice cpg0001-alpha/* READWRITE (replaces READ)"
std::string PlanLine(const RosterChange& change) {
  std::string verb = ChangeName(ChangeOf(change.action));
  verb.resize(10, ' ');
  return WithNote(verb + " " + KindOf(change.action) + " " + SubjectOf(change),
                  change.note);
}

void PrintPlan(std::ostream& out, const RosterPlan& plan) {
  for (const RosterChange& change : plan.changes) {
    out << "  " << PlanLine(change) << '\n';
  }
  if (plan.users_in_sync + plan.grants_in_sync > 0) {
    out << "  unchanged  " << plan.users_in_sync << " user(s), "
        << plan.grants_in_sync << " grant(s)\n";
  }
  for (const std::string& user : plan.unlisted) {
    out << "  kept       user " << user
        << " (not in the roster; --prune offboards it)\n";
  }
}

std::string AppliedLine(const RosterChange& change,
                        const ChangeOutcome& outcome) {
  return WithNote(std::string(ChangePastTense(ChangeOf(change.action))) + " " +
                      KindOf(change.action) + " " + SubjectOf(change),
                  outcome.note);
}

// The text stream while changes are applied: one line per change done on
// stdout and, when stderr is a terminal, a progress line redrawn in place.
// Called through ApplyRosterPlan's callback, which is never concurrent.
class Reporter {
 public:
  Reporter(CommandContext& context, const RosterPlan& plan, bool text)
      : io_(context.io()), plan_(plan), text_(text) {}

  void Reading() {
    if (io_.err_is_tty) io_.err << "\rreading the account..." << std::flush;
  }

  void Changed(size_t index, const ChangeOutcome& outcome, size_t finished,
               size_t total) {
    const RosterChange& change = plan_.changes[index];
    if (text_ && outcome.status == ChangeStatus::kDone) {
      ClearProgress();
      io_.out << AppliedLine(change, outcome) << '\n' << std::flush;
    }
    if (io_.err_is_tty) {
      io_.err << "\r[" << finished << "/" << total << "] "
              << Activity(change.action) << kClearToEnd << std::flush;
    }
  }

  void ClearProgress() {
    if (io_.err_is_tty) io_.err << '\r' << kClearToEnd << std::flush;
  }

 private:
  static constexpr const char* kClearToEnd = "\x1b[K";

  Io& io_;
  const RosterPlan& plan_;
  bool text_;
};

nlohmann::json ChangeJson(const RosterChange& change) {
  nlohmann::json json = {{"change", ChangeName(ChangeOf(change.action))},
                         {"kind", KindOf(change.action)},
                         {"user", change.user},
                         {"note", change.note}};
  if (std::string_view(KindOf(change.action)) == "grant") {
    json["prefix"] = change.sub_prefix;
    json["permission"] = change.permission;
  }
  if (!change.grant_id.empty()) json["grant_id"] = change.grant_id;
  return json;
}

void AddOutcome(nlohmann::json& json, const ChangeOutcome& outcome) {
  json["status"] = StatusName(outcome.status);
  if (!outcome.note.empty()) json["result"] = outcome.note;
  if (!outcome.credentials_file.empty()) {
    json["credentials_file"] = outcome.credentials_file;
  }
  if (!outcome.grant_id.empty()) json["grant_id"] = outcome.grant_id;
  if (outcome.error) json["error"] = DescribeError(*outcome.error);
}

nlohmann::json PlanJson(StackContext& stack, const ApplyOptions& options,
                        const RosterPlan& plan,
                        const std::vector<ChangeOutcome>& outcomes) {
  nlohmann::json changes = nlohmann::json::array();
  for (size_t i = 0; i < plan.changes.size(); ++i) {
    nlohmann::json change = ChangeJson(plan.changes[i]);
    if (i < outcomes.size()) {
      AddOutcome(change, outcomes[i]);
    } else {
      change["status"] = "planned";
    }
    changes.push_back(std::move(change));
  }
  return {{"stack", stack.settings().name},
          {"account", stack.account_id()},
          {"region", stack.settings().region},
          {"roster", options.roster},
          {"dry_run", options.dry_run},
          {"prune", options.prune},
          {"changes", changes},
          {"unchanged",
           {{"users", plan.users_in_sync}, {"grants", plan.grants_in_sync}}},
          {"kept_users", plan.unlisted},
          {"applied", !outcomes.empty()}};
}

// Lists every failed or skipped change on stderr; returns the exit code of
// the first failure, or 0 when there is none.
int ReportFailures(CommandContext& context, const RosterPlan& plan,
                   const std::vector<ChangeOutcome>& outcomes) {
  int code = 0;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const ChangeOutcome& outcome = outcomes[i];
    if (outcome.status == ChangeStatus::kDone) continue;
    std::string what =
        std::string(ChangeName(ChangeOf(plan.changes[i].action))) + " " +
        KindOf(plan.changes[i].action) + " " + SubjectOf(plan.changes[i]);
    if (outcome.error) {
      context.io().err << "cytoskel: error: " << what << ": "
                       << DescribeError(*outcome.error) << '\n';
      if (code == 0) code = ExitCodeFor(*outcome.error);
    } else {
      context.io().err << "cytoskel: error: skipped " << what << ": "
                       << outcome.note << '\n';
      if (code == 0) code = kExitService;
    }
  }
  return code;
}

size_t CountDone(const std::vector<ChangeOutcome>& outcomes) {
  return static_cast<size_t>(std::count_if(
      outcomes.begin(), outcomes.end(), [](const ChangeOutcome& outcome) {
        return outcome.status == ChangeStatus::kDone;
      }));
}

void PrintSummary(std::ostream& out, const ApplyOptions& options,
                  const RosterPlan& plan,
                  const std::vector<ChangeOutcome>& outcomes) {
  size_t changes = plan.changes.size();
  size_t done = CountDone(outcomes);
  if (changes == 0) {
    out << "No changes: the account matches roster " << options.roster << ".\n";
  } else if (options.dry_run) {
    out << "Dry run: " << changes << " change(s) planned, none made.\n";
  } else if (done == changes) {
    out << "Done: " << changes << " change(s) applied.\n";
  } else {
    out << "Applied " << done << " of " << changes << " change(s); "
        << changes - done
        << " did not happen (see above): run the same command again to "
           "finish.\n";
  }
}

// Reads the account and plans, with "reading the account..." on a
// terminal meanwhile. Throws before anything changes when the plan is
// refused or its key files could not be written.
RosterPlan ReadAndPlan(StackContext& stack, const Roster& roster,
                       const ApplyOptions& options, size_t workers,
                       Reporter& reporter) {
  reporter.Reading();
  try {
    LiveState live = ReadLiveState(stack, roster, workers);
    RosterPlan plan = PlanRoster(roster, live, {options.prune});
    if (!options.dry_run) CheckKeyDestinations(plan, options.credentials_dir);
    reporter.ClearProgress();
    return plan;
  } catch (...) {
    reporter.ClearProgress();
    throw;
  }
}

std::vector<ChangeOutcome> Apply(StackContext& stack, const RosterPlan& plan,
                                 const ApplyOptions& options, size_t workers,
                                 Reporter& reporter) {
  if (options.dry_run || plan.changes.empty()) return {};
  RosterApplyOptions apply;
  apply.credentials_dir = options.credentials_dir;
  apply.workers = workers;
  std::vector<ChangeOutcome> outcomes = ApplyRosterPlan(
      stack, plan, apply,
      [&](size_t index, const ChangeOutcome& outcome, size_t finished,
          size_t total) { reporter.Changed(index, outcome, finished, total); });
  reporter.ClearProgress();
  return outcomes;
}

int RunApply(CommandContext& context, const ApplyOptions& options) {
  bool text = context.output() != OutputFormat::kJson;
  // Everything that needs no AWS call is checked first.
  Roster roster = LoadRoster(options.roster);
  if (!options.credentials_dir.empty()) {
    CheckCredentialsDir(options.credentials_dir);
  }
  std::unique_ptr<StackContext> stack = OpenStack(context);
  stack->GuardAccount();
  // --debug lines come from every worker: one worker keeps them readable.
  size_t workers = context.flags().debug ? 1 : options.jobs;

  RosterPlan plan;
  Reporter reporter(context, plan, text);
  plan = ReadAndPlan(*stack, roster, options, workers, reporter);
  std::ostream& out = context.io().out;
  if (text) {
    out << "Roster " << options.roster << " for stack "
        << stack->settings().name << " in account " << stack->account_id()
        << ":\n";
    PrintPlan(out, plan);
    out << std::flush;
  }
  std::vector<ChangeOutcome> outcomes =
      Apply(*stack, plan, options, workers, reporter);
  if (text) {
    PrintSummary(out, options, plan, outcomes);
  } else {
    PrintJson(out, PlanJson(*stack, options, plan, outcomes));
  }
  out << std::flush;
  return ReportFailures(context, plan, outcomes);
}

}  // namespace

CommandSpec ApplyCommand() {
  return {
      .path = "cpgstaging apply",
      .summary =
          "Converge the stack's users and grants to a roster file (TOML): "
          "plan, then apply",
      .examples =
          "  cytoskel cpgstaging apply team.toml --dry-run\n"
          "  cytoskel cpgstaging apply team.toml --credentials-dir keys/\n"
          "  cytoskel cpgstaging apply team.toml --prune   # offboard users "
          "not listed\n"
          "Roster:\n"
          "  [users.alice]\n"
          "  prefixes = [\"cpg0001-alpha/\", \"cpg0002-beta/\"]\n"
          "  [users.bob]\n"
          "  prefixes = [\"cpg0003-gamma/\"]\n"
          "  permission = \"READ\"          # default READWRITE",
      .define = [](CLI::App& command) -> Runner {
        auto options = std::make_shared<ApplyOptions>();
        command.add_option("ROSTER", options->roster, "The roster file (TOML)")
            ->required();
        command.add_flag("--dry-run", options->dry_run,
                         "Print the plan and change nothing");
        command.add_flag("--prune", options->prune,
                         "Offboard the stack's users the roster does not "
                         "list (their grants, keys and the user)");
        command
            .add_option("--credentials-dir", options->credentials_dir,
                        "Write each new user's key to DIR/NAME.credentials "
                        "(mode 0600); required when the plan creates users")
            ->type_name("DIR");
        command
            .add_option("--jobs", options->jobs,
                        "How many AWS calls run at once (default 6)")
            ->type_name("N")
            ->check(CLI::Range(size_t{1}, kMaxRosterWorkers));
        return [options](CommandContext& context) {
          return RunApply(context, *options);
        };
      },
  };
}

}  // namespace cytoskel
