"""Format generated Python with ruff on stdin (import sorting, unused imports, then the formatter).

Nothing touches disk: each file goes through `ruff check --fix -` and `ruff format -`, the two
joined by a pipe, every file at once (the ruff binary itself, not `python -m ruff`: no interpreter
start-up per file).
"""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from .errors import CodegenError

RUFF_ARGS = [
    "--isolated", "--line-length", "100", "--target-version", "py311",
    "--config", "lint.isort.combine-as-imports = true",
    "--config", "lint.isort.known-first-party = ['responses_replay']",
]  # fmt: skip
FIX_ARGS = ["--select", "I,F401", "--fix", "--exit-zero", "--quiet"]
#: ruff runs per file; a few at a time keep both cores busy without starving the machine
WORKERS = 4


@cache
def ruff_bin() -> str:
    """The ruff executable of this environment (the `ruff` package ships it)."""
    from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

    return str(find_ruff_bin())


def format_source(path: str, text: str) -> str:
    """One file through `ruff check --fix` then `ruff format`; an error names the file."""
    ruff = ruff_bin()
    name = ["--stdin-filename", path]
    fix = subprocess.run(
        [ruff, "check", *RUFF_ARGS, *FIX_ARGS, *name, "-"],
        input=text, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if fix.returncode != 0:
        raise CodegenError(f"generated {path}", "ruff check", fix.stderr.strip()[-2000:])
    fmt = subprocess.run(
        [ruff, "format", *RUFF_ARGS, *name, "-"],
        input=fix.stdout, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if fmt.returncode != 0:
        raise CodegenError(f"generated {path}", "ruff format", fmt.stderr.strip()[-2000:])
    return fmt.stdout


def format_files(files: dict[str, str]) -> dict[str, str]:
    """Return the files formatted, in path order; a failure names the file ruff could not read."""
    paths = sorted(files)
    with ThreadPoolExecutor(WORKERS) as pool:
        texts = list(pool.map(lambda p: format_source(p, files[p]), paths))
    return dict(zip(paths, texts, strict=True))
