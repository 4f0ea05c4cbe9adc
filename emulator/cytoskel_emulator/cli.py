"""``emulator/serve --port PORT --home DIR [--no-auth]``.

Runs moto (IAM, STS, S3, S3 Control with Access Grants) on 127.0.0.1:PORT in
the foreground until SIGTERM or SIGINT, then exits 0.  Readiness: once the
server accepts connections, ``DIR/.aws/config`` (profile ``CPG``, admin keys,
``endpoint_url = http://localhost:PORT``) is written.  Every request is
signature-checked and IAM-authorized unless ``--no-auth``.  Everything the
process would print goes to ``DIR/emulator.log``; only a fatal startup error
is also reported on stderr (exit status 1).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import IO

LOG_NAME = "emulator.log"
_WARM_SERVICES = ("iam", "sts", "s3", "s3control")
log = logging.getLogger("cytoskel_emulator")


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="serve",
        description="Local AWS emulator (moto + S3 Access Grants) on 127.0.0.1:PORT. "
                    "Ready when DIR/.aws/config exists; log in DIR/emulator.log.")
    parser.add_argument("--port", type=int, required=True, help="TCP port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--home", type=Path, required=True, metavar="DIR",
                        help="directory receiving .aws/config, .aws/credentials and the log")
    parser.add_argument("--no-auth", action="store_true", help="debugging: skip signature and IAM checks")
    return parser.parse_args(argv)


def _stop_event() -> threading.Event:
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    return stop


def _silence(log_path: Path) -> IO[str]:
    """Send stdout, stderr and logging to ``log_path``; returns a handle on
    the original stderr for fatal errors."""
    original = os.fdopen(os.dup(2), "w")
    sink = open(log_path, "a", buffering=1, encoding="utf-8")
    os.dup2(sink.fileno(), 1)
    os.dup2(sink.fileno(), 2)
    sys.stdout = sys.stderr = sink
    logging.basicConfig(stream=sink, level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return original


def _serve(home: Path, port: int, auth: bool, stop: threading.Event) -> int:
    started = time.monotonic()
    # moto is imported only now: it is slow, and it may print.
    from moto import settings

    from . import bootstrap, hooks
    from .server import EmulatorServer

    bootstrap.remove_profile(home)
    server = EmulatorServer("127.0.0.1", port)
    server.warm_up(_WARM_SERVICES)
    key_id, secret = bootstrap.create_admin()
    hooks.install()
    settings.INITIAL_NO_AUTH_ACTION_COUNT = 0 if auth else float("inf")
    server.start()
    bootstrap.write_profile(home, server.port, key_id, secret)
    log.info("ready on 127.0.0.1:%d in %.2f s (auth %s)", server.port,
             time.monotonic() - started, "on" if auth else "OFF")
    while not stop.wait(1.0):
        pass
    log.info("stopping")
    server.stop()
    return 0


def main(argv: list[str]) -> int:
    args = _parse(argv)
    stop = _stop_event()
    home = args.home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    original_stderr = _silence(home / LOG_NAME)
    try:
        return _serve(home, args.port, not args.no_auth, stop)
    except Exception as err:  # a fatal startup error: log it, tell the terminal
        log.exception("fatal")
        print(f"emulator/serve: {err} (see {home / LOG_NAME})", file=original_stderr, flush=True)
        return 1
