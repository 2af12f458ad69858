"""An opt-in guard for `openai` clients: check every outgoing `POST .../responses` before it is sent.

It wraps the HTTP transport of the client's `httpx` client::

    http = httpx.Client(transport=GuardTransport(httpx.HTTPTransport()))
    client = openai.OpenAI(http_client=http)          # or guarded_client() for both at once

Mode "raise" raises `ReplayCheckError` before the network call when the checker finds an error;
mode "log" logs the findings and sends the request anyway. In both modes a second request on a
`conversation` that has one in flight in this process is refused (R9), until the first response
has been read or closed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any, Literal

import httpx

from ._errors import InputError
from ._parse import as_plain
from .checker import Finding, ReplayCheckError, check

__all__ = [
    "AsyncGuardTransport",
    "ConversationBusy",
    "GuardMode",
    "GuardTransport",
    "guarded_async_client",
    "guarded_client",
]

GuardMode = Literal["raise", "log"]

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


def _is_create(request: httpx.Request) -> bool:
    return request.method == "POST" and request.url.path.rstrip("/").endswith("/responses")


def _conversation(body: Any) -> str | None:
    if not isinstance(body, Mapping):
        return None
    conv = body.get("conversation")
    if isinstance(conv, Mapping):
        conv = conv.get("id")
    return conv if isinstance(conv, str) and conv else None


class _Guard:
    def __init__(
        self, mode: GuardMode, logger: logging.Logger | None, in_flight: _InFlight
    ) -> None:
        if mode not in ("raise", "log"):
            raise ValueError(f"mode must be 'raise' or 'log', not {mode!r}")
        self.mode = mode
        self.log = logger or log
        self.in_flight = in_flight

    def before(self, request: httpx.Request, content: bytes) -> str | None:
        """Check one request; the conversation id it now holds (release it when done), if any."""
        try:
            body = as_plain(content, "the request body")
            findings = check(body)
        except InputError as exc:
            if self.mode == "raise":
                raise
            self.log.warning("responses-replay guard: %s %s: %s", request.method, request.url, exc)
            return None
        errors = [f for f in findings if f.severity == "error"]
        if errors and self.mode == "raise":
            raise ReplayCheckError(findings)
        for f in findings:
            level = logging.ERROR if f.severity == "error" else logging.WARNING
            self.log.log(level, "responses-replay guard: %s", f)
        conversation = _conversation(body)
        if conversation is not None and not self.in_flight.acquire(conversation):
            finding = Finding(
                "R9",
                "conversation",
                _R9,
                "Send one request at a time per conversation; wait for the response in flight.",
            )
            if self.mode == "raise":
                raise ConversationBusy([finding])
            self.log.error("responses-replay guard: %s", finding)
            return None
        return conversation


class _Releasing(httpx.SyncByteStream):
    def __init__(self, inner: Any, release: Any) -> None:
        self._inner = inner
        self._release = release

    def __iter__(self) -> Iterator[bytes]:
        yield from self._inner

    def close(self) -> None:
        try:
            close = getattr(self._inner, "close", None)
            if close is not None:
                close()
        finally:
            self._release()


class _AsyncReleasing(httpx.AsyncByteStream):
    def __init__(self, inner: Any, release: Any) -> None:
        self._inner = inner
        self._release = release

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            yield chunk

    async def aclose(self) -> None:
        try:
            aclose = getattr(self._inner, "aclose", None)
            if aclose is not None:
                await aclose()
        finally:
            self._release()


class _Once:
    def __init__(self, in_flight: _InFlight, conversation: str) -> None:
        self._in_flight = in_flight
        self._conversation = conversation
        self._done = False

    def __call__(self) -> None:
        if not self._done:
            self._done = True
            self._in_flight.release(self._conversation)


class GuardTransport(httpx.BaseTransport):
    """Wraps a transport: checks `POST .../responses` bodies, holds conversations (R9)."""

    def __init__(
        self,
        inner: httpx.BaseTransport | None = None,
        mode: GuardMode = "raise",
        *,
        logger: logging.Logger | None = None,
        in_flight: _InFlight | None = None,
    ) -> None:
        self.inner = inner if inner is not None else httpx.HTTPTransport()
        self._guard = _Guard(mode, logger, in_flight or IN_FLIGHT)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not _is_create(request):
            return self.inner.handle_request(request)
        conversation = self._guard.before(request, request.read())
        if conversation is None:
            return self.inner.handle_request(request)
        release = _Once(self._guard.in_flight, conversation)
        try:
            response = self.inner.handle_request(request)
        except BaseException:
            release()
            raise
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=_Releasing(response.stream, release),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self.inner.close()


class AsyncGuardTransport(httpx.AsyncBaseTransport):
    """The `httpx.AsyncClient` twin of `GuardTransport`."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport | None = None,
        mode: GuardMode = "raise",
        *,
        logger: logging.Logger | None = None,
        in_flight: _InFlight | None = None,
    ) -> None:
        self.inner = inner if inner is not None else httpx.AsyncHTTPTransport()
        self._guard = _Guard(mode, logger, in_flight or IN_FLIGHT)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not _is_create(request):
            return await self.inner.handle_async_request(request)
        conversation = self._guard.before(request, await request.aread())
        if conversation is None:
            return await self.inner.handle_async_request(request)
        release = _Once(self._guard.in_flight, conversation)
        try:
            response = await self.inner.handle_async_request(request)
        except BaseException:
            release()
            raise
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=_AsyncReleasing(response.stream, release),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self.inner.aclose()


def guarded_client(
    mode: GuardMode = "raise",
    *,
    transport: httpx.BaseTransport | None = None,
    logger: logging.Logger | None = None,
    **client_kwargs: Any,
) -> httpx.Client:
    """An `httpx.Client` to pass as `openai.OpenAI(http_client=...)`, with the guard installed."""
    return httpx.Client(transport=GuardTransport(transport, mode, logger=logger), **client_kwargs)


def guarded_async_client(
    mode: GuardMode = "raise",
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    logger: logging.Logger | None = None,
    **client_kwargs: Any,
) -> httpx.AsyncClient:
    """An `httpx.AsyncClient` to pass as `openai.AsyncOpenAI(http_client=...)`, guarded."""
    return httpx.AsyncClient(
        transport=AsyncGuardTransport(transport, mode, logger=logger), **client_kwargs
    )
