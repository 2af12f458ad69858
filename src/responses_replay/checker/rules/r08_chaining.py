"""R8: one chaining mode per request."""

from __future__ import annotations

from .._context import Context


def rule(ctx: Context) -> None:
    data = ctx.data
    if data.get("previous_response_id") is not None and data.get("conversation") is not None:
        ctx.add(
            -1,
            "R8",
            "conversation",
            "Mutually exclusive parameters. Ensure you are only providing one of: "
            "'previous_response_id' or 'conversation'.",
            "Chain with either `previous_response_id` or `conversation`, not both.",
        )
