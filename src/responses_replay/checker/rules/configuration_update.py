"""`configuration_update` (a caller-written item newer than the pinned spec): not two in a row.

Filed under R13 (an input the API does not accept) until the API's own words are recorded; the
builders refuse it with the same rule and words (`_rules.two_updates`). Keyed on the type tag, so
it holds whether or not the Input models know the item yet. Whether a model supports the item at
all is the API's call (api-errors.md), not the checker's.
"""

from __future__ import annotations

from ..._rules import CONFIGURATION_UPDATE as TAG, two_updates
from .._context import Context


def rule(ctx: Context) -> None:
    for i in ctx.indices(TAG):
        if i > 0 and ctx.kinds[i - 1] == TAG:
            ctx.add(
                i,
                "R13",
                f"input[{i}]",
                two_updates(i - 1, i),
                f"Merge the two {TAG} items into one.",
            )
