"""Contributors end to end: `grants`, `credentials` and `exec` with two
contributors holding grants on two prefixes, the AWS CLI configured with the
credential_process profile, and the credential cache."""

import glob
import json
import os
import stat
import subprocess
import tempfile
import textwrap
import unittest

from tests.e2e.cytoskel_run import BINARY, clean_env, run
from tests.emulator.harness import Emulator

BUCKET = "staging-cellpainting-gallery"
ACCOUNT = "123456789012"
GROUP = "staging_cpg_uploaders"
PREFIXES = {"alice": "cpg0001-alpha", "bob": "cpg0002-beta"}


def read_text(path):
    with open(path) as f:
        return f.read()


class Contributor:
    """A contributor's machine: their key in a cpg_staging profile and the
    credential_process profile the guide tells them to add."""

    def __init__(self, name, key, endpoint, root):
        self.name = name
        self.home = os.path.join(root, name)
        os.makedirs(os.path.join(self.home, ".aws"))
        with open(os.path.join(self.home, ".aws", "config"), "w") as f:
            f.write(textwrap.dedent(f"""\
                [profile cpg_staging]
                region = us-east-1
                endpoint_url = {endpoint}

                [profile cpg-upload]
                region = us-east-1
                endpoint_url = {endpoint}
                credential_process = {BINARY} --profile cpg_staging credentials --format process
                """))
        with open(os.path.join(self.home, ".aws", "credentials"), "w") as f:
            f.write(f"[cpg_staging]\naws_access_key_id = "
                    f"{key['AccessKeyId']}\naws_secret_access_key = "
                    f"{key['SecretAccessKey']}\n")
        self.secret = key["SecretAccessKey"]
        self.env = clean_env(HOME=self.home)
        self.env["PATH"] = os.environ["PATH"]

    def cytoskel(self, *args):
        return run(["--profile", "cpg_staging"] + list(args), self.env)

    def aws(self, *args):
        return subprocess.run(["aws"] + list(args), env=self.env,
                              capture_output=True, text=True, timeout=120)

    def cache_files(self):
        return glob.glob(os.path.join(self.home, ".cache", "cytoskel",
                                      "*.json"))


class ContributorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emulator = Emulator().start()
        cls.root = tempfile.TemporaryDirectory()
        admin = clean_env(HOME=cls.emulator.home, AWS_PROFILE="CPG")
        up = run(["cpgstaging", "up"], admin)
        assert up.returncode == 0, up.stdout + up.stderr
        cls.iam = cls.emulator.client("iam")
        cls.s3 = cls.emulator.client("s3")
        s3control = cls.emulator.client("s3control")
        location = s3control.list_access_grants_locations(
            AccountId=ACCOUNT)["AccessGrantsLocationsList"][0]
        cls.people = {}
        for name, prefix in PREFIXES.items():
            user = cls.iam.create_user(UserName=name)["User"]
            cls.iam.add_user_to_group(GroupName=GROUP, UserName=name)
            key = cls.iam.create_access_key(UserName=name)["AccessKey"]
            s3control.create_access_grant(
                AccountId=ACCOUNT,
                AccessGrantsLocationId=location["AccessGrantsLocationId"],
                AccessGrantsLocationConfiguration={
                    "S3SubPrefix": f"{prefix}/*"},
                Grantee={"GranteeType": "IAM",
                         "GranteeIdentifier": user["Arn"]},
                Permission="READWRITE")
            cls.people[name] = Contributor(name, key, cls.emulator.endpoint,
                                           cls.root.name)
        cls.upload = os.path.join(cls.root.name, "data.txt")
        with open(cls.upload, "w") as f:
            f.write("plate 1\n")

    @classmethod
    def tearDownClass(cls):
        cls.emulator.stop()
        cls.root.cleanup()

    def data_access_calls(self):
        return self.emulator.log().count("/accessgrantsinstance/dataaccess")

    def test_grants_shows_each_only_their_own(self):
        for name, prefix in PREFIXES.items():
            result = self.people[name].cytoskel("grants")
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(result.stdout,
                             f"s3://{BUCKET}/{prefix}/* READWRITE\n")
            listed = json.loads(self.people[name].cytoskel(
                "grants", "--output", "json").stdout)
            self.assertEqual(listed, [{"GrantScope":
                                       f"s3://{BUCKET}/{prefix}/*",
                                       "Permission": "READWRITE"}])

    def test_aws_cli_through_credential_process(self):
        alice = self.people["alice"]
        inside = alice.aws("--profile", "cpg-upload", "s3", "cp",
                           self.upload, f"s3://{BUCKET}/cpg0001-alpha/a.txt")
        self.assertEqual(inside.returncode, 0, inside.stderr)
        self.s3.head_object(Bucket=BUCKET, Key="cpg0001-alpha/a.txt")
        outside = alice.aws("--profile", "cpg-upload", "s3", "cp",
                            self.upload, f"s3://{BUCKET}/cpg0002-beta/a.txt")
        self.assertNotEqual(outside.returncode, 0)
        self.assertIn("AccessDenied", outside.stderr)
        self.assertNotIn(alice.secret, inside.stderr + outside.stderr)

    def test_env_format_exports_working_credentials(self):
        result = self.people["bob"].cytoskel("credentials", "--no-cache")
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertEqual([line.split("=")[0] for line in lines], [
            "export AWS_ACCESS_KEY_ID", "export AWS_SECRET_ACCESS_KEY",
            "export AWS_SESSION_TOKEN", "export AWS_CREDENTIAL_EXPIRATION"])
        script = (result.stdout + "aws s3 cp " + self.upload +
                  f" s3://{BUCKET}/cpg0002-beta/env.txt\n")
        env = dict(self.people["bob"].env,
                   AWS_ENDPOINT_URL=self.emulator.endpoint,
                   AWS_REGION="us-east-1", HOME="/nonexistent")
        shell = subprocess.run(["sh", "-c", script], env=env,
                               capture_output=True, text=True, timeout=120)
        self.assertEqual(shell.returncode, 0, shell.stderr)
        self.s3.head_object(Bucket=BUCKET, Key="cpg0002-beta/env.txt")

    def test_exec_uploads_and_passes_the_exit_status(self):
        bob = self.people["bob"]
        result = bob.cytoskel("exec", "--", "aws", "s3", "cp", self.upload,
                              f"s3://{BUCKET}/cpg0002-beta/exec.txt")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.s3.head_object(Bucket=BUCKET, Key="cpg0002-beta/exec.txt")
        refused = bob.cytoskel("exec", "--", "aws", "s3", "cp", self.upload,
                               f"s3://{BUCKET}/cpg0001-alpha/exec.txt")
        self.assertNotEqual(refused.returncode, 0)
        status = bob.cytoskel("exec", "--", "sh", "-c",
                              'test -n "$AWS_SESSION_TOKEN" && '
                              'test -z "$AWS_PROFILE" && exit 7')
        self.assertEqual(status.returncode, 7, status.stderr)

    def test_another_contributors_prefix_is_refused_plainly(self):
        result = self.people["alice"].cytoskel(
            "credentials", "--no-cache", "--target",
            f"s3://{BUCKET}/cpg0002-beta/*")
        self.assertEqual(result.returncode, 254)
        self.assertEqual(result.stdout, "")
        self.assertIn(f"no grant of yours covers s3://{BUCKET}/cpg0002-beta/*",
                      result.stderr)
        self.assertIn(f"you can reach: s3://{BUCKET}/cpg0001-alpha/* "
                      "(READWRITE)", result.stderr)

    def test_bad_requests_fail_before_any_call(self):
        cases = [
            (["--target", "bucket/x"], "must be an S3 URI"),
            (["--duration", "60"], "--duration must be from 900 to 43200"),
            (["--permission", "ALL"], "must be READ, WRITE or READWRITE"),
            (["--privilege", "max"], "--privilege must be Default or"),
            (["--format", "yaml"], "--format must be env, json or process"),
        ]
        before = len(self.emulator.log().splitlines())
        for args, message in cases:
            with self.subTest(args=args):
                result = self.people["alice"].cytoskel("credentials", *args)
                self.assertEqual(result.returncode, 252, result.stderr)
                self.assertIn(message, result.stderr)
        self.assertEqual(len(self.emulator.log().splitlines()), before)

    def test_cache_serves_the_second_call_and_refreshes_an_expired_one(self):
        alice = self.people["alice"]
        target = ["--target", f"s3://{BUCKET}/cpg0001-alpha/", "--format",
                  "json"]
        calls = self.data_access_calls()
        first = json.loads(alice.cytoskel("credentials", *target).stdout)
        self.assertEqual(self.data_access_calls(), calls + 1)
        second = json.loads(alice.cytoskel("credentials", *target).stdout)
        self.assertEqual(self.data_access_calls(), calls + 1)
        self.assertEqual(first["AccessKeyId"], second["AccessKeyId"])
        self.assertEqual(first["Target"], f"s3://{BUCKET}/cpg0001-alpha/*")

        cache_dir = os.path.join(alice.home, ".cache", "cytoskel")
        self.assertEqual(stat.S_IMODE(os.stat(cache_dir).st_mode), 0o700)
        (entry_path,) = [p for p in alice.cache_files()
                         if first["AccessKeyId"] in read_text(p)]
        self.assertEqual(stat.S_IMODE(os.stat(entry_path).st_mode), 0o600)

        # Ten minutes left is inside the 15-minute margin: refreshed.
        with open(entry_path) as f:
            entry = json.load(f)
        entry["Expiration"] = "2000-01-01T00:00:00Z"
        with open(entry_path, "w") as f:
            json.dump(entry, f)
        third = json.loads(alice.cytoskel("credentials", *target).stdout)
        self.assertEqual(self.data_access_calls(), calls + 2)
        self.assertNotEqual(third["AccessKeyId"], first["AccessKeyId"])

    def test_debug_shows_no_secret(self):
        alice = self.people["alice"]
        result = alice.cytoskel("--debug", "credentials", "--no-cache",
                                "--format", "process")
        self.assertEqual(result.returncode, 0, result.stderr)
        issued = json.loads(result.stdout)
        self.assertEqual(issued["Version"], 1)
        for secret in (alice.secret, issued["SecretAccessKey"],
                       issued["SessionToken"]):
            self.assertNotIn(secret, result.stderr)
        self.assertIn("GetDataAccess", result.stderr)


if __name__ == "__main__":
    unittest.main()
