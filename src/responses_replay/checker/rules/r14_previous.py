"""R14: chaining on a response the server did not keep.

The checker cannot know whether `previous_response_id` names a stored response; what it can see is
a request that chains and, in the same body, says `store=false`: an application that does not store
its responses (or runs under zero data retention) chains on one it did not store. A warning.
"""

from __future__ import annotations

from .._context import Context
from .._text import show


def rule(ctx: Context) -> None:
    previous = ctx.data.get("previous_response_id")
    if previous is None or ctx.data.get("store") is not False:
        return
    ctx.add(
        -1,
        "R14",
        "previous_response_id",
        f"Previous response with id '{show(previous)}' not found. (`store` is false in this "
        "request: a response made with store=false, or under zero data retention, cannot be "
        "chained on.)",
        "Chain only on stored responses (store=true); with store=false drop previous_response_id "
        "and send the whole history (stateless mode).",
        "warning",
    )
