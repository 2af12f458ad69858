"""The guard's HTTP-library plumbing: which library (`httpx2` or `httpx`) an object belongs to,
byte streams that release a conversation when closed, and the default inner transport.

The guard's decisions (check, refuse, repair, hold a conversation) are in `guard`."""

from __future__ import annotations

import functools
import importlib
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from types import ModuleType
from typing import Any


def library_of(obj: object) -> ModuleType:
    """The HTTP library (`httpx2` or `httpx`) an object (request, response, client) belongs to."""
    for cls in type(obj).__mro__:
        root = cls.__module__.partition(".")[0]
        if root in ("httpx2", "httpx"):
            return importlib.import_module(root)
    raise TypeError(f"expected an httpx2 or httpx object, not {type(obj).__qualname__}")


@functools.cache
def releasing_streams(library: ModuleType) -> tuple[type[Any], type[Any]]:
    """Byte streams that release a conversation when closed, for one HTTP library.

    The library's `Response` checks `isinstance(stream, library.SyncByteStream)`, so the wrapper
    must subclass that library's own classes; both libraries may be loaded in one process.
    """

    class Releasing(library.SyncByteStream):  # type: ignore[misc,name-defined]
        def __init__(self, inner: Any, release: Callable[[], None]) -> None:
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

    class AsyncReleasing(library.AsyncByteStream):  # type: ignore[misc,name-defined]
        def __init__(self, inner: Any, release: Callable[[], None]) -> None:
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

    return Releasing, AsyncReleasing


def hold_until_closed(response: Any, release: Callable[[], None], *, sync: bool) -> Any:
    """Release the conversation once `response`'s body is read or closed (now, if it already is).

    The response object itself is kept (headers, extensions, a body an inner transport read):
    only its byte stream is wrapped.
    """
    if response.is_closed:
        release()
        return response
    releasing = releasing_streams(library_of(response))[0 if sync else 1]
    response.stream = releasing(response.stream, release)
    return response


class DefaultInner:
    """The transport to use when none was given: one per HTTP library, made on first use."""

    def __init__(self, factory: str) -> None:
        self._factory = factory  # "HTTPTransport" or "AsyncHTTPTransport"
        self._lock = threading.Lock()
        self.made: dict[str, Any] = {}

    def __call__(self, request: Any) -> Any:
        library = library_of(request)
        with self._lock:
            if library.__name__ not in self.made:
                self.made[library.__name__] = getattr(library, self._factory)()
            return self.made[library.__name__]

    def take_all(self) -> list[Any]:
        """The transports made so far, forgotten here (closing them is the caller's job)."""
        with self._lock:
            made, self.made = list(self.made.values()), {}
        return made
