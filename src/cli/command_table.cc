#include "cli/command_table.h"

#include "cli/commands/commands.h"

namespace cytoskel {

const std::vector<CommandSpec>& CommandTable() {
  static const std::vector<CommandSpec> table = {
      WhoamiCommand(),
      UpCommand(),
      DestroyCommand(),
      ListLocationCommand(),
  };
  return table;
}

const std::vector<GroupSpec>& GroupTable() {
  static const std::vector<GroupSpec> groups = {
      {"cpgstaging",
       "Administer the cpgstaging stack: the staging bucket, its Access "
       "Grants, and the contributors who upload to it"},
      {"cpgstaging list", "List the stack's locations, users or grants"},
      {"cpgstaging create", "Create a contributor or a grant"},
      {"cpgstaging delete", "Delete a contributor or a grant"},
  };
  return groups;
}

}  // namespace cytoskel
