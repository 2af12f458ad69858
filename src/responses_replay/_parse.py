"""Parse a whole response (dict, JSON text/bytes, or an `openai` SDK object) into Output models."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pydantic_core
from pydantic import BaseModel, ValidationError

from ._errors import InputError, no_utf8
from ._gc import pausing_gc
from ._generated.outputs import (
    CompactedItem,
    CompactedItemListAdapter,
    OutputItem,
    OutputItemListAdapter,
)


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
