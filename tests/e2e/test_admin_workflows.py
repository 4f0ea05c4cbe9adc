"""`cytoskel cpgstaging onboard`, `rotate-key`, `offboard` and `audit`
against the emulator, with the account checked through boto3 and every key
tried for real (STS GetCallerIdentity) rather than trusted from cytoskel's
own output."""

import configparser
import json
import os
import stat
import subprocess
import tempfile
import unittest

import botocore.configloader
from botocore.exceptions import ClientError

from tests.e2e.cytoskel_run import BINARY, clean_env
from tests.emulator.harness import ACCOUNT_ID, Credentials, Emulator

BUCKET = "staging-cellpainting-gallery"
GROUP = "staging_cpg_uploaders"
SCOPE = f"s3://{BUCKET}/"
USER_ARN = f"arn:aws:iam::{ACCOUNT_ID}:user/"


def run(args, env, cwd=None):
    """Runs cytoskel with stdin closed (so it never sees a terminal and
    never asks) and returns the CompletedProcess (text mode)."""
    return subprocess.run([BINARY] + list(args), env=env, cwd=cwd,
                          stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=300)


def start_stack(target):
    """Starts an emulator, runs `cytoskel cpgstaging up` on it and sets the
    attributes the tests use on `target` (a test class or instance)."""
    target.emulator = Emulator().start()
    target.env = clean_env(HOME=str(target.emulator.home), AWS_PROFILE="CPG")
    target.scratch = tempfile.TemporaryDirectory()
    up = run(["cpgstaging", "up"], target.env)
    if up.returncode != 0:
        target.emulator.stop()
        raise RuntimeError(f"cytoskel cpgstaging up failed: {up.stderr}")
    target.iam = target.emulator.client("iam")
    target.s3control = target.emulator.client("s3control")
    locations = target.s3control.list_access_grants_locations(
        AccountId=ACCOUNT_ID)["AccessGrantsLocationsList"]
    target.location = next(entry["AccessGrantsLocationId"]
                           for entry in locations
                           if entry["LocationScope"] == SCOPE)


def stop_stack(target):
    target.emulator.stop()
    target.scratch.cleanup()


class StackHelpers:
    """What the tests of this file share: running cytoskel, and reading the
    account and the keys back through boto3."""

    def cytoskel(self, *args, expect=0, env=None, cwd=None):
        result = run(args, env or self.env, cwd=cwd)
        self.assertEqual(result.returncode, expect,
                         f"{args}: {result.stdout}\n{result.stderr}")
        return result

    def path(self, name):
        return os.path.join(self.scratch.name, name)

    def keys(self, name):
        """{key id: status} of user `name`, from IAM."""
        listed = self.iam.list_access_keys(UserName=name)["AccessKeyMetadata"]
        return {key["AccessKeyId"]: key["Status"] for key in listed}

    def grants_of(self, name):
        found, token = [], None
        while True:
            page = self.s3control.list_access_grants(
                AccountId=ACCOUNT_ID, GranteeType="IAM",
                GranteeIdentifier=USER_ARN + name,
                **({"NextToken": token} if token else {}))
            found += page.get("AccessGrantsList", [])
            token = page.get("NextToken")
            if not token:
                return found

    def user_exists(self, name):
        try:
            self.iam.get_user(UserName=name)
            return True
        except ClientError as error:
            self.assertEqual(error.response["Error"]["Code"], "NoSuchEntity")
            return False

    def profile(self, path, name):
        """The key pair of profile [name] in the credentials file `path`, as
        botocore itself parses the file."""
        section = botocore.configloader.raw_config_parse(path)[name]
        return Credentials(section["aws_access_key_id"],
                           section["aws_secret_access_key"])

    def caller_arn(self, credentials):
        """The ARN STS sees for `credentials` (raises ClientError when the
        key does not work)."""
        sts = self.emulator.client("sts", credentials)
        return sts.get_caller_identity()["Arn"]

    def assert_key_refused(self, credentials):
        with self.assertRaises(ClientError) as caught:
            self.caller_arn(credentials)
        self.assertEqual(caught.exception.response["Error"]["Code"],
                         "InvalidClientTokenId")

    def onboard(self, name, *prefixes, extra=()):
        """`onboard NAME --prefix ...` writing PATH/NAME.credentials; returns
        (result, path)."""
        path = self.path(f"{name}.credentials")
        args = ["cpgstaging", "onboard", name, "--credentials-file", path]
        for prefix in prefixes:
            args += ["--prefix", prefix]
        return self.cytoskel(*args, *extra), path

    def no_aws_env(self):
        """An environment without credentials or a reachable endpoint: a
        command exiting 252 in it refused its input before any AWS call."""
        return clean_env(HOME=self.scratch.name, AWS_REGION="us-east-1",
                         AWS_CONFIG_FILE="/nonexistent/config",
                         AWS_SHARED_CREDENTIALS_FILE="/nonexistent/creds",
                         AWS_EC2_METADATA_DISABLED="true",
                         AWS_ENDPOINT_URL="http://127.0.0.1:9")


class AdminWorkflowsTest(StackHelpers, unittest.TestCase):
    """onboard, rotate-key and offboard on one shared stack; each test uses
    its own user names."""

    @classmethod
    def setUpClass(cls):
        start_stack(cls)

    @classmethod
    def tearDownClass(cls):
        stop_stack(cls)

    # ---- onboard ----------------------------------------------------------

    def test_onboard_prints_its_plan_then_makes_one_key_and_the_grant(self):
        result, path = self.onboard("alice", "cpg0001-alpha/")

        self.assertEqual(result.stdout.splitlines()[:5], [
            f"Onboard alice in stack cpgstaging (account {ACCOUNT_ID}):",
            "  create     user alice",
            f"  add        group membership {GROUP}",
            f"  create     access key written to {path}",
            f"  create     grant READWRITE on {SCOPE}cpg0001-alpha/*",
        ])
        self.assertIn(f"done: create user {USER_ARN}alice\n", result.stdout)
        self.assertTrue(result.stdout.endswith(
            f"Onboarded alice: hand {path} over privately.\n"),
            result.stdout)
        self.assertEqual(stat.S_IMODE(os.lstat(path).st_mode), 0o600)
        key = self.profile(path, "alice")
        self.assertNotIn(key.secret_access_key, result.stdout + result.stderr)
        self.assertEqual(self.caller_arn(key), f"{USER_ARN}alice")
        self.assertEqual(self.keys("alice"), {key.access_key_id: "Active"})
        groups = self.iam.list_groups_for_user(UserName="alice")["Groups"]
        self.assertEqual([group["GroupName"] for group in groups], [GROUP])
        user = self.iam.get_user(UserName="alice")["User"]
        self.assertIn({"Key": "managed-by", "Value": "cytoskel"},
                      user["Tags"])
        (grant,) = self.grants_of("alice")
        self.assertEqual(grant["GrantScope"], f"{SCOPE}cpg0001-alpha/*")
        self.assertEqual(grant["Permission"], "READWRITE")
        self.assertEqual(grant["AccessGrantsLocationId"], self.location)
        self.assertIn(f"done: create grant {grant['AccessGrantId']} "
                      f"(READWRITE on {SCOPE}cpg0001-alpha/*)\n",
                      result.stdout)

    def test_the_credentials_file_tells_the_contributor_what_to_add(self):
        _, path = self.onboard("amy", "cpg0011-amy")

        with open(path) as handed_over:
            text = handed_over.read()
        self.assertIn("#   [profile cpg-upload]\n#   region = us-east-1\n"
                      "#   credential_process = cytoskel --profile amy "
                      "credentials --format process\n", text)
        self.assertIn(f"#   {SCOPE}cpg0011-amy/*\n", text)
        parser = configparser.ConfigParser()
        parser.read(path)
        self.assertEqual(parser.sections(), ["amy"])

        # cytoskel itself reads the file as a contributor's profile.
        config = self.path("amy.config")
        with open(config, "w") as out:
            out.write(f"[profile amy]\nregion = us-east-1\n"
                      f"endpoint_url = {self.emulator.endpoint}\n")
        contributor = clean_env(HOME=self.scratch.name,
                                AWS_CONFIG_FILE=config,
                                AWS_SHARED_CREDENTIALS_FILE=path)
        whoami = self.cytoskel("--profile", "amy", "whoami", "--output",
                               "json", env=contributor)
        self.assertEqual(json.loads(whoami.stdout)["Arn"], f"{USER_ARN}amy")
        grants = self.cytoskel("--profile", "amy", "grants", env=contributor)
        self.assertIn(f"{SCOPE}cpg0011-amy/*", grants.stdout)

    def test_onboard_defaults_the_file_to_name_credentials_here(self):
        workdir = tempfile.mkdtemp(dir=self.scratch.name)

        result = self.cytoskel("cpgstaging", "onboard", "andy", "--prefix",
                               "cpg0012-andy", cwd=workdir)

        self.assertIn("  create     access key written to andy.credentials\n",
                      result.stdout)
        path = os.path.join(workdir, "andy.credentials")
        self.assertEqual(stat.S_IMODE(os.lstat(path).st_mode), 0o600)
        self.assertEqual(self.caller_arn(self.profile(path, "andy")),
                         f"{USER_ARN}andy")

    def test_onboard_again_makes_no_second_key_and_adds_what_is_missing(self):
        _, path = self.onboard("ben", "cpg0002-beta")
        with open(path) as first:
            first_text = first.read()
        (key_id,) = self.keys("ben")

        result, _ = self.onboard("ben", "cpg0002-beta", "cpg0003-gamma/*")

        self.assertEqual(self.keys("ben"), {key_id: "Active"})
        with open(path) as second:
            self.assertEqual(second.read(), first_text)
        scopes = sorted(g["GrantScope"] for g in self.grants_of("ben"))
        self.assertEqual(scopes, [f"{SCOPE}cpg0002-beta/*",
                                  f"{SCOPE}cpg0003-gamma/*"])
        lines = result.stdout.splitlines()
        self.assertEqual(lines[1:4], [
            "  keep       user ben",
            f"  keep       group membership {GROUP}",
            f"  keep       access key {key_id} ({path} is not written; "
            "`rotate-key` makes a new key and writes it)",
        ])
        self.assertTrue(lines[4].startswith("  keep       grant "), lines[4])
        self.assertEqual(lines[5], "  create     grant READWRITE on "
                                   f"{SCOPE}cpg0003-gamma/*")
        self.assertEqual(lines[-1], f"Onboarded ben: it keeps its access "
                                    f"key; {path} was not written.")

        again, _ = self.onboard("ben", "cpg0002-beta", "cpg0003-gamma/*")
        self.assertTrue(again.stdout.endswith(
            f"Nothing to do: ben is onboarded already; {path} was not "
            "written.\n"), again.stdout)
        self.assertNotIn("done:", again.stdout)
        self.assertEqual(len(self.grants_of("ben")), 2)

    def test_onboard_rejoins_the_group_of_a_user_removed_from_it(self):
        _, path = self.onboard("bea", "cpg0013-bea")
        self.iam.remove_user_from_group(GroupName=GROUP, UserName="bea")

        result, _ = self.onboard("bea", "cpg0013-bea")

        self.assertIn(f"  add        group membership {GROUP}\n",
                      result.stdout)
        self.assertIn(f"done: add group membership {GROUP}\n", result.stdout)
        groups = self.iam.list_groups_for_user(UserName="bea")["Groups"]
        self.assertEqual([group["GroupName"] for group in groups], [GROUP])
        self.assertEqual(len(self.keys("bea")), 1)

    def test_onboard_says_when_it_replaced_a_file(self):
        path = self.path("bo.credentials")
        with open(path, "w") as old:
            old.write("stale\n")
        os.chmod(path, 0o644)

        result, _ = self.onboard("bo", "cpg0014-bo")

        self.assertTrue(result.stdout.endswith(
            f"Onboarded bo: hand {path} over privately (it replaced the file "
            "that was there).\n"), result.stdout)
        self.assertEqual(stat.S_IMODE(os.lstat(path).st_mode), 0o600)

    def test_onboard_refuses_bad_input_before_any_aws_call(self):
        cases = [
            (["--prefix", "cpg0001*"], "cpg0001*"),
            (["--prefix", "*"], "whole bucket"),
            (["--prefix", "x", "--permission", "ADMIN"], "ADMIN"),
            (["--prefix", "x", "--credentials-file", "/nonexistent/dir/f"],
             "/nonexistent/dir"),
            ([], "--prefix"),
        ]
        for extra, fragment in cases:
            with self.subTest(extra=extra):
                result = self.cytoskel("cpgstaging", "onboard", "nobody",
                                       *extra, expect=252,
                                       env=self.no_aws_env())
                self.assertIn(fragment, result.stderr)
                self.assertEqual(result.stdout, "")
        self.cytoskel("cpgstaging", "onboard", "bad name", "--prefix", "x",
                      expect=252, env=self.no_aws_env())
        self.assertFalse(self.user_exists("nobody"))

    def test_onboard_refuses_a_user_it_does_not_manage(self):
        self.iam.create_user(UserName="stranger")

        result = self.cytoskel("cpgstaging", "onboard", "stranger",
                               "--prefix", "x", "--credentials-file",
                               self.path("stranger.credentials"), expect=252)

        self.assertIn("is not managed by cytoskel", result.stderr)
        self.assertEqual(self.keys("stranger"), {})
        self.assertEqual(self.grants_of("stranger"), [])

    def test_onboard_json(self):
        result, path = self.onboard("cleo", "cpg0004-delta", "cpg0005-eps",
                                    extra=("--permission", "read",
                                           "--output", "json"))

        answer = json.loads(result.stdout)
        self.assertEqual(answer["UserName"], "cleo")
        self.assertEqual(answer["Arn"], f"{USER_ARN}cleo")
        self.assertTrue(answer["AccessKeyCreated"])
        self.assertEqual(answer["AccessKeyIds"], list(self.keys("cleo")))
        self.assertEqual(answer["CredentialsFile"], path)
        self.assertEqual([step["Action"] for step in answer["Steps"]],
                         ["create", "add", "create", "create", "create"])
        self.assertEqual([(g["GrantScope"], g["Permission"], g["Created"])
                          for g in answer["Grants"]],
                         [(f"{SCOPE}cpg0004-delta/*", "READ", True),
                          (f"{SCOPE}cpg0005-eps/*", "READ", True)])
        secret = self.profile(path, "cleo").secret_access_key
        self.assertNotIn(secret, result.stdout + result.stderr)

    def test_onboard_table_shows_the_plan_as_a_table(self):
        result, _ = self.onboard("cody", "cpg0015-cody",
                                 extra=("--output", "table"))

        lines = result.stdout.splitlines()
        self.assertEqual(lines[1].split(), ["ACTION", "KIND", "NAME"])
        self.assertTrue(lines[2].startswith("------"))
        self.assertEqual(lines[3].split()[:2], ["create", "user"])

    # ---- rotate-key -------------------------------------------------------

    def test_rotate_key_leaves_exactly_the_new_key_in_the_file(self):
        _, path = self.onboard("dana", "cpg0006-zeta")
        old = self.profile(path, "dana")

        result = self.cytoskel("cpgstaging", "rotate-key", "dana",
                               "--credentials-file", path)

        new = self.profile(path, "dana")
        self.assertNotEqual(new.access_key_id, old.access_key_id)
        self.assertEqual(self.keys("dana"), {new.access_key_id: "Active"})
        self.assertEqual(self.caller_arn(new), f"{USER_ARN}dana")
        self.assert_key_refused(old)
        self.assertEqual(stat.S_IMODE(os.lstat(path).st_mode), 0o600)
        self.assertEqual(result.stdout, "".join([
            f"Rotate the access key of dana in stack cpgstaging (account "
            f"{ACCOUNT_ID}):\n",
            f"  create     access key written to {path}\n",
            f"  delete     access key {old.access_key_id}\n",
            f"done: create access key {new.access_key_id} written to "
            f"{path}\n",
            f"done: delete access key {old.access_key_id}\n",
            f"Rotated the access key of dana: hand {path} over privately "
            "(it replaced the file that was there).\n",
        ]))
        self.assertNotIn(new.secret_access_key, result.stdout + result.stderr)
        with open(path) as handed_over:
            self.assertIn(f"#   {SCOPE}cpg0006-zeta/*\n", handed_over.read())

    def test_rotate_key_deactivate_only_keeps_the_old_key_inactive(self):
        _, path = self.onboard("eve", "cpg0007-eta")
        old = self.profile(path, "eve")

        result = self.cytoskel("cpgstaging", "rotate-key", "eve",
                               "--credentials-file", path,
                               "--deactivate-only")

        new = self.profile(path, "eve")
        self.assertEqual(self.keys("eve"), {old.access_key_id: "Inactive",
                                            new.access_key_id: "Active"})
        self.assertEqual(self.caller_arn(new), f"{USER_ARN}eve")
        self.assert_key_refused(old)
        self.assertIn(f"  deactivate access key {old.access_key_id} (kept)\n",
                      result.stdout)

        # Two keys, one inactive: the inactive one makes room, said first.
        again = self.cytoskel("cpgstaging", "rotate-key", "eve",
                              "--credentials-file", path,
                              "--deactivate-only", "--output", "json")
        answer = json.loads(again.stdout)
        newest = self.profile(path, "eve")
        self.assertEqual(answer["NewAccessKeyId"], newest.access_key_id)
        self.assertEqual(answer["DeletedAccessKeyIds"], [old.access_key_id])
        self.assertEqual(answer["DeactivatedAccessKeyIds"],
                         [new.access_key_id])
        self.assertEqual(answer["Steps"][0]["Action"], "delete")
        self.assertIn("inactive; makes room", answer["Steps"][0]["Name"])
        self.assertEqual(self.keys("eve"), {new.access_key_id: "Inactive",
                                            newest.access_key_id: "Active"})

    def test_rotate_key_refuses_two_active_keys(self):
        _, path = self.onboard("finn", "cpg0008-theta")
        second = self.iam.create_access_key(UserName="finn")["AccessKey"]
        before = self.keys("finn")
        with open(path) as handed_over:
            text = handed_over.read()

        result = self.cytoskel("cpgstaging", "rotate-key", "finn",
                               "--credentials-file", path, expect=252)

        self.assertIn("user finn has two active access keys", result.stderr)
        self.assertIn(second["AccessKeyId"], result.stderr)
        self.assertIn("--status Inactive", result.stderr)
        self.assertEqual(self.keys("finn"), before)
        with open(path) as handed_over:
            self.assertEqual(handed_over.read(), text)

    def test_rotate_key_refuses_users_it_does_not_manage(self):
        self.iam.create_user(UserName="outsider-rk")
        self.iam.create_access_key(UserName="outsider-rk")
        before = self.keys("outsider-rk")

        result = self.cytoskel("cpgstaging", "rotate-key", "outsider-rk",
                               "--credentials-file",
                               self.path("outsider-rk.credentials"),
                               expect=252)

        self.assertIn("is not managed by cytoskel", result.stderr)
        self.assertEqual(self.keys("outsider-rk"), before)
        self.cytoskel("cpgstaging", "rotate-key", "ghost-rk",
                      "--credentials-file", self.path("ghost.credentials"),
                      expect=254)

    # ---- audit (the rest is in AuditTest) --------------------------------

    def test_audit_refuses_a_bad_max_key_age_before_any_aws_call(self):
        for days in ("0", "-1", "soon"):
            with self.subTest(days=days):
                self.cytoskel("cpgstaging", "audit", "--max-key-age", days,
                              expect=252, env=self.no_aws_env())

    # ---- offboard ---------------------------------------------------------

    def test_offboard_revokes_every_grant_and_removes_the_user(self):
        _, path = self.onboard("gus", "cpg0009-iota", "cpg0010-kappa")
        grants = {g["AccessGrantId"]: g["GrantScope"]
                  for g in self.grants_of("gus")}
        (key_id,) = self.keys("gus")

        result = self.cytoskel("cpgstaging", "offboard", "gus", "--yes")

        self.assertFalse(self.user_exists("gus"))
        self.assertEqual(self.grants_of("gus"), [])
        for grant_id, scope in grants.items():
            self.assertIn(f"  revoke     grant {grant_id} (READWRITE on "
                          f"{scope})\n", result.stdout)
            self.assertIn(f"done: deleted grant {grant_id} (READWRITE on "
                          f"{scope})\n", result.stdout)
        self.assertIn(f"done: deleted access key {key_id}\n", result.stdout)
        self.assertIn(f"done: removed from group {GROUP}\n", result.stdout)
        self.assertIn("done: deleted user gus\n", result.stdout)
        self.assertTrue(result.stdout.endswith(
            "Offboarded gus: 2 grant(s) revoked, user deleted.\n"))
        self.assertEqual(result.stdout.splitlines()[0],
                         f"Offboard gus ({USER_ARN}gus) from stack "
                         "cpgstaging:")

        self.cytoskel("cpgstaging", "offboard", "gus", "--yes", expect=254)

    def test_offboard_asks_and_dry_run_changes_nothing(self):
        self.onboard("hal", "cpg0017-hal")

        refused = self.cytoskel("cpgstaging", "offboard", "hal", expect=252)
        self.assertIn("pass --yes", refused.stderr)
        dry = self.cytoskel("cpgstaging", "offboard", "hal", "--dry-run")
        self.assertTrue(dry.stdout.endswith("Dry run: nothing was changed.\n"))
        self.assertIn("  delete     user hal", dry.stdout)

        self.assertTrue(self.user_exists("hal"))
        self.assertEqual(len(self.grants_of("hal")), 1)

    def test_offboard_json(self):
        self.onboard("ida", "cpg0018-ida")
        (grant,) = self.grants_of("ida")

        result = self.cytoskel("cpgstaging", "offboard", "ida", "--yes",
                               "--output", "json")

        answer = json.loads(result.stdout)
        self.assertEqual(answer["UserName"], "ida")
        self.assertTrue(answer["Deleted"])
        self.assertFalse(answer["DryRun"])
        self.assertEqual([(g["GrantId"], g["GrantScope"])
                          for g in answer["RevokedGrants"]],
                         [(grant["AccessGrantId"], grant["GrantScope"])])
        self.assertIn("deleted user ida", answer["Removed"])
        self.assertFalse(self.user_exists("ida"))

    def test_offboard_refuses_users_it_does_not_manage(self):
        self.iam.create_user(UserName="outsider-ob")

        result = self.cytoskel("cpgstaging", "offboard", "outsider-ob",
                               "--yes", expect=252)

        self.assertIn("is not managed by cytoskel", result.stderr)
        self.assertTrue(self.user_exists("outsider-ob"))


class AuditTest(StackHelpers, unittest.TestCase):
    """Each test gets a fresh stack, so the audit sees only its own users."""

    def setUp(self):
        start_stack(self)

    def tearDown(self):
        stop_stack(self)

    def onboard_and_use(self, name, prefix):
        _, path = self.onboard(name, prefix)
        self.caller_arn(self.profile(path, name))  # the key is now used

    def grant(self, arn, prefix, location=None):
        return self.s3control.create_access_grant(
            AccountId=ACCOUNT_ID,
            AccessGrantsLocationId=location or self.location,
            AccessGrantsLocationConfiguration={"S3SubPrefix": prefix},
            Grantee={"GranteeType": "IAM", "GranteeIdentifier": arn},
            Permission="READ")["AccessGrantId"]

    def test_audit_of_a_clean_stack_exits_0(self):
        self.onboard_and_use("olga", "cpg0100-olga")

        result = self.cytoskel("cpgstaging", "audit")
        self.assertEqual(result.stdout,
                         f"Audit of stack cpgstaging in account {ACCOUNT_ID} "
                         f"(1 user(s) in group {GROUP}, 1 grant(s)): nothing "
                         "found.\n")
        self.assertEqual(json.loads(self.cytoskel(
            "cpgstaging", "audit", "--output", "json").stdout), [])

    def test_audit_names_what_was_done_behind_its_back_and_exits_3(self):
        self.onboard_and_use("olga", "cpg0100-olga")
        # A grant whose grantee was deleted with boto3.
        ghost = self.iam.create_user(UserName="ghost")["User"]["Arn"]
        orphan = self.grant(ghost, "cpg0101-ghost/*")
        self.iam.delete_user(UserName="ghost")
        # A grant held by a user outside the group.
        outsider = self.iam.create_user(UserName="outsider")["User"]["Arn"]
        outside_grant = self.grant(outsider, "cpg0102-out/*")
        # A member without a grant (its key unused as well).
        self.cytoskel("cpgstaging", "create", "user", "idle",
                      "--credentials-file", self.path("idle.credentials"))
        (idle_key,) = self.keys("idle")
        # A grant in a location that is not the stack's.
        self.emulator.client("s3").create_bucket(Bucket="other-bucket")
        role = self.emulator.create_location_role("other-role",
                                                  "other-bucket")
        other = self.s3control.create_access_grants_location(
            AccountId=ACCOUNT_ID, LocationScope="s3://other-bucket/",
            IAMRoleArn=role)["AccessGrantsLocationId"]
        far = self.grant(USER_ARN + "olga", "far/*", location=other)

        result = self.cytoskel("cpgstaging", "audit", expect=3)

        lines = result.stdout.splitlines()
        self.assertEqual(lines[0],
                         f"Audit of stack cpgstaging in account {ACCOUNT_ID} "
                         f"(2 user(s) in group {GROUP}, 4 grant(s)): 5 "
                         "finding(s):")
        text = result.stdout
        self.assertIn(f"  grant {orphan} (READ on {SCOPE}cpg0101-ghost/*) "
                      "goes to user ghost, which no longer exists: "
                      f"`cytoskel cpgstaging delete grant {orphan}` removes "
                      "it\n", text)
        self.assertIn(f"  grant {far} (READ on s3://other-bucket/far/*) is in "
                      f"location {other} (s3://other-bucket/), not in the "
                      f"stack's location {SCOPE}\n", text)
        self.assertIn(f"  user outsider is not in group {GROUP} but holds 1 "
                      f"grant(s): grant {outside_grant} (READ on "
                      f"{SCOPE}cpg0102-out/*)", text)
        self.assertIn(f"  user idle is in group {GROUP} but holds no grant",
                      text)
        self.assertIn(f"  access key {idle_key} of user idle (created ", text)

        findings = json.loads(self.cytoskel("cpgstaging", "audit", "--output",
                                            "json", expect=3).stdout)
        self.assertEqual(
            sorted((f["kind"], f["subject"]) for f in findings),
            sorted([("orphan-grant", orphan),
                    ("grant-outside-location", far),
                    ("user-outside-group", "outsider"),
                    ("user-without-grant", "idle"),
                    ("unused-key", idle_key)]))
        for finding in findings:
            self.assertEqual(sorted(finding), ["detail", "kind", "subject"])

        table = self.cytoskel("cpgstaging", "audit", "--output", "table",
                              expect=3).stdout.splitlines()
        self.assertEqual(table[0].split(), ["KIND", "SUBJECT", "DETAIL"])
        self.assertEqual(len(table), 2 + len(findings))


if __name__ == "__main__":
    unittest.main()
