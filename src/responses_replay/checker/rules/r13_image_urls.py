"""R13: an `input_image` whose `image_url` is no URL (a bare base64 payload, a file path).

The API checks the format: "Invalid 'input[284].output[1].image_url'. Expected a valid URL, but
got a value with an invalid format." (code invalid_value; openai/codex issue 33011, a tool output's
image). A URL has a scheme: `https://...` or a `data:image/png;base64,...` URL; anything without
one is refused. Other schemes are the API's call, not judged here.
"""

from __future__ import annotations

import re

from .._context import Context

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
#: item kind -> the key holding its part list
_PARTS = {
    "message": "content",
    "function_call_output": "output",
    "custom_tool_call_output": "output",
}


def rule(ctx: Context) -> None:
    for kind, key in _PARTS.items():
        for i in ctx.indices(kind):
            parts = ctx.item(i).get(key)
            if type(parts) is not list:
                continue
            for j, part in enumerate(parts):
                if type(part) is not dict or part.get("type") != "input_image":
                    continue
                url = part.get("image_url")
                if type(url) is str and not _SCHEME.match(url):
                    path = f"input[{i}].{key}[{j}].image_url"
                    ctx.add(
                        i,
                        "R13",
                        path,
                        f"Invalid '{path}'. Expected a valid URL, but got a value with an "
                        "invalid format.",
                        "Send an https:// URL or a data URL (data:image/png;base64,...), or the "
                        "image by file_id.",
                    )
