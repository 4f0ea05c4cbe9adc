"""In-memory S3 Access Grants state: one instance per (account, region).

``AccessGrantsStore`` is the only entry point.  Every method runs under one
re-entrant lock, validates what depends on the stored state (existence,
duplicates, emptiness, quotas, tags) and raises ``errors.ControlError`` with
AWS's code.  Checks against IAM (does a role or principal exist) belong to the
caller (``responses``), which passes already-checked values in.

Returned objects are the live records: callers only read them.
"""

from __future__ import annotations

import itertools
import re
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from . import errors
from .scopes import S3Scope, grant_match_scope, join_grant_scope

LOCATIONS_QUOTA = 1000
GRANTS_QUOTA = 100_000
TAGS_LIMIT = 50
INSTANCE_ID = "default"
DEFAULT_LOCATION_ID = "default"  # the id AWS gives the location s3://

_ARN_RE = re.compile(
    r"^arn:(?P<partition>[^:]+):s3:(?P<region>[^:]+):(?P<account>\d{12}):access-grants/"
    + INSTANCE_ID
    + r"(?:/(?P<kind>location|grant)/(?P<id>[^/]+))?$"
)


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Location:
    id: str
    arn: str
    scope: str
    role_arn: str
    seq: int
    created_at: datetime = field(default_factory=_now)
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class GrantSpec:
    """What a CreateAccessGrant request asks for (grantee already checked)."""

    location_id: str
    grantee_type: str
    grantee_id: str
    permission: str
    sub_prefix: str | None
    application_arn: str | None
    prefix_type: str | None

    def identity(self) -> tuple:
        """Two grants with the same identity are the same grant."""
        return (self.location_id, self.grantee_type, self.grantee_id, self.permission,
                self.sub_prefix or "", self.application_arn or "")


@dataclass
class Grant:
    id: str
    arn: str
    spec: GrantSpec
    scope: str  # the GrantScope AWS reports
    match_scope: S3Scope  # what the grant really covers
    seq: int
    created_at: datetime = field(default_factory=_now)
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class ResourcePolicy:
    policy: str
    organization: str | None
    created_at: datetime = field(default_factory=_now)


@dataclass
class Instance:
    account: str
    region: str
    arn: str
    identity_center_arn: str | None = None
    identity_center_application_arn: str | None = None
    created_at: datetime = field(default_factory=_now)
    tags: dict[str, str] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)
    grants: dict[str, Grant] = field(default_factory=dict)
    policy: ResourcePolicy | None = None
    seq: int = 0
    id: str = INSTANCE_ID


@dataclass(frozen=True)
class GrantFilter:
    """ListAccessGrants filters; ``None`` matches anything."""

    grantee_type: str | None = None
    grantee_id: str | None = None
    permission: str | None = None
    grant_scope: str | None = None
    application_arn: str | None = None

    def matches(self, grant: Grant) -> bool:
        spec = grant.spec
        wanted = (
            (self.grantee_type, spec.grantee_type),
            (self.grantee_id, spec.grantee_id),
            (self.permission, spec.permission),
            (self.grant_scope, grant.scope),
            (self.application_arn, spec.application_arn),
        )
        return all(want is None or want == have for want, have in wanted)


def instance_arn(partition: str, region: str, account: str) -> str:
    return f"arn:{partition}:s3:{region}:{account}:access-grants/{INSTANCE_ID}"


def is_access_grants_arn(arn: str) -> bool:
    return ":access-grants/" in (arn or "")


def validate_tags(tags: Iterable[dict[str, str]] | None) -> dict[str, str]:
    """Tags of a request as a dict; refuses duplicates, ``aws:`` keys and
    more than the limit."""
    result: dict[str, str] = {}
    for tag in tags or []:
        key = tag["Key"]
        if key in result:
            raise errors.invalid_tag(
                "There are duplicate tag keys in your request. Remove the duplicate tag keys and try again."
            )
        if key.lower().startswith("aws:"):
            raise errors.reserved_tag()
        result[key] = tag.get("Value", "")
    if len(result) > TAGS_LIMIT:
        raise errors.too_many_tags()
    return result


class AccessGrantsStore:
    """All Access Grants instances of the emulator, thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._instances: dict[tuple[str, str], Instance] = {}
        self._seq = itertools.count(1)  # creation order of every record (paging)

    # -- instance ------------------------------------------------------------

    def create_instance(self, partition: str, account: str, region: str,
                        identity_center_arn: str | None, tags: dict[str, str]) -> Instance:
        with self._lock:
            if (account, region) in self._instances:
                raise errors.instance_already_exists()
            inst = Instance(account, region, instance_arn(partition, region, account), tags=tags,
                            seq=next(self._seq))
            self._set_identity_center(inst, identity_center_arn)
            self._instances[(account, region)] = inst
            return inst

    def instance(self, account: str, region: str) -> Instance:
        with self._lock:
            inst = self._instances.get((account, region))
            if inst is None:
                raise errors.instance_not_exists()
            return inst

    def list_instances(self, account: str, region: str) -> list[Instance]:
        with self._lock:
            inst = self._instances.get((account, region))
            return [inst] if inst else []

    def delete_instance(self, account: str, region: str) -> None:
        with self._lock:
            inst = self.instance(account, region)
            if inst.locations:
                raise errors.instance_not_empty()
            del self._instances[(account, region)]

    def set_identity_center(self, account: str, region: str, arn: str | None) -> None:
        with self._lock:
            self._set_identity_center(self.instance(account, region), arn)

    @staticmethod
    def _set_identity_center(inst: Instance, arn: str | None) -> None:
        inst.identity_center_arn = arn
        inst.identity_center_application_arn = (
            f"arn:aws:sso::{inst.account}:application/{arn.rsplit('/', 1)[-1]}/apl-{uuid.uuid4().hex[:16]}"
            if arn else None
        )

    # -- resource policy -----------------------------------------------------

    def put_policy(self, account: str, region: str, policy: str,
                   organization: str | None) -> ResourcePolicy:
        with self._lock:
            inst = self.instance(account, region)
            inst.policy = ResourcePolicy(policy, organization)
            return inst.policy

    def policy(self, account: str, region: str) -> ResourcePolicy:
        with self._lock:
            found = self.instance(account, region).policy
            if found is None:
                raise errors.policy_not_exists()
            return found

    def delete_policy(self, account: str, region: str) -> None:
        with self._lock:
            self.instance(account, region).policy = None

    # -- locations -----------------------------------------------------------

    def create_location(self, account: str, region: str, scope: str, role_arn: str,
                        tags: dict[str, str]) -> Location:
        with self._lock:
            inst = self.instance(account, region)
            if any(loc.scope == scope for loc in inst.locations.values()):
                raise errors.location_already_exists()
            if len(inst.locations) >= LOCATIONS_QUOTA:
                raise errors.locations_quota(LOCATIONS_QUOTA)
            loc_id = DEFAULT_LOCATION_ID if scope == "s3://" else str(uuid.uuid4())
            loc = Location(loc_id, f"{inst.arn}/location/{loc_id}", scope, role_arn,
                           next(self._seq), tags=tags)
            inst.locations[loc_id] = loc
            return loc

    def location(self, account: str, region: str, location_id: str) -> Location:
        with self._lock:
            loc = self.instance(account, region).locations.get(location_id)
            if loc is None:
                raise errors.no_such_location()
            return loc

    def update_location(self, account: str, region: str, location_id: str,
                        role_arn: str) -> Location:
        with self._lock:
            loc = self.location(account, region, location_id)
            loc.role_arn = role_arn
            return loc

    def delete_location(self, account: str, region: str, location_id: str) -> None:
        with self._lock:
            inst = self.instance(account, region)
            self.location(account, region, location_id)
            if any(g.spec.location_id == location_id for g in inst.grants.values()):
                raise errors.location_not_empty()
            del inst.locations[location_id]

    def list_locations(self, account: str, region: str, scope: str | None) -> list[Location]:
        with self._lock:
            found = self.instance(account, region).locations.values()
            return [loc for loc in found if scope is None or loc.scope == scope]

    # -- grants --------------------------------------------------------------

    def create_grant(self, account: str, region: str, spec: GrantSpec,
                     tags: dict[str, str]) -> Grant:
        with self._lock:
            inst = self.instance(account, region)
            loc = self.location(account, region, spec.location_id)
            if any(g.spec.identity() == spec.identity() for g in inst.grants.values()):
                raise errors.grant_already_exists()
            if len(inst.grants) >= GRANTS_QUOTA:
                raise errors.grants_quota(GRANTS_QUOTA)
            grant_id = str(uuid.uuid4())
            grant = Grant(
                grant_id, f"{inst.arn}/grant/{grant_id}", spec,
                join_grant_scope(loc.scope, spec.sub_prefix),
                grant_match_scope(loc.scope, spec.sub_prefix),
                next(self._seq), tags=tags,
            )
            inst.grants[grant_id] = grant
            return grant

    def grant(self, account: str, region: str, grant_id: str) -> Grant:
        with self._lock:
            found = self.instance(account, region).grants.get(grant_id)
            if found is None:
                raise errors.no_such_grant()
            return found

    def delete_grant(self, account: str, region: str, grant_id: str) -> None:
        with self._lock:
            self.grant(account, region, grant_id)
            del self.instance(account, region).grants[grant_id]

    def list_grants(self, account: str, region: str, where: GrantFilter) -> list[Grant]:
        with self._lock:
            return [g for g in self.instance(account, region).grants.values() if where.matches(g)]

    def grants_of(self, account: str, region: str, principal_arn: str) -> list[Grant]:
        """The IAM grants whose grantee is ``principal_arn``."""
        return self.list_grants(account, region, GrantFilter("IAM", principal_arn))

    # -- tags ----------------------------------------------------------------

    def tagged(self, account: str, arn: str) -> Instance | Location | Grant:
        """The instance, location or grant an ARN names (in ``account``)."""
        match = _ARN_RE.match(arn or "")
        if match is None:
            raise errors.invalid_request(f"Invalid resource ARN: {arn}")
        if match["account"] != account:
            raise errors.access_denied()
        region, kind, item_id = match["region"], match["kind"], match["id"]
        with self._lock:
            if kind == "location":
                return self.location(account, region, item_id)
            if kind == "grant":
                return self.grant(account, region, item_id)
            return self.instance(account, region)

    def tag(self, account: str, arn: str, tags: dict[str, str]) -> None:
        with self._lock:
            item = self.tagged(account, arn)
            merged = {**item.tags, **tags}
            if len(merged) > TAGS_LIMIT:
                raise errors.too_many_tags()
            item.tags = merged

    def untag(self, account: str, arn: str, keys: Iterable[str]) -> None:
        with self._lock:
            item = self.tagged(account, arn)
            removed = set(keys)
            item.tags = {k: v for k, v in item.tags.items() if k not in removed}
