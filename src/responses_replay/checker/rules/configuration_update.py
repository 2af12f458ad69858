"""`configuration_update` (a caller-written item newer than the pinned spec): not two in a row.

Keyed on the type tag, so it holds whether or not the Input models know the item yet. Whether a
model supports the item at all is the API's call (api-errors.md), not the checker's.
"""

from __future__ import annotations

from .._context import Context

TAG = "configuration_update"


def rule(ctx: Context) -> None:
    for i in ctx.indices(TAG):
        if i > 0 and ctx.kinds[i - 1] == TAG:
            ctx.add(
                i,
                "R13",
                f"input[{i}]",
                f"Two {TAG} items in a row (input[{i - 1}] and input[{i}]): the API refuses the "
                "second.",
                f"Merge the two {TAG} items into one.",
            )
