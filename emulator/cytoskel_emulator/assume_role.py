"""``sts:AssumeRole`` by IAM users and role sessions, authorized as AWS does.

moto authorizes AssumeRole with the caller's identity policies and the role's
trust policy, but compares a trust policy's ``AWS`` principal with the
caller's ARN as a plain string: a policy trusting the account
(``arn:aws:iam::ACCOUNT:root`` or ``ACCOUNT``) never matches a user, so even
an administrator is refused.  Its evaluator also takes a statement naming
someone else for a Deny and ``"Effect": "Deny"`` for an Allow, fails (HTTP
500) on a ``Service``-only statement, and skips the trust check for a role
it cannot find.

``authorize(request, role_arn)`` (called by ``hooks`` instead of moto's
``check_action_permitted`` for ``sts:AssumeRole``) decides:

1. an explicit Deny in the caller's identity policies refuses;
2. the role must exist, and its trust policy (``trust.evaluate``, the caller
   as a ``trust.IamCaller``, condition keys ``sts:ExternalId``,
   ``sts:RoleSessionName``, ``aws:PrincipalArn``, ``aws:PrincipalAccount``)
   must allow it and not deny it;
3. the identity policies must allow ``sts:AssumeRole`` on the role ARN --
   unless the trust policy names the caller itself (user ARN, role ARN or
   session ARN) and the role is in the caller's account: there a
   resource-based policy naming the principal suffices on its own.

A refusal is moto's ``AccessDenied`` (403) with AWS's message ``User: CALLER
is not authorized to perform: sts:AssumeRole on resource: ROLE``.
"""

from __future__ import annotations

from typing import Any

from moto.core.exceptions import AccessDeniedError
from moto.iam.access_control import AssumedRoleAccessKey, IAMPolicy, PermissionResult
from moto.iam.models import Role

from . import principals, trust
from .trust import Trust


def authorize(request: Any, role_arn: str) -> None:
    """Refuse (AccessDenied) unless the request's caller may assume ``role_arn``."""
    if not _allowed(request, role_arn):
        raise AccessDeniedError(user_arn=request._access_key.arn,
                                action=f"{request._action} on resource: {role_arn}")


def _allowed(request: Any, role_arn: str) -> bool:
    identity = _identity_verdict(request, role_arn)
    role = _role(role_arn)
    if identity == PermissionResult.DENIED or role is None:
        return False
    verdict = trust.evaluate(role.assume_role_policy_document, _caller(request),
                             _context(request))
    if identity == PermissionResult.PERMITTED:
        return verdict >= Trust.ACCOUNT
    same_account = role_arn.split(":")[4] == request.account_id
    return verdict == Trust.PRINCIPAL and same_account


def _identity_verdict(request: Any, resource: str) -> PermissionResult:
    """moto's evaluation of the caller's own policies: DENIED, PERMITTED or NEUTRAL."""
    verdict = PermissionResult.NEUTRAL
    for policy in request._access_key.collect_policies():
        result = IAMPolicy(policy).is_action_permitted(request._action, resource)
        if result == PermissionResult.DENIED:
            return result
        if result == PermissionResult.PERMITTED:
            verdict = result
    return verdict


def _role(arn: str) -> Role | None:
    """The role ``arn`` names, looked up in its own account."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "iam" or not parts[4].isdigit() or len(parts[4]) != 12:
        return None
    return principals.find_role(parts[4], arn)


def _principal_arn(request: Any) -> str:
    """The caller's user ARN (with its path), or its session's role ARN."""
    key_id = request._access_key._access_key_id
    return principals.caller_arn(request.account_id, key_id) or request._access_key.arn


def _caller(request: Any) -> trust.IamCaller:
    arns = {_principal_arn(request)}
    if isinstance(request._access_key, AssumedRoleAccessKey):
        arns.add(request._access_key.arn)
    return trust.IamCaller(request.account_id, frozenset(arns))


def _context(request: Any) -> dict[str, str]:
    context = {"aws:principalarn": _principal_arn(request),
               "aws:principalaccount": request.account_id}
    for key, parameter in (("sts:externalid", "ExternalId"),
                           ("sts:rolesessionname", "RoleSessionName")):
        value = _first(request._data.get(parameter))
        if value is not None:
            context[key] = value
    return context


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        return str(value[0]) if value else None
    return None if value is None else str(value)
