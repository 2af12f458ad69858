"""The bench's machinery: targets, the registry of measurements, fair timers, and the table."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
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
    how: str = ""  # e.g. "best of 5, fresh subprocess"

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


def race(fns: Sequence[Callable[[], object]], repeat: int, warmup: int = 1) -> list[float]:
    """Best wall time of each function, run in turn each round so all see the same machine state.

    Like `timeit`: a full collection before each call and the collector off while it runs.
    """
    best = [float("inf")] * len(fns)
    for round_ in range(warmup + repeat):
        for i, fn in enumerate(fns):
            gc.collect()
            gc.disable()
            try:
                start = time.perf_counter()
                fn()
                elapsed = time.perf_counter() - start
            finally:
                gc.enable()
            if round_ >= warmup:
                best[i] = min(best[i], elapsed)
    return best


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


def race_commands(
    commands: Sequence[Callable[[], float]], repeat: int, warmup: int = 0
) -> list[float]:
    """Best of `repeat` for each timed command, interleaved round by round."""
    best = [float("inf")] * len(commands)
    for round_ in range(warmup + repeat):
        for i, command in enumerate(commands):
            elapsed = command()
            if round_ >= warmup:
                best[i] = min(best[i], elapsed)
    return best


# --- the table ------------------------------------------------------------------------------------


def seconds(value: float | None) -> str:
    if value is None:
        return "-"
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def _ratio(row: Measured) -> str:
    if row.ratio is None:
        return "-"
    if row.target.kind == "min_speedup":
        return f"{row.ratio:.3f} ({1 / row.ratio:.1f}x faster)"
    return f"{row.ratio:.2f}"


def _verdict(row: Measured) -> str:
    return {True: "ok", False: "MISSED", None: ""}[row.ok]


def table(rows: Sequence[tuple[str, Rows]]) -> str:
    """Absolute times, the baseline's, ratio and target; a pending slot is one line."""
    head = ("measurement", "ours", "baseline", "ratio ours/base", "target", "")
    lines: list[tuple[str, ...]] = [head]
    for title, measured in rows:
        if measured is None:
            lines.append((title, "pending", "", "", "", ""))
            continue
        for row in measured:
            base = (
                f"{seconds(row.baseline)} {row.baseline_name}".strip() if row.baseline_name else "-"
            )
            lines.append(
                (
                    row.name,
                    seconds(row.ours),
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
