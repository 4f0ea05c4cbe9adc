"""`cytoskel whoami` through every credential source, against the
signature-checking emulator."""

import json
import os
import pty
import select
import stat
import subprocess
import sys
import tempfile
import textwrap
import unittest

from tests.e2e.cytoskel_run import BINARY, admin_keys, clean_env, run
from tests.emulator.harness import Emulator

ADMIN_ARN = "arn:aws:iam::123456789012:user/"


class WhoamiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emulator = Emulator()
        cls.emulator.start()
        cls.key_id, cls.secret = admin_keys(cls.emulator.home)
        cls.scratch = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.emulator.stop()
        cls.scratch.cleanup()

    def write(self, name, text):
        path = os.path.join(self.scratch.name, name)
        with open(path, "w") as f:
            f.write(textwrap.dedent(text))
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        return path

    def files_env(self, config, credentials="", **extra):
        return clean_env(
            HOME=self.scratch.name,
            AWS_CONFIG_FILE=self.write("config", config),
            AWS_SHARED_CREDENTIALS_FILE=self.write("credentials",
                                                   credentials),
            **extra)

    def assert_whoami(self, env, arn_prefix=ADMIN_ARN, args=()):
        result = run(list(args) + ["whoami", "--output", "json"], env)
        self.assertEqual(result.returncode, 0, result.stderr)
        identity = json.loads(result.stdout)
        self.assertEqual(identity["Account"], "123456789012")
        self.assertTrue(identity["Arn"].startswith(arn_prefix),
                        identity["Arn"])
        self.assertNotIn(self.secret, result.stdout + result.stderr)
        return identity

    def test_environment_keys(self):
        env = clean_env(HOME=self.scratch.name,
                        AWS_ACCESS_KEY_ID=self.key_id,
                        AWS_SECRET_ACCESS_KEY=self.secret,
                        AWS_REGION="us-east-1",
                        AWS_ENDPOINT_URL=self.emulator.endpoint,
                        AWS_CONFIG_FILE="/nonexistent/config",
                        AWS_SHARED_CREDENTIALS_FILE="/nonexistent/creds")
        identity = self.assert_whoami(env)
        self.assertEqual(identity["CredentialSource"], "environment")

    def test_seed_layout_keys_in_config_file(self):
        env = self.files_env(f"""\
            [profile CPG]
            aws_access_key_id = {self.key_id}
            aws_secret_access_key = {self.secret}
            region = us-east-1
            output = json
            endpoint_url = {self.emulator.endpoint}
            """, AWS_PROFILE="CPG")
        identity = self.assert_whoami(env)
        self.assertEqual(identity["CredentialSource"], "config-file")
        self.assertEqual(identity["Profile"], "CPG")
        self.assertEqual(identity["Region"], "us-east-1")

    def test_emulator_home_as_the_readme_shows(self):
        env = clean_env(HOME=self.emulator.home, AWS_PROFILE="CPG")
        result = run(["whoami"], env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Account: 123456789012\n", result.stdout)
        self.assertIn("Profile: CPG\n", result.stdout)

    def test_credentials_file_profile(self):
        env = self.files_env(f"""\
            [profile lab]
            region = us-east-1
            endpoint_url = {self.emulator.endpoint}
            """, f"""\
            [lab]
            aws_access_key_id = {self.key_id}
            aws_secret_access_key = {self.secret}
            """)
        identity = self.assert_whoami(env, args=["--profile", "lab"])
        self.assertEqual(identity["CredentialSource"],
                         "shared-credentials-file")

    def test_credential_process(self):
        payload = json.dumps({"Version": 1, "AccessKeyId": self.key_id,
                              "SecretAccessKey": self.secret})
        script = self.write("creds.json", payload)
        env = self.files_env(f"""\
            [profile proc]
            region = us-east-1
            endpoint_url = {self.emulator.endpoint}
            credential_process = cat {script}
            """, AWS_PROFILE="proc")
        identity = self.assert_whoami(env)
        self.assertEqual(identity["CredentialSource"], "credential-process")

    def role_profile_env(self, role_name, *settings):
        """AWS_PROFILE=role: the role `role_name` (made if missing, trusting
        the account) assumed from the admin keys of profile base, with the
        extra profile `settings` lines."""
        iam = self.emulator.client("iam")
        trust = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "sts:AssumeRole",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"}}]}
        try:
            role = iam.create_role(RoleName=role_name,
                                   AssumeRolePolicyDocument=json.dumps(trust))
        except iam.exceptions.EntityAlreadyExistsException:
            role = iam.get_role(RoleName=role_name)
        extra = "".join(f"            {line}\n" for line in settings)
        return self.files_env(f"""\
            [profile base]
            aws_access_key_id = {self.key_id}
            aws_secret_access_key = {self.secret}
            region = us-east-1
            endpoint_url = {self.emulator.endpoint}

            [profile role]
            role_arn = {role["Role"]["Arn"]}
            source_profile = base
            region = us-east-1
            endpoint_url = {self.emulator.endpoint}
{extra}""", AWS_PROFILE="role")

    def test_assume_role_profile(self):
        identity = self.assert_whoami(
            self.role_profile_env("whoami-admin"),
            arn_prefix="arn:aws:sts::123456789012:assumed-role/"
                       "whoami-admin/")
        self.assertEqual(identity["CredentialSource"], "assume-role")

    def mfa_role_env(self):
        """A profile whose role asks for an MFA code, as the AWS CLI's."""
        return self.role_profile_env(
            "whoami-mfa", "mfa_serial = arn:aws:iam::123456789012:mfa/admin")

    def run_on_terminal(self, args, env, answer):
        """Runs cytoskel on a new pseudo-terminal; types `answer` once the
        MFA prompt shows. Returns (exit code, everything the terminal
        showed)."""
        pid, master = pty.fork()
        if pid == 0:
            os.execve(BINARY, [BINARY] + args, env)
        shown, typed = b"", False
        while True:
            ready, _, _ = select.select([master], [], [], 30)
            if not ready:
                os.kill(pid, 9)
                self.fail(f"no progress on the terminal: {shown!r}")
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
            if not typed and b"Enter MFA code for " in shown:
                os.write(master, answer.encode() + b"\n")
                typed = True
        _, status = os.waitpid(pid, 0)
        os.close(master)
        return os.waitstatus_to_exitcode(status), shown.decode()

    def test_mfa_role_asks_for_the_code_on_the_terminal(self):
        code, shown = self.run_on_terminal(["whoami"], self.mfa_role_env(),
                                           "123456")
        self.assertEqual(code, 0, shown)
        self.assertIn(
            "Enter MFA code for arn:aws:iam::123456789012:mfa/admin: ", shown)
        self.assertIn("assumed-role/whoami-mfa/", shown)
        self.assertNotIn("123456\r", shown, "the code was echoed")
        self.assertNotIn(self.secret, shown)

    def test_mfa_role_refuses_a_code_that_is_not_six_digits(self):
        code, shown = self.run_on_terminal(["whoami"], self.mfa_role_env(),
                                           "12ab")
        self.assertEqual(code, 253, shown)
        self.assertIn("6 digits", shown)

    def test_mfa_role_without_a_terminal_says_so(self):
        env = self.mfa_role_env()
        result = subprocess.run([BINARY, "whoami"], env=env,
                                capture_output=True, text=True, timeout=60,
                                start_new_session=True)
        self.assertEqual(result.returncode, 253, result.stderr)
        self.assertIn("no terminal to ask for it", result.stderr)
        self.assertEqual(result.stdout, "")

    def test_libcurl_is_loaded_only_by_commands_that_send_requests(self):
        def loads_libcurl(args, **extra):
            env = clean_env(HOME=self.scratch.name, LD_DEBUG="files",
                            **extra)
            result = run(args, env)
            return "libcurl.so" in result.stderr
        self.assertFalse(loads_libcurl(["--version"]))
        self.assertFalse(loads_libcurl(["completion", "bash"]))
        self.assertFalse(loads_libcurl(["cpgstaging", "create", "user",
                                        "bad name"]))
        self.assertTrue(loads_libcurl(
            ["whoami"], AWS_ACCESS_KEY_ID=self.key_id,
            AWS_SECRET_ACCESS_KEY=self.secret, AWS_REGION="us-east-1",
            AWS_ENDPOINT_URL=self.emulator.endpoint))

    def test_wrong_secret_fails_without_echoing_it(self):
        wrong = "x" * 20 + self.secret[20:][::-1]
        env = clean_env(HOME=self.scratch.name,
                        AWS_ACCESS_KEY_ID=self.key_id,
                        AWS_SECRET_ACCESS_KEY=wrong,
                        AWS_REGION="us-east-1",
                        AWS_ENDPOINT_URL=self.emulator.endpoint)
        result = run(["--debug", "whoami"], env)
        self.assertEqual(result.returncode, 254, result.stderr)
        self.assertIn("signature", result.stderr)
        self.assertNotIn(wrong, result.stderr + result.stdout)
        self.assertNotIn("Signature=", result.stderr)
        self.assertEqual(result.stdout, "")

    def test_unknown_profile_is_a_configuration_error(self):
        env = clean_env(HOME=self.emulator.home, AWS_PROFILE="nope")
        result = run(["whoami"], env)
        self.assertEqual(result.returncode, 253, result.stderr)
        self.assertIn("nope", result.stderr)


if __name__ == "__main__":
    unittest.main()
