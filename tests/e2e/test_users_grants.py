"""`cytoskel cpgstaging list/create/delete user` and `... grant` against the
emulator: every output line of the seed byte for byte, the richer outputs,
each refusal, and the account checked with boto3 rather than with cytoskel's
own listings."""

import configparser
import json
import os
import stat
import tempfile
import unittest

from botocore.exceptions import ClientError

from tests.e2e.cytoskel_run import clean_env, run
from tests.emulator.harness import (ACCOUNT_ID, Credentials, Emulator,
                                    INSTANCE_ARN)

BUCKET = "staging-cellpainting-gallery"
GROUP = "staging_cpg_uploaders"
POLICY = "staging_cpg_creds_data_access"
ROLE = "cpg_staging_access_grant_location_role"
MANAGED = {"Key": "managed-by", "Value": "cytoskel"}
USER_ARN = f"arn:aws:iam::{ACCOUNT_ID}:user/"
KEY_FIELDS = ["UserName", "AccessKeyId", "Status", "SecretAccessKey",
              "CreateDate"]


def set_up_stack_with_boto3(emulator):
    """What `cytoskel cpgstaging up` makes, made with boto3: the fallback
    while `up` is not usable."""
    emulator.client("s3").create_bucket(Bucket=BUCKET)
    s3control = emulator.client("s3control")
    s3control.create_access_grants_instance(AccountId=ACCOUNT_ID)
    iam = emulator.client("iam")
    policy = iam.create_policy(PolicyName=POLICY, PolicyDocument=json.dumps(
        emulator.policy(["s3:GetDataAccess", "s3:ListCallerAccessGrants",
                         "s3:GetAccessGrantsInstanceForPrefix"],
                        INSTANCE_ARN)))["Policy"]["Arn"]
    iam.create_group(GroupName=GROUP)
    iam.attach_group_policy(GroupName=GROUP, PolicyArn=policy)
    role = emulator.create_location_role(ROLE, BUCKET)
    s3control.create_access_grants_location(
        AccountId=ACCOUNT_ID, LocationScope=f"s3://{BUCKET}/",
        IAMRoleArn=role)


class UsersAndGrantsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emulator = Emulator()
        cls.emulator.start()
        cls.env = clean_env(HOME=str(cls.emulator.home), AWS_PROFILE="CPG")
        cls.scratch = tempfile.TemporaryDirectory()
        up = run(["cpgstaging", "up"], cls.env)
        if up.returncode != 0:
            print(f"warning: `cytoskel cpgstaging up` failed ({up.stderr}); "
                  "setting the stack up with boto3")
            set_up_stack_with_boto3(cls.emulator)
        cls.iam = cls.emulator.client("iam")
        cls.s3control = cls.emulator.client("s3control")
        locations = cls.s3control.list_access_grants_locations(
            AccountId=ACCOUNT_ID)["AccessGrantsLocationsList"]
        cls.location = next(
            entry["AccessGrantsLocationId"] for entry in locations
            if entry["LocationScope"] == f"s3://{BUCKET}/")

    @classmethod
    def tearDownClass(cls):
        cls.emulator.stop()
        cls.scratch.cleanup()

    # ---- helpers ----------------------------------------------------------

    def cytoskel(self, *args, env=None):
        return run(list(args), env or self.env)

    def ok(self, *args):
        result = self.cytoskel(*args)
        self.assertEqual(result.returncode, 0,
                         f"{args}: {result.stdout}{result.stderr}")
        return result

    def refused(self, code, *args, env=None):
        result = self.cytoskel(*args, env=env)
        self.assertEqual(result.returncode, code,
                         f"{args}: {result.stdout}{result.stderr}")
        self.assertEqual(result.stdout, "")
        self.assertTrue(result.stderr.startswith("cytoskel: error: "),
                        result.stderr)
        return result

    def create_user(self, name):
        """`create user NAME`; returns the key printed on the Creds line."""
        result = self.ok("cpgstaging", "create", "user", name)
        lines = result.stdout.split("\n")
        self.assertEqual(lines[0], f"Created user ARN: {USER_ARN}{name}")
        self.assertTrue(lines[1].startswith("Creds: {"), lines[1])
        self.assertEqual(lines[2:], [""])
        return json.loads(lines[1][len("Creds: "):])

    def user_exists(self, name):
        try:
            self.iam.get_user(UserName=name)
            return True
        except ClientError as error:
            self.assertEqual(error.response["Error"]["Code"], "NoSuchEntity")
            return False

    def group_members(self):
        pages = self.iam.get_paginator("get_group").paginate(GroupName=GROUP)
        return sorted(user["Arn"] for page in pages for user in page["Users"])

    def all_users(self):
        pages = self.iam.get_paginator("list_users").paginate()
        return sorted(user["Arn"] for page in pages for user in page["Users"])

    def grants(self, **filters):
        found, token = [], None
        while True:
            page = self.s3control.list_access_grants(
                AccountId=ACCOUNT_ID, **filters,
                **({"NextToken": token} if token else {}))
            found += page.get("AccessGrantsList", [])
            token = page.get("NextToken")
            if not token:
                return found

    def grants_of(self, arn):
        return self.grants(GranteeType="IAM", GranteeIdentifier=arn)

    def grant_id(self, arn):
        return arn.rsplit("/", 1)[1]

    def path(self, name):
        return os.path.join(self.scratch.name, name)

    def no_aws_env(self):
        """An environment without any credentials: a command that still
        exits 252 in it refused its input before any AWS call."""
        return clean_env(HOME=self.scratch.name, AWS_REGION="us-east-1",
                         AWS_CONFIG_FILE="/nonexistent/config",
                         AWS_SHARED_CREDENTIALS_FILE="/nonexistent/creds",
                         AWS_EC2_METADATA_DISABLED="true",
                         AWS_ENDPOINT_URL="http://127.0.0.1:9")

    # ---- create user ------------------------------------------------------

    def test_create_user_prints_a_working_key_and_joins_the_group(self):
        key = self.create_user("alice")

        self.assertEqual(list(key), KEY_FIELDS)
        self.assertEqual(key["UserName"], "alice")
        self.assertEqual(key["Status"], "Active")
        user = self.iam.get_user(UserName="alice")["User"]
        self.assertIn(MANAGED, user["Tags"])
        groups = self.iam.list_groups_for_user(UserName="alice")["Groups"]
        self.assertEqual([g["GroupName"] for g in groups], [GROUP])
        keys = self.iam.list_access_keys(UserName="alice")
        self.assertEqual([k["AccessKeyId"] for k in keys["AccessKeyMetadata"]],
                         [key["AccessKeyId"]])
        identity = self.emulator.client("sts", Credentials(
            key["AccessKeyId"], key["SecretAccessKey"])).get_caller_identity()
        self.assertEqual(identity["Arn"], f"{USER_ARN}alice")
        self.assertIn(f"{USER_ARN}alice",
                      self.ok("cpgstaging", "list", "user").stdout.split())

    def test_create_user_writes_a_0600_credentials_file(self):
        path = self.path("bob.credentials")
        with open(path, "w") as old:
            old.write("[old]\naws_access_key_id = stale\n")
        os.chmod(path, 0o644)

        result = self.ok("cpgstaging", "create", "user", "bob",
                         "--credentials-file", path)

        self.assertEqual(result.stdout,
                         f"Created user ARN: {USER_ARN}bob\n"
                         f"Creds: written to {path}\n")
        self.assertEqual(stat.S_IMODE(os.lstat(path).st_mode), 0o600)
        parser = configparser.ConfigParser()
        parser.read(path)
        self.assertEqual(parser.sections(), ["bob"])
        key_id = parser["bob"]["aws_access_key_id"]
        secret = parser["bob"]["aws_secret_access_key"]
        self.assertNotIn(secret, result.stdout + result.stderr)
        self.assertEqual(
            [k["AccessKeyId"] for k in
             self.iam.list_access_keys(UserName="bob")["AccessKeyMetadata"]],
            [key_id])
        identity = self.emulator.client(
            "sts", Credentials(key_id, secret)).get_caller_identity()
        self.assertEqual(identity["Arn"], f"{USER_ARN}bob")
        leftovers = [name for name in os.listdir(self.scratch.name)
                     if name.startswith(".bob.credentials")]
        self.assertEqual(leftovers, [])

    def test_create_user_refuses_a_symlinked_credentials_file(self):
        target = self.path("target")
        link = self.path("link")
        os.symlink(target, link)
        try:
            result = self.refused(252, "cpgstaging", "create", "user",
                                  "carol", "--credentials-file", link)
        finally:
            os.unlink(link)
        self.assertIn("symbolic link", result.stderr)
        self.assertFalse(os.path.exists(target))
        self.assertFalse(self.user_exists("carol"))

    def test_create_user_twice_names_rotate_key(self):
        self.create_user("dave")

        result = self.refused(252, "cpgstaging", "create", "user", "dave")

        self.assertIn("rotate-key", result.stderr)
        self.assertEqual(len(self.iam.list_access_keys(
            UserName="dave")["AccessKeyMetadata"]), 1)

    def test_create_user_refuses_a_user_it_did_not_make(self):
        self.iam.create_user(UserName="erin")

        result = self.refused(252, "cpgstaging", "create", "user", "erin")

        self.assertIn("not managed by cytoskel", result.stderr)
        self.assertEqual(self.iam.list_access_keys(
            UserName="erin")["AccessKeyMetadata"], [])
        self.assertEqual(self.iam.list_groups_for_user(
            UserName="erin")["Groups"], [])

    def test_create_user_completes_a_run_that_died_half_way(self):
        # What a run killed right after CreateUser leaves behind.
        self.iam.create_user(UserName="frank", Tags=[MANAGED])

        key = self.create_user("frank")

        self.assertEqual(
            [g["GroupName"] for g in
             self.iam.list_groups_for_user(UserName="frank")["Groups"]],
            [GROUP])
        self.assertEqual(
            [k["AccessKeyId"] for k in
             self.iam.list_access_keys(UserName="frank")["AccessKeyMetadata"]],
            [key["AccessKeyId"]])

    def test_create_user_json(self):
        result = self.ok("--output", "json", "cpgstaging", "create", "user",
                         "gina")
        created = json.loads(result.stdout)
        self.assertEqual(created["Arn"], f"{USER_ARN}gina")
        self.assertEqual(created["Resumed"], False)
        self.assertEqual(created["AccessKey"]["UserName"], "gina")
        self.assertIn("SecretAccessKey", created["AccessKey"])

    # ---- list user --------------------------------------------------------

    def test_list_user_shows_group_members_and_all_shows_every_user(self):
        for i in range(105):
            self.iam.create_user(UserName=f"member{i:03}")
            self.iam.add_user_to_group(GroupName=GROUP,
                                       UserName=f"member{i:03}")
        for i in range(3):
            self.iam.create_user(UserName=f"outsider{i}")

        members = self.ok("cpgstaging", "list", "user").stdout
        everyone = self.ok("cpgstaging", "list", "user", "--all").stdout

        self.assertTrue(members.endswith("\n"))
        self.assertEqual(sorted(members.splitlines()), self.group_members())
        self.assertGreaterEqual(len(members.splitlines()), 105)
        self.assertNotIn(f"{USER_ARN}outsider0", members.splitlines())
        self.assertEqual(sorted(everyone.splitlines()), self.all_users())
        self.assertIn(f"{USER_ARN}outsider0", everyone.splitlines())

    def test_list_user_json_and_table(self):
        self.create_user("hana")

        users = json.loads(self.ok("cpgstaging", "list", "user", "--output",
                                   "json").stdout)
        table = self.ok("cpgstaging", "list", "user", "--output",
                        "table").stdout.splitlines()

        hana = next(u for u in users if u["UserName"] == "hana")
        self.assertEqual(hana["Arn"], f"{USER_ARN}hana")
        self.assertTrue(hana["CreateDate"])
        self.assertEqual(table[0].split(), ["NAME", "ARN", "CREATED"])
        self.assertTrue(set(table[1]) <= {"-", " "})
        row = next(line for line in table if line.startswith("hana "))
        self.assertEqual(row.split()[1], f"{USER_ARN}hana")

    def test_list_user_before_up_says_what_to_do(self):
        with Emulator() as fresh:
            result = self.refused(
                254, "cpgstaging", "list", "user",
                env=clean_env(HOME=str(fresh.home), AWS_PROFILE="CPG"))
        self.assertIn("the stack is not set up: run `cytoskel cpgstaging up` "
                      "first", result.stderr)

    # ---- create grant -----------------------------------------------------

    def test_create_grant_by_arn_then_by_name_and_any_prefix_form(self):
        self.create_user("ivan")
        arn = f"{USER_ARN}ivan"

        created = self.ok("cpgstaging", "create", "grant", arn,
                          self.location, "cpg0001-ivan")
        self.assertTrue(created.stdout.startswith("Created grant with ARN: "))
        self.assertEqual(created.stdout.count("\n"), 1)
        grant_arn = created.stdout.strip()[len("Created grant with ARN: "):]
        grant = self.s3control.get_access_grant(
            AccountId=ACCOUNT_ID, AccessGrantId=self.grant_id(grant_arn))
        self.assertEqual(grant["AccessGrantArn"], grant_arn)
        self.assertEqual(
            grant["AccessGrantsLocationConfiguration"]["S3SubPrefix"],
            "cpg0001-ivan/*")
        self.assertEqual(grant["Permission"], "READWRITE")
        self.assertEqual(grant["Grantee"],
                         {"GranteeType": "IAM", "GranteeIdentifier": arn})
        self.assertEqual(grant["GrantScope"],
                         f"s3://{BUCKET}/cpg0001-ivan/*")

        for grantee in (arn, "ivan"):
            for prefix in ("cpg0001-ivan", "cpg0001-ivan/", "cpg0001-ivan/*"):
                with self.subTest(grantee=grantee, prefix=prefix):
                    again = self.ok("cpgstaging", "create", "grant", grantee,
                                    self.location, prefix)
                    self.assertEqual(
                        again.stdout,
                        f"Grant already exists with ARN: {grant_arn}\n")
        self.assertEqual(len(self.grants_of(arn)), 1)

        read = self.ok("cpgstaging", "create", "grant", "ivan",
                       self.location, "cpg0002-other/", "--permission",
                       "read")
        read_id = self.grant_id(read.stdout.strip().split(": ")[1])
        self.assertEqual(self.s3control.get_access_grant(
            AccountId=ACCOUNT_ID, AccessGrantId=read_id)["Permission"], "READ")
        self.assertEqual(len(self.grants_of(arn)), 2)

    def test_create_grant_uses_the_arn_with_the_users_path(self):
        arn = self.iam.create_user(UserName="judy", Path="/labs/",
                                   Tags=[MANAGED])["User"]["Arn"]
        self.assertEqual(arn, f"{USER_ARN}labs/judy")

        self.ok("cpgstaging", "create", "grant", "judy", self.location,
                "cpg0003-judy")
        wrong = self.refused(252, "cpgstaging", "create", "grant",
                             f"{USER_ARN}judy", self.location, "cpg0004-judy")

        self.assertEqual(len(self.grants_of(arn)), 1)
        self.assertIn(arn, wrong.stderr)

    def test_create_grant_refuses_bad_input_before_any_call(self):
        before = len(self.grants())
        cases = [
            ("ivan", self.location, "*"),
            ("ivan", self.location, "cpg0001*"),
            ("ivan", self.location, "cpg*/x"),
            ("ivan", self.location, "/cpg0001"),
            ("bad name", self.location, "cpg0001"),
            ("arn:aws:iam::123:user/x", self.location, "cpg0001"),
            ("ivan", "not/an/id", "cpg0001"),
        ]
        for grantee, location, prefix in cases:
            with self.subTest(grantee=grantee, prefix=prefix):
                self.refused(252, "cpgstaging", "create", "grant", grantee,
                             location, prefix, env=self.no_aws_env())
                self.refused(252, "cpgstaging", "create", "grant", grantee,
                             location, prefix)
        self.refused(252, "cpgstaging", "create", "grant", "ivan",
                     self.location, "x", "--permission", "ALL",
                     env=self.no_aws_env())
        self.assertEqual(len(self.grants()), before)

    def test_create_grant_for_unknown_user_or_location(self):
        self.create_user("kate")
        no_user = self.refused(254, "cpgstaging", "create", "grant", "nobody",
                               self.location, "cpg0005")
        no_location = self.refused(254, "cpgstaging", "create", "grant",
                                   "kate", "0000-no-such-location", "cpg0005")
        self.assertIn("there is no IAM user named nobody", no_user.stderr)
        self.assertIn("there is no Access Grants location with ID "
                      "0000-no-such-location", no_location.stderr)
        self.assertEqual(self.grants_of(f"{USER_ARN}kate"), [])

    # ---- list grant and delete grant --------------------------------------

    def test_list_grant_then_delete_grant(self):
        self.create_user("liam")
        created = self.ok("cpgstaging", "create", "grant", "liam",
                          self.location, "cpg0006-liam")
        grant_id = self.grant_id(created.stdout.strip())

        listed = self.ok("cpgstaging", "list", "grant").stdout
        self.assertTrue(listed.endswith("\n"))
        self.assertEqual(sorted(listed.splitlines()),
                         sorted(g["AccessGrantId"] for g in self.grants()))
        as_json = json.loads(self.ok("cpgstaging", "list", "grant",
                                     "--output", "json").stdout)
        entry = next(g for g in as_json if g["GrantId"] == grant_id)
        self.assertEqual(entry["GranteeUserName"], "liam")
        self.assertEqual(entry["GranteeIdentifier"], f"{USER_ARN}liam")
        self.assertEqual(entry["S3SubPrefix"], "cpg0006-liam/*")
        self.assertEqual(entry["GrantScope"], f"s3://{BUCKET}/cpg0006-liam/*")
        self.assertEqual(entry["Permission"], "READWRITE")
        self.assertTrue(entry["CreatedAt"])
        table = self.ok("cpgstaging", "list", "grant", "--output",
                        "table").stdout.splitlines()
        self.assertEqual(table[0].split(),
                         ["ID", "GRANTEE", "SCOPE", "PERMISSION", "CREATED"])
        row = next(line for line in table if line.startswith(grant_id))
        self.assertEqual(row.split()[1:4], [
            "liam", f"s3://{BUCKET}/cpg0006-liam/*", "READWRITE"])

        deleted = self.ok("cpgstaging", "delete", "grant", grant_id)
        self.assertEqual(deleted.stdout,
                         f"Deleted grant with ID: {grant_id}\n")
        with self.assertRaises(ClientError) as gone:
            self.s3control.get_access_grant(AccountId=ACCOUNT_ID,
                                            AccessGrantId=grant_id)
        self.assertEqual(gone.exception.response["Error"]["Code"],
                         "NoSuchAccessGrantError")

        again = self.refused(254, "cpgstaging", "delete", "grant", grant_id)
        self.assertIn(f"there is no access grant with ID {grant_id}",
                      again.stderr)
        self.refused(252, "cpgstaging", "delete", "grant", "../x",
                     env=self.no_aws_env())

    # ---- delete user ------------------------------------------------------

    def test_delete_user_removes_everything_iam_requires_and_its_grants(self):
        self.create_user("mona")
        arn = f"{USER_ARN}mona"
        self.ok("cpgstaging", "create", "grant", "mona", self.location,
                "cpg0007-mona")
        self.ok("cpgstaging", "create", "grant", arn, self.location,
                "cpg0008-mona", "--permission", "READ")
        self.iam.create_access_key(UserName="mona")
        self.iam.create_login_profile(UserName="mona",
                                      Password="Correct-Horse-9-Battery")
        inline = self.emulator.policy(["s3:ListBucket"], "*")
        self.iam.put_user_policy(UserName="mona", PolicyName="inline",
                                 PolicyDocument=json.dumps(inline))
        extra = self.iam.create_policy(
            PolicyName="mona-extra", PolicyDocument=json.dumps(
                self.emulator.policy(["s3:GetObject"], "*")))["Policy"]["Arn"]
        self.iam.attach_user_policy(UserName="mona", PolicyArn=extra)
        self.iam.create_group(GroupName="mona-extra-group")
        self.iam.add_user_to_group(GroupName="mona-extra-group",
                                   UserName="mona")
        self.iam.upload_ssh_public_key(
            UserName="mona", SSHPublicKeyBody=(
                "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDBm4bA7s6OQq0LVyNJXZ5r"
                "W9W0uv5p1h4Ws0OaNzRy4sVz6rt4Hkb3h0O1wCz3u5Bq5QzW8d5Gf7nF2Zs"
                "mona@example"))
        mfa = self.iam.create_virtual_mfa_device(
            VirtualMFADeviceName="mona-mfa")["VirtualMFADevice"]
        self.iam.enable_mfa_device(UserName="mona",
                                   SerialNumber=mfa["SerialNumber"],
                                   AuthenticationCode1="123456",
                                   AuthenticationCode2="654321")
        self.assertEqual(len(self.grants_of(arn)), 2)

        result = self.ok("cpgstaging", "delete", "user", "mona")

        self.assertEqual(result.stdout,
                         "User with username: mona is deleted\n")
        self.assertFalse(self.user_exists("mona"))
        self.assertEqual(self.grants_of(arn), [])
        self.assertEqual(self.iam.get_group(
            GroupName="mona-extra-group")["Users"], [])
        self.assertEqual(self.iam.get_policy(
            PolicyArn=extra)["Policy"]["AttachmentCount"], 0)
        self.assertNotIn(mfa["SerialNumber"], [
            device["SerialNumber"] for device in
            self.iam.list_virtual_mfa_devices()["VirtualMFADevices"]])
        self.assertIn("deleted virtual MFA device", result.stderr)

    def test_delete_user_refuses_an_unmanaged_user_without_force(self):
        self.iam.create_user(UserName="nina")
        self.iam.create_access_key(UserName="nina")

        refused = self.refused(252, "cpgstaging", "delete", "user", "nina")

        self.assertIn("--force", refused.stderr)
        self.assertTrue(self.user_exists("nina"))
        self.assertEqual(len(self.iam.list_access_keys(
            UserName="nina")["AccessKeyMetadata"]), 1)

        forced = self.ok("cpgstaging", "delete", "user", "nina", "--force")
        self.assertEqual(forced.stdout,
                         "User with username: nina is deleted\n")
        self.assertFalse(self.user_exists("nina"))

    def test_delete_user_accepts_a_group_member_without_the_tag(self):
        # The first version made users without tags; membership is enough.
        self.iam.create_user(UserName="oscar")
        self.iam.add_user_to_group(GroupName=GROUP, UserName="oscar")

        result = self.ok("cpgstaging", "delete", "user", "oscar")

        self.assertEqual(result.stdout,
                         "User with username: oscar is deleted\n")
        self.assertFalse(self.user_exists("oscar"))

    def test_delete_unknown_user(self):
        result = self.refused(254, "cpgstaging", "delete", "user", "ghost")
        self.assertIn("there is no IAM user named ghost", result.stderr)

    def test_delete_user_json(self):
        self.create_user("paul")
        result = self.ok("--output", "json", "cpgstaging", "delete", "user",
                         "paul")
        deleted = json.loads(result.stdout)
        self.assertEqual(deleted["UserName"], "paul")
        self.assertEqual(deleted["DeletedGrantIds"], [])

    def test_invalid_names_are_refused_before_any_call(self):
        for args in (["create", "user", "no spaces"],
                     ["create", "user", "x" * 65],
                     ["create", "user", "slash/y"],
                     ["delete", "user", "a:b"],
                     ["create", "user"],
                     ["delete", "grant"]):
            with self.subTest(args=args):
                self.refused(252, "cpgstaging", *args, env=self.no_aws_env())


if __name__ == "__main__":
    unittest.main()
