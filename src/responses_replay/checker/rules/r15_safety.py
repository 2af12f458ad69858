"""R15: a computer_call's `pending_safety_checks` come back in its output's
`acknowledged_safety_checks` (openai-agents-python issue 843, fixed by PR 923).

The API refuses an output that leaves one out: `Computer tool has unacknowledged safety check for
['cu_sc_1']`. Only a call in this input is checked: in a chained request the server holds it.
"""

from __future__ import annotations

from ..._rules import SAFETY_FIX, unacknowledged, unacknowledged_checks
from .._context import Context
from .._text import show


def rule(ctx: Context) -> None:
    at = ctx.indices("computer_call", "computer_call_output")
    if not at:
        return
    calls: dict[str, int] = {}  # call_id -> the latest computer_call with it
    for i in at:
        item = ctx.item(i)
        key = item.get("call_id")
        if type(key) is not str:
            continue  # the schema pass reports it
        if ctx.kinds[i] == "computer_call":
            calls[key] = i
            continue
        call = calls.get(key)
        if call is None:
            continue  # not in this input (chained, or R6): nothing to compare with
        missing = unacknowledged_checks(ctx.item(call), item.get("acknowledged_safety_checks"))
        if missing:
            ctx.add(i, "R15", f"input[{i}]", unacknowledged([show(m) for m in missing]), SAFETY_FIX)
