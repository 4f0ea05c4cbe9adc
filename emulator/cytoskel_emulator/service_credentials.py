"""IAM service-specific credentials, which moto 5.2 lacks (its IAM answers
HTTP 500 to them).

``OPERATIONS`` maps moto's method names to functions that ``hooks`` installs
on moto's ``IamResponse``, so they are signature-checked and authorized
(``iam:<Operation>`` on ``*``) like moto's own IAM calls, and their replies
are serialized by moto from botocore's model:

- ``CreateServiceSpecificCredential`` (``UserName``, ``ServiceName``,
  ``CredentialAgeDays``): ``codecommit.amazonaws.com`` and
  ``cassandra.amazonaws.com`` get a ``ServiceUserName``
  (``USER-at-ACCOUNT``, the second one ``USER+1-at-ACCOUNT``) and a
  ``ServicePassword``; the API-key services ``bedrock.amazonaws.com`` and
  ``logs.amazonaws.com`` get a ``ServiceCredentialAlias`` and a
  ``ServiceCredentialSecret``, and an ``ExpirationDate`` when
  ``CredentialAgeDays`` is given (ignored for the others).  Any other
  service: ``NotSupportedService`` 404; a third credential of one service
  for one user: ``LimitExceeded`` 409.  Ids are ``ACCA`` + 17 characters.
- ``ListServiceSpecificCredentials`` (``UserName`` or ``AllUsers``,
  ``ServiceName``, ``Marker``/``MaxItems``, default 100): metadata only,
  oldest first; ``Status`` is ``Expired`` past the expiration date.
- ``ResetServiceSpecificCredential``: a new password (or secret), returned.
- ``UpdateServiceSpecificCredential``: ``Status`` ``Active``/``Inactive``.
- ``DeleteServiceSpecificCredential``.

``UserName`` omitted means the calling IAM user (a role session gets
``ValidationError``).  An unknown user, or a credential id the user does not
have: ``NoSuchEntity`` 404.  Credentials live in memory with the moto
``User`` object they belong to (and follow it through a rename);
``has_credentials`` lets DeleteUser refuse while any remain.
"""

from __future__ import annotations

import base64
import itertools
import secrets
import string
import threading
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from moto.core.responses import ActionResult, EmptyResult
from moto.iam.exceptions import (
    IAMException,
    LimitExceededException,
    NotFoundException,
    ValidationError,
)
from moto.iam.models import User

PASSWORD_SERVICES = ("codecommit.amazonaws.com", "cassandra.amazonaws.com")
API_KEY_SERVICES = ("bedrock.amazonaws.com", "logs.amazonaws.com")
PER_SERVICE_LIMIT = 2
DEFAULT_MAX_ITEMS = 100
_ID_ALPHABET = string.ascii_uppercase + string.digits


class ServiceNotSupported(IAMException):
    code = "NotSupportedService"


@dataclass
class ServiceCredential:
    """One service-specific credential of a user."""

    credential_id: str
    service: str
    seq: int
    created: datetime
    status: str = "Active"
    service_user_name: str | None = None  # password services
    password: str | None = None
    alias: str | None = None  # API-key services
    secret: str | None = None
    expires: datetime | None = None

    def current_status(self) -> str:
        if self.expires is not None and datetime.now(timezone.utc) >= self.expires:
            return "Expired"
        return self.status

    def metadata(self, user: User) -> dict[str, Any]:
        """The ``ServiceSpecificCredentialMetadata`` structure."""
        fields = {"UserName": user.name, "Status": self.current_status(),
                  "ServiceUserName": self.service_user_name,
                  "ServiceCredentialAlias": self.alias, "CreateDate": self.created,
                  "ExpirationDate": self.expires,
                  "ServiceSpecificCredentialId": self.credential_id,
                  "ServiceName": self.service}
        return {key: value for key, value in fields.items() if value is not None}

    def full(self, user: User) -> dict[str, Any]:
        """The ``ServiceSpecificCredential`` structure, secrets included."""
        fields = self.metadata(user)
        fields.update({key: value for key, value in (("ServicePassword", self.password),
                                                     ("ServiceCredentialSecret", self.secret))
                       if value is not None})
        return fields


class _Store:
    """moto ``User`` -> its credentials (gone with the user object)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_user: weakref.WeakKeyDictionary[User, list[ServiceCredential]] = \
            weakref.WeakKeyDictionary()
        self._seq = itertools.count(1)

    def of(self, user: User) -> list[ServiceCredential]:
        with self._lock:
            return list(self._by_user.get(user, []))

    def add(self, user: User, service: str, build: Any) -> ServiceCredential:
        """Add ``build(seq, same_service_count)`` unless the user has the limit."""
        with self._lock:
            held = self._by_user.setdefault(user, [])
            same = [c for c in held if c.service == service]
            if len(same) >= PER_SERVICE_LIMIT:
                raise LimitExceededException(
                    f"Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: "
                    f"{PER_SERVICE_LIMIT}")
            credential = build(next(self._seq), len(same))
            held.append(credential)
            return credential

    def find(self, user: User, credential_id: str) -> ServiceCredential:
        with self._lock:
            for credential in self._by_user.get(user, []):
                if credential.credential_id == credential_id:
                    return credential
        raise NotFoundException(
            f"The Service Specific Credential with id {credential_id} cannot be found.")

    def remove(self, user: User, credential_id: str) -> None:
        credential = self.find(user, credential_id)
        with self._lock:
            self._by_user[user].remove(credential)


STORE = _Store()


def has_credentials(user: User) -> bool:
    return bool(STORE.of(user))


# -- generation ---------------------------------------------------------------

def _credential_id() -> str:
    return "ACCA" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(17))


def _random_text(size: int) -> str:
    return base64.b64encode(secrets.token_bytes(size)).decode()


def _builder(user: User, account: str, service: str, age_days: int | None) -> Any:
    now = datetime.now(timezone.utc).replace(microsecond=0)

    def build(seq: int, same: int) -> ServiceCredential:
        credential = ServiceCredential(_credential_id(), service, seq, now)
        if service in PASSWORD_SERVICES:
            suffix = f"+{same}" if same else ""
            credential.service_user_name = f"{user.name}{suffix}-at-{account}"
            credential.password = _random_text(32)
        else:
            credential.alias = f"{user.name}-at-{account}-{credential.credential_id[-6:].lower()}"
            credential.secret = _random_text(48)
            if age_days is not None:
                credential.expires = now + timedelta(days=age_days)
        return credential

    return build


def _check_service(service: str) -> None:
    if service not in PASSWORD_SERVICES + API_KEY_SERVICES:
        raise ServiceNotSupported(f"Service {service} is not supported for "
                                  "service-specific credentials.")


# -- request helpers (``response`` is moto's IamResponse) ------------------------

def _user(response: Any) -> User:
    """The ``UserName`` parameter's user, or the calling IAM user."""
    name = response._get_param("UserName")
    if name:
        return response.backend.get_user(name)
    user = response.backend.get_user_from_access_key_id(response.get_access_key())
    if user is None:
        raise ValidationError("Must specify userName when calling with non-User credentials")
    return user


def _credential(response: Any) -> tuple[User, ServiceCredential]:
    user = _user(response)
    return user, STORE.find(user, response._get_param("ServiceSpecificCredentialId"))


def _page(items: list[tuple[User, ServiceCredential]], marker: str | None,
          max_items: int | None) -> tuple[list[tuple[User, ServiceCredential]], str | None]:
    limit = DEFAULT_MAX_ITEMS if max_items is None else int(max_items)
    after = _decode_marker(marker) if marker else 0
    rest = sorted((item for item in items if item[1].seq > after), key=lambda i: i[1].seq)
    chunk = rest[:limit]
    more = len(rest) > limit
    return chunk, (base64.urlsafe_b64encode(str(chunk[-1][1].seq).encode()).decode()
                   if more else None)


def _decode_marker(marker: str) -> int:
    try:
        return int(base64.urlsafe_b64decode(marker.encode()).decode())
    except ValueError:
        raise ValidationError("Invalid Marker.") from None


# -- operations ------------------------------------------------------------------

def create_service_specific_credential(response: Any) -> ActionResult:
    user = response.backend.get_user(response._get_param("UserName"))
    service = response._get_param("ServiceName")
    _check_service(service)
    build = _builder(user, response.current_account, service,
                     response._get_param("CredentialAgeDays"))
    credential = STORE.add(user, service, build)
    return ActionResult({"ServiceSpecificCredential": credential.full(user)})


def list_service_specific_credentials(response: Any) -> ActionResult:
    service = response._get_param("ServiceName")
    if service:
        _check_service(service)
    if response._get_param("AllUsers"):
        if response._get_param("UserName"):
            raise ValidationError("AllUsers cannot be specified together with UserName.")
        users = list(response.backend.users.values())
    else:
        users = [_user(response)]
    items = [(user, credential) for user in users for credential in STORE.of(user)
             if not service or credential.service == service]
    chunk, marker = _page(items, response._get_param("Marker"), response._get_param("MaxItems"))
    result: dict[str, Any] = {"ServiceSpecificCredentials": [c.metadata(u) for u, c in chunk],
                              "IsTruncated": marker is not None}
    if marker:
        result["Marker"] = marker
    return ActionResult(result)


def reset_service_specific_credential(response: Any) -> ActionResult:
    user, credential = _credential(response)
    if credential.password is not None:
        credential.password = _random_text(32)
    else:
        credential.secret = _random_text(48)
    return ActionResult({"ServiceSpecificCredential": credential.full(user)})


def update_service_specific_credential(response: Any) -> ActionResult:
    status = response._get_param("Status")
    if status not in ("Active", "Inactive"):
        raise ValidationError(f"Invalid status {status}: must be Active or Inactive.")
    _, credential = _credential(response)
    credential.status = status
    return EmptyResult()


def delete_service_specific_credential(response: Any) -> ActionResult:
    user = _user(response)
    STORE.remove(user, response._get_param("ServiceSpecificCredentialId"))
    return EmptyResult()


OPERATIONS = {
    "create_service_specific_credential": create_service_specific_credential,
    "list_service_specific_credentials": list_service_specific_credentials,
    "reset_service_specific_credential": reset_service_specific_credential,
    "update_service_specific_credential": update_service_specific_credential,
    "delete_service_specific_credential": delete_service_specific_credential,
}
