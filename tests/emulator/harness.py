"""Run the cytoskel AWS emulator (``emulator/serve``) for tests, and talk to it.

    from tests.emulator.harness import Emulator

    with Emulator() as emu:                       # free port, temporary home
        emu.client("s3").create_bucket(Bucket="b")  # admin (profile CPG)
        alice = emu.create_user("alice", policy=emu.policy(["s3:GetDataAccess"], "*"))
        s3control = emu.client("s3control", alice.credentials)
        subprocess.run(["aws", "sts", "get-caller-identity"], env=emu.env())

``Emulator`` starts the server, waits (10 s at most) for ``HOME/.aws/config``
(raising ``EmulatorError`` with the log if it does not come), and stops it
(SIGTERM, then SIGKILL) on ``stop()`` / leaving the ``with`` block.

Helpers: ``create_user`` / ``create_contributor`` (IAM user + key + policy),
``create_location_role`` (a role Access Grants can assume), ``env`` (a clean
environment for subprocesses such as the AWS CLI or cytoskel),
``AwsErrorAssertions`` (``assertAwsError(code, status)`` for unittest).

Clients are isolated from the outer environment: they use the emulator's
config files, explicit credentials, region us-east-1, path-style S3, and one
attempt per call (errors come back at once).  S3 Control clients reach
``123456789012.localhost:PORT`` (which Python does not resolve) through
127.0.0.1, keeping the Host header: see ``route_localhost_to_loopback``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import boto3
import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVE = REPO_ROOT / "emulator" / "serve"
ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
PROFILE = "CPG"
INSTANCE_ARN = f"arn:aws:s3:{REGION}:{ACCOUNT_ID}:access-grants/default"
ACCESS_GRANTS_SERVICE = "access-grants.s3.amazonaws.com"


class EmulatorError(RuntimeError):
    """The emulator did not start, or stopped unexpectedly."""


@dataclass(frozen=True)
class Credentials:
    access_key_id: str
    secret_access_key: str
    session_token: str | None = None

    @classmethod
    def from_response(cls, creds: dict[str, Any]) -> Credentials:
        """From an STS / GetDataAccess ``Credentials`` structure."""
        return cls(creds["AccessKeyId"], creds["SecretAccessKey"], creds.get("SessionToken"))

    def env(self) -> dict[str, str]:
        """The ``AWS_*`` variables carrying these credentials."""
        env = {"AWS_ACCESS_KEY_ID": self.access_key_id,
               "AWS_SECRET_ACCESS_KEY": self.secret_access_key}
        if self.session_token:
            env["AWS_SESSION_TOKEN"] = self.session_token
        return env


@dataclass(frozen=True)
class Identity:
    """An IAM user of the emulated account with one access key."""

    user_name: str
    arn: str
    credentials: Credentials


@functools.lru_cache(maxsize=1)
def _shared_loader() -> Any:
    """One botocore data loader for every session: models are parsed once."""
    return botocore.session.Session().get_component("data_loader")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _to_loopback(request: Any, **_: Any) -> None:
    parts = urlsplit(request.url)
    if parts.hostname and parts.hostname.endswith(".localhost"):
        request.headers["Host"] = parts.netloc
        netloc = "127.0.0.1" + (f":{parts.port}" if parts.port else "")
        request.url = urlunsplit(parts._replace(netloc=netloc))


def route_localhost_to_loopback(client: Any) -> Any:
    """Make ``client`` send requests for ``*.localhost`` hosts to 127.0.0.1,
    with the original (signed) Host header; returns the client."""
    client.meta.events.register("before-send", _to_loopback)
    return client


class AwsErrorAssertions:
    """unittest.TestCase mixin: ``with self.assertAwsError("Code", 404): ...``
    asserts the block raises a botocore ClientError with that code (and HTTP
    status, if given)."""

    @contextlib.contextmanager
    def assertAwsError(self, code: str, status: int | None = None) -> Iterator[Any]:
        with self.assertRaises(ClientError) as caught:  # type: ignore[attr-defined]
            yield caught
        response = caught.exception.response
        self.assertEqual(response["Error"]["Code"], code, response)  # type: ignore[attr-defined]
        if status is not None:
            self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], status,  # type: ignore[attr-defined]
                             response)


class Emulator:
    """One running emulator (see the module docstring)."""

    def __init__(self, port: int | None = None, home: str | os.PathLike[str] | None = None,
                 ready_timeout: float = 10.0, extra_args: tuple[str, ...] = ()) -> None:
        self.port = port or free_port()
        self._own_home = home is None
        self.home = Path(home) if home else Path(tempfile.mkdtemp(prefix="cytoskel-emulator-"))
        self.ready_timeout = ready_timeout
        self.extra_args = extra_args
        self.startup_seconds: float | None = None
        self.output = ""  # what the emulator printed (it should print nothing)
        self._process: subprocess.Popen[bytes] | None = None

    # -- paths -----------------------------------------------------------------

    @property
    def endpoint(self) -> str:
        return f"http://localhost:{self.port}"

    @property
    def config_file(self) -> Path:
        return self.home / ".aws" / "config"

    @property
    def credentials_file(self) -> Path:
        return self.home / ".aws" / "credentials"

    @property
    def log_file(self) -> Path:
        return self.home / "emulator.log"

    def log(self) -> str:
        """The emulator's log so far ("" if none)."""
        try:
            return self.log_file.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    # -- lifecycle -------------------------------------------------------------

    def start(self) -> Emulator:
        """Start ``emulator/serve`` and wait until it is ready."""
        started = time.monotonic()
        self.config_file.unlink(missing_ok=True)  # a stale one would look ready
        self._process = subprocess.Popen(
            [str(SERVE), "--port", str(self.port), "--home", str(self.home), *self.extra_args],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env=self._clean_environ())
        self._wait_ready(started)
        self.startup_seconds = time.monotonic() - started
        return self

    def _wait_ready(self, started: float) -> None:
        while not self.config_file.exists():
            if self._process.poll() is not None:
                self._fail(f"emulator exited with {self._process.returncode}")
            if time.monotonic() - started > self.ready_timeout:
                self._fail(f"emulator not ready in {self.ready_timeout} s")
            time.sleep(0.02)

    def _fail(self, what: str) -> None:
        """Stop, clean up, and raise EmulatorError with the output and log."""
        log = self.log()
        self.stop()
        raise EmulatorError(f"{what}\noutput: {self.output}\nlog:\n{log}")

    def stop(self, signum: int = signal.SIGTERM) -> int | None:
        """Stop the emulator (``signum``, SIGKILL after 5 s); returns its exit
        status and keeps what it printed in ``output``.  A temporary home is
        removed."""
        code = None
        if self._process is not None:
            if self._process.poll() is None:
                self._process.send_signal(signum)
                try:
                    self._process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait()
            code = self._process.returncode
            self._collect_output()
            self._process = None
        if self._own_home:
            shutil.rmtree(self.home, ignore_errors=True)
        return code

    def _collect_output(self) -> None:
        if not self._process.stdout.closed:
            self.output += self._process.stdout.read().decode(errors="replace")
            self._process.stdout.close()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *_: Any) -> None:
        self.stop()

    # -- environment and clients -------------------------------------------------

    @staticmethod
    def _clean_environ() -> dict[str, str]:
        return {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}

    def env(self, credentials: Credentials | None = None, **extra: str) -> dict[str, str]:
        """Environment for a subprocess using the emulator: the outer
        environment without any ``AWS_*`` variable, plus HOME, AWS_PROFILE=CPG,
        AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE; ``credentials`` (if
        given) as AWS_ACCESS_KEY_ID etc.; then ``extra``."""
        env = self._clean_environ()
        env.update(HOME=str(self.home), AWS_PROFILE=PROFILE,
                   AWS_CONFIG_FILE=str(self.config_file),
                   AWS_SHARED_CREDENTIALS_FILE=str(self.credentials_file))
        if credentials:
            env.update(credentials.env())
        env.update(extra)
        return env

    def admin_credentials(self) -> Credentials:
        """The keys of profile CPG."""
        values = dict(line.split(" = ", 1) for line in
                      self.credentials_file.read_text().splitlines() if " = " in line)
        return Credentials(values["aws_access_key_id"], values["aws_secret_access_key"])

    def session(self, credentials: Credentials | None = None) -> boto3.Session:
        """A boto3 session bound to the emulator's config files (never the
        outer environment's), with ``credentials`` or the admin's."""
        creds = credentials or self.admin_credentials()
        core = botocore.session.Session()
        core.register_component("data_loader", _shared_loader())
        core.set_config_variable("config_file", str(self.config_file))
        core.set_config_variable("credentials_file", str(self.credentials_file))
        core.set_config_variable("profile", PROFILE)
        return boto3.Session(aws_access_key_id=creds.access_key_id,
                             aws_secret_access_key=creds.secret_access_key,
                             aws_session_token=creds.session_token,
                             region_name=REGION, botocore_session=core)

    def client(self, service: str, credentials: Credentials | None = None) -> Any:
        """A boto3 client of the emulator for ``service``."""
        config = Config(retries={"mode": "standard", "max_attempts": 1},
                        s3={"addressing_style": "path"})
        client = self.session(credentials).client(service, endpoint_url=self.endpoint,
                                                  config=config)
        return route_localhost_to_loopback(client)

    # -- IAM helpers -------------------------------------------------------------

    @staticmethod
    def policy(actions: list[str], resources: str | list[str], effect: str = "Allow") -> dict[str, Any]:
        """An IAM policy document with one statement."""
        return {"Version": "2012-10-17",
                "Statement": [{"Effect": effect, "Action": actions, "Resource": resources}]}

    def create_user(self, name: str, policy: dict[str, Any] | None = None,
                    groups: tuple[str, ...] = ()) -> Identity:
        """An IAM user with one access key, the inline ``policy`` (if any) and
        membership of ``groups`` (which must exist)."""
        iam = self.client("iam")
        arn = iam.create_user(UserName=name)["User"]["Arn"]
        if policy is not None:
            iam.put_user_policy(UserName=name, PolicyName=f"{name}-policy",
                                PolicyDocument=json.dumps(policy))
        for group in groups:
            iam.add_user_to_group(GroupName=group, UserName=name)
        key = iam.create_access_key(UserName=name)["AccessKey"]
        return Identity(name, arn, Credentials(key["AccessKeyId"], key["SecretAccessKey"]))

    def create_contributor(self, name: str, instance_arn: str = INSTANCE_ARN) -> Identity:
        """A user allowed what a cytoskel contributor is allowed:
        s3:GetDataAccess, s3:ListCallerAccessGrants and
        s3:GetAccessGrantsInstanceForPrefix on the instance."""
        actions = ["s3:GetDataAccess", "s3:ListCallerAccessGrants",
                   "s3:GetAccessGrantsInstanceForPrefix"]
        return self.create_user(name, self.policy(actions, instance_arn))

    @staticmethod
    def location_trust_policy(account: str = ACCOUNT_ID,
                              instance_arn: str = INSTANCE_ARN) -> dict[str, Any]:
        """The trust policy Access Grants needs on a location role."""
        return {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": ACCESS_GRANTS_SERVICE},
            "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
            "Condition": {"StringEquals": {"aws:SourceAccount": account},
                          "ArnEquals": {"aws:SourceArn": instance_arn}},
        }]}

    def create_location_role(self, name: str, bucket: str, max_session: int = 43200,
                             trust: dict[str, Any] | None = None) -> str:
        """A role for an Access Grants location on ``bucket`` (object
        read/write and ListBucket); returns its ARN."""
        iam = self.client("iam")
        role = iam.create_role(RoleName=name, MaxSessionDuration=max_session,
                               AssumeRolePolicyDocument=json.dumps(
                                   trust or self.location_trust_policy()))["Role"]
        iam.put_role_policy(RoleName=name, PolicyName=f"{name}-policy", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject",
                                               "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
                 "Resource": f"arn:aws:s3:::{bucket}/*"},
                {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}"},
            ]}))
        return role["Arn"]
