"""R4 and R5: a reasoning item starts a segment of the items it produced, replayed together.

R4: the item right after a reasoning item is one it produced (its message or a call, with or
without its id). A caller's item there (an assistant message the caller wrote, a user message, a
tool output), another reasoning item, or nothing at all (a response cut short by
`max_output_tokens` or `steered`) is refused.
R5: ids of one response are kept or stripped together: an item that keeps its server id after a
reasoning item whose id was stripped is refused.
"""

from __future__ import annotations

from ..._generated.registry import HOSTED_CALLS, INPUT_FIELDS
from .._context import MODEL_TYPES, Context
from .._text import show
from .r11_ids import server_id


def rule(ctx: Context) -> None:
    for r in ctx.indices("reasoning"):
        _r4(ctx, r)
        if not ctx.item_id(r):
            _r5(ctx, r)


def _produced(ctx: Context, i: int) -> bool | None:
    """The item can be what a reasoning item produced (None: cannot tell, the schema reports it)."""
    kind = ctx.kinds[i]
    if kind is None or (kind not in INPUT_FIELDS and kind != "message"):
        return None
    if kind == "item_reference":
        return None  # stands for a stored item: it may be the one produced
    if kind == "message":
        # The model's message is the assistant's, with content parts; `{"role": "assistant",
        # "content": "..."}` is the caller's text (a recorded R4 rejection).
        item = ctx.item(i)
        return item.get("role") == "assistant" and isinstance(item.get("content"), list)
    return kind in MODEL_TYPES and kind != "reasoning"


def _r4(ctx: Context, r: int) -> None:
    n = r + 1
    if n < len(ctx.items):
        produced = _produced(ctx, n)
        if produced is None or produced:
            return
        what = "another reasoning item" if ctx.kinds[n] == "reasoning" else _caller_item(ctx, n)
        fix = (
            f"The item after a reasoning item is the one it produced; here it is {what} "
            f"(input[{n}]). Replay the response's output whole and in order, and put the "
            "caller's items after it; or drop the reasoning item."
        )
    else:
        fix = (
            "Replay a response's output whole and in order; if the item after a reasoning item is "
            "dropped (or the response ended with it: status incomplete, e.g. max_output_tokens or "
            "steered), drop the reasoning item too."
        )
    name = ctx.item_id(r) or f"input[{r}]"
    ctx.add(
        r,
        "R4",
        f"input[{r}]",
        f"Item '{show(name)}' of type 'reasoning' was provided without its required following "
        "item.",
        fix,
    )


def _caller_item(ctx: Context, i: int) -> str:
    kind = ctx.kinds[i]
    if kind == "message":
        role = show(ctx.item(i).get("role"))
        return f"{_a(role)} {role} message the caller wrote"
    return f"{_a(str(kind))} {kind} (written by the caller)"


def _a(word: str) -> str:
    return "an" if word[:1] in ("a", "e", "i", "o", "u") else "a"


def _r5(ctx: Context, r: int) -> None:
    for i in range(r + 1, len(ctx.items)):
        kind = ctx.kinds[i]
        if kind is None or kind == "reasoning" or not ctx.from_model(i):
            return
        item_id = ctx.item_id(i)
        if not item_id or kind in HOSTED_CALLS or not server_id(kind, item_id):
            continue
        if kind == "message":
            message = (
                f"Item '{show(item_id)}' of type 'message' was provided without its required "
                "preceding item of type 'reasoning'."
            )
        else:
            message = (
                f"Item '{show(item_id)}' of type '{kind}' was provided without its required "
                "'reasoning' item."
            )
        ctx.add(
            i,
            "R5",
            f"input[{i}].id",
            message,
            f"Keep the id of the reasoning item at input[{r}], or strip the ids of every item of "
            "that response.",
        )
