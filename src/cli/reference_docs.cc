#include "cli/reference_docs.h"

#include <fmt/format.h>

#include <vector>

#include "aws/error.h"
#include "cli/app.h"

namespace cytoskel {

namespace {

struct OptionDoc {
  std::string name;   // "--dry-run", or "NAME" for a positional
  std::string value;  // "TEXT" when it takes a value, else ""
  std::string description;
  bool positional = false;
};

// One node of the command tree: the root, a group or a command.
struct NodeDoc {
  std::string path;  // "" for the root, "cpgstaging list" for a group
  std::string summary;
  std::string footer;
  std::vector<OptionDoc> options;
  std::vector<std::pair<std::string, std::string>> children;  // name, summary
};

OptionDoc DocumentOption(const CLI::Option& option) {
  OptionDoc doc;
  doc.positional = option.get_positional();
  doc.description = option.get_description();
  if (doc.positional) {
    doc.name = option.get_name();
    for (char& c : doc.name) c = static_cast<char>(std::toupper(c));
    return doc;
  }
  doc.name = option.get_lnames().empty() ? "-" + option.get_snames().front()
                                         : "--" + option.get_lnames().front();
  if (option.get_type_size() != 0) doc.value = option.get_type_name();
  return doc;
}

void Walk(const CLI::App& app, const std::string& path,
          std::vector<NodeDoc>& nodes) {
  NodeDoc node;
  node.path = path;
  node.summary = app.get_description();
  node.footer = app.get_footer();
  for (const CLI::Option* option : app.get_options()) {
    node.options.push_back(DocumentOption(*option));
  }
  std::vector<const CLI::App*> children =
      app.get_subcommands([](const CLI::App*) { return true; });
  for (const CLI::App* child : children) {
    node.children.emplace_back(child->get_name(), child->get_description());
  }
  nodes.push_back(std::move(node));
  for (const CLI::App* child : children) {
    Walk(*child,
         path.empty() ? child->get_name() : path + " " + child->get_name(),
         nodes);
  }
}

std::vector<NodeDoc> Nodes() {
  GlobalFlags flags;
  std::unique_ptr<CLI::App> tree = BuildCommandTree(flags);
  std::vector<NodeDoc> nodes;
  Walk(*tree, "", nodes);
  return nodes;
}

// The words offered after `node`: its subcommands and its options.
std::string Words(const NodeDoc& node) {
  std::string words;
  for (const auto& [name, summary] : node.children) words += name + " ";
  for (const OptionDoc& option : node.options) {
    if (!option.positional) words += option.name + " ";
  }
  if (!words.empty()) words.pop_back();
  return words;
}

// bash, and zsh through its bash completion layer. The completed path is
// the longest run of typed words naming a node; options of that node and
// the global options are offered after it.
std::string BashScript() {
  std::string script =
      "# cytoskel completion for bash and zsh: source it, or put it in\n"
      "# the shell's completion directory.\n"
      "if [[ -n ${ZSH_VERSION-} ]]; then\n"
      "  autoload -U +X bashcompinit && bashcompinit\n"
      "fi\n"
      "declare -A _cytoskel_words=(\n";
  for (const NodeDoc& node : Nodes()) {
    // bash refuses an empty key: the root is ".".
    script += fmt::format("  [\"{}\"]=\"{}\"\n",
                          node.path.empty() ? "." : node.path, Words(node));
  }
  script +=
      ")\n"
      "_cytoskel() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} path=\"\" next i\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    next=\"${path:+$path }${COMP_WORDS[i]}\"\n"
      "    [[ -n ${_cytoskel_words[$next]+set} ]] && path=$next\n"
      "  done\n"
      "  local words=${_cytoskel_words[${path:-.}]}\n"
      "  [[ -n $path ]] && words+=\" ${_cytoskel_words[.]}\"\n"
      "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
      "}\n"
      "complete -F _cytoskel cytoskel\n";
  return script;
}

std::string FishQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

std::string FishScript() {
  std::vector<NodeDoc> nodes = Nodes();
  std::string script =
      "# cytoskel completion for fish: put it in "
      "~/.config/fish/completions/cytoskel.fish\n"
      "set -g __cytoskel_nodes";
  for (const NodeDoc& node : nodes) {
    if (!node.path.empty()) script += " " + FishQuote(node.path);
  }
  script +=
      "\n"
      "function __cytoskel_path\n"
      "    set -l path ''\n"
      "    for word in (commandline -opc)[2..-1]\n"
      "        set -l next (string trim -- \"$path $word\")\n"
      "        contains -- $next $__cytoskel_nodes; and set path $next\n"
      "    end\n"
      "    echo $path\n"
      "end\n"
      "function __cytoskel_at\n"
      "    test (__cytoskel_path) = \"$argv[1]\"\n"
      "end\n";
  for (const NodeDoc& node : nodes) {
    std::string at = "-n " + FishQuote("__cytoskel_at " + FishQuote(node.path));
    for (const auto& [name, summary] : node.children) {
      script += fmt::format("complete -c cytoskel -f {} -a {} -d {}\n", at,
                            name, FishQuote(summary));
    }
    for (const OptionDoc& option : node.options) {
      if (option.positional || !option.name.starts_with("--")) continue;
      std::string condition = node.path.empty() ? "" : at + " ";
      script +=
          fmt::format("complete -c cytoskel {}-l {} -d {}\n", condition,
                      option.name.substr(2), FishQuote(option.description));
    }
  }
  return script;
}

// Escapes text for roff: backslashes, leading dots and quotes, hyphens.
std::string Roff(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (c == '\\') {
      escaped += "\\e";
    } else if (c == '-') {
      escaped += "\\-";
    } else {
      escaped += c;
    }
  }
  if (!escaped.empty() && (escaped[0] == '.' || escaped[0] == '\'')) {
    escaped.insert(0, "\\&");
  }
  return escaped;
}

void ManOptions(std::string& page, const std::vector<OptionDoc>& options) {
  for (const OptionDoc& option : options) {
    page +=
        ".TP\n.B " + Roff(option.name) +
        (option.value.empty() ? "" : " \\fI" + Roff(option.value) + "\\fR") +
        "\n" + Roff(option.description) + "\n";
  }
}

void ManExamples(std::string& page, const std::string& footer) {
  if (footer.empty()) return;
  page += ".PP\n.nf\n";
  std::string line;
  for (char c : footer + "\n") {
    if (c != '\n') {
      line += c;
      continue;
    }
    page += Roff(line) + "\n";
    line.clear();
  }
  page += ".fi\n";
}

}  // namespace

std::string CompletionScript(const std::string& shell) {
  if (shell == "bash" || shell == "zsh") return BashScript();
  if (shell == "fish") return FishScript();
  throw UsageError("completion is available for bash, zsh and fish, not '" +
                   shell + "'");
}

std::string ManPage() {
  std::vector<NodeDoc> nodes = Nodes();
  std::string page = fmt::format(
      ".TH CYTOSKEL 1 \"\" \"cytoskel {}\" \"User Commands\"\n"
      ".SH NAME\ncytoskel \\- {}\n"
      ".SH SYNOPSIS\n.B cytoskel\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR "
      "[\\fIARGS\\fR]\n"
      ".SH DESCRIPTION\n"
      "cytoskel gives outside contributors scoped, self\\-expiring upload "
      "access to a shared S3 bucket through Amazon S3 Access Grants, and "
      "gives the bucket's admins full control and a clear view of who can "
      "reach what. It reads AWS profiles, regions and credentials as the "
      "AWS CLI does.\n",
      CYTOSKEL_VERSION, "scoped S3 upload access through S3 Access Grants");
  page += ".SH OPTIONS\n";
  ManOptions(page, nodes.front().options);
  page += ".SH COMMANDS\n";
  for (const NodeDoc& node : nodes) {
    if (node.path.empty() || !node.children.empty()) continue;
    page += ".SS \"cytoskel " + Roff(node.path) + "\"\n" + Roff(node.summary) +
            "\n";
    ManOptions(page, node.options);
    ManExamples(page, node.footer);
  }
  page +=
      ".SH EXIT STATUS\n"
      ".TP\n.B 0\nsuccess\n"
      ".TP\n.B 3\naudit found something, or status found drift\n"
      ".TP\n.B 130\ninterrupted\n"
      ".TP\n.B 252\nbad command line or input value\n"
      ".TP\n.B 253\nbad configuration or credentials\n"
      ".TP\n.B 254\nAWS answered with an error\n"
      ".TP\n.B 255\nanything else (network, TLS, a malformed reply)\n"
      ".SH ENVIRONMENT\n"
      "AWS_PROFILE, AWS_DEFAULT_PROFILE, AWS_REGION, AWS_DEFAULT_REGION, "
      "AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, AWS_ACCESS_KEY_ID, "
      "AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_ENDPOINT_URL, "
      "AWS_ENDPOINT_URL_<SERVICE>, AWS_CA_BUNDLE, AWS_MAX_ATTEMPTS, "
      "AWS_RETRY_MODE, HTTPS_PROXY, NO_PROXY, CYTOSKEL_CONFIG, "
      "XDG_CONFIG_HOME, XDG_CACHE_HOME, NO_COLOR.\n"
      ".SH FILES\n"
      ".TP\n.I ~/.aws/config, ~/.aws/credentials\nAWS profiles.\n"
      ".TP\n.I ~/.config/cytoskel/config.toml\nStack settings "
      "([stacks.NAME]: bucket, region, group, policy, role, role_policy, "
      "max_session_seconds, account_id).\n"
      ".TP\n.I ~/.cache/cytoskel/\nCached scoped credentials (0600).\n";
  return page;
}

}  // namespace cytoskel
