"""Property: however a recorded stream's bytes are cut into chunks, the turn is the same."""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from responses_replay import StreamError, Turn
from tests import corpus
from tests.test_stream_corpus import recorded_events, recorded_sse, recorded_streams
from tests.test_stream_edges import cut_inside_events, failure

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not corpus.available(), reason="../shared/corpus is absent"),
]

EOLS = ["\n", "\r\n", "\r"]


@cache
def streams() -> tuple[dict[str, Any], ...]:
    return tuple(resp for _, resp in recorded_streams())


@cache
def non_ascii() -> tuple[dict[str, Any], ...]:
    """Streams whose text has multi-byte UTF-8 characters (degree signs, accents, CJK...)."""
    return tuple(resp for resp in streams() if any(b > 127 for b in recorded_sse(resp)))


def outcome(source: Any) -> Any:
    """The turn's input items, or the API error a failed stream carries."""
    try:
        turn = Turn.from_stream(source, unknown="pass", incomplete="drop_trailing_reasoning")
    except StreamError as exc:
        if exc.code is None:
            raise
        return ("StreamError", exc.code, exc.api_message)
    return turn.to_input()


def variant(resp: dict[str, Any], final_output: bool) -> dict[str, Any]:
    """Without the final output, the turn comes from the `.done` items alone."""
    if final_output:
        return resp
    return {**resp, "final_response": {**resp["final_response"], "output": None}}


def cut(raw: bytes, cuts: list[int]) -> list[bytes]:
    points = [0, *sorted(set(cuts)), len(raw)]
    return [raw[a:b] for a, b in itertools.pairwise(points)]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_cut_points(data: st.DataObject) -> None:
    resp = data.draw(st.sampled_from(streams()), label="stream")
    raw = recorded_sse(
        variant(resp, data.draw(st.booleans(), label="final output")),
        seq=data.draw(st.booleans(), label="sequence numbers"),
        eol=data.draw(st.sampled_from(EOLS), label="line end"),
    )
    cuts = data.draw(st.lists(st.integers(0, len(raw)), max_size=60), label="cuts")
    assert outcome(cut(raw, cuts)) == outcome(raw)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_stream_cut_short_reports_what_was_received(data: st.DataObject) -> None:
    """Cut short anywhere, the bytes' StreamError says what the same events as dicts say: what was
    received and the complete items kept (a cut inside an event's JSON said nothing, B5)."""
    resp = data.draw(st.sampled_from(streams()), label="stream")
    seq = data.draw(st.booleans(), label="sequence numbers")
    eol = data.draw(st.sampled_from(EOLS), label="line end")
    raw = recorded_sse(resp, seq=seq, eol=eol)
    at, whole = data.draw(
        st.sampled_from(cut_inside_events(recorded_events(resp, seq=seq), raw, eol)), label="cut"
    )
    cuts = data.draw(st.lists(st.integers(0, at), max_size=20), label="chunk cuts")
    assert failure(cut(raw[:at], cuts)) == failure(whole)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_cuts_inside_multibyte_characters(data: st.DataObject) -> None:
    resp = data.draw(st.sampled_from(non_ascii()), label="stream")
    raw = recorded_sse(resp, eol=data.draw(st.sampled_from(EOLS), label="line end"))
    inside = [i for i, b in enumerate(raw) if b & 0xC0 == 0x80]  # UTF-8 continuation bytes
    cuts = data.draw(st.lists(st.sampled_from(inside), min_size=1, max_size=20), label="cuts")
    chunks = cut(raw, cuts)
    # the test really splits characters: some chunk starts with a continuation byte
    assert any(c and c[0] & 0xC0 == 0x80 for c in chunks)
    assert outcome(chunks) == outcome(raw)


def test_one_byte_chunks() -> None:
    small = [resp for resp in non_ascii() if len(recorded_sse(resp)) < 12_000][:12]
    assert len(small) == 12
    for n, resp in enumerate(small):
        raw = recorded_sse(resp, eol=EOLS[n % len(EOLS)])
        assert outcome([raw[i : i + 1] for i in range(len(raw))]) == outcome(raw)


def test_whole_bytes_give_the_final_response_turn() -> None:
    """The reference the chunkings are compared with is itself right: the final response's turn."""
    for resp in non_ascii():
        final = Turn.from_response(
            resp["final_response"], unknown="pass", incomplete="drop_trailing_reasoning"
        )
        assert outcome(recorded_sse(resp)) == final.to_input()
