"""Parse a whole response (dict, JSON text/bytes, or an `openai` SDK object) into Output models."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Mapping
from typing import Any

import pydantic_core
from pydantic import ValidationError

from ._errors import InputError
from ._generated.outputs import (
    CompactedItem,
    CompactedItemListAdapter,
    OutputItem,
    OutputItemListAdapter,
)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects at once.

    Parsing or converting 10,000 items allocates ~100,000 acyclic objects; each collection pass
    they trigger rescans the whole heap (measured: 3x the parsing time). Nothing here makes cycles.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def as_plain(obj: Any, what: str = "value") -> Any:
    """JSON-like data from a dict, JSON text/bytes, or a pydantic object (the `openai` SDK's)."""
    if isinstance(obj, str | bytes | bytearray | memoryview):
        try:
            return pydantic_core.from_json(bytes(obj) if not isinstance(obj, str) else obj)
        except ValueError as exc:
            raise InputError(f"{what} is not valid JSON: {exc}") from exc
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


def parse_response(response: Any) -> list[OutputItem | CompactedItem]:
    """The output items of a response, typed; a type newer than the spec becomes `UnknownItem`.

    A compaction (`object: "response.compaction"`) is read with its own union (`CompactedItem`):
    its window holds the user's input messages next to `compaction` items.
    """
    with paused_gc():
        data = as_plain(response, "response")
    if not isinstance(data, Mapping):
        raise InputError(f"a response must be a JSON object, got {type(data).__name__}")
    output = data.get("output")
    if not isinstance(output, list):
        raise InputError("the response has no `output` list")
    try:
        with paused_gc():
            if data.get("object") == COMPACTION:
                return list(CompactedItemListAdapter.validate_python(output))
            return list(OutputItemListAdapter.validate_python(output))
    except ValidationError as exc:
        raise InputError.from_validation(exc, "output", output) from exc
