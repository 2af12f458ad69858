"""Property tests: output items generated from the spec's own schemas convert into items that the
spec's input schemas, as corrected by the overlay, accept (checked with jsonschema), and no content
field is lost on the way."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis_jsonschema import from_schema

from codegen.load import load_spec
from codegen.overlay import load_overlay
from codegen.pipeline import select_and_normalise
from codegen.source import read_any
from codegen.views import Applied, View, input_view, output_view
from responses_replay import ReplayError, to_input
from responses_replay._generated import registry

SPEC = Path(__file__).resolve().parents[1].parent / "shared" / "specs" / "openapi-2026-08-21.yaml"
pytestmark = pytest.mark.skipif(
    not SPEC.is_file(), reason="the pinned spec is not beside the project"
)

#: item types whose schemas hypothesis-jsonschema can generate (no recursive refs)
TYPES = [
    "message", "reasoning", "function_call", "function_call_output", "custom_tool_call",
    "custom_tool_call_output", "web_search_call", "computer_call", "image_generation_call",
    "local_shell_call", "local_shell_call_output", "shell_call", "shell_call_output",
    "apply_patch_call", "apply_patch_call_output", "mcp_call", "mcp_approval_request",
    "mcp_approval_response", "program", "program_output",
]  # fmt: skip


@cache
def views() -> tuple[View, View]:
    overlay, _ = load_overlay()
    spec = read_any(SPEC)
    sel = select_and_normalise(load_spec(spec.data, spec.origin), overlay, spec.origin)
    applied = Applied()
    return (
        output_view(sel.schemas, sel.output_members, overlay, spec.origin, applied),
        input_view(sel.schemas, sel.input_members, overlay, spec.origin, applied),
    )


def _document(view: View, root: str, closed: bool) -> dict[str, Any]:
    text = json.dumps(view.schemas).replace("#/components/schemas/", "#/$defs/")
    defs = json.loads(text)
    if closed:  # the input side refuses unknown keys (R1)
        for schema in defs.values():
            if isinstance(schema, dict) and "properties" in schema:
                schema.setdefault("additionalProperties", False)
    return {"$defs": defs, "$ref": f"#/$defs/{root}"}


def _member(view: View, tag: str) -> str:
    return next(m for m in view.union.members if tag in view.union.tags[m])


@cache
def strategy(tag: str) -> st.SearchStrategy[Any]:
    out, _ = views()
    doc = _document(out, _member(out, tag), closed=True)
    return from_schema(doc)


def input_validator(tag: str, data: dict[str, Any]) -> jsonschema.Draft202012Validator:
    from responses_replay._generated.inputs import member_class

    _, inp = views()
    cls = member_class(data)
    assert cls is not None
    return jsonschema.Draft202012Validator({"$defs": _defs(inp), "$ref": f"#/$defs/{cls.__name__}"})


def _defs(view: View) -> dict[str, Any]:
    text = json.dumps(view.schemas).replace("#/components/schemas/", "#/$defs/")
    defs: dict[str, Any] = json.loads(text)
    _close(defs)
    return defs


def _close(node: Any) -> None:
    """Every object schema with properties closed, as the input side is (R1): the components and
    the objects inline in them (an overlay-added field's schema is inline)."""
    if isinstance(node, dict):
        if "properties" in node and isinstance(node["properties"], dict):
            node.setdefault("additionalProperties", False)
        for value in node.values():
            _close(value)
    elif isinstance(node, list):
        for value in node:
            _close(value)


def _expand(defs: dict[str, Any], node: Any) -> list[dict[str, Any]]:
    """A schema node as the plain alternatives it allows ($ref resolved, anyOf/oneOf/allOf split)."""
    if not isinstance(node, dict):
        return []
    ref = node.get("$ref")
    if isinstance(ref, str):
        return _expand(defs, defs[ref.rsplit("/", 1)[-1]])
    subs = [m for key in ("anyOf", "oneOf", "allOf") for m in node.get(key, [])]
    return [n for m in subs for n in _expand(defs, m)] if subs else [node]


def _schemas_at(
    defs: dict[str, Any], roots: list[str], path: list[str | int]
) -> list[dict[str, Any]]:
    """Every input schema that can hold the value at `path` of an item of these member schemas."""
    nodes = [n for r in roots for n in _expand(defs, {"$ref": f"#/$defs/{r}"})]
    for part in path:
        nxt: list[dict[str, Any]] = []
        for n in nodes:
            child = (
                n.get("items") if isinstance(part, int) else (n.get("properties") or {}).get(part)
            )
            nxt.extend(_expand(defs, child))
        nodes = nxt
    return nodes


def _parts(where: str) -> list[str | int]:
    """`item.content[0].text` -> ["content", 0, "text"] (the converter's path, root dropped); an
    empty key stays a step (`item.error.` -> ["error", ""])."""
    return [
        m[1] if m[1] is not None else int(m[2])
        for m in re.finditer(r"\.([^.\[]*)|\[(\d+)\]", where)
    ]


_NOWHERE = object()


def _at(value: Any, path: list[str | int]) -> Any:
    """The value at `path`, or `_NOWHERE` when the path does not lead into `value` (a key holding
    `.` or `[` reads ambiguously in a path string: only its walkable prefixes are judged)."""
    for part in path:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return _NOWHERE
    return value


def _input_members(tag: str) -> list[str]:
    _, inp = views()
    return [m for m in inp.union.members if tag in inp.union.tags[m]]


def _accepts(tag: str, path: list[str | int], value: Any) -> bool:
    """The input side (spec + overlay, not the converter) accepts `value` at `path` of a `tag` item."""
    _, inp = views()
    defs = _defs(inp)
    return any(
        jsonschema.Draft202012Validator({"$defs": defs, **node}).is_valid(value)
        for node in _schemas_at(defs, _input_members(tag), path)
    )


@pytest.mark.parametrize("tag", TYPES)
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_converted_items_are_valid_input(tag: str, data: st.DataObject) -> None:
    item = data.draw(strategy(tag))
    converted: dict[str, Any] = {}
    try:
        converted = to_input(item).to_dict()
    except ReplayError as exc:
        refusal: ReplayError | None = exc
    else:
        refusal = None
    if refusal is not None:
        # A refusal is allowed only where the input schema is stricter than the output one: the
        # refused value (or the object holding it: a union names one member's field) is one no
        # input schema for this type accepts at that path.
        assert refusal.rule == "R13"
        path = _parts(refusal.where)
        assert path, refusal.where
        values = [(n, _at(item, path[:n])) for n in range(len(path), 0, -1)]
        assert any(
            not _accepts(tag, path[:n], value) for n, value in values if value is not _NOWHERE
        ), f"{tag}: refused {refusal.where}: {refusal}"
        return
    errors = list(input_validator(tag, converted).iter_errors(converted))
    assert not errors, f"{tag}: {errors[0].message} at {list(errors[0].absolute_path)}"
    # No content field is lost: every key kept is equal, every key dropped had to go: keeping it
    # makes the item invalid input (judged by the input schema, not by the converter's tables).
    for key, value in item.items():
        if key in converted:
            assert (
                converted[key] == value
                or key in dict(registry.NESTED_OUTPUT_ONLY)
                or isinstance(value, dict | list)
            )
        else:
            kept = {**converted, key: value}
            assert list(input_validator(tag, kept).iter_errors(kept)), f"{tag}.{key} was dropped"
