"""`python -m codegen regen|check|diff`: the generator's command line (used by the Makefile)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .errors import CodegenError
from .overlay import OVERLAY_FILE, load_overlay
from .pipeline import generate
from .report import item_report, overlay_report, render_report, result_items, spec_items
from .smoke import import_check
from .source import locate_pinned, read_any
from .write import GENERATED, stale, write_tree


def _spec(path: str | None):  # type: ignore[no-untyped-def]
    return read_any(path) if path else locate_pinned()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name, help_ in [
        ("regen", "regenerate src/responses_replay/_generated"),
        ("check", "fail if stale"),
    ]:
        p = sub.add_parser(name, help=help_)
        p.add_argument("--spec", help="a spec file to use instead of the pin (no sha256 check)")
        p.add_argument("--overlay", default=str(OVERLAY_FILE))
        p.add_argument(
            "--lenient",
            action="store_true",
            help="overlay entries that match nothing are reported, not errors",
        )
        p.add_argument("--out", default=str(GENERATED), help="where generated files go")
    d = sub.add_parser("diff", help="what changed for item types between two spec files")
    d.add_argument("old")
    d.add_argument("new")
    d.add_argument("--overlay", default=str(OVERLAY_FILE))
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        overlay, text = load_overlay(Path(args.overlay))
        if args.cmd == "diff":
            old, new = read_any(args.old), read_any(args.new)
            print(render_report(item_report(spec_items(old, overlay), spec_items(new, overlay))))
            return 0
        spec = _spec(args.spec)
        result = generate(spec, overlay, text)
        out = Path(args.out)
        if args.cmd == "check":
            bad = stale(result.files, out)
            if bad:
                print(
                    f"generated code is stale ({len(bad)} files differ); run `make regen`:",
                    file=sys.stderr,
                )
                for path in bad[:20]:
                    print(f"  {out / path}", file=sys.stderr)
                return 1
            print(f"generated code is up to date ({len(result.files)} files)")
            return 0
        unmatched = overlay_report(result)
        if unmatched:
            print("overlay entries that match nothing in this spec:")
            for line in unmatched:
                print(f"  - {line}")
            if not args.lenient and args.spec is None:
                print(
                    f"error: fix or remove them in {args.overlay} (or pass --lenient); "
                    "nothing was written",
                    file=sys.stderr,
                )
                return 1
        # the runtime imports what is written only when it is written in the runtime's place
        runtime = out.resolve() == GENERATED.resolve()
        previous = import_check(result.files, previous=out, runtime=runtime)
        changed = write_tree(result.files, out)
        report = item_report(previous, result_items(result)) if previous is not None else None
        print(f"regenerated {len(result.files)} files ({len(changed)} changed) from {spec.origin}")
        print(f"  spec sha256 {spec.sha256}")
        if report is not None:
            print(render_report(report))
        for line in result.notes:
            print(f"  note: {line}")
        print(f"done in {time.perf_counter() - started:.1f}s")
        return 0
    except CodegenError as exc:
        for problem in exc.problems:
            print(f"error: {problem.line}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
