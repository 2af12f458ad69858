"""Request builders for the three chaining modes of api-errors.md: stateless, stored, chained."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Literal, TypedDict, TypeVar, cast, overload

from pydantic import ValidationError
from typing_extensions import Unpack

from ._base import InputModel
from ._errors import InputError, ReplayError
from ._generated import registry
from ._generated.replay import (
    INPUT_CLASS_BY_TYPE,
    NEW_ITEM_CLASSES,
    REFERENCE_CLASSES,
    NewItem,
    ReferenceItem,
    UserContent,
)
from ._kind import CALLER_ROLES, item_kind
from ._parse import pausing_gc
from ._rules import CONFIGURATION_UPDATE, STATELESS_FIX, stateless_problem, two_updates, unanswered
from .turn import Turn, pending_calls


class CreateParams(TypedDict, total=False):
    """The parameters of `client.responses.create` a builder does not set itself.

    Not here, by design: `input` (the builder's checked items), `store` (the History's mode),
    `previous_response_id` and `conversation` (a History sends the whole history; a Chain sets
    its own, R2, R8). Declared here rather than imported from `openai` (as of openai 3.57), so that
    type-checking a program that uses this library does not type-check the SDK too.
    """

    access_programs: Any
    background: bool
    background_options: Any
    context_management: Any
    image: Any
    include: Sequence[str]
    instructions: str
    max_output_tokens: int
    max_tool_calls: int
    metadata: Mapping[str, str]
    moderation: Any
    parallel_tool_calls: bool
    prompt: Any
    prompt_cache_key: str
    prompt_cache_options: Any
    prompt_cache_retention: str
    reasoning: Any
    safety_identifier: str
    service_tier: str
    stream: bool
    stream_options: Any
    temperature: float
    text: Any
    tool_choice: Any
    tools: Sequence[Any]
    top_logprobs: int
    top_p: float
    truncation: str
    user: str
    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, object]
    extra_body: Mapping[str, object]
    timeout: float


#: A saved state: the dict of `to_state()` or the text of `to_json()`.
Saved = Mapping[str, Any] | str | bytes

if TYPE_CHECKING:  # the modules themselves are imported on first use
    from ._convert import Unknown
    from ._moves import Order
    from ._trim import Fits

__all__ = ["Chain", "CompactKwargs", "CreateParams", "History", "RequestKwargs"]


class RequestKwargs(TypedDict, total=False):
    """Keyword arguments for `openai`'s `client.responses.create(**kwargs)`.

    `input` and `include` are `Any` because the SDK's own types for them are its TypedDict unions;
    what is in them was built and validated by this library.
    """

    model: str
    input: Any
    store: bool
    include: Any
    previous_response_id: str
    conversation: str


class CompactKwargs(TypedDict):
    """Keyword arguments for `openai`'s `client.responses.compact(**kwargs)`."""

    model: str
    input: Any


_PARAMS = frozenset(CreateParams.__annotations__)
_OWN = {
    "input": ("R2", "the builder's checked items are the input: add items with add()/user()"),
    "store": ("R3", "store is the History's mode: History(store=...)"),
    "previous_response_id": ("R2", "a History sends the whole history: use Chain to chain"),
    "conversation": ("R2", "a History sends the whole history: use Chain to chain"),
}


def _extra(extra: Mapping[str, Any], chained: bool) -> dict[str, Any]:
    """The caller's extra parameters, refused when the builder owns them or they are unknown."""
    for key in extra:
        if key in _OWN:
            rule, why = _OWN[key]
            if chained and key in ("previous_response_id", "conversation"):
                why = "set it on Chain(...): Chain(previous_response_id=...) or Chain(conversation=...)"
            raise ReplayError(rule, key, why)
        if key not in _PARAMS:
            raise InputError(
                f"{key}: not a parameter of responses.create (known: {', '.join(sorted(_PARAMS))})"
            )
    return dict(extra)


def _new_item(item: Any, where: str, rule_if_model_item: str) -> InputModel:
    """A caller-written item (message, tool output, input-only item), checked at run time too."""
    if isinstance(item, Turn):
        raise ReplayError(rule_if_model_item, where, "a Turn is added with add_turn(), not add()")
    if isinstance(item, NEW_ITEM_CLASSES):
        return item
    if isinstance(item, InputModel):
        data: Any = item.to_dict()
    elif hasattr(item, "model_dump"):
        data = item.model_dump(mode="json", exclude_none=True)
    else:
        data = item
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
        return cls.model_validate(data)
    except ValidationError as exc:
        raise InputError.from_validation(exc, where, data) from exc


def _as_dict(item: InputModel | Mapping[str, Any]) -> dict[str, Any]:
    return item.to_dict() if isinstance(item, InputModel) else dict(item)


def _check_items(
    items: Sequence[InputModel | Mapping[str, Any]], earlier: Mapping[str, str] | None = None
) -> None:
    """R7: every call, in `items` or made earlier server-side ({key: call type}), that the API
    refuses unanswered is answered; `compaction_trigger` only as the last item; never two
    `configuration_update` items in a row (keyed on the type tag, as the checker does)."""
    kinds = [item_kind(item) for item in items]
    for n, kind in enumerate(kinds):
        if kind == "compaction_trigger" and n < len(kinds) - 1:
            raise ReplayError(
                "R13", f"input[{n}]", "compaction_trigger is accepted only as the last input item"
            )
        if kind == CONFIGURATION_UPDATE and n and kinds[n - 1] == CONFIGURATION_UPDATE:
            raise ReplayError("R13", f"input[{n}]", two_updates(n - 1, n))
    pending = {
        key: kind
        for key, kind in pending_calls([*_calls_stub(earlier or {}), *items]).items()
        if kind in registry.MUST_ANSWER
    }
    if pending:
        (first, kind), *more = pending.items()
        also = f" Also pending: {', '.join(f'{k} ({t})' for k, t in more)}." if more else ""
        raise ReplayError("R7", "input", unanswered(kind, first) + also)


def _calls_stub(calls: Mapping[str, str]) -> list[dict[str, Any]]:
    return [{"type": kind, registry.CALLS[kind][1]: key} for key, kind in calls.items()]


StoreT = TypeVar("StoreT", bound=bool, covariant=True)


class History(Generic[StoreT]):
    """The whole conversation kept client-side (manual history).

    `store=False` (stateless, zero data retention): reasoning must carry `encrypted_content` and the
    request asks for it with `include`. `store=True`: the server also keeps the items; items may
    be sent by reference (`inputs.ItemReferenceParam`). `store=True, self_contained=True`: the
    server keeps the items, but no request depends on a server-side lookup: turns are replayed in
    full without their server ids (hosted-tool calls keep theirs, R10), reasoning carried by its
    `encrypted_content` (the cure for an intermittent "Item with id 'fc_...' not found", R3).
    """

    @overload
    def __init__(
        self: History[Literal[False]],
        *,
        store: Literal[False] = ...,
        self_contained: bool | None = ...,
    ) -> None: ...
    @overload
    def __init__(
        self: History[Literal[True]], *, store: Literal[True], self_contained: bool | None = ...
    ) -> None: ...
    @overload
    def __init__(
        self: History[bool], *, store: bool, self_contained: bool | None = ...
    ) -> None: ...
    def __init__(self, *, store: bool = False, self_contained: bool | None = None) -> None:
        if not isinstance(store, bool):
            raise InputError(f"store must be True or False, got {store!r}")
        if self_contained is False and not store:
            raise ReplayError(
                "R3", "self_contained", "under store=false every request is self-contained"
            )
        self.store = store
        self.self_contained = (not store) if self_contained is None else self_contained
        self._entries: list[Turn | InputModel] = []
        self._window: int | None = None  # len(_entries) when compact_request() was built

    def user(self, content: UserContent) -> None:
        """Add a user message (text, or a list of input_text / input_image / input_file parts)."""
        self._append(_new_item({"role": "user", "content": content}, "user()", "R13"))

    @overload
    def add(self: History[Literal[True]], *items: NewItem | ReferenceItem) -> None: ...
    @overload
    def add(self, *items: NewItem) -> None: ...
    def add(self, *items: Any) -> None:
        """Add messages of the caller (assistant messages it writes too, without an id), tool
        outputs (built with `tool_output(call, ...)`), and, stored mode only, item references."""
        for n, item in enumerate(items):
            where = f"add()[{n}]"
            if item_kind(item) == "item_reference" and not isinstance(item, Turn):
                self._append(self._reference(item, where))
            else:
                self._append(_new_item(item, where, "R4"))

    def _reference(self, item: Any, where: str) -> InputModel:
        if not self.store or self.self_contained:
            mode = "store=false" if not self.store else "self_contained=True"
            raise ReplayError(
                "R3",
                where,
                f"an item_reference is looked up server-side; under {mode} send the full item",
            )
        if not REFERENCE_CLASSES:
            raise ReplayError("R13", where, "the pinned spec has no item_reference input item")
        if isinstance(item, REFERENCE_CLASSES):
            return item
        try:
            return REFERENCE_CLASSES[0].model_validate(
                item.to_dict() if isinstance(item, InputModel) else item
            )
        except ValidationError as exc:
            raise InputError.from_validation(exc, where, item) from exc

    def _append(self, item: InputModel) -> None:
        # Never right after a reasoning item (R4): a Turn never ends with one (see Turn).
        self._entries.append(item)

    def add_turn(self, turn: Turn) -> None:
        """Add a response's whole converted output (without its ids when self-contained)."""
        if not isinstance(turn, Turn):
            raise ReplayError("R4", "add_turn()", "expects a Turn (Turn.from_response(response))")
        if self.self_contained:
            for n, item in enumerate(turn.items):
                problem = stateless_problem(item)
                if problem is not None:
                    raise ReplayError("R3", f"output[{n}]", f"{problem} {STATELESS_FIX}")
            if self.store:  # the server would look the ids up (R3): send the items in full instead
                turn = turn.without_ids()
        self._entries.append(turn)

    @pausing_gc  # one pause for the conversion and the R3 check after it
    def add_response(self, response: Any) -> Turn:
        """Convert a response and add it whole; returns the turn (to answer its calls)."""
        turn = Turn.from_response(response)
        self.add_turn(turn)
        return turn

    def compact(self, compacted: Any) -> Turn:
        """Replace the history with a compacted window (`client.responses.compact(...)`'s
        response: the kept user messages and an encrypted `compaction` item, replayed whole).

        The window replaces what was in the history when `compact_request()` was built (the whole
        history if it was not called); items added since are kept after it."""
        dump = getattr(compacted, "model_dump", None)
        if callable(dump) and not isinstance(compacted, Mapping):
            # The SDK types a compacted window's user messages as output messages: dump it as
            # received, without pydantic's warnings about the mismatch.
            compacted = dump(mode="json", exclude_unset=True, by_alias=True, warnings=False)
        window = Turn.from_response(compacted)
        if not any(item_kind(i) == "compaction" for i in window.items):
            raise InputError(
                "a compacted response holds a `compaction` item: pass the response of "
                "client.responses.compact(...)"
            )
        kept = self._entries[self._window :] if self._window is not None else []
        self._entries = [window, *kept]
        self._window = None
        return window

    def compact_request(self, *, model: str) -> CompactKwargs:
        """Keyword arguments for `client.responses.compact(**kwargs)` over the whole history."""
        items = self.items()
        _check_items(items)
        self._window = len(self._entries)
        return {"model": model, "input": [_as_dict(i) for i in items]}

    def items(self) -> list[InputModel | Mapping[str, Any]]:
        out: list[InputModel | Mapping[str, Any]] = []
        for entry in self._entries:
            out.extend(entry.items if isinstance(entry, Turn) else [entry])
        return out

    def pending(self) -> dict[str, str]:
        return pending_calls(self.items())

    def body(self, *, model: str, **extra: Unpack[CreateParams]) -> dict[str, Any]:
        """The JSON request body; raises on pending calls (R7)."""
        params = _extra(extra, chained=False)
        items = self.items()
        _check_items(items)
        body: dict[str, Any] = {
            "model": model,
            "input": [_as_dict(i) for i in items],
            "store": self.store,
        }
        if self.self_contained:
            include = list(params.pop("include", []) or [])
            if "reasoning.encrypted_content" not in include:
                include.append("reasoning.encrypted_content")
            body["include"] = include
        body.update(params)
        return body

    def request(self, *, model: str, **extra: Unpack[CreateParams]) -> RequestKwargs:
        """Keyword arguments for `client.responses.create(**kwargs)`."""
        return cast("RequestKwargs", self.body(model=model, **extra))

    # --- saved state, trimming, moves between modes (responses_replay.state, ._trim, ._moves) ---

    def to_state(self) -> dict[str, Any]:
        """The whole History as a versioned JSON object (see docs/state.md); `from_state` reads it."""
        from . import state

        return state.dump_history(
            store=self.store,
            self_contained=self.self_contained,
            entries=self._entries,
            pending=self.pending(),
            window=self._window,
        )

    def to_json(self) -> str:
        """`to_state()` as JSON text."""
        from .state import to_text

        return to_text(self.to_state())

    @overload
    @classmethod
    def from_state(cls, saved: Saved, *, store: Literal[True]) -> History[Literal[True]]: ...
    @overload
    @classmethod
    def from_state(cls, saved: Saved, *, store: Literal[False]) -> History[Literal[False]]: ...
    @overload
    @classmethod
    def from_state(cls, saved: Saved, *, store: None = ...) -> History[bool]: ...
    @classmethod
    def from_state(cls, saved: Saved, *, store: bool | None = None) -> History[bool]:
        """The History a `to_state()` / `to_json()` wrote; it builds the byte-identical next request
        in every mode (self-contained, and with a `compact_request()` still to be answered).

        `store=True` / `store=False` says which mode the caller expects (the result is then typed
        `History[Literal[True]]` / `History[Literal[False]]`); a state of the other mode is refused.
        Raises `StateError` (naming the state's version and the place) when it cannot be read."""
        return cls._restore(saved, store)

    @overload
    @classmethod
    def from_json(cls, saved: Saved, *, store: Literal[True]) -> History[Literal[True]]: ...
    @overload
    @classmethod
    def from_json(cls, saved: Saved, *, store: Literal[False]) -> History[Literal[False]]: ...
    @overload
    @classmethod
    def from_json(cls, saved: Saved, *, store: None = ...) -> History[bool]: ...
    @classmethod
    def from_json(cls, saved: Saved, *, store: bool | None = None) -> History[bool]:
        """`from_state` (it reads the text of `to_json()` as well as the dict of `to_state()`)."""
        return cls._restore(saved, store)

    @classmethod
    def _restore(cls, saved: Saved, store: bool | None) -> History[bool]:
        from . import state

        saved_state = state.load_history(saved, store=store)
        history = cls._of_entries(
            saved_state.entries, store=saved_state.store, self_contained=saved_state.self_contained
        )
        if history.pending() != saved_state.pending:
            raise state.mismatch(saved_state.pending, history.pending())
        history._window = saved_state.window
        return history

    def trim(self, max_exchanges: int | None = None, *, fits: Fits | None = None) -> int:
        """Drop the oldest whole exchanges; returns how many items were dropped.

        An exchange is a user message with the turns and tool outputs that answer it: a turn, a call
        and its output go together (R4, R6, R7); system and developer messages are kept.
        `max_exchanges` keeps the newest ones; `fits(input_items)` (e.g. a token count under a
        limit) drops more until it is true. The only way items leave a History. A pending
        `compact_request()` window shrinks with it: `compact()` still keeps what came after it.
        """
        from ._trim import kept_entries

        before = len(self.items())
        kept = kept_entries(self._entries, max_exchanges=max_exchanges, fits=fits)
        if self._window is not None:
            self._window = sum(1 for n in kept if n < self._window)
        self._entries = [self._entries[n] for n in kept]
        return before - len(self.items())

    @overload
    @classmethod
    def from_listing(
        cls,
        listing: Any,
        *,
        order: Order = ...,
        store: Literal[True] = ...,
        unknown: Unknown = ...,
    ) -> History[Literal[True]]: ...
    @overload
    @classmethod
    def from_listing(
        cls, listing: Any, *, order: Order = ..., store: Literal[False], unknown: Unknown = ...
    ) -> History[Literal[False]]: ...
    @overload
    @classmethod
    def from_listing(
        cls, listing: Any, *, order: Order = ..., store: bool, unknown: Unknown = ...
    ) -> History[bool]: ...
    @classmethod
    def from_listing(
        cls, listing: Any, *, order: Order = "desc", store: bool = True, unknown: Unknown = "error"
    ) -> History[bool]:
        """A server conversation's items (`client.conversations.items.list(id)`, every page) as a
        History. `order` is the one the listing was asked for (the API's default: `desc`)."""
        from ._moves import listing_entries

        entries = listing_entries(listing, order=order, unknown=unknown)
        return cls._of_entries(entries, store=store)

    @overload
    @classmethod
    def from_chain(
        cls,
        input_items: Any,
        last_response: Any,
        *,
        order: Order = ...,
        store: Literal[True] = ...,
        unknown: Unknown = ...,
    ) -> History[Literal[True]]: ...
    @overload
    @classmethod
    def from_chain(
        cls,
        input_items: Any,
        last_response: Any,
        *,
        order: Order = ...,
        store: Literal[False],
        unknown: Unknown = ...,
    ) -> History[Literal[False]]: ...
    @overload
    @classmethod
    def from_chain(
        cls,
        input_items: Any,
        last_response: Any,
        *,
        order: Order = ...,
        store: bool,
        unknown: Unknown = ...,
    ) -> History[bool]: ...
    @classmethod
    def from_chain(
        cls,
        input_items: Any,
        last_response: Any,
        *,
        order: Order = "desc",
        store: bool = True,
        unknown: Unknown = "error",
    ) -> History[bool]:
        """A `previous_response_id` chain as a History: the last response's `input_items` listing
        (`client.responses.input_items.list(response.id)`, every page), then its output."""
        history = cls.from_listing(input_items, order=order, store=store, unknown=unknown)
        history.add_turn(Turn.from_response(last_response, unknown=unknown))
        return history

    def conversation_items(self) -> list[dict[str, Any]]:
        """The items to create a server conversation with (`client.conversations.create(items=...)`,
        at most 20 per call); pending calls must be answered first (R7)."""
        from ._moves import conversation_items

        return conversation_items(self.items())

    @classmethod
    def _of_entries(
        cls,
        entries: list[Turn | InputModel],
        *,
        store: bool,
        self_contained: bool | None = None,
    ) -> History[bool]:
        history = cls(store=store, self_contained=self_contained)
        for entry in entries:
            if isinstance(entry, Turn):
                history.add_turn(entry)  # R3 under store=False or self-contained
            else:
                history._entries.append(entry)
        return history


class Chain:
    """Chained requests (`previous_response_id=` or `conversation=`): only the delta is sent (R2)."""

    @overload
    def __init__(self, *, previous_response_id: str | None = ...) -> None: ...
    @overload
    def __init__(self, *, conversation: str) -> None: ...
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
        self._unchainable: str | None = None

    def user(self, content: UserContent) -> None:
        """Add a user message (text, or a list of input_text / input_image / input_file parts)."""
        self._delta.append(_new_item({"role": "user", "content": content}, "user()", "R2"))

    def add(self, *items: NewItem) -> None:
        """New messages of the caller and tool outputs; nothing that came from the model (R2)."""
        for n, item in enumerate(items):
            if item_kind(item) == "item_reference":
                raise ReplayError("R2", f"add()[{n}]", "a chained request already has the items")
            self._delta.append(_new_item(item, f"add()[{n}]", "R2"))

    def after(self, response: Any) -> Turn:
        """Record a response: its id chains the next request (unless on a conversation), its calls
        must be answered in it (R7). Returns its turn, to build the tool outputs from.

        A response made with `store=false` cannot be chained on by `previous_response_id` (R14):
        the next `request()` says so."""
        turn = Turn.from_response(response, unknown="pass", incomplete="drop_trailing_reasoning")
        if self.conversation is None and turn.response_id:
            self.previous_response_id = turn.response_id
            self._unchainable = turn.response_id if turn.store is False else None
        self._pending = turn.pending()
        self._delta = []
        return turn

    def body(self, *, model: str, **extra: Unpack[CreateParams]) -> dict[str, Any]:
        params = _extra(extra, chained=True)
        if self._unchainable is not None and self.previous_response_id == self._unchainable:
            raise ReplayError(
                "R14",
                "previous_response_id",
                f"Previous response with id '{self._unchainable}' not found. (it was made with "
                "store=false: the server did not keep it; keep the history client-side with "
                "History(store=False) instead)",
            )
        _check_items(list(self._delta), self._pending)
        body: dict[str, Any] = {"model": model, "input": [i.to_dict() for i in self._delta]}
        if self.conversation:
            body["conversation"] = self.conversation
        elif self.previous_response_id:
            body["previous_response_id"] = self.previous_response_id
        body.update(params)
        return body

    def request(self, *, model: str, **extra: Unpack[CreateParams]) -> RequestKwargs:
        """Keyword arguments for `client.responses.create(**kwargs)`."""
        return cast("RequestKwargs", self.body(model=model, **extra))

    # --- saved state (responses_replay.state) ---

    def to_state(self) -> dict[str, Any]:
        """The chain's anchor, pending calls and unsent delta as a versioned JSON object."""
        from . import state

        return state.dump_chain(
            previous_response_id=self.previous_response_id,
            conversation=self.conversation,
            unchainable=self._unchainable,
            pending=self._pending,
            delta=self._delta,
        )

    def to_json(self) -> str:
        """`to_state()` as JSON text."""
        from .state import to_text

        return to_text(self.to_state())

    @classmethod
    def from_state(cls, saved: Saved) -> Chain:
        """The Chain a `to_state()` / `to_json()` wrote (raises `StateError` naming the version)."""
        from .state import load_chain

        saved_state = load_chain(saved)
        both: Any = cls  # the overloads refuse both anchors for mypy; __init__ refuses them (R8)
        chain: Chain = both(
            previous_response_id=saved_state.previous_response_id,
            conversation=saved_state.conversation,
        )
        chain._unchainable = saved_state.unchainable
        chain._pending = saved_state.pending
        chain._delta = saved_state.delta
        return chain

    from_json = from_state
