"""Property tests: output items generated from the spec's own schemas convert into items that the
spec's input schemas, as corrected by the overlay, accept (checked with jsonschema), and no content
field is lost on the way."""

from __future__ import annotations

import json
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
    return jsonschema.Draft202012Validator(_document(inp, cls.__name__, closed=True))


@pytest.mark.parametrize("tag", TYPES)
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_converted_items_are_valid_input(tag: str, data: st.DataObject) -> None:
    item = data.draw(strategy(tag))
    try:
        converted = to_input(item).to_dict()
    except ReplayError as exc:
        # A refusal is allowed only where the input schema is stricter than the output one.
        refused_rule = exc.rule
        assert refused_rule == "R13"
        return
    errors = list(input_validator(tag, converted).iter_errors(converted))
    assert not errors, f"{tag}: {errors[0].message} at {list(errors[0].absolute_path)}"
    # No content field is lost: every key kept is equal, every key dropped had a reason to go.
    for key, value in item.items():
        if key in converted:
            assert (
                converted[key] == value
                or key in dict(registry.NESTED_OUTPUT_ONLY)
                or isinstance(value, dict | list)
            )
        else:
            assert (
                value is None
                or key in registry.OUTPUT_ONLY.get(tag, ())
                or key not in registry.INPUT_FIELDS.get(tag, ())
                or any(r[0] == tag and r[1] == key for r in registry.REFUSED_VALUES)
            ), f"{tag}.{key} was dropped"
