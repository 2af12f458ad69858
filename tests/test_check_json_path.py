"""`check` of JSON text reads and validates the body in one pass (`_shape.valid_body`); its findings
are those of the same body as a dict, which takes the other path (read, then validate).

The one-pass path decides only "every item valid"; anything else falls back to the dict path. So
what could go wrong is the JSON path accepting what the dict path refuses (JSON-mode validation
laxer than Python-mode), or the validated copy reading differently to a rule. Both show here as
unequal findings, on every request the real API accepted and on random mutations of them: values
of another JSON type (numbers as strings, floats for integers, nulls, objects, arrays), keys dropped
or added, deep inside and at the top, and the body's own chaining keys.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import corpus
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from responses_replay import _shape, check

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not corpus.available(), reason="../shared/corpus is not available"),
]

_VALUES: tuple[Any, ...] = (None, 0, 1, 1.0, 2.5, -1, True, False, "", "x", "1", "true", [], {},
                            [{}], {"type": "x"}, "\u00e9\U0001f600", 10**20)  # fmt: skip
_BODY_KEYS: tuple[tuple[str, Any], ...] = (
    ("store", False),
    ("store", "false"),
    ("previous_response_id", "resp_1"),
    ("conversation", "conv_1"),
    ("include", ["reasoning.encrypted_content"]),
    ("input", "a string input"),
    ("input", {"role": "user"}),
    ("input", None),
)


def _bodies() -> list[dict[str, Any]]:
    out = []
    for it in corpus.accepted_creates():
        body = it.request_body
        if isinstance(body, dict) and isinstance(body.get("input"), list) and body["input"]:
            out.append(body)
    return out


_BODIES = _bodies() if corpus.available() else [{"input": [{"role": "user", "content": "x"}]}]


def _paths(value: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield at
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*at, k))
    elif isinstance(value, list):
        for n, v in enumerate(value[:4]):
            yield from _paths(v, (*at, n))


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


def _same(body: Any) -> None:
    text = json.dumps(body)
    expected = check(body)
    assert check(text.encode()) == expected, body
    assert check(text) == expected, body


def test_accepted_bodies_give_the_same_findings_as_text_and_take_the_one_pass_path() -> None:
    one_pass = 0
    for body in _BODIES:
        _same(body)
        one_pass += _shape.valid_body(json.dumps(body).encode()) is not None
    # the accepted bodies are valid input, so nearly all take the one-pass path (what is timed)
    assert len(_BODIES) > 100
    assert one_pass >= 0.9 * len(_BODIES), (one_pass, len(_BODIES))


def test_the_one_pass_path_refuses_what_the_dict_path_refuses() -> None:
    # an item the Input models refuse: the one-pass path gives no verdict (the dict path reports it)
    bad = {"model": "m", "input": [{"type": "function_call", "call_id": "c", "name": "f",
                                    "arguments": "{}", "status": None, "created_by": "x"}]}  # fmt: skip
    assert _shape.valid_body(json.dumps(bad)) is None
    assert [f.rule for f in check(json.dumps(bad))] == [f.rule for f in check(bad)] != []


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_bodies_give_the_same_findings_as_text(data: Any) -> None:
    body = copy.deepcopy(data.draw(st.sampled_from(_BODIES)))
    for _ in range(data.draw(st.integers(1, 3))):
        if data.draw(st.integers(0, 5)) == 0:
            key, value = data.draw(st.sampled_from(_BODY_KEYS))
            body[key] = copy.deepcopy(value)
            continue
        items = body.get("input")
        if not isinstance(items, list) or not items:
            break
        path = data.draw(st.sampled_from(list(_paths(items))))
        target = _get(items, path)
        action = data.draw(st.sampled_from(["drop", "replace", "add", "stringify"]))
        if action == "add" and isinstance(target, dict):
            key = data.draw(st.sampled_from(["unknown_key", "id", "type", "role", "status"]))
            target[key] = copy.deepcopy(data.draw(st.sampled_from(_VALUES)))
        elif action == "drop" and path and isinstance(path[-1], str):
            del _get(items, path[:-1])[path[-1]]
        elif action == "stringify" and path and isinstance(target, bool | int | float):
            _get(items, path[:-1])[path[-1]] = json.dumps(target)
        elif path:
            _get(items, path[:-1])[path[-1]] = copy.deepcopy(data.draw(st.sampled_from(_VALUES)))
    _same(body)
