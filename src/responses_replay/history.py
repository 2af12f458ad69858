"""Request builders for the three chaining modes of api-errors.md: stateless, stored, chained.

`History` lives here; `Chain` in `_chain`, the request-parameter TypedDicts in `_params`, the checks
of the items a caller adds in `_build` (all re-exported here)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, cast, overload

from pydantic import ValidationError
from typing_extensions import Unpack

from ._base import InputModel
from ._build import as_dict, check_items, new_item
from ._chain import Chain
from ._errors import InputError, ReplayError
from ._gc import pausing_gc
from ._generated.replay import REFERENCE_CLASSES, NewItem, ReferenceItem, UserContent
from ._kind import item_kind
from ._pairs import KnownCalls, check_new_outputs
from ._params import CompactKwargs, CreateParams, RequestKwargs, Saved, extra_params
from ._rules import (
    NO_INPUT,
    NO_INPUT_FIX,
    STATELESS_FIX,
    TOOL_CHOICE_FIX,
    nothing_to_answer,
    stateless_problem,
    tool_choice_problems,
)
from .turn import Turn, pending_calls

if TYPE_CHECKING:  # the modules themselves are imported on first use
    from ._convert import Unknown
    from ._moves import Order
    from ._trim import Fits

__all__ = ["Chain", "CompactKwargs", "CreateParams", "History", "RequestKwargs"]


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
        self._calls = KnownCalls()  # the call keys of _entries, for add()'s R6 check

    def user(self, content: UserContent) -> None:
        """Add a user message (text, or a list of input_text / input_image / input_file parts)."""
        self._append(new_item({"role": "user", "content": content}, "user()", "R13"))

    @overload
    def add(self: History[Literal[True]], *items: NewItem | ReferenceItem) -> None: ...
    @overload
    def add(self, *items: NewItem) -> None: ...
    def add(self, *items: Any) -> None:
        """Add messages of the caller (assistant messages it writes too, without an id), tool
        outputs (built with `tool_output(call, ...)`), and, stored mode only, item references."""
        new: list[InputModel] = []
        for n, item in enumerate(items):
            where = f"add()[{n}]"
            if item_kind(item) == "item_reference" and not isinstance(item, Turn):
                new.append(self._reference(item, where))
            else:
                new.append(new_item(item, where, "R4"))
        # a tool output answers a call already in the history, or added before it (R6); all
        # the items are added, or none
        check_new_outputs(self._entries, new, "add()", self._calls)
        for item in new:
            self._append(item)

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
        elif self.store and turn.store is False:
            # a response made with store=false: the server kept none of its items, so their ids
            # would be looked up in vain (R3); sent without them, reasoning by encrypted_content
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
        check_items(items)
        self._window = len(self._entries)
        return {"model": model, "input": [as_dict(i) for i in items]}

    def items(self) -> list[InputModel | Mapping[str, Any]]:
        out: list[InputModel | Mapping[str, Any]] = []
        for entry in self._entries:
            out.extend(entry.items if isinstance(entry, Turn) else [entry])
        return out

    def pending(self) -> dict[str, str]:
        return pending_calls(self.items())

    def body(self, *, model: str, **extra: Unpack[CreateParams]) -> dict[str, Any]:
        """The JSON request body; raises on pending calls (R7)."""
        params = extra_params(extra, chained=False)
        items = self.items()
        check_items(items)
        body: dict[str, Any] = {
            "model": model,
            "input": [as_dict(i) for i in items],
            "store": self.store,
        }
        if self.self_contained:
            include = list(params.pop("include", []) or [])
            if "reasoning.encrypted_content" not in include:
                include.append("reasoning.encrypted_content")
            body["include"] = include
        body.update(params)
        if nothing_to_answer(body):
            raise ReplayError("R13", "input", f"{NO_INPUT} {NO_INPUT_FIX}")
        if problems := tool_choice_problems(body):  # R13: the API refuses the request
            path, message = problems[0]
            raise ReplayError("R13", path, f"{message} {TOOL_CHOICE_FIX}")
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
