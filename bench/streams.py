"""Stream measurements: `Turn.from_stream` must stay linear, SDK event objects must be cheap, and a
turn from a stream must cost less than the SDK's own accumulation of it.

Timed
with the bench's `race` (median CPU time of interleaved runs, the collector as the interpreter
sets it). The streams are synthetic, shaped like recorded ones (created, per item added / deltas /
done, a terminal event carrying the whole output): the corpus has no stream of 100k events or a
50 MB event. The 1,000-event stream raced against the SDK's accumulation is built from the corpus
items (`bench.items`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from . import items
from .core import Measured, Rows, Settings, Target, measurement, race, seconds

CHUNK = 8 * 1024
TEXT = "It is 18°C in Zürich — “mild” for December. "  # multi-byte UTF-8, as in recorded text


def _response(output: list[dict[str, Any]], status: str = "completed") -> dict[str, Any]:
    return {
        "id": "resp_" + "0" * 48, "object": "response", "created_at": 1_760_000_000,
        "status": status, "model": "gpt-5", "output": output, "parallel_tool_calls": True,
        "tool_choice": "auto", "tools": [], "error": None, "incomplete_details": None,
    }  # fmt: skip


def _item_events(index: int) -> Iterator[dict[str, Any]]:
    """added, deltas, done for one item: messages and function calls in turn."""
    if index % 2:
        call = {"type": "function_call", "id": f"fc_{index:048d}", "call_id": f"call_{index:024d}",
                "name": "get_weather", "arguments": '{"city": "Zürich", "days": 3}', "status": "completed"}  # fmt: skip
        yield {"type": "response.output_item.added", "output_index": index,
               "item": {**call, "arguments": "", "status": "in_progress"}}  # fmt: skip
        for part in ('{"city": ', '"Zürich", ', '"days": 3}'):
            yield {"type": "response.function_call_arguments.delta", "output_index": index,
                   "item_id": call["id"], "delta": part}  # fmt: skip
        yield {"type": "response.output_item.done", "output_index": index, "item": call}
        return
    text = TEXT * 3
    message = {"type": "message", "id": f"msg_{index:048d}", "role": "assistant", "status": "completed",
               "content": [{"type": "output_text", "text": text, "annotations": [], "logprobs": []}]}  # fmt: skip
    at = {"output_index": index, "item_id": message["id"], "content_index": 0}
    yield {"type": "response.output_item.added", "output_index": index,
           "item": {**message, "content": [], "status": "in_progress"}}  # fmt: skip
    yield {"type": "response.content_part.added", **at,
           "part": {"type": "output_text", "text": "", "annotations": [], "logprobs": []}}  # fmt: skip
    for k in range(6):
        yield {"type": "response.output_text.delta", **at, "logprobs": [],
               "delta": text[k * len(text) // 6 : (k + 1) * len(text) // 6]}  # fmt: skip
    yield {"type": "response.output_text.done", **at, "text": text, "logprobs": []}
    yield {"type": "response.content_part.done", **at, "part": message["content"][0]}
    yield {"type": "response.output_item.done", "output_index": index, "item": message}


def _encode(events: list[dict[str, Any]]) -> bytes:
    for seq, event in enumerate(events):
        event["sequence_number"] = seq
    return "".join(
        f"event: {e['type']}\ndata: {json.dumps(e, ensure_ascii=False)}\n\n" for e in events
    ).encode()


def many_events(n_events: int) -> bytes:
    """A stream of about n_events events."""
    events: list[dict[str, Any]] = [
        {"type": "response.created", "response": _response([], "in_progress")}
    ]
    output: list[dict[str, Any]] = []
    index = 0
    while len(events) < n_events - 1:
        for event in _item_events(index):
            events.append(event)
            if event["type"] == "response.output_item.done":
                output.append(event["item"])
        index += 1
    events.append({"type": "response.completed", "response": _response(output)})
    return _encode(events)


def one_big_event(size: int) -> bytes:
    """A stream whose terminal event is about `size` bytes (one long message)."""
    text = TEXT * (size // len(TEXT.encode()))
    message = {"type": "message", "id": "msg_" + "1" * 48, "role": "assistant", "status": "completed",
               "content": [{"type": "output_text", "text": text, "annotations": [], "logprobs": []}]}  # fmt: skip
    return _encode(
        [
            {"type": "response.created", "response": _response([], "in_progress")},
            {"type": "response.completed", "response": _response([message])},
        ]
    )


def chunked(raw: bytes, size: int = CHUNK) -> list[bytes]:
    return [raw[i : i + size] for i in range(0, len(raw), size)]


def _turn_len(chunks: list[bytes]) -> Callable[[], int]:
    from responses_replay import Turn

    return lambda: len(Turn.from_stream(chunks))


def _floor(chunks: list[bytes]) -> Callable[[], int]:
    """The least any reader does: join the chunks and parse every event's JSON."""
    import pydantic_core

    def run() -> int:
        lines = b"".join(chunks).split(b"\n")
        return len([pydantic_core.from_json(x[6:]) for x in lines if x.startswith(b"data: ")])

    return run


#: Our growth for 10x the input may exceed the floor's growth in the same runs by this much. At
#: these sizes memory (caches, page faults), not the algorithm, makes even the floor grow 6-21x
#: for 10x, so a fixed bound (growth <= 11) measured the machine. A quadratic reader grows about
#: 10x more than the floor and misses by far (tests/test_bench.py runs one); 2, not 1, leaves room
#: for the noise of the small twins' times, which the two growths both divide by.
LINEAR_SLACK = 2.0


def growth_rows(
    name: str,
    big: bytes,
    small: bytes,
    repeat: int,
    reader: Callable[[list[bytes]], Callable[[], object]] = _turn_len,
) -> list[Measured]:
    """`reader` on 10x the input against itself on the input, that growth against the floor's own
    growth in the same interleaved runs (the target), and its time against the floor's."""
    ours, twin, floor, floor_twin = race(
        [
            reader(chunked(big)),
            reader(chunked(small)),
            _floor(chunked(big)),
            _floor(chunked(small)),
        ],
        repeat,
    )
    how = (
        f"median CPU time of {repeat}, interleaved, GC on; synthetic, {len(big) / 1e6:.1f} MB vs "
        f"{len(small) / 1e6:.1f} MB in 8 KiB chunks; ours {seconds(ours)} ({ours.spread()}) vs "
        f"{seconds(twin)} ({twin.spread()}), floor {seconds(floor)} ({floor.spread()}) vs "
        f"{seconds(floor_twin)} ({floor_twin.spread()})"
    )
    return [
        Measured(f"{name}: growth for 10x the input", ours / twin, Target("max_ratio", LINEAR_SLACK),
                 floor / floor_twin, "floor's growth, same runs", unit="x",
                 how=f"{how}; linear time: our growth at most {LINEAR_SLACK:g}x the floor's"),
        Measured(name, ours, Target("info"), floor, "floor: b''.join + from_json per event",
                 how="the same runs"),
    ]  # fmt: skip


def sse_client(raw: bytes) -> Any:
    """An `openai.OpenAI` client whose every request is answered with these SSE bytes."""
    import httpx
    import openai

    return openai.OpenAI(
        api_key="bench",
        base_url="http://bench.invalid/v1",
        http_client=httpx.Client(  # type: ignore[arg-type]  # openai types name httpx2; httpx works
            transport=httpx.MockTransport(
                lambda _req: httpx.Response(
                    200, content=raw, headers={"content-type": "text/event-stream"}
                )
            )
        ),
    )


def sdk_events(raw: bytes, helper: bool = False) -> list[Any]:
    """The `openai` SDK's own event objects for these bytes, as its `Stream` yields them (or its
    `responses.stream()` helper, whose text deltas also carry the text so far)."""
    client = sse_client(raw)
    if helper:
        with client.responses.stream(model="gpt-5", input="x") as stream:
            return list(stream)
    return list(client.responses.create(model="gpt-5", input="x", stream=True))


@measurement("streams: linear time")
def linear(settings: Settings) -> Rows:
    """100k events and one 50 MB event in 8 KiB chunks, each against its 10x-smaller twin."""
    repeat = max(settings.repeat, 7)  # the growths divide by the small twins' noisy times
    return [
        *growth_rows("turn from 100k events", many_events(100_000), many_events(10_000), repeat),
        *growth_rows(
            "turn from one 50 MB event", one_big_event(50_000_000), one_big_event(5_000_000), repeat
        ),
    ]


@measurement("streams: SDK event objects")
def sdk_objects(settings: Settings) -> Rows:
    """A turn from the SDK's event objects vs from the raw bytes, and vs the SDK's own `to_dict()`."""
    from responses_replay import Turn

    raw = many_events(1000)
    events, helper = sdk_events(raw), sdk_events(raw, helper=True)
    assert (
        len(Turn.from_stream(events)) == len(Turn.from_stream(helper)) == len(Turn.from_stream(raw))
    )
    ours, from_bytes, to_dict, from_helper = race(
        [
            lambda: Turn.from_stream(events),
            lambda: Turn.from_stream(raw),
            lambda: [e.to_dict() for e in events],
            lambda: Turn.from_stream(helper),
        ],
        max(settings.repeat, 9),
    )
    how = f"median CPU time of {max(settings.repeat, 9)}, interleaved, GC on; synthetic, {len(events)} events"
    return [
        Measured(f"turn from {len(events)} SDK event objects", ours, Target("info"), from_bytes,
                 "the same stream's raw bytes", how=how),
        Measured(f"turn from {len(events)} SDK event objects ", ours, Target("min_speedup", 1),
                 to_dict, "SDK to_dict() of every event", how=how),
        Measured(f"turn from {len(helper)} responses.stream() events", from_helper,
                 Target("min_speedup", 1), to_dict, "SDK to_dict() of every event", how=how),
    ]  # fmt: skip


def _sse(n_events: int) -> bytes:
    """A recorded-shaped stream of about n_events events: created, then per item added, text deltas
    (messages), done, and at the end completed."""
    chosen: list[dict[str, object]] = []
    created = {**items.response(()), "status": "in_progress"}
    out: list[dict[str, object]] = [
        {"type": "response.created", "sequence_number": 0, "response": created}
    ]
    for index, item in enumerate(items.output_items(n_events)):
        is_message = item["type"] == "message"
        if index % 4 == 0 and len(out) + 13 > n_events - 1:  # whole think-call-think-answer turns
            break
        chosen.append(item)
        added = {**item, "status": "in_progress"}
        if is_message:
            added["content"] = [
                {"type": "output_text", "text": "", "annotations": [], "logprobs": []}
            ]
        out.append({"type": "response.output_item.added", "output_index": index, "item": added})
        if is_message:
            text = str(item["content"][0]["text"])
            for k in range(5):
                out.append({"type": "response.output_text.delta", "output_index": index, "item_id": item["id"],
                            "content_index": 0, "delta": text[k * len(text) // 5 : (k + 1) * len(text) // 5],
                            "logprobs": []})  # fmt: skip
        out.append({"type": "response.output_item.done", "output_index": index, "item": item})
    out.append({"type": "response.completed", "response": items.response(tuple(chosen))})
    for seq, event in enumerate(out):
        event["sequence_number"] = seq
    return "".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in out).encode()


@measurement("stream")
def stream(settings: Settings) -> Rows:
    """A turn from a 1,000-event stream vs the `openai` SDK's own accumulation of the same bytes."""
    from responses_replay import Turn

    raw = _sse(1000)
    events = raw.count(b"\n\n")
    client = sse_client(raw)

    def ours() -> int:
        return len(Turn.from_stream(raw))

    def sdk() -> int:
        with client.responses.stream(model="gpt-5", input="x") as s:
            return len(s.get_final_response().output)

    assert ours() == sdk()
    mine, theirs = race([ours, sdk], settings.repeat)
    how = f"median CPU time of {settings.repeat}, interleaved, GC on; corpus items, {events} events, {len(raw) / 1e6:.1f} MB of SSE"
    return [
        Measured(f"turn from a {events}-event stream", mine, Target("min_speedup", 1), theirs,
                 "SDK responses.stream().get_final_response()", how=how),
    ]  # fmt: skip
