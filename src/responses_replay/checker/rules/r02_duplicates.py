"""R2: one id, one item; and a chained request carries only the delta, never the model's items."""

from __future__ import annotations

from .._context import Context
from .._text import show

_DUPLICATE = (
    "Duplicate item found with id {}. Remove duplicate items from your input and try again."
)


def rule(ctx: Context) -> None:
    first: dict[str, int] = {}
    for i, item_id in ctx.ids:
        seen = first.setdefault(item_id, i)
        if seen != i and item_id:
            ctx.add(
                i,
                "R2",
                f"input[{i}].id",
                _DUPLICATE.format(show(item_id)),
                f"Send the item once (it is already at input[{seen}]).",
            )
    if ctx.mode.chained:
        _delta_only(ctx)


def _delta_only(ctx: Context) -> None:
    _answered_by_reference(ctx)
    for i, kind in enumerate(ctx.kinds):
        if kind is None or not ctx.from_model(i):
            continue
        item_id = ctx.item_id(i)
        if item_id:
            ctx.add(
                i,
                "R2",
                f"input[{i}].id",
                _DUPLICATE.format(show(item_id)),
                "With previous_response_id/conversation send only new user messages and tool "
                "outputs; the model's items are already stored.",
            )
        elif kind != "message":  # an assistant message without id may be the caller's own text
            ctx.add(
                i,
                "R2",
                f"input[{i}]",
                f"A {kind} item in a chained request: the previous response's items are already "
                "stored server-side.",
                "With previous_response_id/conversation send only new user messages and tool "
                "outputs.",
                "warning",
            )


def _answered_by_reference(ctx: Context) -> None:
    """An `item_reference` to the approval request an `mcp_approval_response` of this request
    answers: the chain already holds that request (vercel/ai issue 18605, PR 18693: "OpenAI
    rejected the duplicate, while submitting only mcp_approval_response succeeded")."""
    refs = ctx.indices("item_reference")
    if not refs:
        return
    answered = {
        ctx.item(i).get("approval_request_id") for i in ctx.indices("mcp_approval_response")
    }
    for i in refs:
        item_id = ctx.item_id(i)
        if item_id and item_id in answered:
            ctx.add(
                i,
                "R2",
                f"input[{i}].id",
                _DUPLICATE.format(show(item_id)),
                "With previous_response_id/conversation send the mcp_approval_response alone; "
                "the approval request it answers is already stored.",
            )
