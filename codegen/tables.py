"""The typed intermediate representation the templates render: members, classes, candidates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .errors import CodegenError
from .normalise import deref
from .select import REF_PREFIX
from .views import Union, View

_CLASS = re.compile(r"^class (\w+)\(", re.M)
_ALIAS = re.compile(r"^(\w+) = TypeAliasType\(", re.M)


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


def classes(files: dict[str, str]) -> list[ClassRef]:
    """Classes and aliases of the generated modules whose names are unique across the view."""
    seen: dict[str, list[str]] = {}
    for path, text in sorted(files.items()):
        module = path.removesuffix(".py")
        if module == "__init__":
            continue
        for name in [*_CLASS.findall(text), *_ALIAS.findall(text)]:
            seen.setdefault(name, []).append(module)
    return [ClassRef(n, mods[0]) for n, mods in sorted(seen.items()) if len(mods) == 1]


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


def ref(name: str) -> dict[str, str]:
    return {"$ref": REF_PREFIX + name}
