"""Hostile input end to end: bad command lines and files, and malformed or
truncated AWS replies.

Bad input (names, ARNs, ids, prefixes, durations, options, and files that
are missing, unreadable, empty, binary or huge) must give one clear
`cytoskel: error: ...` line, the documented exit code (252 bad command
line or input value, 253 bad configuration or credentials), no crash, and
no AWS call at all: cytoskel is pointed at tests/faults/proxy.py, whose
counters must stay at zero.

Malformed replies, injected by the proxy, must give a clear error (exit 254
or 255), never a crash and never a wrong success (a printed key, list line
or credential that AWS did not really give).
"""

import os
import re
import stat
import tempfile
import unittest

from tests.faults.scenario import BUCKET, FaultScenario, inventory

USAGE, CONFIG, SERVICE, OTHER = 252, 253, 254, 255
LONG = "a" * 65
HTML = (b"<html><head><title>502 Bad Gateway</title></head><body><center>"
        b"<h1>502 Bad Gateway</h1></center><hr><center>nginx</center>"
        b"</body></html>\n")

# (what, arguments, exit code, fragment of the message). Every row needs
# no AWS call to be refused.
BAD_COMMAND_LINES = [
    ("name with a space", ["cpgstaging", "create", "user", "bad name"],
     USAGE, "may hold only letters, digits and +=,.@_-"),
    ("empty name", ["cpgstaging", "create", "user", ""], USAGE,
     "must be 1 to 64 characters long"),
    ("65-character name", ["cpgstaging", "create", "user", LONG], USAGE,
     "must be 1 to 64 characters long"),
    ("name with an escape", ["cpgstaging", "create", "user", "al\x1bice"],
     USAGE, "user name 'al?ice'"),
    ("name with a slash", ["cpgstaging", "delete", "user", "a/b"], USAGE,
     "may hold only"),
    ("offboard a bad name", ["cpgstaging", "offboard", "bad name"], USAGE,
     "may hold only"),
    ("rotate-key a bad name", ["cpgstaging", "rotate-key", "x" * 100], USAGE,
     "must be 1 to 64 characters long"),
    ("short account in an ARN",
     ["cpgstaging", "create", "grant", "arn:aws:iam::12:user/x", "loc-1",
      "cpg0001"], USAGE, "is not an IAM user ARN"),
    ("bucket ARN as grantee",
     ["cpgstaging", "create", "grant", "arn:aws:s3:::bucket", "loc-1",
      "cpg0001"], USAGE, "is not an IAM user ARN"),
    ("location id with a path",
     ["cpgstaging", "create", "grant", "alice", "../x", "cpg0001"], USAGE,
     "location id '../x' must be 1 to 64 letters, digits or '-'"),
    ("grant id with a bang", ["cpgstaging", "delete", "grant", "not valid!"],
     USAGE, "grant id 'not valid!'"),
    ("empty prefix", ["cpgstaging", "create", "grant", "alice", "loc-1", ""],
     USAGE, "would grant the whole bucket"),
    ("bare star prefix",
     ["cpgstaging", "create", "grant", "alice", "loc-1", "*"], USAGE,
     "would grant the whole bucket"),
    ("star inside a prefix",
     ["cpgstaging", "create", "grant", "alice", "loc-1", "cpg0001*"], USAGE,
     "has a '*' that is not at the end of a folder"),
    ("absolute prefix",
     ["cpgstaging", "create", "grant", "alice", "loc-1", "/abs"], USAGE,
     "must not start with '/'"),
    ("dot-dot prefix",
     ["cpgstaging", "create", "grant", "alice", "loc-1", "a/../b"], USAGE,
     "empty, '.' or '..' folder name"),
    ("bad permission",
     ["cpgstaging", "create", "grant", "alice", "loc-1", "cpg0001",
      "--permission", "EXECUTE"], USAGE, "must be READ, WRITE or READWRITE"),
    ("onboard the whole bucket",
     ["cpgstaging", "onboard", "alice", "--prefix", "*"], USAGE,
     "would grant the whole bucket"),
    ("duration too short", ["credentials", "--duration", "10"], USAGE,
     "--duration must be from 900 to 43200 seconds"),
    ("duration too long", ["credentials", "--duration", "99999"], USAGE,
     "--duration must be from 900 to 43200 seconds"),
    ("negative duration", ["credentials", "--duration", "-1"], USAGE,
     "--duration must be from 900 to 43200 seconds"),
    ("duration not a number", ["credentials", "--duration", "abc"], USAGE,
     "--duration"),
    ("target not S3", ["credentials", "--target", "http://x/y"], USAGE,
     "must be an S3 URI"),
    ("target without bucket", ["credentials", "--target", "s3://"], USAGE,
     "names no bucket"),
    ("bad privilege", ["credentials", "--privilege", "Max"], USAGE,
     "--privilege must be Default or Minimal"),
    ("bad format", ["credentials", "--format", "xml"], USAGE,
     "--format must be env, json or process"),
    ("exec without a command", ["exec"], USAGE, "exec needs a command"),
    ("bad output", ["--output", "yaml", "whoami"], USAGE,
     "--output must be text, json or table"),
    ("bad region flag", ["--region", "bad region!", "whoami"], USAGE,
     "Invalid region"),
    ("endpoint not a URL", ["--endpoint-url", "not a url", "whoami"], USAGE,
     "must start with http:// or https://"),
    ("unknown flag", ["cpgstaging", "up", "--bogus-flag"], USAGE,
     "--bogus-flag"),
    ("unknown command", ["nosuchcommand"], USAGE,
     "'nosuchcommand' is not a command of 'cytoskel'"),
]


class HostileCommandLineTest(FaultScenario):
    """Each bad input is refused before any AWS call."""

    def setUp(self):
        super().setUp()
        self.scratch = tempfile.mkdtemp(prefix="cytoskel-hostile-")
        self.files = self.make_files()

    def path(self, name):
        return os.path.join(self.scratch, name)

    def make_files(self):
        """Files that are missing, empty, binary, huge, unreadable, or not
        files at all."""
        files = {"missing": self.path("no-such-dir/file"),
                 "directory": self.scratch,
                 # Exists, and cannot be read even by root.
                 "unreadable": "/proc/self/mem"}
        with open(self.path("empty"), "w"):
            pass
        files["empty"] = self.path("empty")
        with open(self.path("binary"), "wb") as f:
            f.write(bytes(range(256)) * 64 + b"\x00\xff[profile\x00")
        files["binary"] = self.path("binary")
        with open(self.path("huge"), "wb") as f:
            f.write(os.urandom(1 << 20) * 24)  # 24 MiB of noise
        files["huge"] = self.path("huge")
        with open(self.path("link-target"), "w") as f:
            f.write("not a secret\n")
        os.symlink(self.path("link-target"), self.path("link"))
        files["symlink"] = self.path("link")
        return files

    def assert_refused(self, args, code, fragment, **env):
        result = self.cytoskel(*args, expect=None, timeout=60, **env)
        self.assertEqual(result.returncode, code,
                         f"{args}: {result.stdout}{result.stderr}")
        self.assertTrue(result.stderr.startswith("cytoskel: error: "),
                        result.stderr)
        self.assertIn(fragment, result.stderr)
        self.assertLess(len(result.stderr), 2000, "one clear message")
        for crash in ("Traceback", "terminate called", "Sanitizer",
                      "Segmentation", "core dumped"):
            self.assertNotIn(crash, result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertEqual(self.proxy.total(), 0,
                         f"AWS was called: {self.proxy.log}")

    def test_bad_command_lines(self):
        for what, args, code, fragment in BAD_COMMAND_LINES:
            with self.subTest(what):
                self.assert_refused(args, code, fragment)

    def test_bad_secret_file_paths(self):
        cases = [
            ("missing directory", "missing", "does not exist"),
            ("a directory", "directory", "is not a regular file"),
            ("a symbolic link", "symlink", "symbolic link"),
        ]
        for what, name, fragment in cases:
            for command in (["cpgstaging", "create", "user", "alice"],
                            ["cpgstaging", "onboard", "alice", "--prefix",
                             "cpg0001"]):
                with self.subTest(what, command=command[1]):
                    self.assert_refused(
                        command + ["--credentials-file", self.files[name]],
                        USAGE, fragment)
        with open(self.path("link-target")) as f:
            self.assertEqual(f.read(), "not a secret\n")

    def test_bad_aws_config_and_credentials_files(self):
        both = ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE")
        cases = [
            ("missing files, named profile", both, "missing",
             "The config profile (CPG) could not be found"),
            ("empty files, named profile", both, "empty",
             "The config profile (CPG) could not be found"),
            ("files are a directory", both, "directory",
             "The config profile (CPG) could not be found"),
            ("missing config, region nowhere", "AWS_CONFIG_FILE", "missing",
             "no AWS region is set"),
            ("binary config", "AWS_CONFIG_FILE", "binary",
             "Unable to parse config file"),
            ("huge binary config", "AWS_CONFIG_FILE", "huge",
             "Unable to parse config file"),
            ("unreadable config", "AWS_CONFIG_FILE", "unreadable",
             "Unable to read /proc/self/mem"),
            ("binary credentials", "AWS_SHARED_CREDENTIALS_FILE", "binary",
             "Unable to parse config file"),
            ("unreadable credentials", "AWS_SHARED_CREDENTIALS_FILE",
             "unreadable", "Unable to read /proc/self/mem"),
        ]
        for what, variables, name, fragment in cases:
            if isinstance(variables, str):
                variables = (variables,)
            with self.subTest(what):
                self.assert_refused(["whoami"], CONFIG, fragment,
                                    **{v: self.files[name]
                                       for v in variables})

    def test_bad_settings(self):
        cases = [
            ({"AWS_MAX_ATTEMPTS": "abc"}, "Invalid max_attempts"),
            ({"AWS_MAX_ATTEMPTS": "0"}, "Invalid max_attempts"),
            ({"AWS_RETRY_MODE": "turbo"}, "Invalid retry mode"),
            ({"AWS_REGION": "bad!"}, "Invalid region"),
            ({"AWS_PROFILE": "nobody"},
             "The config profile (nobody) could not be found"),
            ({"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE"},
             "Partial credentials"),
        ]
        for env, fragment in cases:
            with self.subTest(env=env):
                self.assert_refused(["whoami"], CONFIG, fragment, **env)

    def test_bad_stack_config_files(self):
        toml = self.path("config.toml")
        with open(toml, "w") as f:
            f.write('[stacks.cpgstaging]\nbucket = "other-bucket"\n'
                    'who = 1\n')
        cases = [("binary", self.files["binary"], ""),
                 ("huge", self.files["huge"], ""),
                 ("unknown key", toml, "unknown stack setting 'who'")]
        for what, path, fragment in cases:
            with self.subTest(what):
                self.assert_refused(["cpgstaging", "list", "user"], CONFIG,
                                    fragment, CYTOSKEL_CONFIG=path)

    def test_bad_roster_files(self):
        cases = [("missing", "missing", "does not exist"),
                 ("a directory", "directory", "not a regular file"),
                 ("empty", "empty", ""),
                 ("binary", "binary", ""),
                 ("huge", "huge", ""),
                 ("unreadable", "unreadable", "")]
        for what, name, fragment in cases:
            with self.subTest(what):
                self.assert_refused(
                    ["cpgstaging", "apply", self.files[name],
                     "--credentials-dir", self.scratch], USAGE, fragment)

    def test_a_failing_credential_process(self):
        helper = self.path("helper.sh")
        with open(helper, "w") as f:
            f.write("#!/bin/sh\necho 'helper: token expired' >&2\nexit 3\n")
        os.chmod(helper, 0o700)
        config = self.path("config")
        with open(config, "w") as f:
            f.write(f"[profile broken]\nregion = us-east-1\n"
                    f"credential_process = {helper}\n")
        self.assert_refused(["whoami"], CONFIG, "helper: token expired",
                            AWS_CONFIG_FILE=config, AWS_PROFILE="broken")


def cut_in_half(status, headers, body):
    return status, headers, body[:len(body) // 2]


def replace(pattern, text):
    def transform(status, headers, body):
        return status, headers, re.sub(pattern, text, body)
    return transform


class MalformedReplyTest(FaultScenario):
    """Replies that are cut, empty, of the wrong type, or HTML from a proxy
    in between."""

    def assert_clear_failure(self, args, codes, fragment):
        result = self.cytoskel(*args, expect=None)
        self.assertIn(result.returncode, codes,
                      f"{args}: {result.stdout}{result.stderr}")
        self.assertIn(fragment, result.stderr)
        self.assertTrue(result.stderr.rstrip().splitlines()[-1].startswith(
            "cytoskel: error: "), result.stderr)
        for crash in ("terminate called", "Sanitizer", "Segmentation"):
            self.assertNotIn(crash, result.stderr)
        return result

    def test_whoami_on_broken_replies(self):
        rules = [
            ("cut XML", dict(fault="mangle", transform=cut_in_half),
             "the reply is not valid XML"),
            ("empty body", dict(fault="reply", status=200, body=b""),
             "the reply is not valid XML (empty body)"),
            ("JSON", dict(fault="reply", status=200,
                          body=b'{"Account": "123456789012"}'),
             "the reply is not valid XML"),
            ("HTML page", dict(fault="reply", status=200, body=HTML,
                               headers={"Content-Type": "text/html"}),
             "GetCallerIdentity: the reply is not valid XML"),
            ("missing element", dict(fault="mangle", transform=replace(
                rb"<Account>[^<]*</Account>", b"")),
             "the reply has no <Account>"),
            ("connection cut mid-answer", dict(fault="cut"),
             "on all 3 attempts"),
            ("HTML 502 from a proxy", dict(fault="reply", status=502,
                                           body=HTML),
             "HTTP 502 with no AWS error in the reply"),
        ]
        for what, rule, fragment in rules:
            with self.subTest(what):
                self.proxy.clear_rules()
                rule = dict(rule)
                self.proxy.add_rule("GetCallerIdentity", rule.pop("fault"),
                                    **rule)
                result = self.assert_clear_failure(["whoami"], (OTHER,),
                                                   fragment)
                self.assertEqual(result.stdout, "")

    def test_lists_never_print_what_aws_did_not_say(self):
        self.up()
        cases = [
            ("ListAccessGrants", ["cpgstaging", "list", "grant"],
             dict(fault="reply", status=200, body=(
                 b"<ListAccessGrantsResult><AccessGrantsList>"
                 b"<AccessGrantsListEntry><Permission>EVERYTHING</Permission>"
                 b"</AccessGrantsListEntry></AccessGrantsList>"
                 b"</ListAccessGrantsResult>")),
             "no <AccessGrantId>"),
            ("ListAccessGrantsLocations", ["cpgstaging", "list", "location"],
             dict(fault="mangle", transform=replace(
                 rb"<AccessGrantsLocationId>[^<]*</AccessGrantsLocationId>",
                 b"")),
             "no <AccessGrantsLocationId>"),
            ("ListAccessGrantsLocations", ["cpgstaging", "list", "location"],
             dict(fault="mangle", transform=cut_in_half),
             "not valid XML"),
            ("GetGroup", ["cpgstaging", "list", "user"],
             dict(fault="reply", status=200, body=HTML),
             "GetGroup"),
        ]
        for operation, args, rule, fragment in cases:
            with self.subTest(operation=operation, fragment=fragment):
                self.proxy.clear_rules()
                rule = dict(rule)
                self.proxy.add_rule(operation, rule.pop("fault"), **rule)
                result = self.assert_clear_failure(args, (OTHER,), fragment)
                self.assertEqual(result.stdout, "")

    def test_a_key_reply_without_its_secret_is_no_success(self):
        self.up()
        self.proxy.add_rule("CreateAccessKey", "mangle", transform=replace(
            rb"<SecretAccessKey>[^<]*</SecretAccessKey>", b""))
        result = self.assert_clear_failure(
            ["cpgstaging", "create", "user", "alice"], (OTHER,),
            "no <SecretAccessKey>")
        self.assertNotIn("Creds:", result.stdout)
        # One clean rerun converges: one user, in the group, one key.
        self.proxy.clear_rules()
        self.cytoskel("cpgstaging", "create", "user", "alice")
        found = inventory(self.emulator)
        self.assertEqual(found.users, ["alice"])
        self.assertEqual(len(found.keys["alice"]), 1)

    def test_scoped_credentials_with_a_bad_expiration_are_no_success(self):
        location = self.up()
        contributor = self.emulator.create_contributor("bob")
        self.emulator.client("s3control").create_access_grant(
            AccountId="123456789012", AccessGrantsLocationId=location,
            AccessGrantsLocationConfiguration={"S3SubPrefix": "cpg0001/*"},
            Grantee={"GranteeType": "IAM",
                     "GranteeIdentifier": contributor.arn},
            Permission="READWRITE")
        env = dict(contributor.credentials.env(), AWS_PROFILE=None,
                   AWS_REGION="us-east-1", HOME=self.scratch_home())
        for what, pattern, text in (
                ("expiration not a time", rb"<Expiration>[^<]*</Expiration>",
                 b"<Expiration>soon</Expiration>"),
                ("no session token", rb"<SessionToken>[^<]*</SessionToken>",
                 b"")):
            with self.subTest(what):
                self.proxy.clear_rules()
                self.proxy.add_rule("GetDataAccess", "mangle",
                                    transform=replace(pattern, text))
                result = self.cytoskel("credentials", "--no-cache",
                                       expect=None, **env)
                self.assertIn(result.returncode, (OTHER,), result.stderr)
                self.assertEqual(result.stdout, "")
                self.assertIn("GetDataAccess", result.stderr)

    def scratch_home(self):
        home = tempfile.mkdtemp(prefix="cytoskel-home-")
        os.chmod(home, stat.S_IRWXU)
        return home

    def test_an_error_answer_without_a_body_is_no_wrong_success(self):
        # A 404 with no AWS error document must not read as "the instance
        # does not exist" (that would create a second one).
        self.up()
        self.proxy.reset_counts()
        self.proxy.add_rule("GetAccessGrantsInstance", "reply", status=404,
                            body=b"")
        self.assert_clear_failure(["cpgstaging", "up"], (SERVICE, OTHER),
                                  "GetAccessGrantsInstance")
        self.assertEqual(self.proxy.attempts("CreateAccessGrantsInstance"), 0)
        self.assertEqual(inventory(self.emulator).locations[0][0],
                         f"s3://{BUCKET}/")


if __name__ == "__main__":
    unittest.main()
