"""Secret hygiene: no secret in any log, and secret files kept private.

The canary test runs every command cytoskel has (read from its own --help,
so a new command fails the test until it is added here) at --debug, with
known static credentials and with session credentials, and asserts that no
secret key, session token, Authorization value or signature appears in
stderr, in any file cytoskel wrote that is not a secret file, or in the
emulator's request log. stdout may carry a secret only where the user asked
for one: `credentials`, and `create user` without --credentials-file (the
new key). Signatures and Authorization values are collected by
tests/faults/proxy.py as they go by.

The file tests check the credentials files `create user`, `onboard` and
`rotate-key` write and the scoped-credential cache: mode 0600, cache
directory 0700, replaced atomically (a new inode, no temporary file left),
an existing 0644 file tightened, a symbolic link in place of the file
never followed.
"""

import json
import os
import re
import stat
import subprocess
import tempfile
import unittest

from tests.e2e.cytoskel_run import BINARY
from tests.emulator.harness import Credentials
from tests.faults.scenario import (ACCOUNT, FaultScenario, created_key,
                                   user_arn)

ADMIN_ROLE = "canary-admin"


def leaf_commands(path=()):
    """Every runnable command, from cytoskel's own help."""
    result = subprocess.run([BINARY, *path, "--help"], capture_output=True,
                            text=True, timeout=30)
    text = result.stdout
    if "Subcommands:" not in text:
        return [" ".join(path)]
    commands = []
    for line in text.split("Subcommands:", 1)[1].splitlines():
        # "  status, doctor   Explain ...": a name, then its aliases.
        match = re.match(r"^  ([^\s,]+)[,\s]", line)
        if match:
            commands += leaf_commands(path + (match.group(1),))
    return commands


def profile_key(path, profile):
    """(id, secret) of [profile] in a credentials file."""
    section, values = None, {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("["):
                section = line.strip("[]")
            elif section == profile and " = " in line:
                key, value = line.split(" = ", 1)
                values[key] = value
    return values["aws_access_key_id"], values["aws_secret_access_key"]


class SecretCanaryTest(FaultScenario):
    """Every command, at --debug, as an admin with static keys, as an admin
    with session credentials, and as a contributor."""

    def setUp(self):
        super().setUp()
        self.work = tempfile.mkdtemp(prefix="cytoskel-canary-")
        self.secrets = set()  # never in stderr or a log
        self.runs = []  # (command, asked_for_secrets, result)
        self.covered = set()

    def run_command(self, command, *args, env=None, asked=False,
                    expect=(0,)):
        """Runs `cytoskel --debug COMMAND ARGS`; `asked` marks a command
        whose stdout is meant to carry a secret."""
        before = self.proxy.total()
        result = self.cytoskel("--debug", *command.split(), *args,
                               expect=None, **(env or {}))
        self.assertIn(result.returncode, expect,
                      f"{command}: {result.stdout}{result.stderr}")
        if self.proxy.total() > before:  # --debug really showed signing
            self.assertIn("canonical request", result.stderr, command)
        self.runs.append((command, asked, result))
        self.covered.add(command)
        return result

    def session_env(self):
        """Admin session credentials (AssumeRole), in the environment."""
        iam = self.emulator.client("iam")
        iam.create_role(RoleName=ADMIN_ROLE, AssumeRolePolicyDocument=json.
                        dumps({"Version": "2012-10-17", "Statement": [{
                            "Effect": "Allow", "Action": "sts:AssumeRole",
                            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:"
                                                 "root"}}]}))
        iam.attach_role_policy(
            RoleName=ADMIN_ROLE,
            PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
        assumed = self.emulator.client("sts").assume_role(
            RoleArn=f"arn:aws:iam::{ACCOUNT}:role/{ADMIN_ROLE}",
            RoleSessionName="canary")["Credentials"]
        session = Credentials.from_response(assumed)
        self.secrets.update({session.secret_access_key,
                             session.session_token})
        return {**session.env(), "AWS_PROFILE": None,
                "AWS_REGION": "us-east-1"}

    def admin_commands(self, env, tag):
        """Runs every admin command once with `env`."""
        location = None
        self.run_command("cpgstaging up", env=env)
        self.run_command("cpgstaging status", env=env, expect=(0, 3))
        self.run_command("cpgstaging audit", env=env, expect=(0, 3))
        listed = self.run_command("cpgstaging list location", env=env)
        location = listed.stdout.split("ID: ")[1].strip()
        self.run_command("cpgstaging list user", env=env)

        made = self.run_command("cpgstaging create user", f"{tag}-printed",
                                env=env, asked=True)
        self.secrets.add(created_key(made.stdout)["SecretAccessKey"])
        to_file = os.path.join(self.work, f"{tag}-filed.credentials")
        self.run_command("cpgstaging create user", f"{tag}-filed",
                         "--credentials-file", to_file, env=env)
        self.secrets.add(profile_key(to_file, f"{tag}-filed")[1])

        self.run_command("cpgstaging create grant",
                         user_arn(f"{tag}-printed"), location,
                         f"{tag}-data", env=env)
        grants = self.run_command("cpgstaging list grant", env=env)
        self.run_command("cpgstaging delete grant",
                         grants.stdout.split()[0], env=env)

        onboarded = os.path.join(self.work, f"{tag}-onboard.credentials")
        self.run_command("cpgstaging onboard", f"{tag}-onboard", "--prefix",
                         f"{tag}-onboard", "--credentials-file", onboarded,
                         env=env)
        self.secrets.add(profile_key(onboarded, f"{tag}-onboard")[1])
        rotated = os.path.join(self.work, f"{tag}-rotated.credentials")
        self.run_command("cpgstaging rotate-key", f"{tag}-onboard",
                         "--credentials-file", rotated, env=env)
        self.secrets.add(profile_key(rotated, f"{tag}-onboard")[1])

        roster = os.path.join(self.work, f"{tag}.toml")
        keys = os.path.join(self.work, f"{tag}-keys")
        os.makedirs(keys)
        with open(roster, "w") as f:
            f.write(f'[users.{tag}-roster]\nprefixes = ["{tag}-roster/"]\n')
        self.run_command("cpgstaging apply", roster, "--credentials-dir",
                         keys, env=env)
        self.secrets.add(profile_key(
            os.path.join(keys, f"{tag}-roster.credentials"),
            f"{tag}-roster")[1])

        self.run_command("cpgstaging offboard", f"{tag}-roster", "--yes",
                         env=env)
        self.run_command("cpgstaging delete user", f"{tag}-filed", env=env)
        self.run_command("whoami", env=env)
        return location

    def contributor_commands(self, key, location):
        """The contributor's commands with a static key, and the scoped
        session credentials they hand out."""
        self.emulator.client("s3control").create_access_grant(
            AccountId=ACCOUNT, AccessGrantsLocationId=location,
            AccessGrantsLocationConfiguration={"S3SubPrefix": "canary/*"},
            Grantee={"GranteeType": "IAM",
                     "GranteeIdentifier": key["arn"]},
            Permission="READWRITE")
        env = {"AWS_PROFILE": None, "AWS_REGION": "us-east-1",
               "AWS_ACCESS_KEY_ID": key["AccessKeyId"],
               "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"],
               "XDG_CACHE_HOME": os.path.join(self.work, "cache")}
        self.run_command("grants", env=env)
        scoped = self.run_command("credentials", "--target",
                                  f"s3://{self.bucket()}/canary/*",
                                  "--format", "json", env=env, asked=True)
        creds = json.loads(scoped.stdout)
        self.secrets.update({creds["SecretAccessKey"],
                             creds["SessionToken"]})
        for form in ("env", "process"):
            self.run_command("credentials", "--format", form, env=env,
                             asked=True)
        self.run_command("exec", "--", "true", env=env)
        # The scoped session itself (it may call only what the grant allows).
        session = {**env, "AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
                   "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
                   "AWS_SESSION_TOKEN": creds["SessionToken"]}
        self.run_command("whoami", env=session)

    @staticmethod
    def bucket():
        return "staging-cellpainting-gallery"

    def test_no_secret_in_stderr_or_any_log(self):
        admin = self.emulator.admin_credentials()
        self.secrets.add(admin.secret_access_key)

        location = self.admin_commands({}, "st")
        self.admin_commands(self.session_env(), "ss")

        made = self.run_command("cpgstaging create user", "canary-contrib",
                                asked=True)
        key = dict(created_key(made.stdout), arn=user_arn("canary-contrib"))
        self.secrets.add(key["SecretAccessKey"])
        self.contributor_commands(key, location)

        for command in ("completion", "man"):
            args = ("bash",) if command == "completion" else ()
            result = self.cytoskel("--debug", command, *args)
            self.runs.append((command, False, result))
            self.covered.add(command)
        self.run_command("cpgstaging destroy", "--yes")

        self.assertEqual(set(leaf_commands()) - self.covered, set(),
                         "commands the canary does not run yet")
        self.assert_no_leak()

    def assert_no_leak(self):
        canaries = self.secrets | self.proxy.signing_secrets
        self.assertGreater(len(self.proxy.signing_secrets), 50)
        for command, asked, result in self.runs:
            for secret in canaries:
                self.assertNotIn(secret, result.stderr,
                                 f"{command} leaked a secret on stderr")
                if not asked:
                    self.assertNotIn(secret, result.stdout,
                                     f"{command} printed a secret")
            self.assertNotIn("Authorization:", result.stderr, command)
        secret_files = {os.path.join(root, name)
                        for root, _, names in os.walk(self.work)
                        for name in names
                        if name.endswith((".credentials", ".json"))}
        logs = [str(self.emulator.log_file)]
        for root, _, names in os.walk(self.work):
            logs += [os.path.join(root, name) for name in names
                     if os.path.join(root, name) not in secret_files]
        for path in logs:
            with open(path, errors="replace") as f:
                text = f.read()
            for secret in canaries:
                self.assertNotIn(secret, text, f"{path} holds a secret")


class SecretFileTest(FaultScenario):
    """The files that hold keys and scoped credentials."""

    def setUp(self):
        super().setUp()
        self.work = tempfile.mkdtemp(prefix="cytoskel-files-")
        self.location = self.up()

    def mode(self, path):
        return stat.S_IMODE(os.lstat(path).st_mode)

    def assert_private(self, path, directory_listing):
        self.assertEqual(self.mode(path), 0o600, path)
        self.assertEqual(sorted(os.listdir(os.path.dirname(path))),
                         sorted(directory_listing),
                         "a temporary file was left behind")

    def test_credentials_files_are_private_and_replaced_atomically(self):
        path = os.path.join(self.work, "alice.credentials")
        self.cytoskel("cpgstaging", "create", "user", "alice",
                      "--credentials-file", path)
        self.assert_private(path, ["alice.credentials"])

        # An existing world-readable file is replaced by a new 0600 one,
        # never rewritten in place.
        for command in (["cpgstaging", "rotate-key", "alice"],
                        ["cpgstaging", "onboard", "bob", "--prefix",
                         "cpg0001"]):
            with self.subTest(command=command[1]):
                os.chmod(path, 0o644)
                before = os.stat(path).st_ino
                self.cytoskel(*command, "--credentials-file", path)
                self.assert_private(path, ["alice.credentials"])
                self.assertNotEqual(os.stat(path).st_ino, before)

    def test_a_symlink_in_place_of_the_credentials_file_is_refused(self):
        target = os.path.join(self.work, "target")
        with open(target, "w") as f:
            f.write("untouched\n")
        link = os.path.join(self.work, "alice.credentials")
        os.symlink(target, link)
        result = self.cytoskel("cpgstaging", "create", "user", "alice",
                               "--credentials-file", link, expect=252)
        self.assertIn("symbolic link", result.stderr)
        with open(target) as f:
            self.assertEqual(f.read(), "untouched\n")
        self.assertTrue(os.path.islink(link))

    def contributor(self):
        made = self.cytoskel("cpgstaging", "create", "user", "carol")
        key = created_key(made.stdout)
        self.emulator.client("s3control").create_access_grant(
            AccountId=ACCOUNT, AccessGrantsLocationId=self.location,
            AccessGrantsLocationConfiguration={"S3SubPrefix": "carol/*"},
            Grantee={"GranteeType": "IAM",
                     "GranteeIdentifier": user_arn("carol")},
            Permission="READWRITE")
        cache = os.path.join(self.work, "cache")
        return cache, {"AWS_PROFILE": None, "AWS_REGION": "us-east-1",
                       "AWS_ACCESS_KEY_ID": key["AccessKeyId"],
                       "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"],
                       "XDG_CACHE_HOME": cache}

    def test_the_credential_cache_is_private(self):
        cache, env = self.contributor()
        os.makedirs(os.path.join(cache, "cytoskel"), mode=0o755)
        os.chmod(os.path.join(cache, "cytoskel"), 0o755)
        self.cytoskel("credentials", **env)
        directory = os.path.join(cache, "cytoskel")
        self.assertEqual(self.mode(directory), 0o700, "directory tightened")
        (entry,) = os.listdir(directory)
        path = os.path.join(directory, entry)
        self.assertEqual(self.mode(path), 0o600)

        # A stale entry left world-readable is replaced by a private one.
        os.chmod(path, 0o644)
        with open(path, "w") as f:
            f.write("{}")
        before = os.stat(path).st_ino
        self.cytoskel("credentials", **env)
        self.assertEqual(self.mode(path), 0o600)
        self.assertNotEqual(os.stat(path).st_ino, before)
        self.assertEqual(os.listdir(directory), [entry])

    def test_a_symlink_in_place_of_a_cache_entry_is_never_followed(self):
        cache, env = self.contributor()
        self.cytoskel("credentials", **env)
        directory = os.path.join(cache, "cytoskel")
        (entry,) = os.listdir(directory)
        path = os.path.join(directory, entry)
        os.unlink(path)
        target = os.path.join(self.work, "elsewhere")
        with open(target, "w") as f:
            f.write("untouched\n")
        os.symlink(target, path)
        result = self.cytoskel("credentials", expect=None, **env)
        self.assertEqual(result.returncode, 252, result.stderr)
        self.assertIn("it is a symbolic link", result.stderr)
        with open(target) as f:
            self.assertEqual(f.read(), "untouched\n")
        self.assertTrue(os.path.islink(path))


if __name__ == "__main__":
    unittest.main()
