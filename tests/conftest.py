"""Test set-up: the generator (`codegen/`) importable however pytest starts, its result on the
pinned spec generated once per session (shared by every test that needs it), counts in the summary,
and, under pytest-xdist (`make test` runs `-n auto`), the tests that share a module-scoped fixture
kept on one worker so that it is built once."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SPECS = ROOT.parent / "shared" / "specs"
SNAPSHOTS = sorted(SPECS.glob("openapi-*.yaml")) if SPECS.is_dir() else []

if TYPE_CHECKING:
    from codegen.overlay import Overlay
    from codegen.pipeline import Result


@pytest.fixture(scope="session")
def overlay() -> tuple[Overlay, str]:
    """spec/overlay.yaml, parsed, and its text."""
    from codegen.overlay import load_overlay

    return load_overlay()


@pytest.fixture(scope="session")
def pinned() -> Path:
    """The snapshot whose sha256 is the pin's (spec/pin.yaml), so a pin update needs no test edit."""
    from codegen.source import load_pin, sha256_of

    if not SNAPSHOTS:
        pytest.skip(f"no spec snapshots in {SPECS}")
    want = load_pin().sha256
    for path in SNAPSHOTS:
        if sha256_of(path.read_bytes()) == want:
            return path
    pytest.skip(f"the pinned spec (sha256 {want}) is not among {SPECS}")


@pytest.fixture(scope="session")
def pinned_result(pinned: Path, overlay: tuple[Overlay, str]) -> Result:
    """The generator's result on the pinned spec: generated once per test session."""
    from codegen.pipeline import generate
    from codegen.source import read_any

    return generate(read_any(pinned), *overlay)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests using a module- or class-scoped fixture of their own module go to one xdist worker
    (`--dist loadgroup`): test_packaging's wheel and venvs are built once, not once per worker.
    Session fixtures (`pinned_result`) are built once per worker: a worker is a process."""
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        for defs in info.name2fixturedefs.values():
            if any(d.scope in ("module", "class") for d in defs):
                item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
                break


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
