"""Build a turn from a response stream (`stream=True`): SDK event objects, dicts, or raw SSE bytes.

Items come from `response.output_item.done`, ordered by `output_index`: the `.added` copy of a
reasoning item can carry incomplete `encrypted_content` (R12). An event seen twice (same
`sequence_number`) counts once.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, Iterable, Iterator, Mapping
from typing import Any

from pydantic import MISSING, ValidationError

from ._convert import Unknown
from ._errors import InputError
from ._generated.events import (
    OtherEvent,
    ResponseCompletedEvent,
    ResponseErrorEvent,
    ResponseFailedEvent,
    ResponseIncompleteEvent,
    ResponseOutputItemDoneEvent,
    StreamEventAdapter,
)
from ._generated.outputs import OutputItem
from .turn import Incomplete, Turn

__all__ = ["StreamError", "iter_sse", "turn_from_stream", "turn_from_stream_async"]


class StreamError(InputError):
    """The stream failed or ended early. `items` holds the output items that were complete."""

    def __init__(self, message: str, items: list[OutputItem], received: dict[str, int]) -> None:
        self.items = items
        self.received = received
        seen = ", ".join(f"{k} x{v}" for k, v in sorted(received.items())) or "nothing"
        super().__init__(f"{message} (received: {seen}; {len(items)} complete items kept)")


def iter_sse(chunks: Iterable[bytes | str]) -> Iterator[dict[str, Any]]:
    """The JSON payloads of server-sent events, from bytes or text in chunks of any size."""
    buffer = ""
    data: list[str] = []
    for chunk in chunks:
        text = (
            chunk.decode("utf-8", errors="replace")
            if isinstance(chunk, bytes | bytearray)
            else chunk
        )
        buffer += text
        *lines, buffer = buffer.split("\n")
        for raw in lines:
            line = raw.rstrip("\r")
            if line == "":
                if data:
                    yield _payload("\n".join(data))
                    data = []
            elif line.startswith("data:"):
                data.append(line[5:].lstrip(" "))
    if buffer.strip().startswith("data:"):
        data.append(buffer.strip()[5:].lstrip(" "))
    if data:
        yield _payload("\n".join(data))


def _payload(text: str) -> dict[str, Any]:
    if text == "[DONE]":
        return {"type": "[DONE]"}
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise InputError(f"a server-sent event is not JSON: {text[:80]!r}") from exc
    if not isinstance(value, dict):
        raise InputError(f"a server-sent event is not a JSON object: {text[:80]!r}")
    return value


def _events(source: Any) -> Iterator[Any]:
    if isinstance(source, bytes | bytearray):
        yield from iter_sse([bytes(source)])
        return
    if isinstance(source, str):
        yield from iter_sse([source])
        return
    pending_text: list[bytes | str] = []
    for ev in source:
        if isinstance(ev, bytes | bytearray | str):
            pending_text.append(bytes(ev) if isinstance(ev, bytearray) else ev)
            continue
        if pending_text:
            yield from iter_sse(pending_text)
            pending_text = []
        yield ev
    if pending_text:
        yield from iter_sse(pending_text)


def _plain(ev: Any) -> Any:
    if isinstance(ev, Mapping):
        return ev
    dump = getattr(ev, "model_dump", None)
    if callable(dump):
        return dump(mode="json", exclude_unset=True, by_alias=True)
    raise InputError(f"not a stream event: {type(ev).__name__}")


def turn_from_stream(
    events: Any, *, unknown: Unknown = "error", incomplete: Incomplete = "error"
) -> Turn:
    """The turn of a streamed response; see the module docstring."""
    done: dict[int, OutputItem] = {}
    seen: set[int] = set()
    received: dict[str, int] = {}
    terminal: ResponseCompletedEvent | ResponseIncompleteEvent | None = None
    for raw in _events(events):
        data = _plain(raw)
        if data.get("type") == "[DONE]":
            break
        try:
            ev = StreamEventAdapter.validate_python(data)
        except ValidationError as exc:
            raise InputError.from_validation(exc, f"event {data.get('type')!r}", data) from exc
        seq = getattr(ev, "sequence_number", MISSING)
        if isinstance(seq, int):
            if seq in seen:
                continue
            seen.add(seq)
        received[ev.type] = received.get(ev.type, 0) + 1
        items = [done[k] for k in sorted(done)]
        if isinstance(ev, ResponseOutputItemDoneEvent):
            done[ev.output_index] = ev.item
        elif isinstance(ev, ResponseCompletedEvent | ResponseIncompleteEvent):
            terminal = ev
        elif isinstance(ev, ResponseFailedEvent):
            err = ev.response.error if ev.response.error is not MISSING else None
            raise StreamError(f"the response failed: {err}", items, received)
        elif isinstance(ev, ResponseErrorEvent):
            raise StreamError(f"error event {ev.code}: {ev.message}", items, received)
        elif not isinstance(ev, OtherEvent):
            continue
    items = [done[k] for k in sorted(done)]
    if terminal is None:
        raise StreamError(
            "the stream ended without response.completed or response.incomplete", items, received
        )
    resp = terminal.response
    return Turn.from_items(
        items,
        unknown=unknown,
        incomplete=incomplete,
        response_id=resp.id if isinstance(resp.id, str) else None,
        status=resp.status if isinstance(resp.status, str) else None,
    )


async def turn_from_stream_async(
    events: AsyncIterable[Any], *, unknown: Unknown = "error", incomplete: Incomplete = "error"
) -> Turn:
    """`turn_from_stream` for an async iterable (the `openai` SDK's `AsyncStream`)."""
    collected = [ev async for ev in events]
    return turn_from_stream(collected, unknown=unknown, incomplete=incomplete)
