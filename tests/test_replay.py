"""Converters, turns and the three modes: every rule the builders enforce, with its correct twin."""

from __future__ import annotations

import json
from typing import Any

import pytest

from responses_replay import (
    Chain,
    History,
    InputError,
    ReplayError,
    Turn,
    inputs,
    outputs,
    parse_response,
    to_input,
    tool_output,
)

REASONING = {
    "type": "reasoning",
    "id": "rs_1",
    "summary": [],
    "encrypted_content": "gAAA",
    "status": None,
}
CALL = {
    "type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "weather",
    "arguments": '{"city": "Paris"}', "status": "completed",
}  # fmt: skip
MESSAGE = {
    "type": "message", "id": "msg_1", "role": "assistant", "status": "completed", "phase": "final_answer",
    "content": [{"type": "output_text", "text": "Hi", "annotations": [], "logprobs": []}],
}  # fmt: skip


def response(*items: dict[str, Any], status: str = "completed") -> dict[str, Any]:
    return {"id": "resp_1", "object": "response", "status": status, "output": list(items)}


def test_to_input_drops_output_only_fields_and_nulls() -> None:
    out = to_input(outputs.ReasoningItem.model_validate(REASONING))
    assert isinstance(out, inputs.ReasoningItem)
    assert out.to_dict() == {
        "type": "reasoning",
        "id": "rs_1",
        "summary": [],
        "encrypted_content": "gAAA",
    }


def test_to_input_accepts_dicts_and_sdk_objects() -> None:
    from openai.types.responses import ResponseFunctionToolCall

    sdk = ResponseFunctionToolCall.model_validate(CALL)
    assert to_input(sdk).to_dict() == to_input(CALL).to_dict() == CALL


def test_to_input_model_dump_of_sdk_item_is_repaired() -> None:
    """R1: model_dump() of an SDK item writes status/encrypted_content None; conversion drops them."""
    from openai.types.responses import ResponseReasoningItem

    dumped = ResponseReasoningItem.model_validate(
        {"type": "reasoning", "id": "rs_9", "summary": []}
    ).model_dump()
    assert dumped["status"] is None
    assert dumped["encrypted_content"] is None
    assert to_input(dumped).to_dict() == {"type": "reasoning", "id": "rs_9", "summary": []}


def test_nested_created_by_is_dropped() -> None:
    item = {
        "type": "shell_call_output", "id": "sh_1", "call_id": "c1", "status": "completed", "created_by": "x",
        "max_output_length": None,
        "output": [{"stdout": "a", "stderr": "", "outcome": {"type": "exit", "exit_code": 0}, "created_by": "y"}],
    }  # fmt: skip
    sent = to_input(item).to_dict()
    assert "created_by" not in sent
    assert "created_by" not in sent["output"][0]
    assert sent["output"][0]["stdout"] == "a"


def test_refused_values_follow_the_overlay_decision() -> None:
    drop = to_input({"type": "computer_call_output", "id": "cuo_1", "call_id": "c", "status": "failed",
                     "output": {"type": "computer_screenshot", "image_url": "data:image/png;base64,AA"}})  # fmt: skip
    assert "status" not in drop.to_dict()
    with pytest.raises(ReplayError) as exc:
        to_input({"type": "additional_tools", "id": "at_1", "role": "user", "tools": []})
    assert exc.value.rule == "R13"
    assert "role" in exc.value.where


def test_unknown_type_is_never_guessed() -> None:
    item = {"type": "hologram_call", "id": "hg_1", "beam": 3}
    with pytest.raises(ReplayError, match="hologram_call"):
        to_input(item)
    assert to_input(item, unknown="pass") == item
    parsed = parse_response(response(item, MESSAGE))
    assert isinstance(parsed[0], outputs.UnknownItem)
    assert parsed[0].to_dict() == item


def test_broken_json_names_the_problem() -> None:
    with pytest.raises(InputError, match="not valid JSON"):
        parse_response(b'{"output": [')
    with pytest.raises(InputError, match=r"output\[0\]"):
        parse_response({"output": [{"type": "function_call", "name": 3}]})


def test_turn_keeps_order_and_strips_ids_together() -> None:
    turn = Turn.from_response(response(REASONING, CALL))
    assert [i["type"] for i in turn.to_input()] == ["reasoning", "function_call"]
    stripped = turn.without_ids().to_input()
    assert all("id" not in i for i in stripped)
    hosted = {
        "type": "web_search_call",
        "id": "ws_1",
        "status": "completed",
        "action": {"type": "search", "query": "q"},
    }
    assert (
        Turn.from_response(response(REASONING, hosted, MESSAGE)).without_ids().to_input()[1]["id"]
        == "ws_1"
    )


def test_strip_ids_requires_encrypted_content() -> None:
    plain = dict(REASONING, encrypted_content=None)
    with pytest.raises(ReplayError) as exc:
        Turn.from_response(response(plain, CALL)).without_ids()
    assert exc.value.rule == "R3"


def test_incomplete_response_ending_in_reasoning() -> None:
    cut = response(MESSAGE, REASONING, status="incomplete")
    with pytest.raises(ReplayError) as exc:
        Turn.from_response(cut)
    assert exc.value.rule == "R4"
    turn = Turn.from_response(cut, incomplete="drop_trailing_reasoning")
    assert [i["type"] for i in turn.to_input()] == ["message"]
    assert turn.incomplete


def test_tool_output_copies_call_id() -> None:
    out = tool_output(outputs.FunctionToolCall.model_validate(CALL), output="18C")
    assert out.to_dict() == {"type": "function_call_output", "call_id": "call_1", "output": "18C"}
    with pytest.raises(ReplayError):
        tool_output(outputs.FunctionToolCall.model_validate(CALL), call_id="fc_1", output="x")


def test_history_stateless_builds_a_valid_request() -> None:
    h = History(store=False)
    h.user("Weather in Paris?")
    turn = h.add_response(response(REASONING, CALL))
    with pytest.raises(ReplayError) as exc:
        h.body(model="gpt-5")
    assert exc.value.rule == "R7"
    assert "call_1" in str(exc.value)
    h.add(tool_output(turn.function_calls()[0], output="18C"))
    body = h.body(model="gpt-5")
    assert body["include"] == ["reasoning.encrypted_content"]
    assert body["store"] is False
    assert [i.get("type", "message") for i in body["input"]] == [
        "message", "reasoning", "function_call", "function_call_output",
    ]  # fmt: skip
    json.dumps(body)


def test_history_refuses_bare_reasoning_and_reasoning_without_content() -> None:
    h = History(store=False)
    with pytest.raises(ReplayError) as exc:
        h.add(to_input(REASONING))  # type: ignore[arg-type]
    assert exc.value.rule == "R4"
    with pytest.raises(ReplayError) as exc:
        h.add_response(response(dict(REASONING, encrypted_content=None), MESSAGE))
    assert exc.value.rule == "R3"


def test_chain_is_delta_only() -> None:
    with pytest.raises(ReplayError) as exc:
        Chain(previous_response_id="resp_0", conversation="conv_1")
    assert exc.value.rule == "R8"
    chain = Chain(conversation="conv_1")
    turn = chain.after(response(REASONING, CALL))
    with pytest.raises(ReplayError) as exc:
        chain.add(turn.items[1])  # type: ignore[arg-type]
    assert exc.value.rule == "R2"
    with pytest.raises(ReplayError) as exc:
        chain.add(CALL)  # type: ignore[arg-type]
    assert exc.value.rule == "R2"
    chain.add(tool_output(turn.function_calls()[0], output="ok"))
    body = chain.body(model="gpt-5")
    assert body == {
        "model": "gpt-5", "conversation": "conv_1",
        "input": [{"type": "function_call_output", "call_id": "call_1", "output": "ok"}],
    }  # fmt: skip


def test_chain_previous_response_id_follows_responses() -> None:
    chain = Chain()
    chain.after(response(MESSAGE))
    chain.user("and tomorrow?")
    assert chain.body(model="m")["previous_response_id"] == "resp_1"


def test_nested_unknown_null_is_dropped_but_unknown_data_is_reported() -> None:
    part = {"type": "output_text", "text": "x", "annotations": [], "refusal": None}
    sent = to_input(dict(MESSAGE, content=[part])).to_dict()
    assert sent["content"][0] == {"type": "output_text", "text": "x", "annotations": []}
    with pytest.raises(ReplayError, match=r"content\[0\]\.color"):
        to_input(dict(MESSAGE, content=[dict(part, refusal=None, color="red")]))


def test_web_search_sources_keep_keys_the_spec_lacks() -> None:
    action = {"type": "search", "query": "q", "sources": [{"type": "api", "name": "oai-weather"}]}
    item = {"type": "web_search_call", "id": "ws_1", "status": "completed", "action": action}
    assert to_input(item).to_dict()["action"]["sources"] == [{"type": "api", "name": "oai-weather"}]


# Evidence: the OpenAI shell tool guide (quoted in https://github.com/ag2ai/ag2/issues/2229):
# "max_output_length: Used to truncate the output when it's too large. Developer needs to pass it
# back with the raw output in shell_call_output, and does not need to do the actual truncation."
# The Agents SDK does so (openai/openai-agents-python PR #2299: "include the resolved
# max_output_length in raw_item").
def test_tool_output_for_a_shell_call_carries_max_output_length() -> None:
    call = {"type": "shell_call", "id": "sh_1", "call_id": "call_s", "status": "completed",
            "action": {"commands": ["ls -R /"], "max_output_length": 4096, "timeout_ms": None}}  # fmt: skip
    (parsed,) = Turn.from_response({"output": [call]}).calls()
    chunk = {"stdout": "a\n", "stderr": "", "outcome": {"type": "exit", "exit_code": 0}}
    sent = tool_output(parsed, output=[chunk]).model_dump(mode="json", exclude_none=True,
                                                          by_alias=True)  # fmt: skip
    assert sent.get("max_output_length") == 4096
    # an Output model alike; the caller's own value wins; a call without a limit gets none
    model = outputs.FunctionShellCall.model_validate(call)
    assert tool_output(model, output=[chunk]).to_dict()["max_output_length"] == 4096
    assert (
        tool_output(parsed, output=[chunk], max_output_length=100).to_dict()["max_output_length"]
        == 100
    )
    bare = outputs.FunctionShellCall.model_validate(
        {**call, "action": {"commands": ["ls"], "timeout_ms": None, "max_output_length": None}}
    )
    assert "max_output_length" not in tool_output(bare, output=[chunk]).to_dict()
