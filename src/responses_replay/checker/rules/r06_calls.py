"""R6 and R7: calls and their outputs pair up by call key (`call_id`; `id` for some types).

R6: an output answers a call in the context. R7: every call in the context is answered, once.
In a chained request the calls are on the server: only a second output is visible here.
"""

from __future__ import annotations

from ..._generated.registry import CALLS, OUTPUT_OF
from .._context import Context
from .._text import show

# Calls the API is known to refuse unanswered (R7); for the others it is not proven: a warning.
_MUST_ANSWER = frozenset(
    {
        "function_call",
        "custom_tool_call",
        "computer_call",
        "local_shell_call",
        "shell_call",
        "apply_patch_call",
    }
)


class _Pairs:
    def __init__(self) -> None:
        self.calls: dict[tuple[str, str], int] = {}  # (call type, call key value) -> index
        self.item_ids: dict[tuple[str, str], str] = {}  # (call type, item id) -> call key value
        self.answered: set[tuple[str, str]] = set()
        self.outputs: dict[tuple[str, str], int] = {}  # (call type, call key value) -> first output


def rule(ctx: Context) -> None:
    pairs = _Pairs()
    for i in ctx.indices(*CALLS, *OUTPUT_OF):
        kind = ctx.kinds[i]
        if kind in CALLS:
            _call(ctx, pairs, i, kind)
        elif kind is not None:
            _output(ctx, pairs, i, kind)
    if ctx.mode.chained:
        return
    for (call_kind, value), i in pairs.calls.items():
        if (call_kind, value) in pairs.answered:
            continue
        output, call_key, _ = CALLS[call_kind]
        ctx.add(
            i,
            "R7",
            f"input[{i}]",
            f"No tool output found for {call_kind.replace('_', ' ')} {show(value)}.",
            f"Answer every pending {call_key} with one {output} after the call, in this request.",
            "error" if call_kind in _MUST_ANSWER and not ctx.has_reference else "warning",
        )


def _call(ctx: Context, pairs: _Pairs, i: int, kind: str) -> None:
    item = ctx.item(i)
    value = item.get(CALLS[kind][1])
    if type(value) is not str:
        return
    first = pairs.calls.setdefault((kind, value), i)
    item_id = ctx.item_id(i)
    if first != i and not (item_id and ctx.item_id(first) == item_id):
        key = CALLS[kind][1]
        # Two calls under one key: their outputs cannot be told apart (R6, R7).
        ctx.add(
            i,
            "R7",
            f"input[{i}].{key}",
            f"{key} {show(value)} is already used by the {kind} at input[{first}]: an output "
            "for it answers both calls or neither.",
            f"Keep the {key} the API gave each call; never reuse or invent one.",
            "warning",
        )
    if item_id:
        pairs.item_ids[(kind, item_id)] = value


def _output(ctx: Context, pairs: _Pairs, i: int, kind: str) -> None:
    call_kind = OUTPUT_OF[kind]
    key = CALLS[call_kind][2]
    value = ctx.item(i).get(key)
    if type(value) is not str:
        return
    first = pairs.outputs.setdefault((call_kind, value), i)
    if first != i:
        # Exactly one output per call; a second one for the same call is not a retry.
        ctx.add(
            i,
            "R7",
            f"input[{i}].{key}",
            f"A second {kind} for {key} {show(value)} (the first is input[{first}]).",
            f"Send exactly one {kind} per {key}: merge the results into the first one and drop "
            "this item.",
            "warning",
        )
    if (call_kind, value) in pairs.calls:
        pairs.answered.add((call_kind, value))
    elif kind == "function_call_output" and _client_tool_search(ctx, pairs, value):
        pairs.answered.add(("tool_search_call", value))
    elif not ctx.mode.chained:
        _r6(ctx, pairs, i, kind, call_kind, value)


def _client_tool_search(ctx: Context, pairs: _Pairs, value: str) -> bool:
    """A `tool_search_call` the client executes (`execution: "client"`) is answered by a
    function_call_output with its call_id (accepted by the API; issue 10)."""
    at = pairs.calls.get(("tool_search_call", value))
    return at is not None and ctx.item(at).get("execution") == "client"


def _r6(ctx: Context, pairs: _Pairs, i: int, kind: str, call_kind: str, value: str) -> None:
    _, call_key, out_key = CALLS[call_kind]
    real = pairs.item_ids.get((call_kind, value))
    if real is not None:
        fix = f"Use the call's {call_key} ('{show(real)}'), not its item id, as the output's {out_key}."
    else:
        fix = (
            f"Send the {call_kind} (with its {call_key}) before its output, or chain with "
            "previous_response_id."
        )
    ctx.add(
        i,
        "R6",
        f"input[{i}].{out_key}",
        f"No tool call found for {kind.replace('_', ' ')} with {out_key} {show(value)}.",
        fix,
        "warning" if ctx.has_reference else "error",
    )
