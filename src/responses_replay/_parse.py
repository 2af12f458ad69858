"""Parse a whole response (dict, JSON text/bytes, or an `openai` SDK object) into Output models."""

from __future__ import annotations

import contextlib
import functools
import gc
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ParamSpec, TypeVar

import pydantic_core
from pydantic import BaseModel, ValidationError

from ._errors import InputError, no_utf8
from ._generated.outputs import (
    CompactedItem,
    CompactedItemListAdapter,
    OutputItem,
    OutputItemListAdapter,
)

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


def as_plain(obj: Any, what: str = "value") -> Any:
    """JSON-like data from a dict, JSON text/bytes, or a pydantic object (the `openai` SDK's)."""
    if isinstance(obj, str | bytes | bytearray | memoryview):
        try:
            return pydantic_core.from_json(bytes(obj) if not isinstance(obj, str) else obj)
        except ValueError as exc:
            raise InputError(f"{what} is not valid JSON: {exc}") from exc
        except TypeError:  # pydantic-core reads a str as UTF-8: a lone surrogate has none
            raise InputError(f"{what} is not valid text: {no_utf8(obj)}") from None
    if isinstance(obj, BaseModel):
        # The SDK keeps no raw JSON, and its objects hold their fields built already (without
        # validation, on the client's default path): one pass of the object's own serializer,
        # keys as the API names them and only the fields it sent. No warnings: a constructed
        # SDK object holds dicts where its union fields expect models, which is not an error.
        return obj.model_dump(mode="json", by_alias=True, exclude_unset=True, warnings=False)
    dump = getattr(obj, "model_dump", None)
    if callable(dump) and not isinstance(obj, Mapping):
        try:
            return dump(mode="json", exclude_unset=True, by_alias=True)
        except TypeError:
            return dump()
    return obj


#: `object` of the compaction endpoint's answer (`POST /v1/responses/compact`): its `output` is the
#: compacted window (kept input messages and `compaction` items), the spec's `CompactResource.output`
COMPACTION = "response.compaction"


class ResponseOutput(list[OutputItem | CompactedItem]):
    """The whole output of one response, in order, with the response's id, status and `store`.

    What `Turn.from_items` takes: a list filtered or edited from it is not a whole output (R4, R5).
    """

    response: dict[str, Any]
    _ids: tuple[int, ...]

    @classmethod
    def of(
        cls, items: list[OutputItem] | list[CompactedItem], response: Mapping[str, Any]
    ) -> ResponseOutput:
        out = cls(items)
        out.response = {k: v for k, v in response.items() if k != "output"}
        out._ids = tuple(map(id, out))
        return out

    def is_whole(self) -> bool:
        """False once an item was added, removed or replaced."""
        return tuple(map(id, self)) == self._ids


@pausing_gc
def parse_response(response: Any) -> ResponseOutput:
    """The output items of a response, typed; a type newer than the spec becomes `UnknownItem`.

    A compaction (`object: "response.compaction"`) is read with its own union (`CompactedItem`):
    its window holds the user's input messages next to `compaction` items.
    """
    data = as_plain(response, "response")
    if not isinstance(data, Mapping):
        raise InputError(f"a response must be a JSON object, got {type(data).__name__}")
    output = data.get("output")
    if not isinstance(output, list):
        raise InputError("the response has no `output` list")
    try:
        if data.get("object") == COMPACTION:
            return ResponseOutput.of(CompactedItemListAdapter.validate_python(output), data)
        return ResponseOutput.of(OutputItemListAdapter.validate_python(output), data)
    except ValidationError as exc:
        raise InputError.from_validation(exc, "output", output) from exc
