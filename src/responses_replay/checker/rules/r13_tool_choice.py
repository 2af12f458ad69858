"""R13 at the request level: a `tool_choice` naming a tool the request's `tools` does not hold.

The API answers "Tool choice 'web_search' not found in 'tools' parameter." (param `tool_choice`;
vercel/ai issue 18997, live API: an `allowed_tools` entry `{"type": "function", "name":
"web_search"}` while `tools` held the built-in `{"type": "web_search"}`: built-in tools are chosen
by type, functions and custom tools by name, MCP servers by `server_label`). The same words for a
hosted tool left out of `tools`: "Tool choice 'image_generation' not found in 'tools' parameter."

Judged only when `tools` is a list and no stored `prompt` (which may bring its own tools) is used;
a namespace tool (functions reached through it) makes function names the API's call. Hosted types
match by prefix both ways (`web_search_preview` and `web_search_preview_2025_03_11`).
"""

from __future__ import annotations

from ..._rules import TOOL_CHOICE_FIX, tool_choice_problems
from .._context import Context


def rule(ctx: Context) -> None:
    for path, message in tool_choice_problems(ctx.data):
        ctx.add(-1, "R13", path, message, TOOL_CHOICE_FIX)
