"""The client guard, driven by the real `openai` SDK over mock transports of `httpx2` and `httpx`.

openai >= 3 sends through `httpx2` and still accepts a legacy `httpx` client: every test runs on
both libraries, each request answered with its own library's types. openai < 3 has only `httpx`;
`make sdk-matrix` runs this file under the oldest supported openai, 2.17, 2.29, 3.0 and the newest.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import threading
from types import ModuleType
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
    guarded_async_client,
    guarded_client,
    install_guard,
    refusal_of,
)

try:  # what openai >= 3 sends through (and annotates `http_client` with)
    import httpx2
except ImportError:  # openai < 3: httpx only
    httpx2 = None  # type: ignore[assignment]

HTTP: Any = httpx2 if "httpx2" in sys.modules and openai.__version__ >= "3" else httpx
LIBRARIES = [pytest.param(httpx, id="httpx")]
if httpx2 is not None and openai.__version__ >= "3":
    LIBRARIES.insert(0, pytest.param(httpx2, id="httpx2"))


def library_of(request: Any) -> Any:
    return sys.modules[type(request).__module__.partition(".")[0]]


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

    def __call__(self, request: Any) -> Any:
        self.bodies.append(json.loads(request.content) if request.content else {})
        return library_of(request).Response(200, json=RESPONSE)


def refused(error: type[openai.APIStatusError], call: Any) -> ReplayCheckError:
    """Run `call`; it must raise `error` (a local answer of the guard); the refusal behind it."""
    with pytest.raises(error) as info:
        call()
    assert info.value.response.headers["x-should-retry"] == "false"
    found = refusal_of(info.value)
    assert isinstance(found, ReplayCheckError), info.value
    return found


def client(
    lib: ModuleType = HTTP,
    mode: str = "raise",
    handler: Any = None,
    in_flight: _InFlight | None = None,
) -> tuple[openai.OpenAI, Recorder]:
    rec = handler or Recorder()
    transport = GuardTransport(lib.MockTransport(rec), mode, in_flight=in_flight or _InFlight())  # type: ignore[arg-type]
    http: Any = lib.Client(transport=transport)
    return openai.OpenAI(
        api_key="x", base_url="http://test/v1", http_client=http, max_retries=0
    ), rec


@pytest.mark.parametrize("lib", LIBRARIES)
def test_a_clean_request_goes_through(lib: ModuleType) -> None:
    c, rec = client(lib)
    r = c.responses.create(model="gpt-5", input="hi")
    assert r.id == "resp_1"
    assert rec.bodies == [{"model": "gpt-5", "input": "hi"}]


@pytest.mark.parametrize("lib", LIBRARIES)
def test_raise_mode_stops_the_request_before_the_network(lib: ModuleType) -> None:
    c, rec = client(lib)
    found = refused(
        openai.BadRequestError, lambda: c.responses.create(model="gpt-5", input=BAD_INPUT)
    )
    assert rec.bodies == []
    assert [(f.rule, f.path) for f in found.findings] == [("R1", "input[1].status")]


@pytest.mark.parametrize("lib", LIBRARIES)
def test_log_mode_logs_and_sends(lib: ModuleType, caplog: pytest.LogCaptureFixture) -> None:
    c, rec = client(lib, "log")
    with caplog.at_level(logging.WARNING, logger="responses_replay.guard"):
        c.responses.create(model="gpt-5", input=BAD_INPUT)
    assert len(rec.bodies) == 1
    assert "Unknown parameter: 'input[1].status'." in caplog.text


@pytest.mark.parametrize("lib", LIBRARIES)
def test_other_endpoints_are_not_checked(lib: ModuleType) -> None:
    c, rec = client(lib)
    c.responses.with_raw_response.retrieve("resp_1")
    assert rec.bodies == [{}]


@pytest.mark.parametrize("lib", LIBRARIES)
def test_r9_second_request_on_a_busy_conversation_is_refused(lib: ModuleType) -> None:
    in_flight = _InFlight()
    entered, release = threading.Event(), threading.Event()

    def slow(request: Any) -> Any:
        entered.set()
        release.wait(5)
        return lib.Response(200, json=RESPONSE)

    c, _ = client(lib, handler=slow, in_flight=in_flight)
    worker = threading.Thread(
        target=lambda: c.responses.create(model="gpt-5", conversation="conv_1", input="one")
    )
    worker.start()
    assert entered.wait(5)
    try:
        busy = refused(
            openai.ConflictError,
            lambda: c.responses.create(model="gpt-5", conversation="conv_1", input="two"),
        )
        assert isinstance(busy, ConversationBusy)
        assert busy.findings[0].rule == "R9"
        # another conversation is not held up
        other, _ = client(lib, in_flight=in_flight)
        other.responses.create(model="gpt-5", conversation="conv_2", input="x")
    finally:
        release.set()
        worker.join(5)
    # once the first response is read, the conversation is free again
    c2, _ = client(lib, in_flight=in_flight)
    c2.responses.create(model="gpt-5", conversation={"id": "conv_1"}, input="three")


@pytest.mark.parametrize("lib", LIBRARIES)
def test_r9_conversation_released_after_a_network_error(lib: ModuleType) -> None:
    in_flight = _InFlight()

    def broken(request: Any) -> Any:
        raise lib.ConnectError("down", request=request)

    c, _ = client(lib, handler=broken, in_flight=in_flight)
    with pytest.raises(openai.APIConnectionError):
        c.responses.create(model="gpt-5", conversation="conv_1", input="x")
    assert in_flight.acquire("conv_1")


@pytest.mark.parametrize("lib", LIBRARIES)
def test_async_client(lib: ModuleType) -> None:
    rec = Recorder()

    async def handler(request: Any) -> Any:
        return rec(request)

    async def run() -> None:
        transport = AsyncGuardTransport(lib.MockTransport(handler), in_flight=_InFlight())
        http: Any = lib.AsyncClient(transport=transport)
        c = openai.AsyncOpenAI(
            api_key="x", base_url="http://test/v1", http_client=http, max_retries=0
        )
        await c.responses.create(model="gpt-5", input="hi")
        with pytest.raises(openai.BadRequestError) as info:
            await c.responses.create(model="gpt-5", input=BAD_INPUT)
        assert isinstance(refusal_of(info.value), ReplayCheckError)

    asyncio.run(run())
    assert len(rec.bodies) == 1


def test_bad_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="mode"):
        GuardTransport(HTTP.MockTransport(Recorder()), "silent")  # type: ignore[arg-type]


def test_guarded_client_is_openais_default_client() -> None:
    """`guarded_client()` keeps openai's defaults (timeout, redirects) and is what OpenAI() takes."""
    rec = Recorder()
    http = guarded_client(transport=HTTP.MockTransport(rec))
    assert isinstance(http, openai.DefaultHttpxClient)
    assert http.timeout == HTTP.Timeout(600, connect=5)
    c = openai.OpenAI(api_key="x", base_url="http://test/v1", http_client=http, max_retries=0)
    c.responses.create(model="gpt-5", input="hi")
    refused(openai.BadRequestError, lambda: c.responses.create(model="gpt-5", input=BAD_INPUT))
    assert rec.bodies == [{"model": "gpt-5", "input": "hi"}]


def test_guarded_async_client() -> None:
    rec = Recorder()

    async def handler(request: Any) -> Any:
        return rec(request)

    async def run() -> None:
        http = guarded_async_client("log", transport=HTTP.MockTransport(handler))
        assert isinstance(http, openai.DefaultAsyncHttpxClient)
        c = openai.AsyncOpenAI(api_key="x", base_url="http://test/v1", http_client=http)
        await c.responses.create(model="gpt-5", input=BAD_INPUT)

    asyncio.run(run())
    assert len(rec.bodies) == 1


@pytest.mark.parametrize("lib", LIBRARIES)
def test_a_streamed_response_releases_the_conversation_when_read(lib: ModuleType) -> None:
    """R9 bookkeeping follows the response body: held while streaming, free once it is read."""
    in_flight = _InFlight()
    sse = (
        b"event: response.completed\n"
        b"data: " + json.dumps({"type": "response.completed", "sequence_number": 0,
                                "response": RESPONSE}).encode() + b"\n\n"
    )  # fmt: skip

    def stream(request: Any) -> Any:  # a body still arriving: a one-shot iterator, not bytes
        return lib.Response(200, headers={"content-type": "text/event-stream"}, content=iter([sse]))

    c, _ = client(lib, handler=stream, in_flight=in_flight)
    with c.responses.create(model="gpt-5", conversation="conv_1", input="x", stream=True) as s:
        assert not in_flight.acquire("conv_1")  # held while the stream is open
        events = [e.type for e in s]
    assert events == ["response.completed"]
    assert in_flight.acquire("conv_1")


def test_without_inner_the_requests_library_default_transport_is_used() -> None:
    """No `inner`: each request goes through its own library's HTTPTransport (made on first use)."""
    guard = GuardTransport(in_flight=_InFlight())
    libraries = [p.values[0] for p in LIBRARIES]
    clients = [lib.Client(transport=guard) for lib in libraries]
    for http, lib in zip(clients, libraries, strict=True):
        with pytest.raises(lib.ConnectError):  # nothing listens there: the real transport tried
            http.get("http://127.0.0.1:9/")
    assert sorted(guard._default.made) == sorted(lib.__name__ for lib in libraries)
    for lib in libraries:
        assert isinstance(guard._default.made[lib.__name__], lib.HTTPTransport)
    clients[0].close()  # closes the guard and what it made
    assert guard._default.made == {}


def test_proxy_requests_are_guarded_too() -> None:
    """A proxy mount (from proxy= or the environment) goes through the guard like the rest."""
    c = openai.OpenAI(
        api_key="x",
        base_url="http://test/v1",
        http_client=guarded_client(proxy="http://127.0.0.1:9"),
        max_retries=0,
    )
    # refused before the (unreachable) proxy is tried
    refused(openai.BadRequestError, lambda: c.responses.create(model="gpt-5", input=BAD_INPUT))
    with pytest.raises(openai.APIConnectionError):  # a clean request does go to the proxy
        c.responses.create(model="gpt-5", input="hi")


def test_environment_proxies_are_kept_and_guarded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    plain: Any = openai.DefaultHttpxClient()
    guarded: Any = guarded_client()
    assert [str(p.pattern) for p in guarded._mounts] == [str(p.pattern) for p in plain._mounts]
    assert guarded._mounts
    assert all(isinstance(t, GuardTransport) for t in guarded._mounts.values())


def test_client_settings_reach_the_transport() -> None:
    """verify/limits as DefaultHttpxClient applies them: the guard wraps the transport it built."""
    plain: Any = openai.DefaultHttpxClient(verify=False)
    guarded: Any = guarded_client(verify=False)
    inner = guarded._transport.inner
    assert isinstance(guarded._transport, GuardTransport)
    assert type(inner) is type(plain._transport)
    assert inner._pool._ssl_context.verify_mode == plain._transport._pool._ssl_context.verify_mode
    assert inner._pool._max_connections == plain._transport._pool._max_connections == 1000


@pytest.mark.parametrize("lib", LIBRARIES)
def test_a_body_the_inner_transport_already_read_is_kept(lib: ModuleType) -> None:
    """An inner transport that reads the response (to log it, say) does not break R9 bookkeeping."""
    in_flight = _InFlight()

    class Reading(lib.BaseTransport):  # type: ignore[misc,name-defined]
        def handle_request(self, request: Any) -> Any:
            response = lib.Response(200, json=RESPONSE, request=request)
            response.read()
            return response

    http: Any = lib.Client(transport=GuardTransport(Reading(), in_flight=in_flight))
    c = openai.OpenAI(api_key="x", base_url="http://test/v1", http_client=http, max_retries=0)
    assert c.responses.create(model="gpt-5", conversation="conv_1", input="x").id == "resp_1"
    assert in_flight.acquire("conv_1")


@pytest.mark.skipif(HTTP is httpx, reason="openai < 3 has one HTTP library")
def test_a_transport_of_the_other_library_is_refused_clearly() -> None:
    with pytest.raises(TypeError, match=r"transport= must be an httpx2\.BaseTransport"):
        guarded_client(transport=httpx.MockTransport(Recorder()))  # type: ignore[arg-type]


@pytest.mark.parametrize("lib", LIBRARIES)
def test_install_guard_on_an_existing_client(lib: ModuleType) -> None:
    rec = Recorder()
    http: Any = install_guard(lib.Client(transport=lib.MockTransport(rec)), in_flight=_InFlight())
    assert install_guard(http) is http  # idempotent
    assert isinstance(http._transport, GuardTransport)
    assert not isinstance(http._transport.inner, GuardTransport)
    c = openai.OpenAI(api_key="x", base_url="http://test/v1", http_client=http, max_retries=0)
    refused(openai.BadRequestError, lambda: c.responses.create(model="gpt-5", input=BAD_INPUT))
    assert rec.bodies == []
    with pytest.raises(TypeError, match="httpx2 or httpx"):
        install_guard(object())


# -- a refusal is the API's own error shape, raised at once on every openai version -------------
# openai < 3.14.1 retries any exception raised in the transport and raises APIConnectionError; a
# local HTTP answer with `x-should-retry: false` is raised as the status error on the first attempt.


def counting_client(lib: ModuleType, in_flight: _InFlight, handler: Any = None) -> tuple[
    openai.OpenAI, list[Any]
]:  # fmt: skip
    """A guarded client with openai's default retries; the list of attempts it made."""
    attempts: list[Any] = []
    transport = GuardTransport(lib.MockTransport(handler or Recorder()), in_flight=in_flight)
    http: Any = lib.Client(transport=transport, event_hooks={"request": [attempts.append]})
    return openai.OpenAI(api_key="x", base_url="http://test/v1", http_client=http), attempts


@pytest.mark.parametrize("lib", LIBRARIES)
def test_a_refusal_is_a_bad_request_on_the_first_attempt(lib: ModuleType) -> None:
    c, attempts = counting_client(lib, _InFlight())
    with pytest.raises(openai.BadRequestError) as info:
        c.responses.create(model="gpt-5", input=BAD_INPUT)
    assert len(attempts) == 1  # not retried (openai's default is 2 retries)
    exc = info.value
    assert exc.status_code == 400
    # the API's error shape and words for R1 (api-errors.md), with the findings attached
    assert exc.code == "unknown_parameter"
    assert exc.param == "input[1].status"
    assert exc.type == "invalid_request_error"
    body: Any = exc.body
    assert {"message", "type", "param", "code"} <= set(body)
    assert body["message"].startswith("Unknown parameter: 'input[1].status'.")
    found = refusal_of(exc)
    assert isinstance(found, ReplayCheckError)
    assert body["findings"] == [f.to_dict() for f in found.findings]
    assert [f["rule"] for f in body["findings"]] == ["R1"]


@pytest.mark.parametrize("lib", LIBRARIES)
def test_r9_is_a_conflict_at_once_never_retried_nor_waited_for(lib: ModuleType) -> None:
    """R9 is refused at once on every version (openai retries a 409 unless told not to)."""
    in_flight = _InFlight()
    assert in_flight.acquire("conv_1")  # a request in flight on conv_1
    c, attempts = counting_client(lib, in_flight)
    with pytest.raises(openai.ConflictError) as info:
        c.responses.create(model="gpt-5", conversation="conv_1", input="two")
    assert len(attempts) == 1
    assert info.value.code == "conversation_locked"
    body: Any = info.value.body
    assert body["message"].startswith(
        "Another process is currently operating on this conversation."
    )
    assert isinstance(refusal_of(info.value), ConversationBusy)
    in_flight.release("conv_1")
    c.responses.create(model="gpt-5", conversation="conv_1", input="three")  # free again


@pytest.mark.parametrize("lib", LIBRARIES)
def test_an_error_the_api_sent_is_not_a_refusal(lib: ModuleType) -> None:
    def api_says_no(request: Any) -> Any:
        error = {"message": "Invalid model", "type": "invalid_request_error", "param": "model",
                 "code": None}  # fmt: skip
        return lib.Response(400, json={"error": error})

    c, _ = client(lib, handler=api_says_no)
    with pytest.raises(openai.BadRequestError) as info:
        c.responses.create(model="nope", input="hi")
    assert refusal_of(info.value) is None


@pytest.mark.parametrize("lib", LIBRARIES)
def test_an_unreadable_body_is_refused_with_the_reason(lib: ModuleType) -> None:
    """Without openai (a plain client), the refusal is the response; its extension holds why."""
    rec = Recorder()
    http: Any = lib.Client(transport=GuardTransport(lib.MockTransport(rec), in_flight=_InFlight()))
    response = http.post("http://test/v1/responses", content=b"{not json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request_body"
    assert "not valid JSON" in response.json()["error"]["message"]
    assert rec.bodies == []
    assert "JSON" in str(response.extensions["responses_replay.refusal"])


@pytest.mark.parametrize("lib", LIBRARIES)
def test_async_refusals_are_raised_at_once(lib: ModuleType) -> None:
    in_flight = _InFlight()
    attempts: list[Any] = []

    async def handler(request: Any) -> Any:
        return Recorder()(request)

    async def count(request: Any) -> None:
        attempts.append(request)

    async def run() -> None:
        transport = AsyncGuardTransport(lib.MockTransport(handler), in_flight=in_flight)
        http: Any = lib.AsyncClient(transport=transport, event_hooks={"request": [count]})
        c = openai.AsyncOpenAI(api_key="x", base_url="http://test/v1", http_client=http)
        with pytest.raises(openai.BadRequestError) as bad:
            await c.responses.create(model="gpt-5", input=BAD_INPUT)
        assert isinstance(refusal_of(bad.value), ReplayCheckError)
        assert in_flight.acquire("conv_1")
        with pytest.raises(openai.ConflictError) as busy:
            await c.responses.create(model="gpt-5", conversation="conv_1", input="x")
        assert isinstance(refusal_of(busy.value), ConversationBusy)

    asyncio.run(run())
    assert len(attempts) == 2


@pytest.mark.parametrize("lib", LIBRARIES)
def test_a_refused_stream_and_raw_response_raise_the_same(lib: ModuleType) -> None:
    c, attempts = counting_client(lib, _InFlight())
    with pytest.raises(openai.BadRequestError) as streamed:
        c.responses.create(model="gpt-5", input=BAD_INPUT, stream=True)
    with pytest.raises(openai.BadRequestError) as raw:
        c.responses.with_raw_response.create(model="gpt-5", input=BAD_INPUT)
    assert len(attempts) == 2
    for info in (streamed, raw):
        assert isinstance(refusal_of(info.value), ReplayCheckError)


def test_a_checker_failure_is_a_refusal_not_a_connection_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import responses_replay.guard as guard_module

    def broken(body: Any) -> Any:
        raise TypeError("a checker bug")

    monkeypatch.setattr(guard_module, "check", broken)
    c, attempts = counting_client(HTTP, _InFlight())
    with pytest.raises(openai.BadRequestError) as info:
        c.responses.create(model="gpt-5", input="hi")
    assert len(attempts) == 1
    assert "TypeError: a checker bug" in str(refusal_of(info.value))


def test_a_repairer_failure_sends_the_body_unrepaired_and_judged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Was: the repairer's exception left the transport, and openai retried it twice as a
    # connection error before raising APIConnectionError (see counting_client)
    import responses_replay.repairer as repairer_module

    def broken(body: Any) -> Any:
        raise TypeError("a repairer bug")

    monkeypatch.setattr(repairer_module, "repair", broken)
    rec = Recorder()
    transport = GuardTransport(HTTP.MockTransport(rec), "repair", in_flight=_InFlight())
    attempts: list[Any] = []
    http: Any = HTTP.Client(transport=transport, event_hooks={"request": [attempts.append]})
    c = openai.OpenAI(api_key="x", base_url="http://test/v1", http_client=http)
    with caplog.at_level(logging.WARNING, logger="responses_replay.guard"):
        c.responses.create(model="gpt-5", input="hi")  # clean: sent as is
        with pytest.raises(openai.BadRequestError) as info:
            c.responses.create(model="gpt-5", input=BAD_INPUT)  # judged: refused
    assert len(attempts) == 2
    assert rec.bodies == [{"model": "gpt-5", "input": "hi"}]
    assert isinstance(refusal_of(info.value), ReplayCheckError)
    assert "TypeError: a repairer bug" in caplog.text
