"""Memory a call adds while reading the 10k-item response, and the library's collector pause on a
loaded heap."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from . import items
from .checking import request_bodies
from .core import (
    PYTHON,
    LoadedHeap,
    Measured,
    Rows,
    Settings,
    Target,
    collector_unpaused,
    cpu_how,
    measurement,
    race,
    race_commands,
    run,
)
from .measures import ONE_RESPONSE


def _peak_rss(call: str, body: Path) -> float:
    """Bytes a call adds to the peak RSS of a fresh interpreter that already holds the body.

    The peak is Linux's VmHWM (the high-water mark of this process's own memory; `ru_maxrss`
    would carry the bench's own peak over from the fork). Native allocations (pydantic-core's)
    count, as they do for users.
    """
    code = (
        "import json, sys\n"
        "from responses_replay import Turn, parse_response\n"
        "def hwm():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmHWM:'):\n"
        "            return int(line.split()[1]) * 1024\n"
        "body = open(sys.argv[1], 'rb').read()\n"
        f"{WARM}\n"
        "base = hwm()\n"
        f"result = {call}\n"
        "print(hwm() - base)\n"
    )
    proc = run([PYTHON, "-c", code, str(body)], cwd=Path(tempfile.gettempdir()))
    return float(proc.stdout.strip().splitlines()[-1])


# validators built on a 1-item response, before the peak is read
WARM = f"Turn.from_response({ONE_RESPONSE!r}); parse_response({ONE_RESPONSE!r})"


@measurement("memory")
def memory(settings: Settings) -> Rows:
    """Peak memory a call adds while reading the 10k-item response, vs `json.loads`' own."""
    whole = items.response_json(settings.items)
    with tempfile.TemporaryDirectory() as tmp:
        body = Path(tmp) / "response.json"
        body.write_bytes(whole)
        calls = ["json.loads(body)", "parse_response(body)", "Turn.from_response(body)"]
        loads, parse, turn = race_commands(
            [partial(_peak_rss, call, body) for call in calls], settings.repeat_slow + 1
        )
    how = (
        f"peak RSS a call adds (VmHWM, result included) in a fresh interpreter holding the"
        f" {len(whole) / 1e6:.1f} MB body; median of {settings.repeat_slow + 1}"
    )
    return [
        Measured(f"memory: parse_response({settings.items} items)", parse,
                 Target("max_ratio", 1.5), loads, "json.loads", how=how, unit="B"),
        Measured(f"memory: Turn.from_response({settings.items} items)", turn,
                 Target("max_ratio", 1.5), loads, "json.loads", how=how, unit="B"),
    ]  # fmt: skip


def _unpaused(fn: Callable[[], object]) -> Callable[[], object]:
    def call() -> object:
        with collector_unpaused():
            return fn()

    return call


@measurement("loaded heap")
def loaded_heap(settings: Settings) -> Rows:
    """The library's collector pause, measured on a heap holding 500k live objects (a long-running
    app): each call with the pause vs the same call with `gc.disable` made a no-op.

    Each call's time includes the collections its allocations trigger; on a loaded heap a full
    collection also walks every live object. A ratio under 1 says the pause pays.
    """
    from responses_replay import Turn, check, parse_response

    whole = items.response_json(settings.items)
    (_, body), _ = request_bodies(settings)
    calls: list[tuple[str, Callable[[], object]]] = [
        ("parse_response(bytes)", partial(parse_response, whole)),
        ("Turn.from_response(bytes)", partial(Turn.from_response, whole)),
        ("check(replay request)", partial(check, body)),
    ]
    with LoadedHeap(500_000) as heap:
        times = race([fn for _, fn in calls] + [_unpaused(fn) for _, fn in calls], settings.repeat)
    how = cpu_how(settings.repeat, f"{heap.objects} live objects held")
    return [
        Measured(f"loaded heap: {name}, collector paused", paused, Target("info"), unpaused,
                 "the same, not paused", how=how)
        for (name, _), paused, unpaused in zip(calls, times[: len(calls)], times[len(calls) :],
                                               strict=True)
    ]  # fmt: skip
