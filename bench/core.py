"""The bench's machinery: targets, the registry of measurements, fair timers, and the table."""

from __future__ import annotations

import contextlib
import gc
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass(frozen=True)
class Target:
    """What a measurement must reach: a wall time, a ratio to its baseline, or a speed-up over it."""

    kind: Literal["max_seconds", "max_ratio", "min_speedup", "info"]
    value: float = 0.0

    def met(self, ours: float, baseline: float | None) -> bool | None:
        if self.kind == "info":
            return None
        if self.kind == "max_seconds":
            return ours < self.value
        if baseline is None or baseline <= 0 or ours <= 0:
            return None
        if self.kind == "max_ratio":
            return ours / baseline <= self.value
        return baseline / ours >= self.value

    def describe(self) -> str:
        if self.kind == "info":
            return "(for information)"
        if self.kind == "max_seconds":
            return f"< {self.value:g} s"
        if self.kind == "max_ratio":
            return f"ratio <= {self.value:g}"
        return f">= {self.value:g}x faster"


@dataclass(frozen=True)
class Measured:
    """One row of the table: our time, the baseline's time (same run, same conditions), the target."""

    name: str
    ours: float
    target: Target
    baseline: float | None = None
    baseline_name: str = ""
    how: str = ""  # e.g. "median of 5, fresh subprocess"
    unit: Literal["s", "B", "x"] = "s"  # seconds, bytes (a memory footprint), or a factor (growth)

    @property
    def ratio(self) -> float | None:
        return self.ours / self.baseline if self.baseline else None

    @property
    def ok(self) -> bool | None:
        return self.target.met(self.ours, self.baseline)


@dataclass(frozen=True)
class Settings:
    """How hard to measure: repetitions for fast and for slow measurements."""

    repeat: int = 5
    repeat_slow: int = 2
    items: int = 10_000


Rows = Sequence[Measured] | None
Measure = Callable[[Settings], Rows]


@dataclass
class Registry:
    """Measurements in the order they were registered; each is one function."""

    entries: list[tuple[str, Measure]] = field(default_factory=list)

    def add(self, title: str) -> Callable[[Measure], Measure]:
        def register(fn: Measure) -> Measure:
            self.entries.append((title, fn))
            return fn

        return register


REGISTRY = Registry()
measurement = REGISTRY.add


def pending(title: str) -> None:
    """A slot someone will fill: prints `pending` and measures nothing."""
    print(f"  {title}: pending")


# --- timers ---------------------------------------------------------------------------------------


class Timing(float):
    """A median time in seconds (it is that float) with the spread of its runs: `lo`..`hi` is the
    interquartile range (min..max below 4 runs), `runs` how many there were."""

    lo: float
    hi: float
    runs: int

    def __new__(cls, samples: Sequence[float]) -> Timing:
        if not samples:
            raise ValueError("a timing needs at least one run")
        self = super().__new__(cls, statistics.median(samples))
        if len(samples) >= 4:
            q1, _, q3 = statistics.quantiles(samples, n=4, method="inclusive")
        else:
            q1, q3 = min(samples), max(samples)
        self.lo, self.hi, self.runs = q1, q3, len(samples)
        return self

    def spread(self) -> str:
        return f"{seconds(self.lo)}..{seconds(self.hi)}"


def race(fns: Sequence[Callable[[], object]], repeat: int, warmup: int = 1) -> list[Timing]:
    """Median CPU time of each function, run in turn each round so all see the same machine state.

    CPU time of this process (`time.process_time`), not wall time: on a shared machine the wall
    clock also counts other processes' work, and the collector's work is CPU time here. The
    collector runs as in a user's program: default thresholds, never switched off or forced by
    the bench, so a collection that a call's allocations trigger is part of that call's time.
    Each result is dropped before the next call starts.
    """
    samples: list[list[float]] = [[] for _ in fns]
    for round_ in range(warmup + repeat):
        for i, fn in enumerate(fns):
            start = time.process_time()
            result = fn()
            elapsed = time.process_time() - start
            del result
            if round_ >= warmup:
                samples[i].append(elapsed)
    return [Timing(s) for s in samples]


@contextlib.contextmanager
def collector_unpaused() -> Iterator[None]:
    """Make `gc.disable()` do nothing for a while: the library's pause, measured by its absence."""
    disable = gc.disable
    gc.disable = _keep_on
    try:
        yield
    finally:
        gc.disable = disable


def _keep_on() -> None:
    pass


class LoadedHeap:
    """Hold about `objects` live container objects (as a long-running app does) while timing."""

    def __init__(self, objects: int = 500_000) -> None:
        self.objects = objects
        self._held: list[object] = []

    def __enter__(self) -> LoadedHeap:
        # dicts of lists: both tracked by the collector, like an app's parsed state
        self._held = [{"k": [n]} for n in range(self.objects // 2)]
        gc.collect()
        return self

    def __exit__(self, *exc: object) -> None:
        self._held = []


def cpu_how(repeat: int, what: str = "") -> str:
    """The `how` of a row timed with `race`: what was done, in the table's words."""
    return f"median CPU time of {repeat}, interleaved, GC on; {what}".removesuffix("; ")


def run(
    args: Sequence[str],
    *,
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    unset: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    """Run a command; a failure stops the bench with the command's own message.

    `env` adds to this process's environment; `unset` names variables the command must not see.
    """
    environ = {k: v for k, v in os.environ.items() if k not in unset}
    proc = subprocess.run(
        list(args),
        cwd=cwd,
        env={**environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stderr or proc.stdout}"
        )
    return proc


def wall(args: Sequence[str], *, cwd: Path = ROOT, env: dict[str, str] | None = None) -> float:
    """Wall time of one command."""
    start = time.perf_counter()
    run(args, cwd=cwd, env=env)
    return time.perf_counter() - start


def child_cpu(args: Sequence[str], *, cwd: Path = ROOT, env: dict[str, str] | None = None) -> float:
    """CPU time (user + system) one command and its own children take.

    CPU rather than wall time, so that other work on a shared machine does not count; on an
    idle machine the two agree for these single-threaded commands.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run(args, cwd=cwd, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def race_commands(
    commands: Sequence[Callable[[], float]], repeat: int, warmup: int = 0
) -> list[Timing]:
    """Median of `repeat` runs of each timed command, interleaved round by round."""
    samples: list[list[float]] = [[] for _ in commands]
    for round_ in range(warmup + repeat):
        for i, command in enumerate(commands):
            elapsed = command()
            if round_ >= warmup:
                samples[i].append(elapsed)
    return [Timing(s) for s in samples]


# --- the table ------------------------------------------------------------------------------------


def seconds(value: float | None) -> str:
    if value is None:
        return "-"
    if value < 0.001:
        return f"{value * 1000:.2f} ms"
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def _amount(value: float | None, unit: str) -> str:
    """A time with its spread (a `Timing`), a plain time, a size in MB, or a factor."""
    if unit == "B":
        return "-" if value is None else f"{value / 1e6:.1f} MB"
    if unit == "x":
        return "-" if value is None else f"{value:.1f}x"
    if isinstance(value, Timing) and value.runs > 1:
        return f"{seconds(value)} ({value.spread()})"
    return seconds(value)


def _ratio(row: Measured) -> str:
    if row.ratio is None:
        return "-"
    if row.target.kind == "min_speedup":
        return f"{row.ratio:.3f} ({1 / row.ratio:.1f}x faster)"
    return f"{row.ratio:.2f}"


def _verdict(row: Measured) -> str:
    return {True: "ok", False: "MISSED", None: ""}[row.ok]


def table(rows: Sequence[tuple[str, Rows]]) -> str:
    """Medians (with their interquartile range), the baseline's, ratio and target; a pending slot
    is one line."""
    head = ("measurement", "ours", "baseline", "ratio ours/base", "target", "")
    lines: list[tuple[str, ...]] = [head]
    for title, measured in rows:
        if measured is None:
            lines.append((title, "pending", "", "", "", ""))
            continue
        for row in measured:
            base = (
                f"{_amount(row.baseline, row.unit)} {row.baseline_name}".strip()
                if row.baseline_name
                else "-"
            )
            lines.append(
                (
                    row.name,
                    _amount(row.ours, row.unit),
                    base,
                    _ratio(row),
                    row.target.describe(),
                    _verdict(row),
                )
            )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in lines
    ]
    out.insert(1, "  ".join("-" * w for w in widths))
    hows = [
        f"  {row.name}: {row.how}"
        for _, measured in rows
        if measured is not None
        for row in measured
        if row.how
    ]
    return "\n".join([*out, "", "how:", *hows])
