"""Stage 5, views: two copies of the selected schemas, what the API sends (Output) and what it
accepts (Input), each with its side's policy.

The spec reuses output schemas as input schemas (openai/openai-openapi#536). A view is cut from
the normalised selection (`cut`), the overlay stage (`apply.py`) edits it where the sides differ,
and `finish` applies the side's policy. `output_view` / `input_view` do all three.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import CodegenError
from .normalise import tag_values
from .select import REF_PREFIX, Schemas, reachable

if TYPE_CHECKING:
    from .overlay import Overlay


@dataclass
class Union:
    """An item union: its members' schema names and their type tags (in spec order)."""

    name: str
    members: list[str]
    tags: dict[str, list[str]]  # schema name -> tag values
    optional_tag: set[str] = field(default_factory=set)  # members whose `type` may be omitted


@dataclass
class View:
    """One side's schemas, ready to render."""

    side: str  # "input" | "output"
    union: Union
    schemas: Schemas
    extra_roots: dict[str, Union] = field(default_factory=dict)
    #: the union of every member the view holds (the item union and the listings')
    widest: Union | None = None


@dataclass
class Applied:
    """What the overlay stage did, for the regen report: entries that matched nothing."""

    unmatched: list[str] = field(default_factory=list)
    #: entries this spec no longer needs (it has what they add): reported, never an error
    notes: list[str] = field(default_factory=list)


def make_union(schemas: Schemas, name: str, members: list[str], origin: str) -> Union:
    tags: dict[str, list[str]] = {}
    optional: set[str] = set()
    for m in members:
        values = tag_values(schemas, {"$ref": REF_PREFIX + m})
        if not values:
            raise CodegenError(
                origin, f"components.schemas.{m}", f"member of {name} without a `type` tag"
            )
        tags[m] = values
        if "type" not in (schemas[m].get("required") or []):
            optional.add(m)
    return Union(name, members, tags, optional)


def cut(
    side: str,
    schemas: Schemas,
    members: list[str],
    origin: str,
    listings: dict[str, list[str]] | None = None,
) -> View:
    """A deep copy of what `members` (and the listings' members) reach, with their unions."""
    listings = listings or {}
    everything = list(dict.fromkeys([*members, *(m for ms in listings.values() for m in ms)]))
    names = reachable(schemas, everything, origin)
    view = {n: copy.deepcopy(schemas[n]) for n in names}
    name = "OutputItem" if side == "output" else "InputItem"
    union = make_union(view, name, members, origin)
    extra = {alias: make_union(view, alias, ms, origin) for alias, ms in listings.items()}
    widest = make_union(view, "all", everything, origin)
    return View(side, union, view, extra, widest)


def _strip_closed(schemas: Schemas) -> None:
    """Models decide extras by side (Output keeps them, Input refuses them), not per schema."""
    stack: list[Any] = list(schemas.values())
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            if cur.get("additionalProperties") is False:
                del cur["additionalProperties"]
            stack.extend(cur.values())
        elif isinstance(cur, list):
            stack.extend(cur)


def _optional_accepts_null(schemas: Schemas) -> None:
    """On the output side an optional field may be null: SDK objects dumped with `model_dump()`
    write `None` for every absent field (R1's typical source), and that data must still parse."""
    stack: list[Any] = list(schemas.values())
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            props = cur.get("properties")
            if isinstance(props, dict):
                required = set(cur.get("required") or [])
                for key, prop in props.items():
                    if (
                        key not in required
                        and key != "type"
                        and isinstance(prop, dict)
                        and not _admits_null(prop)
                    ):
                        props[key] = {"anyOf": [prop, {"type": "null"}]}
            stack.extend(cur.values())
        elif isinstance(cur, list):
            stack.extend(cur)


def _admits_null(prop: dict[str, Any]) -> bool:
    t = prop.get("type")
    if t == "null" or (isinstance(t, list) and "null" in t):
        return True
    return any(
        isinstance(b, dict) and _admits_null(b)
        for b in prop.get("anyOf") or prop.get("oneOf") or []
    )


def finish(view: View) -> View:
    """The side's policy: Output takes null for optional fields; extras are decided by side
    (Output keeps them, Input refuses them), not per schema."""
    if view.side == "output":
        _optional_accepts_null(view.schemas)
    _strip_closed(view.schemas)
    return view


def output_view(
    schemas: Schemas,
    members: list[str],
    overlay: Overlay,
    origin: str,
    applied: Applied,
    listings: dict[str, list[str]] | None = None,
) -> View:
    """The Output view: cut, the overlay's output rules, the output policy."""
    from .apply import apply_output

    return finish(apply_output(cut("output", schemas, members, origin, listings), overlay, applied))


def input_view(
    schemas: Schemas, members: list[str], overlay: Overlay, origin: str, applied: Applied
) -> View:
    """The Input view: cut, the overlay's input rules, the input policy."""
    from .apply import apply_input

    return finish(apply_input(cut("input", schemas, members, origin), overlay, applied))
