"""What Access Grants needs from moto's IAM and STS backends.

- who owns an access key (an IAM user, or a role through an STS session);
- does a principal or role exist;
- does a role's trust policy let ``access-grants.s3.amazonaws.com`` call
  ``sts:AssumeRole`` (with ``aws:SourceAccount`` / ``aws:SourceArn`` as
  Access Grants sends them);
- mint real STS credentials for a role (moto's ``assume_role``).

Trust policies are evaluated here, not by moto (moto's evaluator knows only
``AWS`` principals).  Supported: ``Allow``/``Deny`` statements, ``Action`` with
wildcards, ``Principal`` ``Service``/``*``, and the condition operators
``StringEquals``, ``StringLike``, ``ArnEquals``, ``ArnLike`` (optionally
``...IfExists``).  A condition with any other operator, or on a key other than
``aws:SourceAccount`` / ``aws:SourceArn`` (without ``IfExists``), is not
satisfied: unknown conditions fail closed.
"""

from __future__ import annotations

import fnmatch
import json
import uuid
from typing import Any
from urllib.parse import unquote

from moto.iam.models import IAMBackend, Role, iam_backends
from moto.sts.models import AssumedRole, sts_backends

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
    allowed = False
    for statement in _statements(role.assume_role_policy_document):
        if not _statement_applies(statement, context):
            continue
        if statement.get("Effect") == "Deny":
            return False
        allowed = allowed or statement.get("Effect") == "Allow"
    return allowed


def _statements(document: Any) -> list[dict[str, Any]]:
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            document = json.loads(unquote(document))
    statements = document.get("Statement", [])
    return statements if isinstance(statements, list) else [statements]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statement_applies(statement: dict[str, Any], context: dict[str, str]) -> bool:
    actions = _as_list(statement.get("Action", []))
    if not any(fnmatch.fnmatchcase("sts:assumerole", a.lower()) for a in actions):
        return False
    return _names_service(statement.get("Principal")) and _conditions_hold(
        statement.get("Condition", {}), context)


def _names_service(principal: Any) -> bool:
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    return SERVICE_PRINCIPAL in _as_list(principal.get("Service", [])) or "*" in _as_list(
        principal.get("AWS", []))


_OPERATORS = {
    "stringequals": lambda have, want: have == want,
    "stringlike": fnmatch.fnmatchcase,
    "arnequals": lambda have, want: have == want,
    "arnlike": fnmatch.fnmatchcase,
}


def _conditions_hold(conditions: dict[str, Any], context: dict[str, str]) -> bool:
    for operator, pairs in conditions.items():
        name = operator.lower()
        if_exists = name.endswith("ifexists")
        compare = _OPERATORS.get(name.removesuffix("ifexists"))
        if compare is None:
            return False
        for key, wanted in pairs.items():
            have = context.get(key.lower())
            if have is None:
                if if_exists:
                    continue
                return False
            if not any(compare(have, str(w)) for w in _as_list(wanted)):
                return False
    return True
