"""Least privilege, checked on what `cytoskel cpgstaging up` really creates.

The policies are read back with boto3 (straight from the emulator) and
held to product.md's rules:
- uploaders get only s3:GetDataAccess, s3:ListCallerAccessGrants and
  s3:GetAccessGrantsInstanceForPrefix, only on the instance ARN;
- the location role trusts only access-grants.s3.amazonaws.com, only under
  aws:SourceAccount (this account) and aws:SourceArn (this instance);
- its inline policy names the bucket exactly: no wildcard in a bucket name,
  so `staging-cellpainting-gallery-other` is out of reach.
A contributor's own key is then shown to be refused everything else.
"""

import unittest

from botocore.exceptions import ClientError

from tests.e2e.cytoskel_run import run
from tests.faults.scenario import (ACCOUNT, BUCKET, GROUP, INSTANCE_ARN,
                                   POLICY_ARN, ROLE, ROLE_POLICY, created_key)
from tests.emulator.harness import Credentials, Emulator

UPLOADER_ACTIONS = {"s3:GetDataAccess", "s3:ListCallerAccessGrants",
                    "s3:GetAccessGrantsInstanceForPrefix"}
TRUSTED_SERVICE = "access-grants.s3.amazonaws.com"
TRUST_ACTIONS = {"sts:AssumeRole", "sts:SetSourceIdentity", "sts:SetContext"}
BUCKET_ARNS = {f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"}


def as_list(value):
    return value if isinstance(value, list) else [value]


class LeastPrivilegeTest(unittest.TestCase):
    """One `up` for the whole class; the tests only read."""

    @classmethod
    def setUpClass(cls):
        cls.emulator = Emulator().start()
        cls.env = {"HOME": str(cls.emulator.home), "AWS_PROFILE": "CPG",
                   "PATH": "/usr/bin:/bin"}
        result = run(["cpgstaging", "up"], cls.env)
        if result.returncode != 0:
            cls.emulator.stop()
            raise AssertionError(f"up failed: {result.stderr}")
        cls.iam = cls.emulator.client("iam")

    @classmethod
    def tearDownClass(cls):
        cls.emulator.stop()

    def statements(self, document):
        statements = as_list(document["Statement"])
        for statement in statements:
            self.assertEqual(statement["Effect"], "Allow", statement)
            for loose in ("NotAction", "NotResource", "NotPrincipal"):
                self.assertNotIn(loose, statement)
        return statements

    def test_uploaders_get_only_the_three_actions_on_the_instance(self):
        policy = self.iam.get_policy(PolicyArn=POLICY_ARN)["Policy"]
        document = self.iam.get_policy_version(
            PolicyArn=POLICY_ARN, VersionId=policy["DefaultVersionId"])[
                "PolicyVersion"]["Document"]
        actions = set()
        for statement in self.statements(document):
            actions.update(as_list(statement["Action"]))
            self.assertEqual(as_list(statement["Resource"]), [INSTANCE_ARN])
        self.assertEqual(actions, UPLOADER_ACTIONS)

    def test_the_uploader_group_holds_that_policy_and_nothing_else(self):
        attached = self.iam.list_attached_group_policies(GroupName=GROUP)
        self.assertEqual(
            [p["PolicyArn"] for p in attached["AttachedPolicies"]],
            [POLICY_ARN])
        self.assertEqual(self.iam.list_group_policies(GroupName=GROUP)
                         ["PolicyNames"], [])

    def test_the_role_trusts_only_access_grants_for_this_instance(self):
        role = self.iam.get_role(RoleName=ROLE)["Role"]
        for statement in self.statements(role["AssumeRolePolicyDocument"]):
            self.assertEqual(statement["Principal"],
                             {"Service": TRUSTED_SERVICE})
            self.assertLessEqual(set(as_list(statement["Action"])),
                                 TRUST_ACTIONS)
            conditions = statement["Condition"]
            self.assertEqual(conditions["StringEquals"],
                             {"aws:SourceAccount": ACCOUNT})
            self.assertEqual(conditions["ArnEquals"],
                             {"aws:SourceArn": INSTANCE_ARN})
            self.assertEqual(set(conditions), {"StringEquals", "ArnEquals"})
        self.assertEqual(role["MaxSessionDuration"], 43200)

    def test_the_role_reaches_exactly_the_bucket(self):
        self.assertEqual(self.iam.list_role_policies(RoleName=ROLE)
                         ["PolicyNames"], [ROLE_POLICY])
        self.assertEqual(self.iam.list_attached_role_policies(RoleName=ROLE)
                         ["AttachedPolicies"], [])
        document = self.iam.get_role_policy(
            RoleName=ROLE, PolicyName=ROLE_POLICY)["PolicyDocument"]
        resources = set()
        for statement in self.statements(document):
            for resource in as_list(statement["Resource"]):
                bucket = resource.removeprefix("arn:aws:s3:::").split("/")[0]
                self.assertEqual(bucket, BUCKET, resource)  # no "BUCKET*"
                resources.add(resource)
            for action in as_list(statement["Action"]):
                self.assertTrue(action.startswith("s3:"), action)
                self.assertNotIn("*", action)
            conditions = statement.get("Condition", {})
            keys = {key for block in conditions.values() for key in block}
            self.assertIn("aws:ResourceAccount", keys, statement)
            self.assertIn("s3:AccessGrantsInstanceArn", keys, statement)
        self.assertEqual(resources, BUCKET_ARNS)

    def test_a_contributor_key_is_refused_everything_else(self):
        result = run(["cpgstaging", "create", "user", "lp-contributor"],
                     self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        key = created_key(result.stdout)
        contributor = Credentials(key["AccessKeyId"], key["SecretAccessKey"])
        refused = {
            "s3 ListBuckets": lambda: self.emulator.client(
                "s3", contributor).list_buckets(),
            "s3 ListObjectsV2": lambda: self.emulator.client(
                "s3", contributor).list_objects_v2(Bucket=BUCKET),
            "iam ListUsers": lambda: self.emulator.client(
                "iam", contributor).list_users(),
            "s3control ListAccessGrants": lambda: self.emulator.client(
                "s3control", contributor).list_access_grants(
                    AccountId=ACCOUNT),
        }
        for name, call in refused.items():
            with self.subTest(call=name):
                with self.assertRaises(ClientError) as caught:
                    call()
                self.assertIn(caught.exception.response["Error"]["Code"],
                              ("AccessDenied", "AccessDeniedException"))
        allowed = self.emulator.client("s3control", contributor)
        allowed.list_caller_access_grants(AccountId=ACCOUNT)


if __name__ == "__main__":
    unittest.main()
