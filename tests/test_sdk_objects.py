"""An `openai` SDK `Response` converts exactly as its JSON bytes do (issue 16), mutated or not.

`Turn.from_response(obj)` and `History.add_response(obj)` must give the items (class and JSON)
and the errors (class and text) that `Turn.from_response(json_bytes)` gives, for the object the
client builds (`construct_type`, no validation: it keeps dicts where a union does not match and
unknown keys in `__pydantic_extra__` at any depth) and for a validated one. Recorded responses
are mutated the ways a newer API or a recorder changes them: unknown keys at depth (holding a
value or null), nulls on known keys, unknown item and part types. No hypothesis here (seeded
mutations instead), so that `.ci/sdk_matrix.py` runs it under every supported `openai`.
"""

from __future__ import annotations

import contextlib
import copy
import json
import random
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, Final, cast

import pytest

from responses_replay import History, Turn, parse_response
from responses_replay._base import InputModel
from tests import corpus

pytestmark = pytest.mark.skipif(not corpus.available(), reason="../shared/corpus is absent")

pytest.importorskip("openai")

DROP: Final = "drop_trailing_reasoning"


def _outcome(fn: Callable[[], Any]) -> Any:
    try:
        result = fn()
    except Exception as exc:  # the error itself is what is compared
        return ("error", type(exc).__name__, str(exc))
    items = result.items if isinstance(result, Turn) else result
    return [
        (type(i).__name__, i.to_dict() if isinstance(i, InputModel) else dict(i)) for i in items
    ]


def _objects(body: dict[str, Any]) -> dict[str, Any]:
    from openai._models import construct_type
    from openai.types.responses import Response

    forms: dict[str, Any] = {
        "constructed": cast("Response", construct_type(type_=Response, value=copy.deepcopy(body)))
    }
    with contextlib.suppress(ValueError):  # not valid for the SDK's types: the client never has it
        forms["validated"] = Response.model_validate(copy.deepcopy(body))
    return forms


def _dicts(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _dicts(v)
    elif isinstance(node, list):
        for v in node:
            yield from _dicts(v)


def _mutate(output: list[dict[str, Any]], rng: random.Random) -> str:
    """One change a newer API or a recorder makes, somewhere in `output`; what it was."""
    nested = [d for item in output for d in _dicts(item) if d is not item]
    kind = rng.choice(["unknown value", "unknown null", "known null", "new item", "new part"])
    if kind == "new item":
        output.insert(rng.randrange(len(output) + 1), {"type": "from_a_newer_api", "id": "x_1"})
        return kind
    if kind == "new part" and nested:
        part = rng.choice(nested)
        part.clear()
        part.update({"type": "part_from_a_newer_api", "text": "t"})
        return kind
    target = rng.choice(nested or output) if rng.random() < 0.7 else rng.choice(output)
    if kind == "known null":
        keys = [k for k in target if k != "type"]
        if keys:
            target[rng.choice(keys)] = None
        return kind
    target["key_from_a_newer_api"] = None if kind == "unknown null" else {"deep": [1, "x"]}
    return kind


def _bodies() -> list[dict[str, Any]]:
    found = [
        body
        for _it, body in corpus.output_responses()
        if isinstance(body.get("output"), list) and body["output"]
    ]
    assert len(found) > 100
    return found


def _same(body: dict[str, Any], where: str) -> None:
    expected = _outcome(partial(Turn.from_response, json.dumps(body).encode(), incomplete=DROP))
    for form, obj in _objects(body).items():
        got = _outcome(partial(Turn.from_response, obj, incomplete=DROP))
        assert got == expected, f"{where}: Turn.from_response({form} SDK object)"
        if expected and expected[0] != "error" and body["output"][-1].get("type") != "reasoning":
            # the History's own outcome for the bytes (a store=false response loses its ids)
            wanted = _outcome(partial(History(store=True).add_response, json.dumps(body).encode()))
            added = _outcome(partial(History(store=True).add_response, obj))
            assert added == wanted, f"{where}: History.add_response({form} SDK object)"


def test_every_recorded_response_as_an_sdk_object_converts_as_its_bytes() -> None:
    for n, body in enumerate(_bodies()):
        _same(body, f"response {n}")


@pytest.mark.parametrize("seed", range(4))
def test_mutated_responses_as_sdk_objects_convert_as_their_bytes(seed: int) -> None:
    rng = random.Random(seed)
    bodies = _bodies()
    kinds: set[str] = set()
    for n in range(150):
        body = copy.deepcopy(rng.choice(bodies))
        what = [_mutate(body["output"], rng) for _ in range(rng.randint(1, 3))]
        kinds.update(what)
        _same(body, f"seed {seed}, mutation {n} ({', '.join(what)})")
    assert len(kinds) == 5


def _typed(raw: bytes) -> Turn:
    return Turn.from_items(parse_response(raw), incomplete=DROP)


def test_the_typed_path_converts_as_the_bytes() -> None:
    """`Turn.from_items(parse_response(b))` (issue 12) gives what `Turn.from_response(b)` gives."""
    rng = random.Random(7)
    bodies = _bodies()
    for n in range(300):
        body = copy.deepcopy(bodies[n % len(bodies)])
        if n >= len(bodies):
            _mutate(body["output"], rng)
        raw = json.dumps(body).encode()
        expected = _outcome(partial(Turn.from_response, raw, incomplete=DROP))
        got = _outcome(partial(_typed, raw))
        assert got == expected, f"body {n}"
