"""Test set-up: the generator (`codegen/`) importable however pytest starts; counts in the summary."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# Counts the corpus tests measure, shown in pytest's summary whether or not output is captured (-s).
COUNTS: list[tuple[str, str]] = []


@pytest.fixture
def report_count(record_property: Callable[[str, object], None]) -> Callable[[str, object], None]:
    """Report a measured count: printed, recorded as a junit property, and listed in the summary."""

    def report(name: str, value: object) -> None:
        record_property(name, value)
        print(f"{name}: {value}")
        COUNTS.append((name, str(value)))

    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if COUNTS:
        terminalreporter.section("counts")
        for name, value in COUNTS:
            terminalreporter.write_line(f"{name}: {value}")
