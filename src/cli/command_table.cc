#include "cli/command_table.h"

#include "cli/commands/commands.h"

namespace cytoskel {

const std::vector<CommandSpec>& CommandTable() {
  static const std::vector<CommandSpec> table = {
      WhoamiCommand(),
  };
  return table;
}

const std::vector<GroupSpec>& GroupTable() {
  static const std::vector<GroupSpec> groups = {};
  return groups;
}

}  // namespace cytoskel
