"""R6 and R7: calls and their outputs pair up by call key (`call_id`; `id` for some types).

R6: an output answers a call in the context. R7: every call in the context is answered, once.
In a chained request the calls are on the server: only a second output is visible here.
"""

from __future__ import annotations

from operator import lt
from typing import cast

from ..._generated.registry import CALLS, MUST_ANSWER, OUTPUT_OF
from ..._rules import no_call, unanswered
from .._context import Context
from .._text import show


class _Pairs:
    def __init__(self) -> None:
        self.calls: dict[tuple[str, str], int] = {}  # (call type, call key value) -> index
        self.item_ids: dict[tuple[str, str], str] = {}  # (call type, item id) -> call key value
        self.pending: dict[tuple[str, str], int] = {}  # calls not answered (yet)
        self.outputs: dict[tuple[str, str], int] = {}  # (call type, call key value) -> first output


def rule(ctx: Context) -> None:
    if _all_paired(ctx):
        return  # the common case: nothing to report
    pairs = _Pairs()
    by_kind, items, id_of = ctx.by_kind, ctx.items, ctx.id_of
    calls, outputs = pairs.calls, pairs.outputs
    for kind, (_, key, _) in CALLS.items():
        for i in by_kind.get(kind, ()):
            value = items[i].get(key)
            if type(value) is not str:
                continue  # the schema pass reports it
            first = calls.setdefault((kind, value), i)
            item_id = id_of.get(i)
            if first != i and not (item_id and id_of.get(first) == item_id):
                _shared_key(ctx, i, kind, key, value, first)
            if item_id:
                pairs.item_ids[(kind, item_id)] = value
    pending = pairs.pending
    pending.update(calls)
    for kind, call_kind in OUTPUT_OF.items():
        key = CALLS[call_kind][2]
        for i in by_kind.get(kind, ()):
            value = items[i].get(key)
            if type(value) is not str:
                continue
            pair = (call_kind, value)
            first = outputs.setdefault(pair, i)
            if first != i:
                _second_output(ctx, i, kind, key, value, first)
            call = calls.get(pair)
            if call is not None and call < i:  # a call is answered after it, not before
                pending.pop(pair, None)
            elif kind == "function_call_output" and _client_tool_search(ctx, pairs, value, i):
                pending.pop(("tool_search_call", value), None)
            elif not ctx.mode.chained:
                _r6(ctx, pairs, i, kind, call_kind, value)
    if not ctx.mode.chained:
        _unanswered(ctx, pairs)


def _all_paired(ctx: Context) -> bool:
    """Every call has its own key and is answered once, after it: no finding (checked in a few
    comprehensions per call type, without the bookkeeping `rule` keeps to word a finding).
    False is no verdict: `rule` then looks at each item."""
    by_kind, items = ctx.by_kind, ctx.items
    for kind, (output, call_key, output_key) in CALLS.items():
        at, answers = by_kind.get(kind, ()), by_kind.get(output, ())
        if not at and not answers:
            continue
        keys = [items[i].get(call_key) for i in at]
        values = [items[i].get(output_key) for i in answers]
        if not set(map(type, keys)).union(map(type, values)) <= {str}:
            return False
        calls = dict(zip(keys, at, strict=True))
        if len(calls) != len(keys) or len(values) != len(calls) or len(set(values)) != len(values):
            return False  # a key shared, a call unanswered or answered twice
        made: list[int | None] = list(map(calls.get, values))
        if None in made or not all(map(lt, cast(list[int], made), answers)):
            return False  # an output without its call, or before it
    return True


def _unanswered(ctx: Context, pairs: _Pairs) -> None:
    for (call_kind, value), i in pairs.pending.items():
        output, call_key, _ = CALLS[call_kind]
        ctx.add(
            i,
            "R7",
            f"input[{i}]",
            unanswered(call_kind, show(value)),
            f"Answer every pending {call_key} with one {output} after the call, in this request.",
            # for the call types not in MUST_ANSWER a refusal is not proven: a warning
            "error" if call_kind in MUST_ANSWER and not ctx.has_reference else "warning",
        )


def _shared_key(ctx: Context, i: int, kind: str, key: str, value: str, first: int) -> None:
    """Two calls under one key: their outputs cannot be told apart (R6, R7)."""
    ctx.add(
        i,
        "R7",
        f"input[{i}].{key}",
        f"{key} {show(value)} is already used by the {kind} at input[{first}]: an output "
        "for it answers both calls or neither.",
        f"Keep the {key} the API gave each call; never reuse or invent one.",
        "warning",
    )


def _second_output(ctx: Context, i: int, kind: str, key: str, value: str, first: int) -> None:
    """Exactly one output per call; a second one for the same call is not a retry."""
    ctx.add(
        i,
        "R7",
        f"input[{i}].{key}",
        f"A second {kind} for {key} {show(value)} (the first is input[{first}]).",
        f"Send exactly one {kind} per {key}: merge the results into the first one and drop "
        "this item.",
        "warning",
    )


def _client_tool_search(ctx: Context, pairs: _Pairs, value: str, i: int) -> bool:
    """A `tool_search_call` the client executes (`execution: "client"`) is answered by a
    function_call_output with its call_id (accepted by the API; issue 10)."""
    at = pairs.calls.get(("tool_search_call", value))
    return at is not None and at < i and ctx.item(at).get("execution") == "client"


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
        no_call(kind, out_key, show(value)),
        fix,
        "warning" if ctx.has_reference else "error",
    )
