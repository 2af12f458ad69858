"""`python -m bench [--only TEXT] [--repeat N] [--repeat-slow N] [--items N] [--strict]`: the table."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import platform
import sys
from pathlib import Path

from .core import REGISTRY, Rows, Settings, table
from .items import source

# Every module of this package registers its measurements when imported: those below first, in
# the issues' order, then any other (a new `bench/x.py` with `@measurement` functions) by name.
ORDER = ("measures", "parsing", "checking", "repair", "memory", "streams")
_NOT_MEASUREMENTS = {"core", "items", "__main__"}


def load_measurements() -> None:
    found = [m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])]
    rest = sorted(set(found) - set(ORDER) - _NOT_MEASUREMENTS)
    for name in (*ORDER, *rest):
        importlib.import_module(f"bench.{name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--only", action="append", default=[], help="run measurements whose title contains TEXT"
    )
    parser.add_argument(
        "--repeat", type=int, default=Settings.repeat, help="runs of fast measurements (median of)"
    )
    parser.add_argument(
        "--repeat-slow", type=int, default=Settings.repeat_slow, help="runs of regen and mypy"
    )
    parser.add_argument(
        "--items", type=int, default=Settings.items, help="items in the parse measurements"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    settings = Settings(repeat=args.repeat, repeat_slow=args.repeat_slow, items=args.items)
    load_measurements()

    print(
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cpus; "
        f"fast: median of {settings.repeat}, slow: median of {settings.repeat_slow}; "
        "CPU time, garbage collector as the interpreter sets it (on, default thresholds)"
    )
    print(f"items: {source()}")
    rows: list[tuple[str, Rows]] = []
    for title, fn in REGISTRY.entries:
        if args.only and not any(text in title for text in args.only):
            continue
        print(f"measuring {title} ...", flush=True)
        rows.append((title, fn(settings)))
    print()
    print(table(rows))
    missed = [row.name for _, measured in rows if measured for row in measured if row.ok is False]
    if missed:
        print(f"\ntargets missed: {', '.join(missed)}")
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
