"""R10: a hosted-tool call item keeps its id, even when the other ids are stripped."""

from __future__ import annotations

from ..._generated.registry import HOSTED_CALLS
from .._context import Context


def rule(ctx: Context) -> None:
    for i in ctx.indices(*HOSTED_CALLS):
        if ctx.item(i).get("id") is not None:
            continue
        ctx.skip_missing.add((i, "id"))  # the schema's "missing id" is this finding
        ctx.add(
            i,
            "R10",
            f"input[{i}].id",
            f"Missing required parameter: 'input[{i}].id'.",
            f"Keep the server's id on a {ctx.kinds[i]} item, even when other ids are stripped.",
        )
