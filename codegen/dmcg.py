"""datamodel-code-generator on one view, in memory: the Pydantic models of its schemas, each schema
placed in a module (its item's, or `common`), its output cached by the sha256 of all it reads."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .errors import CodegenError
from .load import cached
from .select import REF_PREFIX, Schemas
from .source import sha256_of
from .views import View

BASE_CLASS = {
    "output": "responses_replay._base.OutputModel",
    "input": "responses_replay._base.InputModel",
}

#: datamodel-code-generator's parser options (the command line's flags of the same names).
#: No formatting and no module-level `X.model_rebuild()` calls: the format stage runs ruff once
#: over everything generated, and our models are `defer_build` (pydantic resolves forward
#: references by name when a model is first used; an eager rebuild at import time would build
#: whole validators for items most programs never see).
DMCG_OPTIONS: dict[str, Any] = {
    "use_missing_sentinel": True,
    "use_annotated": True,
    "use_union_operator": True,
    "use_standard_collections": True,
    "enum_field_as_literal": "all",
    "field_constraints": True,
    "collapse_root_models": True,
    "use_field_description": True,
    "use_schema_description": True,
    "use_double_quotes": True,
    "capitalise_enum_members": True,
    "treat_dot_as_module": True,
}

#: The input side's scalars are strict, as the API's validator is: `"5"` for an integer is
#: `Invalid type for '...': expected an integer, but got a string instead.` (code `invalid_type`),
#: and `true` is not `"true"`. pydantic's lax mode would accept (and convert) both. An integer
#: is still accepted for a number. The output side stays lax: it reads what the API sent.
INPUT_STRICT = ("int", "float", "bool")


@dataclass(frozen=True)
class Generated:
    """What datamodel-code-generator made of one view: module texts and the classes it defined."""

    files: dict[str, str]  # relative path -> text
    classes: dict[str, list[str]]  # class name -> modules defining it (models, not aliases)


def module_of(view: View) -> dict[str, str]:
    """Module for each schema: its item's tag when one item owns it, else `common`.

    Anything reached from a shared schema is shared too, so item modules import only from
    `common` and never from each other: no import cycles.
    """
    owners: dict[str, set[str]] = {n: set() for n in view.schemas}
    tags = {m: t for u in [view.union, *view.extra_roots.values()] for m, t in u.tags.items()}
    for member in tags:
        tag = tags[member][0]
        stack = [member]
        seen: set[str] = set()
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            owners[n].add(tag)
            for ref in _refs(view.schemas[n]):
                stack.append(ref)
    out = {}
    for n, owned in owners.items():
        out[n] = next(iter(owned)) if len(owned) == 1 else "common"
    return out


def _refs(node: Any) -> list[str]:
    out: list[str] = []
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            ref = cur.get("$ref")
            if isinstance(ref, str) and ref.startswith(REF_PREFIX):
                out.append(ref[len(REF_PREFIX) :])
            stack.extend(cur.values())
        elif isinstance(cur, list):
            stack.extend(cur)
    return out


def _rename_refs(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {k: _rename_refs(v, names) for k, v in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF_PREFIX):
            out["$ref"] = REF_PREFIX + names[ref[len(REF_PREFIX) :]]
        disc = out.get("discriminator")
        if isinstance(disc, dict) and isinstance(disc.get("mapping"), dict):
            disc["mapping"] = {
                k: REF_PREFIX + names[v[len(REF_PREFIX) :]] for k, v in disc["mapping"].items()
            }
        return out
    if isinstance(node, list):
        return [_rename_refs(v, names) for v in node]
    return node


def run_dmcg(view: View, modules: dict[str, str]) -> Generated:
    """datamodel-code-generator's OpenAPI parser on one view, in memory (its output is cached by
    the sha256 of everything it reads: the view's document, the options, its version)."""
    names = {n: f"{modules[n]}.{n}" for n in view.schemas}
    schemas: Schemas = {names[n]: _rename_refs(s, names) for n, s in sorted(view.schemas.items())}
    doc = {
        "openapi": "3.1.0",
        "info": {"title": f"responses-replay {view.side} view", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    text = json.dumps(doc)
    base = BASE_CLASS[view.side]
    key = sha256_of(
        json.dumps([text, base, _options(view.side), dmcg_version()], default=str).encode()
    )
    return cached(
        f"dmcg-{key}", lambda: _parse(text, base, view.side), lambda v: isinstance(v, Generated)
    )


def _options(side: str) -> dict[str, Any]:
    """datamodel-code-generator's options for one side (strict scalars on the input side)."""
    if side != "input":
        return DMCG_OPTIONS
    from datamodel_code_generator.enums import StrictTypes

    return {**DMCG_OPTIONS, "strict_types": [StrictTypes(t) for t in INPUT_STRICT]}


def _parse(text: str, base: str, side: str) -> Generated:
    from datamodel_code_generator import Error, PythonVersion
    from datamodel_code_generator.enums import DataModelType, TargetPydanticVersion
    from datamodel_code_generator.model import get_data_model_types
    from datamodel_code_generator.parser.openapi import OpenAPIParser

    pydantic = TargetPydanticVersion("2.14")
    types = get_data_model_types(
        DataModelType.PydanticV2BaseModel,
        PythonVersion.PY_311,
        use_type_alias=True,
        target_pydantic_version=pydantic,
    )
    try:
        parser = OpenAPIParser(
            text,
            data_model_type=types.data_model,
            data_model_root_type=types.root_model,
            data_model_field_type=types.field_model,
            data_type_manager_type=types.data_type_manager,
            dump_resolve_reference_action=None,
            base_class=base,
            target_python_version=PythonVersion.PY_311,
            target_pydantic_version=pydantic,
            **_options(side),
        )
        modules_out = parser.parse(format_=False, disable_future_imports=True)
    except Error as exc:
        raise CodegenError(f"{side} view", "datamodel-code-generator", str(exc)) from exc
    if not isinstance(modules_out, dict):
        raise CodegenError(f"{side} view", "datamodel-code-generator", "expected modules")
    files = {f"{'/'.join(path)}": result.body for path, result in sorted(modules_out.items())}
    classes: dict[str, list[str]] = {}
    for model in parser.results:
        if not model.is_alias:
            classes.setdefault(model.class_name, []).append(model.module_name)
    return Generated(files, classes)


def dmcg_version() -> str:
    from importlib.metadata import version

    return version("datamodel-code-generator")
