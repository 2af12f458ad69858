"""R3: items sent by reference. Under store=false nothing is looked up: every item is whole.

Under store=true an id-only item (`{"type": "image_generation_call", "id": "ig_..."}`) is a
reference the server resolves, like `item_reference`: not an item missing its fields.
"""

from __future__ import annotations

from ..._rules import STATELESS_FIX, stateless_problem
from .._context import MODEL_TYPES, Context
from .._text import show

_STORE_SENTENCE = (
    "Items are not persisted when `store` is set to false. Try again with `store` set to true, "
    "or remove this item from your input."
)
_REFERENCE_KEYS = frozenset({"id", "type"})


def is_reference(ctx: Context, i: int) -> bool:
    """The item is an id and nothing else (an `item_reference`, or an id-only item)."""
    return bool(ctx.item_id(i)) and (
        ctx.kinds[i] == "item_reference" or ctx.item(i).keys() <= _REFERENCE_KEYS
    )


def rule(ctx: Context) -> None:
    kinds, items = ctx.kinds, ctx.items
    if not ctx.mode.stateless:
        for i, _ in ctx.ids:
            if kinds[i] in MODEL_TYPES and len(items[i]) <= 2 and is_reference(ctx, i):
                ctx.skip_items.add(i)
        return
    replayable = False  # a reasoning item with its encrypted_content
    for i in sorted(_looked_at(ctx)):
        kind = kinds[i]
        problem = stateless_problem(items[i]) if kind == "reasoning" else None
        if kind == "reasoning" and problem is None:
            replayable = True  # the common case: a whole reasoning item
        elif kind != "reasoning" and kind != "item_reference" and len(items[i]) > 2:
            continue  # a whole item with its id
        elif is_reference(ctx, i):
            _not_found(ctx, i, "Under store=false send the full item (reasoning with "
                       "encrypted_content), never a reference.")  # fmt: skip
            ctx.skip_items.add(i)
        elif problem is not None:
            fix = f"{STATELESS_FIX[:-1]} and replay the reasoning item with its encrypted_content."
            if ctx.item_id(i):
                _not_found(ctx, i, fix)  # the API's words: it looks the id up and fails
            else:
                ctx.add(i, "R3", f"input[{i}]", problem, fix)
    if replayable and not ctx.mode.include_encrypted:
        ctx.add(
            -1,
            "R3",
            "include",
            "`store` is false but `include` lacks 'reasoning.encrypted_content': this "
            "response's reasoning items will come back without it and cannot be replayed.",
            "Add include=['reasoning.encrypted_content'] to every store=false request.",
            "warning",
        )


def _looked_at(ctx: Context) -> set[int]:
    """The items the store=false loop has something to do for: every item with an id or of type
    reasoning, less those it passes over (a whole item with its id; a reasoning item with its
    encrypted_content, counted in `replayable` as the first one looked at is)."""
    kinds, items = ctx.kinds, ctx.items
    reasoning = ctx.indices("reasoning")
    content = [items[i].get("encrypted_content") for i in reasoning]
    whole = [i for i, c in zip(reasoning, content, strict=True) if isinstance(c, str) and c]
    out = {i for i in ctx.id_of if len(items[i]) <= 2 or kinds[i] == "item_reference"}
    out.update(set(reasoning).difference(whole))
    if whole:
        out.add(whole[0])  # makes `replayable` true
    return out


def _not_found(ctx: Context, i: int, fix: str) -> None:
    message = f"Item with id '{show(ctx.item_id(i))}' not found. {_STORE_SENTENCE}"
    ctx.add(i, "R3", f"input[{i}]", message, fix)
