"""Saved state (History, Chain): read back to the byte-identical request; unreadable state named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from responses_replay import Chain, History, InputError, ReplayError
from responses_replay.state import StateError
from tests.fixtures.state_v1 import MODEL, RESPONSES, synthetic_chain, synthetic_history

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _bytes(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


def test_a_restored_history_builds_the_byte_identical_next_request() -> None:
    history = synthetic_history()
    restored = History.from_json(history.to_json())
    assert _bytes(restored.body(model=MODEL)) == _bytes(history.body(model=MODEL))
    assert restored.store is False
    # the turns are whole again: the response ids and the passed-through item survive
    again = History.from_state(restored.to_state())
    assert again.to_state() == history.to_state()
    assert {"type": "future_item", "id": "fi_1"} in again.body(model=MODEL)["input"]


def test_a_restored_chain_keeps_its_anchor_pending_calls_and_unsent_delta() -> None:
    chain = synthetic_chain()
    restored = Chain.from_json(chain.to_json())
    assert _bytes(restored.body(model=MODEL)) == _bytes(chain.body(model=MODEL))
    assert restored.body(model=MODEL)["previous_response_id"] == "resp_01"
    # pending calls survive: a restored chain without the outputs still refuses the request (R7)
    bare = Chain()
    bare.after(RESPONSES[0])
    with pytest.raises(ReplayError, match="call_01") as err:
        Chain.from_json(bare.to_json()).body(model=MODEL)
    assert err.value.rule == "R7"


def test_the_committed_version_1_files_stay_readable() -> None:
    """Written by state version 1 (tests/fixtures/state_v1.py); every later version reads them."""
    saved = (FIXTURES / "state-v1.json").read_text(encoding="utf-8")
    assert json.loads(saved)["version"] == 1
    restored = History.from_json(saved)
    assert _bytes(restored.body(model=MODEL)) == _bytes(synthetic_history().body(model=MODEL))
    chain = Chain.from_json((FIXTURES / "state-v1-chain.json").read_text(encoding="utf-8"))
    assert _bytes(chain.body(model=MODEL)) == _bytes(synthetic_chain().body(model=MODEL))


def _state() -> dict[str, Any]:
    return synthetic_history().to_state()


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda s: s.update(version=3), "state version 3: .* reads state version 1, 2 .*newer"),
        (lambda s: s.update(version="1"), "state version '1'"),
        (lambda s: s.pop("version"), "state version None"),
        (lambda s: s.update(format="other"), "not a responses-replay state"),
        (lambda s: s.update(kind="chain"), "state version 1: kind: a 'chain' state"),
        (lambda s: s.update(store="no"), "state version 1: store: expected bool"),
        (lambda s: s["entries"].append({"turn": 1}), r"entries\[9\].turn: a turn must be"),
        (lambda s: s["entries"].append({"x": {}}), r"entries\[9\]: expected"),
        (
            lambda s: s["entries"][2]["turn"]["items"][1].update(status=None),
            r"entries\[2\].turn.items\[1\]: the item does not read back",
        ),
        (
            lambda s: s["entries"][2]["turn"]["items"].pop(),
            r"state version 1: entries: \[R6\] entries\[4\]: No tool call found .* call_02",
        ),
        (
            lambda s: s.update(pending={"call_09": "function_call"}),
            "the saved pending calls",
        ),
        (
            lambda s: s["entries"][2]["turn"]["items"].__delitem__(slice(1, None)),
            r"state version 1: entries\[2\]: \[R4\]",
        ),
        (
            lambda s: s["entries"][2]["turn"].update(passed=[7]),
            r"entries\[2\].turn.passed: not indices",
        ),
        (
            lambda s: s["entries"].append({"item": {"role": "assistant", "content": "hi"}}),
            r"entries\[9\].item: a 'message' item that is not the caller's",
        ),
        (
            lambda s: s["entries"].append({"item": {"type": "reasoning", "summary": []}}),
            r"entries\[9\].item: a 'reasoning' item that is not the caller's",
        ),
    ],
)
def test_unreadable_state_is_named_with_its_version_and_place(edit: Any, words: str) -> None:
    state = _state()
    edit(state)
    with pytest.raises(StateError, match=words):
        History.from_state(state)


def test_state_that_is_not_json_is_a_state_error() -> None:
    with pytest.raises(StateError, match="not valid JSON"):
        History.from_json("{")
    with pytest.raises(StateError, match="must be a JSON object"):
        History.from_json("[]")
    assert issubclass(StateError, InputError)


def test_a_stateless_state_without_encrypted_reasoning_is_refused() -> None:
    """Restoring goes through the same check as add_turn (R3), not around it."""
    state = _state()
    del state["entries"][2]["turn"]["items"][0]["encrypted_content"]
    with pytest.raises(ReplayError) as err:
        History.from_state(state)
    assert err.value.rule == "R3"


def test_a_chain_state_of_both_modes_is_refused() -> None:
    state = synthetic_chain().to_state()
    state["conversation"] = "conv_1"
    with pytest.raises(ReplayError) as err:
        Chain.from_state(state)
    assert err.value.rule == "R8"
