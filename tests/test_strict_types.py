"""The input side's scalars are strict, as the API's validator is (R13 `invalid_type`).

The API answers `Invalid type for 'max_tokens': expected an integer, but got a string instead.`
and `... expected an integer, but got a decimal number instead.` (code `invalid_type`; public
reports: diffbot/code-gpt-docs#273, Jeffser/Alpaca#904). pydantic's lax mode accepts `"10"` for an
integer and `"true"` for a boolean (and converts them), so a lax checker passes what the API
refuses. The oracle of the property test is the input view's JSON Schema (spec + overlay, read by
`jsonschema`), not the models the checker uses.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from responses_replay import ReplayError, check, to_input
from responses_replay._generated.inputs import member_class
from tests.test_properties import TYPES, _document, strategy, views

USER = {"role": "user", "content": "hi"}
CLICK = {
    "type": "computer_call",
    "id": "cu_1",
    "call_id": "call_1",
    "status": "completed",
    "pending_safety_checks": [],
    "action": {"type": "click", "button": "left", "x": 10, "y": 20},
}
SCREEN = {
    "type": "computer_call_output",
    "call_id": "call_1",
    "output": {"type": "computer_screenshot", "image_url": "data:image/png;base64,AA=="},
}


def _errors(*items: dict[str, Any]) -> list[tuple[str, str, str]]:
    body = {"model": "gpt-5", "store": True, "input": list(items)}
    return [(f.rule, f.path, f.message) for f in check(body) if f.severity == "error"]


@pytest.mark.parametrize(
    ("x", "got"),
    [("10", "a string"), (10.5, "a decimal number"), (True, "a boolean")],
)
def test_an_integer_field_takes_only_an_integer(x: Any, got: str) -> None:
    call = {**CLICK, "action": {**CLICK["action"], "x": x}}
    assert _errors(USER, call, SCREEN) == [
        (
            "R13",
            "input[1].action.x",
            f"Invalid type for 'input[1].action.x': expected an integer, but got {got} instead.",
        )
    ]
    assert _errors(USER, CLICK, SCREEN) == []


def test_a_boolean_field_takes_only_a_boolean() -> None:
    call = {"type": "function_call", "call_id": "c", "name": "f", "arguments": "{}"}
    out = {"type": "function_call_output", "call_id": "c", "output": "ok"}
    assert _errors(USER, {**call, "async": True}, out) == []
    for value, got in (("true", "a string"), (1, "an integer")):
        assert _errors(USER, {**call, "async": value}, out) == [
            (
                "R13",
                "input[1].async",
                f"Invalid type for 'input[1].async': expected a boolean, but got {got} instead.",
            )
        ]


# --- the general case: any scalar leaf of any replayed item, turned into its string ---------------


def _with_scalars() -> list[str]:
    """The output types whose input twin has an integer, number or boolean somewhere."""
    from responses_replay._generated.replay import INPUT_CLASS

    found = []
    for tag in TYPES:
        cls = INPUT_CLASS.get(tag)
        if cls is not None and any(
            f'"type": "{t}"' in json.dumps(cls.model_json_schema())
            for t in ("integer", "number", "boolean")
        ):
            found.append(tag)
    assert {"computer_call", "function_call"} <= set(found), found
    return found


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, (*path, k))]
    if isinstance(value, list):
        return [leaf for n, v in enumerate(value) for leaf in _leaves(v, (*path, n))]
    if isinstance(value, bool | int | float):
        return [(path, value)]
    return []


def _path(path: tuple[Any, ...]) -> str:
    return "input[0]" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


@pytest.mark.slow
@pytest.mark.parametrize("tag", _with_scalars())
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_scalar_as_a_string_is_refused_where_the_schema_refuses_it(
    tag: str, data: st.DataObject
) -> None:
    try:  # any output item the spec allows, replayed: a valid input item to start from
        item = to_input(data.draw(strategy(tag))).to_dict()
    except ReplayError:
        assume(False)
    leaves = [(p, v) for p, v in _leaves(item) if p and p[0] != "type"]
    assume(leaves)
    before = {(r, p) for r, p, _ in _errors(item)}
    assume(not any(r in ("R1", "R13") for r, _ in before))  # the models agree on the original
    path, value = data.draw(st.sampled_from(leaves))
    mutated = copy.deepcopy(item)
    holder: Any = mutated
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = str(value).lower() if isinstance(value, bool) else str(value)
    cls = member_class(mutated)
    assume(cls is not None)
    _, inp = views()
    oracle = jsonschema.Draft202012Validator(_document(inp, cls.__name__, closed=True))  # type: ignore[union-attr]
    refused = not oracle.is_valid(mutated)
    found = {p for r, p, _ in _errors(mutated) if r == "R13"}
    at = _path(path)
    assert refused == any(p == at or at.startswith((p + ".", p + "[")) for p in found), (
        f"{tag}: {at} = {holder[path[-1]]!r}: the schema {'refuses' if refused else 'accepts'} it, "
        f"check found R13 at {sorted(found)}"
    )
