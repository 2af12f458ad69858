"""An opt-in guard for `openai` clients: check every outgoing `POST .../responses` before it is sent.

It wraps the transport of the client's HTTP client::

    client = openai.OpenAI(http_client=guarded_client())          # or guarded_client("log")

`guarded_client()` is `openai.DefaultHttpxClient` (openai's own defaults: timeouts, connection
limits, redirects) with `GuardTransport` installed, so it has the type that the installed `openai`
annotates `http_client` with (`httpx2.Client` from openai 3, `httpx.Client` before). The
transports work with either library: each request is answered with its own library's types.

Mode "raise" refuses a request the checker finds an error in: nothing is sent, and the request is
answered locally in the API's own error shape (HTTP 400, `{"error": {"message", "type", "param",
"code", "findings"}}`, header `x-should-retry: false`). Every `openai` version raises that as
`openai.BadRequestError` on the first attempt, without retrying (an exception raised inside the
transport is retried and turned into `APIConnectionError` by every `openai` below 3.14.1);
`refusal_of(exc)` gives back the `ReplayCheckError` with every finding. Mode "repair" sends the
body as `repair()` corrects it, logs each repair at WARNING (one line each, rule and path), and
refuses what it cannot repair as mode "raise" does. A second request on a
`conversation` that has one in flight in this process (R9) is answered 409 `conversation_locked`
(`openai.ConflictError`), also at once and never retried. Mode "log" logs the findings and sends
the request anyway.
"""

from __future__ import annotations

import importlib
import json
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

try:
    from openai import DefaultAsyncHttpxClient, DefaultHttpxClient
except ImportError as exc:  # tested in a fresh venv without the extra (test_packaging)
    raise ImportError(
        "responses_replay.guard wraps an openai client: pip install 'responses-replay[openai]'"
    ) from exc

if TYPE_CHECKING:  # the HTTP library openai >= 3 uses; its types annotate `http_client`
    import httpx2 as http
else:  # the one the installed openai's client is built on (openai < 3: httpx, even beside httpx2)
    http = importlib.import_module(
        next(
            c.__module__.partition(".")[0]
            for c in DefaultHttpxClient.__mro__
            if c.__module__.partition(".")[0] in ("httpx2", "httpx")
        )
    )

from ._errors import InputError
from ._guard_http import DefaultInner, hold_until_closed, library_of
from ._parse import as_plain
from ._refusal import refusal_of, refused
from .checker import Finding, ReplayCheckError, check

__all__ = [
    "AsyncGuardTransport",
    "ConversationBusy",
    "GuardMode",
    "GuardTransport",
    "guarded_async_client",
    "guarded_client",
    "install_guard",
    "refusal_of",
]

GuardMode = Literal["raise", "log", "repair"]

log = logging.getLogger("responses_replay.guard")

_R9 = "Another process is currently operating on this conversation. Please retry in a few seconds."


class ConversationBusy(ReplayCheckError):
    """R9: a request on this conversation is already in flight in this process."""


class _InFlight:
    """Conversation ids with a request in flight (shared by every guard in the process)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._busy: set[str] = set()

    def acquire(self, conversation: str) -> bool:
        with self._lock:
            if conversation in self._busy:
                return False
            self._busy.add(conversation)
            return True

    def release(self, conversation: str) -> None:
        with self._lock:
            self._busy.discard(conversation)


IN_FLIGHT = _InFlight()


def _is_create(request: http.Request) -> bool:
    return request.method == "POST" and request.url.path.rstrip("/").endswith("/responses")


def _conversation(body: Any) -> str | None:
    if not isinstance(body, Mapping):
        return None
    conv = body.get("conversation")
    if isinstance(conv, Mapping):
        conv = conv.get("id")
    return conv if isinstance(conv, str) and conv else None


@dataclass(frozen=True)
class _Verdict:
    """What to do with one request: answer it locally with `refusal`, or send it (holding
    `conversation` until its response is closed)."""

    refusal: ReplayCheckError | InputError | None = None
    status: int = 400
    conversation: str | None = None


_SEND = _Verdict()


class _Guard:
    def __init__(
        self, mode: GuardMode, logger: logging.Logger | None, in_flight: _InFlight
    ) -> None:
        if mode not in ("raise", "log", "repair"):
            raise ValueError(f"mode must be 'raise', 'log' or 'repair', not {mode!r}")
        self.mode = mode
        self.log = logger or log
        self.in_flight = in_flight

    def _decide(
        self, request: http.Request, problem: ReplayCheckError | InputError, status: int
    ) -> _Verdict:
        """The one place the mode decides: refuse the request, or log the problem and send it."""
        if self.mode != "log":  # "raise", and "repair" for what it could not repair
            return _Verdict(problem, status)
        if isinstance(problem, InputError):
            self.log.warning(
                "responses-replay guard: %s %s: %s", request.method, request.url, problem
            )
        else:
            for f in problem.findings:
                level = logging.ERROR if f.severity == "error" else logging.WARNING
                self.log.log(level, "responses-replay guard: %s", f)
        return _SEND

    def repaired(self, request: http.Request) -> http.Request:
        """Mode "repair": the request with its body repaired, each repair logged (else as is)."""
        if self.mode != "repair":
            return request
        from .repairer import repair

        try:
            result = repair(request.read())
        except InputError:
            return request  # `judge` refuses it, as mode "raise" does
        except Exception as exc:  # a repairer bug must not become openai's retried
            # "connection error" (as in `judge`): the body goes on unrepaired, and is judged
            self.log.warning(
                "responses-replay guard: the repairer failed on this body, not repaired: %s: %s",
                type(exc).__name__,
                exc,
            )
            return request
        if not result.repairs:
            return request
        for r in result.repairs:
            self.log.warning("responses-replay guard: %s", r)
        content = json.dumps(result.body, separators=(",", ":")).encode()
        headers = request.headers.copy()
        headers["Content-Length"] = str(len(content))
        library = library_of(request)
        fresh: http.Request = library.Request(
            request.method, request.url, headers=headers, content=content,
            extensions=request.extensions,
        )  # fmt: skip
        return fresh

    def judge(self, request: http.Request, content: bytes) -> _Verdict:
        """Check one request body, and take its conversation (R9) when it is to be sent."""
        try:
            body = as_plain(content, "the request body")
            findings = check(body)
        except InputError as exc:
            return self._decide(request, exc, 400)
        except (
            Exception
        ) as exc:  # a checker bug must not become openai's retried "connection error"
            failed = InputError(f"the checker failed on this body: {type(exc).__name__}: {exc}")
            return self._decide(request, failed, 400)
        if any(f.severity == "error" for f in findings):
            verdict = self._decide(request, ReplayCheckError(findings), 400)
            if verdict.refusal is not None:
                return verdict
        else:  # warnings only: logged, never refused
            for f in findings:
                self.log.warning("responses-replay guard: %s", f)
        conversation = _conversation(body)
        if conversation is None:
            return _SEND
        if not self.in_flight.acquire(conversation):
            busy = Finding(
                "R9",
                "conversation",
                _R9,
                "Send one request at a time per conversation; wait for the response in flight.",
            )
            return self._decide(request, ConversationBusy([busy]), 409)
        return _Verdict(conversation=conversation)


class _Once:
    def __init__(self, in_flight: _InFlight, conversation: str) -> None:
        self._in_flight = in_flight
        self._conversation = conversation
        self._done = False

    def __call__(self) -> None:
        if not self._done:
            self._done = True
            self._in_flight.release(self._conversation)


class GuardTransport(http.BaseTransport):
    """Wraps a transport: checks `POST .../responses` bodies, holds conversations (R9).

    Works under an `httpx2.Client` or an `httpx.Client`; without `inner`, the requests go out
    through that library's default `HTTPTransport`.
    """

    def __init__(
        self,
        inner: http.BaseTransport | None = None,
        mode: GuardMode = "raise",
        *,
        logger: logging.Logger | None = None,
        in_flight: _InFlight | None = None,
    ) -> None:
        self.inner = inner
        self._default = DefaultInner("HTTPTransport")
        self._guard = _Guard(mode, logger, in_flight or IN_FLIGHT)

    def _send(self, request: http.Request) -> http.Response:
        inner = self.inner if self.inner is not None else self._default(request)
        response: http.Response = inner.handle_request(request)
        return response

    def handle_request(self, request: http.Request) -> http.Response:
        if not _is_create(request):
            return self._send(request)
        request = self._guard.repaired(request)
        verdict = self._guard.judge(request, request.read())
        if verdict.refusal is not None:
            return refused(request, verdict.refusal, verdict.status)
        if verdict.conversation is None:
            return self._send(request)
        release = _Once(self._guard.in_flight, verdict.conversation)
        try:
            response = self._send(request)
        except BaseException:
            release()
            raise
        held: http.Response = hold_until_closed(response, release, sync=True)
        return held

    def close(self) -> None:
        try:
            if self.inner is not None:
                self.inner.close()
        finally:
            for made in self._default.take_all():
                made.close()


class AsyncGuardTransport(http.AsyncBaseTransport):
    """The `AsyncClient` twin of `GuardTransport`."""

    def __init__(
        self,
        inner: http.AsyncBaseTransport | None = None,
        mode: GuardMode = "raise",
        *,
        logger: logging.Logger | None = None,
        in_flight: _InFlight | None = None,
    ) -> None:
        self.inner = inner
        self._default = DefaultInner("AsyncHTTPTransport")
        self._guard = _Guard(mode, logger, in_flight or IN_FLIGHT)

    async def _send(self, request: http.Request) -> http.Response:
        inner = self.inner if self.inner is not None else self._default(request)
        response: http.Response = await inner.handle_async_request(request)
        return response

    async def handle_async_request(self, request: http.Request) -> http.Response:
        if not _is_create(request):
            return await self._send(request)
        await request.aread()
        request = self._guard.repaired(request)
        verdict = self._guard.judge(request, request.read())
        if verdict.refusal is not None:
            return refused(request, verdict.refusal, verdict.status)
        if verdict.conversation is None:
            return await self._send(request)
        release = _Once(self._guard.in_flight, verdict.conversation)
        try:
            response = await self._send(request)
        except BaseException:
            release()
            raise
        held: http.Response = hold_until_closed(response, release, sync=False)
        return held

    async def aclose(self) -> None:
        try:
            if self.inner is not None:
                await self.inner.aclose()
        finally:
            for made in self._default.take_all():
                await made.aclose()


_Client = TypeVar("_Client")


def install_guard(
    client: _Client,
    mode: GuardMode = "raise",
    *,
    logger: logging.Logger | None = None,
    in_flight: _InFlight | None = None,
) -> _Client:
    """Install the guard on an existing `httpx2`/`httpx` client (sync or async); return it.

    Every transport the client sends through is wrapped: its default one and each mount, the
    proxies from `proxy=` or the environment included, so each keeps the settings the client
    built it with (`verify`, `cert`, `limits`, `http2`, ...). Installing twice does nothing more.
    """
    library = library_of(client)
    if not isinstance(client, (library.Client, library.AsyncClient)):
        raise TypeError(
            f"install_guard takes a {library.__name__}.Client or AsyncClient, "
            f"not {type(client).__qualname__}"
        )
    wrap: Any = AsyncGuardTransport if isinstance(client, library.AsyncClient) else GuardTransport
    held: Any = client
    if isinstance(held._transport, (GuardTransport, AsyncGuardTransport)):
        return client

    def guarded(transport: Any) -> Any:
        return wrap(transport, mode, logger=logger, in_flight=in_flight)

    held._transport = guarded(held._transport)
    held._mounts = {
        pattern: None if transport is None else guarded(transport)
        for pattern, transport in held._mounts.items()
    }
    return client


def _check_transport(transport: object, base: type[Any]) -> None:
    if transport is not None and not isinstance(transport, base):
        raise TypeError(
            f"transport= must be an {http.__name__}.{base.__name__} (the HTTP library of the "
            f"installed openai), not {type(transport).__module__}.{type(transport).__qualname__}"
        )


def guarded_client(
    mode: GuardMode = "raise",
    *,
    transport: http.BaseTransport | None = None,
    logger: logging.Logger | None = None,
    **client_kwargs: Any,
) -> DefaultHttpxClient:
    """`openai.DefaultHttpxClient(**client_kwargs)` with the guard installed on every transport.

    Pass it as `OpenAI(http_client=...)`. `proxy=`, `verify=`, `limits=`, environment proxies and
    an explicit `transport=` behave as they do on `DefaultHttpxClient`.
    """
    _check_transport(transport, http.BaseTransport)
    if transport is not None:
        client_kwargs["transport"] = transport
    return install_guard(DefaultHttpxClient(**client_kwargs), mode, logger=logger)


def guarded_async_client(
    mode: GuardMode = "raise",
    *,
    transport: http.AsyncBaseTransport | None = None,
    logger: logging.Logger | None = None,
    **client_kwargs: Any,
) -> DefaultAsyncHttpxClient:
    """`openai.DefaultAsyncHttpxClient`, guarded: pass it as `AsyncOpenAI(http_client=...)`."""
    _check_transport(transport, http.AsyncBaseTransport)
    if transport is not None:
        client_kwargs["transport"] = transport
    return install_guard(DefaultAsyncHttpxClient(**client_kwargs), mode, logger=logger)
