"""The `openai` SDK's `responses.stream()` helper yields events whose response is a
`ParsedResponse`: its `output_text` parts carry `parsed: None`, a key the input side does not
know. Its turn must be exactly what the same stream's plain dicts give, and converting it must
leave the SDK's objects as they were.

The oracle is the recorded corpus: each recorded stream, replayed through the SDK's own helper,
against the turn of the final response the API recorded (a dict).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from responses_replay import ReplayError, Turn
from responses_replay._convert import convert_item, convert_output
from responses_replay._parse import as_plain
from tests import corpus
from tests.test_stream_corpus import lenient, recorded_sse, recorded_streams

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not corpus.available(), reason="../shared/corpus is absent"),
]


def _helper_events(raw: bytes) -> list[Any]:
    """The events `client.responses.stream()` yields for these SSE bytes."""
    import httpx
    import openai

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
    with client.responses.stream(model="gpt-5", input="x") as stream:
        return list(stream)


def _parsed_nulls(value: Any) -> int:
    """How many `parsed: None` keys (the helper's own) a dumped value holds."""
    if isinstance(value, dict):
        own = int("parsed" in value and value["parsed"] is None)
        return own + sum(_parsed_nulls(v) for v in value.values())
    if isinstance(value, list):
        return sum(_parsed_nulls(v) for v in value)
    return 0


def _outcome(fn: Callable[[], list[Any]]) -> Any:
    """Each converted item's class and JSON, or the error's class and text."""
    try:
        return [(type(i).__name__, as_plain(i, "item")) for i in fn()]
    except ReplayError as exc:  # the error itself is what is compared
        return ("error", str(exc))


def _one_by_one(items: list[Any]) -> list[Any]:
    return [convert_item(it, unknown="pass", where=f"output[{n}]") for n, it in enumerate(items)]


def _helper_streams() -> list[tuple[str, dict[str, Any], list[Any]]]:
    """Recorded streams the helper reads to a completed or incomplete final response."""
    found = []
    for it, resp in recorded_streams():
        if resp["final_response"].get("status") not in ("completed", "incomplete"):
            continue
        if resp.get("sse_error_events"):
            continue
        try:
            events = _helper_events(recorded_sse(resp))
        except Exception:  # the SDK's own refusal (a type newer than it): not ours
            continue
        found.append((it.path.name, resp, events))
    return found


@pytest.fixture(scope="module")
def helper_streams() -> list[tuple[str, dict[str, Any], list[Any]]]:
    return _helper_streams()


def test_recorded_streams_through_the_sdk_helper_give_the_final_response_turn(
    helper_streams: list[tuple[str, dict[str, Any], list[Any]]],
    report_count: Callable[[str, object], None],
) -> None:
    with_nulls = 0
    for name, resp, events in helper_streams:
        terminal = events[-1].response
        with_nulls += bool(_parsed_nulls(as_plain(terminal, "response")))
        expected = lenient(resp["final_response"], Turn.from_response)
        assert lenient(events) == expected, name
        assert lenient(terminal, Turn.from_response) == expected, name
    report_count("recorded streams read by responses.stream()", len(helper_streams))
    report_count("  with parsed: None in the final response", with_nulls)
    assert len(helper_streams) > 300
    assert with_nulls > 100  # the path under test is taken


def test_the_sdk_helper_items_convert_as_item_by_item_and_are_not_modified(
    helper_streams: list[tuple[str, dict[str, Any], list[Any]]],
) -> None:
    """The batch drops the helper's nulls from its own copy: the dumped items still hold them
    (and the SDK objects are untouched), and every item converts as `convert_item` converts it."""
    compared = 0
    for name, _resp, events in helper_streams:
        terminal = events[-1].response
        before = terminal.model_dump()
        items = as_plain(terminal, "response")["output"]
        kept = copy.deepcopy(items)
        one = _outcome(partial(_one_by_one, items))
        assert _outcome(partial(convert_output, items, unknown="pass")) == one, name
        assert items == kept, f"{name}: the source items were modified"
        assert terminal.model_dump() == before, f"{name}: the SDK response was modified"
        compared += 1
    assert compared > 300


def test_a_nested_null_and_a_real_error_in_one_item_report_the_error_as_item_by_item(
    helper_streams: list[tuple[str, dict[str, Any], list[Any]]],
) -> None:
    """An item refused both for the helper's null and for a bad value: the batch names the bad
    value as converting the item alone does, and the null alone is still dropped around it."""
    name, _resp, events = next(
        s for s in helper_streams if _parsed_nulls(as_plain(s[2][-1].response, "r")) >= 2
    )
    items = as_plain(events[-1].response, "response")["output"]
    n = next(k for k, it in enumerate(items) if _parsed_nulls(it))
    items[n]["status"] = 12  # not a status
    with pytest.raises(ReplayError) as alone:
        convert_item(items[n], where=f"output[{n}]")
    with pytest.raises(ReplayError) as batch:
        convert_output(items)
    assert str(batch.value) == str(alone.value), name
    assert "status" in str(batch.value)
