"""The emulator's admin identity and the AWS profile files that expose it.

``create_admin`` makes, directly in moto's IAM backend (no HTTP request, so
signature checking can be on from the very first request), the IAM user
``emulator-admin`` with AWS's ``AdministratorAccess`` managed policy attached
and one access key.  ``write_profile`` writes profile ``CPG`` into
``HOME/.aws/credentials`` and then ``HOME/.aws/config`` (each atomically:
temporary file + rename, mode 0600, directory 0700); the config file
appearing is the readiness signal.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from moto.core import DEFAULT_ACCOUNT_ID
from moto.iam.models import AWSManagedPolicy, IAMBackend, iam_backends

PROFILE = "CPG"
REGION = "us-east-1"
ADMIN_USER = "emulator-admin"
_ADMINISTRATOR_ACCESS = {
    "CreateDate": "2015-02-06T18:39:46+00:00",
    "UpdateDate": "2015-02-06T18:39:46+00:00",
    "DefaultVersionId": "v1",
    "Path": "/",
    "Document": {"Version": "2012-10-17",
                 "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
}


def _administrator_access(iam: IAMBackend) -> AWSManagedPolicy:
    """AWS's AdministratorAccess policy, added to the backend if missing (moto
    loads AWS managed policies only on request, and loading all is slow)."""
    arn = "arn:aws:iam::aws:policy/AdministratorAccess"
    if arn not in iam.managed_policies:
        policy = AWSManagedPolicy.from_data("AdministratorAccess", iam.account_id, REGION,
                                            _ADMINISTRATOR_ACCESS)
        iam.aws_managed_policies.append(policy)
        iam.managed_policies[policy.arn] = policy
    return iam.managed_policies[arn]


def create_admin(account: str = DEFAULT_ACCOUNT_ID) -> tuple[str, str]:
    """Create the admin user; returns its (access key id, secret)."""
    iam = iam_backends[account]["aws"]
    policy = _administrator_access(iam)
    iam.create_user(region_name=REGION, user_name=ADMIN_USER)
    iam.attach_user_policy(policy.arn, ADMIN_USER)
    key = iam.create_access_key(ADMIN_USER)
    return key.access_key_id, key.secret_access_key


def aws_dir(home: Path) -> Path:
    return home / ".aws"


def remove_profile(home: Path) -> None:
    """Remove a config file left by an earlier run, so that it cannot be taken
    for this run's readiness signal."""
    (aws_dir(home) / "config").unlink(missing_ok=True)


def write_profile(home: Path, port: int, key_id: str, secret: str) -> None:
    directory = aws_dir(home)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    keys = f"aws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n"
    _atomic_write(directory / "credentials", f"[{PROFILE}]\n{keys}")
    _atomic_write(
        directory / "config",
        f"[profile {PROFILE}]\n{keys}region = {REGION}\noutput = json\n"
        f"endpoint_url = http://localhost:{port}\n",
    )


def _atomic_write(path: Path, text: str) -> None:
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
