// The stack's Access Grants: `cytoskel cpgstaging list grant`,
// `create grant` and `delete grant`. The logic lives in stack/grants.h;
// this file parses the command line and prints.
#include <nlohmann/json.hpp>

#include <memory>
#include <ostream>
#include <string>

#include "cli/commands/commands.h"
#include "cli/stack_command.h"
#include "stack/grants.h"
#include "stack/validate.h"

namespace cytoskel {

namespace {

nlohmann::json GrantJson(const AccessGrant& grant) {
  return {{"GrantId", grant.id},
          {"GrantArn", grant.arn},
          {"GranteeType", grant.grantee_type},
          {"GranteeIdentifier", grant.grantee_identifier},
          {"GranteeUserName", GranteeUserName(grant)},
          {"Permission", grant.permission},
          {"LocationId", grant.location_id},
          {"S3SubPrefix", grant.sub_prefix},
          {"GrantScope", grant.grant_scope},
          {"CreatedAt", grant.created_at}};
}

Table GrantTable(const std::vector<AccessGrant>& grants) {
  Table table{{"ID", "GRANTEE", "SCOPE", "PERMISSION", "CREATED"}, {}};
  for (const AccessGrant& grant : grants) {
    std::string user = GranteeUserName(grant);
    table.rows.push_back(
        {grant.id, user.empty() ? grant.grantee_identifier : user,
         grant.grant_scope, grant.permission, grant.created_at});
  }
  return table;
}

// Prints `grant` as JSON (with `extra` fields) or as a one-row table;
// returns false for text output, which the caller words itself.
bool PrintGrantObject(CommandContext& context, const AccessGrant& grant,
                      const nlohmann::json& extra) {
  std::ostream& out = context.io().out;
  switch (context.output()) {
    case OutputFormat::kJson: {
      nlohmann::json json = GrantJson(grant);
      json.update(extra);
      PrintJson(out, json);
      return true;
    }
    case OutputFormat::kTable:
      PrintTable(out, GrantTable({grant}));
      return true;
    case OutputFormat::kText:
      break;
  }
  return false;
}

// ---- list grant ----

int RunListGrant(CommandContext& context) {
  OutputFormat format = context.output();
  std::unique_ptr<StackContext> stack = OpenStack(context);
  std::ostream& out = context.io().out;
  if (format == OutputFormat::kText) {
    // Printed page by page: memory stays at one page (1,000 grants)
    // however many grants the account holds.
    stack->s3control().ListGrants(
        {}, [&out](const AccessGrant& grant) { out << grant.id << '\n'; });
    return 0;
  }
  std::vector<AccessGrant> grants = ListStackGrants(*stack);
  switch (format) {
    case OutputFormat::kText:  // printed above
      break;
    case OutputFormat::kJson: {
      nlohmann::json list = nlohmann::json::array();
      for (const AccessGrant& grant : grants) list.push_back(GrantJson(grant));
      PrintJson(out, list);
      break;
    }
    case OutputFormat::kTable:
      PrintTable(out, GrantTable(grants));
      break;
  }
  return 0;
}

// ---- create grant ----

int RunCreateGrant(CommandContext& context, const GrantRequest& request) {
  context.output();  // a bad --output fails before any AWS call
  CheckedGrantRequest checked = CheckGrantRequest(request);
  std::unique_ptr<StackContext> stack = OpenStack(context);
  stack->GuardAccount();
  CreateGrantResult result =
      CreateStackGrant(*stack, checked, [&context](std::string_view step) {
        context.io().err << "cytoskel: " << step << '\n';
      });
  if (!PrintGrantObject(context, result.grant,
                        {{"Created", !result.already_existed}})) {
    context.io().out << (result.already_existed
                             ? "Grant already exists with ARN: "
                             : "Created grant with ARN: ")
                     << result.grant.arn << '\n';
  }
  return 0;
}

// ---- delete grant ----

struct DeleteGrantOptions {
  std::string grant_id;
};

int RunDeleteGrant(CommandContext& context, const DeleteGrantOptions& options) {
  context.output();
  ValidateAccessGrantsId(options.grant_id, "grant id");
  std::unique_ptr<StackContext> stack = OpenStack(context);
  stack->GuardAccount();
  AccessGrant grant = DeleteStackGrant(*stack, options.grant_id);
  if (!PrintGrantObject(context, grant, {{"Deleted", true}})) {
    context.io().out << "Deleted grant with ID: " << options.grant_id << '\n';
  }
  return 0;
}

}  // namespace

CommandSpec ListGrantCommand() {
  return {
      .path = "cpgstaging list grant",
      .summary = "List the Access Grants (one grant id per line)",
      .examples =
          "  AWS_PROFILE=CPG cytoskel cpgstaging list grant\n"
          "  cytoskel cpgstaging list grant --output table",
      .define = [](CLI::App&) -> Runner { return RunListGrant; },
  };
}

CommandSpec CreateGrantCommand() {
  return {
      .path = "cpgstaging create grant",
      .summary =
          "Grant a user access to one dataset folder of the bucket "
          "(default READWRITE)",
      .examples =
          "  AWS_PROFILE=CPG cytoskel cpgstaging create grant "
          "\"arn:aws:iam::123456789012:user/test_user\" LOCATION_ID "
          "\"cpg0001-example/*\"\n"
          "  cytoskel cpgstaging create grant test_user LOCATION_ID "
          "cpg0001-example/ --permission READ\n"
          "  (LOCATION_ID comes from `cytoskel cpgstaging list location`)",
      .define = [](CLI::App& command) -> Runner {
        auto request = std::make_shared<GrantRequest>();
        command
            .add_option("GRANTEE", request->grantee,
                        "The IAM user: its name or its ARN")
            ->required();
        command
            .add_option("LOCATION_ID", request->location_id,
                        "The Access Grants location (see list location)")
            ->required();
        command
            .add_option("PREFIX", request->prefix,
                        "The dataset folder in the bucket: cpg0001-x, "
                        "cpg0001-x/ and cpg0001-x/* all mean the folder")
            ->required();
        command
            .add_option("--permission", request->permission,
                        "READ, WRITE or READWRITE (default READWRITE)")
            ->type_name("PERMISSION");
        return [request](CommandContext& context) {
          return RunCreateGrant(context, *request);
        };
      },
  };
}

CommandSpec DeleteGrantCommand() {
  return {
      .path = "cpgstaging delete grant",
      .summary = "Delete an Access Grant by its id",
      .examples =
          "  AWS_PROFILE=CPG cytoskel cpgstaging delete grant "
          "8e383f90-3881-4842-82cc-b8e83dd91eb6\n"
          "  (grant ids come from `cytoskel cpgstaging list grant`)",
      .define = [](CLI::App& command) -> Runner {
        auto options = std::make_shared<DeleteGrantOptions>();
        command
            .add_option("GRANT_ID", options->grant_id,
                        "The grant's id (see list grant)")
            ->required();
        return [options](CommandContext& context) {
          return RunDeleteGrant(context, *options);
        };
      },
  };
}

}  // namespace cytoskel
