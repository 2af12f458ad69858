"""The client guard, driven by the real `openai` SDK over an httpx mock transport."""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

import httpx
import openai
import pytest

from responses_replay.checker import ReplayCheckError
from responses_replay.guard import (
    AsyncGuardTransport,
    ConversationBusy,
    GuardTransport,
    _InFlight,
)

RESPONSE = {
    "id": "resp_1",
    "object": "response",
    "created_at": 0,
    "model": "gpt-5",
    "output": [],
    "status": "completed",
    "parallel_tool_calls": True,
    "tool_choice": "auto",
    "tools": [],
}
BAD_INPUT: list[Any] = [
    {"role": "user", "content": "hi"},
    {"type": "reasoning", "id": "rs_1", "summary": [], "status": "completed"},
    {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "x"}]},
]


class Recorder:
    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(json.loads(request.content) if request.content else {})
        return httpx.Response(200, json=RESPONSE)


def client(
    mode: str = "raise", handler: Any = None, in_flight: _InFlight | None = None
) -> tuple[openai.OpenAI, Recorder]:
    rec = handler or Recorder()
    transport = GuardTransport(httpx.MockTransport(rec), mode, in_flight=in_flight or _InFlight())  # type: ignore[arg-type]
    http = httpx.Client(transport=transport)
    return openai.OpenAI(
        api_key="x", base_url="http://test/v1", http_client=http, max_retries=0
    ), rec


def test_a_clean_request_goes_through() -> None:
    c, rec = client()
    r = c.responses.create(model="gpt-5", input="hi")
    assert r.id == "resp_1"
    assert rec.bodies == [{"model": "gpt-5", "input": "hi"}]


def test_raise_mode_stops_the_request_before_the_network() -> None:
    c, rec = client()
    with pytest.raises(ReplayCheckError) as info:
        c.responses.create(model="gpt-5", input=BAD_INPUT)
    assert rec.bodies == []
    assert [(f.rule, f.path) for f in info.value.findings] == [("R1", "input[1].status")]


def test_log_mode_logs_and_sends(caplog: pytest.LogCaptureFixture) -> None:
    c, rec = client("log")
    with caplog.at_level(logging.WARNING, logger="responses_replay.guard"):
        c.responses.create(model="gpt-5", input=BAD_INPUT)
    assert len(rec.bodies) == 1
    assert "Unknown parameter: 'input[1].status'." in caplog.text


def test_other_endpoints_are_not_checked() -> None:
    c, rec = client()
    c.responses.with_raw_response.retrieve("resp_1")
    assert rec.bodies == [{}]


def test_r9_second_request_on_a_busy_conversation_is_refused() -> None:
    in_flight = _InFlight()
    entered, release = threading.Event(), threading.Event()

    def slow(request: httpx.Request) -> httpx.Response:
        entered.set()
        release.wait(5)
        return httpx.Response(200, json=RESPONSE)

    c, _ = client(handler=slow, in_flight=in_flight)
    worker = threading.Thread(
        target=lambda: c.responses.create(model="gpt-5", conversation="conv_1", input="one")
    )
    worker.start()
    assert entered.wait(5)
    try:
        with pytest.raises(ConversationBusy) as info:
            c.responses.create(model="gpt-5", conversation="conv_1", input="two")
        assert info.value.findings[0].rule == "R9"
        # another conversation is not held up
        other, _ = client(in_flight=in_flight)
        other.responses.create(model="gpt-5", conversation="conv_2", input="x")
    finally:
        release.set()
        worker.join(5)
    # once the first response is read, the conversation is free again
    c2, _ = client(in_flight=in_flight)
    c2.responses.create(model="gpt-5", conversation={"id": "conv_1"}, input="three")


def test_r9_conversation_released_after_a_network_error() -> None:
    in_flight = _InFlight()

    def broken(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("down", request=request)

    c, _ = client(handler=broken, in_flight=in_flight)
    with pytest.raises(openai.APIConnectionError):
        c.responses.create(model="gpt-5", conversation="conv_1", input="x")
    assert in_flight.acquire("conv_1")


def test_async_client() -> None:
    import asyncio

    rec = Recorder()

    async def handler(request: httpx.Request) -> httpx.Response:
        return rec(request)

    async def run() -> None:
        transport = AsyncGuardTransport(httpx.MockTransport(handler), in_flight=_InFlight())
        http = httpx.AsyncClient(transport=transport)
        c = openai.AsyncOpenAI(
            api_key="x", base_url="http://test/v1", http_client=http, max_retries=0
        )
        await c.responses.create(model="gpt-5", input="hi")
        with pytest.raises(ReplayCheckError):
            await c.responses.create(model="gpt-5", input=BAD_INPUT)

    asyncio.run(run())
    assert len(rec.bodies) == 1


def test_bad_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="mode"):
        GuardTransport(httpx.MockTransport(Recorder()), "silent")  # type: ignore[arg-type]
