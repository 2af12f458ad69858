"""Move a conversation between modes: server listings -> History entries, History -> conversation items.

Listings (`GET /v1/conversations/{id}/items`, `GET /v1/responses/{id}/input_items`) come newest
first unless `order=asc` was asked for (the API's default is `desc`). Their items are grouped back
into entries: a caller's message or tool output is one entry, consecutive items of the model form
one turn (its response id is not in the listing).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ._base import InputModel
from ._convert import Unknown, convert_item
from ._errors import InputError, ReplayError
from ._generated.replay import INPUT_CLASS_BY_TYPE
from ._kind import CALLER_ROLES, item_kind
from ._pairs import check_outputs_follow_calls, check_turn_end
from ._parse import as_plain
from .turn import Order, Turn, pending_calls

__all__ = ["Order", "conversation_items", "listing_entries", "listing_items"]

Entry = Turn | InputModel


def listing_items(listing: Any, *, order: Order, pages_only: bool = False) -> list[Any]:
    """Every item of a whole listing, oldest first: a page (dict, JSON, the `openai` SDK's page:
    all its pages) or, unless `pages_only`, a list of items, read in the `order` it was asked
    for. The one reader of listings (`Turn.from_listing`, `History.from_listing`)."""
    if order not in ("asc", "desc"):
        raise InputError(
            f"order must be 'asc' or 'desc' (as the listing was asked for), got {order!r}"
        )
    items = _every_item(listing, pages_only)
    return items if order == "asc" else items[::-1]


def _every_item(listing: Any, pages_only: bool) -> list[Any]:
    if hasattr(listing, "iter_pages") and hasattr(listing, "has_more"):
        return list(listing)  # the openai SDK's cursor page iterates over every page
    data = as_plain(listing, "listing")
    if isinstance(data, Mapping):
        items = data.get("data")
        if not isinstance(items, list):
            raise InputError(
                "a listing must be a JSON object with a `data` list (or a list of items)"
            )
        more = data.get("has_more")
        if more is not None and not isinstance(more, bool):
            raise InputError(f"the listing's `has_more` must be true or false, got {more!r}")
        if more is True:
            raise InputError(
                f"the listing has more pages (has_more, last_id {data.get('last_id')!r}): pass every "
                "item, e.g. list(client.conversations.items.list(...)), or the SDK page itself"
            )
        return items
    if pages_only:
        raise InputError(
            "a listing must be a JSON object with a `data` list, or the openai SDK's page: a list "
            "of items may have been filtered, and a filtered list is not a turn (R4, R5)"
        )
    if isinstance(data, Iterable) and not isinstance(data, str | bytes):
        return list(data)
    raise InputError(f"a listing must be a page or a list of items, got {type(data).__name__}")


def _is_callers(data: Mapping[str, Any]) -> bool:
    kind = item_kind(data)
    if kind == "message":
        return data.get("role") in CALLER_ROLES
    return kind in INPUT_CLASS_BY_TYPE


def listing_entries(listing: Any, *, order: Order, unknown: Unknown = "error") -> list[Entry]:
    """The History entries of a listing, oldest first (`unknown` as in `to_input`)."""
    raw = listing_items(listing, order=order)
    entries: list[Entry] = []
    group: list[InputModel | dict[str, Any]] = []

    def close(at: int) -> None:
        if group:
            check_turn_end(group, f"listing[{at - len(group)}:{at}]")
            entries.append(Turn._restored(list(group), response_id=None, status=None))
            group.clear()

    for n, item in enumerate(raw):
        where = f"listing[{n}]"
        data = as_plain(item, where)
        if not isinstance(data, Mapping):
            raise InputError(f"{where}: an item must be a JSON object, got {type(data).__name__}")
        converted = convert_item(dict(data), unknown=unknown, where=where)
        if _is_callers(data) and isinstance(converted, InputModel):
            close(n)
            entries.append(converted)
        else:
            group.append(converted)
    close(len(raw))
    check_outputs_follow_calls(
        entries,
        "listing entries",
        f" (read with order={order!r}: was the listing asked for in the other order?)",
    )
    return entries


def conversation_items(items: Sequence[InputModel | Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The items to create a server conversation with; refuses pending calls (R7)."""
    pending = pending_calls(items)
    if pending:
        listed = ", ".join(f"{k} ({t})" for k, t in pending.items())
        raise ReplayError(
            "R7",
            "conversation_items()",
            f"No tool output found for function call {next(iter(pending))}. Answer the pending "
            f"calls ({listed}) with add() before moving the history to a conversation.",
        )
    return [i.to_dict() if isinstance(i, InputModel) else dict(i) for i in items]
