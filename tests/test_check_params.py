"""R1 at the request level: top-level keys that are no parameter of `POST /v1/responses`.

The oracles are not this library's tables: the installed `openai`'s `responses.create` signature
(every parameter it takes is clean), and the SDK's own `Response` model (a response object's keys
sent back as a request are refused).
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from responses_replay import check
from responses_replay.checker.rules import r01_params

openai = pytest.importorskip("openai")
from openai.resources.responses import Responses  # noqa: E402
from openai.types.responses import Response  # noqa: E402

BODY: dict[str, Any] = {"model": "gpt-5", "input": "hi"}


def _r1(body: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(f.path, f.severity, f.message) for f in check(body) if f.rule == "R1"]


def test_a_misspelt_parameter_is_named_in_the_api_words() -> None:
    assert _r1({**BODY, "tols": []}) == [("tols", "warning", "Unknown parameter: 'tols'.")]


def test_every_parameter_of_the_installed_sdk_is_clean() -> None:
    names = set(inspect.signature(Responses.create).parameters) - {"self"}
    assert {"model", "input", "tools", "store", "previous_response_id"} <= names
    body = {**BODY, **dict.fromkeys(names - {"input", "model"}, None)}
    assert _r1(body) == []


def test_a_response_sent_as_a_request_is_refused() -> None:
    # what `client.responses.create` returned, dumped, where the next request's body belongs
    response = Response.model_construct(
        id="resp_1", object="response", created_at=1.0, status="completed", output=[],
        model="gpt-5", parallel_tool_calls=True, tool_choice="auto", tools=[],
    ).model_dump(mode="json", exclude_unset=True)  # fmt: skip
    found = _r1(response)
    errors = {path for path, severity, _ in found if severity == "error"}
    # the keys a Response has and responses.create does not take
    request = set(inspect.signature(Responses.create).parameters)
    assert errors == set(response) - request, found
    assert {"output", "status", "object", "id"} <= errors


def test_a_parameter_newer_than_the_spec_that_the_sdk_knows_is_clean(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(r01_params, "sdk_create_params", lambda: frozenset({"brand_new"}))
    assert _r1({**BODY, "brand_new": 1}) == []
    assert [p for p, _, _ in _r1({**BODY, "brand_nwe": 1})] == ["brand_nwe"]
