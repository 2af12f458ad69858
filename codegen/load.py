"""Load YAML (the spec, the overlay) with the C loader, and errors that name the line."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

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


#: Parsed specs, by the sha256 of their bytes: parsing 3 MB of YAML takes ~2 s, unpickling it
#: ~50 ms. Written by this module only, under the git-ignored spec/cache.
CACHE_DIR = Path(__file__).resolve().parent.parent / "spec" / "cache"


def load_spec_cached(data: bytes, origin: str, sha256: str, cache: Path | None = CACHE_DIR) -> Any:
    """`load_spec`, remembered by sha256 (a changed spec has another sha256: never stale)."""
    if cache is None:
        return load_spec(data, origin)
    path = cache / f"parsed-{sha256}-yaml{yaml.__version__}.pickle"
    try:
        with path.open("rb") as f:
            doc = pickle.load(f)
        if isinstance(doc, dict):
            return doc
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    doc = load_spec(data, origin)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)
    except OSError:
        pass  # a read-only checkout regenerates without the cache
    return doc
