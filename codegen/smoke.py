"""Import the generated package before it replaces the committed one.

The generated modules carry evaluated annotations (no `from __future__ import annotations`, for
import speed), so a class used before its definition is a NameError at import time, and a forward
reference pydantic cannot resolve fails only when a validator is first built. Both would otherwise
surface later as a confusing test failure; here they stop regen, naming the module and line, with
nothing written.

Nothing is written for this either: the files go to the fresh interpreter on stdin, and an import
hook there serves the package from them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from .errors import CodegenError
from .report import Items

_PACKAGE = "_regen_smoke"
_PREVIOUS = "_regen_previous"

# Import everything, then build both item unions' validators (which resolves every forward
# reference): what the first `parse_response` or `to_input` of a user would do. Then, if there is
# one, import the previous generated package under another name and print its item types and
# their fields (what the change report compares with).
_PROGRAM = """
import importlib, importlib.abc, importlib.util, json, sys, typing

class Files(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    \"\"\"Serve the package `name` from {relative path: source}; frames are named name/path.\"\"\"

    def __init__(self, name, files):
        self.name, self.files = name, files

    def _path(self, fullname):
        if fullname == self.name:
            return "__init__.py"
        if not fullname.startswith(self.name + "."):
            return None
        sub = fullname[len(self.name) + 1 :].replace(".", "/")
        for path in (f"{sub}/__init__.py", f"{sub}.py"):
            if path in self.files:
                return path
        return None

    def find_spec(self, fullname, path=None, target=None):
        rel = self._path(fullname)
        if rel is None:
            return None
        package = rel.endswith("__init__.py")
        return importlib.util.spec_from_loader(fullname, self, is_package=package)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        rel = self._path(module.__name__)
        exec(compile(self.files[rel], f"{self.name}/{rel}", "exec"), module.__dict__)

def load(name, path):
    spec = importlib.util.spec_from_file_location(
        name, f"{path}/__init__.py", submodule_search_locations=[path]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)

def tags(annotation):
    if typing.get_origin(annotation) is typing.Literal:
        return [a for a in typing.get_args(annotation) if isinstance(a, str)]
    return [t for a in typing.get_args(annotation) for t in tags(a)]

def items(package, union):
    found = {}
    members = typing.get_args(typing.get_args(getattr(package, union))[0])
    for member in members:
        cls = typing.get_args(member)[0]
        fields = getattr(cls, "model_fields", None)
        if fields is None or "type" not in fields:
            continue
        for tag in tags(fields["type"].annotation):
            found.setdefault(tag, set()).update(f.alias or n for n, f in fields.items())
    return {tag: sorted(names) for tag, names in sorted(found.items())}

new_name, old_name, previous = sys.argv[1:4]
sys.meta_path.insert(0, Files(new_name, json.load(sys.stdin)))
o = importlib.import_module(f"{new_name}.outputs")
i = importlib.import_module(f"{new_name}.inputs")
for name in ("events", "registry", "replay"):
    importlib.import_module(f"{new_name}.{name}")
o.OutputItemListAdapter.validate_python([])
i.InputItemListAdapter.validate_python([])
if previous:
    try:
        load(old_name, previous)
        po = importlib.import_module(f"{old_name}.outputs")
        pi = importlib.import_module(f"{old_name}.inputs")
        state = {"input": items(pi, "InputItem"), "output": items(po, "OutputItem")}
    except Exception as exc:  # an unreadable previous package: no report, never a failed regen
        state = {"error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(state))
"""

_FRAME = re.compile(r'File "([^"]+)", line (\d+)')


def import_check(files: dict[str, str], previous: Path | None = None) -> Items | None:
    """Raise CodegenError if the generated package does not import and build in a new interpreter.

    With `previous` (the generated package about to be replaced), return its item types and
    their fields, read from its own classes (None when it is absent or unreadable).
    """
    old = str(previous) if previous is not None and (previous / "outputs").is_dir() else ""
    proc = subprocess.run(
        [sys.executable, "-c", _PROGRAM, _PACKAGE, _PREVIOUS, old],
        input=json.dumps(files),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode == 0:
        if not old:
            return None
        state: Items = json.loads(proc.stdout.strip().splitlines()[-1])
        return None if "error" in state else state
    where, place = "generated code", ""
    for path, line in _FRAME.findall(proc.stderr):
        if path.startswith(f"{_PACKAGE}/"):
            where = f"_generated/{path.removeprefix(f'{_PACKAGE}/')}"
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
