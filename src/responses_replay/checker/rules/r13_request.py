"""R13 at the request level: `store` and `input` of a type the API does not accept, and a request
with nothing to answer (no input, no chain)."""

from __future__ import annotations

from ..._rules import NO_INPUT, NO_INPUT_FIX, nothing_to_answer
from .._context import Context
from .._text import json_kind


def rule(ctx: Context) -> None:
    store = ctx.data.get("store")
    if store is not None and not isinstance(store, bool):
        ctx.add(
            -1,
            "R13",
            "store",
            f"Invalid type for 'store': expected a boolean, but got {json_kind(store)} instead.",
            "Send `store` as true or false.",
        )
    raw = ctx.data.get("input")
    if raw is not None and not isinstance(raw, str | list | tuple):
        ctx.add(
            -1,
            "R13",
            "input",
            "Invalid type for 'input': expected one of a string or an array, but got "
            f"{json_kind(raw)} instead.",
            "Send `input` as a string or a list of items.",
        )
    elif nothing_to_answer(ctx.data):
        ctx.add(-1, "R13", "input", NO_INPUT, NO_INPUT_FIX)
