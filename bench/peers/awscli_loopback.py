"""AWS CLI plugin for the bench's local emulator only: sends requests for
``*.localhost`` hosts (S3 Control's ``123456789012.localhost:PORT``) to
127.0.0.1, keeping the signed Host header. Python does not resolve those
names; libcurl (and so cytoskel and curl) does. Loaded through the
``[plugins]`` section of the config file the bench gives the CLI, with this
directory on PYTHONPATH.
"""

from urllib.parse import urlsplit, urlunsplit


def _to_loopback(request, **_):
    parts = urlsplit(request.url)
    if parts.hostname and parts.hostname.endswith(".localhost"):
        request.headers["Host"] = parts.netloc
        netloc = "127.0.0.1" + (f":{parts.port}" if parts.port else "")
        request.url = urlunsplit(parts._replace(netloc=netloc))


def awscli_initialize(cli):
    """The AWS CLI's plugin entry point."""
    cli.register("before-send", _to_loopback)
