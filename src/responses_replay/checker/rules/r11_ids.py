"""R11: an item id is the server's (its charset, its length, the prefix of its type) or absent."""

from __future__ import annotations

import re

from ..._generated.registry import ID_PREFIXES
from .._context import Context
from .._text import show

_ID_CHARS = re.compile(r"[A-Za-z0-9_-]+")
#: the API's limit on an item id (api-errors.md R11: "string too long ... maximum length 64")
MAX_ID_LENGTH = 64


def server_id(kind: str, value: str) -> bool:
    """`value` begins with a prefix the server uses for `kind` items."""
    prefixes = ID_PREFIXES.get(kind)
    return bool(prefixes) and value.split("_", 1)[0] in (prefixes or ())


#: kind -> a well-formed server id of that kind (prefix, then the id charset): one regex per id
_WELL_FORMED = {
    kind: re.compile(rf"(?:{'|'.join(map(re.escape, prefixes))})(?:_[A-Za-z0-9_-]*)?")
    for kind, prefixes in ID_PREFIXES.items()
}


def rule(ctx: Context) -> None:
    kinds = ctx.kinds
    for i, item_id in ctx.ids:
        kind = kinds[i] or ""
        well_formed = _WELL_FORMED.get(kind)
        if (
            well_formed is not None
            and len(item_id) <= MAX_ID_LENGTH
            and well_formed.fullmatch(item_id)
        ):
            continue  # the common case: a server id, one regex
        here = f"input[{i}].id"
        if len(item_id) > MAX_ID_LENGTH:
            ctx.add(
                i,
                "R11",
                here,
                f"Invalid '{here}': string too long. Expected a string with maximum length "
                f"{MAX_ID_LENGTH}, but got a string with length {len(item_id)} instead.",
                "Send the server's id unchanged, or leave `id` out.",
            )
        elif not _ID_CHARS.fullmatch(item_id):
            ctx.add(
                i,
                "R11",
                here,
                f"Invalid '{here}': '{show(item_id)}'. Expected an ID that contains letters, "
                "numbers, underscores, or dashes, but this value contained additional characters.",
                "Send the server's id unchanged, or leave `id` out.",
            )
        elif kind in ID_PREFIXES and not server_id(kind, item_id):
            expected = " or ".join(f"'{p}'" for p in ID_PREFIXES[kind])
            ctx.add(
                i,
                "R11",
                here,
                f"Invalid '{here}': '{show(item_id)}'. Expected an ID that begins with {expected}.",
                f"Leave `id` out: a {kind} id is the server's and begins with {expected}.",
            )
