"""Saved state of a `History` or `Chain`: a versioned JSON object, read back to the same next request.

The format (version 1), one JSON object:

    {"format": "responses-replay.state", "version": 1, "kind": "history",
     "store": false, "self_contained": true,
     "entries": [{"item": {...}},                               # a caller's message or tool output
                 {"turn": {"response_id": "resp_...", "status": "completed",
                           "store": false, "incomplete_reason": null,
                           "items": [{...}, ...], "passed": [2]}}],   # a response's output, whole
     "pending": {"call_...": "function_call"},
     "window": null}                        # len(entries) when compact_request() was built

    {"format": "responses-replay.state", "version": 1, "kind": "chain",
     "previous_response_id": "resp_..." | null, "conversation": "conv_..." | null,
     "unchainable": "resp_..." | null,      # the anchor was made with store=false (R14)
     "pending": {"call_...": "function_call"}, "delta": [{...}, ...],
     "safety_checks": {"call_...": [{"id": "cu_sc_...", "code": ..., "message": ...}]}}

Items are stored as they are sent (`to_dict()`); `passed` lists the items of a turn kept unchanged
(`unknown="pass"`: a type newer than the pinned spec). Reading converts every item again and
requires it to write back the same JSON, so a restored state builds the byte-identical request.

Version 2 adds one key, a chain's `safety_checks`: the pending safety checks of the computer
calls its anchor left (R15: their outputs must acknowledge them). A state is written as version 2
only when it has some, so every other state stays version 1, readable by the releases before;
a reader of version 1 only refuses a version-2 state by name rather than lose the check.

`self_contained`, `window`, a turn's `store` and `incomplete_reason`, and a chain's `unchainable`
and `safety_checks` may be absent: the first files of version 1 were written without them, and their absence means
what those files meant (`self_contained` = not `store`, the others null). Any other key is
refused: a key this reader does not know could change the request, and is never dropped silently.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import pydantic_core
from pydantic import ValidationError

from ._base import InputModel
from ._convert import convert_item
from ._errors import InputError, ReplayError
from ._generated.replay import INPUT_CLASS_BY_TYPE
from ._kind import CALLER_ROLES, item_kind
from ._pairs import check_outputs_follow_calls, check_turn_end
from .turn import Turn

__all__ = ["FORMAT", "VERSION", "StateError"]

FORMAT = "responses-replay.state"
#: The newest version this library writes; it reads every version up to it (and will keep
#: reading them). A state is written with the oldest version that carries it: version 2 only for
#: a chain holding pending safety checks, so other states stay readable by older releases.
VERSION = 2
_READS = (1, 2)

Entry = Turn | InputModel


class StateError(InputError):
    """Saved state that cannot be read: names the state's version and the place in it."""


def _fail(version: object, where: str, message: str) -> StateError:
    return StateError(f"state version {version!r}{': ' + where if where else ''}: {message}")


def _as_json(item: InputModel | Mapping[str, Any]) -> dict[str, Any]:
    return item.to_dict() if isinstance(item, InputModel) else dict(item)


# --- writing ---------------------------------------------------------------------------------


def _header(kind: str, version: int = 1) -> dict[str, Any]:
    return {"format": FORMAT, "version": version, "kind": kind}


def dump_history(
    *,
    store: bool,
    self_contained: bool,
    entries: Sequence[Entry],
    pending: Mapping[str, str],
    window: int | None,
) -> dict[str, Any]:
    """The state of a History (see the module docstring)."""
    out: list[dict[str, Any]] = []
    for entry in entries:
        if isinstance(entry, Turn):
            items = entry.items
            out.append(
                {
                    "turn": {
                        "response_id": entry.response_id,
                        "status": entry.status,
                        "store": entry.store,
                        "incomplete_reason": entry.incomplete_reason,
                        "items": [_as_json(i) for i in items],
                        "passed": [n for n, i in enumerate(items) if not isinstance(i, InputModel)],
                    }
                }
            )
        else:
            out.append({"item": entry.to_dict()})
    return {
        **_header("history"),
        "store": store,
        "self_contained": self_contained,
        "entries": out,
        "pending": dict(pending),
        "window": window,
    }


def dump_chain(
    *,
    previous_response_id: str | None,
    conversation: str | None,
    unchainable: str | None,
    pending: Mapping[str, str],
    delta: Sequence[InputModel],
    safety_checks: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The state of a Chain (see the module docstring)."""
    state = {
        **_header("chain", 2 if safety_checks else 1),
        "previous_response_id": previous_response_id,
        "conversation": conversation,
        "unchainable": unchainable,
        "pending": dict(pending),
        "delta": [i.to_dict() for i in delta],
    }
    if safety_checks:
        state["safety_checks"] = {
            key: [_as_json(check) for check in checks] for key, checks in safety_checks.items()
        }
    return state


def to_text(state: Mapping[str, Any]) -> str:
    """The state as JSON text (UTF-8, not ASCII-escaped)."""
    return json.dumps(state, ensure_ascii=False, separators=(",", ":"))


# --- reading ---------------------------------------------------------------------------------


def parse_text(text: str | bytes | bytearray) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise StateError(f"state is not valid JSON: {exc}") from exc


def _open(state: Any, kind: str) -> tuple[Mapping[str, Any], int]:
    """Check the header: a state object of this format, a version this library reads, `kind`."""
    if isinstance(state, str | bytes | bytearray):
        state = parse_text(state)
    if not isinstance(state, Mapping):
        raise StateError(f"state must be a JSON object, got {type(state).__name__}")
    if state.get("format") != FORMAT:
        raise StateError(
            f"not a responses-replay state: 'format' is {state.get('format')!r}, "
            f"expected {FORMAT!r}"
        )
    version = state.get("version")
    if type(version) is not int or version not in _READS:
        newer = type(version) is int and version > VERSION
        raise _fail(
            version,
            "",
            f"this version of responses-replay reads state version {', '.join(map(str, _READS))}"
            + (
                " (the state was written by a newer version: upgrade responses-replay)"
                if newer
                else ""
            ),
        )
    if state.get("kind") != kind:
        raise _fail(version, "kind", f"a {state.get('kind')!r} state, not a {kind!r} state")
    return state, version


_ABSENT: Any = object()


def _field(
    state: Mapping[str, Any],
    version: int,
    key: str,
    types: tuple[type, ...],
    *,
    where: str = "",
    default: Any = _ABSENT,
) -> Any:
    """`state[key]` of one of `types` (bool is not an int here); `default` when the key may be absent."""
    if key not in state and default is not _ABSENT:
        return default
    value = state.get(key)
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        names = " or ".join("null" if t is type(None) else t.__name__ for t in types)
        place = f"{where}.{key}" if where else key
        raise _fail(version, place, f"expected {names}, got {type(value).__name__}")
    return value


def _known(state: Mapping[str, Any], version: int, where: str, keys: frozenset[str]) -> None:
    """Refuse keys this reader does not know: they could change the request (never dropped)."""
    unknown = sorted(str(k) for k in state.keys() - keys)
    if unknown:
        raise _fail(
            version,
            where or ", ".join(unknown),
            f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
            "(written by a newer version of responses-replay? upgrade it to read this state)",
        )


_HEADER = frozenset({"format", "version", "kind"})
_HISTORY_KEYS = _HEADER | {"store", "self_contained", "entries", "pending", "window"}
_CHAIN_KEYS = _HEADER | {
    "previous_response_id",
    "conversation",
    "unchainable",
    "pending",
    "delta",
    "safety_checks",
}
_TURN_KEYS = frozenset({"response_id", "status", "store", "incomplete_reason", "items", "passed"})


def _pending(state: Mapping[str, Any], version: int) -> dict[str, str]:
    pending = _field(state, version, "pending", (dict,))
    for key, kind in pending.items():
        if not isinstance(kind, str):
            raise _fail(version, f"pending.{key}", "a call type must be a string")
    return dict(pending)


def _same(
    item: InputModel | dict[str, Any], data: Mapping[str, Any], version: int, where: str
) -> None:
    """The item writes back exactly what was saved: the restored request is byte-identical."""
    if not _identical(item, data):
        raise _fail(
            version,
            where,
            f"the item does not read back as it was written ({to_text(data)[:120]}); "
            "was it edited, or written with another pinned spec?",
        )


def _identical(item: InputModel | dict[str, Any], data: Mapping[str, Any]) -> bool:
    """The same JSON text, key order included (pydantic_core's encoder: 10x json.dumps)."""
    return pydantic_core.to_json(_as_json(item)) == pydantic_core.to_json(data)


def _caller_item(data: Any, version: int, where: str) -> InputModel:
    """A caller's message or tool output, as History.add / Chain.add or a listing made it."""
    if not isinstance(data, Mapping):
        raise _fail(version, where, f"an item must be a JSON object, got {type(data).__name__}")
    cls = INPUT_CLASS_BY_TYPE.get(str(item_kind(data)))
    item: InputModel | dict[str, Any] | None = None
    if cls is not None:  # History.add / Chain.add made it so
        try:
            item = cls.model_validate(data)
        except ValidationError:
            item = None  # e.g. a user message from a listing: the converter picks its class
    if item is None or not _identical(item, data):
        item = _converted(data, version, where)
    _same(item, data, version, where)
    kind = item_kind(item)
    if (
        not isinstance(item, InputModel)
        or kind not in INPUT_CLASS_BY_TYPE
        or (kind == "message" and getattr(item, "role", None) not in CALLER_ROLES)
    ):
        raise _fail(
            version, where, f"a {kind!r} item that is not the caller's (it came from the model)"
        )
    return item


def _converted(data: Any, version: int, where: str) -> InputModel | dict[str, Any]:
    if not isinstance(data, Mapping):
        raise _fail(version, where, f"an item must be a JSON object, got {type(data).__name__}")
    try:
        return convert_item(dict(data), where=where)
    except (ReplayError, InputError) as exc:
        raise _fail(version, where, str(exc)) from exc


def _turn(data: Any, version: int, where: str) -> Turn:
    if not isinstance(data, Mapping):
        raise _fail(version, where, f"a turn must be a JSON object, got {type(data).__name__}")
    _known(data, version, where, _TURN_KEYS)
    optional_str = (str, type(None))
    rid = _field(data, version, "response_id", optional_str, where=where, default=None)
    status = _field(data, version, "status", optional_str, where=where, default=None)
    store = _field(data, version, "store", (bool, type(None)), where=where, default=None)
    reason = _field(data, version, "incomplete_reason", optional_str, where=where, default=None)
    raw = _field(data, version, "items", (list,), where=where)
    passed = _field(data, version, "passed", (list,), where=where)
    if not all(type(n) is int and 0 <= n < len(raw) for n in passed):
        raise _fail(version, f"{where}.passed", f"not indices of items: {passed!r}")
    items: list[InputModel | dict[str, Any]] = []
    for n, item_data in enumerate(raw):
        at = f"{where}.items[{n}]"
        if n in passed:
            if not isinstance(item_data, Mapping):
                raise _fail(version, at, "an item must be a JSON object")
            items.append(dict(item_data))
            continue
        item = _converted(item_data, version, at)
        _same(item, item_data, version, at)
        items.append(item)
    check_turn_end(items, f"{where}.items")
    return Turn._restored(
        items, response_id=rid, status=status, store=store, incomplete_reason=reason
    )


class HistoryState(NamedTuple):
    """What a History state holds (see the module docstring)."""

    store: bool
    self_contained: bool
    entries: list[Entry]
    pending: dict[str, str]
    window: int | None


def load_history(state: Any, *, store: bool | None = None) -> HistoryState:
    """The parts of a History state (of that `store` mode if given); raises StateError naming
    the version."""
    data, version = _open(state, "history")
    _known(data, version, "", _HISTORY_KEYS)
    saved_store = _field(data, version, "store", (bool,))
    if store is not None and saved_store is not store:
        raise _fail(
            version,
            "store",
            f"a History saved with store={saved_store}, read with from_state(..., store={store})",
        )
    store = saved_store
    self_contained = _field(data, version, "self_contained", (bool,), default=not store)
    entries: list[Entry] = []
    for n, entry in enumerate(_field(data, version, "entries", (list,))):
        where = f"entries[{n}]"
        if not isinstance(entry, Mapping) or len(entry) != 1 or not {"turn", "item"} & entry.keys():
            raise _fail(version, where, "expected {'turn': ...} or {'item': ...}")
        if "turn" in entry:
            try:
                entries.append(_turn(entry["turn"], version, f"{where}.turn"))
            except ReplayError as exc:
                raise _fail(version, where, str(exc)) from exc
        else:
            entries.append(_caller_item(entry["item"], version, f"{where}.item"))
    try:
        check_outputs_follow_calls(entries, "entries")
    except ReplayError as exc:
        raise _fail(version, "entries", str(exc)) from exc
    window = _field(data, version, "window", (int, type(None)), default=None)
    if window is not None and not 0 <= window <= len(entries):
        raise _fail(version, "window", f"{window} is not a number of entries (0 to {len(entries)})")
    return HistoryState(store, self_contained, entries, _pending(data, version), window)


class ChainState(NamedTuple):
    """What a Chain state holds (see the module docstring)."""

    previous_response_id: str | None
    conversation: str | None
    unchainable: str | None
    pending: dict[str, str]
    delta: list[InputModel]
    safety_checks: dict[str, list[dict[str, Any]]]


def load_chain(state: Any) -> ChainState:
    """The parts of a Chain state; raises StateError naming the version."""
    data, version = _open(state, "chain")
    _known(data, version, "", _CHAIN_KEYS if version >= 2 else _CHAIN_KEYS - {"safety_checks"})
    optional_str = (str, type(None))
    previous = _field(data, version, "previous_response_id", optional_str)
    conversation = _field(data, version, "conversation", optional_str)
    unchainable = _field(data, version, "unchainable", optional_str, default=None)
    delta = [
        _caller_item(item, version, f"delta[{n}]")
        for n, item in enumerate(_field(data, version, "delta", (list,)))
    ]
    pending = _pending(data, version)
    checks = _safety_checks(data, version, pending)
    return ChainState(previous, conversation, unchainable, pending, delta, checks)


def _safety_checks(
    state: Mapping[str, Any], version: int, pending: Mapping[str, str]
) -> dict[str, list[dict[str, Any]]]:
    """A chain's pending safety checks by computer call (R15): each a check object with a string
    `id`, for a call the state has pending."""
    saved = _field(state, version, "safety_checks", (dict,), default={})
    out: dict[str, list[dict[str, Any]]] = {}
    for key, checks in saved.items():
        where = f"safety_checks.{key}"
        if pending.get(key) != "computer_call":
            raise _fail(version, where, "not a pending computer_call of this state")
        if not isinstance(checks, list) or not checks:
            raise _fail(version, where, "the pending safety checks must be a non-empty list")
        for n, check in enumerate(checks):
            if not isinstance(check, dict) or not isinstance(check.get("id"), str):
                raise _fail(
                    version, f"{where}[{n}]", "a safety check is an object with a string id"
                )
        out[key] = [dict(check) for check in checks]
    return out


def mismatch(saved: Mapping[str, str], derived: Mapping[str, str]) -> StateError:
    return _fail(
        VERSION,
        "pending",
        f"the saved pending calls {dict(saved)!r} are not those of the saved items {dict(derived)!r}",
    )
