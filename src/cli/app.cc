#include "cli/app.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "aws/error.h"
#include "cli/command_table.h"
#include "cli/errors.h"
#include "cli/exit_codes.h"
#include "stack/validate.h"

namespace cytoskel {

namespace {

constexpr const char* kDescription =
    "cytoskel: scoped, self-expiring S3 upload access through S3 Access "
    "Grants";

std::vector<std::string> SplitWords(const std::string& path) {
  std::vector<std::string> words;
  std::istringstream stream(path);
  for (std::string word; stream >> word;) words.push_back(word);
  return words;
}

void AddGlobalOptions(CLI::App& app, GlobalFlags& flags) {
  auto optional_string = [&app](const char* name,
                                std::optional<std::string>& target,
                                const char* help) {
    app.add_option_function<std::string>(
           name, [&target](const std::string& value) { target = value; }, help)
        ->type_name("TEXT");
  };
  optional_string("--profile", flags.aws.profile,
                  "AWS profile to use (default: AWS_PROFILE, then default)");
  optional_string("--region", flags.aws.region,
                  "AWS region (default: AWS_REGION, then the profile)");
  optional_string("--endpoint-url", flags.aws.endpoint_url,
                  "Send every request to this URL instead of AWS");
  app.add_option("--output", flags.output, "Output format: text, json, table")
      ->type_name("FORMAT");
  app.add_flag("--debug", flags.debug,
               "Show HTTP and signing detail on stderr (secrets masked)");
  app.add_flag("--no-color", flags.no_color, "Never colour the output");
  app.add_flag("--no-verify-ssl", flags.aws.no_verify_ssl,
               "Do not verify TLS certificates (unsafe; says so loudly)");
}

// Builds the CLI11 tree from the command table. Returns each leaf's runner.
std::map<CLI::App*, Runner> BuildCommands(CLI::App& app) {
  std::map<std::string, CLI::App*> nodes = {{"", &app}};
  auto node_for = [&](const std::vector<std::string>& words, size_t count) {
    std::string key;
    CLI::App* parent = &app;
    for (size_t i = 0; i < count; ++i) {
      key += (i == 0 ? "" : " ") + words[i];
      auto found = nodes.find(key);
      if (found == nodes.end()) {
        CLI::App* child = parent->add_subcommand(words[i]);
        child->fallthrough();
        found = nodes.emplace(key, child).first;
      }
      parent = found->second;
    }
    return parent;
  };
  for (const GroupSpec& group : GroupTable()) {
    auto words = SplitWords(group.path);
    node_for(words, words.size())->description(group.summary);
    node_for(words, words.size())->require_subcommand(1);
  }
  std::map<CLI::App*, Runner> runners;
  for (const CommandSpec& spec : CommandTable()) {
    auto words = SplitWords(spec.path);
    CLI::App* command = node_for(words, words.size());
    command->description(spec.summary);
    for (const std::string& alias : spec.aliases) command->alias(alias);
    if (!spec.examples.empty()) {
      command->footer("Examples:\n" + spec.examples);
    }
    runners[command] = spec.define(*command);
  }
  return runners;
}

CLI::App* ChosenCommand(CLI::App& app) {
  CLI::App* current = &app;
  for (;;) {
    auto chosen = current->get_subcommands();
    if (chosen.empty()) return current;
    current = chosen.front();
  }
}

std::vector<std::string> SubcommandNames(CLI::App& app) {
  std::vector<std::string> names;
  for (CLI::App* sub : app.get_subcommands({})) {
    names.push_back(sub->get_name());
  }
  return names;
}

// The first extra argument: for a command that takes subcommands, the word
// that named none of them. "" when every argument was used.
std::string FirstExtra(CLI::App& app) {
  std::vector<std::string> extras = ChosenCommand(app)->remaining();
  if (extras.empty()) extras = app.remaining();
  return extras.empty() ? "" : extras.front();
}

// "cytoskel cpgstaging": the words of the deepest command that parsed.
std::string CommandPath(CLI::App& app) {
  std::string path = "cytoskel";
  for (CLI::App* node = ChosenCommand(app); node != &app;
       node = node->get_parent()) {
    path.insert(std::string("cytoskel").size(), " " + node->get_name());
  }
  return path;
}

// A word that is not a command of a command that needs one; "" when the
// arguments hold none.
std::string UnknownCommandMessage(CLI::App& app) {
  CLI::App* deepest = ChosenCommand(app);
  std::vector<std::string> names = SubcommandNames(*deepest);
  std::string word = FirstExtra(app);
  if (names.empty() || word.empty() || word.starts_with("-")) return "";
  std::string message = fmt::format("'{}' is not a command of '{}'",
                                    Shown(word), CommandPath(app));
  std::string closest = ClosestWord(word, names);
  if (!closest.empty())
    message += fmt::format(" (did you mean '{}'?)", closest);
  return message;
}

// "did you mean" for a mistyped word: the first extra argument is compared
// with the subcommands of the deepest command that parsed.
std::string Suggestion(CLI::App& app) {
  std::string word = FirstExtra(app);
  if (word.empty()) return "";
  std::string closest = ClosestWord(word, SubcommandNames(*ChosenCommand(app)));
  return closest.empty() ? "" : fmt::format(" (did you mean '{}'?)", closest);
}

int ReportUsage(const std::string& message, Io& io) {
  io.err << "cytoskel: error: " << message << '\n'
         << "Run 'cytoskel --help' for the list of commands.\n";
  return kExitUsage;
}

int ReportParseError(CLI::App& app, const CLI::ParseError& error, Io& io) {
  std::string unknown = UnknownCommandMessage(app);
  if (!unknown.empty()) return ReportUsage(unknown, io);
  return ReportUsage(error.what() + Suggestion(app), io);
}

int ReportError(const Error& error, Io& io, bool debug) {
  io.err << "cytoskel: error: " << DescribeError(error) << '\n';
  std::string detail = DescribeErrorDetail(error);
  if (debug && !detail.empty()) io.err << "cytoskel: debug: " << detail << '\n';
  return ExitCodeFor(error);
}

bool AskedForVersion(const std::vector<std::string>& args) {
  return std::find(args.begin(), args.end(), "--version") != args.end();
}

}  // namespace

std::string ClosestWord(const std::string& word,
                        const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
  for (const std::string& candidate : candidates) {
    std::vector<size_t> row(candidate.size() + 1);
    for (size_t j = 0; j < row.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= word.size(); ++i) {
      size_t diagonal = row[0];
      row[0] = i;
      for (size_t j = 1; j <= candidate.size(); ++j) {
        size_t above = row[j];
        size_t cost = word[i - 1] == candidate[j - 1] ? 0 : 1;
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
        diagonal = above;
      }
    }
    if (row.back() < best_distance) {
      best_distance = row.back();
      best = candidate;
    }
  }
  return best;
}

std::unique_ptr<CLI::App> BuildCommandTree(
    GlobalFlags& flags, std::map<CLI::App*, Runner>* runners) {
  auto app = std::make_unique<CLI::App>(kDescription, "cytoskel");
  app->require_subcommand(1);
  AddGlobalOptions(*app, flags);
  std::map<CLI::App*, Runner> built = BuildCommands(*app);
  if (runners != nullptr) *runners = std::move(built);
  return app;
}

int RunCli(const std::vector<std::string>& args, Io& io, Environment env,
           SessionDeps deps) {
  if (AskedForVersion(args)) {
    io.out << "cytoskel " << CYTOSKEL_VERSION << '\n';
    return kExitOk;
  }
  GlobalFlags flags;
  std::map<CLI::App*, Runner> runners;
  std::unique_ptr<CLI::App> tree = BuildCommandTree(flags, &runners);
  CLI::App& app = *tree;

  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    // "cytoskel cpgstaging bogus --help" is a mistake, not a request for
    // the help of cpgstaging.
    std::string unknown = UnknownCommandMessage(app);
    if (!unknown.empty()) return ReportUsage(unknown, io);
    io.out << ChosenCommand(app)->help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    io.out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::ParseError& error) {
    return ReportParseError(app, error, io);
  }

  CLI::App* chosen = ChosenCommand(app);
  auto runner = runners.find(chosen);
  if (runner == runners.end()) {
    io.err << chosen->help();
    return kExitUsage;
  }
  try {
    ParseOutputFormat(flags.output);  // bad input fails before any AWS call
    CommandContext context(io, flags, std::move(env), std::move(deps));
    if (flags.aws.no_verify_ssl) {
      io.err << "cytoskel: warning: TLS certificate verification is OFF; "
                "anyone on the network path can read and change this "
                "session's traffic\n";
    }
    return runner->second(context);
  } catch (const Error& error) {
    return ReportError(error, io, flags.debug);
  } catch (const std::exception& error) {
    io.err << "cytoskel: error: internal error: " << error.what() << '\n';
    return kExitOther;
  }
}

}  // namespace cytoskel
