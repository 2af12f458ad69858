"""`compaction_trigger` only as the last input item.

The spec's `CompactionTriggerItemParam`: "Compacts the current context. Must be the final input
item." Filed under R13 (an input the API does not accept) until the API's own words are recorded;
the builders (`History`, `Chain`) refuse it with the same rule and words (`_rules.trigger_not_last`).
Keyed on the type tag, as the builders are.
"""

from __future__ import annotations

from ..._rules import COMPACTION_TRIGGER as TAG, trigger_not_last
from .._context import Context


def rule(ctx: Context) -> None:
    last = len(ctx.items) - 1
    for i in ctx.indices(TAG):
        if i < last:
            ctx.add(
                i,
                "R13",
                f"input[{i}]",
                trigger_not_last(i, last),
                f"Send {TAG} as the last item of `input`, once (it compacts what comes before it).",
            )
