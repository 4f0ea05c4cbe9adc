// A stack: the named set of AWS resources cytoskel manages for one bucket.
// `cpgstaging` is the built-in one; its names are the first version's, so
// an account it set up is adopted rather than duplicated. A config file may
// override any setting (see LoadStackSettings).
#ifndef CYTOSKEL_STACK_STACK_H_
#define CYTOSKEL_STACK_STACK_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "aws/environment.h"
#include "aws/iam.h"
#include "aws/s3.h"
#include "aws/s3control.h"
#include "aws/session.h"
#include "aws/tag.h"

namespace cytoskel {

struct StackSettings {
  std::string name = "cpgstaging";
  std::string bucket = "staging-cellpainting-gallery";
  std::string region = "us-east-1";
  std::string group = "staging_cpg_uploaders";
  std::string policy = "staging_cpg_creds_data_access";
  std::string role = "cpg_staging_access_grant_location_role";
  std::string role_policy = "cpg_staging_access_grant_location_policy";
  int max_session_seconds = 43200;
  // When set, every mutating command refuses to run in another account.
  std::string account_id;
};

// The tag cytoskel puts on what it creates (users, instance, role, policy).
inline const Tag kManagedTag{"managed-by", "cytoskel"};

// The settings of stack `name`: the built-in defaults, overridden by the
// table [stacks.NAME] of the config file, which is $CYTOSKEL_CONFIG, else
// $XDG_CONFIG_HOME/cytoskel/config.toml, else ~/.config/cytoskel/config.toml
// (a missing file is fine). Throws a config Error naming the file and line
// for a malformed file, an unknown key or a bad value.
StackSettings LoadStackSettings(const std::string& name,
                                const Environment& env);

// Parses the TOML text of a config file (exposed for tests).
StackSettings ParseStackSettings(const std::string& name,
                                 const std::string& toml_text,
                                 const std::string& path);

// Everything a stack command works with: the settings, the session, the
// account (read once from STS) and one client per service.
class StackContext {
 public:
  StackContext(Session& session, StackSettings settings);

  const StackSettings& settings() const { return settings_; }
  Session& session() { return session_; }

  // The caller's account id, from GetCallerIdentity on first use.
  const std::string& account_id();
  // The partition of the stack's region, the second field of its ARNs:
  // aws, aws-cn or aws-us-gov (see PartitionOf).
  std::string_view partition() const;
  // arn:PARTITION:iam::ACCOUNT:RESOURCE, e.g. RESOURCE "role/NAME".
  std::string IamArn(std::string_view resource);
  // arn:PARTITION:s3:REGION:ACCOUNT:access-grants/default
  std::string instance_arn();
  // s3://BUCKET/
  std::string location_scope() const;

  // Throws a usage Error naming both ids when the stack names an account
  // and the caller is in another one. Mutating commands call it first.
  void GuardAccount();

  IamClient& iam() { return iam_; }
  S3Client& s3() { return s3_; }
  S3ControlClient& s3control();

 private:
  Session& session_;
  StackSettings settings_;
  std::string account_id_;
  IamClient iam_;
  S3Client s3_;
  std::unique_ptr<S3ControlClient> s3control_;
};

}  // namespace cytoskel

#endif  // CYTOSKEL_STACK_STACK_H_
