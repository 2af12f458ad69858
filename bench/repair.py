"""`make bench` row for `repair()`: the 10k-item requests, as a ratio to `check()` on the same bytes.

Self-contained: it builds its own request bodies from `bench.items` and needs only the registry and
timers of `bench.core`.
"""

from __future__ import annotations

import functools
import json
from functools import cache
from typing import Any

from . import items
from .core import Measured, Rows, Settings, Target, measurement, race


@cache
def clean_request(n: int) -> bytes:
    """A stateless request replaying n output items whole, each function call answered."""
    input_: list[dict[str, Any]] = [{"role": "user", "content": "Plan the trip."}]
    for item in items.output_items(n):
        input_.append(item)
        if item["type"] == "function_call":
            input_.append(
                {"type": "function_call_output", "call_id": item["call_id"], "output": "ok"}
            )
    body = {"model": "gpt-5", "store": False, "include": ["reasoning.encrypted_content"]}
    return json.dumps({**body, "input": input_}).encode()


@cache
def dumped_request(n: int) -> bytes:
    """The same request built the usual wrong way: every output item through `model_dump()`."""
    from openai.types.responses import ResponseOutputItem
    from pydantic import TypeAdapter

    adapter: TypeAdapter[Any] = TypeAdapter(ResponseOutputItem)
    body = json.loads(clean_request(n))
    body["input"] = [
        it if it.get("role") == "user" or it["type"] == "function_call_output"
        else adapter.validate_python(it).model_dump()
        for it in body["input"]
    ]  # fmt: skip
    return json.dumps(body).encode()


@measurement("repair a 10k-item request")
def repairer(settings: Settings) -> Rows:
    """`repair` vs `check` of the same bytes: a clean request, and the model_dump() one."""
    from responses_replay import check, repair

    n = settings.items * 4 // 5 // 4 * 4  # with one output per call: ~settings.items in all
    rows = []
    for name, body in (("clean", clean_request(n)), ("model_dump()", dumped_request(n))):
        result = repair(body)
        assert result.clean, result.errors[:3]
        assert (name == "clean") == (result.repairs == ()), "the clean request needs no repair"
        mine, checked = race([functools.partial(repair, body), functools.partial(check, body)],
                             settings.repeat)  # fmt: skip
        count = len(result.body["input"])
        how = (
            f"best of {settings.repeat}, interleaved; {count} input items, "
            f"{len(body) / 1e6:.1f} MB, {len(result.repairs)} repairs"
        )
        rows.append(
            Measured(f"repair a {count}-item request ({name}, bytes)", mine,
                     Target("max_ratio", 1.5), checked, "check() of the same bytes", how=how)
        )  # fmt: skip
    return rows
