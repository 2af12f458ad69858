"""Render a view: datamodel-code-generator for the models, jinja2 for everything else.

Returns file texts keyed by path relative to the package; nothing here writes into the project.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from . import tables
from .apply import output_only_fields, top_fields
from .errors import CodegenError
from .load import cached
from .overlay import Overlay
from .select import REF_PREFIX, Schemas
from .source import sha256_of
from .typeddicts import TypedDictSet
from .views import View

TEMPLATES = Path(__file__).resolve().parent / "templates"

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES)),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)

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


def template(name: str) -> jinja2.Template:
    return _env.get_template(name)


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


def render_views(views: list[View], header: str) -> dict[str, str]:
    """Both views' packages; datamodel-code-generator runs on each view in its own process
    (forked: the two runs share nothing and this machine has two cores)."""
    import datamodel_code_generator.parser.openapi  # noqa: F401  (imported once, before the fork)

    ctx = multiprocessing.get_context("fork") if os.name == "posix" else None
    if ctx is None or len(views) < 2:
        return {p: t for view in views for p, t in render_view(view, header).items()}
    with ProcessPoolExecutor(len(views), mp_context=ctx) as pool:
        parts = list(pool.map(render_view, views, [header] * len(views)))
    return {p: t for part in parts for p, t in part.items()}


def render_view(view: View, header: str) -> dict[str, str]:
    """The files of one view's package: the models (dmcg) and the union module (jinja2)."""
    modules = module_of(view)
    generated = run_dmcg(view, modules)
    pkg = f"{view.side}s"
    files = {
        f"{pkg}/{p}": f"{header}\n{t}" for p, t in generated.files.items() if p != "__init__.py"
    }
    mems = tables.members(view, modules)
    listings = {
        alias: (ms := tables.members(u, modules, shared_ok=True), tables.candidates(view, ms))
        for alias, u in view.extra_roots.items()
    }
    everything = [x for ms, _ in listings.values() for x in ms]
    for m in [*mems, *everything]:
        if m.module not in generated.classes.get(m.name, []):
            raise CodegenError(
                f"{view.side} view",
                m.name,
                "the item class was not generated under its schema name",
            )
    classes = tables.classes(generated.classes)
    context: dict[str, Any] = {
        "header": header,
        "side": view.side,
        "union_name": view.union.name,
        "members": mems,
        "modules": sorted({m.module for m in [*mems, *everything]}),
        "classes": classes,
        "public": tables.public(view, [*mems, *everything], classes),
        "candidates": tables.candidates(view, mems) if view.side == "input" else {},
        "untyped": tables.untyped(view, mems) if view.side == "input" else [],
        "listings": listings,
        "listing_only": sorted({m.tag for m in everything} - {m.tag for m in mems}),
    }
    files[f"{pkg}/__init__.py"] = template("union.py.jinja").render(context)
    return files


def render_registry(overlay: Overlay, out_view: View, in_view: View, header: str) -> str:
    """The replay rules as Python tables (jinja2), derived from the overlay and both views."""
    out_fields = top_fields(out_view)
    in_fields = {t: set(f) for t, f in top_fields(in_view).items()}
    output_only = output_only_fields(overlay, out_view, in_view)
    nested: dict[str, list[str]] = {}
    for rule in overlay.output_only:
        if "." in rule.path or "[]" in rule.path:
            nested.setdefault(rule.type, []).append(rule.path)
    never_null: dict[str, set[str]] = {}
    for tag, fields in in_fields.items():
        for n in overlay.refuse_null:
            if n.type in ("*", tag) and n.path in fields:
                never_null.setdefault(tag, set()).add(n.path)
    ctx = {
        "header": header,
        "output_only": sorted((t, sorted(f)) for t, f in output_only.items() if f),
        "nested_output_only": sorted((t, tuple(p)) for t, p in nested.items()),
        "never_null": sorted((t, sorted(f)) for t, f in never_null.items()),
        "input_fields": sorted((t, sorted(f)) for t, f in in_fields.items()),
        "refused_values": [
            {"type": r.type, "path": r.path, "refused": f"frozenset({sorted(r.values)!r})" if r.values else "None",
             "decision": r.decision, "to": repr(r.to), "why": repr(r.why)}
            for r in overlay.refused_values if r.type in out_fields
        ],
        "prefixes": sorted((t, tuple(p)) for t, p in overlay.ids.prefixes.items()),
        "hosted": sorted(overlay.ids.hosted),
        "calls": sorted(overlay.calls.pairs.items()),
        "must_answer": sorted(t for t, c in overlay.calls.pairs.items() if c.must_answer),
        "call_nouns": sorted((t, t.replace("_", " ")) for t in overlay.calls.pairs),
        "keeps_id": sorted(_keeps_id(overlay, in_view)),
    }  # fmt: skip
    return template("registry.py.jinja").render(ctx)


def _keeps_id(overlay: Overlay, in_view: View) -> set[str]:
    """Item types whose id may not be stripped (R10, a required `id`, `id` as a pairing key)."""
    keep = set(overlay.ids.hosted)
    for member in in_view.union.members:
        if "id" in (in_view.schemas[member].get("required") or []):
            keep.update(in_view.union.tags[member])
    for tag, c in overlay.calls.pairs.items():
        keep.update([tag] if c.call_key == "id" else [])
        keep.update([c.output] if c.output_key == "id" else [])
    return keep


def render_replay(overlay: Overlay, out_view: View, in_view: View, header: str) -> str:
    """Typed overloads (jinja2) binding each output class to its input class."""
    out_by_tag = {out_view.union.tags[m][0]: m for m in out_view.union.members}
    in_by_tag: dict[str, list[str]] = {}
    for m in in_view.union.members:
        in_by_tag.setdefault(in_view.union.tags[m][0], []).append(m)

    written = set(overlay.caller_written.types if overlay.caller_written else [])
    replay_as = {t: p.input for t, p in overlay.pairs.items() if p.input}
    # A type only listings return (not a response output) is replayed as its pair's input type,
    # or, caller-written, as the same type (`configuration_update` from a conversation listing).
    for union in out_view.extra_roots.values():
        for m in union.members:
            tag = union.tags[m][0]
            if tag in out_by_tag:
                continue
            in_tag = replay_as.get(tag) or (tag if tag in written else None)
            if in_tag in in_by_tag:
                out_by_tag[tag] = m
                replay_as.setdefault(tag, tag)

    def input_class(out_tag: str, in_tag: str) -> str:
        choices = in_by_tag[in_tag]
        pair = overlay.pairs.get(out_tag)
        if pair is not None and pair.input_schema:
            return pair.input_schema
        if out_by_tag.get(out_tag) in choices:
            return out_by_tag[out_tag]
        if len(choices) == 1:
            return choices[0]
        raise CodegenError(
            overlay.origin,
            f"pairs.{out_tag}",
            f"several input schemas tagged {in_tag!r}: name one in input_schema",
        )

    pairs = [
        {"tag": t, "output": out_by_tag[t], "input": input_class(t, p),
         "like": f"{out_by_tag[t]}Like", "any_input": " | ".join(f"i.{m}" for m in in_by_tag[p])}
        for t, p in sorted(replay_as.items())
        if t in out_by_tag
    ]  # fmt: skip
    dicts = TypedDictSet(in_view.schemas)
    calls = [
        {
            "tag": c,
            "call_out": out_by_tag[c],
            "call_in": input_class(c, c),
            "output_in": in_by_tag[cp.output][0],
            "payload": dicts.of_schema(in_by_tag[cp.output][0], frozenset({"type", cp.output_key})),
        }
        for c, cp in sorted(overlay.calls.pairs.items())
        if c in out_by_tag and cp.output in in_by_tag
    ]
    user_messages = [m for m in in_by_tag.get("message", []) if m not in out_by_tag.values()]
    replayed = {p.input for p in overlay.pairs.values()}
    caller_only = sorted(
        t for t in in_by_tag if (t not in replayed or t in written) and t != "item_reference"
    )
    new_items = [
        *user_messages,
        *(c["output_in"] for c in calls),
        *(in_by_tag[t][0] for t in caller_only),
    ]
    new_classes = sorted({in_view.union.tags[m][0]: m for m in reversed(new_items)}.items())
    easy = in_view.schemas.get(user_messages[0]) if user_messages else None
    content = (easy or {}).get("properties", {}).get("content")
    ctx = {
        "header": header,
        "pairs": pairs,
        "calls": calls,
        "new_items": new_items,
        "new_classes": new_classes,
        "call_items": [n for c in calls for n in (f"o.{c['call_out']}", f"i.{c['call_in']}")],
        "input_call_items": [f"i.{c['call_in']}" for c in calls],
        "new_item_names": [f"i.{m}" for m in new_items],
        "references": in_by_tag.get("item_reference", []),
        "reference_names": [f"i.{m}" for m in in_by_tag.get("item_reference", [])],
        "user_content": dicts.type_of(content, 0) if content else "str",
        "typed_dicts": dicts.classes,
    }
    return template("replay.py.jinja").render(ctx)
