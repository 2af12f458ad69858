"""R13: an `input_image` whose `image_url` is no URL (a bare base64 payload, a file path).

The API checks the format: "Invalid 'input[284].output[1].image_url'. Expected a valid URL, but
got a value with an invalid format." (code invalid_value; openai/codex issue 33011, a tool output's
image). A URL has a scheme: `https://...` or a `data:image/png;base64,...` URL; anything without
one is refused. Other schemes are the API's call, not judged here.
"""

from __future__ import annotations

from ..._rules import IMAGE_PARTS, IMAGE_URL_FIX, bad_image_urls, invalid_url
from .._context import Context


def rule(ctx: Context) -> None:
    for kind, key in IMAGE_PARTS.items():
        for i in ctx.indices(kind):
            parts = ctx.item(i).get(key)
            if type(parts) is not list:
                continue
            for j in bad_image_urls(parts):
                if type(parts[j]) is dict:
                    path = f"input[{i}].{key}[{j}].image_url"
                    ctx.add(i, "R13", path, invalid_url(path), IMAGE_URL_FIX)
