"""R13 (warning): a reasoning item replayed with its plaintext `content` (`reasoning_text` parts).

Reported, not confirmed against the official API (api-errors.md: "a warning at most"): the
Azure OpenAI Responses endpoint and the Codex backend answer "Invalid 'input[39].content': array
too long. Expected an array with maximum length 0, but got an array with length 1 instead."
(code array_above_max_length; microsoft/agent-framework-go issue 783, musistudio/claude-code-router
issue 1783). The model's reasoning travels in `summary` and
`encrypted_content`; other servers (vLLM, gpt-oss) read `content`, so nothing is refused or
dropped here: the checker warns, and a replay keeps what the response returned.
"""

from __future__ import annotations

from .._context import Context


def rule(ctx: Context) -> None:
    for i in ctx.indices("reasoning"):
        content = ctx.item(i).get("content")
        if type(content) is not list or not content:
            continue
        path = f"input[{i}].content"
        ctx.add(
            i,
            "R13",
            path,
            f"Invalid '{path}': array too long. Expected an array with maximum length 0, but got "
            f"an array with length {len(content)} instead.",
            "Some OpenAI endpoints (Azure, the Codex backend) refuse a replayed reasoning item's "
            "plaintext `content`: send `content: []` or leave it out; `encrypted_content` and "
            "`summary` carry the reasoning.",
            "warning",
        )
