"""The same mistakes as tests/typing at run time, and what callers may write (no false refusals)."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
from openai.types.responses import ResponseFunctionToolCall, ResponseOutputMessage
from pydantic import ValidationError

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
from responses_replay._generated import registry
from tests import corpus

REASONING = {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAA"}
CALL = {
    "type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "weather",
    "arguments": '{"city": "Paris"}', "status": "completed",
}  # fmt: skip
MESSAGE = {
    "type": "message", "id": "msg_1", "role": "assistant", "status": "completed",
    "content": [{"type": "output_text", "text": "Hi", "annotations": []}],
}  # fmt: skip
GENERATED = Path(__file__).resolve().parents[1] / "src" / "responses_replay" / "_generated"


def response(*items: dict[str, Any], **about: Any) -> dict[str, Any]:
    return {
        "id": "resp_1",
        "object": "response",
        "status": "completed",
        **about,
        "output": list(items),
    }


# -- a turn comes whole -------------------------------------------------------------------------


def test_a_turn_is_not_built_from_dicts_or_a_filtered_list() -> None:
    with pytest.raises(InputError, match="whole response"):
        Turn([REASONING, CALL])  # type: ignore[arg-type]
    with pytest.raises(InputError, match="parse_response"):
        Turn.from_items([CALL])  # type: ignore[arg-type]
    parsed = parse_response(response(REASONING, MESSAGE, status="incomplete"))
    turn = Turn.from_items(parsed)
    assert (turn.response_id, turn.status, len(turn)) == ("resp_1", "incomplete", 2)
    with pytest.raises(InputError, match="filtered"):  # R5: the message would keep its id
        Turn.from_items([x for x in parsed if x.type != "reasoning"])  # type: ignore[arg-type]
    parsed.pop(0)
    with pytest.raises(InputError, match="filtered"):
        Turn.from_items(parsed)


@pytest.mark.corpus
@pytest.mark.skipif(not corpus.available(), reason="../shared/corpus is absent")
def test_recorded_listings_become_turns_oldest_first() -> None:
    """Listings are newest first unless asked otherwise (the API's default order is `desc`)."""
    seen = 0
    for it in corpus.interactions():
        body = (it.data.get("response") or {}).get("body")
        url = str((it.data.get("request") or {}).get("url"))
        if not it.real or not isinstance(body, dict) or not isinstance(body.get("data"), list):
            continue
        if not (
            it.endpoint == "responses.input_items" or it.endpoint.startswith("conversations.items")
        ):
            continue
        if body.get("has_more"):
            with pytest.raises(InputError, match="has_more"):
                Turn.from_listing(body, order="desc", unknown="pass")
            continue
        order = "asc" if "order=asc" in url else "desc"
        turn = Turn.from_listing(json.dumps(body).encode(), order=order, unknown="pass")
        texts = [json.dumps(i.get("content")) for i in turn.to_input()]
        recorded = [json.dumps(to_input(d, unknown="pass").to_dict().get("content"))  # type: ignore[union-attr]
                    for d in body["data"]]  # fmt: skip
        assert texts == (recorded if order == "asc" else recorded[::-1])
        seen += 1
    assert seen > 0


def test_a_listing_is_whole_and_ordered() -> None:
    user = {"type": "message", "id": "msg_0", "role": "user", "status": "completed",
            "content": [{"type": "input_text", "text": "Weather?"}]}  # fmt: skip
    answer = {"type": "function_call_output", "id": "fco_1", "call_id": "call_1", "output": "18C"}
    oldest_first = [user, CALL, answer]
    page = {"object": "list", "data": oldest_first[::-1], "has_more": False}
    turn = Turn.from_listing(page, order="desc")
    assert [i["type"] for i in turn.to_input()] == [
        "message",
        "function_call",
        "function_call_output",
    ]
    assert turn.calls() == []  # the listing answers its own call
    asc = Turn.from_listing(dict(page, data=oldest_first), order="asc")
    assert asc.to_input() == turn.to_input()
    with pytest.raises(InputError, match="has_more"):
        Turn.from_listing(dict(page, has_more=True), order="desc")
    with pytest.raises(InputError, match="data"):
        Turn.from_listing(response(CALL), order="desc")
    with pytest.raises(InputError, match="order"):
        Turn.from_listing(page, order="newest")  # type: ignore[arg-type]


# -- request parameters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "rule"),
    [("input", "R2"), ("store", "R3"), ("previous_response_id", "R2"), ("conversation", "R2")],
)
def test_history_refuses_the_parameters_it_owns(key: str, rule: str) -> None:
    history = History(store=False)
    history.user("hi")
    with pytest.raises(ReplayError) as exc:
        history.request(model="gpt-5", **{key: "x"})  # type: ignore[misc]
    assert (exc.value.rule, exc.value.where) == (rule, key)


def test_unknown_parameters_are_named_and_known_ones_kept() -> None:
    history = History(store=False)
    history.user("hi")
    with pytest.raises(InputError, match="temprature"):
        history.body(model="gpt-5", temprature=0.2)  # type: ignore[call-arg]
    body = history.body(model="gpt-5", max_output_tokens=50, include=["file_search_call.results"])
    assert body["max_output_tokens"] == 50
    assert body["include"] == ["file_search_call.results", "reasoning.encrypted_content"]
    chain = Chain()
    chain.user("hi")
    with pytest.raises(ReplayError, match="Chain"):
        chain.body(model="gpt-5", conversation="conv_1")  # type: ignore[call-arg]
    with pytest.raises(ReplayError) as exc:
        chain.body(model="gpt-5", input=[])  # type: ignore[call-arg]
    assert exc.value.rule == "R2"


# -- tool outputs and content -------------------------------------------------------------------


def test_tool_output_payload_mistakes_are_named() -> None:
    call = outputs.FunctionToolCall.model_validate(CALL)
    with pytest.raises(InputError, match="outptu"):
        tool_output(call, outptu="18C")  # type: ignore[call-overload]
    with pytest.raises(InputError, match="output"):
        tool_output(call, output={"temp": 18})  # type: ignore[call-overload]
    with pytest.raises(ReplayError) as exc:
        tool_output(call, call_id="call_2", output="x")  # type: ignore[call-overload]
    assert exc.value.rule == "R6"


def test_sdk_objects_convert_and_get_outputs() -> None:
    sdk = ResponseFunctionToolCall.model_validate(CALL)
    assert tool_output(sdk, output="18C").to_dict() == {
        "type": "function_call_output", "call_id": "call_1", "output": "18C",
    }  # fmt: skip
    assert isinstance(to_input(sdk), inputs.FunctionToolCall)
    assert to_input(ResponseOutputMessage.model_validate(MESSAGE)).to_dict()["id"] == "msg_1"


def test_user_content_parts_are_validated() -> None:
    history = History(store=False)
    history.user([{"type": "input_text", "text": "hi"}])
    with pytest.raises(InputError, match=r"user\(\)"):
        history.user([{"type": "input_txt", "text": "hi"}])  # type: ignore[list-item]


# -- modes and references -----------------------------------------------------------------------


def test_item_references_only_where_the_server_keeps_items() -> None:
    ref = inputs.ItemReferenceParam(id="msg_1")
    stored = History(store=True)
    stored.add(ref)
    assert stored.body(model="gpt-5")["input"] == [{"id": "msg_1"}]
    for history in (History(store=False), History(store=True, self_contained=True)):
        with pytest.raises(ReplayError) as exc:
            history.add(ref)  # type: ignore[arg-type]
        assert exc.value.rule == "R3"
    with pytest.raises(ReplayError) as exc:
        Chain(conversation="conv_1").add(ref)  # type: ignore[arg-type]
    assert exc.value.rule == "R2"


# -- no false refusals --------------------------------------------------------------------------


def test_caller_written_assistant_messages_are_accepted_without_an_id() -> None:
    history = History(store=False)
    history.user("What is 2+2?")
    history.add(inputs.EasyInputMessage(role="assistant", content="4"))
    history.add({"role": "assistant", "content": "Anything else?"})  # type: ignore[arg-type]
    assert [i.get("role") for i in history.body(model="gpt-5")["input"]] == [
        "user",
        "assistant",
        "assistant",
    ]
    assert to_input({"role": "assistant", "content": "4"}).to_dict() == {
        "role": "assistant",
        "content": "4",
    }
    with pytest.raises(ReplayError) as exc:  # a server message keeps its turn (R4, R5)
        history.add(MESSAGE)  # type: ignore[arg-type]
    assert exc.value.rule == "R4"


def test_input_message_with_status_is_accepted() -> None:
    message = inputs.InputMessage(
        role="user",
        content=[inputs.InputTextContent(type="input_text", text="hi")],
        status="completed",
    )
    history = History(store=False)
    history.add(message)
    assert history.body(model="gpt-5")["input"][0]["status"] == "completed"


def test_r7_refuses_only_calls_the_overlay_says_must_be_answered() -> None:
    approval = {"type": "mcp_approval_request", "id": "mcpr_1", "name": "t", "server_label": "s",
                "arguments": "{}"}  # fmt: skip
    history = History(store=False)
    history.user("hi")
    history.add_response(response(approval))
    assert "mcp_approval_request" not in registry.MUST_ANSWER
    history.user("never mind")
    history.body(model="gpt-5")  # the checker's warning, not an error
    custom = {
        "type": "custom_tool_call",
        "id": "ctc_1",
        "call_id": "call_9",
        "name": "t",
        "input": "x",
    }
    history.add_response(response(custom))
    with pytest.raises(ReplayError) as exc:
        history.body(model="gpt-5")
    assert exc.value.rule == "R7"
    assert "No tool output found for custom tool call call_9." in str(exc.value)  # api-errors R7


def test_calls_are_only_the_pending_ones() -> None:
    """Recorded segment (api-errors): reasoning > tool_search_call > tool_search_output > function_call."""
    search = {"type": "tool_search_call", "id": "tsc_1", "call_id": "call_s", "execution": "server",
              "arguments": {}, "status": "completed"}  # fmt: skip
    found = {"type": "tool_search_output", "id": "tso_1", "call_id": "call_s", "execution": "server",
             "tools": [], "status": "completed"}  # fmt: skip
    turn = Turn.from_response(response(REASONING, search, found, CALL))
    assert [c.call_id for c in turn.calls()] == ["call_1"]
    assert [c.call_id for c in turn.function_calls()] == ["call_1"]


@pytest.mark.parametrize(
    "item",
    [
        {
            "type": "mcp_approval_request",
            "id": "mcpr_1",
            "name": "t",
            "server_label": "s",
            "arguments": "{}",
        },
        {"type": "program", "id": "prg_1", "call_id": "call_p", "code": "x", "fingerprint": "f"},
        {
            "type": "program_output",
            "id": "prgo_1",
            "call_id": "call_p",
            "result": "r",
            "status": "completed",
        },
    ],
)
def test_without_ids_keeps_the_ids_the_models_require(item: dict[str, Any]) -> None:
    turn = Turn.from_response(response(REASONING, item))
    try:
        stripped = turn.without_ids().to_input()
    except ValidationError as exc:  # pragma: no cover - the failure this test guards against
        pytest.fail(f"raw ValidationError: {exc}")
    assert "id" not in stripped[0]
    assert stripped[1]["id"] == item["id"]


def test_without_ids_strips_a_local_shell_output_id_and_keeps_its_call_id() -> None:
    # the binding key is call_id (openai-agents-python PR 1855); the item's own id may go
    item = {"type": "local_shell_call_output", "id": "lsho_1", "call_id": "call_l", "output": "ok"}
    stripped = Turn.from_response(response(REASONING, item)).without_ids().to_input()
    assert stripped[1] == {"type": "local_shell_call_output", "call_id": "call_l", "output": "ok"}


def test_generated_code_imports_only_the_stable_base() -> None:
    """Issue 12: nothing generated imports the runtime (no cycle through _convert), and the base
    it may import imports only the base itself."""
    allowed = {"responses_replay._base", "responses_replay._unknown", "responses_replay._lazy",
               "responses_replay._discriminators", "responses_replay._gc", "responses_replay._kind"}  # fmt: skip
    base = [GENERATED.parent / f"{m.rsplit('.', 1)[1]}.py" for m in allowed]
    for path in [*GENERATED.rglob("*.py"), *base]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level == 0:
                module = node.module or ""
            elif path in base:  # `from ._gc import ...` in a base module
                module = f"responses_replay.{node.module}" if node.module else "responses_replay"
            else:
                continue
            if module.startswith("responses_replay") and not module.startswith(
                "responses_replay._generated"
            ):
                assert module in allowed, f"{path.name} imports {module}"


def test_a_parameter_only_a_newer_sdk_knows_goes_through(monkeypatch: pytest.MonkeyPatch) -> None:
    """The installed openai's `responses.create` learnt a parameter this library does not list:
    it is passed on (Chain and History alike); a typo still is not."""
    from responses_replay import _params

    monkeypatch.setattr(
        _params, "sdk_create_params", lambda: frozenset({"brand_new_param", "top_p"})
    )
    history = History(store=False)
    history.user("hi")
    assert history.body(model="gpt-5", brand_new_param=3)["brand_new_param"] == 3  # type: ignore[call-arg]
    chain = Chain()
    chain.user("hi")
    assert chain.request(model="gpt-5", brand_new_param=True)["brand_new_param"] is True  # type: ignore[call-arg,typeddict-item]
    with pytest.raises(InputError, match="brand_nw_param"):
        history.body(model="gpt-5", brand_nw_param=3)  # type: ignore[call-arg]
    with pytest.raises(ReplayError):  # what a builder sets itself stays refused
        history.body(model="gpt-5", store=True)  # type: ignore[call-arg]


def test_without_openai_only_the_listed_parameters_go_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    from responses_replay import _params

    _params.sdk_create_params.cache_clear()
    monkeypatch.setitem(sys.modules, "openai.resources.responses", None)
    try:
        assert _params.sdk_create_params() == frozenset()
        history = History(store=False)
        history.user("hi")
        with pytest.raises(InputError, match="brand_new_param"):
            history.body(model="gpt-5", brand_new_param=3)  # type: ignore[call-arg]
    finally:
        _params.sdk_create_params.cache_clear()
