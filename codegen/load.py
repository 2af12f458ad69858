"""Load YAML (the spec, the overlay) with the C loader, and errors that name the line."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

from .errors import CodegenError

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(data: bytes | str, origin: str) -> Any:
    """Parse YAML text; a syntax error names the file, line and column."""
    try:
        return yaml.load(data, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise CodegenError(origin, place, f"invalid YAML: {exc.problem}") from exc
    except yaml.YAMLError as exc:
        raise CodegenError(origin, "", f"invalid YAML: {exc}") from exc


def load_spec(data: bytes, origin: str) -> dict[str, Any]:
    """Parse an OpenAPI document and check it has the parts the generator reads."""
    doc = load_yaml(data, origin)
    if not isinstance(doc, dict):
        raise CodegenError(origin, "", "not an OpenAPI document (expected a mapping)")
    schemas = (
        doc.get("components", {}).get("schemas")
        if isinstance(doc.get("components"), dict)
        else None
    )
    if not isinstance(schemas, dict):
        raise CodegenError(origin, "components.schemas", "missing: not an OpenAPI document")
    return doc


#: Results that take seconds to make and are a pure function of their input, under the git-ignored
#: spec/cache: the parsed spec (by the sha256 of its bytes; parsing 3 MB of YAML takes ~2 s,
#: unpickling it ~50 ms) and datamodel-code-generator's output (by the sha256 of its whole input).
#: A changed input has another key: an entry is never stale. `CODEGEN_CACHE=off` turns it off.
CACHE_DIR = Path(__file__).resolve().parent.parent / "spec" / "cache"

T = TypeVar("T")


def cache_dir() -> Path | None:
    """Where results are cached, or None when `CODEGEN_CACHE=off`."""
    return None if os.environ.get("CODEGEN_CACHE", "").lower() in ("off", "0", "no") else CACHE_DIR


def cached(key: str, make: Callable[[], T], check: Callable[[Any], bool]) -> T:
    """`make()`, remembered under `key` (written by this module only; `check` vets what is read)."""
    cache = cache_dir()
    if cache is None:
        return make()
    path = cache / f"{key}.pickle"
    try:
        with path.open("rb") as f:
            value = pickle.load(f)
        if check(value):
            return value  # type: ignore[no-any-return]
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        pass
    value = make()
    try:
        cache.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)
    except OSError:
        pass  # a read-only checkout generates without the cache
    return value


def load_spec_cached(data: bytes, origin: str, sha256: str) -> Any:
    """`load_spec`, remembered by the sha256 of the spec's bytes."""
    return cached(
        f"parsed-{sha256}-yaml{yaml.__version__}",
        lambda: load_spec(data, origin),
        lambda doc: isinstance(doc, dict),
    )
