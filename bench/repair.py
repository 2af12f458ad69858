"""`make bench` row for `repair()` (issue 14): at most 1.5x `check()` on the same bytes.

One measurement per request: the replay and tool-loop requests the checker is measured on
(`bench.checking.request_bodies`, clean: nothing to repair), and the replay request built the
usual wrong way, every output item through the SDK's `model_dump()` (every item repaired).
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from .checking import request_bodies
from .core import Measured, Rows, Settings, Target, cpu_how, measurement, race


def dumped(body: bytes) -> bytes:
    """`body` with every output item replaced by the `openai` SDK's `model_dump()` of it."""
    from openai.types.responses import ResponseOutputItem
    from pydantic import TypeAdapter

    adapter: TypeAdapter[Any] = TypeAdapter(ResponseOutputItem)
    request = json.loads(body)
    request["input"] = [
        it if it.get("role") == "user" or it.get("type") == "function_call_output"
        else adapter.validate_python(it).model_dump()
        for it in request["input"]
    ]  # fmt: skip
    return json.dumps(request).encode()


@measurement("repair a 10k-item request")
def repairer(settings: Settings) -> Rows:
    """`repair` vs `check` of the same bytes: the clean requests, and the model_dump() one."""
    from responses_replay import check, repair

    (replay_name, replay), loop = request_bodies(settings)
    bodies = [(replay_name, replay), loop, (f"{replay_name}, model_dump() items", dumped(replay))]
    rows = []
    for name, body in bodies:
        result = repair(body)
        assert result.clean, result.errors[:3]
        assert ("model_dump()" in name) == (result.repairs != ()), (name, result.repairs[:3])
        mine, checked = race([partial(repair, body), partial(check, body)], settings.repeat)
        how = cpu_how(settings.repeat, f"{len(body) / 1e6:.1f} MB, {len(result.repairs)} repairs")
        rows.append(
            Measured(f"repair a {name} (bytes)", mine, Target("max_ratio", 1.5), checked,
                     "check() of the same bytes", how=how)
        )  # fmt: skip
    return rows
