"""Payload integrity headers S3 Control requires.

Every Access Grants operation is "checksum required": the request carries
``Content-MD5`` or an ``x-amz-checksum-*`` header, and, being S3 SigV4
signed, ``x-amz-content-sha256``.  ``check`` refuses a request whose headers
are missing or do not match the body, with S3's error codes.  CRC32C and
CRC64NVME values are accepted without being recomputed (no stdlib
implementation).
"""

from __future__ import annotations

import base64
import hashlib
import re
import zlib
from collections.abc import Callable, Mapping

from .errors import ControlError, invalid_request

_DIGESTS: dict[str, Callable[[bytes], bytes]] = {
    "content-md5": lambda body: hashlib.md5(body).digest(),
    "x-amz-checksum-crc32": lambda body: zlib.crc32(body).to_bytes(4, "big"),
    "x-amz-checksum-sha1": lambda body: hashlib.sha1(body).digest(),
    "x-amz-checksum-sha256": lambda body: hashlib.sha256(body).digest(),
}
_ACCEPTED_UNCHECKED = ("x-amz-checksum-crc32c", "x-amz-checksum-crc64nvme")
_HEX_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _bad_digest() -> ControlError:
    return ControlError(
        "BadDigest", "The Content-MD5 or checksum value that you specified did not match what the server received.",
        400)


def check(headers: Mapping[str, str], body: bytes, checksum_required: bool) -> None:
    """Refuse the request unless its integrity headers match ``body``."""
    _check_content_sha256(headers, body)
    if checksum_required:
        _check_checksum(headers, body)


def _check_content_sha256(headers: Mapping[str, str], body: bytes) -> None:
    declared = headers.get("x-amz-content-sha256")
    if declared is None:
        raise invalid_request("Missing required header for this request: x-amz-content-sha256")
    if _HEX_SHA256.match(declared) and declared != hashlib.sha256(body).hexdigest():
        raise ControlError("XAmzContentSHA256Mismatch",
                           "The provided 'x-amz-content-sha256' header does not match what was computed.", 400)


def _check_checksum(headers: Mapping[str, str], body: bytes) -> None:
    present = [name for name in (*_DIGESTS, *_ACCEPTED_UNCHECKED) if headers.get(name) is not None]
    if not present:
        raise invalid_request("Missing required header for this request: Content-MD5 or x-amz-checksum-*")
    for name in present:
        if name in _DIGESTS and headers[name] != base64.b64encode(_DIGESTS[name](body)).decode():
            raise _bad_digest()
