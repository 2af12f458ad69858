"""Recorded streams and listings: the same typed items as a plain response."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from responses_replay import Turn, outputs, to_input
from tests import corpus

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not corpus.available(), reason="../shared/corpus is absent"),
]


def _stream_events(resp: dict[str, Any]) -> list[dict[str, Any]]:
    """The recorded stream as events: every output_item.done, then the terminal event."""
    items = resp.get("output_items") or []
    final = resp["final_response"]
    evs: list[dict[str, Any]] = [
        {"type": "response.output_item.done", "sequence_number": n, "output_index": n, "item": item}
        for n, item in enumerate(items)
    ]
    kind = "response.incomplete" if final.get("status") == "incomplete" else "response.completed"
    evs.append({"type": kind, "sequence_number": len(items), "response": final})
    return evs


def test_recorded_streams_give_the_final_response_turn() -> None:
    streams = equal = 0
    differ: Counter[str] = Counter()
    for it in corpus.interactions():
        resp = it.data.get("response") or {}
        if not (it.real and resp.get("streaming") and isinstance(resp.get("final_response"), dict)):
            continue
        streams += 1
        ours = Turn.from_stream(
            _stream_events(resp), unknown="pass", incomplete="drop_trailing_reasoning"
        )
        final = Turn.from_response(
            resp["final_response"], unknown="pass", incomplete="drop_trailing_reasoning"
        )
        a, b = ours.to_input(), final.to_input()
        if a == b:
            equal += 1
            continue
        assert len(a) == len(b), f"{it.path}: item count differs"
        for x, y in zip(a, b, strict=True):
            for key in set(x) | set(y):
                if x.get(key) != y.get(key):
                    differ[key] += 1
    print(
        f"\nrecorded streams: {streams}, equal to the final response: {equal}, differing fields: {dict(differ)}"
    )
    assert streams > 0
    # The only recorded difference: reasoning encrypted_content re-encrypted in the final response.
    assert set(differ) <= {"encrypted_content"}


def test_recorded_listings_parse_and_convert() -> None:
    counts: Counter[str] = Counter()
    converted = 0
    for it in corpus.interactions():
        if not it.real:
            continue
        body = (it.data.get("response") or {}).get("body")
        if it.endpoint == "responses.input_items" and isinstance(body, dict):
            items: list[Any] = outputs.ItemResourceListAdapter.validate_python(body["data"])
            counts["input_items"] += len(items)
        elif it.endpoint.startswith("conversations.items") and isinstance(body, dict):
            data = (
                body["data"]
                if isinstance(body.get("data"), list)
                else [body]
                if "type" in body
                else []
            )
            items = outputs.ConversationItemListAdapter.validate_python(data)
            counts["conversation_items"] += len(items)
        else:
            continue
        converted += sum(1 for x in items if to_input(x, unknown="pass") is not None)
    print(f"\nrecorded listings parsed: {dict(counts)}; converted to input items: {converted}")
    assert converted == sum(counts.values())
    assert counts["input_items"] > 0
    assert counts["conversation_items"] > 0
