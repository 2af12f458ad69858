"""The typed intermediate representation the templates render: members, classes, candidates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import CodegenError
from .select import REF_PREFIX, deref
from .views import Union, View


@dataclass(frozen=True)
class Member:
    """One member of an item union: its tag, the union key, and where its class lives."""

    tag: str
    key: str
    name: str
    module: str


@dataclass(frozen=True)
class ClassRef:
    name: str
    module: str


@dataclass(frozen=True)
class Candidate:
    key: str
    roles: tuple[str, ...] | None
    kinds: tuple[str, ...] | None


def members(
    view: View | Union, modules: dict[str, str], *, shared_ok: bool = False
) -> list[Member]:
    """The union's members; on the output side a tag is shared only by listing unions."""
    union = view.union if isinstance(view, View) else view
    side = view.side if isinstance(view, View) else "output"
    counts: dict[str, int] = {}
    for m in union.members:
        for t in union.tags[m]:
            counts[t] = counts.get(t, 0) + 1
    out = []
    for m in union.members:
        tag = union.tags[m][0]
        if len(union.tags[m]) != 1:
            raise CodegenError(
                "spec", f"components.schemas.{m}", "an item schema with several tags"
            )
        if counts[tag] > 1 and side == "output" and not shared_ok:
            raise CodegenError(
                "spec", f"components.schemas.{m}", f"two output item schemas tagged {tag!r}"
            )
        key = f"{tag}:{m}" if counts[tag] > 1 else tag
        out.append(Member(tag, key, m, modules[m]))
    return out


def classes(generated: dict[str, list[str]]) -> list[ClassRef]:
    """The model classes the generator defined whose names are unique across the view."""
    return [ClassRef(name, mods[0]) for name, mods in sorted(generated.items()) if len(mods) == 1]


#: Item properties whose values are the parts a caller writes (message content, reasoning
#: summaries, tool output parts): their object types are public.
PART_PROPERTIES = ("content", "summary", "output")


def _part_schemas(view: View, node: Any, depth: int = 0) -> list[str]:
    """Component schemas an item property holds: through arrays and unions, not deeper."""
    if not isinstance(node, dict) or depth > 4:
        return []
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith(REF_PREFIX):
        name = ref[len(REF_PREFIX) :]
        target = view.schemas.get(name)
        if isinstance(target, dict) and "properties" in target:
            return [name]
        return _part_schemas(view, target, depth + 1)
    out: list[str] = []
    for branch in [node.get("items"), *(node.get("anyOf") or []), *(node.get("oneOf") or [])]:
        out.extend(_part_schemas(view, branch, depth + 1))
    return out


def public(view: View, mems: list[Member], generated: list[ClassRef]) -> list[str]:
    """The names a user writes: the item classes and the parts of their content.

    All are the spec's own schema names (stable across spec versions, unlike the names the code
    generator invents for inline schemas); every other class stays importable, but private.
    """
    defined = {c.name for c in generated}
    names = {m.name for m in mems}
    for m in mems:
        props = view.schemas[m.name].get("properties") or {}
        for prop in PART_PROPERTIES:
            names.update(_part_schemas(view, props.get(prop)))
    return sorted(n for n in names if n in defined)


def _enum(view: View, node: Any) -> tuple[str, ...] | None:
    node = deref(view.schemas, node) if isinstance(node, dict) else None
    if not isinstance(node, dict):
        return None
    values = node.get("enum")
    return tuple(v for v in values if isinstance(v, str)) if isinstance(values, list) else None


def _kinds(view: View, node: Any) -> tuple[str, ...] | None:
    node = deref(view.schemas, node) if isinstance(node, dict) else None
    if not isinstance(node, dict):
        return None
    found: set[str] = set()
    t = node.get("type")
    for x in [t] if isinstance(t, str) else (t or []):
        if x in ("string", "array"):
            found.add(x)
    for branch in node.get("oneOf") or node.get("anyOf") or []:
        sub = _kinds(view, branch)
        found.update(sub or ())
    return tuple(sorted(found)) or None


def candidates(view: View, mems: list[Member]) -> dict[str, list[Candidate]]:
    """Per tag, the members that carry it, narrowest (fewest roles, fewest content kinds) first."""
    out: dict[str, list[Candidate]] = {}
    for m in mems:
        props = view.schemas[m.name].get("properties") or {}
        roles = _enum(view, props.get("role")) if "role" in props else None
        kinds = _kinds(view, props.get("content")) if "content" in props else None
        out.setdefault(m.tag, []).append(Candidate(m.key, roles, kinds))
    for cands in out.values():
        cands.sort(key=lambda c: (len(c.roles) if c.roles else 99, len(c.kinds) if c.kinds else 99))
    return dict(sorted(out.items()))


def untyped(view: View, mems: list[Member]) -> list[tuple[str, list[str]]]:
    """Members whose `type` may be omitted, with the keys that must then be present."""
    out = []
    for m in mems:
        if m.name in view.union.optional_tag and m.tag != "message":
            required = sorted(set(view.schemas[m.name].get("required") or []) - {"type"})
            out.append((m.key, required))
    return sorted(out)
