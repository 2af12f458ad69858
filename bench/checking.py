"""The request checker on the 10k-item requests, against `json.loads` of the same bytes."""

from __future__ import annotations

import json
from functools import partial

from . import items
from .core import Measured, Rows, Settings, Target, cpu_how, measurement, race


def _request_json(n: int) -> bytes:
    """A stateless request replaying n output items whole, each call answered."""
    from responses_replay import History, Turn, tool_output

    history = History(store=False)
    history.user("Plan the trip.")
    turn = Turn.from_response(items.response_json(n))
    history.add_turn(turn)
    history.add(*(tool_output(call, output="ok") for call in turn.function_calls()))
    return json.dumps(history.body(model="gpt-5")).encode()


def request_bodies(settings: Settings) -> list[tuple[str, bytes]]:
    """The two 10k-item request bodies the checker (and repair) are measured on."""
    # output items, plus one output per function call and a user message: ~settings.items in all
    replay = _request_json(settings.items * 4 // 5 // 4 * 4)
    loop = items.tool_loop_request(settings.items)
    return [
        (f"{len(json.loads(replay)['input'])}-item replay request", replay),
        (f"{len(json.loads(loop)['input'])}-item tool-loop request", loop),
    ]


@measurement("check a 10k-item request")
def checker(settings: Settings) -> Rows:
    """The request checker on the 10k-item requests vs `json.loads` of the same bytes."""
    from responses_replay import check

    rows: list[Measured] = []
    for name, body in request_bodies(settings):
        errors = [f for f in check(body) if f.severity == "error"]
        assert errors == [], f"the bench's {name} must be clean: {errors[:3]}"
        mine, loads = race([partial(check, body), partial(json.loads, body)], settings.repeat)
        how = cpu_how(settings.repeat, f"{len(body) / 1e6:.1f} MB")
        rows += [
            Measured(f"check a {name} (bytes)", mine, Target("max_ratio", 2), loads, "json.loads",
                     how=how),
            Measured(f"check a {name}: absolute", mine, Target("max_seconds", 0.030), how=how),
        ]  # fmt: skip
    return rows
