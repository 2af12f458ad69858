"""Import the generated package before it replaces the committed one.

The generated modules carry evaluated annotations (no `from __future__ import annotations`, for
import speed), so a class used before its definition is a NameError at import time, and a forward
reference pydantic cannot resolve fails only when a validator is first built. Both would otherwise
surface later as a confusing test failure; here they stop regen, naming the module and line, with
nothing written.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from .errors import CodegenError
from .write import write_tree

_PACKAGE = "_regen_smoke"

# Import everything, then build both item unions' validators (which resolves every forward
# reference): what the first `parse_response` or `to_input` of a user would do.
_PROGRAM = f"""
import {_PACKAGE}.outputs as o, {_PACKAGE}.inputs as i
import {_PACKAGE}.events, {_PACKAGE}.registry, {_PACKAGE}.replay
o.OutputItemListAdapter.validate_python([])
i.InputItemListAdapter.validate_python([])
"""

_FRAME = re.compile(r'File "([^"]+)", line (\d+)')


def import_check(files: dict[str, str]) -> None:
    """Raise CodegenError if the generated package does not import and build in a new interpreter."""
    with tempfile.TemporaryDirectory(prefix="responses-replay-regen-") as tmp:
        root = Path(tmp)
        write_tree(files, root / _PACKAGE)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([tmp, *sys.path])}
        proc = subprocess.run(
            [sys.executable, "-c", _PROGRAM],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if proc.returncode == 0:
            return
        where, place = "generated code", ""
        for path, line in _FRAME.findall(proc.stderr):
            generated = Path(path)
            if generated.is_relative_to(root / _PACKAGE):
                where = f"_generated/{generated.relative_to(root / _PACKAGE).as_posix()}"
                place = f"line {line}"
        raise CodegenError(
            where,
            place,
            f"the generated package does not import or build: {_exception(proc.stderr)} "
            "(nothing was written; fix the overlay or the generator)",
        )


def _exception(stderr: str) -> str:
    """The exception a traceback ends with (its type and message, without pydantic's doc link)."""
    lines = stderr.rstrip().splitlines()
    start = max((k for k, line in enumerate(lines) if line.startswith("  File ")), default=-1) + 1
    while start < len(lines) and lines[start].startswith("    "):
        start += 1  # the source line of the last frame, and its ^^^ markers
    told = [
        line.strip()
        for line in lines[start:]
        if line.strip() and not line.strip().startswith("For further information visit")
    ]
    return " ".join(told) or "no message"
