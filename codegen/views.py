"""Two views of the selected schemas: what the API sends (Output) and what it accepts (Input).

The spec reuses output schemas as input schemas (openai/openai-openapi#536); the overlay says where
they differ, and this module applies it to a copy per view.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .errors import CodegenError
from .normalise import Schemas, deref, tag_values
from .overlay import Overlay, Root
from .select import REF_PREFIX, reachable, ref_name


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


@dataclass
class Applied:
    """What the overlay did, for the regen report: entries that matched nothing are listed."""

    unmatched: list[str] = field(default_factory=list)
    output_only: dict[str, list[str]] = field(
        default_factory=dict
    )  # input schema -> fields removed


def _union_members(schemas: Schemas, node: Any, origin: str, where: str) -> list[str]:
    """Members of a union, nested unions flattened (the input union nests `Item`)."""
    out: list[str] = []
    for m in node.get("oneOf") or node.get("anyOf") or []:
        if not isinstance(m, dict) or "$ref" not in m:
            if isinstance(m, dict) and m.get("type") == "null":
                continue
            raise CodegenError(origin, where, "an item union member is not a $ref")
        name = ref_name(m["$ref"], origin, where)
        if name not in schemas:
            raise CodegenError(
                origin, where, f"unresolvable $ref {m['$ref']!r}: no schema named {name!r}"
            )
        target = schemas[name]
        if ("oneOf" in target or "anyOf" in target) and "properties" not in target:
            out.extend(
                n
                for n in _union_members(schemas, target, origin, f"{where} > {name}")
                if n not in out
            )
        elif name not in out:
            out.append(name)
    return out


def _property(schemas: Schemas, node: Any, name: str) -> Any:
    """A property of an object schema, looking through `allOf` parts (later parts win)."""
    node = deref(schemas, node)
    if not isinstance(node, dict):
        return None
    found = (node.get("properties") or {}).get(name)
    for part in node.get("allOf") or []:
        hit = _property(schemas, part, name)
        found = hit if hit is not None else found
    return found


def find_union(schemas: Schemas, root: Root, origin: str, label: str) -> tuple[str, list[str]]:
    """Follow `root.via` (schema, then properties / `[]`) down to the first union of item schemas."""
    where = f"overlay roots.{label}.via"
    first, *path = root.via
    if first not in schemas:
        raise CodegenError(
            origin, f"components.schemas.{first}", f"missing root schema (from {where})"
        )
    node: Any = schemas[first]
    name = first
    trail = first
    for step in path:
        node = deref(schemas, node, origin)
        trail += f".{step}"
        if step == "[]":
            node = node.get("items") if isinstance(node, dict) else None
        else:
            node = _property(schemas, node, step)
        if node is None:
            raise CodegenError(origin, trail, f"missing root: no such property (from {where})")
    # Descend through refs, arrays and `string | list[...]` choices to the union of objects.
    for _ in range(12):
        if isinstance(node, dict) and "$ref" in node:
            name = ref_name(node["$ref"], origin, trail)
            if name not in schemas:
                raise CodegenError(origin, trail, f"unresolvable $ref {node['$ref']!r}")
            node = schemas[name]
            continue
        if not isinstance(node, dict):
            break
        if node.get("type") == "array":
            node = node.get("items")
            continue
        branches = node.get("oneOf") or node.get("anyOf") or []
        objectish = [b for b in branches if isinstance(b, dict) and "$ref" in b]
        if len(objectish) >= 2:
            return name, _union_members(schemas, node, origin, trail)
        if len(objectish) == 1 or any(
            isinstance(b, dict) and b.get("type") == "array" for b in branches
        ):
            node = next(
                b
                for b in branches
                if isinstance(b, dict) and ("$ref" in b or b.get("type") == "array")
            )
            continue
        break
    raise CodegenError(origin, trail, f"missing root: no item union below {'.'.join(root.via)}")


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


def _steps(path: str) -> list[tuple[str, bool]]:
    out = []
    for seg in path.split("."):
        arr = seg.endswith("[]")
        out.append((seg[:-2] if arr else seg, arr))
    return out


def _objects(schemas: Schemas, node: Any) -> list[dict[str, Any]]:
    """The object schemas a node can be (through refs, unions and nullable wrappers)."""
    node = deref(schemas, node)
    if not isinstance(node, dict):
        return []
    branches = node.get("oneOf") or node.get("anyOf")
    if branches and "properties" not in node:
        return [o for b in branches for o in _objects(schemas, b)]
    return [node] if "properties" in node else []


def _items_of(schemas: Schemas, node: Any) -> list[Any]:
    node = deref(schemas, node)
    if not isinstance(node, dict):
        return []
    if node.get("type") == "array" or (
        isinstance(node.get("type"), list) and "array" in node["type"]
    ):
        return [node.get("items")]
    branches = node.get("oneOf") or node.get("anyOf") or []
    return [i for b in branches for i in _items_of(schemas, b)]


def find_fields(schemas: Schemas, start: list[str], path: str) -> list[tuple[dict[str, Any], str]]:
    """(object schema, property name) pairs that `path` names, from the schemas `start`."""
    current: list[dict[str, Any]] = [
        o for s in start for o in _objects(schemas, {"$ref": REF_PREFIX + s})
    ]
    steps = _steps(path)
    for i, (name, arr) in enumerate(steps):
        last = i == len(steps) - 1
        if last and not arr:
            return [(o, name) for o in current if name in (o.get("properties") or {})]
        nxt: list[dict[str, Any]] = []
        for o in current:
            prop = (o.get("properties") or {}).get(name)
            if prop is None:
                continue
            targets = _items_of(schemas, prop) if arr else [prop]
            for t in targets:
                nxt.extend(x for x in _objects(schemas, t) if all(x is not y for y in nxt))
        current = nxt
    return []


def _members_tagged(union: Union, tag: str) -> list[str]:
    if tag == "*":
        return list(union.members)
    return [m for m in union.members if tag in union.tags[m]]


def _drop_null(schema: dict[str, Any]) -> bool:
    """Remove null from a property schema in place; True if it allowed null."""
    changed = False
    t = schema.get("type")
    if isinstance(t, list) and "null" in t:
        rest = [x for x in t if x != "null"]
        schema["type"] = rest[0] if len(rest) == 1 else rest
        changed = True
    if isinstance(schema.get("enum"), list) and None in schema["enum"]:
        schema["enum"] = [v for v in schema["enum"] if v is not None]
        changed = True
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and any(
            isinstance(b, dict) and b.get("type") == "null" for b in branches
        ):
            rest = [b for b in branches if not (isinstance(b, dict) and b.get("type") == "null")]
            if len(rest) == 1:
                del schema[key]
                schema.update(rest[0])
            else:
                schema[key] = rest
            changed = True
    return changed


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


def _subset(schemas: Schemas, members: list[str], origin: str) -> Schemas:
    names = reachable(schemas, members, origin)
    return {n: copy.deepcopy(schemas[n]) for n in names}


def _loosen(view: Schemas, union: Union, tag: str, path: str, make: str) -> bool:
    """Apply a `looser` rule in place; False when the path names nothing."""
    targets = find_fields(view, _members_tagged(union, tag), path)
    for obj, name in targets:
        if make == "optional":
            req = [r for r in obj.get("required") or [] if r != name]
            if req:
                obj["required"] = req
            else:
                obj.pop("required", None)
        elif make == "extra":
            prop = obj["properties"][name]
            for target in [
                *_objects(view, prop),
                *(o for i in _items_of(view, prop) for o in _objects(view, i)),
            ]:
                target["additionalProperties"] = True
        elif make == "nullable":
            prop = obj["properties"][name]
            obj["properties"][name] = {"anyOf": [prop, {"type": "null"}]}
        else:  # open: any string, the spec's values are examples
            prop = deref(view, obj["properties"][name])
            obj["properties"][name] = {k: v for k, v in prop.items() if k != "enum"} | {
                "type": "string"
            }
    return bool(targets)


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


def output_view(
    schemas: Schemas,
    members: list[str],
    overlay: Overlay,
    origin: str,
    applied: Applied,
    listings: dict[str, list[str]] | None = None,
) -> View:
    listings = listings or {}
    everything = list(dict.fromkeys([*members, *(m for ms in listings.values() for m in ms)]))
    view = _subset(schemas, everything, origin)
    union = make_union(view, "OutputItem", members, origin)
    extra = {alias: make_union(view, alias, ms, origin) for alias, ms in listings.items()}
    widest = make_union(view, "all", everything, origin)
    for rule in overlay.looser:
        if rule.view in ("output", "both") and not _loosen(
            view, widest, rule.type, rule.path, rule.make
        ):
            applied.unmatched.append(f"looser[{rule.type}.{rule.path}] (output view)")
    for only in overlay.output_only:
        if not find_fields(view, _members_tagged(union, only.type), only.path):
            applied.unmatched.append(f"output_only[{only.type}.{only.path}]")
    _optional_accepts_null(view)
    _strip_closed(view)
    return View("output", union, view, extra)


def input_view(
    schemas: Schemas, members: list[str], overlay: Overlay, origin: str, applied: Applied
) -> View:
    view = _subset(schemas, members, origin)
    union = make_union(view, "InputItem", members, origin)
    for rule in overlay.output_only:
        pair = overlay.pairs.get(rule.type)
        in_tag = pair.input if pair and pair.input else rule.type
        for obj, name in find_fields(view, _members_tagged(union, in_tag), rule.path):
            del obj["properties"][name]
            if name in (obj.get("required") or []):
                obj["required"] = [r for r in obj["required"] if r != name]
                if not obj["required"]:
                    del obj["required"]
    for nrule in overlay.refuse_null:
        hits = find_fields(view, _members_tagged(union, nrule.type), nrule.path)
        if not hits and nrule.type != "*":
            applied.unmatched.append(f"refuse_null[{nrule.type}.{nrule.path}]")
        for obj, name in hits:
            prop = obj["properties"][name]
            if "$ref" in prop:
                continue
            _drop_null(prop)
    for vrule in overlay.refused_values:
        pair = overlay.pairs.get(vrule.type)
        in_tag = pair.input if pair and pair.input else vrule.type
        hits = find_fields(view, _members_tagged(union, in_tag), vrule.path)
        if not hits:
            applied.unmatched.append(f"refused_values[{vrule.type}.{vrule.path}]")
        for obj, name in hits:
            prop = deref(view, obj["properties"][name])
            if vrule.decision == "map" and vrule.to == "json-object":
                obj["properties"][name] = {"type": "object", "additionalProperties": True}
                continue
            if vrule.values and isinstance(prop.get("enum"), list):
                remaining = [v for v in prop["enum"] if v not in vrule.values]
                if remaining != prop["enum"]:
                    obj["properties"][name] = {**prop, "enum": remaining}
    for lrule in overlay.looser:
        if lrule.view in ("input", "both") and not _loosen(
            view, union, lrule.type, lrule.path, lrule.make
        ):
            applied.unmatched.append(f"looser[{lrule.type}.{lrule.path}] (input view)")
    _strip_closed(view)
    return View("input", union, view)
