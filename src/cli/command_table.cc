#include "cli/command_table.h"

#include "cli/commands/commands.h"

namespace cytoskel {

const std::vector<CommandSpec>& CommandTable() {
  // One command per line, in help order (clang-format would lay a list
  // this long out in columns).
  // clang-format off
  static const std::vector<CommandSpec> table = {
      WhoamiCommand(),
      CompletionCommand(),
      ManCommand(),
      GrantsCommand(),
      CredentialsCommand(),
      ExecCommand(),
      UpCommand(),
      DestroyCommand(),
      StatusCommand(),
      ListLocationCommand(),
      ListUserCommand(),
      ListGrantCommand(),
      CreateUserCommand(),
      DeleteUserCommand(),
      CreateGrantCommand(),
      DeleteGrantCommand(),
      OnboardCommand(),
      RotateKeyCommand(),
      OffboardCommand(),
      AuditCommand(),
      ApplyCommand(),
  };
  // clang-format on
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
