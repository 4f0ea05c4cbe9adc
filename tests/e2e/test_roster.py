"""`cytoskel cpgstaging apply ROSTER` end to end on the emulator: the plan
it prints, what it changes (checked with boto3, not with cytoskel's own
listings), --dry-run, --prune, the refusals, and a larger roster applied
concurrently."""

import configparser
import json
import os
import pty
import select
import stat
import subprocess
import tempfile
import time
import unittest

from botocore.exceptions import ClientError

from tests.e2e.cytoskel_run import BINARY, clean_env, run
from tests.emulator.harness import ACCOUNT_ID, Credentials, Emulator

BUCKET = "staging-cellpainting-gallery"
GROUP = "staging_cpg_uploaders"
MANAGED = {"Key": "managed-by", "Value": "cytoskel"}
USER_ARN = f"arn:aws:iam::{ACCOUNT_ID}:user/"

TEAM = """\
[users.alice]
prefixes = ["cpg0001-alpha/", "cpg0002-beta/"]

[users.bob]
prefixes = ["cpg0003-gamma/"]
permission = "READ"          # default READWRITE
"""

TEAM_PLAN = [
    "  create     user alice",
    "  create     user bob",
    "  create     grant alice cpg0001-alpha/* READWRITE",
    "  create     grant alice cpg0002-beta/* READWRITE",
    "  create     grant bob cpg0003-gamma/* READ",
]


class RosterTest(unittest.TestCase):
    """Each test starts from a fresh emulated account with the stack up."""

    def setUp(self):
        self.emulator = Emulator().start()
        self.addCleanup(self.emulator.stop)
        self.env = clean_env(HOME=self.emulator.home, AWS_PROFILE="CPG")
        scratch = tempfile.TemporaryDirectory()
        self.addCleanup(scratch.cleanup)
        self.scratch = scratch.name
        self.keys = os.path.join(self.scratch, "keys")
        os.mkdir(self.keys, 0o700)
        self.iam = self.emulator.client("iam")
        self.s3control = self.emulator.client("s3control")
        self.cytoskel("cpgstaging", "up")
        locations = self.s3control.list_access_grants_locations(
            AccountId=ACCOUNT_ID)["AccessGrantsLocationsList"]
        self.location = next(
            entry["AccessGrantsLocationId"] for entry in locations
            if entry["LocationScope"] == f"s3://{BUCKET}/")

    # ---- helpers ----------------------------------------------------------

    def cytoskel(self, *args, expect=0):
        result = run(list(args), self.env)
        self.assertEqual(result.returncode, expect,
                         f"{args}:\n{result.stdout}\n{result.stderr}")
        return result

    def roster(self, text, name="team.toml"):
        path = os.path.join(self.scratch, name)
        with open(path, "w") as out:
            out.write(text)
        return path

    def apply(self, path, *args, expect=0):
        return self.cytoskel("cpgstaging", "apply", path, *args,
                             expect=expect)

    def group_members(self):
        pages = self.iam.get_paginator("get_group").paginate(GroupName=GROUP)
        return sorted(user["UserName"] for page in pages
                      for user in page["Users"])

    def all_users(self):
        """Every IAM user but the emulator's own admin."""
        pages = self.iam.get_paginator("list_users").paginate()
        return sorted(user["UserName"] for page in pages
                      for user in page["Users"]
                      if user["UserName"] != "emulator-admin")

    def key_ids(self, name):
        keys = self.iam.list_access_keys(UserName=name)["AccessKeyMetadata"]
        return [key["AccessKeyId"] for key in keys]

    def grants(self):
        found, token = [], None
        while True:
            page = self.s3control.list_access_grants(
                AccountId=ACCOUNT_ID, **({"NextToken": token} if token else {}))
            found += page.get("AccessGrantsList", [])
            token = page.get("NextToken")
            if not token:
                return found

    def grant_set(self):
        """Every grant as (user name, sub-prefix, permission)."""
        result = set()
        for grant in self.grants():
            self.assertEqual(grant["AccessGrantsLocationId"], self.location)
            identifier = grant["Grantee"]["GranteeIdentifier"]
            self.assertTrue(identifier.startswith(USER_ARN), identifier)
            result.add((identifier[len(USER_ARN):],
                        grant["AccessGrantsLocationConfiguration"][
                            "S3SubPrefix"],
                        grant["Permission"]))
        return result

    def assert_contributor(self, name):
        """In the group, tagged, one key, and that key in a 0600 file
        DIR/NAME.credentials holding profile [NAME]; returns the key id."""
        user = self.iam.get_user(UserName=name)["User"]
        self.assertIn(MANAGED, user["Tags"])
        self.assertIn(name, self.group_members())
        path = os.path.join(self.keys, f"{name}.credentials")
        self.assertEqual(stat.S_IMODE(os.lstat(path).st_mode), 0o600)
        parser = configparser.ConfigParser()
        parser.read(path)
        self.assertEqual(parser.sections(), [name])
        key_id = parser[name]["aws_access_key_id"]
        self.assertEqual(self.key_ids(name), [key_id])
        identity = self.emulator.client("sts", Credentials(
            key_id, parser[name]["aws_secret_access_key"])
        ).get_caller_identity()
        self.assertEqual(identity["Arn"], USER_ARN + name)
        return key_id

    def log_size(self):
        return len(self.emulator.log())

    # ---- the plan and --dry-run -------------------------------------------

    def test_dry_run_prints_the_plan_and_changes_nothing(self):
        path = self.roster(TEAM)
        log_before = self.log_size()

        result = self.apply(path, "--dry-run")

        self.assertEqual(
            result.stdout,
            f"Roster {path} for stack cpgstaging in account {ACCOUNT_ID}:\n"
            + "".join(line + "\n" for line in TEAM_PLAN)
            + "Dry run: 5 change(s) planned, none made.\n")
        self.assertEqual(result.stderr, "")
        self.assertEqual(self.all_users(), [])
        self.assertEqual(self.grants(), [])
        self.assertEqual(os.listdir(self.keys), [])
        # No Access Grants call but reads (IAM's are all POST /).
        for line in self.emulator.log()[log_before:].splitlines():
            self.assertNotIn('"DELETE ', line)
            self.assertNotIn('"PUT ', line)

    def test_dry_run_as_json(self):
        result = self.apply(self.roster(TEAM), "--dry-run", "--output",
                            "json")

        plan = json.loads(result.stdout)
        self.assertEqual(plan["dry_run"], True)
        self.assertEqual(plan["applied"], False)
        self.assertEqual(plan["account"], ACCOUNT_ID)
        self.assertEqual(
            [(c["change"], c["kind"], c["user"], c.get("prefix"),
              c.get("permission"), c["status"]) for c in plan["changes"]],
            [("create", "user", "alice", None, None, "planned"),
             ("create", "user", "bob", None, None, "planned"),
             ("create", "grant", "alice", "cpg0001-alpha/*", "READWRITE",
              "planned"),
             ("create", "grant", "alice", "cpg0002-beta/*", "READWRITE",
              "planned"),
             ("create", "grant", "bob", "cpg0003-gamma/*", "READ",
              "planned")])
        self.assertEqual(self.all_users(), [])

    # ---- apply ------------------------------------------------------------

    def test_apply_converges_and_a_second_apply_changes_nothing(self):
        path = self.roster(TEAM)

        result = self.apply(path, "--credentials-dir", self.keys)

        lines = result.stdout.splitlines()
        self.assertEqual(lines[0], f"Roster {path} for stack cpgstaging in "
                                   f"account {ACCOUNT_ID}:")
        self.assertEqual(lines[1:6], TEAM_PLAN)
        self.assertEqual(sorted(lines[6:11]), sorted([
            f"created user alice (key written to {self.keys}/alice."
            "credentials)",
            f"created user bob (key written to {self.keys}/bob.credentials)",
            "created grant alice cpg0001-alpha/* READWRITE",
            "created grant alice cpg0002-beta/* READWRITE",
            "created grant bob cpg0003-gamma/* READ",
        ]))
        self.assertEqual(lines[11:], ["Done: 5 change(s) applied."])
        self.assertEqual(result.stderr, "")  # no terminal, no progress line
        self.assertEqual(self.group_members(), ["alice", "bob"])
        alice_key = self.assert_contributor("alice")
        bob_key = self.assert_contributor("bob")
        self.assertEqual(self.grant_set(), {
            ("alice", "cpg0001-alpha/*", "READWRITE"),
            ("alice", "cpg0002-beta/*", "READWRITE"),
            ("bob", "cpg0003-gamma/*", "READ"),
        })
        for secret_holder in ("alice", "bob"):
            parser = configparser.ConfigParser()
            parser.read(os.path.join(self.keys, f"{secret_holder}.credentials"))
            self.assertNotIn(parser[secret_holder]["aws_secret_access_key"],
                             result.stdout + result.stderr)
        grant_ids = sorted(g["AccessGrantId"] for g in self.grants())

        again = self.apply(path, "--credentials-dir", self.keys)

        self.assertEqual(
            again.stdout,
            f"Roster {path} for stack cpgstaging in account {ACCOUNT_ID}:\n"
            "  unchanged  2 user(s), 3 grant(s)\n"
            f"No changes: the account matches roster {path}.\n")
        self.assertEqual(self.key_ids("alice"), [alice_key])
        self.assertEqual(self.key_ids("bob"), [bob_key])
        self.assertEqual(sorted(g["AccessGrantId"] for g in self.grants()),
                         grant_ids)

    def test_apply_as_json(self):
        result = self.apply(self.roster(TEAM), "--credentials-dir", self.keys,
                            "--output", "json")

        report = json.loads(result.stdout)
        self.assertEqual(report["applied"], True)
        self.assertEqual({c["status"] for c in report["changes"]}, {"done"})
        users = [c for c in report["changes"] if c["kind"] == "user"]
        self.assertEqual(
            [u["credentials_file"] for u in users],
            [f"{self.keys}/alice.credentials", f"{self.keys}/bob.credentials"])
        grant_ids = {c["grant_id"] for c in report["changes"]
                     if c["kind"] == "grant"}
        self.assertEqual(grant_ids,
                         {g["AccessGrantId"] for g in self.grants()})
        self.assertNotIn("SecretAccessKey", result.stdout)

    def test_an_existing_contributor_gets_no_second_key(self):
        self.cytoskel("cpgstaging", "create", "user", "alice",
                      "--credentials-file",
                      os.path.join(self.keys, "alice.credentials"))
        key = self.key_ids("alice")

        result = self.apply(self.roster(TEAM), "--credentials-dir", self.keys)

        self.assertNotIn("create     user alice", result.stdout)
        self.assertIn("  create     user bob\n", result.stdout)
        self.assertEqual(self.key_ids("alice"), key)
        self.assertEqual(len(self.key_ids("bob")), 1)
        self.assertIn(("alice", "cpg0001-alpha/*", "READWRITE"),
                      self.grant_set())

    def test_removing_a_prefix_or_changing_a_permission(self):
        self.apply(self.roster(TEAM), "--credentials-dir", self.keys)
        kept = next(g["AccessGrantId"] for g in self.grants()
                    if g["GrantScope"].endswith("cpg0002-beta/*"))
        path = self.roster(TEAM.replace('"cpg0001-alpha/", ', "")
                           .replace('permission = "READ"',
                                    'permission = "WRITE"'))

        result = self.apply(path)

        self.assertEqual(result.stdout.splitlines()[1:5], [
            "  create     grant bob cpg0003-gamma/* WRITE (replaces READ)",
            "  delete     grant alice cpg0001-alpha/* READWRITE (not in the "
            "roster)",
            "  delete     grant bob cpg0003-gamma/* READ (replaced by WRITE)",
            "  unchanged  2 user(s), 1 grant(s)",
        ])
        self.assertTrue(result.stdout.endswith("Done: 3 change(s) applied.\n"))
        self.assertEqual(self.grant_set(), {
            ("alice", "cpg0002-beta/*", "READWRITE"),
            ("bob", "cpg0003-gamma/*", "WRITE"),
        })
        self.assertIn(kept, [g["AccessGrantId"] for g in self.grants()])
        self.assertIn("No changes", self.apply(path).stdout)

    def test_a_grant_made_behind_its_back_is_removed(self):
        self.apply(self.roster(TEAM), "--credentials-dir", self.keys)
        self.s3control.create_access_grant(
            AccountId=ACCOUNT_ID, AccessGrantsLocationId=self.location,
            AccessGrantsLocationConfiguration={"S3SubPrefix": "cpg0009-x/*"},
            Grantee={"GranteeType": "IAM",
                     "GranteeIdentifier": USER_ARN + "bob"},
            Permission="READWRITE")

        result = self.apply(self.roster(TEAM))

        self.assertIn("  delete     grant bob cpg0009-x/* READWRITE (not in "
                      "the roster)\n", result.stdout)
        self.assertNotIn(("bob", "cpg0009-x/*", "READWRITE"),
                         self.grant_set())

    def test_progress_line_when_stderr_is_a_terminal(self):
        master, slave = pty.openpty()
        self.addCleanup(os.close, master)
        with subprocess.Popen(
                [BINARY, "cpgstaging", "apply", self.roster(TEAM),
                 "--credentials-dir", self.keys],
                env=self.env, stdout=subprocess.PIPE, stderr=slave,
                text=True) as process:
            os.close(slave)
            stdout, _ = process.communicate(timeout=120)
            self.assertEqual(process.returncode, 0, stdout)
        terminal = b""
        while select.select([master], [], [], 0.5)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            terminal += chunk
        terminal = terminal.decode()
        self.assertIn("\rreading the account...", terminal)
        self.assertIn("\r[1/5] creating users\x1b[K", terminal)
        self.assertIn("\r[5/5] ", terminal)
        self.assertTrue(terminal.endswith("\r\x1b[K"), repr(terminal))
        self.assertNotIn("\r", stdout)
        self.assertTrue(stdout.endswith("Done: 5 change(s) applied.\n"))

    # ---- --prune ----------------------------------------------------------

    def test_unlisted_users_are_kept_unless_pruned(self):
        self.apply(self.roster(TEAM), "--credentials-dir", self.keys)
        only_alice = self.roster(TEAM.split("[users.bob]")[0], "alice.toml")

        kept = self.apply(only_alice)

        self.assertIn("  kept       user bob (not in the roster; --prune "
                      "offboards it)\n", kept.stdout)
        self.assertTrue(kept.stdout.endswith(
            f"No changes: the account matches roster {only_alice}.\n"))
        self.assertEqual(self.group_members(), ["alice", "bob"])

        dry = self.apply(only_alice, "--prune", "--dry-run")
        self.assertIn("  delete     user bob (not in the roster: offboarded "
                      "with its 1 grant(s) and keys)\n", dry.stdout)
        self.assertEqual(self.group_members(), ["alice", "bob"])

        pruned = self.apply(only_alice, "--prune")

        self.assertIn("deleted user bob (1 grant(s) deleted with it)\n",
                      pruned.stdout)
        self.assertEqual(self.all_users(), ["alice"])
        self.assertEqual({g[0] for g in self.grant_set()}, {"alice"})
        with self.assertRaises(ClientError):
            self.iam.get_user(UserName="bob")
        self.assertIn("No changes", self.apply(only_alice, "--prune").stdout)

    # ---- refusals ---------------------------------------------------------

    def assert_refused(self, args, message, code=252):
        log_before = self.log_size()
        result = self.cytoskel("cpgstaging", "apply", *args, expect=code)
        self.assertEqual(result.stdout, "")
        self.assertEqual(result.stderr, f"cytoskel: error: {message}\n")
        return log_before

    def test_bad_rosters_are_refused_before_any_call(self):
        cases = [
            ('[users.alice]\nprefixes = ["a/"]\nprefix = ["b/"]\n',
             "3: users.alice: unknown key 'prefix' (a user takes only "
             "prefixes and permission)"),
            ('[users."al ice"]\nprefixes = ["a/"]\n',
             "1: user name 'al ice' may hold only letters, digits and "
             "+=,.@_-"),
            ('[users.alice]\nprefixes = ["a/", "cpg0001*"]\n',
             "2: users.alice.prefixes: prefix 'cpg0001*' has a '*' that is "
             "not at the end of a folder: a grant covers whole folders, for "
             "example 'cpg0001/*'"),
            ('[users.alice]\nprefixes = ["a/"]\n\n[users.ALICE]\n'
             'prefixes = ["b/"]\n',
             "4: user ALICE is user alice again (line 1): IAM user names "
             "ignore case"),
            ('[users.alice]\nprefixes = ["a/"]\n[users.alice]\n'
             'prefixes = ["b/"]\n',
             "3: Error while parsing table header: cannot redefine existing "
             "table 'users.alice'"),
            ('[users.alice]\nprefixes = ["a/"]\npermission = "ALL"\n',
             "3: users.alice.permission: permission 'ALL' must be READ, "
             "WRITE or READWRITE"),
            ('[users.alice]\nprefixes = []\n',
             "2: users.alice.prefixes is empty: list at least one prefix, "
             "or remove the user"),
        ]
        for text, message in cases:
            with self.subTest(text=text):
                path = self.roster(text)
                before = self.assert_refused(
                    [path, "--credentials-dir", self.keys],
                    f"{path}:{message}")
                self.assertEqual(self.log_size(), before)
        self.assertEqual(self.all_users(), [])

    def test_unreadable_rosters_are_refused_before_any_call(self):
        missing = os.path.join(self.scratch, "missing.toml")
        binary = self.roster("\x7fELF\x00\x00", "binary.toml")
        huge = self.roster("#" * (1 << 20) + "\n", "huge.toml")
        cases = [
            (missing, f"roster {missing} does not exist"),
            (self.scratch, f"cannot read roster {self.scratch}: it is not a "
                           "regular file"),
            (binary, f"{binary}:1: not a text file (it holds a NUL byte): a "
                     "roster is TOML text"),
            (huge, f"roster {huge} is larger than 1048576 bytes: a roster is "
                   "a short text file"),
        ]
        for path, message in cases:
            with self.subTest(path=path):
                before = self.assert_refused([path], message)
                self.assertEqual(self.log_size(), before)

    def test_a_bad_credentials_dir_is_refused_before_any_call(self):
        missing = os.path.join(self.scratch, "nowhere")
        before = self.assert_refused(
            [self.roster(TEAM), "--credentials-dir", missing],
            f"--credentials-dir {missing}: No such file or directory")
        self.assertEqual(self.log_size(), before)

    def test_new_users_need_a_credentials_dir(self):
        self.assert_refused(
            [self.roster(TEAM)],
            "alice, bob will get a new access key: pass --credentials-dir DIR "
            "to say where the key files go (DIR/NAME.credentials); nothing "
            "was changed")
        self.assertEqual(self.all_users(), [])

    def test_a_key_file_that_cannot_be_written_is_refused_first(self):
        os.mkdir(os.path.join(self.keys, "bob.credentials"))

        self.assert_refused(
            [self.roster(TEAM), "--credentials-dir", self.keys],
            f"refusing to write secrets to {self.keys}/bob.credentials: it "
            "is not a regular file")
        self.assertEqual(self.all_users(), [])
        self.assertEqual(self.grants(), [])

    def test_users_it_does_not_manage_are_refused(self):
        self.iam.create_user(UserName="bob")

        self.assert_refused(
            [self.roster(TEAM), "--credentials-dir", self.keys],
            "bob already exist(s) in IAM but cytoskel does not manage them "
            f"(not in group {GROUP}, no tag managed-by=cytoskel): remove them "
            "from the roster, or adopt them by adding them to group "
            f"{GROUP}; nothing was changed")
        self.assertEqual(self.all_users(), ["bob"])
        self.assertEqual(self.grants(), [])

    # ---- many users -------------------------------------------------------

    def test_thirty_users_apply_concurrently(self):
        names = [f"lab{number:02d}" for number in range(30)]
        path = self.roster("".join(
            f'[users.{name}]\nprefixes = ["cpg{index:04d}-{name}/"]\n'
            for index, name in enumerate(names)))

        started = time.monotonic()
        result = self.apply(path, "--credentials-dir", self.keys)
        elapsed = time.monotonic() - started

        self.assertTrue(result.stdout.endswith(
            "Done: 60 change(s) applied.\n"), result.stdout)
        self.assertEqual(self.group_members(), names)
        for name in names:
            self.assertEqual(len(self.key_ids(name)), 1, name)
        self.assertEqual(sorted(os.listdir(self.keys)),
                         [f"{name}.credentials" for name in names])
        self.assertEqual(self.grant_set(), {
            (name, f"cpg{index:04d}-{name}/*", "READWRITE")
            for index, name in enumerate(names)})
        self.assertIn("No changes", self.apply(path).stdout)
        print(f"\n  30-user apply took {elapsed:.1f} s", end=" ")


if __name__ == "__main__":
    unittest.main()
