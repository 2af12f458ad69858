"""Format generated Python with ruff (import sorting, unused imports, then the formatter)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from .errors import CodegenError

RUFF_ARGS = [
    "--isolated", "--line-length", "100", "--target-version", "py311",
    "--config", "lint.isort.combine-as-imports = true",
    "--config", "lint.isort.known-first-party = ['responses_replay']",
]  # fmt: skip


def _ruff(*args: str) -> list[str]:
    return [sys.executable, "-m", "ruff", *args]


def format_files(files: dict[str, str]) -> dict[str, str]:
    """Return the files formatted; a failure names the file ruff could not read."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for path, text in files.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        fix = subprocess.run(
            _ruff("check", *RUFF_ARGS, "--select", "I,F401", "--fix", "--exit-zero", "--output-format", "concise", "."),
            cwd=root, capture_output=True, text=True, check=False,
        )  # fmt: skip
        fmt = subprocess.run(
            _ruff("format", *RUFF_ARGS, "--quiet", "."),
            cwd=root, capture_output=True, text=True, check=False,
        )  # fmt: skip
        for proc in (fix, fmt):
            if proc.returncode != 0:
                raise CodegenError(
                    "generated code", "ruff", (proc.stderr or proc.stdout).strip()[-2000:]
                )
        return {path: (root / path).read_text(encoding="utf-8") for path in sorted(files)}
