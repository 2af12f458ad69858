"""The pause of the cyclic garbage collector around a public call that builds many objects.

A base module (no imports from the package): the generated adapters (`_lazy`) use it too.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import threading
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

__all__ = ["paused_gc", "pausing_gc"]

_P = ParamSpec("_P")
_R = TypeVar("_R")


class _Pause:
    """The process-wide pause of the cyclic collector, shared by every thread.

    The collector is one switch for the whole process, so the pause is counted: the first call
    to enter switches it off (when it was on), the last to leave switches it back on. Two threads
    parsing at once therefore never leave it off for each other, a call nested in another does
    not switch it on halfway, and an exception leaves through the same `finally`.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._restore = False

    def enter(self) -> None:
        with self._lock:
            if self._depth == 0:
                self._restore = gc.isenabled()
                gc.disable()
            self._depth += 1

    def leave(self) -> None:
        with self._lock:
            self._depth -= 1
            if self._depth == 0 and self._restore:
                self._restore = False
                gc.enable()


_PAUSE = _Pause()


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for one public call that builds many objects at once.

    Reading 10,000 items allocates ~300,000 acyclic objects; with the collector on, the
    collections they trigger walk the new objects again and again, and on a heap holding an
    app's live data a full collection walks that too (measured in `make bench`, "loaded heap":
    about 2x the call's time; docs/performance.md). Nothing built here makes a cycle, so nothing
    is left for the collector to free. Counted and locked: see `_Pause`.
    """
    _PAUSE.enter()
    try:
        yield
    finally:
        _PAUSE.leave()


def pausing_gc(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """`fn` run under one `paused_gc()` (a decorator for a public entry point)."""

    @functools.wraps(fn)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with paused_gc():
            return fn(*args, **kwargs)

    return paused
