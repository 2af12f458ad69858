"""R1: a key the input side does not know (an output-only field, an SDK attribute name), or a null.

A key the input side does not know is refused whatever its value. A null on a key it knows is
sometimes accepted (recorded: `status: null` on a function_call), so it is a warning, except where
the API is known to refuse it (`encrypted_content: null`, api-errors.md) and on a required key
(R13: a wrong type).
"""

from __future__ import annotations

from ..._generated.registry import INPUT_FIELDS, NEVER_NULL, OUTPUT_ONLY
from .._context import Context
from .._schema import Group, groups

#: (item kind, key) whose null the API refuses on input
_REFUSED_NULL = frozenset({("reasoning", "encrypted_content"), ("compaction", "encrypted_content")})


def claims(group: Group) -> bool:
    """The group is an R1 finding (else R13 reports it)."""
    etype = group.errors[0]["type"]
    if etype == "extra_forbidden":
        return True
    return (
        group.value is None
        and etype != "missing"
        and group.field is not None
        and not group.required
    )


def rule(ctx: Context) -> None:
    found, _ = groups(ctx)
    for g in found:
        if not claims(g):
            continue
        field = g.field
        if g.errors[0]["type"] == "extra_forbidden":
            ctx.add(g.index, "R1", g.path, f"Unknown parameter: '{g.path}'.", _fix(g))
            continue
        refused = (g.kind, field) in _REFUSED_NULL and g.top_level
        never = g.kind is not None and field in NEVER_NULL.get(g.kind, frozenset())
        ctx.add(
            g.index,
            "R1",
            g.path,
            f"Unknown parameter: '{g.path}'.",
            f"Leave `{field}` out instead of sending null"
            + (f" (a {g.kind} never carries a null {field})." if never else "."),
            "error" if refused else "warning",
        )


def _fix(g: Group) -> str:
    kind, name = g.kind, g.field or g.path.rsplit(".", 1)[-1]
    if kind is not None and name in OUTPUT_ONLY.get(kind, frozenset()):
        return f"Drop `{name}`: it is output-only on a {kind} item."
    if name.endswith("_") and kind is not None and name[:-1] in INPUT_FIELDS.get(kind, frozenset()):
        return f"Send the API's key name `{name[:-1]}`, not the SDK attribute `{name}`."
    if name in ("created_by", "cache_control", "phase"):
        return f"Drop `{name}`: the input side does not accept it here."
    return f"Drop `{name}`: the input side of this item has no such field."
