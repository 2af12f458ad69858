"""R12: `encrypted_content` is replayed exactly as the final response returned it.

What can be seen locally: an empty string (the API cannot verify it). A `null` is R1; another
type is R13 (the schema pass). Content from another organisation or model cannot be told here.
"""

from __future__ import annotations

from .._context import Context
from .._text import show


def rule(ctx: Context) -> None:
    for i in ctx.indices("reasoning", "compaction"):
        if ctx.item(i).get("encrypted_content") != "":
            continue
        name = show(ctx.item_id(i)) or f"input[{i}]"
        ctx.add(
            i,
            "R12",
            f"input[{i}].encrypted_content",
            f"The encrypted content for item {name} could not be verified.",
            "Replay encrypted_content exactly as the final response (or "
            "response.output_item.done) returned it; never an empty string.",
        )
