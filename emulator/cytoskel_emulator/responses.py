"""S3 Control with the Access Grants operations, as a moto response class.

``AccessGrantsResponse`` extends moto's ``S3ControlResponse`` and serves
every S3 Control request.  moto parses the request against botocore's model
(``self.params``) and finds the operation from method and path.  For an
Access Grants operation this class then

1. authenticates the request with moto's machinery (signature, then IAM
   policy of the caller for ``s3:<Operation>`` on the instance, location or
   grant ARN) using S3 SigV4 rules and S3 error codes;
2. checks that ``x-amz-account-id`` is the caller's account, and the
   ``x-amz-content-sha256`` and checksum headers against the body;
3. runs the operation against ``models.AccessGrantsStore`` and moto IAM/STS;
4. answers with ``wire``'s XML, or the flat ``<Error>`` document.

Other S3 Control operations (and tag operations on ARNs that are not Access
Grants ARNs) run moto's own implementation, authenticated the same S3 way.
State is keyed by (account, region); the region is the one the request is
signed for.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from botocore.auth import S3SigV4Auth
from moto.core.utils import camelcase_to_underscores
from moto.iam.access_control import IAMRequestBase
from moto.s3control.responses import S3ControlResponse

from . import checksums, errors, paging, principals, sessions, wire
from .errors import ControlError
from .models import AccessGrantsStore, GrantFilter, GrantSpec, is_access_grants_arn, validate_tags
from .scopes import S3Scope, ScopeError, validate_location_scope

PERMISSIONS = ("READ", "WRITE", "READWRITE")
PRIVILEGES = ("Default", "Minimal")
GRANTEE_TYPES = ("IAM", "DIRECTORY_USER", "DIRECTORY_GROUP")
DEFAULT_DURATION = 3600
MIN_DURATION, MAX_DURATION = 900, 43200
TAG_OPERATIONS = ("TagResource", "UntagResource", "ListTagsForResource")
_CALLER_OPERATIONS = ("GetDataAccess", "ListCallerAccessGrants")
# Handlers whose natural names would override moto's S3 Control methods.
_HANDLER_NAMES = {"TagResource": "tag_access_grants_resource",
                  "UntagResource": "untag_access_grants_resource",
                  "ListTagsForResource": "list_access_grants_resource_tags"}
_LOCATION_OPERATIONS = ("GetAccessGrantsLocation", "UpdateAccessGrantsLocation",
                        "DeleteAccessGrantsLocation")
_GRANT_OPERATIONS = ("GetAccessGrant", "DeleteAccessGrant")


class _ControlIAMRequest(IAMRequestBase):
    """moto's authenticator with S3 Control's rules: S3 SigV4 (no path
    re-encoding, signed payload hash header) and S3's error codes."""

    def _create_auth(self, credentials: Any) -> S3SigV4Auth:
        return S3SigV4Auth(credentials, self._service, self._region)

    def _raise_signature_does_not_match(self) -> None:
        raise ControlError(
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. "
            "Check your key and signing method.",
            403,
        )

    def _raise_invalid_access_key(self, reason: str) -> None:
        if reason == "InvalidToken":
            raise ControlError("InvalidToken", "The provided token is malformed or otherwise invalid.", 400)
        raise ControlError(
            "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", 403
        )

    def _raise_access_denied(self) -> None:
        raise errors.access_denied(
            f"User: {self._access_key.arn} is not authorized to perform: {self._action}"
        )


def _permission_covers(granted: str, requested: str) -> bool:
    return granted == requested or granted == "READWRITE"


def _parse_scope(text: str) -> S3Scope:
    try:
        return S3Scope.parse(text)
    except ScopeError as err:
        raise errors.invalid_request(str(err)) from None


def _one_of(value: str | None, allowed: tuple[str, ...], what: str) -> None:
    if value is not None and value not in allowed:
        raise errors.invalid_request(f"Invalid {what}: {value}")


@dataclass(frozen=True)
class _DataAccessRequest:
    target_text: str
    target: S3Scope
    permission: str
    privilege: str
    duration: int


class AccessGrantsResponse(S3ControlResponse):
    """S3 Control: the Access Grants operations here, the others moto's (see
    the module docstring)."""

    store = AccessGrantsStore()

    # -- dispatch ------------------------------------------------------------

    def call_action(self) -> tuple[int, dict[str, str], bytes]:
        action = self._get_action()
        request_id, host_id = wire.new_request_ids()
        try:
            if not self._is_access_grants(action):
                return super().call_action()
            status, body = self._run(action)
        except ControlError as err:
            status = err.status
            body = wire.render_error(err.code, err.message, request_id, host_id)
        return status, wire.reply_headers(request_id, host_id, body), body

    def _is_access_grants(self, action: str | None) -> bool:
        if action in TAG_OPERATIONS:
            return is_access_grants_arn(self._get_param("ResourceArn"))
        return bool(action) and ("AccessGrant" in action or action in _CALLER_OPERATIONS)

    def _authenticate_and_authorize_normal_action(self, resource: str = "*") -> None:
        """Authenticate the S3 way (moto's own S3 Control operations too)."""
        if "Authorization" not in self.headers:
            raise errors.access_denied("Anonymous access is not allowed")
        self._authenticate_and_authorize_action(_ControlIAMRequest, resource)

    def _run(self, action: str) -> tuple[int, bytes]:
        self._authorize(action)
        checksums.check(self.headers, self.raw_body or b"",
                        wire.operation(action).http_checksum_required)
        handler = getattr(self, _HANDLER_NAMES.get(action) or camelcase_to_underscores(action))
        result = handler() or {}
        return wire.success_status(action), wire.render_result(action, result)

    def _authorize(self, action: str) -> None:
        self._authenticate_and_authorize_normal_action(self._resource(action))
        if self._get_param("AccountId") != self.current_account:
            raise errors.access_denied("The x-amz-account-id header does not match the caller's account")

    def _resource(self, action: str) -> str:
        """The ARN IAM policies are evaluated against."""
        instance = f"arn:{self.partition}:s3:{self.region}:{self.current_account}:access-grants/default"
        if action in TAG_OPERATIONS:
            return self._get_param("ResourceArn")
        if action in _LOCATION_OPERATIONS:
            return f"{instance}/location/{self._get_param('AccessGrantsLocationId')}"
        if action in _GRANT_OPERATIONS:
            return f"{instance}/grant/{self._get_param('AccessGrantId')}"
        return instance

    @property
    def _where(self) -> tuple[str, str]:
        return self.current_account, self.region

    def _caller(self) -> str:
        arn = principals.caller_arn(self.current_account, self.access_key)
        if arn is None:
            raise errors.access_denied()
        return arn

    # -- instance ------------------------------------------------------------

    def create_access_grants_instance(self) -> dict[str, Any]:
        inst = self.store.create_instance(
            self.partition, *self._where, self._get_param("IdentityCenterArn"),
            validate_tags(self._get_param("Tags")))
        return _instance_view(inst)

    def get_access_grants_instance(self) -> dict[str, Any]:
        return _instance_view(self.store.instance(*self._where))

    def delete_access_grants_instance(self) -> None:
        self.store.delete_instance(*self._where)

    def list_access_grants_instances(self) -> dict[str, Any]:
        items, token = self._page(self.store.list_instances(*self._where))
        return {"AccessGrantsInstancesList": [_instance_view(i) for i in items], "NextToken": token}

    def get_access_grants_instance_for_prefix(self) -> dict[str, Any]:
        _parse_scope(self._get_param("S3Prefix"))
        inst = self.store.instance(*self._where)
        return {"AccessGrantsInstanceArn": inst.arn, "AccessGrantsInstanceId": inst.id}

    def associate_access_grants_identity_center(self) -> None:
        self.store.set_identity_center(*self._where, self._get_param("IdentityCenterArn"))

    def dissociate_access_grants_identity_center(self) -> None:
        self.store.set_identity_center(*self._where, None)

    # -- resource policy -----------------------------------------------------

    def put_access_grants_instance_resource_policy(self) -> dict[str, Any]:
        text = self._get_param("Policy")
        try:
            if not isinstance(json.loads(text), dict):
                raise ValueError(text)
        except (TypeError, ValueError):
            raise errors.invalid_resource_policy() from None
        return _policy_view(self.store.put_policy(*self._where, text, self._get_param("Organization")))

    def get_access_grants_instance_resource_policy(self) -> dict[str, Any]:
        return _policy_view(self.store.policy(*self._where))

    def delete_access_grants_instance_resource_policy(self) -> None:
        self.store.delete_policy(*self._where)

    # -- locations -----------------------------------------------------------

    def create_access_grants_location(self) -> dict[str, Any]:
        self.store.instance(*self._where)
        scope = self._get_param("LocationScope")
        try:
            validate_location_scope(scope)
        except ScopeError as err:
            raise errors.invalid_location(str(err)) from None
        role_arn = self._existing_role(self._get_param("IAMRoleArn"))
        loc = self.store.create_location(*self._where, scope, role_arn,
                                         validate_tags(self._get_param("Tags")))
        return _location_view(loc)

    def get_access_grants_location(self) -> dict[str, Any]:
        return _location_view(self.store.location(*self._where, self._get_param("AccessGrantsLocationId")))

    def update_access_grants_location(self) -> dict[str, Any]:
        location_id = self._get_param("AccessGrantsLocationId")
        self.store.location(*self._where, location_id)
        role_arn = self._existing_role(self._get_param("IAMRoleArn"))
        return _location_view(self.store.update_location(*self._where, location_id, role_arn))

    def delete_access_grants_location(self) -> None:
        self.store.delete_location(*self._where, self._get_param("AccessGrantsLocationId"))

    def list_access_grants_locations(self) -> dict[str, Any]:
        found = self.store.list_locations(*self._where, self._get_param("LocationScope"))
        items, token = self._page(found)
        return {"AccessGrantsLocationsList": [_location_view(loc) for loc in items], "NextToken": token}

    def _existing_role(self, arn: str) -> str:
        if not arn or principals.find_role(self.current_account, arn) is None:
            raise errors.invalid_iam_role()
        return arn

    # -- grants --------------------------------------------------------------

    def create_access_grant(self) -> dict[str, Any]:
        location_id = self._get_param("AccessGrantsLocationId")
        self.store.location(*self._where, location_id)
        spec = self._grant_spec(location_id)
        grant = self.store.create_grant(*self._where, spec, validate_tags(self._get_param("Tags")))
        return _grant_view(grant)

    def _grant_spec(self, location_id: str) -> GrantSpec:
        grantee = self._get_param("Grantee") or {}
        grantee_type, grantee_id = grantee.get("GranteeType"), grantee.get("GranteeIdentifier")
        if grantee_type not in GRANTEE_TYPES or not grantee_id:
            raise errors.invalid_grantee()
        if grantee_type == "IAM" and not principals.principal_exists(self.current_account, grantee_id):
            raise errors.invalid_grantee()
        permission = self._get_param("Permission")
        if permission not in PERMISSIONS:
            raise errors.invalid_request(f"Invalid Permission: {permission}")
        config = self._get_param("AccessGrantsLocationConfiguration") or {}
        return GrantSpec(location_id, grantee_type, grantee_id, permission,
                         config.get("S3SubPrefix") or None, self._get_param("ApplicationArn"),
                         self._get_param("S3PrefixType"))

    def get_access_grant(self) -> dict[str, Any]:
        return _grant_view(self.store.grant(*self._where, self._get_param("AccessGrantId")))

    def delete_access_grant(self) -> None:
        self.store.delete_grant(*self._where, self._get_param("AccessGrantId"))

    def list_access_grants(self) -> dict[str, Any]:
        _one_of(self._get_param("Permission"), PERMISSIONS, "Permission")
        _one_of(self._get_param("GranteeType"), GRANTEE_TYPES, "GranteeType")
        where = GrantFilter(
            self._get_param("GranteeType"), self._get_param("GranteeIdentifier"),
            self._get_param("Permission"), self._get_param("GrantScope"),
            self._get_param("ApplicationArn"))
        items, token = self._page(self.store.list_grants(*self._where, where))
        return {"AccessGrantsList": [_grant_view(g) for g in items], "NextToken": token}

    def list_caller_access_grants(self) -> dict[str, Any]:
        grants = self.store.grants_of(*self._where, self._caller())
        wanted = self._get_param("GrantScope")
        if wanted is not None:
            target = _parse_scope(wanted)
            grants = [g for g in grants if g.scope.startswith(wanted) or g.match_scope.covers(target)]
        if self._get_param("AllowedByApplication"):
            grants = [g for g in grants if g.spec.application_arn]
        items, token = self._page(grants)
        entries = [{"Permission": g.spec.permission, "GrantScope": g.scope,
                    "ApplicationArn": g.spec.application_arn} for g in items]
        return {"CallerAccessGrantsList": entries, "NextToken": token}

    # -- data access ---------------------------------------------------------

    def get_data_access(self) -> dict[str, Any]:
        inst = self.store.instance(*self._where)
        request = self._data_access_request()
        caller = self._caller()
        grant = self._closest_grant(caller, request.target, request.permission)
        if grant is None:
            raise errors.data_access_denied(request.permission, request.target_text)
        session = self._assume_location_role(inst, grant.spec.location_id, request.duration)
        scope = request.target if request.privilege == "Minimal" else grant.match_scope
        sessions.SESSIONS.add(session.access_key_id,
                           sessions.GrantSession(scope, request.permission, wire.as_utc(session.expiration)))
        return {
            "Credentials": _credentials_view(session),
            "MatchedGrantTarget": grant.scope,
            "Grantee": {"GranteeType": "IAM", "GranteeIdentifier": caller},
        }

    def _data_access_request(self) -> _DataAccessRequest:
        """GetDataAccess's parameters, validated, with their defaults."""
        target_text, permission = self._get_param("Target"), self._get_param("Permission")
        duration = self._get_param("DurationSeconds") or DEFAULT_DURATION
        privilege = self._get_param("Privilege") or "Default"
        if permission not in PERMISSIONS:
            raise errors.invalid_request(f"Invalid Permission: {permission}")
        _one_of(privilege, PRIVILEGES, "Privilege")
        if not MIN_DURATION <= duration <= MAX_DURATION:
            raise errors.invalid_request(
                f"durationSeconds must be between {MIN_DURATION} and {MAX_DURATION}")
        target = _parse_scope(target_text)
        if self._get_param("TargetType") == "Object":
            target = S3Scope(target.path, False)
        return _DataAccessRequest(target_text, target, permission, privilege, duration)

    def _closest_grant(self, caller: str, target: S3Scope, permission: str) -> Any:
        candidates = [g for g in self.store.grants_of(*self._where, caller)
                      if _permission_covers(g.spec.permission, permission) and g.match_scope.covers(target)]
        return max(candidates, key=lambda g: g.match_scope.specificity(), default=None)

    def _assume_location_role(self, inst: Any, location_id: str, duration: int) -> Any:
        location = self.store.location(*self._where, location_id)
        role = principals.find_role(self.current_account, location.role_arn)
        if role is None:
            raise errors.invalid_iam_role()
        if not principals.trusts_access_grants(role, self.current_account, inst.arn):
            raise errors.sts_not_authorized(location.role_arn)
        if duration > principals.max_session_seconds(role):
            raise errors.sts_validation(
                "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
        return principals.assume(self.current_account, self.region, role.arn, duration)

    # -- tags ----------------------------------------------------------------

    def list_access_grants_resource_tags(self) -> dict[str, Any]:
        item = self.store.tagged(self.current_account, self._get_param("ResourceArn"))
        return {"Tags": [{"Key": k, "Value": v} for k, v in item.tags.items()]}

    def tag_access_grants_resource(self) -> None:
        self.store.tag(self.current_account, self._get_param("ResourceArn"),
                       validate_tags(self._get_param("Tags")))

    def untag_access_grants_resource(self) -> None:
        self.store.untag(self.current_account, self._get_param("ResourceArn"),
                         self._get_param("TagKeys") or [])

    # -- helpers -------------------------------------------------------------

    def _page(self, items: list[Any]) -> tuple[list[Any], str | None]:
        return paging.page(items, self._get_param("MaxResults"), self._get_param("NextToken"))


def _instance_view(inst: Any) -> dict[str, Any]:
    return {
        "CreatedAt": inst.created_at,
        "AccessGrantsInstanceId": inst.id,
        "AccessGrantsInstanceArn": inst.arn,
        "IdentityCenterArn": inst.identity_center_arn,
        "IdentityCenterInstanceArn": inst.identity_center_arn,
        "IdentityCenterApplicationArn": inst.identity_center_application_arn,
    }


def _credentials_view(session: Any) -> dict[str, Any]:
    return {
        "AccessKeyId": session.access_key_id,
        "SecretAccessKey": session.secret_access_key,
        "SessionToken": session.session_token,
        "Expiration": session.expiration,
    }


def _policy_view(policy: Any) -> dict[str, Any]:
    return {"Policy": policy.policy, "Organization": policy.organization, "CreatedAt": policy.created_at}


def _location_view(loc: Any) -> dict[str, Any]:
    return {
        "CreatedAt": loc.created_at,
        "AccessGrantsLocationId": loc.id,
        "AccessGrantsLocationArn": loc.arn,
        "LocationScope": loc.scope,
        "IAMRoleArn": loc.role_arn,
    }


def _grant_view(grant: Any) -> dict[str, Any]:
    spec = grant.spec
    return {
        "CreatedAt": grant.created_at,
        "AccessGrantId": grant.id,
        "AccessGrantArn": grant.arn,
        "Grantee": {"GranteeType": spec.grantee_type, "GranteeIdentifier": spec.grantee_id},
        "Permission": spec.permission,
        "AccessGrantsLocationId": spec.location_id,
        "AccessGrantsLocationConfiguration": (
            {"S3SubPrefix": spec.sub_prefix} if spec.sub_prefix else None),
        "GrantScope": grant.scope,
        "ApplicationArn": spec.application_arn,
    }
