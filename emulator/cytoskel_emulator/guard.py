"""Hooks into moto's request authorization and IAM policy validation.

1. Scoped GetDataAccess credentials.  moto has no session policies, so the
   credentials GetDataAccess mints (a real moto STS session on the location
   role) are registered here with their scope, permission and expiry.
   ``install`` wraps ``moto.iam.access_control.IAMRequestBase
   .check_action_permitted``: moto first evaluates the role's own policies as
   usual; then, for a registered key, the request must also fall inside the
   grant, as AWS's session policy would make it:

   - object actions (``arn:aws:s3:::bucket/key``) need the key inside the scope
     and the action in the permission's set (READ: get; WRITE: put, delete,
     abort; both: list parts);
   - ``s3:ListBucket`` (and versions / multipart-upload listings) need the
     request's ``prefix`` inside the scope;
   - anything else, on any service, is refused, except
     ``sts:GetCallerIdentity``;
   - past its expiry the key gets ``ExpiredToken``.

2. Inactive access keys.  moto accepts a key whatever its status; AWS refuses
   an inactive one like an unknown one.  ``install`` wraps
   ``moto.iam.access_control.create_access_key`` to refuse it.

3. Regional S3 resource ARNs.  moto's policy validator refuses any S3
   resource ARN with a region except access points; AWS accepts Access Grants
   (``arn:aws:s3:REGION:ACCOUNT:access-grants/default``), Batch Operations
   jobs and Storage Lens ARNs.  ``install`` adds those to moto's list.

4. Signature checks on encoded URLs.  moto checks signatures against the URL
   werkzeug decoded (``/`` for ``%2F`` in a query, ``:`` for ``%3A`` in a
   path, ``%`` for ``%25``), so any request whose path or query needs
   encoding (``ListObjectsV2`` with a prefix, S3 Control tags on an ARN,
   GetDataAccess's target, odd object keys) fails with SignatureDoesNotMatch.
   ``install`` wraps moto's ``_authenticate_and_authorize_action`` to check
   against the path as sent and the query re-encoded the SigV4 way.

5. Multi-object delete.  moto authorizes DeleteObjects as ``s3:DeleteObject``
   on the bucket ARN; AWS authorizes each object.  The wrapped
   ``check_action_permitted`` evaluates every listed key's ARN instead, all
   or nothing: one refused key refuses the request (moto then reports
   AccessDenied for every key and deletes none).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote, unquote, urlunparse
from xml.etree import ElementTree as ET

from moto.core.authorization import ActionAuthenticatorMixin
from moto.iam import access_control, policy_validation
from moto.iam.models import iam_backends
from moto.s3.exceptions import S3ClientError

from .scopes import S3Scope

_OBJECT_ACTIONS = {
    "READ": {"s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAcl", "s3:GetObjectVersionAcl",
             "s3:GetObjectTagging", "s3:GetObjectVersionTagging", "s3:ListMultipartUploadParts"},
    "WRITE": {"s3:PutObject", "s3:PutObjectAcl", "s3:PutObjectVersionAcl", "s3:PutObjectTagging",
              "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:AbortMultipartUpload",
              "s3:ListMultipartUploadParts"},
}
_LIST_ACTIONS = {
    "READ": {"s3:ListBucket", "s3:ListBucketVersions"},
    "WRITE": {"s3:ListBucket", "s3:ListBucketMultipartUploads"},
}
_ALWAYS_ALLOWED = {"sts:GetCallerIdentity"}
_REGIONAL_S3_RESOURCES = ("access-grants/", "job/", "storage-lens/", "storage-lens-group/")


def _actions(table: dict[str, set[str]], permission: str) -> set[str]:
    return set().union(*(table[p] for p in ("READ", "WRITE") if p in permission))


@dataclass(frozen=True)
class GrantSession:
    """What one set of GetDataAccess credentials may reach."""

    scope: S3Scope
    permission: str  # READ, WRITE or READWRITE
    expires: datetime

    def expired(self) -> bool:
        return datetime.now(timezone.utc) >= self.expires

    def allows(self, action: str, resource: str, query: dict[str, Any]) -> bool:
        if action in _ALWAYS_ALLOWED:
            return True
        if not action.startswith("s3:"):
            return False
        bucket, slash, key = resource.split(":::", 1)[-1].partition("/")
        if slash:
            return action in _actions(_OBJECT_ACTIONS, self.permission) and \
                self.scope.covers_path(f"{bucket}/{key}")
        if action in _actions(_LIST_ACTIONS, self.permission):
            return self.scope.covers_path(f"{bucket}/{_first(query.get('prefix'))}")
        return False


def _first(value: Any) -> str:
    if isinstance(value, list):
        return value[0] if value else ""
    return value or ""


def _deleted_keys(body: Any) -> list[str]:
    """Keys of a DeleteObjects request body (``<Delete><Object><Key>``)."""
    try:
        root = ET.fromstring(body)
    except (ET.ParseError, TypeError, ValueError):
        return []
    return [el.text or "" for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "Key"]


def _resources(request: Any, resource: str) -> list[str]:
    """The ARNs a request acts on: each object of a multi-object delete
    (moto checks that bucket-level), else ``resource``."""
    if request._action == "s3:DeleteObject" and "/" not in resource.split(":::", 1)[-1]:
        keys = _deleted_keys(request._body)
        if keys:
            return [f"{resource}/{key}" for key in keys]
    return [resource]


class _Registry:
    """Access key id -> GrantSession, thread-safe; expired entries are
    dropped a day after expiry."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, GrantSession] = {}

    def add(self, access_key_id: str, session: GrantSession) -> None:
        with self._lock:
            now = datetime.now(timezone.utc)
            self._sessions = {k: s for k, s in self._sessions.items()
                              if (now - s.expires).days < 1}
            self._sessions[access_key_id] = session

    def get(self, access_key_id: str) -> GrantSession | None:
        with self._lock:
            return self._sessions.get(access_key_id)


SESSIONS = _Registry()


def _signing_key_id(headers: Any) -> str:
    credential = headers.get("Authorization", "").partition("Credential=")[2]
    return credential.partition("/")[0]


def _scoped_check(original: Any) -> Any:
    def check_action_permitted(self: Any, resource: str) -> None:
        session = SESSIONS.get(_signing_key_id(self._headers))
        if session is not None and session.expired():
            if self._service == "s3":
                raise S3ClientError("ExpiredToken", "The provided token has expired.")
            self._raise_invalid_access_key("InvalidToken")
        for each in _resources(self, resource):
            original(self, each)
            if session is not None and not session.allows(self._action, each, self._data):
                self._raise_access_denied()

    return check_action_permitted


def _active_keys_only(original: Any) -> Any:
    def create_access_key(account_id: str, partition: str, access_key_id: str,
                          headers: dict[str, str]) -> Any:
        key = iam_backends[account_id][partition].access_keys.get(access_key_id)
        if key is not None and key.status != "Active":
            raise access_control.CreateAccessKeyFailure(reason="InvalidId")
        return original(account_id, partition, access_key_id, headers)

    return create_access_key


def _sigv4_encode(text: str) -> str:
    return quote(unquote(text), safe="-_.~")


def _as_sent_url(response: Any) -> str:
    """The request URL with the path as sent (``raw_path``, from werkzeug's
    RAW_URI) and the query in SigV4 encoding (werkzeug's URL keeps ``%25``,
    ``%26``, ``%2B``, ``%3D`` encoded, so decoding it again is lossless)."""
    path = quote(unquote(response.raw_path), safe="/~")
    pairs = (pair.partition("=") for pair in response.parsed_url.query.split("&") if pair)
    query = "&".join(f"{_sigv4_encode(key)}={_sigv4_encode(value)}" for key, _, value in pairs)
    return urlunparse(response.parsed_url._replace(path=path, query=query))


def _check_as_sent(original: Any) -> Any:
    def _authenticate_and_authorize_action(self: Any, iam_request_cls: type,
                                           resource: str = "*") -> None:
        decoded = self.uri
        self.uri = _as_sent_url(self)
        try:
            original(self, iam_request_cls, resource)
        finally:
            self.uri = decoded

    return _authenticate_and_authorize_action


_installed = False


def install() -> None:
    """Install the hooks (once per process)."""
    global _installed
    if _installed:
        return
    base = access_control.IAMRequestBase
    base.check_action_permitted = _scoped_check(base.check_action_permitted)
    access_control.create_access_key = _active_keys_only(access_control.create_access_key)
    mixin = ActionAuthenticatorMixin
    mixin._authenticate_and_authorize_action = _check_as_sent(
        mixin._authenticate_and_authorize_action)
    regional = policy_validation.SERVICE_TYPE_REGION_INFORMATION_ERROR_ASSOCIATIONS["s3"]
    regional.setdefault("valid_starting_values", []).extend(_REGIONAL_S3_RESOURCES)
    _installed = True
