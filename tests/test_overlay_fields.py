"""Fields the pinned spec lacks on item types it has (`looser` entries with `make: added`).

The API sends and accepts `async` on function and custom tool calls, image-generation details and
a compaction trigger's `id` (openai SDK 3.57, api-errors.md R1: "send `async`, not `async_`"):
a replay keeps them, and the checker does not refuse them.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from codegen.errors import CodegenError
from codegen.overlay import Overlay, parse_overlay
from codegen.pipeline import generate
from responses_replay import Turn, check
from tests.test_codegen import as_spec_bytes, tiny_spec

ASYNC_IN = "{type: function_call, path: async, view: input, make: added, schema: {type: boolean"


def _response(*items: dict[str, Any]) -> dict[str, Any]:
    return {"id": "resp_1", "object": "response", "status": "completed", "output": list(items)}


CALL = {
    "type": "function_call",
    "id": "fc_1",
    "call_id": "call_1",
    "name": "f",
    "arguments": "{}",
    "status": "completed",
    "async": True,
}
IMAGE = {
    "type": "image_generation_call",
    "id": "ig_1",
    "status": "completed",
    "result": "aGVsbG8=",
    "action": "generate",
    "background": "opaque",
    "output_format": "png",
    "quality": "high",
    "revised_prompt": "a cat on a mat",
    "size": "1024x1024",
    "svg_usage": None,
    "error": {"code": None, "message": "m", "param": None, "type": "t"},
}


def _body(*items: dict[str, Any]) -> dict[str, Any]:
    return {"model": "gpt-5", "store": True, "input": list(items)}


USER = {"role": "user", "content": "List the tools."}


def _errors(body: dict[str, Any]) -> list[str]:
    return [str(f) for f in check(body) if f.severity == "error"]


# --- the runtime, on the pinned spec -----------------------------------------------------------


def test_replay_keeps_async_and_image_details() -> None:
    sent = Turn.from_response(_response(IMAGE, CALL)).to_input()
    image, call = sent
    assert call["async"] is True
    assert {k: image[k] for k in ("action", "background", "output_format", "quality", "size")} == {
        "action": "generate",
        "background": "opaque",
        "output_format": "png",
        "quality": "high",
        "size": "1024x1024",
    }
    assert image["revised_prompt"] == "a cat on a mat"
    assert image["error"] == {"code": None, "message": "m", "param": None, "type": "t"}
    assert "svg_usage" not in image or image["svg_usage"] is None


def test_checker_accepts_async_and_refuses_the_python_name() -> None:
    call = {k: v for k, v in CALL.items() if k not in ("id", "status")}
    output = {"type": "function_call_output", "call_id": "call_1", "output": "ok"}
    assert [f for f in check(_body(call, output)) if f.severity == "error"] == []
    snake = {**{k: v for k, v in call.items() if k != "async"}, "async_": True}
    assert [(f.rule, f.path) for f in check(_body(snake, output))] == [("R1", "input[0].async_")]
    wrong = {**call, "async": [True]}
    assert [(f.rule, f.path) for f in check(_body(wrong, output))] == [("R13", "input[0].async")]


def test_checker_accepts_image_details_and_a_compaction_trigger_id() -> None:
    body = _body(
        {"role": "user", "content": "draw"},
        {k: v for k, v in IMAGE.items() if k != "svg_usage"},
        {"type": "compaction_trigger", "id": "ct_1"},
    )
    assert [f for f in check(body) if f.severity == "error"] == []


def test_sdk_objects_with_async_keep_it() -> None:
    openai = pytest.importorskip("openai")
    from openai.types.responses import Response

    if "async_" not in getattr(openai.types.responses.ResponseFunctionToolCall, "model_fields", {}):
        pytest.skip(f"openai {openai.__version__} has no `async` on function calls")
    base = {
        "created_at": 0,
        "model": "gpt-5",
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
    }
    sdk = Response.model_validate({**base, **_response(CALL)})
    assert Turn.from_response(sdk).to_input()[0]["async"] is True


# Evidence: the openai SDK 3.57 (newer than the pinned spec, the source the overlay already uses
# for `async` on function_call): openai.types.responses.FunctionTool has
# `async_: Optional[bool] = FieldInfo(alias="async")` and FunctionToolParam has `"async": bool`;
# a tool_search_output's `tools` (and additional_tools' `tools`) are these tools. A server-executed
# tool search that loads a function tool defined with `async` comes back with it, and
# Turn.from_response refuses the whole response: "[R13] output[1].tools[0].async: not a valid
# input tool_search_output: Extra inputs are not permitted".
def test_tool_search_output_with_an_async_function_tool_is_replayed() -> None:
    tool = {
        "type": "function",
        "name": "lookup",
        "description": "Look up.",
        "strict": True,
        "parameters": {"type": "object", "properties": {}},
        "async": True,
    }
    out = [
        {"type": "tool_search_call", "id": "tsc_1", "call_id": "call_1", "execution": "server",
         "arguments": {"query": "lookup"}, "status": "completed"},
        {"type": "tool_search_output", "id": "tso_1", "call_id": "call_1", "execution": "server",
         "tools": [tool], "status": "completed"},
    ]  # fmt: skip
    sent = Turn.from_response({"output": out}).to_input()
    assert sent[1]["tools"][0].get("async") is True
    assert _errors({"model": "gpt-5.6", "input": [USER, *sent]}) == []


# Evidence: the openai SDK 3.57: ResponseInputTextParam.prompt_cache_breakpoint is
# PromptCacheBreakpoint {mode: Required[Literal["explicit"]], ttl: Literal["30m", "12h"]} ("The
# minimum lifetime of this cache breakpoint. Defaults to the request TTL."); the checker knows
# `mode` but answers "Unknown parameter: 'input[0].content[0].prompt_cache_breakpoint.ttl'".
def test_prompt_cache_breakpoint_ttl_is_not_an_unknown_parameter() -> None:
    part = {"type": "input_text", "text": "A long, reused prefix.",
            "prompt_cache_breakpoint": {"mode": "explicit", "ttl": "12h"}}  # fmt: skip
    assert _errors({"model": "gpt-5.6", "input": [{"role": "user", "content": [part]}]}) == []


# --- the generator ---------------------------------------------------------------------------


def _tiny(
    overlay: tuple[Overlay, str], spec: dict[str, Any] | None = None, text: str | None = None
) -> Any:
    text = overlay[1] if text is None else text
    return generate(as_spec_bytes(spec or tiny_spec()), parse_overlay(text, "overlay.yaml"), text)


def test_added_field_joins_each_side_with_its_own_schema(overlay: tuple[Overlay, str]) -> None:
    result = _tiny(overlay)
    inp = result.input.schemas["FunctionCall"]["properties"]["async"]
    out = result.output.schemas["FunctionCall"]["properties"]["async"]
    assert inp["type"] == "boolean"
    assert {"type": "null"} in out["anyOf"]
    assert "async_: Annotated[StrictBool | MISSING" in "".join(result.files.values())


def test_the_specs_own_field_wins_and_the_entry_is_noted(overlay: tuple[Overlay, str]) -> None:
    spec = tiny_spec()
    spec["components"]["schemas"]["FunctionCall"]["properties"]["async"] = {"type": "integer"}
    result = _tiny(overlay, spec)
    assert result.input.schemas["FunctionCall"]["properties"]["async"] == {"type": "integer"}
    assert any(
        "looser[function_call.async]" in n and "the spec has this field" in n for n in result.notes
    )


def test_added_field_under_a_nested_path(overlay: tuple[Overlay, str]) -> None:
    spec = tiny_spec()
    props = spec["components"]["schemas"]["FunctionCall"]["properties"]
    props["action"] = {
        "type": "array",
        "items": {"type": "object", "properties": {"q": {"type": "string"}}},
    }
    rule = '  - {type: function_call, path: "action[].hint", view: input, make: added, schema: {type: string}, why: "test"}\n'
    text = overlay[1].replace("\nlooser:\n", "\nlooser:\n" + rule, 1)
    result = _tiny(overlay, spec, text)
    action = result.input.schemas["FunctionCall"]["properties"]["action"]
    assert action["items"]["properties"]["hint"] == {"type": "string"}
    assert "hint" not in json.dumps(result.output.schemas["FunctionCall"])


def test_added_field_only_on_the_parent_types_named(overlay: tuple[Overlay, str]) -> None:
    spec = tiny_spec()
    props = spec["components"]["schemas"]["FunctionCall"]["properties"]
    tool = {"type": "string", "enum": ["function"]}
    other = {"type": "string", "enum": ["web_search"]}
    props["tools"] = {
        "type": "array",
        "items": {
            "oneOf": [
                {"type": "object", "properties": {"type": tool, "name": {"type": "string"}}},
                {"type": "object", "properties": {"type": other}},
            ]
        },
    }
    rule = '  - {type: function_call, path: "tools[].async", view: input, make: added, parent_types: [function], schema: {type: boolean}, why: "test"}\n'
    text = overlay[1].replace("\nlooser:\n", "\nlooser:\n" + rule, 1)
    result = _tiny(overlay, spec, text)
    function, web = result.input.schemas["FunctionCall"]["properties"]["tools"]["items"]["oneOf"]
    assert function["properties"]["async"] == {"type": "boolean"}
    assert "async" not in web["properties"]


def test_parent_types_goes_with_a_nested_added_field(overlay: tuple[Overlay, str]) -> None:
    text = overlay[1].replace(
        ASYNC_IN, ASYNC_IN.replace("make: added, ", "make: added, parent_types: [function], "), 1
    )
    with pytest.raises(CodegenError) as info:
        parse_overlay(text, "overlay.yaml")
    assert "parent_types" in str(info.value)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            ASYNC_IN,
            ASYNC_IN.replace(
                "make: added, schema: {type: boolean", "make: added, shema: {type: boolean"
            ),
        ),
        (ASYNC_IN, ASYNC_IN.replace("make: added, ", "")),
    ],
    ids=["added-without-schema", "schema-without-added"],
)
def test_schema_goes_with_make_added(overlay: tuple[Overlay, str], old: str, new: str) -> None:
    assert old in overlay[1]
    text = overlay[1].replace(old, new, 1)
    with pytest.raises(CodegenError) as info:
        parse_overlay(text, "overlay.yaml")
    assert info.value.file == "overlay.yaml"
    assert "looser" in info.value.place


def test_added_field_matching_no_item_is_unmatched(overlay: tuple[Overlay, str]) -> None:
    rule = '  - {type: no_such_item, path: x, view: input, make: added, schema: {type: string}, why: "test"}\n'
    text = overlay[1].replace("\nlooser:\n", "\nlooser:\n" + rule, 1)
    result = _tiny(overlay, copy.deepcopy(tiny_spec()), text)
    assert "looser[no_such_item.x] (input view)" in result.applied.unmatched


# --- limits: maximum lengths the API enforces ---------------------------------------------------


def _with_limit(overlay: tuple[Overlay, str], rule: str) -> str:
    return overlay[1].replace("\nids:\n", f"\nlimits:\n{rule}\nids:\n", 1)


def test_a_limit_bounds_the_string_alternative_on_the_input_side_only(
    overlay: tuple[Overlay, str],
) -> None:
    spec = tiny_spec()
    props = spec["components"]["schemas"]["FunctionCall"]["properties"]
    props["note"] = {"anyOf": [{"type": "string", "maxLength": 9}, {"type": "array"}]}
    rules = (
        '  - {type: function_call, path: call_id, max_length: 64, why: "test"}\n'
        '  - {type: function_call, path: note, max_length: 99, why: "test"}'
    )
    result = _tiny(overlay, spec, _with_limit(overlay, rules))
    inp = result.input.schemas["FunctionCall"]["properties"]
    assert inp["call_id"] == {"type": "string", "maxLength": 64}
    assert inp["note"]["anyOf"] == [
        {"type": "string", "maxLength": 9},
        {"type": "array"},
    ]  # tighter
    assert "maxLength" not in result.output.schemas["FunctionCall"]["properties"]["call_id"]
    assert "max_length=64" in "".join(result.files.values())


def test_a_minimum_length_limit_bounds_the_input_side_only(overlay: tuple[Overlay, str]) -> None:
    rules = '  - {type: function_call, path: call_id, min_length: 1, max_length: 64, why: "test"}'
    result = _tiny(overlay, copy.deepcopy(tiny_spec()), _with_limit(overlay, rules))
    inp = result.input.schemas["FunctionCall"]["properties"]
    assert inp["call_id"] == {"type": "string", "maxLength": 64, "minLength": 1}
    assert "minLength" not in result.output.schemas["FunctionCall"]["properties"]["call_id"]
    assert "min_length=1" in "".join(result.files.values())


def test_a_limit_without_a_bound_is_refused(overlay: tuple[Overlay, str]) -> None:
    rule = '  - {type: function_call, path: call_id, why: "test"}'
    with pytest.raises(CodegenError, match="max_length, min_length or both"):
        _tiny(overlay, copy.deepcopy(tiny_spec()), _with_limit(overlay, rule))


def test_a_limit_on_no_string_field_is_unmatched(overlay: tuple[Overlay, str]) -> None:
    rule = '  - {type: function_call, path: no_such_field, max_length: 5, why: "test"}'
    result = _tiny(overlay, copy.deepcopy(tiny_spec()), _with_limit(overlay, rule))
    assert "limits[function_call.no_such_field] (no string field)" in result.applied.unmatched


def test_the_pinned_limits_reach_the_checker_in_the_api_words() -> None:
    body = _body({"type": "function_call", "call_id": "c", "name": "f", "arguments": "x" * 1048577},
                 {"type": "function_call_output", "call_id": "c", "output": "ok"})  # fmt: skip
    (finding,) = [f for f in check(body) if f.severity == "error"]
    assert finding.path.endswith(".arguments")
    assert "string too long. Expected a string with maximum length 1048576" in finding.message
