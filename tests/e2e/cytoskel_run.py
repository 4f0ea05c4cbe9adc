"""Running the built cytoskel binary from end-to-end tests.

The binary comes from CYTOSKEL_BIN (CTest sets it) or build/cytoskel.
Every run gets an explicit environment: nothing from the developer's own
AWS setup leaks in.
"""

import configparser
import os
import subprocess

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
BINARY = os.environ.get("CYTOSKEL_BIN", os.path.join(REPO, "build",
                                                     "cytoskel"))


def clean_env(**extra):
    """A minimal environment with no AWS_* variable but those in extra."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and k not in ("HOME",)}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run(args, env, input=None, timeout=120):
    """Runs cytoskel; returns the CompletedProcess (text mode)."""
    return subprocess.run([BINARY] + list(args), env=env, input=input,
                          capture_output=True, text=True, timeout=timeout)


def admin_keys(home):
    """The emulator's admin access key pair, from DIR/.aws/credentials."""
    parser = configparser.ConfigParser()
    parser.read(os.path.join(home, ".aws", "credentials"))
    section = parser["CPG"]
    return section["aws_access_key_id"], section["aws_secret_access_key"]
