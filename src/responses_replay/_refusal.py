"""A refused request's local answer, in the API's own error shape (never retried by `openai`), and
`refusal_of`, which finds the refusal again behind the `openai` error raised for it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ._errors import InputError
from ._guard_http import library_of
from .checker import ReplayCheckError

if TYPE_CHECKING:  # for the annotations only: each answer is built with its request's own library
    import httpx2 as http

# The API's `code` for the rules whose code is known (../shared api-errors.md); null for the others.
_API_CODES = {
    "R1": "unknown_parameter",
    "R9": "conversation_locked",
    "R12": "invalid_encrypted_content",
    "R14": "previous_response_not_found",
}
# Where a local refusal keeps its exception: `exc.response.extensions[REFUSAL]` of the openai error.
REFUSAL = "responses_replay.refusal"


def refused(
    request: http.Request, problem: ReplayCheckError | InputError | None, status: int
) -> http.Response:
    """The local answer to a refused request: the API's error shape, never retried by openai."""
    if isinstance(problem, ReplayCheckError):
        first = next(f for f in problem.findings if f.severity == "error")
        message, param, code = problem.message, first.path or None, _API_CODES.get(first.rule)
        findings = [f.to_dict() for f in problem.findings]
    else:
        message, param, code, findings = str(problem), None, "invalid_request_body", []
    error = {
        "message": f"{message} (refused by the responses-replay guard before sending)",
        "type": "invalid_request_error",
        "param": param,
        "code": code,
        "findings": findings,
    }
    library = library_of(request)
    response: http.Response = library.Response(
        status,
        headers={"x-should-retry": "false", "x-responses-replay": "refused"},
        json={"error": error},
        extensions={REFUSAL: problem},
        request=request,
    )
    return response


def refusal_of(exc: BaseException) -> ReplayCheckError | InputError | None:
    """The guard's refusal behind an `openai` error (`BadRequestError`, `ConflictError`), if any.

    It is the `ReplayCheckError` (`ConversationBusy` for R9) with every finding, or the
    `InputError` for a body the checker could not read; None for an error the API itself sent.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, (ReplayCheckError, InputError)):
            return current
        response = getattr(current, "response", None)
        extensions = getattr(response, "extensions", None)
        if isinstance(extensions, Mapping):
            found = extensions.get(REFUSAL)
            if isinstance(found, (ReplayCheckError, InputError)):
                return found
        current = current.__cause__ or current.__context__
    return None
