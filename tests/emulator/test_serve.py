"""The ``emulator/serve`` contract: readiness, profile files, signals,
quietness, authentication switched on, no secrets in the log."""

from __future__ import annotations

import json
import re
import signal
import socket
import stat
import subprocess
import tempfile
import unittest
from pathlib import Path

from tests.emulator.harness import (
    ACCOUNT_ID,
    AwsErrorAssertions,
    Credentials,
    Emulator,
    EmulatorError,
)

CONFIG = re.compile(
    r"\A\[profile CPG\]\n"
    r"aws_access_key_id = (AKIA[A-Z0-9]{16})\n"
    r"aws_secret_access_key = (\S{40})\n"
    r"region = us-east-1\n"
    r"output = json\n"
    r"endpoint_url = http://localhost:(\d+)\n\Z"
)
CREDENTIALS = re.compile(
    r"\A\[CPG\]\naws_access_key_id = (AKIA[A-Z0-9]{16})\naws_secret_access_key = (\S{40})\n\Z")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


class ServeTest(AwsErrorAssertions, unittest.TestCase):
    emu: Emulator

    @classmethod
    def setUpClass(cls) -> None:
        cls.emu = Emulator().start()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.emu.stop()

    def test_ready_within_five_seconds(self) -> None:
        self.assertLess(self.emu.startup_seconds, 5.0)

    def test_profile_files_are_private_and_exact(self) -> None:
        self.assertEqual(mode(self.emu.home / ".aws"), 0o700)
        self.assertEqual(mode(self.emu.config_file), 0o600)
        self.assertEqual(mode(self.emu.credentials_file), 0o600)
        config = CONFIG.match(self.emu.config_file.read_text())
        credentials = CREDENTIALS.match(self.emu.credentials_file.read_text())
        self.assertIsNotNone(config)
        self.assertIsNotNone(credentials)
        self.assertEqual(config.group(1, 2), credentials.group(1, 2))
        self.assertEqual(int(config.group(3)), self.emu.port)
        self.assertEqual(sorted(p.name for p in (self.emu.home / ".aws").iterdir()),
                         ["config", "credentials"])

    def test_aws_cli_uses_profile_as_admin(self) -> None:
        def aws(*args: str) -> dict:
            done = subprocess.run(["aws", *args], env=self.emu.env(), capture_output=True,
                                  text=True, timeout=60)
            self.assertEqual(done.returncode, 0, done.stderr)
            return json.loads(done.stdout)

        identity = aws("sts", "get-caller-identity")
        self.assertEqual(identity["Account"], ACCOUNT_ID)
        self.assertTrue(identity["Arn"].startswith(f"arn:aws:iam::{ACCOUNT_ID}:user/"))
        user = identity["Arn"].rsplit("/", 1)[1]
        attached = aws("iam", "list-attached-user-policies", "--user-name", user)["AttachedPolicies"]
        self.assertEqual([p["PolicyArn"] for p in attached], ["arn:aws:iam::aws:policy/AdministratorAccess"])

    def test_signatures_are_checked_from_the_first_request(self) -> None:
        admin = self.emu.admin_credentials()
        forged = Credentials(admin.access_key_id, "x" * 40)
        with self.assertAwsError("SignatureDoesNotMatch", 403):
            self.emu.client("iam", forged).list_users()
        with self.assertAwsError("InvalidClientTokenId", 403):
            self.emu.client("iam", Credentials("AKIAIOSFODNN7EXAMPLE", "x" * 40)).list_users()

    def test_log_holds_no_secret(self) -> None:
        control = self.emu.client("s3control")
        self.emu.client("s3").create_bucket(Bucket="serve-bucket")
        control.create_access_grants_instance(AccountId=ACCOUNT_ID)
        role = self.emu.create_location_role("serve-role", "serve-bucket")
        location = control.create_access_grants_location(
            AccountId=ACCOUNT_ID, LocationScope="s3://serve-bucket/", IAMRoleArn=role)
        user = self.emu.create_contributor("serve-user")
        control.create_access_grant(
            AccountId=ACCOUNT_ID, AccessGrantsLocationId=location["AccessGrantsLocationId"],
            AccessGrantsLocationConfiguration={"S3SubPrefix": "u/*"}, Permission="READ",
            Grantee={"GranteeType": "IAM", "GranteeIdentifier": user.arn})
        vended = self.emu.client("s3control", user.credentials).get_data_access(
            AccountId=ACCOUNT_ID, Target="s3://serve-bucket/u/*", Permission="READ")["Credentials"]
        log = self.emu.log()
        self.assertIn("ready on 127.0.0.1", log)
        for secret in (self.emu.admin_credentials().secret_access_key, user.credentials.secret_access_key,
                       vended["SecretAccessKey"], vended["SessionToken"]):
            self.assertNotIn(secret, log)


class LifecycleTest(unittest.TestCase):
    """Each test starts its own emulator."""

    def test_sigint_and_sigterm_exit_zero_silently(self) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM):
            with self.subTest(signal=signum.name):
                emu = Emulator().start()
                emu.client("sts").get_caller_identity()
                self.assertEqual(emu.stop(signum), 0)
                self.assertEqual(emu.output, "")

    def test_busy_port_fails_fast(self) -> None:
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen()
            with self.assertRaisesRegex(EmulatorError, "exited with 1"):
                Emulator(port=busy.getsockname()[1]).start()

    def test_given_home_and_stale_config(self) -> None:
        with tempfile.TemporaryDirectory() as home:
            stale = Path(home, ".aws", "config")
            stale.parent.mkdir()
            stale.write_text("[profile CPG]\nendpoint_url = http://localhost:1\n")
            with Emulator(home=home) as emu:
                self.assertIn(f"localhost:{emu.port}", stale.read_text())
                self.assertEqual(emu.client("sts").get_caller_identity()["Account"], ACCOUNT_ID)
            self.assertTrue(Path(home, "emulator.log").exists())

    def test_no_auth_flag(self) -> None:
        with Emulator(extra_args=("--no-auth",)) as emu:
            stranger = Credentials("AKIAIOSFODNN7EXAMPLE", "x" * 40)
            self.assertEqual(emu.client("sts", stranger).get_caller_identity()["Account"], ACCOUNT_ID)


if __name__ == "__main__":
    unittest.main()
