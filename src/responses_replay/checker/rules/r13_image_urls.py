"""R13: an `input_image` whose `image_url` is no URL (a bare base64 payload, a file path), or a
data URL of no image MIME type (a PDF sent as an image).

The API checks the format: "Invalid 'input[284].output[1].image_url'. Expected a valid URL, but
got a value with an invalid format." (code invalid_value; openai/codex issue 33011, a tool output's
image). A URL has a scheme: `https://...` or a `data:image/png;base64,...` URL; anything without
one is refused. A data URL's MIME type must be an image: "Invalid 'input[0].content[1].image_url'.
Expected a base64-encoded data URL with an image MIME type (e.g.
'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU='), but got unsupported MIME type 'application/pdf'."
(mkht/PSOpenAI issue 43). Other schemes are the API's call, not judged here.
"""

from __future__ import annotations

from ..._rules import IMAGE_PARTS, image_url_problems
from .._context import Context


def rule(ctx: Context) -> None:
    for kind, key in IMAGE_PARTS.items():
        for i in ctx.indices(kind):
            parts = ctx.item(i).get(key)
            if type(parts) is list:
                for path, message, fix in image_url_problems(parts, f"input[{i}].{key}"):
                    ctx.add(i, "R13", path, message, fix)
