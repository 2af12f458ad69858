"""What the builders refuse at the call that went wrong, not a request later (found by a new-user
trial): an output for a call nobody made (R6), an empty chaining id, a response without an id to
chain on, and `extra_body` keys that would replace what the builder wrote.

Each body refused here is one the checker refuses too (or one that loses the chain silently).
"""

from __future__ import annotations

from typing import Any

import pytest

from responses_replay import Chain, History, InputError, ReplayError, Turn, check, inputs
from responses_replay.state import StateError

RESPONSE: dict[str, Any] = {
    "id": "resp_1",
    "object": "response",
    "status": "completed",
    "store": True,
    "output": [
        {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "f",
         "arguments": "{}", "status": "completed"},
    ],
}  # fmt: skip


def _output(call_id: str) -> inputs.FunctionCallOutputItemParam:
    return inputs.FunctionCallOutputItemParam(
        type="function_call_output", call_id=call_id, output="1"
    )


@pytest.mark.parametrize("store", [False, True])
def test_history_refuses_an_output_for_a_call_it_does_not_hold(store: bool) -> None:
    history = History(store=store)
    history.user("x")
    with pytest.raises(ReplayError, match=r"R6.*No tool call found for function call output "
                       r"with call_id call_nope\."):  # fmt: skip
        history.add(_output("call_nope"))
    # nothing was added: the body stays one the checker and a restore accept
    assert [f for f in check(history.body(model="m")) if f.severity == "error"] == []
    History.from_json(history.to_json())


def test_what_history_used_to_accept_is_what_check_and_restore_refuse() -> None:
    # the oracles: a body with that output is R6 for the checker, and its saved state is refused
    body = {"model": "m", "store": False,
            "input": [{"role": "user", "content": "x"}, _output("call_nope").to_dict()]}  # fmt: skip
    assert [f.rule for f in check(body) if f.severity == "error"] == ["R6"]
    state = History(store=False).to_state()
    state["entries"] = [{"item": {"role": "user", "content": "x"}},
                        {"item": _output("call_nope").to_dict()}]  # fmt: skip
    with pytest.raises(StateError, match="R6"):
        History.from_state(state)


def test_history_takes_outputs_for_its_calls_added_with_them_or_before() -> None:
    history = History(store=False)
    history.user("x")
    turn = history.add_response(RESPONSE)
    history.add(_output(turn.function_calls()[0].call_id))
    assert [f for f in check(history.body(model="m")) if f.severity == "error"] == []


def test_history_add_is_all_or_nothing() -> None:
    history = History(store=False)
    history.add_response(RESPONSE)
    with pytest.raises(ReplayError, match="R6"):
        history.add(_output("call_1"), _output("call_nope"))
    assert history.pending() == {"call_1": "function_call"}  # the first was not kept either


def test_history_with_a_reference_proves_nothing() -> None:
    history = History(store=True)
    history.add(inputs.ItemReferenceParam(type="item_reference", id="fc_9"))  # may be the call
    history.add(_output("call_9"))
    assert len(history.items()) == 2


def test_chain_without_an_anchor_refuses_any_output() -> None:
    chain = Chain()
    with pytest.raises(ReplayError, match=r"R6.*no previous_response_id or conversation"):
        chain.add(_output("call_1"))
    assert [f.rule for f in check({"model": "m", "input": [_output("call_1").to_dict()]})] == ["R6"]


def test_chain_after_a_response_refuses_an_output_for_another_call() -> None:
    chain = Chain()
    chain.after(RESPONSE)
    with pytest.raises(ReplayError, match=r"R6.*call_2.*pending: call_1"):
        chain.add(_output("call_2"))
    chain.add(_output("call_1"))
    assert chain.request(model="m")["previous_response_id"] == "resp_1"


def test_chain_on_an_id_it_did_not_see_takes_any_output() -> None:
    # the server holds calls this chain never saw: nothing to prove here
    chain = Chain(previous_response_id="resp_0")
    chain.add(_output("call_0"))
    restored = Chain.from_json(chain.to_json())
    restored.add(_output("call_00"))


@pytest.mark.parametrize(
    "anchor",
    [{"previous_response_id": ""}, {"conversation": ""}, {"previous_response_id": "  "},
     {"previous_response_id": 42}, {"conversation": None, "previous_response_id": "\n"}],
)  # fmt: skip
def test_an_empty_or_non_string_chaining_id_is_refused(anchor: dict[str, Any]) -> None:
    # was: silently a fresh, unchained request (an unset environment variable loses the context)
    with pytest.raises(InputError, match="not an id the server gave"):
        Chain(**anchor)


def test_chain_after_a_response_without_an_id_is_refused() -> None:
    # was: the chaining silently kept the old anchor (or none), and check found R6 later
    chain = Chain()
    no_id = {k: v for k, v in RESPONSE.items() if k != "id"}
    with pytest.raises(InputError, match="no `id` to chain"):
        chain.after(no_id)
    on_conversation = Chain(conversation="conv_1")
    assert isinstance(on_conversation.after(no_id), Turn)  # the conversation is the anchor


@pytest.mark.parametrize(
    ("key", "error", "rule"),
    [("input", ReplayError, "R2"), ("store", ReplayError, "R3"),
     ("previous_response_id", ReplayError, "R2"), ("conversation", ReplayError, "R2"),
     ("include", ReplayError, "R3"), ("model", InputError, None)],
)  # fmt: skip
def test_extra_body_cannot_replace_what_the_builder_wrote(
    key: str, error: type[Exception], rule: str | None
) -> None:
    # the SDK merges extra_body over the JSON body: {"input": []} would send an empty history
    history = History(store=False)
    history.user("x")
    with pytest.raises(error, match=rf"extra_body\.{key}") as info:
        history.request(model="m", extra_body={key: "x"})
    if rule is not None:
        assert isinstance(info.value, ReplayError)
        assert info.value.rule == rule
    chain = Chain()
    chain.user("x")
    with pytest.raises(error, match=rf"extra_body\.{key}"):
        chain.request(model="m", extra_body={key: "x"})


def test_extra_body_keeps_what_the_builder_does_not_own() -> None:
    history = History(store=False)
    history.user("x")
    sent = history.request(model="m", extra_body={"brand_new_param": 1})
    assert sent.get("extra_body") == {"brand_new_param": 1}


def test_a_store_false_turn_in_a_stored_history_goes_without_its_ids() -> None:
    # the server kept none of its items: their ids would be looked up in vain (R3)
    made = {**RESPONSE, "store": False, "output": [
        {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAA"},
        *RESPONSE["output"]]}  # fmt: skip
    history = History(store=True)
    history.user("x")
    turn = history.add_response(made)
    history.add(_output(turn.function_calls()[0].call_id))
    sent = history.body(model="m")["input"]
    assert [it.get("id") for it in sent[1:3]] == [None, None]
    assert sent[1]["encrypted_content"] == "gAAA"
    no_encrypted = {**made, "output": [{"type": "reasoning", "id": "rs_1", "summary": []},
                                       *RESPONSE["output"]]}  # fmt: skip
    with pytest.raises(ReplayError, match="R3"):
        History(store=True).add_response(no_encrypted)
    kept = History(store=True)
    stored = kept.add_response(RESPONSE)  # made with store=true: ids kept
    kept.add(_output(stored.function_calls()[0].call_id))
    assert kept.body(model="m")["input"][0]["id"] == "fc_1"


def test_chain_pending_is_what_the_last_response_left_unanswered() -> None:
    chain = Chain()
    assert chain.pending() == {}
    chain.after(RESPONSE)
    assert chain.pending() == Turn.from_response(RESPONSE).pending() == {"call_1": "function_call"}
    chain.add(_output("call_1"))
    assert chain.pending() == {}


def test_store_on_a_chain_is_refused_as_r14() -> None:
    # "store is the History's mode" told a Chain user nothing
    chain = Chain(previous_response_id="resp_1")
    with pytest.raises(ReplayError, match=r"R14.*cannot be; keep the history client-side"):
        chain.request(model="m", store=False)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("response", "said"),
    [([RESPONSE["output"][0]], r"got an array \(a list of items\? pass the whole response\)"),
     ({"id": "resp_1"}, "this one has none"), ({"output": {}}, "this one has an object")],
)  # fmt: skip
def test_add_response_says_what_it_got(response: Any, said: str) -> None:
    with pytest.raises(InputError, match=said):
        History(store=False).add_response(response)


def test_repair_and_check_name_a_non_object_body_alike() -> None:
    from responses_replay import repair

    for body in ([], "[1]", b"3"):
        with pytest.raises(InputError) as checked:
            check(body)
        with pytest.raises(InputError) as repaired:
            repair(body)
        assert str(repaired.value) == str(checked.value)


def test_a_listing_has_more_is_a_boolean() -> None:
    with pytest.raises(InputError, match="`has_more` must be true or false, got 'no'"):
        Turn.from_listing({"data": [], "has_more": "no"}, order="asc")


def test_a_listed_user_message_is_replayed_without_its_record_id() -> None:
    # older conversation listings name a user message `item_...`: the API wants `msg` (R11)
    page = {"object": "list", "has_more": False, "data": [
        {"type": "message", "id": "item_67d4", "role": "user", "status": "completed",
         "content": [{"type": "input_text", "text": "hi"}]}]}  # fmt: skip
    sent = Turn.from_listing(page, order="asc").to_input()
    assert "id" not in sent[0]
    assert [f for f in check({"model": "m", "input": sent}) if f.severity == "error"] == []
