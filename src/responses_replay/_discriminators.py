"""Pick the input union member for an item without trying every member.

Three input schemas share the tag `message` (an easy message, an input message and an assistant
output message), and two members may omit `type` altogether (easy messages and item references).
The generator derives, from the spec, each candidate's roles and content kinds; this picks the
narrowest candidate that admits the item.

With a `type`, the tag is `_kind.item_kind`'s answer. Without one, the question differs from
item_kind's: not "what would the API read" but "which member's validation error names the
mistake". So the keys present decide, not their values: `{"role": None, "content": "hi"}` has no
kind (item_kind: None), yet it is validated as a message, and the error names `input[0].role`
(R13) rather than a missing `type`. tests/test_check_discriminator.py pins both answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._kind import item_field, item_kind

Candidate = tuple[str, tuple[str, ...] | None, tuple[str, ...] | None]


def _kind(content: Any) -> str | None:
    if isinstance(content, str):
        return "string"
    if isinstance(content, list | tuple):
        return "array"
    return None


def _pick(value: Any, candidates: tuple[Candidate, ...]) -> str:
    role = item_field(value, "role")
    kind = _kind(item_field(value, "content"))
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
    if item_field(value, "type") is None:  # the keys decide (see the module's docstring)
        keys = set(value) if isinstance(value, Mapping) else set()
        if "role" in keys and "message" in candidates:
            return _pick(value, candidates["message"])
        for key, required in untyped:
            if required <= keys:
                return key
        return None
    kind = item_kind(value)  # a `type` is given: the one answer to "what kind is this"
    found = candidates.get(kind) if kind is not None else None
    if found is None:
        return None
    if len(found) == 1:
        return found[0][0]
    return _pick(value, found)
