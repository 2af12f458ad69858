"""Chained requests: `previous_response_id=` or `conversation=`, only the delta is sent (R2)."""

from __future__ import annotations

from typing import Any, cast, overload

from typing_extensions import Unpack

from ._base import InputModel
from ._build import calls_stub, check_items, new_item
from ._errors import InputError, ReplayError
from ._generated.replay import NewItem, UserContent
from ._kind import item_field, item_kind
from ._pairs import answered, check_acknowledged
from ._params import CreateParams, RequestKwargs, Saved, extra_params
from ._rules import (
    NO_INPUT,
    NO_INPUT_FIX,
    TOOL_CHOICE_FIX,
    no_call,
    nothing_to_answer,
    tool_choice_problems,
)
from .turn import Turn, pending_calls

__all__ = ["Chain"]


#: `after` on a response without an `id`, not on a conversation (the CLI's `next` says it too)
NO_ID = (
    "the response has no `id` to chain the next request on (previous_response_id): pass the "
    "response the API returned, or chain on a conversation"
)


def unchainable(response_id: str) -> ReplayError:
    """R14: the API's words for chaining on a response made with `store=false`, and the cure."""
    return ReplayError(
        "R14",
        "previous_response_id",
        f"Previous response with id '{response_id}' not found. (it was made with store=false: "
        "the server did not keep it; keep the history client-side with History(store=False) "
        "instead)",
    )


class Chain:
    """Chained requests (`previous_response_id=` or `conversation=`): only the delta is sent (R2)."""

    @overload
    def __init__(self, *, previous_response_id: str | None = ...) -> None: ...
    @overload
    def __init__(self, *, conversation: str) -> None: ...
    def __init__(
        self, *, previous_response_id: str | None = None, conversation: str | None = None
    ) -> None:
        for name, value in (
            ("previous_response_id", previous_response_id),
            ("conversation", conversation),
        ):
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise InputError(
                    f"{name} is {value!r}, not an id the server gave (an unset environment "
                    "variable?): pass None, or leave it out, to start a new chain"
                )
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
        #: the calls awaiting an answer are known (`after` read the response that made them)
        self._pending_known = False
        #: call_id -> computer_call of the last `after()` response, for R15 (a state keeps their
        #: pending safety checks)
        self._computer: dict[object, object] = {}

    def user(self, content: UserContent) -> None:
        """Add a user message (text, or a list of input_text / input_image / input_file parts)."""
        self._delta.append(new_item({"role": "user", "content": content}, "user()", "R2"))

    def add(self, *items: NewItem) -> None:
        """New messages of the caller and tool outputs; nothing that came from the model (R2)."""
        for n, item in enumerate(items):
            if item_kind(item) == "item_reference":
                raise ReplayError("R2", f"add()[{n}]", "a chained request already has the items")
            built = new_item(item, f"add()[{n}]", "R2")
            self._check_answers(built, f"add()[{n}]")
            check_acknowledged(built, self._computer, f"add()[{n}]")
            self._delta.append(built)

    def _check_answers(self, item: InputModel, where: str) -> None:
        """R6: a tool output answers a call the server holds: none on a chain with no anchor;
        one `after` saw pending, when it saw the response (else the server's calls are unknown)."""
        output = answered(item)
        if output is None:
            return
        kind, key_name, key = output
        if self.previous_response_id is None and self.conversation is None:
            why = "the chain has no previous_response_id or conversation: no call to answer"
        elif not self._pending_known or key in self._pending:
            return
        else:
            waiting = ", ".join(self._pending) or "none"
            why = f"the calls the last response left pending: {waiting}"
        raise ReplayError("R6", where, f"{no_call(kind, key_name, str(key))} ({why})")

    def after(self, response: Any) -> Turn:
        """Record a response: its id chains the next request (unless on a conversation), its calls
        must be answered in it (R7). Returns its turn, to build the tool outputs from.

        A response made with `store=false` cannot be chained on by `previous_response_id` (R14):
        the next `request()` says so."""
        turn = Turn.from_response(response, unknown="pass", incomplete="drop_trailing_reasoning")
        if self.conversation is None and not turn.response_id:
            raise InputError(NO_ID)
        if self.conversation is None and turn.response_id:
            self.previous_response_id = turn.response_id
            self._unchainable = turn.response_id if turn.store is False else None
        self._pending = turn.pending()
        self._pending_known = True
        self._computer = {
            item_field(item, "call_id"): item
            for item in turn.items
            if item_kind(item) == "computer_call"
        }
        self._delta = []
        return turn

    def pending(self) -> dict[str, str]:
        """{key: call type} of the calls the last `after()` response left that the delta does
        not answer yet (empty when the chain saw no response)."""
        return pending_calls([*calls_stub(self._pending), *self._delta])

    def body(self, *, model: str, **extra: Unpack[CreateParams]) -> dict[str, Any]:
        params = extra_params(extra, chained=True)
        if self._unchainable is not None and self.previous_response_id == self._unchainable:
            raise unchainable(self._unchainable)
        check_items(list(self._delta), self._pending)
        body: dict[str, Any] = {"model": model, "input": [i.to_dict() for i in self._delta]}
        if self.conversation:
            body["conversation"] = self.conversation
        elif self.previous_response_id:
            body["previous_response_id"] = self.previous_response_id
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
            safety_checks={
                str(key): checks
                for key, call in self._computer.items()
                if (checks := item_field(call, "pending_safety_checks"))
            },
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
        chain._pending_known = bool(saved_state.pending)  # an empty one may be "not known"
        chain._delta = saved_state.delta
        chain._computer = {
            key: {"type": "computer_call", "call_id": key, "pending_safety_checks": checks}
            for key, checks in saved_state.safety_checks.items()
        }
        return chain

    from_json = from_state
