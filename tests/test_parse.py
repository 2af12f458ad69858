"""`_parse`: the collector's pause (one per public call, counted, thread-safe) and SDK objects in."""

from __future__ import annotations

import contextlib
import gc
import json
import threading
from collections.abc import Iterator
from typing import Any, cast

import pytest
from pydantic import ValidationError

from responses_replay import Turn, check, parse_response
from responses_replay._errors import InputError
from responses_replay._gc import paused_gc
from responses_replay._parse import as_plain
from responses_replay.inputs import InputItemListAdapter
from responses_replay.outputs import OutputItemListAdapter
from tests import corpus

BODY = {
    "id": "resp_1",
    "object": "response",
    "status": "completed",
    "output": [
        {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAA"},
        {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "f",
         "arguments": "{}", "status": "completed"},
    ],
}  # fmt: skip
RAW = json.dumps(BODY).encode()
ITEMS = list(Turn.from_response(BODY).items)
REQUEST = json.dumps({"model": "gpt-5", "input": [{"role": "user", "content": "hi"}]}).encode()


@pytest.fixture
def switches(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every `gc.disable()` / `gc.enable()` made while the test runs, in order."""
    made: list[str] = []
    disable, enable = gc.disable, gc.enable

    def off() -> None:
        made.append("off")
        disable()

    def on() -> None:
        made.append("on")
        enable()

    monkeypatch.setattr(gc, "disable", off)
    monkeypatch.setattr(gc, "enable", on)
    assert gc.isenabled()
    yield made
    assert gc.isenabled(), "the collector was left off"


@pytest.mark.parametrize(
    "call",
    [
        lambda: parse_response(RAW),
        lambda: Turn.from_response(RAW),
        lambda: Turn.from_response(BODY),
        lambda: check(REQUEST),
        lambda: OutputItemListAdapter.validate_json(json.dumps(BODY["output"])),
        lambda: OutputItemListAdapter.validate_python(BODY["output"]),
        lambda: InputItemListAdapter.dump_python(ITEMS),
    ],
    ids=[
        "parse_response",
        "Turn.from_response(bytes)",
        "Turn.from_response(dict)",
        "check",
        "the public adapters' validate_json",
        "validate_python",
        "dump_python",
    ],
)
def test_one_pause_per_public_call(switches: list[str], call: Any) -> None:
    call()
    assert switches == ["off", "on"]


@pytest.mark.parametrize(
    "call",
    [
        lambda: parse_response(b'{"output": [1'),
        lambda: parse_response({"output": [{"type": "message", "content": 5}]}),
        lambda: Turn.from_response(b"[]"),
        lambda: check(b"{"),
        lambda: OutputItemListAdapter.validate_json(b"[1]"),
    ],
    ids=["bad JSON", "bad item", "not an object", "check bad JSON", "adapter"],
)
def test_the_collector_is_back_on_after_an_error(switches: list[str], call: Any) -> None:
    with pytest.raises((InputError, ValidationError)):
        call()
    assert switches == ["off", "on"]


def test_a_collector_the_caller_switched_off_stays_off() -> None:
    gc.disable()
    try:
        parse_response(RAW)
        check(REQUEST)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_nested_pauses_switch_back_on_once(switches: list[str]) -> None:
    with paused_gc():
        with paused_gc():
            pass
        assert not gc.isenabled()
    assert switches == ["off", "on"]


def test_two_threads_never_leave_it_off_for_each_other() -> None:
    """A enters, B enters, A leaves (B still parsing: still off), B leaves (on again)."""
    entered, a_left, b_may_leave = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def a() -> None:
        with paused_gc():
            entered.set()
            b_entered.wait(5)
        a_left.set()

    def b() -> None:
        entered.wait(5)
        with paused_gc():
            b_entered.set()
            a_left.wait(5)
            seen["off while B runs"] = not gc.isenabled()
            b_may_leave.wait(5)

    b_entered = threading.Event()
    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for t in threads:
        t.start()
    a_left.wait(5)
    b_may_leave.set()
    for t in threads:
        t.join(5)
    assert seen == {"off while B runs": True}
    assert gc.isenabled()


def test_many_threads_leave_it_on() -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(20):
                parse_response(RAW)
                check(REQUEST)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert gc.isenabled()


def _sdk_responses() -> list[dict[str, Any]]:
    if not corpus.available():
        pytest.skip("no corpus at ../shared/corpus")
    return [body for _, body in corpus.output_responses()]


@pytest.mark.filterwarnings("error")  # no serializer warnings on what the client really builds
def test_an_sdk_response_reads_back_as_the_api_sent_it() -> None:
    """What the client builds (`construct_type`, no validation) reads back as the recorded body."""
    from openai._models import construct_type
    from openai.types.responses import Response

    bodies = _sdk_responses()
    assert bodies
    for body in bodies:
        sdk = cast("Response", construct_type(type_=Response, value=body))
        assert as_plain(sdk) == body


@pytest.mark.filterwarnings("error")
def test_an_sdk_response_converts_as_its_bytes_do() -> None:
    from openai._models import construct_type
    from openai.types.responses import Response

    compared = 0
    for body in _sdk_responses():
        try:
            expected = Turn.from_response(json.dumps(body).encode(), unknown="pass").to_input()
        except Exception:  # a response our converter refuses from bytes too: not this test's
            continue
        sdk_objects: list[Any] = [construct_type(type_=Response, value=body)]
        with contextlib.suppress(ValueError):  # a body the SDK's own types refuse to validate
            sdk_objects.append(Response.model_validate(body))
        for sdk in sdk_objects:
            assert Turn.from_response(sdk, unknown="pass").to_input() == expected
        compared += len(sdk_objects)
    assert compared > 200
