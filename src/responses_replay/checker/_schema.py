"""The schema pass: the Input models' validation errors of `input`, one group per JSON path.

R1 (unknown keys, nulls) and R13 (types and values) turn these groups into findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic_core import ErrorDetails

from .._errors import locate
from .._shape import REQUIRED, validate_items
from ._context import Context

#: at most this many schema findings per body; the rest are counted in one more
MAX_FINDINGS = 1000


@dataclass(frozen=True, slots=True)
class Group:
    """The validation errors at one JSON path (a union gives one per member it tried)."""

    path: str
    index: int  # the item's index in `input`
    kind: str | None  # the item's kind
    member: str  # the union member pydantic chose (`function_call`, `message:InputMessage`)
    errors: tuple[ErrorDetails, ...]
    value: Any  # the value at `path` (None when absent)
    field: str | None  # the last key of `path`

    @property
    def top_level(self) -> bool:
        """`path` is a key of the item itself (`input[3].status`)."""
        return self.path.count(".") == 1 and self.path.startswith(f"input[{self.index}].")

    @property
    def required(self) -> bool:
        """`path` is a top-level key the chosen member requires."""
        return self.top_level and self.field in REQUIRED.get(self.member, frozenset())

    @property
    def types(self) -> frozenset[str]:
        return frozenset(e["type"] for e in self.errors)


def groups(ctx: Context) -> tuple[list[Group], int]:
    """The schema errors of `ctx.items`, grouped by path, without those a replay rule explains:
    at most `MAX_FINDINGS` groups, and how many more there are."""
    cached = ctx.schema_groups
    if cached is not None:
        return cached
    items = ctx.items
    by_path: dict[str, list[ErrorDetails]] = {}
    first: dict[str, tuple[int, str, Any, str | None]] = {}
    for err in validate_items(items, plain_tags=ctx.plain_tags):
        loc = tuple(err["loc"])
        if not loc or not isinstance(loc[0], int) or loc[0] in ctx.skip_items:
            continue
        index = loc[0]
        path, value, field = locate("input", loc, items, missing_last=err["type"] == "missing")
        if field is not None and path.count(".") == 1 and (index, field) in ctx.skip_missing:
            continue
        if path not in by_path:
            by_path[path] = []
            member = loc[1] if len(loc) > 1 and isinstance(loc[1], str) else ""
            first[path] = (index, member, value, field)
        by_path[path].append(err)
    _drop_other_branches(by_path)
    out = []
    for path, errs in list(by_path.items())[:MAX_FINDINGS]:
        index, member, value, field = first[path]
        kind = ctx.kinds[index] if 0 <= index < len(ctx.kinds) else None
        out.append(Group(path, index, kind, member, tuple(errs), value, field))
    ctx.schema_groups = out, max(0, len(by_path) - MAX_FINDINGS)
    return ctx.schema_groups


def _drop_other_branches(by_path: dict[str, list[ErrorDetails]]) -> None:
    """A path whose errors are only a union's other branches refusing the value's JSON type
    (`output`: "expected a string") when the branch that took it found an error deeper
    (`output[0].type`): the value's type is fine, the deeper error explains it."""
    for path in [p for p, errs in by_path.items() if all(_type_error(e) for e in errs)]:
        if any(q != path and q.startswith((f"{path}[", f"{path}.")) for q in by_path):
            del by_path[path]


def _type_error(err: ErrorDetails) -> bool:
    kind = err["type"]
    return kind.endswith(("_type", "_parsing")) and kind != "none_required"
