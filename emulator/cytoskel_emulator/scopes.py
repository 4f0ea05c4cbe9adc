"""S3 scope strings of S3 Access Grants, and what they cover.

A scope names a set of objects: ``s3://`` (every bucket), ``s3://bucket`` or
``s3://bucket/`` (every key of a bucket), ``s3://bucket/text*`` (every key
starting with ``text``) or ``s3://bucket/key`` (that one object).  A ``*``
means something only as the last character: ``cpg0001/*`` is the folder while
``cpg0001*`` also matches ``cpg00010/``.

Internally a scope is a *path* ``bucket/key`` plus a flag telling whether it is
a prefix (trailing ``*``, or a bucket / location scope) or one exact object.
Everything here is pure: no moto, no locking.
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEME = "s3://"


class ScopeError(ValueError):
    """The text is not an ``s3://`` scope."""


@dataclass(frozen=True)
class S3Scope:
    """A set of S3 objects: every ``bucket/key`` path starting with ``path``
    when ``prefix`` is true, else exactly ``path``."""

    path: str
    prefix: bool

    @classmethod
    def parse(cls, text: str) -> S3Scope:
        """Scope of a grant, a GetDataAccess target or a filter.

        A trailing ``*`` makes a prefix; a bare bucket means the whole bucket;
        anything else is one object key."""
        rest = _strip_scheme(text)
        bucket, _, key = rest.partition("/")
        if not bucket:
            return cls("", True)
        if not key:
            return cls(bucket + "/", True)
        if key.endswith("*"):
            return cls(f"{bucket}/{key[:-1]}", True)
        return cls(f"{bucket}/{key}", False)

    @classmethod
    def parse_location(cls, text: str) -> S3Scope:
        """Scope of a location: always a prefix (the text it starts with)."""
        parsed = cls.parse(text)
        return cls(parsed.path, True)

    def covers_path(self, path: str) -> bool:
        """True if the object ``bucket/key`` lies inside this scope."""
        return path.startswith(self.path) if self.prefix else path == self.path

    def covers(self, other: S3Scope) -> bool:
        """True if every object of ``other`` lies inside this scope."""
        if other.prefix:
            return self.prefix and other.path.startswith(self.path)
        return self.covers_path(other.path)

    def specificity(self) -> tuple[int, bool]:
        """Sort key: a longer path is closer; an exact object beats a prefix
        of the same length."""
        return (len(self.path), not self.prefix)


def _strip_scheme(text: str) -> str:
    if not isinstance(text, str) or not text.startswith(SCHEME):
        raise ScopeError(f"The S3 path must start with {SCHEME}: {text!r}")
    return text[len(SCHEME):]


def join_grant_scope(location_scope: str, sub_prefix: str | None) -> str:
    """The GrantScope AWS reports: the location scope joined with the
    sub-prefix by exactly one ``/`` (``s3://`` + ``bucket/x*`` stays
    ``s3://bucket/x*``)."""
    if not sub_prefix:
        return location_scope
    if location_scope == SCHEME:
        return SCHEME + sub_prefix.lstrip("/")
    return location_scope.rstrip("/") + "/" + sub_prefix.lstrip("/")


def grant_match_scope(location_scope: str, sub_prefix: str | None) -> S3Scope:
    """What a grant covers: its joined scope, or the whole location when it
    has no sub-prefix."""
    if not sub_prefix:
        return S3Scope.parse_location(location_scope)
    return S3Scope.parse(join_grant_scope(location_scope, sub_prefix))


def validate_location_scope(text: str) -> None:
    """Raise ScopeError unless ``text`` is ``s3://``, ``s3://bucket[/prefix]``."""
    rest = _strip_scheme(text)
    if rest and not rest.partition("/")[0]:
        raise ScopeError(f"The location scope has no bucket: {text!r}")
