"""R1 at the request level: a top-level key that is no parameter of `POST /v1/responses`.

The API answers `Unknown parameter: 'tols'.` for a name it does not know, as it does for an
item's key (R1). A key of a `Response` object (`output`, `status`, `usage`, ...) is never a
request parameter: the body is a response sent back as a request, an error. Any other name the
pinned spec, this library and the installed `openai` all lack is a warning: a typo, or a
parameter newer than all three, which nothing here can prove the API refuses.
"""

from __future__ import annotations

from ..._generated.registry import REQUEST_PARAMS, RESPONSE_ONLY
from ..._params import CREATE_PARAMS, SET_BY_BUILDERS, sdk_create_params
from .._context import Context

#: the `openai` client's own options: keyword arguments of `responses.create`, never in the body
#: it sends (a `request()` dict checked as it is holds them)
CLIENT_OPTIONS = frozenset({"extra_headers", "extra_query", "extra_body", "timeout"})
_KNOWN = REQUEST_PARAMS | CREATE_PARAMS | SET_BY_BUILDERS | CLIENT_OPTIONS


def rule(ctx: Context) -> None:
    for key in ctx.data:
        if key in _KNOWN:
            continue
        if key in RESPONSE_ONLY:
            ctx.add(
                -1,
                "R1",
                key,
                f"Unknown parameter: '{key}'.",
                "This is a key of a response, not of a request: send the response's output "
                "items as `input` (Turn.from_response(response), then History or Chain), not the "
                "response itself.",
            )
        elif not isinstance(key, str) or key not in sdk_create_params():
            ctx.add(
                -1,
                "R1",
                str(key),
                f"Unknown parameter: '{key}'.",
                "Not a parameter of responses.create in the pinned spec, this library or the "
                "installed openai: check the spelling (the API refuses a name it does not know).",
                "warning",
            )
