"""Checks of the pairs a History's entries must keep, for entries built outside its methods."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._base import InputModel
from ._errors import ReplayError
from ._generated import registry
from ._kind import item_kind
from ._rules import no_call, unacknowledged_call, unacknowledged_checks
from .turn import Turn


def check_turn_end(items: Sequence[InputModel | Mapping[str, Any]], where: str) -> None:
    """R4: a turn never ends with a reasoning item (what it produced would be missing)."""
    if items and item_kind(items[-1]) == "reasoning":
        last = items[-1]
        rid = last.get("id") if isinstance(last, Mapping) else getattr(last, "id", None)
        raise ReplayError(
            "R4",
            f"{where}[{len(items) - 1}]",
            f"Item '{rid or 'rs_?'}' of type 'reasoning' was provided without its required "
            "following item.",
        )


def check_outputs_follow_calls(
    entries: Sequence[Turn | InputModel], where: str, hint: str = ""
) -> None:
    """R6: every tool output comes after its call (`where` names the entry, `hint` a likely cause)."""
    calls: set[object] = set()
    for n, entry in enumerate(entries):
        for item in entry.items if isinstance(entry, Turn) else (entry,):
            problem = _unmatched(item, calls)
            if problem is not None:
                raise ReplayError("R6", f"{where}[{n}]", problem + hint)


class KnownCalls:
    """The call keys of a list of entries, kept up to date as the list grows: `History.add`
    checks each tool output against them without reading the whole history again (a loop of
    n turns would read n^2 items). A list replaced (a trim, a compaction) is read again whole."""

    __slots__ = ("_entries", "_read", "by_reference", "computer", "keys")

    def __init__(self) -> None:
        self._entries: Sequence[Turn | InputModel] | None = None
        self._read = 0
        self.keys: set[object] = set()
        self.computer: dict[object, object] = {}  # call_id -> the computer_call (R15)
        self.by_reference = False  # some item is sent by reference: it may stand for a call

    def update(self, entries: Sequence[Turn | InputModel]) -> KnownCalls:
        if entries is not self._entries or len(entries) < self._read:
            self._entries, self._read, self.by_reference = entries, 0, False
            self.keys, self.computer = set(), {}
        for entry in entries[self._read :]:
            for item in entry.items if isinstance(entry, Turn) else (entry,):
                if item_kind(item) == "item_reference":
                    self.by_reference = True
                _unmatched(item, self.keys)
                _computer_call(item, self.computer)
        self._read = len(entries)
        return self


def check_new_outputs(
    earlier: Sequence[Turn | InputModel],
    new: Sequence[InputModel],
    where: str,
    known: KnownCalls | None = None,
) -> None:
    """R6 for items about to be added after `earlier`: each output answers a call before it;
    R15: a computer_call's output acknowledges its pending safety checks. Nothing is proven when
    some item is sent by reference (it may stand for the call). `known`, when given, holds the
    call keys of `earlier` from the last check."""
    if not any(answered(i) for i in new):
        return
    calls = (known or KnownCalls()).update(earlier)
    if calls.by_reference:
        return
    for n, item in enumerate(new):  # new items hold no calls: those come in a Turn only (R4)
        output = answered(item)
        if output is not None and output[2] not in calls.keys:
            raise ReplayError("R6", f"{where}[{n}]", no_call(output[0], output[1], str(output[2])))
        check_acknowledged(item, calls.computer, f"{where}[{n}]")


def _computer_call(item: InputModel | Mapping[str, Any], computer: dict[object, object]) -> None:
    if item_kind(item) == "computer_call":
        computer[_get(item, "call_id")] = item


def check_acknowledged(
    item: InputModel | Mapping[str, Any], computer: Mapping[object, object], where: str
) -> None:
    """R15: a computer_call_output for one of `computer` (call_id -> its computer_call)
    acknowledges every pending safety check of the call."""
    if item_kind(item) != "computer_call_output":
        return
    key = _get(item, "call_id")
    call = computer.get(key)
    if call is None:
        return
    missing = unacknowledged_checks(call, _get(item, "acknowledged_safety_checks"))
    if missing:
        raise ReplayError("R15", where, unacknowledged_call(str(key), missing))


def answered(item: InputModel | Mapping[str, Any]) -> tuple[str, str, object] | None:
    """For a tool output: its type, the name of the key binding it to its call, and that key."""
    kind = str(item_kind(item))
    call_kind = registry.OUTPUT_OF.get(kind)
    if call_kind is None:
        return None
    key_name = registry.CALLS[call_kind][2]
    return kind, key_name, _get(item, key_name)


def _unmatched(item: InputModel | Mapping[str, Any], calls: set[object]) -> str | None:
    """Record a call's key; for an output whose call is not in `calls`, the R6 message."""
    kind = str(item_kind(item))
    if kind in registry.CALLS:
        calls.add(_get(item, registry.CALLS[kind][1]))
        return None
    output = answered(item)
    if output is not None and output[2] not in calls:
        return no_call(output[0], output[1], str(output[2]))
    return None


def _get(item: InputModel | Mapping[str, Any], key: str) -> object:
    return item.get(key) if isinstance(item, Mapping) else getattr(item, key, None)
