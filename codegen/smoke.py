"""Import the generated package, and the runtime with it, before it replaces the committed one.

The generated modules carry evaluated annotations (no `from __future__ import annotations`, for
import speed), so a class used before its definition is a NameError at import time, and a forward
reference pydantic cannot resolve fails only when a validator is first built. Both would otherwise
surface later as a confusing test failure; here they stop regen, naming the module and line, with
nothing written.

Nothing is written for this either: the files go to the fresh interpreter on stdin, and an import
hook there, placed before the normal ones, serves them as `responses_replay._generated`. So the
runtime, imported next, sees the NEW package, not the committed one: a change to a template and
to the runtime code that uses what it generates is checked together (the runtime importing the
committed package instead is how such a change used to stop regen with a circular ImportError).
The generated package is imported first, under the runtime package without its `__init__` run, so
that a fault in it is reported as one, and a runtime that does not import with it names the
runtime module and line.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from .errors import CodegenError
from .report import Items

_RUNTIME = "responses_replay"
_PACKAGE = f"{_RUNTIME}._generated"
_PREVIOUS = "_regen_previous"
_FRAMES = "<regen>/_generated"  # how the new files' frames are named: <regen>/_generated/<path>

#: the import hook (`Files`) and `load`, also run by `checker_schema` (exec'd there)
FINDER = """
import importlib, importlib.abc, importlib.util, linecache, sys

class Files(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    \"\"\"Serve the package `name` from {relative path: source}; frames are named frames/path.\"\"\"

    def __init__(self, name, frames, files):
        self.name, self.frames, self.files = name, frames, files

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
        origin = f"{self.frames}/{rel}"
        return importlib.util.spec_from_loader(fullname, self, origin=origin, is_package=package)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        rel = self._path(module.__name__)
        source, filename = self.files[rel], f"{self.frames}/{rel}"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), module.__dict__)

def load(name, path):
    spec = importlib.util.spec_from_file_location(
        name, f"{path}/__init__.py", submodule_search_locations=[path]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
"""

# Make the runtime package importable without running its `__init__`, serve the new files as its
# `_generated`, import them all, then build both item unions' validators (which resolves every
# forward reference): what the first `parse_response` or `to_input` of a user would do. Then, if
# asked, run the runtime's `__init__` and import each of its modules that names the generated
# package (the others reach it only through those): they now import the new package. Then, if there is one, import the previous generated package under another name and
# print its item types and their fields (what the change report compares with).
_PROGRAM = (
    FINDER
    + """
import json, pkgutil, sys, typing

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

runtime_name, new_name, frames, old_name, previous, with_runtime = sys.argv[1:7]
runtime_spec = importlib.util.find_spec(runtime_name)
runtime = importlib.util.module_from_spec(runtime_spec)
sys.modules[runtime_name] = runtime  # its `__init__` runs later, once the new package imports
print(f"{RUNTIME_AT}{runtime.__path__[0]}", file=sys.stderr)  # whose frames are the runtime's
sys.meta_path.insert(0, Files(new_name, frames, json.load(sys.stdin)))
o = importlib.import_module(f"{new_name}.outputs")
i = importlib.import_module(f"{new_name}.inputs")
for name in ("registry", "replay"):
    importlib.import_module(f"{new_name}.{name}")
o.OutputItemListAdapter.validate_python([])
i.InputItemListAdapter.validate_python([])
if with_runtime:
    print(RUNTIME_STAGE, file=sys.stderr)  # from here on, a fault is the runtime's
    runtime_spec.loader.exec_module(runtime)
    for module in pkgutil.walk_packages(runtime.__path__, f"{runtime_name}."):
        spec = importlib.util.find_spec(module.name)
        if module.name.startswith(new_name) or spec is None or spec.origin is None:
            continue
        with open(spec.origin, encoding="utf-8") as source:
            if "_generated" not in source.read():
                continue  # it sees the generated package only through the modules checked here
        try:
            importlib.import_module(module.name)
        except ModuleNotFoundError as exc:  # an optional dependency (openai, typer) is absent
            if (exc.name or "").split(".")[0] == runtime_name:
                raise
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
)

_FRAME = re.compile(r'File "([^"]+)", line (\d+)')
_RUNTIME_AT = "runtime at "
_RUNTIME_STAGE = "importing the runtime"
_PROGRAM = f"RUNTIME_AT, RUNTIME_STAGE = {_RUNTIME_AT!r}, {_RUNTIME_STAGE!r}\n{_PROGRAM}"


def import_check(
    files: dict[str, str], previous: Path | None = None, runtime: bool = True
) -> Items | None:
    """Raise CodegenError if the generated package does not import and build in a new interpreter.

    With `runtime`, the runtime (`responses_replay`, as this interpreter finds it) is imported on
    top of the new package, each module of it that names the generated package, and must import. With `previous` (the
    generated package about to be replaced), return its item types and their fields, read from
    its own classes (None when it is absent or unreadable).
    """
    old = str(previous) if previous is not None and (previous / "outputs").is_dir() else ""
    args = [_RUNTIME, _PACKAGE, _FRAMES, _PREVIOUS, old, "1" if runtime else ""]
    proc = subprocess.run(
        [sys.executable, "-c", _PROGRAM, *args],
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
    where, place, whose = "generated code", "", "the generated package does not import or build"
    home = next(
        (
            Path(line[len(_RUNTIME_AT) :])
            for line in proc.stderr.splitlines()[:1]
            if line.startswith(_RUNTIME_AT)
        ),
        None,
    )
    if _RUNTIME_STAGE not in proc.stderr.splitlines():
        home = None  # the new package itself failed: its frames are the ones to name
    for path, line in _FRAME.findall(proc.stderr):
        if path.startswith(f"{_FRAMES}/"):
            where, place = path.removeprefix("<regen>/"), f"line {line}"
            whose = "the generated package does not import or build"
        elif home is not None and Path(path).is_relative_to(home):
            where, place = f"{_RUNTIME}/{Path(path).relative_to(home).as_posix()}", f"line {line}"
            whose = "the runtime does not import with the new generated package"
    fix = (
        "fix the overlay or the generator"
        if whose.startswith("the generated")
        else "change the runtime with the generator"
    )
    raise CodegenError(
        where,
        place,
        f"{whose}: {_exception(proc.stderr)} (nothing was written; {fix})",
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
