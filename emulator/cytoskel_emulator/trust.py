"""Role trust policies: may this principal call ``sts:AssumeRole`` on a role?

``evaluate(document, match, context)`` reads a trust policy (a JSON string,
URL-encoded or not, or a dict) for one request and returns a ``Trust``:

- ``DENIED``: a ``Deny`` statement applies;
- ``PRINCIPAL``: an ``Allow`` statement names the caller itself (a user,
  role or role-session ARN, a service principal);
- ``ACCOUNT``: an ``Allow`` statement admits the caller only through its
  account (``ACCOUNT``, ``arn:aws:iam::ACCOUNT:root``) or ``*``: AWS then
  also requires the caller's identity policies to allow the call;
- ``NONE``: nothing applies (implicit deny).

A statement applies when its ``Action`` (or ``NotAction``), with wildcards,
covers ``sts:AssumeRole``, ``match(statement["Principal"])`` is not ``None``
and its conditions hold.  ``NotPrincipal`` statements never apply.
Condition operators: ``StringEquals``, ``StringLike``, ``ArnEquals``,
``ArnLike``, each optionally ``...IfExists``; keys are looked up (case
insensitively) in ``context``; a key missing from it fails the condition
(unless ``IfExists``), any other operator fails it: unknown conditions fail
closed.

``IamCaller`` is the ``match`` for an IAM user or role session.
"""

from __future__ import annotations

import enum
import fnmatch
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

ASSUME_ROLE = "sts:AssumeRole"


class Trust(enum.IntEnum):
    """What a trust policy says about one request (higher allows more)."""

    DENIED = 0
    NONE = 1
    ACCOUNT = 2
    PRINCIPAL = 3


Matcher = Callable[[Any], "Trust | None"]


def evaluate(document: Any, match: Matcher, context: dict[str, str],
             action: str = ASSUME_ROLE) -> Trust:
    """The verdict of trust policy ``document`` on ``action`` by the caller
    ``match`` recognizes, with condition keys ``context``."""
    verdict = Trust.NONE
    for statement in statements(document):
        level = _applies(statement, action, match, context)
        if level is None:
            continue
        if statement.get("Effect") == "Deny":
            return Trust.DENIED
        if statement.get("Effect") == "Allow":
            verdict = max(verdict, level)
    return verdict


def statements(document: Any) -> list[dict[str, Any]]:
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            document = json.loads(unquote(document))
    found = document.get("Statement", [])
    return found if isinstance(found, list) else [found]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _applies(statement: dict[str, Any], action: str, match: Matcher,
             context: dict[str, str]) -> Trust | None:
    if not _covers(statement, action) or "Principal" not in statement:
        return None
    level = match(statement["Principal"])
    if level is None or not conditions_hold(statement.get("Condition", {}), context):
        return None
    return level


def _covers(statement: dict[str, Any], action: str) -> bool:
    def named(key: str) -> bool:
        return any(fnmatch.fnmatchcase(action.lower(), str(pattern).lower())
                   for pattern in as_list(statement.get(key, [])))

    return not named("NotAction") if "NotAction" in statement else named("Action")


_OPERATORS = {
    "stringequals": lambda have, want: have == want,
    "stringlike": fnmatch.fnmatchcase,
    "arnequals": lambda have, want: have == want,
    "arnlike": fnmatch.fnmatchcase,
}


def conditions_hold(conditions: dict[str, Any], context: dict[str, str]) -> bool:
    """True if every condition holds for ``context`` (lower-case keys)."""
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
            if not any(compare(have, str(w)) for w in as_list(wanted)):
                return False
    return True


@dataclass(frozen=True)
class IamCaller:
    """An IAM user (``arns``: its ARN) or role session (``arns``: the session's
    ARN and its role's ARN) of ``account``, as a trust-policy principal."""

    account: str
    arns: frozenset[str]

    def __call__(self, principal: Any) -> Trust | None:
        if principal == "*":
            return Trust.ACCOUNT
        if not isinstance(principal, dict):
            return None
        verdict = None
        for value in as_list(principal.get("AWS", [])):
            if value in self.arns:
                return Trust.PRINCIPAL
            if value in ("*", self.account, f"arn:aws:iam::{self.account}:root"):
                verdict = Trust.ACCOUNT
        return verdict
