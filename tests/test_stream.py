"""Turns from streams: SSE bytes, dicts and SDK events give the same turn as the final response."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from responses_replay import Turn
from responses_replay.stream import StreamError, iter_sse

REASONING = {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "FULL"}
CALL = {
    "type": "function_call",
    "id": "fc_1",
    "call_id": "call_1",
    "name": "f",
    "arguments": "{}",
    "status": "completed",
}


def events(
    *, terminal: str = "response.completed", final_status: str = "completed"
) -> list[dict[str, Any]]:
    response = {
        "id": "resp_1", "object": "response", "status": final_status, "output": [REASONING, CALL],
        "created_at": 1, "model": "gpt-5", "parallel_tool_calls": True, "tool_choice": "auto", "tools": [],
    }  # fmt: skip
    return [
        {"type": "response.created", "sequence_number": 0, "response": {**response, "output": [], "status": "in_progress"}},
        {"type": "response.output_item.added", "sequence_number": 1, "output_index": 0,
         "item": {**REASONING, "encrypted_content": "PARTIAL"}},
        {"type": "response.output_item.done", "sequence_number": 2, "output_index": 0, "item": REASONING},
        {"type": "response.output_item.done", "sequence_number": 3, "output_index": 1, "item": CALL},
        {"type": terminal, "sequence_number": 4, "response": response},
    ]  # fmt: skip


def sse(evs: list[dict[str, Any]]) -> bytes:
    return "".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in evs).encode()


def test_stream_turn_equals_final_response_turn() -> None:
    expected = Turn.from_response(events()[-1]["response"]).to_input()
    assert Turn.from_stream(events()).to_input() == expected
    assert Turn.from_stream(sse(events())).to_input() == expected
    raw = sse(events())
    chunks = [raw[i : i + 7] for i in range(0, len(raw), 7)]  # split mid-line and mid-UTF-8 is fine
    assert Turn.from_stream(chunks).to_input() == expected


def test_done_copy_wins_over_added_copy() -> None:
    assert Turn.from_stream(events()).to_input()[0]["encrypted_content"] == "FULL"


def test_duplicate_events_count_once_and_order_by_output_index() -> None:
    evs = events()
    doubled = [evs[0], evs[3], evs[2], evs[2], evs[3], evs[4]]
    assert [i["type"] for i in Turn.from_stream(doubled).to_input()] == [
        "reasoning",
        "function_call",
    ]


def test_sdk_event_objects() -> None:
    from openai.types.responses import ResponseStreamEvent
    from pydantic import TypeAdapter

    adapter: TypeAdapter[Any] = TypeAdapter(ResponseStreamEvent)
    sdk = [adapter.validate_python(e) for e in events()]
    assert Turn.from_stream(sdk).to_input() == Turn.from_stream(events()).to_input()


def test_async_twin() -> None:
    async def agen() -> Any:
        for e in events():
            yield e

    turn = asyncio.run(Turn.from_stream_async(agen()))
    assert len(turn) == 2


def test_stream_without_terminal_event_keeps_complete_items() -> None:
    with pytest.raises(StreamError) as exc:
        Turn.from_stream(events()[:-1])
    assert [i.type for i in exc.value.items] == ["reasoning", "function_call"]
    assert "response.output_item.done x2" in str(exc.value)


def test_failed_and_error_events_raise() -> None:
    with pytest.raises(StreamError, match="failed"):
        Turn.from_stream(events(terminal="response.failed", final_status="failed"))
    err = {
        "type": "error",
        "sequence_number": 5,
        "code": "server_error",
        "message": "boom",
        "param": None,
    }
    with pytest.raises(StreamError, match="boom"):
        Turn.from_stream([*events()[:3], err])


def test_incomplete_stream_ending_in_reasoning() -> None:
    evs = events(terminal="response.incomplete", final_status="incomplete")
    del evs[3]  # cut short after the reasoning item: the final response lists only that item
    evs[-1]["response"]["output"] = [REASONING]
    with pytest.raises(Exception, match="reasoning"):
        Turn.from_stream(evs)
    turn = Turn.from_stream(evs, incomplete="drop_trailing_reasoning")
    assert turn.incomplete
    assert turn.to_input() == []


def test_bad_sse_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="not JSON"):
        list(iter_sse([b"data: {oops\n\n"]))
