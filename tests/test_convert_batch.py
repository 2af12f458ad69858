"""The batched conversion (`Turn.from_response`, `Turn.from_items`, `History.add_response`) gives
what converting each item alone with `to_input` gives: the same items, the same first error.

The oracle is the per-item path over the recorded corpus (every response the real API sent),
fed the same response as a dict, as JSON bytes, as the SDK object the client builds
(`construct_type`) and as a validated SDK object, and as `parse_response`'s typed items.
"""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Callable
from functools import partial
from typing import Any, Final, cast

import pytest

from responses_replay import History, Turn, parse_response
from responses_replay._base import InputModel
from responses_replay._convert import Unknown, convert_item
from responses_replay._parse import as_plain
from tests import corpus

DROP: Final = "drop_trailing_reasoning"
pytestmark = pytest.mark.skipif(not corpus.available(), reason="../shared/corpus is absent")


def _outcome(fn: Callable[[], Any]) -> Any:
    """What a call gave, comparable: each item's class and JSON, or the error's class and text."""
    try:
        result = fn()
    except Exception as exc:  # the error itself is what is compared
        return ("error", type(exc).__name__, str(exc))
    items = result.items if isinstance(result, Turn) else result
    return [
        (type(i).__name__, i.to_dict() if isinstance(i, InputModel) else dict(i)) for i in items
    ]


def _one_by_one(output: list[Any], unknown: Unknown, *, trailing: bool = True) -> Any:
    """Each item converted alone; `trailing=False`: a last reasoning item left out, as a turn
    built with incomplete="drop_trailing_reasoning" does."""
    got = _outcome(
        lambda: [
            convert_item(it, unknown=unknown, where=f"output[{n}]") for n, it in enumerate(output)
        ]
    )
    if not trailing and got and got[0] != "error" and got[-1][1].get("type") == "reasoning":
        got.pop()
    return got


def _sdk(body: dict[str, Any], validated: bool) -> Any:
    from openai._models import construct_type
    from openai.types.responses import Response

    if validated:
        return Response.model_validate(body)
    return cast("Response", construct_type(type_=Response, value=body))


def _forms(body: dict[str, Any]) -> dict[str, Any]:
    forms: dict[str, Any] = {"dict": body, "bytes": json.dumps(body).encode()}
    forms["sdk"] = _sdk(body, validated=False)
    with contextlib.suppress(ValueError):  # a type newer than the SDK's: it does not validate
        forms["sdk validated"] = _sdk(body, validated=True)
    return forms


def _check(body: dict[str, Any], unknown: Unknown, where: str) -> int:
    """Compare every form of one response; the number of comparisons made."""
    made = 0
    for form, value in _forms(body).items():
        expected = _one_by_one(as_plain(value, "response")["output"], unknown, trailing=False)
        got = _outcome(partial(Turn.from_response, value, unknown=unknown, incomplete=DROP))
        assert got == expected, f"{where}, {form}, unknown={unknown}"
        made += 1
    try:
        typed = parse_response(body)
    except ValueError:
        return made
    expected = _one_by_one(list(typed), unknown, trailing=False)
    got = _outcome(lambda: Turn.from_items(typed, unknown=unknown, incomplete=DROP))
    assert got == expected, f"{where}, parse_response, unknown={unknown}"
    return made + 1


def test_every_recorded_response_converts_as_item_by_item() -> None:
    made = 0
    for it, body in corpus.output_responses():
        if isinstance(body.get("output"), list) and body["output"]:
            for unknown in ("error", "pass"):
                made += _check(body, unknown, str(it.path.name))
    assert made > 1000


def _outputs() -> list[list[dict[str, Any]]]:
    """Recorded outputs of several items, the last not a reasoning item."""
    found = [
        body["output"]
        for _it, body in corpus.output_responses()
        if isinstance(body.get("output"), list)
        and len(body["output"]) >= 3
        and body["output"][-1].get("type") != "reasoning"
    ]
    assert found
    return found


def test_the_first_error_in_order_is_reported_whatever_fails_in_a_batch() -> None:
    """A bad item of one class before an unknown type: the bad item is named, as item by item;
    the other way round, the unknown type is (a batch validated late must not reorder them)."""
    output = copy.deepcopy(_outputs()[0])
    types = [i.get("type") for i in output]
    first = next(n for n, t in enumerate(types) if t in ("message", "function_call", "reasoning"))
    broken = copy.deepcopy(output)
    broken[first]["status"] = 12  # not a status
    broken.append({"type": "from_a_newer_api", "id": "x_1"})
    broken.append({"type": "message", "role": "assistant", "content": []})
    expected = _one_by_one(broken, "error")
    assert expected[0] == "error"
    assert f"output[{first}]" in expected[2]
    assert _outcome(lambda: Turn.from_response({"output": broken})) == expected

    early = copy.deepcopy(output)
    early.insert(0, {"type": "from_a_newer_api", "id": "x_1"})
    early[first + 1]["status"] = 12
    expected = _one_by_one(early, "error")
    assert expected[0] == "error"
    assert "output[0].type" in expected[2]
    assert _outcome(lambda: Turn.from_response({"output": early})) == expected


def test_a_nested_unknown_null_is_dropped_in_a_batch_and_the_rest_kept() -> None:
    """One item of a batch carries a nested key the input side does not know, holding null: that
    item is converted on its own (the null dropped), the items around it as in the batch."""
    output = copy.deepcopy(_outputs()[0])
    n = next(n for n, i in enumerate(output) if i.get("type") == "message")
    output[n]["content"][0]["not_in_the_spec"] = None
    expected = _one_by_one(output, "error")
    assert expected[0] != "error"
    assert "not_in_the_spec" not in json.dumps(expected[n][1])
    assert _outcome(lambda: Turn.from_response({"output": output})) == expected
    history = History(store=False)
    assert _outcome(lambda: history.add_response({"output": output})) == expected


def test_add_response_converts_and_checks_under_one_pause_restored_on_refusal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The R3 check after the conversion runs with the collector still paused (one pause per
    public call, issue 16), and the collector is back on after a refusal."""
    import gc

    from responses_replay import ReplayError
    from responses_replay.turn import stateless_problem

    seen: list[bool] = []

    def spy(item: Any) -> str | None:
        seen.append(gc.isenabled())
        return stateless_problem(item)

    monkeypatch.setattr("responses_replay.history.stateless_problem", spy)
    output = _outputs()[0]
    assert gc.isenabled()
    History(store=False).add_response({"output": output})
    assert seen
    assert not any(seen)
    assert gc.isenabled()
    reasoning = next((i for o in _outputs() for i in o if i.get("type") == "reasoning"), None)
    assert reasoning is not None
    bare = {k: v for k, v in reasoning.items() if k != "encrypted_content"}
    with pytest.raises(ReplayError, match="encrypted_content"):
        History(store=False).add_response({"output": [bare, *output]})
    assert gc.isenabled()
