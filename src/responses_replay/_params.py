"""The request-parameter TypedDicts of the builders, and the check of a caller's extra parameters."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from ._errors import InputError, ReplayError


class CreateParams(TypedDict, total=False):
    """The parameters of `client.responses.create` a builder does not set itself.

    Not here, by design: `input` (the builder's checked items), `store` (the History's mode),
    `previous_response_id` and `conversation` (a History sends the whole history; a Chain sets
    its own, R2, R8). Declared here rather than imported from `openai` (as of openai 3.57), so that
    type-checking a program that uses this library does not type-check the SDK too.
    """

    access_programs: Any
    background: bool
    background_options: Any
    context_management: Any
    image: Any
    include: Sequence[str]
    instructions: str
    max_output_tokens: int
    max_tool_calls: int
    metadata: Mapping[str, str]
    moderation: Any
    parallel_tool_calls: bool
    prompt: Any
    prompt_cache_key: str
    prompt_cache_options: Any
    prompt_cache_retention: str
    reasoning: Any
    safety_identifier: str
    service_tier: str
    stream: bool
    stream_options: Any
    temperature: float
    text: Any
    tool_choice: Any
    tools: Sequence[Any]
    top_logprobs: int
    top_p: float
    truncation: str
    user: str
    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, object]
    extra_body: Mapping[str, object]
    timeout: float


#: A saved state: the dict of `to_state()` or the text of `to_json()`.
Saved = Mapping[str, Any] | str | bytes


class RequestKwargs(TypedDict, total=False):
    """Keyword arguments for `openai`'s `client.responses.create(**kwargs)`.

    `input` and `include` are `Any` because the SDK's own types for them are its TypedDict unions;
    what is in them was built and validated by this library.
    """

    model: str
    input: Any
    store: bool
    include: Any
    previous_response_id: str
    conversation: str


class CompactKwargs(TypedDict):
    """Keyword arguments for `openai`'s `client.responses.compact(**kwargs)`."""

    model: str
    input: Any


#: the parameters a builder passes on (`CreateParams`' keys)
CREATE_PARAMS = frozenset(CreateParams.__annotations__)
_OWN = {
    "input": ("R2", "the builder's checked items are the input: add items with add()/user()"),
    "store": ("R3", "store is the History's mode: History(store=...)"),
    "previous_response_id": ("R2", "a History sends the whole history: use Chain to chain"),
    "conversation": ("R2", "a History sends the whole history: use Chain to chain"),
}
_REPLACES = "extra_body would replace the builder's {!r} in the request"
_INCLUDE = "pass include=[...] to request()/body(): the builder adds what its mode needs"
#: what `client.responses.create` takes that a builder sets itself (see `CreateParams`)
SET_BY_BUILDERS = frozenset({"model", *_OWN})


def extra_params(extra: Mapping[str, Any], chained: bool) -> dict[str, Any]:
    """The caller's extra parameters, refused when the builder owns them or they are unknown."""
    for key in extra:
        if key in _OWN:
            rule, why = _OWN[key]
            if chained and key in ("previous_response_id", "conversation"):
                why = "set it on Chain(...): Chain(previous_response_id=...) or Chain(conversation=...)"
            raise ReplayError(rule, key, why)
        if key not in CREATE_PARAMS and key not in sdk_create_params():
            raise InputError(
                f"{key}: not a parameter of responses.create (known: {', '.join(sorted(CREATE_PARAMS))}, "
                "and those of the installed openai's)"
            )
    body = extra.get("extra_body")
    if isinstance(body, Mapping):
        # the SDK merges extra_body into the JSON it sends, over the builder's own keys
        for key in body:
            if key in _OWN:
                rule, why = _OWN[key]
                raise ReplayError(rule, f"extra_body.{key}", f"{_REPLACES.format(key)}: {why}")
            if key == "include":  # the mode's reasoning.encrypted_content would go (R3)
                raise ReplayError("R3", f"extra_body.{key}", f"{_REPLACES.format(key)}: {_INCLUDE}")
            if key == "model":
                raise InputError(f"extra_body.model: {_REPLACES.format(key)}: pass model=...")
    return dict(extra)


@functools.cache
def sdk_create_params() -> frozenset[str]:
    """The parameters the installed `openai`'s `client.responses.create` takes (none without it).

    Read only when a caller passes one `CreateParams` does not list: a parameter an SDK newer
    than this library learnt goes through (the SDK is released more often than we are), a typo
    is still refused. `make drift` lists the difference.
    """
    try:
        from openai.resources.responses import Responses
    except ImportError:
        return frozenset()
    try:
        names = inspect.signature(Responses.create).parameters
    except (TypeError, ValueError):
        return frozenset()
    return frozenset(names) - {"self"} - SET_BY_BUILDERS
