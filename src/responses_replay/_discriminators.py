"""Pick the input union member for an item without trying every member.

Three input schemas share the tag `message` (an easy message, an input message and an assistant
output message), and two members may omit `type` altogether (easy messages and item references).
The generator derives, from the spec, each candidate's roles and content kinds; this picks the
narrowest candidate that admits the item.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Candidate = tuple[str, tuple[str, ...] | None, tuple[str, ...] | None]


def _get(value: Any, key: str) -> Any:
    if isinstance(value, Mapping):
        return value.get(key)
    return getattr(value, key, None)


def _kind(content: Any) -> str | None:
    if isinstance(content, str):
        return "string"
    if isinstance(content, list | tuple):
        return "array"
    return None


def _pick(value: Any, candidates: tuple[Candidate, ...]) -> str:
    role = _get(value, "role")
    kind = _kind(_get(value, "content"))
    for key, roles, kinds in candidates:
        if (roles is None or role in roles) and (kinds is None or kind in kinds):
            return key
    return candidates[-1][0]  # the widest; its validation error then names the bad field


def choose_member(
    value: Any,
    candidates: Mapping[str, tuple[Candidate, ...]],
    untyped: tuple[tuple[str, frozenset[str]], ...],
) -> str | None:
    """The union tag for `value`; None lets pydantic report an unknown or missing `type`."""
    tag = _get(value, "type")
    if tag is None:
        keys = set(value) if isinstance(value, Mapping) else set()
        if "role" in keys and "message" in candidates:
            return _pick(value, candidates["message"])
        for key, required in untyped:
            if required <= keys:
                return key
        return None
    if not isinstance(tag, str):
        return None
    found = candidates.get(tag)
    if found is None:
        return None
    if len(found) == 1:
        return found[0][0]
    return _pick(value, found)
