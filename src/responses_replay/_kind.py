"""What kind of item is this? One answer for the converters, the builders and the checker."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import MISSING

__all__ = ["CALLER_ROLES", "item_field", "item_kind"]

#: Roles only the caller writes: the model never produces a message with one of these. A tuple,
#: not a set: `role in CALLER_ROLES` is False for a role that is a list or an object (a set
#: raised TypeError: unhashable type).
CALLER_ROLES = ("user", "system", "developer")


def item_field(item: object, key: str) -> Any:
    """`item[key]` of a dict, `item.key` of a model object; None when absent (or pydantic's MISSING)."""
    if isinstance(item, Mapping):
        return item.get(key)
    value = getattr(item, key, None)
    return None if value is MISSING else value


def item_kind(item: object) -> str | None:
    """The item's `type` tag as the API reads it, or None when it has no usable one.

    The API defaults a missing `type`: an item with a `role` is a `message`, a bare `id` is an
    `item_reference` (the spec's `ItemReferenceParam.type` is optional). A tag that is not a
    string (a list, a dict, a number) is no kind at all: the checker reports it as a wrong type.
    Works on dicts and on model objects (ours or the `openai` SDK's) alike.
    """
    tag = item_field(item, "type")
    if tag is None:
        if item_field(item, "role") is not None:
            return "message"
        if item_field(item, "id") is not None:
            return "item_reference"
        return None
    return tag if isinstance(tag, str) else None
