"""Recorded streams and listings: the same typed items as a plain response."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from responses_replay import StreamError, Turn, outputs, to_input
from tests import corpus

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not corpus.available(), reason="../shared/corpus is absent"),
]

# Item fields an `output_item.added` event already has; the rest arrives with deltas or `.done`.
_ANNOUNCED = ("type", "id", "role", "call_id", "name", "server_label")


def _partial(item: dict[str, Any]) -> dict[str, Any]:
    """The `.added` copy of an item: what the API announces before the item is done (not valid)."""
    out = {k: item[k] for k in _ANNOUNCED if k in item}
    out["status"] = "in_progress"
    if item.get("type") == "message":
        out["content"] = []
    elif item.get("type") == "function_call":
        out["arguments"] = ""
    elif item.get("type") == "reasoning":
        out["summary"] = []
        if "encrypted_content" in item:  # cut short, as R12 warns
            out["encrypted_content"] = str(item["encrypted_content"])[:16]
    return out


def _pieces(text: str, n: int = 4) -> list[str]:
    return [text[k * len(text) // n : (k + 1) * len(text) // n] for k in range(n)]


def _deltas(index: int, item: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The delta events the API sends between an item's `.added` and its `.done`."""
    base = {"output_index": index, "item_id": item.get("id")}
    if item.get("type") == "message":
        for k, part in enumerate(item.get("content") or []):
            text = part.get("text") if isinstance(part, dict) else None
            if not isinstance(text, str):
                continue
            at = {**base, "content_index": k}
            yield {"type": "response.content_part.added", **at, "part": {**part, "text": ""}}
            for piece in _pieces(text):
                yield {"type": "response.output_text.delta", **at, "delta": piece, "logprobs": []}
            yield {"type": "response.output_text.done", **at, "text": text, "logprobs": []}
            yield {"type": "response.content_part.done", **at, "part": part}
    elif item.get("type") == "function_call" and isinstance(item.get("arguments"), str):
        for piece in _pieces(item["arguments"], 3):
            yield {"type": "response.function_call_arguments.delta", **base, "delta": piece}
        yield {
            "type": "response.function_call_arguments.done",
            **base,
            "arguments": item["arguments"],
        }
    elif item.get("type") == "reasoning":
        for k, part in enumerate(item.get("summary") or []):
            at = {**base, "summary_index": k}
            for piece in _pieces(str(part.get("text", ""))):
                yield {"type": "response.reasoning_summary_text.delta", **at, "delta": piece}


def recorded_events(resp: dict[str, Any], *, seq: bool = True) -> list[dict[str, Any]]:
    """A recorded stream rebuilt as the API sends it: created, the API's error events, per item
    `.added` (partial), deltas and `.done` (the recorded item), then the recorded terminal event."""
    final = resp["final_response"]
    evs: list[dict[str, Any]] = [
        {"type": "response.created", "response": {**final, "status": "in_progress", "output": []}},
        *[dict(e) for e in resp.get("sse_error_events") or []],
    ]
    for index, item in enumerate(resp.get("output_items") or []):
        evs.append(
            {"type": "response.output_item.added", "output_index": index, "item": _partial(item)}
        )
        evs.extend(_deltas(index, item))
        evs.append({"type": "response.output_item.done", "output_index": index, "item": item})
    evs.append({"type": resp["sse_terminal_event"], "response": final})
    for n, ev in enumerate(evs):
        if seq:
            ev["sequence_number"] = n
        else:
            ev.pop("sequence_number", None)
    return evs


def recorded_sse(resp: dict[str, Any], *, seq: bool = True, eol: str = "\n") -> bytes:
    """The SSE bytes of `recorded_events`: UTF-8 text unescaped, as the API sends it."""
    return "".join(
        f"event: {e['type']}{eol}data: {json.dumps(e, ensure_ascii=False)}{eol}{eol}"
        for e in recorded_events(resp, seq=seq)
    ).encode()


def recorded_streams() -> Iterator[tuple[corpus.Interaction, dict[str, Any]]]:
    """Every recorded stream with its final response (the real API's, and response-only ones)."""
    for it in corpus.interactions():
        resp = it.data.get("response") or {}
        if (
            (it.real or it.data.get("request") is None)
            and resp.get("streaming")
            and isinstance(resp.get("final_response"), dict)
        ):
            yield it, resp


def lenient(source: Any, from_: Callable[..., Turn] = Turn.from_stream) -> list[dict[str, Any]]:
    return from_(source, unknown="pass", incomplete="drop_trailing_reasoning").to_input()


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


def test_recorded_streams_as_sse_give_the_final_response_turn(
    report_count: Callable[[str, object], None],
) -> None:
    """Rebuilt as the API sends them (partial `.added` items, deltas, error events): each stream
    gives its final response's turn, or a StreamError with the API's own code."""
    streams = equal = api_errors = 0
    wrong: list[str] = []
    for it, resp in recorded_streams():
        streams += 1
        final = resp["final_response"]
        try:
            ours = lenient(recorded_sse(resp))
        except StreamError as exc:
            recorded = [e.get("error", e) for e in resp.get("sse_error_events") or []]
            recorded += [final["error"]] if isinstance(final.get("error"), dict) else []
            if exc.code is not None and (exc.code, exc.api_message) in {
                (e.get("code"), e.get("message")) for e in recorded
            }:
                api_errors += 1
            else:
                wrong.append(f"{it.path.name}: {exc}")
            continue
        except Exception as exc:  # counted, to measure the code before this change too
            wrong.append(f"{it.path.name}: {type(exc).__name__}: {str(exc)[:200]}")
            continue
        if final.get("status") in ("completed", "incomplete") and ours == lenient(
            final, Turn.from_response
        ):
            equal += 1
        else:
            wrong.append(f"{it.path.name}: differs from the final response")
    report_count("recorded streams rebuilt as SSE", streams)
    report_count("  equal to the final response's turn", equal)
    report_count("  StreamError carrying the API's recorded error", api_errors)
    report_count("  anything else", len(wrong))
    assert streams > 300
    assert api_errors >= 2  # the corpus records a rate limit and an unknown error mid-stream
    assert not wrong, "\n".join(wrong[:10])


def test_recorded_streams_give_the_final_response_turn(
    report_count: Callable[[str, object], None],
) -> None:
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
    report_count("recorded streams (.done items + terminal event)", streams)
    report_count("  equal to the final response's turn", equal)
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
