"""A response's output, converted for replay and kept whole and in order (R4, R5)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from . import inputs
from ._base import InputModel
from ._convert import Unknown, convert_output
from ._errors import InputError, ReplayError, json_kind
from ._gc import paused_gc, pausing_gc
from ._generated import registry
from ._generated.replay import INPUT_CALL_CLASSES, InputCallItem
from ._kind import item_field, item_kind
from ._parse import COMPACTION, ResponseOutput, as_plain
from ._rules import (
    STATELESS_FIX,
    stateless_problem as stateless_problem,  # its home before _rules
)

__all__ = ["Incomplete", "Turn", "pending_calls"]

Incomplete = Literal["error", "drop_trailing_reasoning"]
Order = Literal["asc", "desc"]


_get = item_field


class _Whole:
    """Proof that the items come from a whole response, stream or listing (see Turn)."""

    __slots__ = ()


_WHOLE = _Whole()


class Turn:
    """The converted output of one response, in its original order. Appended or dropped as a unit.

    A turn comes only from a whole response (`from_response`, or `from_items(parse_response(r))`),
    a whole stream (`from_stream`) or a whole listing (`from_listing`): a hand-made or filtered
    list is not a turn. There is no way to take a single reasoning item out of a turn: a reasoning
    item reaches an input list only together with the items it produced (R4).
    """

    __slots__ = ("_items", "incomplete_reason", "response_id", "status", "store")

    def __init__(
        self,
        whole: _Whole,
        items: tuple[InputModel | dict[str, Any], ...] = (),
        *,
        response_id: str | None = None,
        status: str | None = None,
        store: bool | None = None,
        incomplete_reason: str | None = None,
    ) -> None:
        if whole is not _WHOLE:
            raise InputError(
                "a Turn comes only from a whole response, stream or listing: use "
                "Turn.from_response(), Turn.from_stream() or Turn.from_listing() (a hand-made or "
                "filtered list of items is not a turn: R4, R5)"
            )
        self._items = items
        self.response_id = response_id
        self.status = status
        self.store = store
        self.incomplete_reason = incomplete_reason
        if self._items and item_kind(self._items[-1]) == "reasoning":
            cut = f"incomplete ({incomplete_reason})" if incomplete_reason else "cut short"
            raise ReplayError(
                "R4",
                f"output[{len(self._items) - 1}]",
                f"Item '{_get(self._items[-1], 'id') or 'rs_?'}' of type 'reasoning' was provided without its "
                f"required following item. (the response ends with a reasoning item: it was {cut}; "
                "use incomplete='drop_trailing_reasoning')",
            )

    @classmethod
    def _build(
        cls,
        items: Iterable[Any],
        *,
        unknown: Unknown,
        incomplete: Incomplete,
        response: Mapping[str, Any],
    ) -> Turn:
        with paused_gc():
            converted = convert_output(
                items if isinstance(items, Sequence) else list(items), unknown=unknown
            )
        if (
            converted
            and incomplete == "drop_trailing_reasoning"
            and item_kind(converted[-1]) == "reasoning"
        ):
            converted.pop()
        if response.get("object") == COMPACTION:
            converted = [_orphan_free(item) for item in converted]
        rid, status, store = response.get("id"), response.get("status"), response.get("store")
        details = response.get("incomplete_details")
        reason = details.get("reason") if isinstance(details, Mapping) else None
        return cls(
            _WHOLE,
            tuple(converted),
            response_id=rid if isinstance(rid, str) else None,
            status=status if isinstance(status, str) else None,
            store=store if isinstance(store, bool) else None,
            incomplete_reason=reason if isinstance(reason, str) else None,
        )

    @classmethod
    def from_items(
        cls,
        items: ResponseOutput,
        *,
        unknown: Unknown = "error",
        incomplete: Incomplete = "error",
    ) -> Turn:
        """The turn of a response already parsed with `parse_response` (its whole output)."""
        if not isinstance(items, ResponseOutput) or not items.is_whole():
            raise InputError(
                "Turn.from_items takes the whole output of parse_response(response), unchanged: "
                "a filtered or hand-made list is not a turn (R4, R5). Use Turn.from_response()"
            )
        _finished(items.response)
        return cls._build(items, unknown=unknown, incomplete=incomplete, response=items.response)

    @classmethod
    @pausing_gc
    def from_response(
        cls, response: Any, *, unknown: Unknown = "error", incomplete: Incomplete = "error"
    ) -> Turn:
        """The turn of a whole response (dict, JSON bytes, or an `openai` SDK `Response`).

        A response stopped early (`incomplete`: `max_output_tokens`, `steered`) can end with a
        reasoning item: that is R4 unless `incomplete="drop_trailing_reasoning"`.
        """
        data = as_plain(response, "response")
        if not isinstance(data, Mapping):
            raise InputError(
                f"a response must be a JSON object with an `output` list, got {json_kind(data)}"
                + (" (a list of items? pass the whole response)" if isinstance(data, list) else "")
            )
        if not isinstance(data.get("output"), list):
            raise InputError(
                "a response must be a JSON object with an `output` list; this one has "
                + ("none" if "output" not in data else json_kind(data["output"]))
            )
        _finished(data)
        return cls._build(data["output"], unknown=unknown, incomplete=incomplete, response=data)

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

    @classmethod
    def _restored(
        cls,
        items: Sequence[InputModel | dict[str, Any]],
        *,
        response_id: str | None,
        status: str | None,
        store: bool | None = None,
        incomplete_reason: str | None = None,
    ) -> Turn:
        """A turn read back by `responses_replay.state` or `._moves`, which converted and checked
        its items themselves. Private: not a way to build a turn from any list."""
        return cls(
            _WHOLE,
            tuple(items),
            response_id=response_id,
            status=status,
            store=store,
            incomplete_reason=incomplete_reason,
        )

    @classmethod
    def from_listing(cls, page: Any, *, order: Order, unknown: Unknown = "error") -> Turn:
        """The items of a whole listing (`responses.input_items.list`, `conversations.items.list`):
        a page dict, JSON bytes or the `openai` SDK's page (all its pages), not a list. `order` is
        the one the listing was asked for (the API's default is "desc", newest first); the turn
        holds them oldest first. A page with `has_more: true` is a part, not a turn."""
        from ._moves import listing_items

        with paused_gc():
            items = listing_items(page, order=order, pages_only=True)
        return cls._build(items, unknown=unknown, incomplete="error", response={})

    @classmethod
    def _of_parts(cls, items: tuple[InputModel | dict[str, Any], ...], like: Turn) -> Turn:
        return cls(
            _WHOLE,
            items,
            response_id=like.response_id,
            status=like.status,
            store=like.store,
            incomplete_reason=like.incomplete_reason,
        )

    @property
    def items(self) -> tuple[InputModel | dict[str, Any], ...]:
        """The converted items (read-only: a turn is kept whole)."""
        return self._items

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        kinds = ", ".join(str(item_kind(i)) for i in self._items)
        return f"Turn({self.response_id or '?'}: {kinds})"

    @property
    def incomplete(self) -> bool:
        return self.status == "incomplete"

    def calls(self) -> list[InputCallItem]:
        """The calls that expect an output from the caller: those the turn does not answer itself
        (a server-side `tool_search_call` comes with its output)."""
        pending = self.pending()
        return [
            i  # type: ignore[misc]
            for i in self._items
            if isinstance(i, INPUT_CALL_CLASSES)
            and pending.get(_get(i, registry.CALLS[str(item_kind(i))][1])) == item_kind(i)
        ]

    def function_calls(self) -> list[inputs.FunctionToolCall]:
        """The function calls of this turn that still expect their output, in order."""
        return [i for i in self.calls() if isinstance(i, inputs.FunctionToolCall)]

    def pending(self) -> dict[str, str]:
        """{key: call type} of the calls this turn does not answer itself (R7)."""
        return pending_calls(self._items)

    def without_ids(self) -> Turn:
        """The same items with every id stripped that may go, all together (R5). Kept: hosted-tool
        calls' ids (R10) and ids that are required or bind a call to its output (the overlay's
        pairing keys), as generated in `registry.KEEPS_ID`.

        Reasoning must then carry `encrypted_content`, else the API cannot restore it (R3).
        """
        out: list[InputModel | dict[str, Any]] = []
        for n, item in enumerate(self._items):
            kind = item_kind(item)
            if kind in registry.KEEPS_ID or _get(item, "id") is None:
                out.append(item)
                continue
            problem = stateless_problem(item)
            if problem is not None:
                raise ReplayError(
                    "R3", f"output[{n}].encrypted_content", f"{problem} {STATELESS_FIX}"
                )
            data = item.to_dict() if isinstance(item, InputModel) else dict(item)
            data.pop("id", None)
            out.append(type(item).model_validate(data) if isinstance(item, InputModel) else data)
        return Turn._of_parts(tuple(out), self)

    def to_input(self) -> list[dict[str, Any]]:
        """The JSON objects to send, in order."""
        with paused_gc():
            return [i.to_dict() if isinstance(i, InputModel) else dict(i) for i in self._items]


#: a background response (`background=True`) the server is still working on: its output is not final
_UNFINISHED = frozenset({"queued", "in_progress"})


def _finished(response: Mapping[str, Any]) -> None:
    """A turn is the final output of a response: one still queued or in progress is refused (its
    items would come again, whole, once it completes: `Duplicate item found`, or a reasoning item
    cut short)."""
    status = response.get("status")
    if type(status) is str and status in _UNFINISHED:
        rid = response.get("id")
        raise InputError(
            f"response {rid if isinstance(rid, str) else ''} is {status}: its output is not final "
            "(a background response?); retrieve it again (client.responses.retrieve(id)) once its "
            "status is completed, incomplete, failed or cancelled, and make the turn of that"
        )


def _orphan_free(item: InputModel | dict[str, Any]) -> InputModel | dict[str, Any]:
    """An item of a compacted window as it may be replayed: an assistant message without its id.

    Compaction drops the reasoning items but keeps the assistant messages with their `msg_` ids,
    and such an id binds the message to a reasoning item that is gone (R5: "... was provided
    without its required 'reasoning' item"; openai-agents-python issue 2727, PR 2728)."""
    if item_kind(item) != "message" or _get(item, "role") != "assistant" or not _get(item, "id"):
        return item
    if isinstance(item, InputModel):
        data = item.to_dict()
        data.pop("id", None)
        return type(item).model_validate(data)
    return {k: v for k, v in item.items() if k != "id"}


def pending_calls(items: Iterable[InputModel | Mapping[str, Any]]) -> dict[str, str]:
    """{key: call type} of calls in `items` that no later item answers."""
    open_: dict[str, str] = {}
    for item in items:
        kind = str(item_kind(item))
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
