"""Type-checked in CI (`make typecheck`), never run: saved state, trimming and mode moves.

The only ways items leave a History are `trim(...)` (whole exchanges) and starting anew
(`History.from_state`, `.from_listing`, `.from_chain`); removing single items does not type-check."""

from typing import Any, Literal, assert_type

from responses_replay import Chain, History, Turn, inputs


def round_trips(history: History[bool], chain: Chain, saved: str) -> None:
    assert_type(history.to_state(), dict[str, Any])
    assert_type(History.from_json(history.to_json()), History[bool])
    assert_type(History.from_state(history.to_state()), History[bool])
    assert_type(Chain.from_json(saved), Chain)
    assert_type(history.trim(3), int)
    assert_type(history.trim(fits=lambda items: len(items) < 100), int)
    assert_type(History.from_listing([], order="asc"), History[Literal[True]])
    assert_type(History.from_listing([], store=False), History[Literal[False]])
    assert_type(History.from_chain([], {}, store=True), History[Literal[True]])
    assert_type(history.conversation_items(), list[dict[str, Any]])
    History.from_listing([], order="newest")  # type: ignore[call-overload]
    history.trim(fits=lambda items: "yes")  # type: ignore[arg-type,return-value]


def a_restored_history_is_used_like_a_new_one(saved: str, turn: Turn) -> None:
    """The mode a caller expects is checked when reading, and typed: a restored stored History
    takes item references (R3 refuses them under store=false), as `History(store=True)` does."""
    reference = inputs.ItemReferenceParam(id="msg_1", type="item_reference")
    stored = History.from_state(saved, store=True)
    assert_type(stored, History[Literal[True]])
    stored.add(reference)
    stored.add_turn(turn)
    assert_type(stored.request(model="gpt-5")["input"], Any)
    stateless = History.from_json(saved, store=False)
    assert_type(stateless, History[Literal[False]])
    stateless.add(reference)  # type: ignore[arg-type]
    either = History.from_state(saved)  # the mode is the saved one: either
    either.user("hello")
    either.add(reference)  # type: ignore[arg-type]
    History.from_state(saved, store="yes")  # type: ignore[call-overload]


def no_other_way_to_remove_items(history: History[bool], turn: Turn) -> None:
    history.pop()  # type: ignore[attr-defined]
    history.remove(turn)  # type: ignore[attr-defined]
    history.clear()  # type: ignore[attr-defined]
    del history[0]  # type: ignore[attr-defined]
    turn.items.pop()  # type: ignore[attr-defined]
    del turn.items[0]  # type: ignore[attr-defined]
