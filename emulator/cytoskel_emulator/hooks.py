"""Hooks into moto's request authorization and IAM policy validation.

``install`` (once per process) applies them all:

1. Scoped GetDataAccess credentials.  It wraps ``moto.iam.access_control
   .IAMRequestBase.check_action_permitted``: moto first evaluates the
   caller's own policies as usual (for vended credentials: the location
   role's); then a key registered in ``sessions.SESSIONS`` must also stay
   inside its grant (``sessions.GrantSession.allows``), and past its expiry
   gets ``ExpiredToken``.

2. Inactive access keys.  moto accepts a key whatever its status; AWS refuses
   an inactive one like an unknown one.  ``moto.iam.access_control
   .create_access_key`` is wrapped to refuse it.

3. Regional S3 resource ARNs.  moto's policy validator refuses any S3
   resource ARN with a region except access points; AWS accepts Access Grants
   (``arn:aws:s3:REGION:ACCOUNT:access-grants/default``), Batch Operations
   jobs and Storage Lens ARNs.  Those are added to moto's list.

4. Signature checks on encoded URLs.  moto checks signatures against the URL
   werkzeug decoded (``/`` for ``%2F`` in a query, ``:`` for ``%3A`` in a
   path, ``%`` for ``%25``), so any request whose path or query needs
   encoding (``ListObjectsV2`` with a prefix, S3 Control tags on an ARN,
   GetDataAccess's target, odd object keys) fails with SignatureDoesNotMatch.
   moto's ``_authenticate_and_authorize_action`` is wrapped to check against
   the path as sent and the query re-encoded the SigV4 way.

5. Multi-object delete.  moto authorizes DeleteObjects as ``s3:DeleteObject``
   on the bucket ARN; AWS authorizes each object.  The wrapped
   ``check_action_permitted`` evaluates every listed key's ARN instead, all
   or nothing: one refused key refuses the request (moto then reports
   AccessDenied for every key and deletes none).

6. AssumeRole.  For ``sts:AssumeRole`` the wrapped ``check_action_permitted``
   calls ``assume_role.authorize`` instead of moto's evaluation, whose trust
   policy check never matches a policy trusting the account (so even the
   admin was refused) and misreads Deny statements.

7. DeleteUser conflicts.  ``IAMBackend.delete_user`` is wrapped to refuse
   (``DeleteConflict``, 409) while ``user_deletion.conflict`` finds anything
   still attached to the user; moto checked policies only.

8. Service-specific credentials.  The IAM operations of
   ``service_credentials.OPERATIONS`` are added to moto's ``IamResponse``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote, urlunparse
from xml.etree import ElementTree as ET

from moto.core.authorization import ActionAuthenticatorMixin
from moto.iam import access_control, policy_validation
from moto.iam.exceptions import DeleteConflictException
from moto.iam.models import IAMBackend, iam_backends
from moto.iam.responses import IamResponse
from moto.s3.exceptions import S3ClientError

from . import assume_role, service_credentials, user_deletion
from .sessions import SESSIONS

_REGIONAL_S3_RESOURCES = ("access-grants/", "job/", "storage-lens/", "storage-lens-group/")


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
            if self._action == "sts:AssumeRole":
                assume_role.authorize(self, each)
            else:
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


def _refuse_attached(original: Any) -> Any:
    def delete_user(self: IAMBackend, user_name: str) -> None:
        message = user_deletion.conflict(self, self.get_user(user_name))
        if message:
            raise DeleteConflictException(message)
        original(self, user_name)

    return delete_user


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
    IAMBackend.delete_user = _refuse_attached(IAMBackend.delete_user)
    for name, operation in service_credentials.OPERATIONS.items():
        setattr(IamResponse, name, operation)
    regional = policy_validation.SERVICE_TYPE_REGION_INFORMATION_ERROR_ASSOCIATIONS["s3"]
    regional.setdefault("valid_starting_values", []).extend(_REGIONAL_S3_RESOURCES)
    _installed = True
