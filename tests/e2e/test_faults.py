"""cytoskel under injected faults: retries, no blind replays, a wrong
clock, and kill -9 at any point followed by one rerun.

Every test puts tests/faults/proxy.py between cytoskel and a fresh emulated
account, injects faults by AWS operation, counts the attempts the proxy
saw, and checks the account afterwards with boto3 straight from the
emulator (never through cytoskel).

Kill tests pick their points at random; the seed is printed in any failure
and CYTOSKEL_FAULT_SEED=N replays it. CYTOSKEL_KILL_ALL=1 tries every
point instead of a sample (slow: about a minute per command).
"""

import os
import random
import signal
import subprocess
import tempfile
import threading
import time
import unittest

from tests.e2e.cytoskel_run import BINARY
from tests.faults.scenario import (BUCKET, GROUP, FaultScenario, created_key,
                                   faketime_library, inventory, user_arn)

SEED = int(os.environ.get("CYTOSKEL_FAULT_SEED", random.randrange(10**6)))
KILL_ALL = os.environ.get("CYTOSKEL_KILL_ALL") == "1"
KILL_SAMPLES = 4  # kill points per command in a normal run


def help_lists(*words):
    """True when `cytoskel cpgstaging --help` lists every word (commands
    another engineer may not have added yet)."""
    result = subprocess.run([BINARY, "cpgstaging", "--help"],
                            capture_output=True, text=True, timeout=30)
    return all(word in result.stdout for word in words)


class RetryTest(FaultScenario):
    """The standard retry rules, counted on the wire."""

    def test_two_throttles_then_success(self):
        self.proxy.add_rule("GetCallerIdentity", "throttle", times=2)
        result = self.cytoskel("whoami")
        self.assertIn("123456789012", result.stdout)
        self.assertEqual(self.proxy.attempts("GetCallerIdentity"), 3)

    def test_two_slowdowns_then_success(self):
        self.up()
        self.proxy.reset_counts()
        self.proxy.add_rule("ListAccessGrantsLocations", "slowdown", times=2)
        result = self.cytoskel("cpgstaging", "list", "location")
        self.assertIn(f"s3://{BUCKET}/", result.stdout)
        self.assertEqual(self.proxy.attempts("ListAccessGrantsLocations"), 3)

    def test_two_server_errors_then_success(self):
        self.up()
        self.proxy.reset_counts()
        self.proxy.add_rule("GetGroup", "internal", times=2)
        self.cytoskel("cpgstaging", "list", "user")
        self.assertEqual(self.proxy.attempts("GetGroup"), 3)

    def test_permanent_throttling_stops_after_three_attempts(self):
        self.proxy.add_rule("GetCallerIdentity", "throttle")
        result = self.cytoskel("whoami", expect=254)
        self.assertEqual(self.proxy.attempts("GetCallerIdentity"), 3)
        self.assertIn("GetCallerIdentity throttled on all 3 attempts",
                      result.stderr)
        self.assertIn("Throttling", result.stderr)

    def test_permanent_slowdown_on_a_create_stops_after_three_attempts(self):
        # An answered error is safe to retry even for a create: the server
        # said it did nothing.
        self.proxy.add_rule("CreateBucket", "slowdown")
        result = self.cytoskel("cpgstaging", "up", expect=254)
        self.assertEqual(self.proxy.attempts("CreateBucket"), 3)
        self.assertIn("CreateBucket throttled on all 3 attempts",
                      result.stderr)
        self.assertIn("SlowDown", result.stderr)

    def test_aws_max_attempts_is_respected(self):
        self.proxy.add_rule("GetCallerIdentity", "throttle")
        for attempts in (1, 2, 4):
            with self.subTest(attempts=attempts):
                self.proxy.reset_counts()
                result = self.cytoskel("whoami", expect=254,
                                       AWS_MAX_ATTEMPTS=str(attempts))
                self.assertEqual(self.proxy.attempts("GetCallerIdentity"),
                                 attempts)
                self.assertIn(f"on all {attempts} attempts", result.stderr)

    def test_profile_max_attempts_is_respected(self):
        with open(self.emulator.config_file, "a") as config:
            config.write("max_attempts = 2\n")  # last section: [profile CPG]
        self.proxy.add_rule("GetCallerIdentity", "internal")
        result = self.cytoskel("whoami", expect=254)
        self.assertEqual(self.proxy.attempts("GetCallerIdentity"), 2)
        self.assertIn("on all 2 attempts", result.stderr)

    def test_a_reset_connection_on_a_read_is_retried(self):
        self.proxy.add_rule("GetCallerIdentity", "reset", times=1)
        self.cytoskel("whoami")
        self.assertEqual(self.proxy.attempts("GetCallerIdentity"), 2)

    def test_a_slow_answer_is_waited_for(self):
        self.proxy.add_rule("GetCallerIdentity", "stall", times=1,
                            seconds=2.0)
        started = time.monotonic()
        self.cytoskel("whoami")
        self.assertGreaterEqual(time.monotonic() - started, 2.0)
        self.assertEqual(self.proxy.attempts("GetCallerIdentity"), 1)

    def test_a_server_that_never_answers_is_given_up_on(self):
        # cytoskel's stall timeout is 60 s without a byte.
        self.proxy.add_rule("GetCallerIdentity", "stall")
        started = time.monotonic()
        result = self.cytoskel("whoami", expect=255, AWS_MAX_ATTEMPTS="1")
        elapsed = time.monotonic() - started
        self.assertGreater(elapsed, 50)
        self.assertLess(elapsed, 120)
        self.assertIn("GetCallerIdentity", result.stderr)
        self.assertEqual(self.proxy.attempts("GetCallerIdentity"), 1)


class NoBlindReplayTest(FaultScenario):
    """A create that ran but whose answer was lost is never sent again
    blindly: cytoskel looks before it creates again."""

    def test_lost_create_user_answer(self):
        self.up()
        self.proxy.add_rule("CreateUser", "lost", times=1)
        result = self.cytoskel("cpgstaging", "create", "user", "alice")
        self.assertEqual(self.proxy.attempts("CreateUser"), 1)
        self.assert_one_delivered_key("alice", created_key(result.stdout))

    def test_lost_create_access_key_answer(self):
        self.up()
        self.proxy.add_rule("CreateAccessKey", "lost", times=1)
        result = self.cytoskel("cpgstaging", "create", "user", "alice")
        # The lost key is deleted, then exactly one more is made.
        self.assertEqual(self.proxy.attempts("CreateAccessKey"), 2)
        self.assertEqual(self.proxy.attempts("DeleteAccessKey"), 1)
        self.assertIn("its secret was lost", result.stderr)
        self.assert_one_delivered_key("alice", created_key(result.stdout))

    def test_lost_create_access_key_answer_with_a_credentials_file(self):
        self.up()
        self.proxy.add_rule("CreateAccessKey", "lost", times=1)
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "alice.credentials")
            self.cytoskel("cpgstaging", "create", "user", "alice",
                          "--credentials-file", path)
            with open(path) as f:
                lines = dict(line.split(" = ", 1) for line in
                             f.read().splitlines() if " = " in line)
        key = {"AccessKeyId": lines["aws_access_key_id"],
               "SecretAccessKey": lines["aws_secret_access_key"]}
        self.assert_one_delivered_key("alice", key)

    def test_lost_create_access_grant_answer(self):
        location = self.up()
        self.cytoskel("cpgstaging", "create", "user", "alice")
        self.proxy.reset_counts()
        self.proxy.add_rule("CreateAccessGrant", "lost", times=1)
        result = self.cytoskel("cpgstaging", "create", "grant",
                               user_arn("alice"), location, "cpg0001-x")
        self.assertEqual(self.proxy.attempts("CreateAccessGrant"), 1)
        grants = inventory(self.emulator).grants
        self.assertEqual(grants, [(user_arn("alice"),
                                   f"s3://{BUCKET}/cpg0001-x/*",
                                   "READWRITE")])
        self.assertIn("Created grant with ARN: ", result.stdout)

    def test_lost_answer_of_each_write_in_up(self):
        """One lost answer per run, on each write `up` makes; the same run
        still converges. A create is never sent twice; a write that is
        harmless to repeat (idempotent) may be retried once."""
        creates = ("CreateAccessGrantsInstance", "CreatePolicy",
                   "CreateGroup", "CreateRole", "CreateAccessGrantsLocation")
        idempotent = ("CreateBucket", "PutPublicAccessBlock",
                      "PutBucketEncryption", "PutBucketOwnershipControls",
                      "AttachGroupPolicy", "PutRolePolicy")
        for operation in creates + idempotent:
            with self.subTest(operation=operation):
                self.fresh_account()
                self.proxy.add_rule(operation, "lost", times=1)
                self.cytoskel("cpgstaging", "up")
                sent = self.proxy.attempts(operation)
                if operation in creates:
                    self.assertEqual(sent, 1, self.proxy.log)
                else:
                    self.assertIn(sent, (1, 2), self.proxy.log)
                self.assert_stack_converged()

    def assert_one_delivered_key(self, name, key):
        """User `name` exists once, in the group, with exactly one access
        key: the one handed over, whose secret works."""
        found = inventory(self.emulator)
        self.assertEqual(found.users, [name])
        self.assertEqual(found.members[GROUP], [name])
        self.assertEqual(found.keys[name], [key["AccessKeyId"]])
        sts = self.emulator.session().client(
            "sts", endpoint_url=self.emulator.endpoint,
            aws_access_key_id=key["AccessKeyId"],
            aws_secret_access_key=key["SecretAccessKey"])
        self.assertEqual(sts.get_caller_identity()["Arn"], user_arn(name))


class ClockSkewTest(FaultScenario):
    """A client clock 20 minutes off: the proxy refuses the first request
    as AWS would (RequestTimeTooSkewed, true Date header); cytoskel corrects
    its signing clock once and pays exactly one extra request."""

    def setUp(self):
        super().setUp()
        library = faketime_library()
        self.assertIsNotNone(
            library, "libfaketime is missing: scripts/install-deps.sh "
            "installs it (Debian package libfaketime)")
        self.faketime = {"LD_PRELOAD": library,
                         "FAKETIME_DONT_FAKE_MONOTONIC": "1"}

    def requests_for(self, *args, offset):
        self.proxy.reset_counts()
        self.cytoskel(*args, FAKETIME=offset, **self.faketime)
        return self.proxy.total(), [what for _, what in self.proxy.log]

    def test_a_clock_twenty_minutes_off_costs_one_request(self):
        self.up()
        for args in (("whoami",), ("cpgstaging", "list", "user"),
                     ("cpgstaging", "up")):
            baseline, log = self.requests_for(*args, offset="+0")
            self.assertNotIn("skewed", log)
            for offset in ("-20m", "+20m"):
                with self.subTest(command=args, offset=offset):
                    total, log = self.requests_for(*args, offset=offset)
                    self.assertEqual(log.count("skewed"), 1, log)
                    self.assertEqual(total, baseline + 1, log)

    def test_the_proxy_refuses_a_skewed_clock(self):
        """The proxy really refuses a skewed signature, so the test above
        would fail if cytoskel did not correct its clock."""
        result = self.cytoskel("whoami", FAKETIME="-20m", **self.faketime,
                               AWS_MAX_ATTEMPTS="1")
        self.assertEqual(self.proxy.log[0], ("GetCallerIdentity", "skewed"))
        self.assertIn("123456789012", result.stdout)


class KillTest(FaultScenario):
    """kill -9 at a random request of a command, then one rerun: the
    account converges, nothing duplicated or orphaned.

    A point is (request number, whether the killed request reached the
    emulator). The process is killed inside the proxy while it holds that
    request, so "before" and "after executed" are both exact."""

    def run_killed(self, args, point, executed):
        """Runs cytoskel and kills it at its request number `point`, after
        the emulator ran that request if `executed`."""
        self.proxy.reset_counts()  # request numbers count from here
        process = subprocess.Popen([BINARY, *args], env=self.env,
                                   stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        killed = threading.Event()

        def hook(request):
            if request.index != point:
                return "forward"
            killed.set()
            process.kill()
            process.wait(timeout=30)  # dead before the request goes on
            return "lost" if executed else "drop"

        self.proxy.add_rule("*", "hook", callback=hook)
        try:
            process.communicate(timeout=120)
        finally:
            self.proxy.clear_rules()
        self.assertTrue(killed.is_set(),
                        f"{args} ended before request {point}")
        self.assertEqual(process.returncode, -signal.SIGKILL)

    def count_requests(self, args, prepare):
        """How many requests `args` makes on a fresh account."""
        prepare()
        self.proxy.reset_counts()
        self.cytoskel(*args)
        return self.proxy.total()

    def points(self, total):
        if KILL_ALL:
            return [(n, e) for n in range(1, total + 1) for e in (False, True)]
        rng = random.Random(f"{SEED}-{total}")
        return [(rng.randint(1, total), rng.random() < 0.5)
                for _ in range(KILL_SAMPLES)]

    def kill_and_rerun(self, args, prepare, check):
        total = self.count_requests(args, prepare)
        for point, executed in self.points(total):
            with self.subTest(point=point, executed=executed, seed=SEED,
                              of=total):
                self.fresh_account()
                prepare()
                self.run_killed(args, point, executed)
                result = self.cytoskel(*args, expect=None)
                check(result)

    def test_kill_up_then_rerun(self):
        def check(result):
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assert_stack_converged()

        self.kill_and_rerun(["cpgstaging", "up"], lambda: None, check)

    def test_kill_create_user_then_rerun(self):
        directory = tempfile.mkdtemp()
        path = os.path.join(directory, "alice.credentials")

        def prepare():
            if os.path.exists(path):
                os.unlink(path)
            self.up()

        def check(result):
            # Killed after the last step, the first run had finished: the
            # rerun then rightly refuses to make a second key.
            finished = "already exists and has an access key" in result.stderr
            self.assertEqual(result.returncode, 252 if finished else 0,
                             result.stderr)
            found = inventory(self.emulator)
            self.assertEqual(found.users, ["alice"])
            self.assertEqual(found.members[GROUP], ["alice"])
            with open(path) as f:
                text = f.read()
            (key,) = found.keys["alice"]
            self.assertIn(f"aws_access_key_id = {key}\n", text)

        self.kill_and_rerun(["cpgstaging", "create", "user", "alice",
                             "--credentials-file", path], prepare, check)

    def assert_contributor(self, found, name, path, prefixes,
                           permission="READWRITE"):
        """`name` is a complete contributor: in the group, one key (the
        one in the file at `path`), exactly the grants on `prefixes`."""
        self.assertIn(name, found.users)
        self.assertIn(name, found.members[GROUP])
        with open(path) as f:
            text = f.read()
        (key,) = found.keys[name]
        self.assertIn(f"aws_access_key_id = {key}\n", text)
        grants = sorted(g for g in found.grants if g[0] == user_arn(name))
        self.assertEqual(grants, sorted(
            (user_arn(name), f"s3://{BUCKET}/{prefix}/*", permission)
            for prefix in prefixes))

    @unittest.skipUnless(help_lists("onboard"),
                         "`cytoskel cpgstaging onboard` does not exist yet")
    def test_kill_onboard_then_rerun(self):
        directory = tempfile.mkdtemp()
        path = os.path.join(directory, "alice.credentials")

        def prepare():
            if os.path.exists(path):
                os.unlink(path)
            self.up()

        def check(result):
            self.assertEqual(result.returncode, 0, result.stderr)
            found = inventory(self.emulator)
            self.assertEqual(found.users, ["alice"])
            self.assert_contributor(found, "alice", path,
                                    ["cpg0001-x", "cpg0002-y"])

        self.kill_and_rerun(["cpgstaging", "onboard", "alice", "--prefix",
                             "cpg0001-x", "--prefix", "cpg0002-y",
                             "--credentials-file", path], prepare, check)

    @unittest.skipUnless(help_lists("apply"),
                         "`cytoskel cpgstaging apply` does not exist yet")
    def test_kill_apply_then_rerun(self):
        directory = tempfile.mkdtemp()
        keys = os.path.join(directory, "keys")
        roster = os.path.join(directory, "team.toml")
        with open(roster, "w") as f:
            f.write('[users.alice]\nprefixes = ["cpg0001-x/", "cpg0002-y/"]'
                    '\n\n[users.bob]\nprefixes = ["cpg0003-z/"]\n'
                    'permission = "READ"\n')

        def prepare():
            for name in ("alice", "bob"):
                if os.path.exists(os.path.join(keys, f"{name}.credentials")):
                    os.unlink(os.path.join(keys, f"{name}.credentials"))
            os.makedirs(keys, exist_ok=True)
            self.up()

        def check(result):
            self.assertEqual(result.returncode, 0, result.stderr)
            found = inventory(self.emulator)
            self.assertEqual(sorted(found.users), ["alice", "bob"])
            self.assertEqual(len(found.grants), 3, found.grants)
            self.assert_contributor(found, "alice",
                                    os.path.join(keys, "alice.credentials"),
                                    ["cpg0001-x", "cpg0002-y"])
            self.assert_contributor(found, "bob",
                                    os.path.join(keys, "bob.credentials"),
                                    ["cpg0003-z"], "READ")

        self.kill_and_rerun(["cpgstaging", "apply", roster,
                             "--credentials-dir", keys], prepare, check)


if __name__ == "__main__":
    unittest.main()
