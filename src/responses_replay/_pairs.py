"""Checks of the pairs a History's entries must keep, for entries built outside its methods."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._base import InputModel
from ._errors import ReplayError
from ._generated import registry
from ._kind import item_kind
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
            kind = str(item_kind(item))
            if kind in registry.CALLS:
                calls.add(_get(item, registry.CALLS[kind][1]))
            elif kind in registry.OUTPUT_OF:
                key = _get(item, registry.CALLS[registry.OUTPUT_OF[kind]][2])
                if key not in calls:
                    raise ReplayError(
                        "R6",
                        f"{where}[{n}]",
                        f"No tool call found for {kind} with call_id {key}.{hint}",
                    )


def _get(item: InputModel | Mapping[str, Any], key: str) -> object:
    return item.get(key) if isinstance(item, Mapping) else getattr(item, key, None)
