"""The builders and the checker judge one body alike: same rule, same words, same severity.

Each situation is built through the builders (`History`, `Chain`) and checked with `check()`;
the expected words come from the generated registry (the overlay's `must_answer` entries) and
api-errors.md, never from a list written here.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from responses_replay import Chain, History, InputError, ReplayError, check
from responses_replay._base import InputModel
from responses_replay._generated import registry
from tests.test_properties import strategy

KEY = "call_pending"


def _response(*items: dict[str, Any]) -> dict[str, Any]:
    return {"id": "resp_1", "object": "response", "status": "completed", "output": list(items)}


def _input(history: History[Any]) -> list[dict[str, Any]]:
    return [i.to_dict() if isinstance(i, InputModel) else dict(i) for i in history.items()]


def _with_a_pending_call(kind: str, data: st.DataObject) -> History[Any]:
    """A spec-valid output item of `kind` (drawn from the output schema) as the model's turn."""
    call = data.draw(strategy(kind))
    call[registry.CALLS[kind][1]] = KEY
    history = History(store=True)
    history.user("hi")
    try:
        history.add_response(_response(call))
    except (InputError, ReplayError):
        assume(False)  # an output value the input side refuses (R13): another draw
    return history


@pytest.mark.parametrize("kind", sorted(registry.CALLS))
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_an_unanswered_call_reads_the_same_both_ways(kind: str, data: st.DataObject) -> None:
    """R7, one wording per call type (api-errors.md: `No tool output found for custom tool call
    call_...`): the noun is the registry's, and refusal follows the registry's MUST_ANSWER."""
    history = _with_a_pending_call(kind, data)
    words = f"No tool output found for {registry.CALL_NOUN[kind]} {KEY}."
    (finding,) = [f for f in check({"model": "gpt-5", "store": True, "input": _input(history)})
                  if f.rule == "R7"]  # fmt: skip
    assert finding.message == words
    if kind in registry.MUST_ANSWER:
        assert finding.severity == "error"
        with pytest.raises(ReplayError) as refused:
            history.body(model="gpt-5")
        assert (refused.value.rule, refused.value.message) == ("R7", words)
    else:  # not proven refused: the checker warns, the builders let it through
        assert finding.severity == "warning"
        assert history.body(model="gpt-5")["input"] == _input(history)


@pytest.mark.parametrize("kind", sorted(registry.MUST_ANSWER))
@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_chain_names_the_server_side_call_alike(kind: str, data: st.DataObject) -> None:
    call = data.draw(strategy(kind))
    call[registry.CALLS[kind][1]] = KEY
    chain = Chain()
    try:
        chain.after(_response(call))
    except (InputError, ReplayError):
        assume(False)
    with pytest.raises(ReplayError) as refused:
        chain.body(model="gpt-5")
    words = f"No tool output found for {registry.CALL_NOUN[kind]} {KEY}."
    assert (refused.value.rule, refused.value.message) == ("R7", words)


def test_two_pending_calls_are_both_named() -> None:
    calls = [{"type": "function_call", "id": f"fc_{n}", "call_id": f"call_{n}", "name": "f",
              "arguments": "{}", "status": "completed"} for n in (1, 2)]  # fmt: skip
    history = History(store=True)
    history.user("hi")
    history.add_response(_response(*calls))
    with pytest.raises(ReplayError) as refused:
        history.body(model="gpt-5")
    assert refused.value.message == (
        "No tool output found for function call call_1. Also pending: call_2 (function_call)."
    )
    r7 = [f.message for f in check({"input": _input(history)}) if f.rule == "R7"]
    assert r7 == [
        "No tool output found for function call call_1.",
        "No tool output found for function call call_2.",
    ]
