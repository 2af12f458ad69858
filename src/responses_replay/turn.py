"""A response's output, converted for replay and kept whole and in order (R4, R5)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from pydantic import MISSING

from . import inputs
from ._base import InputModel
from ._convert import Unknown, convert_item
from ._errors import InputError, ReplayError
from ._generated import registry
from ._generated.replay import INPUT_CALL_CLASSES, InputCallItem
from ._parse import as_plain, paused_gc

__all__ = ["Incomplete", "Turn", "pending_calls"]

Incomplete = Literal["error", "drop_trailing_reasoning"]


def _get(item: InputModel | Mapping[str, Any], key: str) -> Any:
    if isinstance(item, Mapping):
        return item.get(key)
    value = getattr(item, key, None)
    return None if value is MISSING else value


def _type(item: InputModel | Mapping[str, Any]) -> str:
    t = _get(item, "type")
    if t is None and _get(item, "role") is not None:
        return "message"
    return str(t)


class Turn:
    """The converted output of one response, in its original order. Appended or dropped as a unit.

    There is no way to take a single reasoning item out of a turn: a reasoning item reaches an input
    list only together with the items it produced (R4).
    """

    __slots__ = ("_items", "response_id", "status")

    def __init__(
        self,
        items: Sequence[InputModel | dict[str, Any]],
        *,
        response_id: str | None = None,
        status: str | None = None,
    ) -> None:
        self._items = tuple(items)
        self.response_id = response_id
        self.status = status
        if self._items and _type(self._items[-1]) == "reasoning":
            raise ReplayError(
                "R4",
                f"output[{len(self._items) - 1}]",
                f"Item '{_get(self._items[-1], 'id') or 'rs_?'}' of type 'reasoning' was provided without its "
                "required following item. (the response ends with a reasoning item: it was cut short; "
                "use incomplete='drop_trailing_reasoning')",
            )

    @classmethod
    def from_items(
        cls,
        items: Iterable[Any],
        *,
        unknown: Unknown = "error",
        incomplete: Incomplete = "error",
        response_id: str | None = None,
        status: str | None = None,
    ) -> Turn:
        """Convert output items (ours, `openai` SDK objects or dicts) in order."""
        with paused_gc():
            converted = [
                convert_item(it, unknown=unknown, where=f"output[{n}]")
                for n, it in enumerate(items)
            ]
        if (
            converted
            and incomplete == "drop_trailing_reasoning"
            and _type(converted[-1]) == "reasoning"
        ):
            converted.pop()
        return cls(converted, response_id=response_id, status=status)

    @classmethod
    def from_response(
        cls, response: Any, *, unknown: Unknown = "error", incomplete: Incomplete = "error"
    ) -> Turn:
        """The turn of a whole response (dict, JSON bytes, or an `openai` SDK `Response`)."""
        with paused_gc():
            data = as_plain(response, "response")
        if not isinstance(data, Mapping) or not isinstance(data.get("output"), list):
            raise InputError("a response must be a JSON object with an `output` list")
        rid = data.get("id")
        return cls.from_items(
            data["output"],
            unknown=unknown,
            incomplete=incomplete,
            response_id=rid if isinstance(rid, str) else None,
            status=data.get("status") if isinstance(data.get("status"), str) else None,
        )

    @classmethod
    def from_stream(
        cls, events: Any, *, unknown: Unknown = "error", incomplete: Incomplete = "error"
    ) -> Turn:
        """The turn of a streamed response: `openai` SDK events, dicts, or raw SSE bytes/lines."""
        from .stream import turn_from_stream

        return turn_from_stream(events, unknown=unknown, incomplete=incomplete)

    @classmethod
    async def from_stream_async(
        cls, events: Any, *, unknown: Unknown = "error", incomplete: Incomplete = "error"
    ) -> Turn:
        """`from_stream` for an async iterable of events (the `openai` SDK's `AsyncStream`)."""
        from .stream import turn_from_stream_async

        return await turn_from_stream_async(events, unknown=unknown, incomplete=incomplete)

    @property
    def items(self) -> tuple[InputModel | dict[str, Any], ...]:
        """The converted items (read-only: a turn is kept whole)."""
        return self._items

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        kinds = ", ".join(_type(i) for i in self._items)
        return f"Turn({self.response_id or '?'}: {kinds})"

    @property
    def incomplete(self) -> bool:
        return self.status == "incomplete"

    def calls(self) -> list[InputCallItem]:
        """The items that expect an output from the caller (function, custom, shell... calls)."""
        return [i for i in self._items if isinstance(i, INPUT_CALL_CLASSES)]  # type: ignore[misc]

    def function_calls(self) -> list[inputs.FunctionToolCall]:
        """The function calls of this turn, in order."""
        return [i for i in self._items if isinstance(i, inputs.FunctionToolCall)]

    def pending(self) -> dict[str, str]:
        """{key: call type} of the calls this turn does not answer itself (R7)."""
        return pending_calls(self._items)

    def without_ids(self) -> Turn:
        """The same items with every id stripped, except hosted-tool calls (R10), all together (R5).

        Reasoning must then carry `encrypted_content`, else the API cannot restore it (R3).
        """
        out: list[InputModel | dict[str, Any]] = []
        for n, item in enumerate(self._items):
            kind = _type(item)
            if kind in registry.HOSTED_CALLS or _get(item, "id") is None:
                out.append(item)
                continue
            if kind == "reasoning" and not _get(item, "encrypted_content"):
                raise ReplayError(
                    "R3",
                    f"output[{n}].encrypted_content",
                    f"reasoning item {_get(item, 'id')} has no encrypted_content: without its id it cannot "
                    "be replayed. Request include=['reasoning.encrypted_content'] (and store=false).",
                )
            data = item.to_dict() if isinstance(item, InputModel) else dict(item)
            data.pop("id", None)
            out.append(type(item).model_validate(data) if isinstance(item, InputModel) else data)
        return Turn(out, response_id=self.response_id, status=self.status)

    def to_input(self) -> list[dict[str, Any]]:
        """The JSON objects to send, in order."""
        with paused_gc():
            return [i.to_dict() if isinstance(i, InputModel) else dict(i) for i in self._items]


def pending_calls(items: Iterable[InputModel | Mapping[str, Any]]) -> dict[str, str]:
    """{key: call type} of calls in `items` that no later item answers."""
    open_: dict[str, str] = {}
    for item in items:
        kind = _type(item)
        spec = registry.CALLS.get(kind)
        if spec is not None:
            key = _get(item, spec[1])
            if isinstance(key, str):
                open_[key] = kind
            continue
        call_kind = registry.OUTPUT_OF.get(kind)
        if call_kind is not None:
            key = _get(item, registry.CALLS[call_kind][2])
            if isinstance(key, str):
                open_.pop(key, None)
    return open_
