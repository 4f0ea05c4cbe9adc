"""What Access Grants needs from moto's IAM and STS backends.

- who owns an access key (an IAM user, or a role through an STS session);
- does a principal or role exist;
- does a role's trust policy let ``access-grants.s3.amazonaws.com`` call
  ``sts:AssumeRole`` (with ``aws:SourceAccount`` / ``aws:SourceArn`` as
  Access Grants sends them);
- mint real STS credentials for a role (moto's ``assume_role``).

Trust policies are evaluated by ``trust`` (not by moto, whose evaluator knows
only ``AWS`` principals), with principal ``Service``
``access-grants.s3.amazonaws.com`` (or ``*``) and the condition keys
``aws:SourceAccount`` / ``aws:SourceArn``: a condition on any other key
(without ``IfExists``) or with an operator ``trust`` lacks is not satisfied.
"""

from __future__ import annotations

import uuid
from typing import Any

from moto.iam.models import IAMBackend, Role, iam_backends
from moto.sts.models import AssumedRole, sts_backends

from . import trust

SERVICE_PRINCIPAL = "access-grants.s3.amazonaws.com"
PARTITION = "aws"


def _iam(account: str) -> IAMBackend:
    return iam_backends[account][PARTITION]


def caller_arn(account: str, access_key_id: str) -> str | None:
    """ARN of the IAM user owning the key, or of the role behind an STS
    session key; ``None`` for an unknown key."""
    for user in list(_iam(account).users.values()):
        if any(key.access_key_id == access_key_id for key in user.access_keys):
            return user.arn
    session = sts_backends[account][PARTITION].get_assumed_role_from_access_key(access_key_id)
    return session.role_arn if session else None


def principal_exists(account: str, arn: str) -> bool:
    """True if ``arn`` names an IAM user or role of the account."""
    iam = _iam(account)
    return any(u.arn == arn for u in list(iam.users.values())) or find_role(account, arn) is not None


def find_role(account: str, arn: str) -> Role | None:
    return next((r for r in list(_iam(account).roles.values()) if r.arn == arn), None)


def max_session_seconds(role: Role) -> int:
    return int(role.max_session_duration or 3600)


def assume(account: str, region: str, role_arn: str, duration: int) -> AssumedRole:
    """Real temporary credentials for ``role_arn``, as Access Grants gets them."""
    return sts_backends[account][PARTITION].assume_role(
        region_name=region,
        role_session_name=f"access-grants-{uuid.uuid4().hex[:16]}",
        role_arn=role_arn,
        policy=None,
        duration=duration,
        external_id=None,
    )


def trusts_access_grants(role: Role, account: str, instance_arn: str) -> bool:
    """True if the role's trust policy lets Access Grants (acting for
    ``instance_arn`` of ``account``) assume it."""
    context = {"aws:sourceaccount": account, "aws:sourcearn": instance_arn}
    return trust.evaluate(role.assume_role_policy_document, _names_service,
                          context) >= trust.Trust.ACCOUNT


def _names_service(principal: Any) -> trust.Trust | None:
    if principal == "*":
        return trust.Trust.PRINCIPAL
    if not isinstance(principal, dict):
        return None
    if SERVICE_PRINCIPAL in trust.as_list(principal.get("Service", [])) or \
            "*" in trust.as_list(principal.get("AWS", [])):
        return trust.Trust.PRINCIPAL
    return None
