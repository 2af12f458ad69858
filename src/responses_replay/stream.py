"""Build a turn from a response stream (`stream=True`): SDK event objects, dicts, or raw SSE bytes.

Which items the turn holds (R12: never the `.added` copies, whose reasoning can carry a truncated
`encrypted_content`; `.added` items are partial and never validated):
- the terminal event's `response.output` when it lists the items: the response's own record, the
  turn `Turn.from_response` gives for the final response (and the one the `openai` SDK's
  `get_final_response()` returns). The `encrypted_content` of a reasoning item can differ between
  its `.done` event and the final response; both verify (R12), the final one is used. An item event
  that contradicts it (an index it does not have, another item at that index) is a `StreamError`.
- otherwise the `response.output_item.done` items by `output_index`: an index without one (an item
  that never finished, a gap) or an item after the terminal event is a `StreamError` naming it.

Events are read as they arrive (sync and async alike) and de-duplicated by `sequence_number` where
they carry one (streams from before early 2025 do not); a second event with the same number and
other content is a `StreamError`. An `error` event or `response.failed` raises a `StreamError`
carrying the API's `code`, `api_message` and `param`.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable, Mapping
from typing import Any, cast

import pydantic_core
from pydantic import MISSING

from ._convert import Unknown, as_output
from ._errors import InputError
from ._generated.outputs import OutputItem
from ._parse import as_plain
from ._sse import SSEDecoder, StreamError, iter_sse, payload
from .turn import Incomplete, Turn

__all__ = ["StreamError", "iter_sse", "turn_from_stream", "turn_from_stream_async"]

_TERMINAL = ("response.completed", "response.incomplete")
_ITEM_EVENTS = ("response.output_item.added", "response.output_item.done")
_READ = frozenset({*_TERMINAL, *_ITEM_EVENTS, "response.failed", "error", "[DONE]"})
_ABSENT = object()
_TEXT = (bytes, bytearray, memoryview, str)
_TEXT_TYPES = frozenset(_TEXT)


# --- events ---------------------------------------------------------------------------------------


def _field(obj: Any, name: str) -> Any:
    """A field of a dict or of an object (the `openai` SDK's events and models), None if absent."""
    if type(obj) is dict:
        return obj.get(name)
    value = getattr(obj, name, None)  # before the slower Mapping check: most events are objects
    if value is None and isinstance(obj, Mapping):
        return obj.get(name)
    return None if value is MISSING else value


def _is_object(value: Any) -> bool:
    return value is not None and not isinstance(value, (*_TEXT, int, float, list, tuple))


def _iterate(source: Any) -> Iterable[Any]:
    if isinstance(source, _TEXT):
        return (source,)
    if isinstance(source, Mapping) or not isinstance(source, Iterable):
        raise InputError(
            "from_stream takes the stream's events (the `openai` SDK's stream, dicts) or its raw "
            f"SSE bytes, got {type(source).__name__}"
            + (
                " (for a whole response use Turn.from_response)"
                if isinstance(source, Mapping)
                else ""
            )
        )
    return source


class _Collector:
    """The state of one stream, fed what the caller iterates (SDK events, dicts, SSE chunks) one
    value at a time; `turn()` at the end."""

    def __init__(self) -> None:
        self.sse: SSEDecoder | None = None
        self.over = False  # `[DONE]` was read
        self.done: dict[int, Any] = {}  # output_index -> the `.done` item, as received
        self.added: dict[int, Any] = {}  # output_index -> the item type announced by `.added`
        self.seen: dict[int, Any] = {}  # sequence_number -> what identifies the event's content
        self.received: dict[str, int] = {}
        self.terminal: Any = None  # the terminal event's response
        self.terminal_type = ""
        self.late: dict[int, str] = {}  # output_index -> item event type, after the terminal event
        self.n = 0

    def error(self, message: str, **kw: Any) -> StreamError:
        items: list[OutputItem] = []
        for index in sorted(self.done):
            try:
                # as_output validates a dict or SDK object as an OutputItem
                items.append(cast("OutputItem", as_output(self.done[index], f"output[{index}]")))
            except (InputError, RecursionError):
                continue  # an invalid item is not a complete one; the message counts what is kept
        return StreamError(message, items, self.received, **kw)

    def take(self, value: Any) -> bool:
        """Take one value of the stream; True when the stream says it is over (`[DONE]`)."""
        if type(value) not in _TEXT_TYPES and not isinstance(value, _TEXT):
            return self.add(value, value)
        self.sse = self.sse or SSEDecoder(self.error)
        return any(
            self.add(payload(data, event, self.error), data) for data, event in self.sse.feed(value)
        )

    def add(self, ev: Any, content: Any) -> bool:
        """Take one event; `content` tells it from another with the same sequence_number (the SSE
        data text, or the event object)."""
        n = self.n
        self.n = n + 1
        if type(ev) is dict:
            kind, seq = ev.get("type"), ev.get("sequence_number")
        else:  # an SDK event: read its attributes (a Mapping or our MISSING in the slow path)
            kind, seq = getattr(ev, "type", None), getattr(ev, "sequence_number", None)
            if kind is None or kind is MISSING or seq is MISSING:
                kind, seq = _field(ev, "type"), _field(ev, "sequence_number")
        if type(kind) is not str and not isinstance(kind, str):
            if not _is_object(ev):
                raise self.error(f"event {n} is not a stream event: {type(ev).__name__}")
            raise self.error(f"event {n} has no `type`")
        if seq is not None:
            if type(seq) is not int:  # not a bool either
                raise self.error(f"event {n} ({kind}): sequence_number is not an integer: {seq!r}")
            key = _identity(ev, content)
            before = self.seen.get(seq, _ABSENT)
            if before is not _ABSENT:
                if not _same(before, key) and (
                    type(key) is int or not _same(_unpadded(before), _unpadded(key))
                ):
                    raise self.error(
                        f"event {n} ({kind}) reuses sequence_number {seq} with other content",
                        sequence_number=seq,
                    )
                return False
            self.seen[seq] = key
        self.received[kind] = self.received.get(kind, 0) + 1
        if kind not in _READ:  # text deltas, progress...: counted, nothing to keep
            return False
        if kind == "[DONE]":
            self.over = True
            return True
        if kind in _ITEM_EVENTS:
            self._item(n, kind, ev)
        elif kind in _TERMINAL:
            response = _field(ev, "response")
            if not _is_object(response):
                raise self.error(f"event {n} ({kind}) has no response object")
            if self.terminal is not None and not _same(self.terminal, response):
                raise self.error(f"event {n}: a second, different terminal event ({kind})")
            self.terminal, self.terminal_type = response, kind
        elif kind == "response.failed":
            err = _field(_field(ev, "response"), "error")
            raise self._api_error(f"the response failed (event {n})", err)
        elif kind == "error":
            nested = _field(ev, "error")
            raise self._api_error(f"the API sent an error event (event {n})", nested or ev)
        return False

    def _item(self, n: int, kind: str, ev: Any) -> None:
        index = _field(ev, "output_index")
        if not isinstance(index, int) or isinstance(index, bool) or index < 0:
            raise self.error(f"event {n} ({kind}): output_index is not an index: {index!r}")
        item = _field(ev, "item")
        if not _is_object(item):
            raise self.error(f"event {n} ({kind}) at output_index {index} has no item", index=index)
        if self.terminal is not None:
            self.late[index] = kind
        if kind == "response.output_item.added":
            self.added[index] = _field(item, "type")
            return
        if index in self.done and not _same(self.done[index], item):
            raise self.error(
                f"event {n}: a second, different output_item.done for output_index {index}",
                index=index,
            )
        self.done[index] = item

    def _api_error(self, what: str, err: Any) -> StreamError:
        code, message, param = (_text(_field(err, k)) for k in ("code", "message", "param"))
        return self.error(
            f"{what}: {code or 'no code'}: {message or 'no message'}",
            code=code,
            api_message=message,
            param=param,
        )

    def turn(self, unknown: Unknown, incomplete: Incomplete) -> Turn:
        if self.sse is not None and not self.over:
            any(
                self.add(payload(data, event, self.error), data) for data, event in self.sse.close()
            )
        if self.terminal is None:
            raise self.error("the stream ended without response.completed or response.incomplete")
        if not isinstance(self.terminal, Mapping):
            # An SDK `Response`: one dump of the whole, 6x cheaper than one per item
            self.terminal = as_plain(self.terminal, f"the {self.terminal_type} event's response")
        output = _field(self.terminal, "output")
        if isinstance(output, list | tuple) and (output or not self.done):
            items = list(output)
            self._check_against(items)
        elif output is None or isinstance(output, list | tuple):
            items = self._done_items()
        else:
            raise self.error(f"{self.terminal_type}: response.output is not a list")
        about = {
            k: _field(self.terminal, k) for k in ("id", "status", "store", "incomplete_details")
        }
        return Turn._build(items, unknown=unknown, incomplete=incomplete, response=about)

    def _check_against(self, output: list[Any]) -> None:
        """Every item event names an item of the final output: else something was lost."""
        for index in sorted(self.done.keys() | self.added.keys()):
            ours = self.done.get(index)
            kind = _field(ours, "type") if ours is not None else self.added[index]
            if index >= len(output):
                raise self.error(
                    f"output_index {index} ({kind}) is not in the {self.terminal_type} event's "
                    f"output of {len(output)} items",
                    index=index,
                )
            theirs = output[index]
            if ours is None:
                continue
            for key in ("type", "id"):
                a, b = _field(ours, key), _field(theirs, key)
                if a is not None and b is not None and a != b:
                    raise self.error(
                        f"output_index {index}: output_item.done has {key} {a!r}, the "
                        f"{self.terminal_type} event's output has {b!r}",
                        index=index,
                    )

    def _done_items(self) -> list[Any]:
        """The `.done` items by index, when the terminal event does not list the output."""
        if self.late:
            index = min(self.late)
            raise self.error(
                f"{self.late[index]} for output_index {index} arrived after {self.terminal_type}, "
                "whose response lists no output to check it against",
                index=index,
            )
        top = max(self.done.keys() | self.added.keys(), default=-1) + 1
        for index in range(top):
            if index not in self.done:
                what = (
                    f"the {self.added[index]} item at output_index {index} never got its "
                    "response.output_item.done"
                    if index in self.added
                    else f"no item at output_index {index} (the indices have a gap)"
                )
                raise self.error(what, index=index)
        return [self.done[index] for index in range(top)]


# Random padding the API adds to delta events (`stream_options.include_obfuscation`, on by default;
# the `openai` SDK's `ResponseCreateParams`): a replayed or resumed event carries the same content
# under other padding, so events with one sequence_number are compared without it.
_PADDING = "obfuscation"


def _identity(ev: Any, content: Any) -> Any:
    """What tells an event from another with the same sequence_number: its SSE data text, hashed
    without the `obfuscation` padding; or the event itself (see `_unpadded`)."""
    if type(content) is not str:
        return content
    pad = ev.get(_PADDING)
    if type(pad) is not str:
        return hash(content)
    for form in (f'"{_PADDING}":"{pad}"', f'"{_PADDING}": "{pad}"'):  # as sent, or spaced
        rest = content.replace(form, "", 1)
        if len(rest) != len(content):
            return hash(rest)
    return hash(pydantic_core.to_json({k: v for k, v in ev.items() if k != _PADDING}))


def _unpadded(event: Any) -> Any:
    """A dict or SDK event without its `obfuscation` padding, to compare two events with it."""
    if isinstance(event, dict):
        return {k: v for k, v in event.items() if k != _PADDING}
    own = getattr(event, "__dict__", None)  # an SDK model: its fields, then its extra fields
    if getattr(event, _PADDING, None) is None or not isinstance(own, dict):
        return event
    extra = getattr(event, "__pydantic_extra__", None) or {}
    return (
        type(event),
        {k: v for k, v in own.items() if k != _PADDING},
        {k: v for k, v in extra.items() if k != _PADDING},
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) or value is None else str(value)


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except RecursionError:  # too deep to compare: not provably the same event
        return False


def turn_from_stream(
    events: Any, *, unknown: Unknown = "error", incomplete: Incomplete = "error"
) -> Turn:
    """The turn of a streamed response; see the module docstring."""
    collector = _Collector()
    for value in _iterate(events):
        if collector.take(value):
            break
    return collector.turn(unknown, incomplete)


async def turn_from_stream_async(
    events: AsyncIterable[Any] | Iterable[Any],
    *,
    unknown: Unknown = "error",
    incomplete: Incomplete = "error",
) -> Turn:
    """`turn_from_stream` for an async iterable (the `openai` SDK's `AsyncStream`), read as it comes."""
    if not isinstance(events, AsyncIterable):
        return turn_from_stream(events, unknown=unknown, incomplete=incomplete)
    collector = _Collector()
    async for value in events:
        if collector.take(value):
            break
    return collector.turn(unknown, incomplete)
