"""Streams as the API really sends them: old and new event shapes, errors, lost items, raw bytes."""

from __future__ import annotations

import asyncio
import bisect
import copy
import json
import time
from typing import Any

import pytest

from responses_replay import InputError, StreamError, Turn
from responses_replay.stream import SSEDecoder, iter_sse

MESSAGE = {
    "type": "message", "id": "msg_1", "role": "assistant", "status": "completed",
    "content": [{"type": "output_text", "text": "It is 18°C.", "annotations": []}],
}  # fmt: skip
CALL = {
    "type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "f",
    "arguments": "{}", "status": "completed",
}  # fmt: skip
SEARCH = {
    "type": "web_search_call", "id": "ws_1", "status": "completed",
    "action": {"type": "search", "query": "weather"},
}  # fmt: skip


def response(output: list[dict[str, Any]] | None, status: str = "completed") -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "resp_1",
        "object": "response",
        "status": status,
        "model": "gpt-5",
    }
    if output is not None:
        body["output"] = output
    return body


def stream(
    items: list[dict[str, Any]],
    *,
    final: list[dict[str, Any]] | None = None,
    seq: bool = True,
    terminal: str = "response.completed",
) -> list[dict[str, Any]]:
    """created, per item added (partial) and done, then the terminal event with `final` output."""
    evs: list[dict[str, Any]] = [
        {"type": "response.created", "response": response([], "in_progress")}
    ]
    for n, item in enumerate(items):
        partial: dict[str, Any] = {
            k: item[k] for k in ("type", "id", "call_id", "name", "role") if k in item
        }
        partial["status"] = "in_progress"  # no content, arguments, action... yet
        evs.append({"type": "response.output_item.added", "output_index": n, "item": partial})
        evs.append({"type": "response.output_item.done", "output_index": n, "item": item})
    evs.append({"type": terminal, "response": response(items if final is None else final)})
    if seq:
        for n, ev in enumerate(evs):
            ev["sequence_number"] = n
    return evs


def sse(evs: list[dict[str, Any]], eol: str = "\n") -> bytes:
    return "".join(
        f"event: {e['type']}{eol}data: {json.dumps(e, ensure_ascii=False)}{eol}{eol}" for e in evs
    ).encode()


def kinds(turn: Turn) -> list[str]:
    return [i["type"] for i in turn.to_input()]


# --- sequence numbers -----------------------------------------------------------------------------


def test_stream_without_sequence_numbers_early_2025() -> None:
    evs = stream([SEARCH, MESSAGE], seq=False)
    assert kinds(Turn.from_stream(evs)) == ["web_search_call", "message"]
    assert kinds(Turn.from_stream(sse(evs))) == ["web_search_call", "message"]
    # without sequence numbers a repeated identical event is harmless
    assert kinds(Turn.from_stream([*evs[:3], evs[2], *evs[3:]])) == ["web_search_call", "message"]


def test_sequence_number_reused_with_other_content_is_named() -> None:
    evs = stream([CALL, MESSAGE])
    other = {**evs[2], "item": {**CALL, "arguments": '{"x": 1}'}}  # same sequence_number 2
    for source in ([*evs[:3], other, *evs[3:]], sse([*evs[:3], other, *evs[3:]])):
        with pytest.raises(StreamError, match="sequence_number 2 with other content") as exc:
            Turn.from_stream(source)
        assert exc.value.sequence_number == 2


def test_sequence_number_reused_with_same_content_counts_once() -> None:
    evs = stream([CALL, MESSAGE])
    doubled = [*evs[:3], copy.deepcopy(evs[2]), *evs[3:]]
    assert kinds(Turn.from_stream(sse(doubled))) == ["function_call", "message"]


# --- partial `.added` items -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "partial",
    [
        {"type": "web_search_call", "id": "ws_1", "status": "in_progress"},  # no action
        {"type": "image_generation_call", "id": "ig_1", "status": "in_progress"},  # no result
        {
            "type": "shell_call",
            "id": "sh_1",
            "call_id": "call_9",
            "status": "in_progress",
            "action": {"commands": []},
        },
    ],  # the last one has no environment
)
def test_added_items_are_partial_and_never_validated(partial: dict[str, Any]) -> None:
    evs = stream([SEARCH, MESSAGE])
    evs[1]["item"] = partial
    assert kinds(Turn.from_stream(evs)) == ["web_search_call", "message"]
    assert kinds(Turn.from_stream(sse(evs))) == ["web_search_call", "message"]


# --- the API's errors -----------------------------------------------------------------------------


def test_error_event_nested_form_carries_the_api_words() -> None:
    err = {"type": "error", "sequence_number": 3,
           "error": {"type": "tokens", "code": "rate_limit_exceeded", "message": "Request too large", "param": None}}  # fmt: skip
    for source in ([*stream([CALL])[:2], err], sse([*stream([CALL])[:2], err])):
        with pytest.raises(StreamError, match="rate_limit_exceeded: Request too large") as exc:
            Turn.from_stream(source)
        assert (exc.value.code, exc.value.api_message, exc.value.param) == (
            "rate_limit_exceeded",
            "Request too large",
            None,
        )


def test_error_event_flat_form_carries_the_api_words() -> None:
    err = {"type": "error", "sequence_number": 3, "code": "server_error", "message": "boom",
           "param": "input"}  # fmt: skip
    with pytest.raises(StreamError) as exc:
        Turn.from_stream([*stream([CALL])[:2], err])
    assert (exc.value.code, exc.value.api_message, exc.value.param) == (
        "server_error",
        "boom",
        "input",
    )


def test_response_failed_carries_the_api_words() -> None:
    evs = stream([CALL], terminal="response.failed")
    evs[-1]["response"] = {**response([], "failed"),
                           "error": {"code": "server_error", "message": "The model failed."}}  # fmt: skip
    with pytest.raises(StreamError, match="failed") as exc:
        Turn.from_stream(sse(evs))
    assert (exc.value.code, exc.value.api_message) == ("server_error", "The model failed.")
    assert [i.type for i in exc.value.items] == ["function_call"]


def test_sdk_error_event_objects() -> None:
    """The SDK builds events without validation (`construct_type`): the nested form stays nested."""
    from openai._models import construct_type
    from openai.types.responses import ResponseStreamEvent

    nested = {"type": "error", "sequence_number": 3,
              "error": {"code": "rate_limit_exceeded", "message": "Too large", "param": None}}  # fmt: skip
    flat = {"type": "error", "sequence_number": 3, "code": "c", "message": "m", "param": None}
    for raw, want in ((nested, ("rate_limit_exceeded", "Too large")), (flat, ("c", "m"))):
        ev = construct_type(type_=ResponseStreamEvent, value=raw)
        with pytest.raises(StreamError) as exc:
            Turn.from_stream([ev])
        assert (exc.value.code, exc.value.api_message) == want


# --- nothing lost ---------------------------------------------------------------------------------


def _without_done(evs: list[dict[str, Any]], *indices: int) -> list[dict[str, Any]]:
    return [
        e
        for e in evs
        if not (e["type"] == "response.output_item.done" and e["output_index"] in indices)
    ]


def test_items_without_done_are_recovered_from_the_final_output() -> None:
    """Recorded: an MCP stream sent `.done` for 2 of its 4 items; the final response has all 4."""
    items: list[dict[str, Any]] = [
        SEARCH,
        CALL,
        {**CALL, "id": "fc_2", "call_id": "call_2"},
        MESSAGE,
    ]
    evs = _without_done(stream(items), 1, 2)
    assert Turn.from_stream(evs).to_input() == Turn.from_response(response(items)).to_input()


def test_item_without_done_and_no_final_output_is_named() -> None:
    evs = _without_done(stream([SEARCH, CALL, MESSAGE], final=[]), 1)
    evs[-1]["response"].pop("output")
    with pytest.raises(StreamError, match="function_call item at output_index 1 never got") as exc:
        Turn.from_stream(evs)
    assert exc.value.index == 1
    assert [i.type for i in exc.value.items] == ["web_search_call", "message"]


def test_output_index_gap_is_named() -> None:
    evs = [e for e in stream([SEARCH, CALL, MESSAGE], final=[]) if e.get("output_index") != 1]
    with pytest.raises(StreamError, match="no item at output_index 1") as exc:
        Turn.from_stream(evs)
    assert exc.value.index == 1


def test_item_after_the_terminal_event() -> None:
    evs = stream([CALL, MESSAGE])
    late = [*evs[:3], *evs[5:], *evs[3:5]]  # the message's events come after response.completed
    assert kinds(Turn.from_stream(late)) == ["function_call", "message"]  # the final output has it
    no_output = copy.deepcopy(late)
    no_output[3]["response"]["output"] = []
    with pytest.raises(StreamError, match="output_index 1 arrived after") as exc:
        Turn.from_stream(no_output)
    assert exc.value.index == 1


def test_item_events_that_contradict_the_final_output_are_named() -> None:
    with pytest.raises(StreamError, match=r"output_index 1 .* not in") as exc:
        Turn.from_stream(stream([CALL, MESSAGE], final=[CALL]))
    assert exc.value.index == 1
    with pytest.raises(StreamError, match=r"output_index 0: output_item\.done has id 'fc_1'"):
        Turn.from_stream(stream([CALL], final=[{**CALL, "id": "fc_other"}]))


def test_reasoning_from_done_or_final_never_from_added() -> None:
    """R12: the `.added` copy's encrypted_content is cut short."""
    reasoning = {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "FULL"}
    evs = stream([reasoning, CALL])
    evs[1]["item"] = {**reasoning, "encrypted_content": "PART"}
    assert Turn.from_stream(evs).to_input()[0]["encrypted_content"] == "FULL"
    evs[-1]["response"].pop("output")  # from the `.done` items alone
    assert Turn.from_stream(evs).to_input()[0]["encrypted_content"] == "FULL"


# --- raw bytes ------------------------------------------------------------------------------------


def test_multibyte_character_split_across_chunks() -> None:
    raw = sse(stream([MESSAGE]))
    cut = raw.index("°".encode()) + 1  # between the two bytes of the degree sign
    turn = Turn.from_stream([raw[:cut], raw[cut:]])
    assert turn.to_input()[0]["content"][0]["text"] == "It is 18°C."
    assert Turn.from_stream([raw[i : i + 1] for i in range(len(raw))]).to_input() == turn.to_input()


def test_invalid_utf8_is_an_error() -> None:
    raw = sse(stream([MESSAGE])).replace("°".encode(), b"\xff")
    with pytest.raises(StreamError, match="not UTF-8: invalid byte at offset"):
        Turn.from_stream(raw)
    with pytest.raises(StreamError, match="inside a UTF-8 character"):
        Turn.from_stream([sse(stream([MESSAGE])), b"\xc2"])


def test_text_chunks_holding_a_lone_surrogate_are_a_stream_error() -> None:
    # str chunks (not bytes): a str decoded with `surrogateescape` has no UTF-8 to read (it was a
    # bare TypeError); the error names the character
    text = sse(stream([MESSAGE])).decode().replace("°", "\udcb0")
    with pytest.raises(StreamError, match=r"not valid text \(character \d+ is '\\udcb0'"):
        Turn.from_stream([text])


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_line_endings(eol: str) -> None:
    raw = sse(stream([CALL, MESSAGE]), eol)
    assert kinds(Turn.from_stream(raw)) == ["function_call", "message"]
    # every 2-byte split, so each CRLF is also cut between its CR and its LF
    for size in (1, 2, 3):
        chunks = [raw[i : i + size] for i in range(0, len(raw), size)]
        assert kinds(Turn.from_stream(chunks)) == ["function_call", "message"]


def test_crlf_split_across_chunks_is_one_line_end() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b'data: {"type": "a"}\r') == []
    assert decoder.feed(b"\n\r") == [('{"type": "a"}', "")]  # CR LF ended the line, CR the event
    assert decoder.feed(b"\ndata: 1\r\n\r\n") == [("1", "")]  # that LF belonged to the CR


def test_sse_fields_comments_and_multiline_data() -> None:
    text = (
        "\ufeff: keep-alive comment\n"
        "event: response.created\n"
        "id: 7\nretry: 1000\n"
        'data:{"type": "x",\n'  # no space after the colon, data over two lines
        'data:  "n": 1}\n\n'
        "event: named\n"
        'data: {"n": 2}\n\n'  # no `type`: the event field names it
        "data:\n\n"  # empty data dispatches nothing
    )
    assert list(iter_sse([text])) == [{"type": "x", "n": 1}, {"type": "named", "n": 2}]


def test_last_event_without_blank_line_still_counts() -> None:
    raw = sse(stream([CALL])).rstrip(b"\n")
    assert kinds(Turn.from_stream(raw)) == ["function_call"]


def test_deep_json_nesting_is_a_stream_error() -> None:
    deep = b'data: {"type": "x", "v": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n\n"
    with pytest.raises(StreamError, match="not JSON"):
        Turn.from_stream(deep)


def failure(source: Any) -> tuple[dict[str, int], list[Any]]:
    """What the StreamError of a stream that fails says it received and kept."""
    with pytest.raises(StreamError) as info:
        Turn.from_stream(source)
    return info.value.received, info.value.items


def cut_inside_events(
    evs: list[dict[str, Any]], raw: bytes, eol: str = "\n"
) -> list[tuple[int, list[dict[str, Any]]]]:
    """Every cut of `raw` (the SSE bytes of `evs`) before its last event's data ends, with the
    events the cut keeps whole: those whose data line ends before it."""
    blank = (eol * 2).encode()
    ends = [i for i in range(len(raw)) if raw.startswith(blank, i)]  # JSON text has no line ends
    assert len(ends) == len(evs)
    return [(cut, evs[: bisect.bisect_right(ends, cut)]) for cut in range(ends[-1])]


def test_sse_cut_inside_an_event_reports_what_was_received() -> None:
    # B5: a cut inside an event's JSON said "received: nothing; 0 complete items kept" with
    # e.items == [] (the SSE error lacked the stream's context); the same cut as dict events
    # has always said what was received and kept
    evs = stream([CALL, MESSAGE])
    raw = sse(evs)
    for cut, whole in cut_inside_events(evs, raw)[::7]:
        expected = failure(whole)
        part = raw[:cut]
        assert failure([part]) == expected, cut
        assert failure([part[i : i + 5] for i in range(0, cut, 5)]) == expected, cut
        assert failure([part.decode("utf-8", "ignore")]) == expected, cut

    async def chunks(part: bytes) -> Any:
        for i in range(0, len(part), 5):
            yield part[i : i + 5]

    cut = len(raw) - 60  # inside the terminal event, after both items completed
    with pytest.raises(StreamError, match=r"not JSON .*done x2; 2 complete items kept\)$") as info:
        asyncio.run(Turn.from_stream_async(chunks(raw[:cut])))
    assert [i.type for i in info.value.items] == ["function_call", "message"]
    # so does a stream whose bytes stop being UTF-8
    assert failure([raw[:cut], b"\xff"]) == failure(evs[:-1])


def test_not_a_stream_is_a_clear_error() -> None:
    bad: Any
    for bad in (5, None, {"output": []}):
        with pytest.raises(InputError, match="from_stream takes"):
            Turn.from_stream(bad)
    with pytest.raises(StreamError, match="event 1 is not a stream event: int"):
        Turn.from_stream([stream([CALL])[0], 5])
    with pytest.raises(StreamError, match="event 0 has no `type`"):
        Turn.from_stream([{"sequence_number": 0}])
    with pytest.raises(StreamError, match="output_index is not an index: '1'"):
        Turn.from_stream([{"type": "response.output_item.done", "output_index": "1", "item": CALL}])


# --- linear time ----------------------------------------------------------------------------------


def test_many_done_events_in_linear_time() -> None:
    """Was 16 s for 16k `.done` events, quadratic (the item list was re-sorted per event)."""
    items = [{**CALL, "id": f"fc_{n}", "call_id": f"call_{n}"} for n in range(40_000)]
    evs = [{"type": "response.output_item.done", "sequence_number": n, "output_index": n, "item": it}
           for n, it in enumerate(items)]  # fmt: skip
    evs.append(
        {"type": "response.completed", "sequence_number": len(items), "response": response(None)}
    )
    start = time.process_time()
    assert len(Turn.from_stream(evs)) == 40_000
    assert time.process_time() - start < 8


def test_one_long_event_in_small_chunks_in_linear_time() -> None:
    """Was quadratic: the whole buffer was re-split for every chunk."""
    text = "18°C " * 4_000_000  # 24 MB
    raw = sse(
        stream([{**MESSAGE, "content": [{"type": "output_text", "text": text, "annotations": []}]}])
    )
    chunks = [raw[i : i + 8192] for i in range(0, len(raw), 8192)]
    start = time.process_time()
    assert Turn.from_stream(chunks).to_input()[0]["content"][0]["text"] == text
    assert time.process_time() - start < 8


# --- SDK objects and async ------------------------------------------------------------------------


def test_sdk_events_are_read_not_dumped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the items need converting: the SDK's other events are read field by field."""
    from openai._models import construct_type
    from openai.types.responses import ResponseStreamEvent

    evs = stream([CALL, MESSAGE])
    evs.insert(3, {"type": "response.output_text.delta", "sequence_number": 99, "output_index": 1,
                   "item_id": "msg_1", "content_index": 0, "delta": "It", "logprobs": []})  # fmt: skip
    sdk = [construct_type(type_=ResponseStreamEvent, value=e) for e in evs]
    dumped: list[str] = []
    for ev in sdk:
        cls: Any = type(ev)

        def spy(self: Any, *a: Any, _orig: Any = cls.model_dump, **kw: Any) -> Any:
            dumped.append(self.type)
            return _orig(self, *a, **kw)

        monkeypatch.setattr(cls, "model_dump", spy)
    assert Turn.from_stream(sdk).to_input() == Turn.from_stream(evs).to_input()
    assert dumped == []


def test_async_reads_events_as_they_arrive() -> None:
    """An error event is raised at once, not after the (here endless) stream ends."""
    evs = [
        *stream([CALL])[:2],
        {"type": "error", "code": "server_error", "message": "boom", "param": None},
    ]

    async def endless() -> Any:
        for e in evs:
            yield sse([e])  # raw bytes chunks, as httpx's aiter_bytes gives them
        await asyncio.Event().wait()

    async def main() -> None:
        with pytest.raises(StreamError, match="boom"):
            await asyncio.wait_for(Turn.from_stream_async(endless()), timeout=5)

    asyncio.run(main())


def test_async_from_bytes_chunks() -> None:
    raw = sse(stream([CALL, MESSAGE]))

    async def chunks() -> Any:
        for i in range(0, len(raw), 5):
            yield raw[i : i + 5]

    assert kinds(asyncio.run(Turn.from_stream_async(chunks()))) == ["function_call", "message"]


def test_sdk_stream_helpers_events() -> None:
    """`client.responses.create(stream=True)` and `client.responses.stream()` yield the SDK's own
    event objects (the helper's deltas carry a growing `snapshot`): both give the bytes' turn."""
    import httpx
    import openai

    raw = sse(stream([CALL, MESSAGE]))
    client = openai.OpenAI(
        api_key="test",
        base_url="http://test.invalid/v1",
        http_client=httpx.Client(  # type: ignore[arg-type]  # openai types name httpx2; httpx works
            transport=httpx.MockTransport(
                lambda _req: httpx.Response(
                    200, content=raw, headers={"content-type": "text/event-stream"}
                )
            )
        ),
    )
    expected = Turn.from_stream(raw).to_input()
    with client.responses.create(model="gpt-5", input="x", stream=True) as events:
        assert Turn.from_stream(events).to_input() == expected
    with client.responses.stream(model="gpt-5", input="x") as helper:
        assert Turn.from_stream(helper).to_input() == expected


def test_a_replayed_delta_under_other_obfuscation_padding_counts_once() -> None:
    # A delta event carries random `obfuscation` padding (stream_options.include_obfuscation, on by
    # default; openai-python's ResponseCreateParams): the same event sent again (a proxy's replay,
    # a stream resumed from an earlier `starting_after`) pads it anew. Was "reuses sequence_number
    # 3 with other content".
    from openai._models import construct_type
    from openai.types.responses import ResponseStreamEvent

    evs = stream([CALL, MESSAGE])
    delta = {"type": "response.output_text.delta", "sequence_number": 99, "output_index": 1,
             "item_id": "msg_1", "content_index": 0, "delta": "It", "logprobs": []}  # fmt: skip
    first, again = {**delta, "obfuscation": "r4N7vQ2m"}, {**delta, "obfuscation": "p9K3xT6w"}
    replayed = [*evs[:4], first, *evs[4:6], again, *evs[6:]]
    expected = ["function_call", "message"]
    assert kinds(Turn.from_stream(replayed)) == expected
    assert kinds(Turn.from_stream(sse(replayed))) == expected
    sdk = [construct_type(type_=ResponseStreamEvent, value=e) for e in replayed]
    assert kinds(Turn.from_stream(sdk)) == expected
    # other content under the padding is still another event
    other = {**again, "delta": "Is"}
    for source in ([*evs[:4], first, other, *evs[4:]], sse([*evs[:4], first, other, *evs[4:]])):
        with pytest.raises(StreamError, match="sequence_number 99 with other content"):
            Turn.from_stream(source)
