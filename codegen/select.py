"""Select the schemas reachable from the item unions: the only part of the spec we generate."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .errors import CodegenError

REF_PREFIX = "#/components/schemas/"


def iter_refs(node: Any) -> Iterator[str]:
    """Yield the schema names that `node` refers to with `$ref`, depth first."""
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            ref = cur.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(cur.values())
        elif isinstance(cur, list):
            stack.extend(cur)


def ref_name(ref: str, origin: str, where: str) -> str:
    """The schema name of a local `$ref`; anything else is an error naming where it was found."""
    if not ref.startswith(REF_PREFIX):
        raise CodegenError(origin, where, f"unsupported $ref {ref!r} (only {REF_PREFIX}<name>)")
    return ref[len(REF_PREFIX) :]


def reachable(schemas: dict[str, Any], roots: Iterable[str], origin: str) -> list[str]:
    """Names of the schemas reachable from `roots`, sorted; an unresolvable $ref is an error."""
    seen: set[str] = set()
    todo = [(r, "roots") for r in roots]
    while todo:
        name, where = todo.pop()
        if name in seen:
            continue
        if name not in schemas:
            raise CodegenError(origin, where, f"unresolvable $ref: no schema named {name!r}")
        seen.add(name)
        for ref in iter_refs(schemas[name]):
            target = ref_name(ref, origin, f"components.schemas.{name}")
            if target not in seen:
                todo.append((target, f"components.schemas.{name} ($ref {ref})"))
    return sorted(seen)
