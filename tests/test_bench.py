"""The bench's own machinery: medians and spread, verdicts, and `--strict` failing on a miss."""

from __future__ import annotations

import gc
from collections.abc import Callable

import pytest

from bench import __main__ as bench_main
from bench.core import REGISTRY, Measured, Settings, Target, Timing, collector_unpaused, race


def test_a_timing_is_the_median_with_its_interquartile_range() -> None:
    t = Timing([5.0, 1.0, 3.0, 2.0, 100.0])
    assert float(t) == 3.0
    assert (t.lo, t.hi, t.runs) == (2.0, 5.0, 5)
    assert Timing([2.0, 4.0]).lo == 2.0  # under 4 runs: min..max


def test_race_leaves_the_collector_as_it_found_it() -> None:
    seen: list[bool] = []
    race([lambda: seen.append(gc.isenabled())], repeat=3)
    assert seen == [True] * 4  # the warm-up round too: never switched off around a call


def test_unpaused_turns_the_libraries_pause_into_nothing() -> None:
    from responses_replay._gc import paused_gc

    with collector_unpaused(), paused_gc():
        assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()


@pytest.mark.parametrize(("ours", "ok"), [(1.0, True), (3.0, False)])
def test_strict_exits_1_on_a_missed_target(
    monkeypatch: pytest.MonkeyPatch, ours: float, ok: bool
) -> None:
    monkeypatch.setattr(bench_main, "load_measurements", lambda: None)
    monkeypatch.setattr(bench_main, "source", lambda: "test items")
    monkeypatch.setattr(REGISTRY, "entries", [])

    @REGISTRY.add("fake")
    def fake(settings: Settings) -> list[Measured]:
        return [Measured("fake row", ours, Target("max_ratio", 2), 1.0, "base")]

    assert bench_main.main(["--strict"]) == (0 if ok else 1)
    assert bench_main.main([]) == 0


def _quadratic(chunks: list[bytes]) -> Callable[[], int]:
    """A reader with the classic bug: it rescans everything received so far at every chunk."""

    def run() -> int:
        seen, events = b"", 0
        for chunk in chunks:
            seen += chunk
            events = seen.count(b"\n\n")
        return events

    return run


def test_the_linear_time_target_fails_a_quadratic_reader() -> None:
    """The stream rows' target (our growth for 10x the input at most LINEAR_SLACK times the
    floor's, same runs) misses a deliberately quadratic reader, and shows it as a ratio."""
    from bench.streams import LINEAR_SLACK, growth_rows, many_events

    target, _ = growth_rows("quadratic", many_events(4000), many_events(400), 3, _quadratic)
    assert target.unit == "x"
    assert target.ratio is not None
    assert target.ratio > LINEAR_SLACK, (target.ours, target.baseline)
    assert target.ok is False
