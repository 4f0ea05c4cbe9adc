// The stack's users: `cytoskel cpgstaging list user`, `create user` and
// `delete user`. The logic lives in stack/users.h; this file parses the
// command line and prints.
#include <nlohmann/json.hpp>

#include <memory>
#include <ostream>
#include <string>

#include "cli/commands/commands.h"
#include "cli/stack_command.h"
#include "stack/users.h"
#include "stack/validate.h"

namespace cytoskel {

namespace {

// Progress lines go to stderr: stdout carries the results only.
StepCallback StderrSteps(CommandContext& context) {
  return [&context](std::string_view step) {
    context.io().err << "cytoskel: " << step << '\n';
  };
}

nlohmann::json UserJson(const IamUser& user) {
  return {{"UserName", user.name},
          {"UserId", user.user_id},
          {"Arn", user.arn},
          {"Path", user.path},
          {"CreateDate", user.create_date}};
}

// ---- list user ----

struct ListUserOptions {
  bool all = false;
};

void PrintUsers(CommandContext& context, const std::vector<IamUser>& users) {
  std::ostream& out = context.io().out;
  switch (context.output()) {
    case OutputFormat::kText:
      for (const IamUser& user : users) out << user.arn << '\n';
      break;
    case OutputFormat::kJson: {
      nlohmann::json list = nlohmann::json::array();
      for (const IamUser& user : users) list.push_back(UserJson(user));
      PrintJson(out, list);
      break;
    }
    case OutputFormat::kTable: {
      Table table{{"NAME", "ARN", "CREATED"}, {}};
      for (const IamUser& user : users) {
        table.rows.push_back({user.name, user.arn, user.create_date});
      }
      PrintTable(out, table);
      break;
    }
  }
}

int RunListUser(CommandContext& context, const ListUserOptions& options) {
  context.output();  // a bad --output fails before any AWS call
  std::unique_ptr<StackContext> stack = OpenStack(context);
  PrintUsers(context,
             options.all ? stack->iam().ListUsers() : ListStackUsers(*stack));
  return 0;
}

// ---- create user ----

// The key as one line of JSON, keys named and ordered as IAM's
// CreateAccessKey answer has them.
std::string KeyJson(const NewAccessKey& key) {
  nlohmann::ordered_json json = {{"UserName", key.user_name},
                                 {"AccessKeyId", key.access_key_id},
                                 {"Status", key.status},
                                 {"SecretAccessKey", key.secret_access_key},
                                 {"CreateDate", key.create_date}};
  return json.dump();
}

void PrintCreatedUser(CommandContext& context, const CreateUserRequest& request,
                      const CreateUserResult& result) {
  std::ostream& out = context.io().out;
  bool to_file = !request.credentials_file.empty();
  switch (context.output()) {
    case OutputFormat::kText:
      out << "Created user ARN: " << result.user.arn << '\n';
      if (to_file) {
        out << "Creds: written to " << request.credentials_file << '\n';
      } else {
        out << "Creds: " << KeyJson(result.key) << '\n';
      }
      break;
    case OutputFormat::kJson: {
      nlohmann::json json = UserJson(result.user);
      json["Resumed"] = result.resumed;
      nlohmann::json key = nlohmann::json::parse(KeyJson(result.key));
      if (to_file) {
        key.erase("SecretAccessKey");
        json["CredentialsFile"] = request.credentials_file;
      }
      json["AccessKey"] = key;
      PrintJson(out, json);
      break;
    }
    case OutputFormat::kTable:
      PrintTable(out,
                 {{"NAME", "ARN", "ACCESS KEY ID", "SECRET ACCESS KEY"},
                  {{result.user.name, result.user.arn, result.key.access_key_id,
                    to_file ? "written to " + request.credentials_file
                            : result.key.secret_access_key}}});
      break;
  }
}

int RunCreateUser(CommandContext& context, const CreateUserRequest& request) {
  context.output();
  CheckCreateUser(request);
  std::unique_ptr<StackContext> stack = OpenStack(context);
  stack->GuardAccount();
  // The key is printed before the user joins the group, so that a run
  // killed before printing is finished by running it again.
  CreateStackUser(*stack, request, StderrSteps(context),
                  [&](const CreateUserResult& result) {
                    PrintCreatedUser(context, request, result);
                    context.io().out.flush();
                  });
  return 0;
}

// ---- delete user ----

int RunDeleteUser(CommandContext& context, const DeleteUserRequest& request) {
  OutputFormat format = context.output();
  ValidateUserName(request.name);
  std::unique_ptr<StackContext> stack = OpenStack(context);
  stack->GuardAccount();
  DeleteUserResult result =
      DeleteStackUser(*stack, request, StderrSteps(context));
  std::ostream& out = context.io().out;
  if (format == OutputFormat::kJson) {
    nlohmann::json grants = nlohmann::json::array();
    for (const AccessGrant& grant : result.deleted_grants) {
      grants.push_back(grant.id);
    }
    PrintJson(out, {{"UserName", result.user.name},
                    {"Arn", result.user.arn},
                    {"Deleted", true},
                    {"DeletedGrantIds", grants}});
  } else {
    out << "User with username: " << request.name << " is deleted\n";
  }
  return 0;
}

}  // namespace

CommandSpec ListUserCommand() {
  return {
      .path = "cpgstaging list user",
      .summary = "List the stack's users (members of the uploader group)",
      .examples =
          "  AWS_PROFILE=CPG cytoskel cpgstaging list user\n"
          "  cytoskel cpgstaging list user --output table\n"
          "  cytoskel cpgstaging list user --all    # every IAM user",
      .define = [](CLI::App& command) -> Runner {
        auto options = std::make_shared<ListUserOptions>();
        command.add_flag("--all", options->all,
                         "List every IAM user of the account, not only the "
                         "stack's");
        return [options](CommandContext& context) {
          return RunListUser(context, *options);
        };
      },
  };
}

CommandSpec CreateUserCommand() {
  return {
      .path = "cpgstaging create user",
      .summary =
          "Create a contributor: an IAM user in the uploader group, with an "
          "access key",
      .examples =
          "  AWS_PROFILE=CPG cytoskel cpgstaging create user test_user\n"
          "  cytoskel cpgstaging create user lab42 --credentials-file "
          "lab42.credentials",
      .define = [](CLI::App& command) -> Runner {
        auto request = std::make_shared<CreateUserRequest>();
        command.add_option("NAME", request->name, "The IAM user name")
            ->required();
        command
            .add_option("--credentials-file", request->credentials_file,
                        "Write the key to this file (an AWS credentials "
                        "profile named after the user, mode 0600) instead of "
                        "printing the secret")
            ->type_name("PATH");
        return [request](CommandContext& context) {
          return RunCreateUser(context, *request);
        };
      },
  };
}

CommandSpec DeleteUserCommand() {
  return {
      .path = "cpgstaging delete user",
      .summary =
          "Delete a contributor: its grants, keys, login profile, MFA "
          "devices, policies, group memberships, then the user",
      .examples =
          "  AWS_PROFILE=CPG cytoskel cpgstaging delete user test_user\n"
          "  cytoskel cpgstaging delete user old_admin_made_user --force",
      .define = [](CLI::App& command) -> Runner {
        auto request = std::make_shared<DeleteUserRequest>();
        command.add_option("NAME", request->name, "The IAM user name")
            ->required();
        command.add_flag("--force", request->force,
                         "Delete the user even if cytoskel does not manage "
                         "it (not in the uploader group, no managed-by tag)");
        return [request](CommandContext& context) {
          return RunDeleteUser(context, *request);
        };
      },
  };
}

}  // namespace cytoskel
