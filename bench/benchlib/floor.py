"""The curl floor: the requests a listing needs, sent by one curl process
with no parsing and no output formatting, i.e. the server's own time plus
the cost of starting one small C program. No client can do the same work
much faster, so "cytoskel's distance from the floor" is its own overhead.

curl signs with ``--aws-sigv4``. The requests go in a curl config file
(``curl -K FILE``, 0600: the admin key stays out of the process list), one
``next`` per request. Paging tokens are found before the timed runs (the
emulator's tokens depend only on the data), so the timed process sends
exactly the pages cytoskel sends, back to back.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Sequence
from urllib.parse import quote, urlencode

EMPTY_SHA256 = ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b"
                "7852b855")
EMPTY_CRC32 = "AAAAAA=="  # base64 of the CRC32 of nothing


@dataclass(frozen=True)
class Request:
    """One signed request: service (signing name), URL, form body, headers."""

    service: str
    url: str
    body: str | None = None
    headers: tuple[str, ...] = ()


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class CurlFloor:
    """Builds curl commands for one emulator and one key pair."""

    def __init__(self, port: int, key_id: str, secret: str, account: str,
                 workdir: str, region: str = "us-east-1") -> None:
        self.port = port
        self.key_id = key_id
        self.secret = secret
        self.account = account
        self.workdir = workdir
        self.region = region

    def query_call(self, service: str, params: dict[str, str]) -> Request:
        """An IAM or STS query-protocol call (form POST to /)."""
        version = "2010-05-08" if service == "iam" else "2011-06-15"
        body = urlencode({**params, "Version": version}, quote_via=quote)
        return Request(service, f"http://localhost:{self.port}/", body)

    def s3control_get(self, path: str, query: dict[str, str]) -> Request:
        """An S3 Control GET, with the account header and the (empty) body's
        hash and checksum that Access Grants calls require."""
        host = f"{self.account}.localhost:{self.port}"
        url = f"http://{host}{path}"
        if query:
            url += "?" + urlencode(query, quote_via=quote)
        return Request("s3", url, None, (
            f"x-amz-account-id: {self.account}",
            f"x-amz-content-sha256: {EMPTY_SHA256}",
            f"x-amz-checksum-crc32: {EMPTY_CRC32}"))

    def command(self, name: str, requests: Sequence[Request]) -> list[str]:
        """The argv of one curl process sending ``requests`` in order; its
        config file is written now, as ``WORKDIR/NAME.curl``."""
        path = os.path.join(self.workdir, f"{name}.curl")
        lines = []
        for index, request in enumerate(requests):
            if index:
                lines.append("next")
            provider = f"aws:amz:{self.region}:{request.service}"
            lines += ["silent", "show-error", "fail",
                      f"aws-sigv4 = {_quoted(provider)}",
                      f"user = {_quoted(f'{self.key_id}:{self.secret}')}"]
            lines += [f"header = {_quoted(header)}"
                      for header in request.headers]
            if request.body is not None:
                lines.append(f"data = {_quoted(request.body)}")
            lines.append(f"url = {_quoted(request.url)}")
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                             0o600)
        with os.fdopen(descriptor, "w") as config:
            config.write("\n".join(lines) + "\n")
        return ["curl", "-K", path]
