"""History.add's R6 check keeps the call keys it read (issue: a loop of n turns read n^2 items).

What it accepts and refuses after any run of turns, answers, outputs for unknown calls and trims
must be what the request checker says of the same history with the new item appended: the
checker reads the whole body afresh each time (an oracle that keeps nothing between calls).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given, settings, strategies as st

from responses_replay import History, ReplayError, check, tool_output

OPS = st.lists(
    st.one_of(
        st.tuples(st.just("turn"), st.integers(1, 3)),
        st.tuples(st.just("answer"), st.integers(0, 40)),
        st.tuples(st.just("ghost"), st.integers(0, 5)),
        st.tuples(st.just("trim"), st.integers(1, 3)),
        st.tuples(st.just("user"), st.just(0)),
    ),
    max_size=30,
)


def _response(n: int, calls: int) -> dict[str, Any]:
    output: list[dict[str, Any]] = [
        {"type": "reasoning", "id": f"rs_{n}", "summary": [], "encrypted_content": "gAAAAB"}
    ]
    call = {"type": "function_call", "name": "f", "arguments": "{}", "status": "completed"}
    output += [{**call, "id": f"fc_{n}_{c}", "call_id": f"call_{n}_{c}"} for c in range(calls)]
    return {"id": f"resp_{n}", "status": "completed", "output": output}


def _input(history: History[bool]) -> list[dict[str, Any]]:
    return [i if isinstance(i, dict) else i.to_dict() for i in history.items()]  # type: ignore[union-attr]


def _r6(history: History[bool], item: dict[str, Any]) -> bool:
    body = {"model": "gpt-5", "store": False, "input": [*_input(history), item]}
    return any(f.rule == "R6" and f.severity == "error" for f in check(body))


@settings(max_examples=150, deadline=None)
@given(OPS)
# a trim drops the first exchange: its call is gone, an output for it is refused again
@example([("turn", 1), ("answer", 0), ("user", 0), ("turn", 1), ("trim", 1), ("answer", 0)])
def test_add_refuses_what_the_checker_refuses(ops: list[tuple[str, int]]) -> None:
    history = History(store=False)
    history.user("go")
    calls: list[Any] = []
    for n, (op, arg) in enumerate(ops):
        if op == "turn":
            calls += history.add_response(_response(n, arg)).function_calls()
        elif op == "user":
            history.user("and then?")
        elif op == "trim":
            history.trim(max_exchanges=arg)
        else:
            if op == "answer" and calls:
                output = tool_output(calls[arg % len(calls)], output="ok")
            else:
                output = tool_output({"type": "function_call", "call_id": f"call_x{arg}",
                                      "name": "f", "arguments": "{}"}, output="ok")  # fmt: skip
            before = _input(history)
            if _r6(history, output.to_dict()):
                with pytest.raises(ReplayError, match=r"^\[R6\]"):
                    history.add(output)
                assert _input(history) == before  # nothing added
            else:
                history.add(output)
