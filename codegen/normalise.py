"""Stage 3, normalise: rewrite the selected schemas into the plain JSON Schema that datamodel-code-generator reads well.

- `$recursiveRef: "#"` becomes a `$ref` to the schema that holds the `$recursiveAnchor`.
- OpenAPI 3.0 `nullable: true` becomes a 3.1 `null` type (the 2025-03-11 snapshot is 3.0).
- `allOf` of objects is merged into one object; a later part's property overrides an earlier one
  (the spec uses this to narrow a field, and inheritance would make that an incompatible override).
- Discriminators get explicit mappings, derived from each member's tag enum (without one the
  code generator tags members by schema name: `Literal["CompoundFilter"]` instead of `"and" | "or"`).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from .errors import CodegenError
from .select import REF_PREFIX, Schemas, Selected, deref

_NOISE_KEYS = ("x-oaiMeta", "x-oaiExpandable", "x-oaiTypeLabel", "example", "examples")


def _walk(node: Any, fn: Any) -> Any:
    """Apply fn bottom-up to every dict in node (returns the new node)."""
    if isinstance(node, dict):
        return fn({k: _walk(v, fn) for k, v in node.items()})
    if isinstance(node, list):
        return [_walk(v, fn) for v in node]
    return node


def resolve_recursive_refs(schemas: Schemas) -> None:
    """`$recursiveRef`/`$dynamicRef` "#" point at the enclosing anchored schema: make them `$ref`s."""
    for name, schema in schemas.items():

        def fix(d: dict[str, Any], name: str = name) -> dict[str, Any]:
            for key in ("$recursiveRef", "$dynamicRef"):
                if key in d:
                    target = d.pop(key)
                    if target not in ("#", "#meta"):
                        raise CodegenError(
                            "spec", f"components.schemas.{name}", f"unsupported {key} {target!r}"
                        )
                    d["$ref"] = REF_PREFIX + name
            d.pop("$recursiveAnchor", None)
            d.pop("$dynamicAnchor", None)
            return d

        schemas[name] = _walk(schema, fix)


def _null_schema() -> dict[str, Any]:
    return {"type": "null"}


def nullable_to_31(schemas: Schemas) -> None:
    """OpenAPI 3.0 `nullable: true` -> JSON Schema with an explicit null."""

    def fix(d: dict[str, Any]) -> dict[str, Any]:
        if not d.pop("nullable", False):
            return d
        t = d.get("type")
        if (
            isinstance(t, str)
            and "$ref" not in d
            and "allOf" not in d
            and "oneOf" not in d
            and "anyOf" not in d
        ):
            d["type"] = [t, "null"]
            if "enum" in d and None not in d["enum"]:
                d["enum"] = [*d["enum"], None]
            return d
        desc = d.pop("description", None)
        out: dict[str, Any] = {"anyOf": [d, _null_schema()]}
        if desc is not None:
            out["description"] = desc
        return out

    for name in schemas:
        schemas[name] = _walk(schemas[name], fix)


def strip_noise(schemas: Schemas) -> None:
    """Drop keys that carry documentation for other tools only, and string formats.

    A `format: uri` field would become pydantic's `AnyUrl`, which rewrites the value (adds a
    trailing slash): a replay must send back the exact string the API sent.
    """

    def fix(d: dict[str, Any]) -> dict[str, Any]:
        for k in _NOISE_KEYS:
            d.pop(k, None)
        if d.get("type") == "string" or d.get("type") == ["string", "null"]:
            d.pop("format", None)
        return d

    for name in schemas:
        schemas[name] = _walk(schemas[name], fix)


def _is_object(schema: Any) -> bool:
    return isinstance(schema, dict) and (schema.get("type") == "object" or "properties" in schema)


def _merge_allof(schemas: Schemas, node: dict[str, Any], where: str) -> dict[str, Any]:
    parts = node["allOf"]
    resolved = [deref(schemas, p) for p in parts]
    if not all(_is_object(p) or p == {} for p in resolved):
        if len(parts) == 1:  # allOf: [$ref] used to attach a description
            rest = {k: v for k, v in node.items() if k != "allOf"}
            return {**rest, **parts[0]} if "$ref" not in rest else node
        return node
    merged: dict[str, Any] = {"type": "object", "properties": {}}
    required: list[str] = []
    for part in resolved:
        if "allOf" in part:
            part = _merge_allof(schemas, part, where)
        for key, prop in (part.get("properties") or {}).items():
            merged["properties"][key] = copy.deepcopy(prop)  # a later part overrides
        for key in part.get("required", []):
            if key not in required:
                required.append(key)
        for key in ("additionalProperties", "title"):
            if key in part:
                merged[key] = copy.deepcopy(part[key])
        if "description" in part and "description" not in merged:
            merged["description"] = part["description"]
    for key, value in node.items():
        if key == "allOf":
            continue
        if key == "properties":
            merged["properties"].update(copy.deepcopy(value))
        elif key == "required":
            required.extend(k for k in value if k not in required)
        else:
            merged[key] = copy.deepcopy(value)
    if required:
        merged["required"] = required
    return merged


def flatten_allof(schemas: Schemas) -> None:
    """Merge `allOf` objects so that narrowing overrides never become incompatible subclasses."""
    for name in sorted(schemas):

        def fix(d: dict[str, Any], name: str = name) -> dict[str, Any]:
            return _merge_allof(schemas, d, name) if "allOf" in d else d

        schemas[name] = _walk(schemas[name], fix)


def tag_values(schemas: Schemas, member: Any, prop: str = "type") -> list[str] | None:
    """The values a union member's tag property can take, or None if it has no fixed tag."""
    schema = deref(schemas, member)
    p = (schema.get("properties") or {}).get(prop) if isinstance(schema, dict) else None
    if not isinstance(p, dict):
        return None
    p = deref(schemas, p)
    for branch in [p, *(p.get("anyOf") or []), *(p.get("oneOf") or [])]:
        branch = deref(schemas, branch)
        if "const" in branch and isinstance(branch["const"], str):
            return [branch["const"]]
        enum = branch.get("enum")
        if isinstance(enum, list) and all(isinstance(v, str) or v is None for v in enum):
            values = [v for v in enum if isinstance(v, str)]
            if values:
                return values
    return None


def derive_discriminators(schemas: Schemas) -> list[str]:
    """Give every discriminator an explicit mapping; drop the ones no mapping can make unambiguous.

    Returns notes on dropped discriminators (the union then validates by trying members).
    """
    notes: list[str] = []
    for name in sorted(schemas):

        def fix(d: dict[str, Any], name: str = name) -> dict[str, Any]:
            disc = d.get("discriminator")
            if not isinstance(disc, dict):
                return d
            members = d.get("oneOf") or d.get("anyOf") or []
            prop = disc.get("propertyName", "type")
            mapping: dict[str, str] = {}
            ok = True
            for m in members:
                if not isinstance(m, dict) or "$ref" not in m:
                    ok = False
                    break
                values = tag_values(schemas, m, prop)
                if not values or any(v in mapping for v in values):
                    ok = False
                    break
                for v in values:
                    mapping[v] = m["$ref"]
            if ok and mapping:
                d["discriminator"] = {
                    "propertyName": prop,
                    "mapping": dict(sorted(mapping.items())),
                }
            else:
                d.pop("discriminator")
                notes.append(
                    f"{name}: discriminator on {prop!r} dropped (members without a unique tag)"
                )
            return d

        schemas[name] = _walk(schemas[name], fix)
    return notes


def drop_dangling_required(schemas: Schemas) -> list[str]:
    """`required` names without a property (LocalShellToolCallOutput requires a `call_id` it lacks)."""
    notes: list[str] = []
    for name in sorted(schemas):

        def fix(d: dict[str, Any], name: str = name) -> dict[str, Any]:
            props = d.get("properties")
            req = d.get("required")
            if isinstance(props, dict) and isinstance(req, list):
                missing = [r for r in req if r not in props]
                if missing:
                    notes.append(f"{name}: required {missing} without a property: ignored")
                    d["required"] = [r for r in req if r in props]
                    if not d["required"]:
                        del d["required"]
            return d

        schemas[name] = _walk(schemas[name], fix)
    return notes


def sanitise_names(schemas: Schemas) -> Schemas:
    """Schema names that are not identifiers (`MessagePhase-2`) become identifiers."""
    renames = {n: re.sub(r"\W", "", n) for n in schemas if not n.isidentifier()}
    if not renames:
        return schemas

    def fix(d: dict[str, Any]) -> dict[str, Any]:
        ref = d.get("$ref")
        if (
            isinstance(ref, str)
            and ref.startswith(REF_PREFIX)
            and ref[len(REF_PREFIX) :] in renames
        ):
            d["$ref"] = REF_PREFIX + renames[ref[len(REF_PREFIX) :]]
        return d

    return {renames.get(n, n): _walk(s, fix) for n, s in schemas.items()}


def normalise(schemas: Schemas) -> tuple[Schemas, list[str]]:
    """Return normalised deep copies of `schemas` and notes on what could not be made exact."""
    out = sanitise_names(copy.deepcopy(schemas))
    resolve_recursive_refs(out)
    strip_noise(out)
    nullable_to_31(out)
    flatten_allof(out)
    notes = drop_dangling_required(out)
    notes += derive_discriminators(out)
    return out, notes


def normalise_selected(sel: Selected) -> Selected:
    """The selection with its schemas normalised; notes on what could not be made exact first."""
    schemas, notes = normalise(sel.schemas)
    return Selected(
        schemas,
        sel.input_members,
        sel.output_members,
        [*notes, *sel.notes],
        sel.listings,
        sel.request_keys,
        sel.response_keys,
    )
