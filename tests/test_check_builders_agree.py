"""The builders and the checker judge one body alike: same rule, same words, same severity.

Each situation is built through the builders (`History`, `Chain`) and checked with `check()`;
the expected words come from the generated registry (the overlay's `must_answer` entries) and
api-errors.md, never from a list written here.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st
from openai.types.responses import ResponseConfigurationUpdateItemParam

from responses_replay import Chain, History, InputError, ReplayError, Turn, check
from responses_replay._base import InputModel
from responses_replay._generated import registry
from tests.test_properties import strategy

KEY = "call_pending"


def _response(*items: dict[str, Any]) -> dict[str, Any]:
    return {"id": "resp_1", "object": "response", "status": "completed", "output": list(items)}


def _input(history: History[Any]) -> list[dict[str, Any]]:
    return [i.to_dict() if isinstance(i, InputModel) else dict(i) for i in history.items()]


def _with_a_pending_call(kind: str, data: st.DataObject) -> History[Any]:
    """A spec-valid output item of `kind` (drawn from the output schema) as the model's turn."""
    call = data.draw(strategy(kind))
    call[registry.CALLS[kind][1]] = KEY
    history = History(store=True)
    history.user("hi")
    try:
        history.add_response(_response(call))
    except (InputError, ReplayError):
        assume(False)  # an output value the input side refuses (R13): another draw
    return history


@pytest.mark.parametrize("kind", sorted(registry.CALLS))
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_an_unanswered_call_reads_the_same_both_ways(kind: str, data: st.DataObject) -> None:
    """R7, one wording per call type (api-errors.md: `No tool output found for custom tool call
    call_...`): the noun is the registry's, and refusal follows the registry's MUST_ANSWER."""
    history = _with_a_pending_call(kind, data)
    words = f"No tool output found for {registry.CALL_NOUN[kind]} {KEY}."
    (finding,) = [f for f in check({"model": "gpt-5", "store": True, "input": _input(history)})
                  if f.rule == "R7"]  # fmt: skip
    assert finding.message == words
    if kind in registry.MUST_ANSWER:
        assert finding.severity == "error"
        with pytest.raises(ReplayError) as refused:
            history.body(model="gpt-5")
        assert (refused.value.rule, refused.value.message) == ("R7", words)
    else:  # not proven refused: the checker warns, the builders let it through
        assert finding.severity == "warning"
        assert history.body(model="gpt-5")["input"] == _input(history)


@pytest.mark.parametrize("kind", sorted(registry.MUST_ANSWER))
@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_chain_names_the_server_side_call_alike(kind: str, data: st.DataObject) -> None:
    call = data.draw(strategy(kind))
    call[registry.CALLS[kind][1]] = KEY
    chain = Chain()
    try:
        chain.after(_response(call))
    except (InputError, ReplayError):
        assume(False)
    with pytest.raises(ReplayError) as refused:
        chain.body(model="gpt-5")
    words = f"No tool output found for {registry.CALL_NOUN[kind]} {KEY}."
    assert (refused.value.rule, refused.value.message) == ("R7", words)


def test_two_pending_calls_are_both_named() -> None:
    calls = [{"type": "function_call", "id": f"fc_{n}", "call_id": f"call_{n}", "name": "f",
              "arguments": "{}", "status": "completed"} for n in (1, 2)]  # fmt: skip
    history = History(store=True)
    history.user("hi")
    history.add_response(_response(*calls))
    with pytest.raises(ReplayError) as refused:
        history.body(model="gpt-5")
    assert refused.value.message == (
        "No tool output found for function call call_1. Also pending: call_2 (function_call)."
    )
    r7 = [f.message for f in check({"input": _input(history)}) if f.rule == "R7"]
    assert r7 == [
        "No tool output found for function call call_1.",
        "No tool output found for function call call_2.",
    ]


def _update(effort: str) -> dict[str, Any]:
    """A caller-written `configuration_update`, as the `openai` SDK types it."""
    item = ResponseConfigurationUpdateItemParam(
        type="configuration_update", reasoning={"effort": effort}
    )
    return item.model_dump(mode="json", exclude_none=True)


def _listed(*items: dict[str, Any]) -> History[Any]:
    """A History holding a conversation's item listing (where configuration_update comes back)."""
    history = History(store=True)
    history.add_turn(Turn.from_listing({"object": "list", "data": list(items)}, order="asc",
                                       unknown="pass"))  # fmt: skip
    return history


USER_ITEM = {"type": "message", "id": "msg_u", "role": "user",
             "content": [{"type": "input_text", "text": "hi"}]}  # fmt: skip


def test_two_configuration_updates_in_a_row_are_refused_alike() -> None:
    """api-errors.md: "two in a row are refused" (no wording recorded: filed under R13)."""
    history = _listed(USER_ITEM, _update("low"), _update("high"))
    with pytest.raises(ReplayError) as refused:
        history.body(model="gpt-5")
    found = {(f.rule, f.path, f.message) for f in check({"input": _input(history)})}
    assert (refused.value.rule, refused.value.where, refused.value.message) in found
    assert (refused.value.rule, refused.value.where) == ("R13", "input[2]")


def test_configuration_updates_apart_are_let_through_alike() -> None:
    history = _listed(_update("low"), USER_ITEM, _update("high"))
    body = history.body(model="gpt-5")
    assert not [f for f in check(body) if "in a row" in f.message]


def test_stateless_reasoning_without_its_content_is_r3_both_ways() -> None:
    """api-errors.md R3: under store=false reasoning is sent whole, with `encrypted_content`,
    requested via include=["reasoning.encrypted_content"]."""
    reasoning = {"type": "reasoning", "id": "rs_1", "summary": []}
    message = {"type": "message", "id": "msg_1", "role": "assistant", "status": "completed",
               "content": [{"type": "output_text", "text": "Hi", "annotations": []}]}  # fmt: skip
    turn = Turn.from_response(_response(reasoning, message))
    with pytest.raises(ReplayError) as refused:
        turn.without_ids()
    assert refused.value.rule == "R3"
    assert refused.value.message.endswith("include=['reasoning.encrypted_content'].")
    stripped = [{k: v for k, v in i.items() if k != "id"} for i in (reasoning, message)]
    body = {"store": False, "include": ["reasoning.encrypted_content"],
            "input": [{"role": "user", "content": "hi"}, *stripped]}  # fmt: skip
    (finding,) = [f for f in check(body) if f.rule == "R3"]
    assert (finding.path, finding.severity) == ("input[1]", "error")
    assert "has no encrypted_content" in finding.message
    assert "has no encrypted_content" in refused.value.message
