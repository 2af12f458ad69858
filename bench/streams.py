"""Stream measurements: `Turn.from_stream` must stay linear, and SDK event objects must be cheap.

Self-contained (its own streams and its own timer) so it does not depend on how the rest of the
bench builds items or times calls. The streams are synthetic, shaped like recorded ones (created,
per item added / deltas / done, a terminal event carrying the whole output): the corpus has no
stream of 100k events or a 50 MB event. Timed with the collector on, as in a user's program;
the median of interleaved runs is reported.
"""

from __future__ import annotations

import gc
import json
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

from .core import Measured, Rows, Settings, Target, measurement

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


def timed(fns: list[Callable[[], object]], repeat: int) -> list[list[float]]:
    """Wall times of each function, run in turn each round (one warm-up round) so all see the same
    machine; the collector stays on, the heap is collected before each call."""
    times: list[list[float]] = [[] for _ in fns]
    for round_ in range(repeat + 1):
        for fn, own in zip(fns, times, strict=True):
            gc.collect()
            start = time.perf_counter()
            fn()
            if round_:
                own.append(time.perf_counter() - start)
    return times


def median_times(fns: list[Callable[[], object]], repeat: int) -> list[float]:
    return [statistics.median(own) for own in timed(fns, repeat)]


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


def _twins(name: str, big: bytes, small: bytes, repeat: int) -> list[Measured]:
    """Ours on 10x the input against ours on the input, and the same growth for the floor: at these
    sizes memory, not the algorithm, makes even the floor grow faster than 10x."""
    runs = timed(
        [
            _turn_len(chunked(big)),
            _turn_len(chunked(small)),
            _floor(chunked(big)),
            _floor(chunked(small)),
        ],
        repeat,
    )
    ours, twin, floor, floor_twin = (statistics.median(own) for own in runs)
    how = (
        f"median of {repeat}, interleaved, GC on; synthetic, {len(big) / 1e6:.1f} MB vs "
        f"{len(small) / 1e6:.1f} MB in 8 KiB chunks; the ratio is the growth for 10x the input "
        f"(best-of ratio {min(runs[0]) / min(runs[1]):.1f}; spread {min(runs[0]):.2f}-{max(runs[0]):.2f} s)"
    )
    return [
        Measured(name, ours, Target("max_ratio", 11), twin, "10x-smaller twin", how=how),
        Measured(f"  floor: {name.removeprefix('turn from ')}, joined + JSON", floor, Target("info"),
                 floor_twin, "10x-smaller twin", how="the same runs: b''.join + pydantic_core.from_json per event"),
    ]  # fmt: skip


def sdk_events(raw: bytes, helper: bool = False) -> list[Any]:
    """The `openai` SDK's own event objects for these bytes, as its `Stream` yields them (or its
    `responses.stream()` helper, whose text deltas also carry the text so far)."""
    import httpx
    import openai

    client = openai.OpenAI(
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
    if helper:
        with client.responses.stream(model="gpt-5", input="x") as stream:
            return list(stream)
    return list(client.responses.create(model="gpt-5", input="x", stream=True))


@measurement("streams: linear time")
def linear(settings: Settings) -> Rows:
    """100k events and one 50 MB event in 8 KiB chunks, each against its 10x-smaller twin."""
    repeat = settings.repeat
    return [
        *_twins("turn from 100k events", many_events(100_000), many_events(10_000), repeat),
        *_twins(
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
    ours, from_bytes, to_dict, from_helper = median_times(
        [
            lambda: Turn.from_stream(events),
            lambda: Turn.from_stream(raw),
            lambda: [e.to_dict() for e in events],
            lambda: Turn.from_stream(helper),
        ],
        max(settings.repeat, 9),
    )
    how = (
        f"median of {max(settings.repeat, 9)}, interleaved, GC on; synthetic, {len(events)} events"
    )
    return [
        Measured(f"turn from {len(events)} SDK event objects", ours, Target("info"), from_bytes,
                 "the same stream's raw bytes", how=how),
        Measured(f"turn from {len(events)} SDK event objects ", ours, Target("min_speedup", 1),
                 to_dict, "SDK to_dict() of every event", how=how),
        Measured(f"turn from {len(helper)} responses.stream() events", from_helper,
                 Target("min_speedup", 1), to_dict, "SDK to_dict() of every event", how=how),
    ]  # fmt: skip
