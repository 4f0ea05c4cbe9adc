"""``maxResults`` / ``nextToken`` paging of the Access Grants list calls.

Items carry a creation sequence number (``seq``).  A token is the opaque,
URL-safe encoding of the last ``seq`` a page returned, so a page boundary
survives deletions made between two calls.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from . import errors

DEFAULT_MAX_RESULTS = 1000
_PREFIX = "cytoskel-page:"


def page(items: Sequence[Any], max_results: int | None,
         token: str | None) -> tuple[list[Any], str | None]:
    """One page of ``items`` (each with a ``seq``) and the token of the next
    page, or ``None`` after the last one."""
    limit = _limit(max_results)
    after = _decode(token) if token else 0
    rest = sorted((item for item in items if item.seq > after), key=lambda item: item.seq)
    chunk = rest[:limit]
    more = len(rest) > limit
    return chunk, (_encode(chunk[-1].seq) if more else None)


def _limit(max_results: int | None) -> int:
    if max_results is None:
        return DEFAULT_MAX_RESULTS
    if not 1 <= max_results <= DEFAULT_MAX_RESULTS:
        raise errors.invalid_request("maxResults must be between 1 and 1000")
    return max_results


def _encode(seq: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{seq}".encode()).decode()


def _decode(token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token.encode()).decode()
        if text.startswith(_PREFIX):
            return int(text[len(_PREFIX):])
    except ValueError:
        pass
    raise errors.invalid_request("The continuation token provided is invalid")
