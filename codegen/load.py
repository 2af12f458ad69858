"""Load YAML (the spec, the overlay) with the C loader, and errors that name the line."""

from __future__ import annotations

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
