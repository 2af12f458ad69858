"""What the builders check about the items a caller adds (R2, R4, R7, R13)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from ._base import InputModel
from ._convert import plain_models
from ._errors import InputError, ReplayError
from ._generated import registry
from ._generated.replay import INPUT_CLASS_BY_TYPE, NEW_ITEM_CLASSES
from ._kind import CALLER_ROLES, item_kind
from ._rules import (
    COMPACTION_TRIGGER,
    CONFIGURATION_UPDATE,
    check_image_urls,
    trigger_not_last,
    two_updates,
    unanswered,
)
from .turn import Turn, pending_calls


def new_item(item: Any, where: str, rule_if_model_item: str) -> InputModel:
    """A caller-written item (message, tool output, input-only item), checked at run time too."""
    if isinstance(item, Turn):
        raise ReplayError(rule_if_model_item, where, "a Turn is added with add_turn(), not add()")
    if isinstance(item, NEW_ITEM_CLASSES):
        return _urls_checked(item, where)
    if isinstance(item, InputModel):
        data: Any = item.to_dict()
    elif hasattr(item, "model_dump"):
        data = item.model_dump(mode="json", exclude_none=True)
    else:
        data = plain_models(item, where) if isinstance(item, Mapping) else item
    if not isinstance(data, Mapping):
        raise InputError(f"{where}: an input item must be a JSON object, got {type(item).__name__}")
    kind = item_kind(data)
    if kind == "reasoning":
        raise ReplayError(
            "R4",
            where,
            "a reasoning item is replayed only with the items it produced: add the whole Turn",
        )
    if kind == "message" and data.get("role") not in CALLER_ROLES:
        if data.get("role") != "assistant":
            raise ReplayError(
                "R13", where, f"role {data.get('role')!r} is not a role the input side accepts"
            )
        if data.get("id") is not None:  # the server's message: it is bound to its turn (R4, R5)
            raise ReplayError(
                rule_if_model_item,
                where,
                f"message {data.get('id')} came from the model: replay it with its Turn; an "
                "assistant message the caller writes has no id",
            )
    cls = INPUT_CLASS_BY_TYPE.get(str(kind))
    if cls is None:
        raise ReplayError(
            rule_if_model_item,
            where,
            f"item type {kind!r} came from the model: replay it with its Turn, not as a new item",
        )
    try:
        built = cls.model_validate(data)
    except ValidationError as exc:
        raise InputError.from_validation(exc, where, data) from exc
    return _urls_checked(built, where)


def _urls_checked(item: InputModel, where: str) -> InputModel:
    check_image_urls(item, where)  # R13: the API refuses an input_image without a URL
    return item


def as_dict(item: InputModel | Mapping[str, Any]) -> dict[str, Any]:
    return item.to_dict() if isinstance(item, InputModel) else dict(item)


def check_items(
    items: Sequence[InputModel | Mapping[str, Any]], earlier: Mapping[str, str] | None = None
) -> None:
    """R7: every call, in `items` or made earlier server-side ({key: call type}), that the API
    refuses unanswered is answered; `compaction_trigger` only as the last item; never two
    `configuration_update` items in a row (keyed on the type tag, as the checker does)."""
    kinds = [item_kind(item) for item in items]
    for n, kind in enumerate(kinds):
        if kind == COMPACTION_TRIGGER and n < len(kinds) - 1:
            raise ReplayError("R13", f"input[{n}]", trigger_not_last(n, len(kinds) - 1))
        if kind == CONFIGURATION_UPDATE and n and kinds[n - 1] == CONFIGURATION_UPDATE:
            raise ReplayError("R13", f"input[{n}]", two_updates(n - 1, n))
    pending = {
        key: kind
        for key, kind in pending_calls([*calls_stub(earlier or {}), *items]).items()
        if kind in registry.MUST_ANSWER
    }
    if pending:
        (first, kind), *more = pending.items()
        also = f" Also pending: {', '.join(f'{k} ({t})' for k, t in more)}." if more else ""
        raise ReplayError("R7", "input", unanswered(kind, first) + also)


def calls_stub(calls: Mapping[str, str]) -> list[dict[str, Any]]:
    return [{"type": kind, registry.CALLS[kind][1]: key} for key, kind in calls.items()]
