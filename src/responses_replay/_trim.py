"""Trim a History: drop the oldest whole exchanges, never a pair (R4, R6, R7), never instructions.

An exchange is a user message and everything up to the next user message that is not in the middle
of a tool loop: the turns it caused and the tool outputs that answer their calls. Turns are never
split (a reasoning item stays with what it produced, R4; ids stay together, R5), and an exchange
ends only where no call is pending, so a call and its output are always dropped together (R6, R7).
System and developer messages are kept wherever they are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ._base import InputModel
from ._errors import InputError
from ._generated import registry
from ._kind import item_kind
from .turn import Turn, pending_calls

__all__ = ["Fits", "exchanges", "kept_entries"]

Entry = Turn | InputModel
#: A caller's budget: given the `input` items that would be sent, True when they fit.
Fits = Callable[[list[dict[str, Any]]], bool]

_INSTRUCTION_ROLES = frozenset({"system", "developer"})


def _role(entry: Entry) -> str | None:
    if isinstance(entry, Turn) or item_kind(entry) != "message":
        return None
    role = getattr(entry, "role", None)
    return role if isinstance(role, str) else None


def _opens_exchange(entry: Entry, open_calls: dict[str, str]) -> bool:
    return not open_calls and _role(entry) == "user"


def exchanges(entries: Sequence[Entry]) -> list[list[int]]:
    """The entries' indices, grouped by exchange, oldest first (instructions included in place)."""
    groups: list[list[int]] = []
    open_calls: dict[str, str] = {}
    for n, entry in enumerate(entries):
        if _opens_exchange(entry, open_calls) or not groups:
            groups.append([])
        groups[-1].append(n)
        items = entry.items if isinstance(entry, Turn) else (entry,)
        open_calls = pending_calls([*_stub(open_calls), *items])
    return groups


def _stub(calls: dict[str, str]) -> list[dict[str, Any]]:
    return [{"type": kind, registry.CALLS[kind][1]: key} for key, kind in calls.items()]


def _kept(groups: list[list[int]], instructions: set[int], first: int) -> list[int]:
    """Indices of the instructions of the groups before `first`, then of the groups from `first`."""
    keep = [n for group in groups[:first] for n in group if n in instructions]
    return keep + [n for group in groups[first:] for n in group]


def _render(entry: Entry) -> list[dict[str, Any]]:
    return entry.to_input() if isinstance(entry, Turn) else [entry.to_dict()]


def kept_entries(
    entries: Sequence[Entry], *, max_exchanges: int | None = None, fits: Fits | None = None
) -> list[int]:
    """The indices of the entries left after dropping the oldest exchanges, in order (see
    `History.trim`)."""
    if max_exchanges is None and fits is None:
        raise InputError("trim(): give max_exchanges, fits, or both")
    if max_exchanges is not None and (type(max_exchanges) is not int or max_exchanges < 1):
        raise InputError(
            f"trim(max_exchanges={max_exchanges!r}): the newest exchange is always kept; give 1 or more"
        )
    groups = exchanges(entries)
    instructions = {n for n, e in enumerate(entries) if _role(e) in _INSTRUCTION_ROLES}
    first = 0 if max_exchanges is None else max(0, len(groups) - max_exchanges)
    if fits is not None:
        rendered = [_render(e) for e in entries]  # once: fits() may be asked many times
        while not fits([d for n in _kept(groups, instructions, first) for d in rendered[n]]):
            if first >= len(groups) - 1:
                raise InputError(
                    "trim(fits=...): the instructions and the newest exchange alone "
                    f"({sum(len(rendered[n]) for n in _kept(groups, instructions, first))} items) "
                    "do not fit the budget; nothing was dropped"
                )
            first += 1
    return _kept(groups, instructions, first)
