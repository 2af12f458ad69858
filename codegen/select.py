"""Stage 2, select: the item unions the overlay's roots name, and the schemas reachable from them.

Only these schemas are generated. An unresolvable `$ref` is recorded as a problem (naming the
schema that holds it) and selection goes on, so that one run lists every bad reference.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .errors import CodegenError, Problems
from .overlay import Overlay, Root

REF_PREFIX = "#/components/schemas/"
Schemas = dict[str, Any]


@dataclass
class Selected:
    """The schemas reachable from the item unions, and each union's members."""

    schemas: Schemas
    input_members: list[str]
    output_members: list[str]
    notes: list[str]
    listings: dict[str, list[str]] = field(default_factory=dict)  # union alias -> members
    #: the request's parameters (`CreateResponse`) and a `Response` object's keys, for the checker
    request_keys: list[str] = field(default_factory=list)
    response_keys: list[str] = field(default_factory=list)


def iter_refs(node: Any) -> Iterator[str]:
    """Yield the schema names that `node` refers to with `$ref`, depth first."""
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            ref = cur.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(cur.values())
        elif isinstance(cur, list):
            stack.extend(cur)


def ref_name(ref: str, origin: str, where: str) -> str:
    """The schema name of a local `$ref`; anything else is an error naming where it was found."""
    if not ref.startswith(REF_PREFIX):
        raise CodegenError(origin, where, f"unsupported $ref {ref!r} (only {REF_PREFIX}<name>)")
    return ref[len(REF_PREFIX) :]


def reachable(
    schemas: Schemas, roots: Iterable[str], origin: str, problems: Problems | None = None
) -> list[str]:
    """Names of the schemas reachable from `roots`, sorted.

    Every unresolvable or non-local `$ref` is a problem; without `problems` the first one raises.
    """
    own = Problems() if problems is None else problems
    seen: set[str] = set()
    todo = [(r, "roots") for r in roots]
    while todo:
        name, where = todo.pop()
        if name in seen:
            continue
        if name not in schemas:
            own.add(origin, where, f"unresolvable $ref: no schema named {name!r}")
            if problems is None:
                own.raise_if_any()
            continue
        seen.add(name)
        for ref in iter_refs(schemas[name]):
            try:
                target = ref_name(ref, origin, f"components.schemas.{name}")
            except CodegenError as exc:
                own.extend(exc)
                if problems is None:
                    own.raise_if_any()
                continue
            if target not in seen:
                todo.append((target, f"components.schemas.{name} ($ref {ref})"))
    return sorted(seen)


def deref(schemas: Schemas, node: Any, origin: str = "spec") -> Any:
    """Follow `$ref`s until a schema without one."""
    seen = set()
    while isinstance(node, dict) and "$ref" in node:
        name = ref_name(node["$ref"], origin, "$ref")
        if name in seen or name not in schemas:
            raise CodegenError(origin, f"$ref {node['$ref']}", "unresolvable or circular $ref")
        seen.add(name)
        node = schemas[name]
    return node


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


def _tags(schemas: Schemas, name: str) -> set[str]:
    """The `type` values a member schema declares (enum or const), without normalising it."""
    prop = ((schemas.get(name) or {}).get("properties") or {}).get("type")
    if not isinstance(prop, dict):
        return set()
    values = prop.get("enum") or ([prop["const"]] if "const" in prop else [])
    return {v for v in values if isinstance(v, str)}


def add_items(
    schemas: Schemas,
    unions: dict[str, list[str]],
    overlay: Overlay,
    notes: list[str],
    problems: Problems,
) -> Schemas:
    """The overlay's `additions`: each item type joins the unions it names, its schemas added to a
    copy of the spec's. A union that already has a member of that type keeps the spec's."""
    if not overlay.additions:
        return schemas
    out = dict(schemas)
    for tag, addition in sorted(overlay.additions.items()):
        where = f"additions.{tag}"
        used = False
        for union, member in addition.members.items():
            if union not in unions:
                known = {"input", "output", *(f"listings.{a}" for a in overlay.roots.listings)}
                if union not in known:  # else a listing this spec lacks (noted when skipped)
                    problems.add(
                        overlay.origin,
                        f"{where}.members.{union}",
                        f"no such union (one of: {', '.join(sorted(known))})",
                    )
                continue
            if any(tag in _tags(schemas, m) for m in unions[union]):
                notes.append(
                    f"{tag} is in this spec's {union} union: {overlay.origin} {where} is not used "
                    "there (remove it once no pinned spec needs it)"
                )
                continue
            if member not in addition.schemas:
                problems.add(
                    overlay.origin, f"{where}.members.{union}", f"{member!r} is not in schemas"
                )
                continue
            unions[union].append(member)
            used = True
        if not used:
            continue
        for name, schema in sorted(addition.schemas.items()):
            if name in schemas and schemas[name] != schema:
                problems.add(
                    overlay.origin,
                    f"{where}.schemas.{name}",
                    "the spec has a different schema of this name: rename the overlay's",
                )
                continue
            out[name] = schema
            if tag not in _tags(out, name) and name in addition.members.values():
                problems.add(
                    overlay.origin, f"{where}.schemas.{name}", f"its `type` is not {tag!r}"
                )
    return out


def select(spec: dict[str, Any], overlay: Overlay, origin: str, problems: Problems) -> Selected:
    """The item unions' members (input, output, listings), the event schemas, and every schema
    they reach (copied out of the spec, not yet normalised)."""
    schemas = spec["components"]["schemas"]
    input_members: list[str] = []
    output_members: list[str] = []
    for label, root, into in [
        ("input", overlay.roots.input, input_members),
        ("output", overlay.roots.output, output_members),
    ]:
        try:
            into.extend(find_union(schemas, root, origin, label)[1])
        except CodegenError as exc:
            problems.extend(exc)
    listings: dict[str, list[str]] = {}
    notes: list[str] = []
    for alias, lroot in overlay.roots.listings.items():
        if lroot.via[0] not in schemas:
            notes.append(f"skipped roots.listings.{alias} ({lroot.via[0]} is not in this spec)")
            continue
        try:
            listings[alias] = find_union(schemas, lroot, origin, f"listings.{alias}")[1]
        except CodegenError as exc:
            problems.extend(exc)
    unions = {"input": input_members, "output": output_members}
    unions.update({f"listings.{alias}": members for alias, members in listings.items()})
    schemas = add_items(schemas, unions, overlay, notes, problems)
    extra = [m for members in listings.values() for m in members]
    names = reachable(schemas, [*input_members, *output_members, *extra], origin, problems)
    keys: dict[str, list[str]] = {}
    for top in (REQUEST_ROOT, RESPONSE_ROOT):
        if top in schemas:
            keys[top] = sorted(object_keys(schemas, top, origin))
        else:
            notes.append(f"no {top} schema in this spec: the checker knows no top-level keys")
    return Selected(
        {n: schemas[n] for n in names}, input_members, output_members, notes, listings,
        keys.get(REQUEST_ROOT, []), keys.get(RESPONSE_ROOT, []),
    )  # fmt: skip


#: the body of `POST /v1/responses`, and what it answers
REQUEST_ROOT, RESPONSE_ROOT = "CreateResponse", "Response"


def object_keys(schemas: Schemas, name: str, origin: str) -> set[str]:
    """The property names of an object schema, through `$ref` and `allOf` (its parts' too)."""
    out: set[str] = set()
    seen: set[str] = set()
    todo: list[Any] = [{"$ref": REF_PREFIX + name}]
    while todo:
        node = todo.pop()
        if not isinstance(node, dict):
            continue
        if "$ref" in node:
            target = ref_name(node["$ref"], origin, f"components.schemas.{name}")
            if target in schemas and target not in seen:
                seen.add(target)
                todo.append(schemas[target])
            continue
        out.update(node.get("properties") or {})
        todo.extend(node.get("allOf") or [])
    return out
