"""A long agent loop: a turn added to a `History` of 3,000 turns costs what it costs in a new one.

Each turn is what the README's loop does between two requests: `add_response(response)`, then
`add(tool_output(call, ...))` for each call. Synthetic turns (a reasoning item and a function
call, fresh ids), as many as a long coding-agent session; the corpus has no session this long.
The request itself is left out: its body holds the whole history, so it grows by nature.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .core import Measured, Rows, Settings, Target, measurement, race, seconds
from .streams import LINEAR_SLACK

TURNS = 100  # timed per run
HELD = 3_000  # the long history's turns before the first run


def _response(n: int) -> dict[str, Any]:
    return {"id": f"resp_{n:048d}", "status": "completed", "output": [
        {"type": "reasoning", "id": f"rs_{n:048d}", "summary": [], "encrypted_content": "gAAAAB"},
        {"type": "function_call", "id": f"fc_{n:048d}", "call_id": f"call_{n:024d}",
         "name": "get_weather", "arguments": '{"city": "Paris"}', "status": "completed"},
    ]}  # fmt: skip


def _turns(history: Any, start: int) -> Callable[[], object]:
    from responses_replay import tool_output

    responses = [_response(start + n) for n in range(TURNS)]

    def run() -> None:
        for response in responses:
            turn = history.add_response(response)
            history.add(*(tool_output(call, output="18°C") for call in turn.function_calls()))

    return run


@measurement("a long agent loop")
def long_loop(settings: Settings) -> Rows:
    """The cost of 100 turns added to a 3,000-turn history against 100 added to a new one."""
    from responses_replay import History

    held = History(store=False)
    held.user("Plan the trip.")
    _turns(held, 0)()  # warm
    for start in range(TURNS, HELD, TURNS):
        _turns(held, start)()
    batches = iter(range(HELD, 100 * HELD, TURNS))  # fresh ids for each run's turns

    def late() -> None:
        _turns(held, next(batches))()

    def early() -> None:
        fresh = History(store=False)
        fresh.user("Plan the trip.")
        _turns(fresh, 0)()

    ours, first = race([late, early], settings.repeat)
    how = (
        f"median CPU time of {settings.repeat}, interleaved, GC on; synthetic turns; "
        f"{TURNS} turns after {HELD}+ held: {seconds(ours)} ({ours.spread()}), in a new "
        f"history: {seconds(first)} ({first.spread()})"
    )
    return [
        Measured(f"History: {TURNS} turns added to a {HELD}-turn history vs to a new one",
                 ours / first, Target("max_ratio", LINEAR_SLACK), 1.0,
                 "flat: as in a new history", unit="x", how=how),
    ]  # fmt: skip
