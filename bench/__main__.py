"""`python -m bench [--only TEXT] [--repeat N] [--repeat-slow N] [--items N]`: run and print the table."""

from __future__ import annotations

import argparse
import os
import platform
import sys

from . import measures as measures, repair as repair
from .core import REGISTRY, Rows, Settings, table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--only", action="append", default=[], help="run measurements whose title contains TEXT"
    )
    parser.add_argument(
        "--repeat", type=int, default=Settings.repeat, help="runs of fast measurements (best of)"
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

    print(
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cpus; "
        f"fast: best of {settings.repeat}, slow: best of {settings.repeat_slow}"
    )
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
