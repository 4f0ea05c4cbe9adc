"""The bench's local AWS: one emulator (``emulator/serve``, started through
``tests/emulator/harness.py``), the environments every tool runs in, and a
count of the requests it serves.

Environments (each a complete ``env`` for a child process, nothing taken
from the developer's own AWS setup):

- ``admin_env``: HOME is the emulator's home, profile CPG (the admin), as
  ``HOME=DIR AWS_PROFILE=CPG cytoskel ...`` in the README.
- ``aws_env(base)``: the same for the AWS CLI, plus a config file that loads
  ``peers/awscli_loopback.py`` as an AWS CLI plugin. The CLI (Python) cannot
  resolve ``123456789012.localhost``, the S3 Control host; the plugin sends
  those requests to 127.0.0.1 with the Host header kept, as the test
  harness does for boto3. Real AWS would need none of this.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = BENCH_DIR.parent
PEERS_DIR = BENCH_DIR / "peers"
sys.path.insert(0, str(REPO_ROOT))

from tests.emulator.harness import ACCOUNT_ID, Emulator  # noqa: E402

ACCOUNT = ACCOUNT_ID


class Lab:
    """A running emulator in ``workdir`` (created, and removed on close)."""

    def __init__(self, workdir: str) -> None:
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.emulator = Emulator(home=self.workdir / "home", ready_timeout=30)

    def __enter__(self) -> Lab:
        self.emulator.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self.emulator.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    # -- where things are -----------------------------------------------------

    @property
    def port(self) -> int:
        return self.emulator.port

    @property
    def endpoint(self) -> str:
        return self.emulator.endpoint

    def client(self, service: str) -> Any:
        """An admin boto3 client (one attempt per call), for seeding."""
        return self.emulator.client(service)

    def admin_keys(self) -> tuple[str, str]:
        creds = self.emulator.admin_credentials()
        return creds.access_key_id, creds.secret_access_key

    # -- environments ---------------------------------------------------------

    @property
    def admin_env(self) -> dict[str, str]:
        env = self.emulator.env()
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        return env

    def aws_env(self, base: dict[str, str]) -> dict[str, str]:
        """``base`` for the AWS CLI: its config file plus the loopback
        plugin (see the module docstring)."""
        env = dict(base)
        config = Path(env["AWS_CONFIG_FILE"])
        plugin_config = config.with_name(config.name + ".awscli")
        if not plugin_config.exists():
            plugin_config.write_text(
                config.read_text() +
                "\n[plugins]\nbench_loopback = awscli_loopback\n")
        env["AWS_CONFIG_FILE"] = str(plugin_config)
        env["PYTHONPATH"] = str(PEERS_DIR)
        return env

    # -- the emulator's request log -------------------------------------------

    def log_mark(self) -> int:
        """The log's current size: pass it to ``requests_since``."""
        try:
            return self.emulator.log_file.stat().st_size
        except FileNotFoundError:
            return 0

    def requests_since(self, mark: int) -> int:
        """How many HTTP requests the emulator answered after ``mark``."""
        time.sleep(0.05)  # the server logs a request after answering it
        with open(self.emulator.log_file, "rb") as log:
            log.seek(mark)
            return sum(1 for line in log if b' HTTP/1.1" ' in line)


def scratch_dir(parent: str | None) -> str:
    """A fresh directory for one bench run."""
    return tempfile.mkdtemp(prefix="cytoskel-bench-", dir=parent)


def executable(path: str) -> str:
    if not os.access(path, os.X_OK):
        raise SystemExit(f"bench: {path} is not an executable; build it "
                         "first (make build)")
    return os.path.abspath(path)
