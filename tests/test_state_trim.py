"""History.trim: whole exchanges only, instructions kept; mode moves on small listings."""

from __future__ import annotations

import json
from typing import Any

import pytest
from openai.pagination import SyncConversationCursorPage, SyncCursorPage
from openai.types.conversations import ConversationItem
from openai.types.responses import ResponseItem

from responses_replay import History, InputError, ReplayError, Turn, tool_output
from responses_replay.checker import check
from tests.fixtures.state_v1 import MODEL, RESPONSES, synthetic_history


def _kinds(history: History) -> list[str]:
    out = []
    for item in history.body(model=MODEL)["input"]:
        out.append(item.get("role") or item["type"])
    return out


def _errors(history: History) -> list[Any]:
    """check()'s errors, but for the item passed through on purpose (a type newer than the spec)."""
    body = history.body(model=MODEL)
    passed = {f"input[{n}]" for n, i in enumerate(body["input"]) if i.get("type") == "future_item"}
    return [f for f in check(body) if f.severity == "error" and f.path.split(".")[0] not in passed]


def test_trim_by_count_keeps_the_newest_exchanges_and_the_instructions() -> None:
    history = synthetic_history()
    assert _kinds(history)[:2] == ["developer", "user"]
    dropped = history.trim(2)
    # the first exchange went whole: its question, both calls with their reasoning, both outputs,
    # and the answer that followed them (api-errors.md: R4, R6, R7)
    first = RESPONSES[0]["output"], RESPONSES[1]["output"]
    assert dropped == 1 + len(first[0]) + 2 + len(first[1])
    assert _kinds(history) == ["developer", "user", "assistant", "future_item", "user"]
    assert not _errors(history)


def test_trim_by_budget_drops_until_the_input_fits() -> None:
    history = synthetic_history()
    sizes: list[int] = []

    def fits(items: list[dict[str, Any]]) -> bool:
        sizes.append(len(json.dumps(items)))
        return sizes[-1] < 400

    history.trim(fits=fits)
    assert sizes == sorted(sizes, reverse=True)
    assert len(sizes) >= 2
    assert len(json.dumps(history.body(model=MODEL)["input"])) == sizes[-1]
    assert _kinds(history)[0] == "developer"


def test_a_budget_the_newest_exchange_cannot_meet_changes_nothing() -> None:
    history = synthetic_history()
    before = history.body(model=MODEL)
    with pytest.raises(InputError, match="do not fit the budget; nothing was dropped"):
        history.trim(fits=lambda items: False)
    assert history.body(model=MODEL) == before


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_trim_needs_a_positive_count(bad: Any) -> None:
    with pytest.raises(InputError, match="max_exchanges"):
        synthetic_history().trim(bad)
    with pytest.raises(InputError, match="give max_exchanges, fits, or both"):
        synthetic_history().trim()


def test_a_user_message_inside_a_tool_loop_does_not_start_an_exchange() -> None:
    """Calls still pending when the user speaks: the exchange ends only after their outputs."""
    history = History(store=False)
    history.user("weather?")
    turn = history.add_response(RESPONSES[0])
    history.user("(also, hurry)")  # sent while the calls are pending
    history.add(*(tool_output(c, output="ok") for c in turn.function_calls()))
    history.add_response(RESPONSES[1])
    history.user("thanks")
    history.trim(1)
    assert _kinds(history) == ["user"]
    history = History(store=False)
    history.user("weather?")
    turn = history.add_response(RESPONSES[0])
    history.user("(also, hurry)")
    history.add(*(tool_output(c, output="ok") for c in turn.function_calls()))
    history.trim(1)
    assert _kinds(history)[:2] == ["user", "reasoning"]  # nothing could go
    assert not _errors(history)


def test_items_handed_out_are_copies() -> None:
    """Removing items from what items() or a turn hand out does not remove them from the History."""
    history = synthetic_history()
    before = history.body(model=MODEL)
    history.items().clear()
    assert history.body(model=MODEL) == before


LISTING = [  # a conversation listing's shape (newest first), as recorded in the corpus
    {"id": "msg_3", "type": "message", "status": "completed", "role": "assistant",
     "content": [{"type": "output_text", "text": "It is sunny.", "annotations": [], "logprobs": []}]},
    {"id": "fco_1", "type": "function_call_output", "status": "completed", "call_id": "call_1",
     "output": "sunny"},
    {"id": "fc_1", "type": "function_call", "status": "completed", "call_id": "call_1",
     "name": "get_weather", "arguments": "{}"},
    {"id": "msg_1", "type": "message", "status": "completed", "role": "user",
     "content": [{"type": "input_text", "text": "Weather?"}]},
]  # fmt: skip


def test_an_openai_sdk_page_is_read_whole() -> None:
    page = SyncConversationCursorPage[ConversationItem](data=LISTING, has_more=False)
    from_sdk = History.from_listing(page)
    assert from_sdk.body(model=MODEL) == History.from_listing(LISTING).body(model=MODEL)
    assert _kinds(from_sdk) == ["user", "function_call", "function_call_output", "assistant"]
    items = SyncCursorPage[ResponseItem](data=LISTING[1:], has_more=False)
    assert _kinds(History.from_listing(items)) == ["user", "function_call", "function_call_output"]


def test_a_history_moves_to_a_new_conversation_once_its_calls_are_answered() -> None:
    history = History.from_listing(LISTING)
    items = history.conversation_items()
    assert [i.get("role") or i["type"] for i in items] == _kinds(history)
    pending = History.from_listing(LISTING[2:])
    with pytest.raises(ReplayError, match="call_1") as err:
        pending.conversation_items()
    assert err.value.rule == "R7"


def test_listing_arguments_are_checked() -> None:
    with pytest.raises(InputError, match="order must be 'asc' or 'desc'"):
        History.from_listing(LISTING, order="newest")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="a `data` list"):
        History.from_listing({"object": "list"})
    with pytest.raises(InputError, match=r"listing.*JSON object"):
        History.from_listing([1])


def test_a_listed_type_newer_than_the_spec_is_refused_or_passed_as_asked() -> None:
    """A listed type neither the pinned spec nor the overlay has (configuration_update, which
    listings return, is an overlay type now: tests/test_configuration_update.py)."""
    update = {"id": "ctxc_1", "type": "context_compaction", "summary": "newer than the spec"}
    listing = [LISTING[0], update, *LISTING[1:]]
    with pytest.raises(ReplayError, match="context_compaction") as err:
        History.from_listing(listing)
    assert err.value.rule == "R13"
    history = History.from_listing(listing, unknown="pass")
    assert update in history.body(model=MODEL)["input"]
    restored = History.from_json(history.to_json())
    assert restored.body(model=MODEL) == history.body(model=MODEL)


def test_a_turn_and_a_history_read_a_listing_the_same_way() -> None:
    """One reader of listings: order, SDK pages and has_more mean the same for both."""
    page = SyncConversationCursorPage[ConversationItem](data=LISTING, has_more=False)
    turn = Turn.from_listing(page, order="desc")
    history = History.from_listing(page, order="desc")
    assert turn.to_input() == history.body(model=MODEL)["input"]
    partial = {"object": "list", "data": LISTING, "has_more": True, "last_id": "msg_1"}
    for read in (
        lambda: Turn.from_listing(partial, order="desc"),
        lambda: History.from_listing(partial),
    ):
        with pytest.raises(InputError, match="has_more, last_id 'msg_1'"):
            read()
    # a bare list may have been filtered: a History regroups and checks it, a Turn refuses it
    with pytest.raises(InputError, match="a filtered list is not a turn"):
        Turn.from_listing(LISTING, order="desc")
