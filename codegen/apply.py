"""Stage 4, overlay: apply spec/overlay.yaml to a view, where the live API and the spec differ.

Each rule edits the view's own copy of the schemas. A rule that matches nothing in this spec is
recorded in `Applied.unmatched` (the spec moved, or the entry has a typo); `check_pairs` records
every output item type without a pairing. Neither stops the stage: the run reports them all.
"""

from __future__ import annotations

import copy
from typing import Any

from .errors import Problems
from .overlay import LooserRule, Overlay
from .select import REF_PREFIX, Schemas, deref
from .views import Applied, Union, View


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


def _objects_under(schemas: Schemas, prop: Any) -> list[dict[str, Any]]:
    """The object schemas a property holds: itself, or its array's items (refs and unions
    followed), each once."""
    found: list[dict[str, Any]] = []
    for target in [
        *_objects(schemas, prop),
        *(o for i in _items_of(schemas, prop) for o in _objects(schemas, i)),
    ]:
        if all(target is not f for f in found):
            found.append(target)
    return found


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


def _tags_of(schemas: Schemas, obj: dict[str, Any]) -> list[str]:
    """The `type` tags an object schema declares (its `type` property's enum, or const)."""
    prop = deref(schemas, (obj.get("properties") or {}).get("type"))
    if not isinstance(prop, dict):
        return []
    if "const" in prop:
        return [prop["const"]]
    return [v for v in prop.get("enum") or [] if isinstance(v, str)]


def _add_field(view: Schemas, union: Union, rule: LooserRule, applied: Applied) -> bool:
    """Apply a `looser` rule with `make: added`: the field joins every object its parent path
    names (the item itself for a top-level field). Where the spec has the field, the spec's
    schema stays and the entry is noted as one that can go. False when no parent is found."""
    parent, _, name = rule.path.rpartition(".")
    members = _members_tagged(union, rule.type)
    if parent:
        parents: list[dict[str, Any]] = []
        for obj, key in find_fields(view, members, parent.removesuffix("[]")):
            parents.extend(
                o
                for o in _objects_under(view, obj["properties"][key])
                if all(o is not p for p in parents)
            )
    else:
        parents = [o for m in members for o in _objects(view, {"$ref": REF_PREFIX + m})]
    if rule.parent_types is not None:
        wanted = set(rule.parent_types)
        parents = [o for o in parents if wanted & set(_tags_of(view, o))]
    if not parents:
        return False
    has = [obj for obj in parents if name in obj.get("properties", {})]
    for obj in parents:
        if all(obj is not h for h in has):
            obj.setdefault("properties", {})[name] = copy.deepcopy(rule.schema_)
    if has:
        applied.notes.append(
            f"looser[{rule.type}.{rule.path}]: the spec has this field: its schema is used "
            "(remove the entry once no pinned spec needs it)"
        )
    return True


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
            for target in _objects_under(view, obj["properties"][name]):
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


def _looser(view: Schemas, union: Union, rule: LooserRule, applied: Applied) -> bool:
    if rule.make == "added":
        return _add_field(view, union, rule, applied)
    return _loosen(view, union, rule.type, rule.path, rule.make)


def apply_output(view: View, overlay: Overlay, applied: Applied) -> View:
    """The output side's rules: `looser` (output, both); `output_only` entries must match."""
    widest = view.widest or view.union
    for rule in overlay.looser:
        if rule.view in ("output", "both") and not _looser(view.schemas, widest, rule, applied):
            applied.unmatched.append(f"looser[{rule.type}.{rule.path}] (output view)")
    for only in overlay.output_only:
        if not find_fields(view.schemas, _members_tagged(view.union, only.type), only.path):
            applied.unmatched.append(f"output_only[{only.type}.{only.path}]")
    return view


def _input_tag(overlay: Overlay, tag: str) -> str:
    pair = overlay.pairs.get(tag)
    return pair.input if pair and pair.input else tag


def apply_input(view: View, overlay: Overlay, applied: Applied) -> View:
    """The input side's rules: remove `output_only` fields, `refuse_null`, `refused_values`,
    `looser` (input, both)."""
    schemas, union = view.schemas, view.union
    for rule in overlay.output_only:
        for obj, name in find_fields(
            schemas, _members_tagged(union, _input_tag(overlay, rule.type)), rule.path
        ):
            del obj["properties"][name]
            if name in (obj.get("required") or []):
                obj["required"] = [r for r in obj["required"] if r != name]
                if not obj["required"]:
                    del obj["required"]
    for nrule in overlay.refuse_null:
        hits = find_fields(schemas, _members_tagged(union, nrule.type), nrule.path)
        if not hits and nrule.type != "*":
            applied.unmatched.append(f"refuse_null[{nrule.type}.{nrule.path}]")
        for obj, name in hits:
            prop = obj["properties"][name]
            if "$ref" in prop:
                continue
            _drop_null(prop)
    for vrule in overlay.refused_values:
        hits = find_fields(
            schemas, _members_tagged(union, _input_tag(overlay, vrule.type)), vrule.path
        )
        if not hits:
            applied.unmatched.append(f"refused_values[{vrule.type}.{vrule.path}]")
        for obj, name in hits:
            prop = deref(schemas, obj["properties"][name])
            if vrule.decision == "map" and vrule.to == "json-object":
                obj["properties"][name] = {"type": "object", "additionalProperties": True}
                continue
            if vrule.values and isinstance(prop.get("enum"), list):
                remaining = [v for v in prop["enum"] if v not in vrule.values]
                if remaining != prop["enum"]:
                    obj["properties"][name] = {**prop, "enum": remaining}
    for lrule in overlay.looser:
        if lrule.view in ("input", "both") and not _looser(schemas, union, lrule, applied):
            applied.unmatched.append(f"looser[{lrule.type}.{lrule.path}] (input view)")
    for limit in overlay.limits:
        hits = find_fields(schemas, _members_tagged(union, limit.type), limit.path)
        bounded = [
            _bound(schemas, obj, name, limit.max_length, limit.min_length) for obj, name in hits
        ]
        if not any(bounded):
            applied.unmatched.append(f"limits[{limit.type}.{limit.path}] (no string field)")
    return view


def _bound(
    schemas: Schemas, obj: dict[str, Any], name: str, most: int | None, least: int | None
) -> bool:
    """`maxLength` / `minLength` on the string alternatives of `obj[name]` (the tighter of the
    spec's and the limit's); a `$ref`'d schema is copied, not changed for its other users. False:
    no string."""

    def bounded(node: Any) -> tuple[Any, bool]:
        if not isinstance(node, dict):
            return node, False
        target = deref(schemas, node) if "$ref" in node else node
        if target.get("type") == "string":
            out = dict(target)
            if most is not None:
                out["maxLength"] = min(most, target.get("maxLength", most))
            if least is not None:
                out["minLength"] = max(least, target.get("minLength", least))
            return out, True
        found = False
        out = dict(target)
        for key in ("anyOf", "oneOf"):
            if isinstance(target.get(key), list):
                alts = [bounded(alt) for alt in target[key]]
                out[key] = [a for a, _ in alts]
                found = found or any(f for _, f in alts)
        return (out, True) if found else (node, False)

    new, found = bounded(obj["properties"][name])
    if found:
        obj["properties"][name] = new
    return found


def check_pairs(
    overlay: Overlay, out_view: View, in_view: View, applied: Applied, problems: Problems
) -> None:
    """Every output type needs a pairing: each new one is a problem naming the entry to add."""
    in_tags = {t for tags in in_view.union.tags.values() for t in tags}
    out_tags = [t for m in out_view.union.members for t in out_view.union.tags[m]]
    for tag in out_tags:
        pair = overlay.pairs.get(tag)
        if pair is None:
            guess = tag if tag in in_tags else "null"
            problems.add(
                overlay.origin,
                "pairs",
                f"new output item type {tag!r} has no pairing; add to {overlay.origin}:\n"
                f'  pairs:\n    {tag}: {{input: {guess}, why: "<evidence: rule or public issue>"}}',
            )
        elif pair.input is not None and pair.input not in in_tags:
            problems.add(
                overlay.origin,
                f"pairs.{tag}.input",
                f"{pair.input!r} is not an input item type of this spec",
            )
    applied.unmatched.extend(
        f"pairs.{tag} (no such output type)" for tag in overlay.pairs if tag not in out_tags
    )
    written = overlay.caller_written.types if overlay.caller_written else []
    applied.unmatched.extend(
        f"caller_written: {tag} (no such input type)" for tag in written if tag not in in_tags
    )


def output_only_fields(overlay: Overlay, out_view: View, in_view: View) -> dict[str, set[str]]:
    """Per output item type, the top-level fields its input type lacks (a view fact) and the
    overlay's top-level `output_only` fields."""
    out_fields = top_fields(out_view)
    in_fields = top_fields(in_view)
    found: dict[str, set[str]] = {}
    for tag, pair in overlay.pairs.items():
        if tag in out_fields and pair.input in in_fields:
            found[tag] = set(out_fields[tag]) - set(in_fields[pair.input])
    for rule in overlay.output_only:
        if "." not in rule.path and "[]" not in rule.path and rule.type in found:
            found[rule.type].add(rule.path)
    return found


def top_fields(view: View) -> dict[str, list[str]]:
    """Per item type tag, the top-level field names of its members, sorted."""
    out: dict[str, set[str]] = {}
    for member in view.union.members:
        for tag in view.union.tags[member]:
            out.setdefault(tag, set()).update(view.schemas[member].get("properties") or {})
    return {t: sorted(f) for t, f in out.items()}
