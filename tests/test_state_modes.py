"""Saved state in every mode: self-contained, stored turns, store=false anchors (R14), compaction."""

from __future__ import annotations

import json
from typing import Any

import pytest

from responses_replay import Chain, History, ReplayError, Turn, tool_output
from responses_replay.state import StateError
from tests.fixtures.state_v1 import MODEL, RESPONSES, synthetic_history


def _bytes(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


def _stored(response: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {**response, "store": True, **extra}


def _ids(body: dict[str, Any]) -> list[str]:
    return [i["id"] for i in body["input"] if "id" in i]


def _self_contained() -> History[bool]:
    history: History[bool] = History(store=True, self_contained=True)
    history.user("What is the weather in Paris and Oslo?")
    turn = history.add_response(_stored(RESPONSES[0]))
    history.add(*(tool_output(c, output="mild") for c in turn.function_calls()))
    return history


def test_a_restored_self_contained_history_still_strips_ids_and_asks_for_reasoning() -> None:
    """Issue 11's cure for "Item with id 'fc_...' not found" (R3) survives a save and restore."""
    history = _self_contained()
    restored = History.from_json(history.to_json())
    assert restored.self_contained is True
    assert _bytes(restored.body(model=MODEL)) == _bytes(history.body(model=MODEL))
    assert restored.body(model=MODEL)["include"] == ["reasoning.encrypted_content"]
    # a turn added after the restore is sent without its server ids, as before it
    for h in (history, restored):
        h.add_response(_stored(RESPONSES[1]))
    assert _bytes(restored.body(model=MODEL)) == _bytes(history.body(model=MODEL))
    assert not {"rs_02", "msg_03"} & set(_ids(restored.body(model=MODEL)))


def test_a_restored_turn_keeps_the_responses_store_and_why_it_stopped() -> None:
    """`store` and `incomplete_details.reason` of the response (R14, R4) are part of the turn."""
    cut = {**RESPONSES[1], "store": False, "status": "incomplete",
           "incomplete_details": {"reason": "max_output_tokens"}}  # fmt: skip
    history = History(store=False)
    history.user("Weather?")
    history.add_turn(Turn.from_response(cut))
    state = history.to_state()
    turn = state["entries"][1]["turn"]
    assert (turn["store"], turn["status"], turn["incomplete_reason"]) == (
        False,
        "incomplete",
        "max_output_tokens",
    )
    again = History.from_state(state)
    assert again.to_state() == state
    restored = again._entries[1]
    assert isinstance(restored, Turn)
    assert (restored.store, restored.incomplete, restored.incomplete_reason) == (
        False,
        True,
        "max_output_tokens",
    )


def test_a_restored_chain_on_a_store_false_response_still_refuses_to_chain() -> None:
    """R14: "Previous response with id 'resp_...' not found." is said before the request, after a
    restore too."""
    chain = Chain()
    chain.user("Weather?")
    chain.after({**RESPONSES[1], "store": False})
    with pytest.raises(ReplayError, match="Previous response with id 'resp_02' not found"):
        chain.body(model=MODEL)
    restored = Chain.from_json(chain.to_json())
    with pytest.raises(ReplayError, match="Previous response with id 'resp_02' not found") as err:
        restored.body(model=MODEL)
    assert err.value.rule == "R14"


# The shape of a recorded `responses.compact` answer (corpus): the kept user messages, then one
# encrypted `compaction` item.
COMPACTED = {
    "id": "resp_c1",
    "object": "response.compaction",
    "output": [
        {"id": "msg_c1", "type": "message", "status": "completed", "role": "user",
         "content": [{"type": "input_text", "text": "What is the weather in Paris and Oslo?"}]},
        {"id": "cmp_c1", "type": "compaction", "encrypted_content": "gAAAAB-synthetic-cmp"},
    ],
}  # fmt: skip


def test_a_history_saved_while_compacting_keeps_what_came_after_the_window() -> None:
    history = synthetic_history()
    history.compact_request(model=MODEL)
    history.user("And for tomorrow?")  # added while the compaction ran
    restored = History.from_json(history.to_json())
    for h in (history, restored):
        h.compact(COMPACTED)
    body = restored.body(model=MODEL)
    assert _bytes(body) == _bytes(history.body(model=MODEL))
    assert [i.get("type") for i in body["input"]] == ["message", "compaction", None]
    assert body["input"][-1] == {"role": "user", "content": "And for tomorrow?"}


def test_trimming_while_compacting_keeps_the_window_and_what_came_after() -> None:
    """compact() replaces what the window covered; trimming in between must not move the line."""
    history = synthetic_history()
    history.compact_request(model=MODEL)
    history.user("And for tomorrow?")
    history.add_response(RESPONSES[1])
    history.trim(1)  # the newest exchange is the one after the window
    history.compact(COMPACTED)
    sent = history.body(model=MODEL)["input"]
    assert [i.get("type") or i["role"] for i in sent] == [
        "message", "compaction", "user", "reasoning", "message"
    ]  # fmt: skip
    assert sent[2] == {"role": "user", "content": "And for tomorrow?"}
    # trimmed inside the window: the rest of the window is still replaced, nothing after it lost
    history = synthetic_history()
    history.compact_request(model=MODEL)
    history.user("And for tomorrow?")
    history.trim(2)
    history.compact(COMPACTED)
    assert [i.get("type") or i["role"] for i in history.body(model=MODEL)["input"]] == [
        "message", "compaction", "user"
    ]  # fmt: skip


def test_from_state_checks_the_mode_the_caller_expects() -> None:
    saved = _self_contained().to_json()
    assert History.from_state(saved, store=True).store is True
    with pytest.raises(StateError, match=r"store: a History saved with store=True"):
        History.from_state(saved, store=False)


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda s: s.update(extra=1), r"state version 1: extra: unknown key 'extra'"),
        (
            lambda s: s["entries"][2]["turn"].update(usage={}),
            r"entries\[2\].turn: unknown key 'usage'",
        ),
        (lambda s: s.update(window=99), r"window: 99 is not a number of entries \(0 to 9\)"),
        (lambda s: s.update(window=True), "window: expected int or null, got bool"),
        (lambda s: s.update(self_contained="yes"), "self_contained: expected bool"),
        (
            lambda s: s["entries"][2]["turn"].update(store="no"),
            r"entries\[2\].turn.store: expected bool or null",
        ),
        (
            lambda s: s["entries"][2]["turn"].update(incomplete_reason=3),
            r"entries\[2\].turn.incomplete_reason: expected str or null",
        ),
    ],
)
def test_new_keys_are_checked_and_unknown_keys_never_dropped(edit: Any, words: str) -> None:
    state = synthetic_history().to_state()
    edit(state)
    with pytest.raises(StateError, match=words):
        History.from_state(state)


def test_the_new_keys_may_be_absent_with_their_old_meaning() -> None:
    """Version-1 files written before self_contained, window and a turn's store existed."""
    history = _self_contained()
    state = history.to_state()
    old = {k: v for k, v in state.items() if k not in ("self_contained", "window")}
    for entry in old["entries"]:
        for key in ("store", "incomplete_reason"):
            entry.get("turn", {}).pop(key, None)
    restored = History.from_state(old)
    assert restored.self_contained is False  # the old meaning: not self-contained under store=true
    assert restored.body(model=MODEL)["input"] == history.body(model=MODEL)["input"]
