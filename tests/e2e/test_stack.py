"""`cytoskel cpgstaging up / destroy / list location` end to end, with the
account cross-checked through boto3 rather than cytoskel's own listings."""

import json
import os
import unittest

from tests.e2e.cytoskel_run import clean_env, run
from tests.emulator.harness import Emulator

BUCKET = "staging-cellpainting-gallery"
ACCOUNT = "123456789012"
INSTANCE_ARN = f"arn:aws:s3:us-east-1:{ACCOUNT}:access-grants/default"
POLICY_ARN = f"arn:aws:iam::{ACCOUNT}:policy/staging_cpg_creds_data_access"
GROUP = "staging_cpg_uploaders"
ROLE = "cpg_staging_access_grant_location_role"
ROLE_POLICY = "cpg_staging_access_grant_location_policy"
PLAN_LINES = [
    f"bucket {BUCKET}",
    "access grants instance default",
    "policy staging_cpg_creds_data_access",
    f"group {GROUP}",
    f"role {ROLE}",
    f"location s3://{BUCKET}/",
]


class StackTest(unittest.TestCase):
    """Each test starts from an empty emulated account."""

    def setUp(self):
        self.emulator = Emulator().start()
        self.env = clean_env(HOME=self.emulator.home, AWS_PROFILE="CPG")
        self.iam = self.emulator.client("iam")
        self.s3 = self.emulator.client("s3")
        self.s3control = self.emulator.client("s3control")

    def tearDown(self):
        self.emulator.stop()

    def cytoskel(self, *args, expect=0):
        result = run(list(args), self.env)
        self.assertEqual(result.returncode, expect,
                         f"{args}: {result.stdout}\n{result.stderr}")
        return result

    def assert_plan(self, stdout, change):
        for line in PLAN_LINES:
            self.assertIn(f"  {change:<10} {line}\n", stdout)

    def assert_stack_is_up(self):
        """Checks every resource of product.md's stack with boto3."""
        pab = self.s3.get_public_access_block(Bucket=BUCKET)
        self.assertTrue(all(pab["PublicAccessBlockConfiguration"].values()))
        enc = self.s3.get_bucket_encryption(Bucket=BUCKET)
        rule = enc["ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(
            rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"],
            "AES256")
        own = self.s3.get_bucket_ownership_controls(Bucket=BUCKET)
        self.assertEqual(own["OwnershipControls"]["Rules"][0]
                         ["ObjectOwnership"], "BucketOwnerEnforced")

        instance = self.s3control.get_access_grants_instance(
            AccountId=ACCOUNT)
        self.assertEqual(instance["AccessGrantsInstanceArn"], INSTANCE_ARN)
        tags = self.s3control.list_tags_for_resource(
            AccountId=ACCOUNT, ResourceArn=INSTANCE_ARN)["Tags"]
        self.assertIn({"Key": "managed-by", "Value": "cytoskel"}, tags)

        policy = self.iam.get_policy(PolicyArn=POLICY_ARN)["Policy"]
        doc = self.iam.get_policy_version(
            PolicyArn=POLICY_ARN,
            VersionId=policy["DefaultVersionId"])["PolicyVersion"]["Document"]
        (statement,) = doc["Statement"]
        self.assertEqual(sorted(statement["Action"]), [
            "s3:GetAccessGrantsInstanceForPrefix", "s3:GetDataAccess",
            "s3:ListCallerAccessGrants"])
        self.assertEqual(statement["Resource"], INSTANCE_ARN)

        attached = self.iam.list_attached_group_policies(GroupName=GROUP)
        self.assertEqual([p["PolicyArn"] for p in
                          attached["AttachedPolicies"]], [POLICY_ARN])

        role = self.iam.get_role(RoleName=ROLE)["Role"]
        self.assertEqual(role["MaxSessionDuration"], 43200)
        (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
        self.assertEqual(trust["Principal"],
                         {"Service": "access-grants.s3.amazonaws.com"})
        self.assertEqual(trust["Condition"]["StringEquals"],
                         {"aws:SourceAccount": ACCOUNT})
        self.assertEqual(trust["Condition"]["ArnEquals"],
                         {"aws:SourceArn": INSTANCE_ARN})
        inline = self.iam.get_role_policy(
            RoleName=ROLE, PolicyName=ROLE_POLICY)["PolicyDocument"]
        resources = sorted(s["Resource"] for s in inline["Statement"])
        self.assertEqual(resources, [f"arn:aws:s3:::{BUCKET}",
                                     f"arn:aws:s3:::{BUCKET}/*"])

        locations = self.s3control.list_access_grants_locations(
            AccountId=ACCOUNT)["AccessGrantsLocationsList"]
        self.assertEqual([(l["LocationScope"], l["IAMRoleArn"])
                          for l in locations],
                         [(f"s3://{BUCKET}/", role["Arn"])])
        return locations[0]["AccessGrantsLocationId"]

    def test_up_builds_the_stack_and_a_second_up_changes_nothing(self):
        first = self.cytoskel("cpgstaging", "up")
        self.assert_plan(first.stdout, "create")
        self.assertIn("Done: 6 change(s) applied.\n", first.stdout)
        location_id = self.assert_stack_is_up()

        second = self.cytoskel("cpgstaging", "up")
        self.assert_plan(second.stdout, "unchanged")
        self.assertTrue(second.stdout.endswith(
            "No changes: the account matches stack cpgstaging.\n"))

        listed = self.cytoskel("cpgstaging", "list", "location")
        self.assertEqual(
            listed.stdout,
            f"Location: s3://{BUCKET}/, ID: {location_id}\n")

    def test_dry_run_changes_nothing(self):
        result = self.cytoskel("cpgstaging", "up", "--dry-run")
        self.assert_plan(result.stdout, "create")
        self.assertIn("Dry run: 6 change(s) planned, none made.",
                      result.stdout)
        self.assertEqual(self.iam.list_roles()["Roles"], [])
        self.assertNotIn(BUCKET, [b["Name"] for b in
                                  self.s3.list_buckets()["Buckets"]])

    def test_up_repairs_drift(self):
        self.cytoskel("cpgstaging", "up")
        self.iam.detach_group_policy(GroupName=GROUP, PolicyArn=POLICY_ARN)
        self.iam.update_role(RoleName=ROLE, MaxSessionDuration=3600)
        self.s3.delete_public_access_block(Bucket=BUCKET)

        result = self.cytoskel("cpgstaging", "up")
        self.assertIn(
            "policy staging_cpg_creds_data_access is not attached to group "
            "staging_cpg_uploaders; `up` will reattach it", result.stdout)
        self.assertIn("its max session is 3600 s, not 43200 s",
                      result.stdout)
        self.assertIn("public access is not fully blocked", result.stdout)
        self.assertIn("Done: 3 change(s) applied.", result.stdout)
        self.assert_stack_is_up()

    def test_status_explains_drift_and_up_repairs_it(self):
        self.cytoskel("cpgstaging", "up")
        clean = self.cytoskel("cpgstaging", "status")
        self.assertTrue(clean.stdout.endswith(": in sync.\n"))

        self.iam.detach_group_policy(GroupName=GROUP, PolicyArn=POLICY_ARN)
        drift = self.cytoskel("cpgstaging", "status", expect=3)
        self.assertIn(
            "  group staging_cpg_uploaders: policy "
            "staging_cpg_creds_data_access is not attached to group "
            "staging_cpg_uploaders; `up` will reattach it\n", drift.stdout)
        report = json.loads(self.cytoskel("cpgstaging", "status", "--output",
                                          "json", expect=3).stdout)
        self.assertFalse(report["in_sync"])
        self.assertEqual([d["kind"] for d in report["differences"]],
                         ["group"])
        # status reads only.
        self.assertEqual(self.iam.list_attached_group_policies(
            GroupName=GROUP)["AttachedPolicies"], [])

        self.cytoskel("cpgstaging", "up")
        self.cytoskel("cpgstaging", "status")
        self.assert_stack_is_up()

    def test_adopts_resources_the_first_version_made(self):
        # The first version's layout: same names, a bucket-prefix wildcard
        # and a one-action policy.
        self.s3.create_bucket(Bucket=BUCKET)
        old_policy = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "s3:GetDataAccess",
            "Resource": INSTANCE_ARN}]}
        self.iam.create_policy(PolicyName="staging_cpg_creds_data_access",
                               PolicyDocument=json.dumps(old_policy))
        self.iam.create_group(GroupName=GROUP)

        result = self.cytoskel("cpgstaging", "up")
        self.assertIn(f"  update     bucket {BUCKET}", result.stdout)
        self.assertIn("  update     policy staging_cpg_creds_data_access",
                      result.stdout)
        self.assert_stack_is_up()
        self.assertEqual(len(self.iam.list_policies(Scope="Local")
                             ["Policies"]), 1)
        self.assertEqual(len(self.iam.list_groups()["Groups"]), 1)

    def test_destroy_then_up(self):
        self.cytoskel("cpgstaging", "up")
        refused = self.cytoskel("cpgstaging", "destroy", expect=252)
        self.assertIn("pass --yes", refused.stderr)
        self.assert_stack_is_up()

        dry = self.cytoskel("cpgstaging", "destroy", "--dry-run")
        self.assertIn("Dry run:", dry.stdout)
        self.assert_stack_is_up()

        self.cytoskel("cpgstaging", "destroy", "--yes")
        self.assertEqual(self.iam.list_roles()["Roles"], [])
        self.assertEqual(self.iam.list_groups()["Groups"], [])
        self.assertEqual(self.iam.list_policies(Scope="Local")["Policies"],
                         [])
        with self.assertRaises(self.s3control.exceptions.ClientError):
            self.s3control.get_access_grants_instance(AccountId=ACCOUNT)
        # The bucket stays without --delete-bucket.
        self.s3.head_bucket(Bucket=BUCKET)

        again = self.cytoskel("cpgstaging", "destroy", "--yes")
        self.assertIn("Nothing to destroy.", again.stdout)

        self.cytoskel("cpgstaging", "up")
        self.assert_stack_is_up()

    def test_destroy_never_deletes_a_bucket_holding_objects(self):
        self.cytoskel("cpgstaging", "up")
        self.s3.put_object(Bucket=BUCKET, Key="cpg0001/a.txt", Body=b"x")
        result = self.cytoskel("cpgstaging", "destroy", "--yes",
                               "--delete-bucket", expect=252)
        self.assertIn("holds objects", result.stderr)
        self.assert_stack_is_up()

    def test_account_guard_refuses_another_account(self):
        config = os.path.join(self.emulator.home, "cytoskel.toml")
        with open(config, "w") as f:
            f.write('[stacks.cpgstaging]\naccount_id = "999999999999"\n')
        self.env["CYTOSKEL_CONFIG"] = config
        for args in (["up"], ["destroy", "--yes"]):
            with self.subTest(args=args):
                result = self.cytoskel("cpgstaging", *args, expect=252)
                self.assertIn("stack cpgstaging belongs to account "
                              "999999999999, but the credentials in use are "
                              "for account 123456789012", result.stderr)
        self.assertEqual(self.iam.list_roles()["Roles"], [])

    def test_list_location_before_up_says_what_to_do(self):
        result = self.cytoskel("cpgstaging", "list", "location", expect=254)
        self.assertIn("run `cytoskel cpgstaging up` first", result.stderr)

    def test_list_location_json_and_table(self):
        self.cytoskel("cpgstaging", "up")
        listed = json.loads(self.cytoskel("cpgstaging", "list", "location",
                                          "--output", "json").stdout)
        self.assertEqual(listed[0]["LocationScope"], f"s3://{BUCKET}/")
        table = self.cytoskel("cpgstaging", "list", "location", "--output",
                              "table").stdout.splitlines()
        self.assertTrue(table[0].startswith("ID"))
        self.assertIn(f"s3://{BUCKET}/", table[2])


if __name__ == "__main__":
    unittest.main()
