"""What the credentials GetDataAccess vends may reach.

AWS attaches a session policy to the credentials Access Grants vends; moto
has no session policies.  Here each vended access key id is registered with
a ``GrantSession`` (scope, permission, expiry), which ``hooks`` consults on
every request signed with that key, after moto evaluated the location role's
own policies:

- object actions (``arn:aws:s3:::bucket/key``) need the key inside the scope
  and the action in the permission's set (READ: get; WRITE: put, delete,
  abort; both: list parts);
- ``s3:ListBucket`` (and version / multipart-upload listings) needs the
  request's ``prefix`` inside the scope;
- anything else, on any service, is refused, except ``sts:GetCallerIdentity``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

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
