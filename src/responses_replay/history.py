"""Request builders for the three chaining modes of api-errors.md: stateless, stored, chained."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict, cast

from pydantic import ValidationError

from ._base import InputModel
from ._errors import InputError, ReplayError
from ._generated import registry
from ._generated.replay import INPUT_CLASS_BY_TYPE, NewItem
from .turn import Turn, pending_calls

__all__ = ["Chain", "History", "RequestKwargs"]


class RequestKwargs(TypedDict, total=False):
    """Keyword arguments for `openai`'s `client.responses.create(**kwargs)`.

    Declared here rather than imported from `openai`, so that type-checking a program that uses
    this library does not type-check the SDK too (a cold mypy run 4x faster). `input` and
    `include` are `Any` because the SDK's own types for them are its TypedDict unions; what is
    in them was built and validated by this library.
    """

    model: str
    input: Any
    store: bool
    include: Any
    previous_response_id: str
    conversation: str


_NEW_CLASSES: tuple[type[InputModel], ...] = tuple(
    {id(c): c for c in INPUT_CLASS_BY_TYPE.values()}.values()
)
_ROLES_OF_CALLER = ("user", "system", "developer")


def _new_item(item: Any, where: str, rule_if_model_item: str) -> InputModel:
    """A caller-written item (message or tool output), checked at run time too."""
    if isinstance(item, _NEW_CLASSES):
        if getattr(item, "role", "user") == "assistant":
            raise ReplayError(rule_if_model_item, where, "an assistant message came from the model")
        return item
    if isinstance(item, Turn):
        raise ReplayError(rule_if_model_item, where, "a Turn is added with add_turn(), not add()")
    data = item.model_dump(mode="json", exclude_none=True) if hasattr(item, "model_dump") else item
    if not isinstance(data, Mapping):
        raise InputError(f"{where}: an input item must be a JSON object, got {type(item).__name__}")
    kind = data.get("type") or ("message" if "role" in data else None)
    if kind == "reasoning":
        raise ReplayError(
            "R4",
            where,
            "a reasoning item is replayed only with the items it produced: add the whole Turn",
        )
    if kind == "message" and data.get("role") not in _ROLES_OF_CALLER:
        raise ReplayError(
            rule_if_model_item, where, f"role {data.get('role')!r} is not the caller's"
        )
    cls = INPUT_CLASS_BY_TYPE.get(str(kind))
    if cls is None:
        raise ReplayError(
            rule_if_model_item,
            where,
            f"item type {kind!r} came from the model: replay it with its Turn, not as a new item",
        )
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        raise InputError.from_validation(exc, where, data) from exc


def _as_dict(item: InputModel | Mapping[str, Any]) -> dict[str, Any]:
    return item.to_dict() if isinstance(item, InputModel) else dict(item)


def _check_pending(
    items: list[InputModel | Mapping[str, Any]], earlier: Mapping[str, str] | None = None
) -> None:
    """R7: every call, in `items` or made earlier server-side ({key: call type}), is answered."""
    pending = pending_calls([*_calls_stub(earlier or {}), *items])
    if pending:
        listed = ", ".join(f"{k} ({t})" for k, t in pending.items())
        first = next(iter(pending))
        raise ReplayError(
            "R7", "input", f"No tool output found for function call {first}. Pending: {listed}"
        )


def _calls_stub(calls: Mapping[str, str]) -> list[dict[str, Any]]:
    return [{"type": kind, registry.CALLS[kind][1]: key} for key, kind in calls.items()]


class History:
    """The whole conversation kept client-side (manual history).

    `store=False` (stateless, zero data retention): reasoning must carry `encrypted_content` and the
    request asks for it with `include`. `store=True`: the server also keeps the items.
    """

    def __init__(self, *, store: bool = False) -> None:
        self.store = store
        self._entries: list[Turn | InputModel] = []

    def user(self, content: str | list[dict[str, Any]]) -> None:
        """Add a user message."""
        self._entries.append(_new_item({"role": "user", "content": content}, "user()", "R13"))

    def add(self, *items: NewItem) -> None:
        """Add messages of the caller or tool outputs (built with `tool_output(call, ...)`)."""
        for n, item in enumerate(items):
            self._entries.append(_new_item(item, f"add()[{n}]", "R4"))

    def add_turn(self, turn: Turn) -> None:
        """Add a response's whole converted output."""
        if not isinstance(turn, Turn):
            raise ReplayError("R4", "add_turn()", "expects a Turn (Turn.from_response(response))")
        if not self.store:
            for n, item in enumerate(turn.items):
                data = _as_dict(item)
                if data.get("type") == "reasoning" and not data.get("encrypted_content"):
                    raise ReplayError(
                        "R3",
                        f"output[{n}]",
                        f"Item with id '{data.get('id')}' not found. Items are not persisted when `store` is "
                        "set to false. (request include=['reasoning.encrypted_content'])",
                    )
        self._entries.append(turn)

    def add_response(self, response: Any) -> Turn:
        """Convert a response and add it whole; returns the turn (to answer its calls)."""
        turn = Turn.from_response(response)
        self.add_turn(turn)
        return turn

    def items(self) -> list[InputModel | Mapping[str, Any]]:
        out: list[InputModel | Mapping[str, Any]] = []
        for entry in self._entries:
            out.extend(entry.items if isinstance(entry, Turn) else [entry])
        return out

    def pending(self) -> dict[str, str]:
        return pending_calls(self.items())

    def body(self, *, model: str, **extra: Any) -> dict[str, Any]:
        """The JSON request body; raises on pending calls (R7)."""
        items = self.items()
        _check_pending(items)
        body: dict[str, Any] = {
            "model": model,
            "input": [_as_dict(i) for i in items],
            "store": self.store,
        }
        if not self.store:
            include = list(extra.pop("include", []) or [])
            if "reasoning.encrypted_content" not in include:
                include.append("reasoning.encrypted_content")
            body["include"] = include
        for key in ("previous_response_id", "conversation"):
            if key in extra:
                raise ReplayError(
                    "R2", key, "a History sends the whole history: use Chain to chain"
                )
        body.update(extra)
        return body

    def request(self, *, model: str, **extra: Any) -> RequestKwargs:
        """Keyword arguments for `client.responses.create(**kwargs)`."""
        return cast("RequestKwargs", self.body(model=model, **extra))


class Chain:
    """Chained requests (`previous_response_id=` or `conversation=`): only the delta is sent (R2)."""

    def __init__(
        self, *, previous_response_id: str | None = None, conversation: str | None = None
    ) -> None:
        if previous_response_id and conversation:
            raise ReplayError(
                "R8",
                "",
                "Mutually exclusive parameters. Ensure you are only providing one of: "
                "'previous_response_id' or 'conversation'.",
            )
        self.previous_response_id = previous_response_id
        self.conversation = conversation
        self._pending: dict[str, str] = {}
        self._delta: list[InputModel] = []

    def user(self, content: str | list[dict[str, Any]]) -> None:
        self._delta.append(_new_item({"role": "user", "content": content}, "user()", "R2"))

    def add(self, *items: NewItem) -> None:
        """New messages of the caller and tool outputs; nothing that came from the model (R2)."""
        for n, item in enumerate(items):
            self._delta.append(_new_item(item, f"add()[{n}]", "R2"))

    def after(self, response: Any) -> Turn:
        """Record a response: its id chains the next request (unless on a conversation), its calls
        must be answered in it (R7). Returns its turn, to build the tool outputs from."""
        turn = Turn.from_response(response, unknown="pass", incomplete="drop_trailing_reasoning")
        if self.conversation is None and turn.response_id:
            self.previous_response_id = turn.response_id
        self._pending = turn.pending()
        self._delta = []
        return turn

    def body(self, *, model: str, **extra: Any) -> dict[str, Any]:
        if "input" in extra:
            raise ReplayError(
                "R2", "input", "add new items with add(): a chained request is delta-only"
            )
        _check_pending(list(self._delta), self._pending)
        body: dict[str, Any] = {"model": model, "input": [i.to_dict() for i in self._delta]}
        if self.conversation:
            body["conversation"] = self.conversation
        elif self.previous_response_id:
            body["previous_response_id"] = self.previous_response_id
        body.update(extra)
        if body.get("conversation") and body.get("previous_response_id"):
            raise ReplayError(
                "R8", "", "Mutually exclusive parameters: previous_response_id and conversation."
            )
        return body

    def request(self, *, model: str, **extra: Any) -> RequestKwargs:
        """Keyword arguments for `client.responses.create(**kwargs)`."""
        return cast("RequestKwargs", self.body(model=model, **extra))
