"""TypedDicts for what a caller writes by hand (a tool output's payload, message content parts).

Derived from the input view's JSON schemas, so that `tool_output(call, outptu=...)` or
`output={"temp": 18}` is a mypy error. Objects nested deeper than `depth` are typed
`Mapping[str, Any]`; a `$ref`'d object also accepts a model instance (`InputModel`, or an
`OutputModel` read from a response: `acknowledged_safety_checks=call.pending_safety_checks`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}
_REF = "#/components/schemas/"


@dataclass
class TypedDictSet:
    """The TypedDicts rendered so far ({class name: [(field, type, required)]}), in order."""

    schemas: dict[str, Any]
    depth: int = 2
    classes: dict[str, list[tuple[str, str, bool]]] = field(default_factory=dict)

    def of_schema(self, name: str, skip: frozenset[str] = frozenset(), level: int = 0) -> str:
        """A TypedDict named after schema `name` (without the `skip` keys); returns its name."""
        cls = f"{name}Dict" if not skip else f"{name}Fields"
        if cls in self.classes:
            return cls
        self.classes[cls] = []  # reserved first: a recursive schema refers to itself by name
        schema = self.schemas[name]
        required = set(schema.get("required") or [])
        self.classes[cls] = [
            (key, self.type_of(prop, level + 1), key in required)
            for key, prop in (schema.get("properties") or {}).items()
            if key not in skip
        ]
        return cls

    def type_of(self, node: Any, level: int) -> str:
        """The Python type a caller may write for a JSON schema node."""
        if not isinstance(node, dict):
            return "Any"
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF):
            target = ref[len(_REF) :]
            schema = self.schemas.get(target) or {}
            if "properties" in schema and level < self.depth:
                return f"{self.of_schema(target, level=level)} | InputModel | OutputModel"
            if "properties" in schema:
                return "Mapping[str, Any] | InputModel | OutputModel"
            return self.type_of(schema, level)
        branches = node.get("anyOf") or node.get("oneOf")
        if isinstance(branches, list):
            return _union(self.type_of(b, level) for b in branches)
        enum = node.get("enum")
        if isinstance(enum, list) and enum and all(isinstance(v, str) for v in enum):
            return "Literal[" + ", ".join(repr(v) for v in enum) + "]"
        kind = node.get("type")
        if kind == "array":
            return f"Sequence[{self.type_of(node.get('items'), level)}]"
        if kind == "object" or "properties" in node:
            return "Mapping[str, Any]"
        if isinstance(kind, list):
            return _union(_SCALARS.get(str(k), "Any") for k in kind)
        if isinstance(kind, str) and kind in _SCALARS:
            return _SCALARS[kind] + (" | None" if node.get("nullable") else "")
        return "Any"


def _top_level(type_: str) -> list[str]:
    """`A | Sequence[B | C]` -> ["A", "Sequence[B | C]"]."""
    out, depth, start = [], 0, 0
    for n, ch in enumerate(type_):
        depth += {"[": 1, "]": -1}.get(ch, 0)
        if depth == 0 and type_.startswith(" | ", n):
            out.append(type_[start:n])
            start = n + 3
    return [*out, type_[start:]]


def _union(parts: Any) -> str:
    seen = list(dict.fromkeys(p for part in parts for p in _top_level(part)))
    if "Any" in seen:
        return "Any"
    return " | ".join(seen)
