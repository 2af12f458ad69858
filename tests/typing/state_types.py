"""Type-checked in CI (`make typecheck`), never run: saved state, trimming and mode moves.

The only ways items leave a History are `trim(...)` (whole exchanges) and starting anew
(`History.from_state`, `.from_listing`, `.from_chain`); removing single items does not type-check."""

from typing import Any, assert_type

from responses_replay import Chain, History, Turn


def round_trips(history: History[bool], chain: Chain, saved: str) -> None:
    assert_type(history.to_state(), dict[str, Any])
    assert_type(History.from_json(history.to_json()), History[bool])
    assert_type(History.from_state(history.to_state()), History[bool])
    assert_type(Chain.from_json(saved), Chain)
    assert_type(history.trim(3), int)
    assert_type(history.trim(fits=lambda items: len(items) < 100), int)
    assert_type(History.from_listing([], order="asc"), History[bool])
    assert_type(history.conversation_items(), list[dict[str, Any]])
    History.from_listing([], order="newest")  # type: ignore[arg-type]
    history.trim(fits=lambda items: "yes")  # type: ignore[arg-type,return-value]


def no_other_way_to_remove_items(history: History[bool], turn: Turn) -> None:
    history.pop()  # type: ignore[attr-defined]
    history.remove(turn)  # type: ignore[attr-defined]
    history.clear()  # type: ignore[attr-defined]
    del history[0]  # type: ignore[attr-defined]
    turn.items.pop()  # type: ignore[attr-defined]
    del turn.items[0]  # type: ignore[attr-defined]
