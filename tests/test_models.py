"""The models' behaviour: Output keeps everything the API sent, Input holds only what it accepts."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from pydantic import ValidationError

from responses_replay import InputError, inputs, outputs, parse_response

MESSAGE: dict[str, Any] = {
    "type": "message",
    "id": "msg_1",
    "role": "assistant",
    "status": "completed",
    "content": [{"type": "output_text", "text": "Paris.", "annotations": [], "logprobs": []}],
}
REASONING: dict[str, Any] = {
    "type": "reasoning",
    "id": "rs_1",
    "summary": [{"type": "summary_text", "text": "Thinking about capitals."}],
    "encrypted_content": "gAAAAB...",
}
FUNCTION_CALL: dict[str, Any] = {
    "type": "function_call",
    "id": "fc_1",
    "call_id": "call_1",
    "name": "get_weather",
    "arguments": '{"city": "Paris"}',
    "status": "completed",
}
UNKNOWN: dict[str, Any] = {
    "type": "hologram_call",
    "id": "hg_1",
    "status": "completed",
    "frames": [{"t": 0, "data": None}],
}


def _with(item: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {**item, **extra}


def _nulls(value: Any, path: str = "") -> list[str]:
    """Paths of every `null` in a JSON-like value."""
    if value is None:
        return [path or "(top)"]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _nulls(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _nulls(v, f"{path}[{i}]")]
    return []


# --- Output models -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        _with(MESSAGE, phase_v2="final", metadata={"k": [1, None]}),
        _with(
            MESSAGE,
            content=[{"type": "output_text", "text": "hi", "annotations": [], "sparkle": True}],
        ),
        _with(REASONING, encrypted_content=None, status=None, effort_used="high"),
        _with(FUNCTION_CALL, caller={"type": "direct"}, latency_ms=12.5),
    ],
    ids=["message-top", "message-part", "reasoning-nulls", "function-call"],
)
def test_output_round_trip_keeps_unknown_fields(data: dict[str, Any]) -> None:
    item = outputs.OutputItemAdapter.validate_python(data)
    assert item.to_dict() == data
    again = outputs.OutputItemAdapter.validate_json(json.dumps(data))
    assert again.to_dict() == data


def test_output_classes() -> None:
    parsed = outputs.OutputItemListAdapter.validate_python([MESSAGE, REASONING, FUNCTION_CALL])
    assert [type(i) for i in parsed] == [
        outputs.OutputMessage,
        outputs.ReasoningItem,
        outputs.FunctionToolCall,
    ]


def test_unknown_type_is_kept_whole() -> None:
    item = outputs.OutputItemAdapter.validate_python(UNKNOWN)
    assert isinstance(item, outputs.UnknownItem)
    assert item.type == "hologram_call"
    assert item.model_extra == {k: v for k, v in UNKNOWN.items() if k != "type"}
    assert item.to_dict() == UNKNOWN


def test_known_type_is_never_guessed_as_unknown() -> None:
    with pytest.raises(ValidationError):
        outputs.OutputItemAdapter.validate_python({"type": "function_call", "id": "fc_1"})


RESPONSE: dict[str, Any] = {
    "id": "resp_1",
    "object": "response",
    "created_at": 1_760_000_000,
    "model": "gpt-5",
    "status": "completed",
    "parallel_tool_calls": True,
    "tool_choice": "auto",
    "tools": [],
    "output": [REASONING, UNKNOWN, FUNCTION_CALL, MESSAGE],
}
EXPECTED = [
    outputs.ReasoningItem,
    outputs.UnknownItem,
    outputs.FunctionToolCall,
    outputs.OutputMessage,
]


@pytest.mark.parametrize(
    "as_given",
    [lambda r: r, lambda r: json.dumps(r).encode(), lambda r: json.dumps(r)],
    ids=["dict", "json-bytes", "json-str"],
)
def test_parse_response_with_an_unknown_item(as_given: Any) -> None:
    items = parse_response(as_given(RESPONSE))
    assert [type(i) for i in items] == EXPECTED
    assert [i.to_dict() for i in items] == RESPONSE["output"]


def test_parse_response_from_the_sdk() -> None:
    sdk = pytest.importorskip("openai.types.responses")
    known = {**RESPONSE, "output": [REASONING, FUNCTION_CALL, MESSAGE]}
    items = parse_response(sdk.Response.model_validate(known))
    assert [type(i) for i in items] == [t for t in EXPECTED if t is not outputs.UnknownItem]
    assert [i.to_dict() for i in items] == known["output"]


@pytest.mark.filterwarnings(
    "ignore::UserWarning"
)  # the SDK's own serializer warns on its mistyped item
def test_parse_response_from_an_sdk_object_holding_a_newer_type() -> None:
    """The SDK builds responses with `construct` and mistypes a newer item; we still see the truth."""
    pytest.importorskip("openai.types.responses")
    from openai._models import construct_type
    from openai.types.responses import Response

    sdk = construct_type(type_=Response, value=RESPONSE)
    items = parse_response(sdk)
    assert [type(i) for i in items] == EXPECTED
    assert items[1].to_dict() == UNKNOWN


@pytest.mark.parametrize("bad", [b"{not json", "[]", {"id": "resp_1"}])
def test_parse_response_refuses_what_is_not_a_response(bad: Any) -> None:
    with pytest.raises(InputError):
        parse_response(bad)


# --- Input models --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        _with(FUNCTION_CALL, created_by="user_1"),
        {"role": "user", "content": "hi", "colour": "blue"},
        {"type": "reasoning", "summary": [], "encrypted_content": "e", "status": "completed"},
        {"type": "function_call_output", "call_id": "call_1", "output": "ok", "created_by": "x"},
    ],
    ids=["function_call", "easy-message", "reasoning-status", "fco-created_by"],
)
def test_input_refuses_unknown_keys(data: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as info:
        inputs.InputItemAdapter.validate_python(data)
    assert any(e["type"] == "extra_forbidden" for e in info.value.errors())


def test_input_class_refuses_unknown_keyword() -> None:
    with pytest.raises(ValidationError):
        inputs.FunctionToolCall(  # type: ignore[call-arg]
            type="function_call", call_id="c", name="f", arguments="{}", colour="blue"
        )


def test_input_refuses_none_for_non_nullable_fields() -> None:
    with pytest.raises(ValidationError) as info:
        inputs.ReasoningItem(type="reasoning", summary=[], encrypted_content=None)  # type: ignore[arg-type]
    assert [e["loc"] for e in info.value.errors()] == [("encrypted_content",)]
    with pytest.raises(ValidationError):
        inputs.ReasoningItem(summary=[], encrypted_content=None)  # type: ignore[call-arg, arg-type]
    with pytest.raises(ValidationError):
        inputs.InputItemAdapter.validate_python(
            {"type": "reasoning", "summary": [], "encrypted_content": None}
        )
    with pytest.raises(ValidationError):
        inputs.InputItemAdapter.validate_python(_with(FUNCTION_CALL, status=None))


@pytest.mark.parametrize(
    "data",
    [
        {"type": "reasoning", "summary": []},
        {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "e"},
        {"type": "function_call", "call_id": "call_1", "name": "f", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "call_1", "output": "ok"},
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": [{"type": "output_text", "text": "hi"}]},
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]},
        {"id": "msg_1"},
    ],
)
def test_input_to_dict_writes_no_null_for_unset_fields(data: dict[str, Any]) -> None:
    item = inputs.InputItemAdapter.validate_python(data)
    dumped = item.to_dict()
    assert not _nulls(dumped), dumped
    assert dumped == data
    assert json.loads(item.to_json()) == data


def test_input_constructed_in_code_writes_only_what_was_set() -> None:
    item = inputs.ReasoningItem(type="reasoning", summary=[])
    assert item.to_dict() == {"type": "reasoning", "summary": []}


@pytest.mark.parametrize(
    ("data", "cls"),
    [
        ({"role": "user", "content": "hi"}, inputs.EasyInputMessage),
        ({"type": "message", "role": "assistant", "content": "hi"}, inputs.EasyInputMessage),
        ({"role": "user", "content": [{"type": "input_text", "text": "hi"}]}, inputs.InputMessage),
        (
            {
                "type": "message",
                "role": "developer",
                "content": [{"type": "input_text", "text": "x"}],
            },
            inputs.InputMessage,
        ),
        (
            {
                "type": "message",
                "id": "msg_1",
                "role": "assistant",
                "status": "completed",
                "content": [{"type": "output_text", "text": "hi", "annotations": []}],
            },
            inputs.OutputMessage,
        ),
        (
            {"role": "assistant", "content": [{"type": "output_text", "text": "hi"}]},
            inputs.OutputMessage,
        ),
        ({"id": "msg_1"}, inputs.ItemReferenceParam),
        ({"type": "item_reference", "id": "msg_1"}, inputs.ItemReferenceParam),
    ],
    ids=[
        "string-user",
        "string-assistant",
        "user-list",
        "developer-list",
        "assistant-output_text",
        "assistant-untyped",
        "untyped-reference",
        "typed-reference",
    ],
)
def test_input_union_picks_the_message_member(data: dict[str, Any], cls: type[Any]) -> None:
    item = inputs.InputItemAdapter.validate_python(data)
    assert type(item) is cls
    assert item.to_dict() == data


def test_input_message_errors_name_the_chosen_member() -> None:
    """An assistant message with input_text parts is refused by one member, not by all eleven."""
    with pytest.raises(ValidationError) as info:
        inputs.InputItemAdapter.validate_python(
            {"role": "assistant", "content": [{"type": "input_text", "text": "hi"}]}
        )
    assert info.value.error_count() <= 3, info.value


def test_output_and_input_classes_differ() -> None:
    assert outputs.ReasoningItem.__module__ != inputs.ReasoningItem.__module__
    out = outputs.OutputItemAdapter.validate_python(_with(REASONING, status="completed"))
    with pytest.raises(ValidationError):
        inputs.InputItemAdapter.validate_python(out.to_dict())


# --- Discriminator mappings ---------------------------------------------------------------------

COMPOUND: dict[str, Any] = {
    "type": "and",
    "filters": [
        {"type": "eq", "key": "region", "value": "eu"},
        {
            "type": "or",
            "filters": [
                {"type": "gte", "key": "year", "value": 2024},
                {"type": "in", "key": "tag", "value": ["a", "b"]},
            ],
        },
    ],
}


def _tool_search_output(filters: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "tool_search_output",
        "id": "tso_1",
        "call_id": "call_1",
        "execution": "server",
        "status": "completed",
        "tools": [{"type": "file_search", "vector_store_ids": ["vs_1"], "filters": filters}],
    }


def test_compound_filter_parses_by_its_real_tags_inside_an_item() -> None:
    """`tool_search_output.tools[].filters` reaches CompoundFilter: tags are "and"/"or", not its name."""
    data = _tool_search_output(COMPOUND)
    item = outputs.OutputItemAdapter.validate_python(data)
    assert isinstance(item, outputs.ToolSearchOutput)
    tool = item.tools[0]
    assert isinstance(tool, outputs.FileSearchTool)
    assert isinstance(tool.filters, outputs.CompoundFilter)
    assert tool.filters.type == "and"
    inner = tool.filters.filters
    assert isinstance(inner[0], outputs.ComparisonFilter)
    assert isinstance(inner[1], outputs.CompoundFilter)
    assert inner[1].type == "or"
    assert item.to_dict() == data

    sent = inputs.InputItemAdapter.validate_python(data)
    assert isinstance(sent, inputs.ToolSearchOutputItemParam)
    assert isinstance(sent.tools[0], inputs.FileSearchTool)
    assert isinstance(sent.tools[0].filters, inputs.CompoundFilter)
    assert sent.to_dict() == data


@pytest.mark.parametrize("module", [outputs, inputs], ids=["outputs", "inputs"])
@pytest.mark.parametrize("tag", ["and", "or"])
def test_compound_filter_accepts_and_or(module: Any, tag: str) -> None:
    parsed = module.CompoundFilter.model_validate({**COMPOUND, "type": tag})
    assert parsed.type == tag


@pytest.mark.parametrize("module", [outputs, inputs], ids=["outputs", "inputs"])
def test_compound_filter_refuses_its_schema_name_as_tag(module: Any) -> None:
    with pytest.raises(ValidationError):
        module.CompoundFilter.model_validate({**COMPOUND, "type": "CompoundFilter"})


def _in_fresh_interpreter(code: str) -> str:
    """What `code` prints, run in a new interpreter (nothing imported or built beforehand)."""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return proc.stdout.strip()


def test_import_builds_no_validator() -> None:
    """Importing the package builds no pydantic validator: every model is built on first use.

    Guards import time: a `model_rebuild()` at module level (datamodel-code-generator emits them
    for forward references) would build that model's whole validator on `import responses_replay`.
    """
    code = (
        "import responses_replay\n"
        "from pydantic import BaseModel\n"
        "from responses_replay import inputs, outputs\n"
        "built = sorted({f'{m.__name__}.{n}' for m in (inputs, outputs)"
        " for n, c in vars(m).items()"
        " if isinstance(c, type) and issubclass(c, BaseModel) and c.__pydantic_complete__})\n"
        "print(built)\n"
    )
    assert _in_fresh_interpreter(code) == "[]"


def test_forward_reference_resolves_on_first_use() -> None:
    """A recursive model (CompoundFilter inside FileSearchTool) validates with no explicit rebuild."""
    code = (
        "from responses_replay import inputs\n"
        "t = inputs.FileSearchTool.model_validate({'type': 'file_search', 'vector_store_ids': ['v'],"
        " 'filters': {'type': 'or', 'filters': [{'type': 'and', 'filters': []}]}})\n"
        "print(type(t.filters.filters[0]).__name__)\n"
    )
    assert _in_fresh_interpreter(code) == "CompoundFilter"


# --- configuration_update: an item the pinned spec lacks (overlay `additions`, issue 13) ----------

#: the SDK's own shapes (openai 3.57: ResponseConfigurationUpdateItemParam / ...UpdateItem)
CONFIG_UPDATE: dict[str, Any] = {"type": "configuration_update", "reasoning": {"effort": "low"}}
CONFIG_UPDATE_LISTED: dict[str, Any] = {
    "type": "configuration_update",
    "id": "cnfu_1",
    "reasoning": {"effort": "high"},
    "text": None,
}


def test_configuration_update_input_model_matches_the_sdk() -> None:
    from openai.types.responses import ResponseConfigurationUpdateItemParam as SdkParam

    sdk = SdkParam.model_validate(CONFIG_UPDATE).model_dump(exclude_unset=True)
    ours = inputs.InputItemAdapter.validate_python(CONFIG_UPDATE)
    assert type(ours).__name__ == "ConfigurationUpdateItemParam"
    assert ours.to_dict() == sdk == CONFIG_UPDATE
    text = {"type": "configuration_update", "text": {"format": {"type": "text"}}}
    assert inputs.InputItemAdapter.validate_python(text).to_dict() == text
    with pytest.raises(ValidationError):  # an effort the SDK does not know
        inputs.InputItemAdapter.validate_python(
            {"type": "configuration_update", "reasoning": {"effort": "extreme"}}
        )


@pytest.mark.parametrize("adapter", ["ConversationItemListAdapter", "ItemResourceListAdapter"])
def test_configuration_update_in_listings(adapter: str) -> None:
    from openai.types.conversations import ConversationItem
    from pydantic import TypeAdapter

    sdk = TypeAdapter(ConversationItem).validate_python(CONFIG_UPDATE_LISTED)
    assert type(sdk).__name__ == "ResponseConfigurationUpdateItem"
    [item] = getattr(outputs, adapter).validate_python([CONFIG_UPDATE_LISTED])
    assert type(item).__name__ == "ConfigurationUpdateItem"
    assert item.to_dict() == sdk.model_dump(exclude_unset=True) == CONFIG_UPDATE_LISTED


def test_configuration_update_is_caller_written() -> None:
    from responses_replay import Chain, History

    history = History()
    history.user("Think harder from now on.")
    history.add(CONFIG_UPDATE)
    history.user(
        "And now?"
    )  # two updates in a row are refused (api-errors.md; tests/test_replay_rules.py)
    history.add(inputs.ConfigurationUpdateItemParam.model_validate(CONFIG_UPDATE))
    body = history.body(model="gpt-5")
    assert body["input"][1] == body["input"][3] == CONFIG_UPDATE
    chain = Chain(previous_response_id="resp_1")
    chain.add(CONFIG_UPDATE)
    assert chain.body(model="gpt-5")["input"] == [CONFIG_UPDATE]


def test_output_item_missing_a_field_the_spec_requires_parses_without_it() -> None:
    """A late-2025 `shell_call` without `environment` (overlay `looser`, issue 10): parsed, the
    field stays absent (never invented), and the conversion sends it without one."""
    from openai.types.responses import ResponseFunctionShellToolCall

    from responses_replay import to_input

    item = {
        "type": "shell_call",
        "id": "sh_1",
        "call_id": "call_1",
        "action": {"commands": ["ls -la"], "timeout_ms": 1000, "max_output_length": 4096},
        "status": "completed",
    }
    ResponseFunctionShellToolCall.model_validate(item)  # the SDK takes it as the API sends it
    parsed = outputs.OutputItemAdapter.validate_python(item)
    assert type(parsed).__name__ == "FunctionShellCall"
    assert parsed.to_dict() == item
    assert "environment" not in parsed.to_dict()
    sent = to_input(parsed).to_dict()
    assert "environment" not in sent
    assert sent["call_id"] == "call_1"
    assert sent["action"] == item["action"]


def test_compaction_window_parses() -> None:
    """`object: response.compaction`: the window's user message (input_text parts) and its
    `compaction` item parse (shape as recorded from POST /v1/responses/compact)."""
    body = {
        "id": "resp_1",
        "object": "response.compaction",
        "output": [
            {
                "id": "msg_1",
                "type": "message",
                "status": "completed",
                "role": "user",
                "content": [{"type": "input_text", "text": "Build a landing page."}],
            },
            {"id": "cmp_1", "type": "compaction", "encrypted_content": "gAAAA..."},
        ],
    }
    parsed = parse_response(body)
    assert [type(i).__name__ for i in parsed] == ["Message", "CompactionBody"]
    assert [i.to_dict() for i in parsed] == body["output"]
    with pytest.raises(InputError, match="output"):  # the same window as a plain response
        parse_response({**body, "object": "response"})
