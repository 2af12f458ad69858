"""Render a view: datamodel-code-generator for the models, jinja2 for everything else.

Returns file texts keyed by path relative to the package; nothing here writes into the project.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import jinja2

from . import tables
from .errors import CodegenError
from .normalise import Schemas
from .overlay import Overlay
from .select import REF_PREFIX
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

DMCG_ARGS = [
    "--input-file-type", "openapi",
    "--output-model-type", "pydantic_v2.BaseModel",
    "--target-python-version", "3.11",
    "--target-pydantic-version", "2.14",
    "--use-missing-sentinel",
    "--use-annotated",
    "--use-union-operator",
    "--use-standard-collections",
    "--enum-field-as-literal", "all",
    "--field-constraints",
    "--collapse-root-models",
    "--use-type-alias",
    "--use-field-description",
    "--use-schema-description",
    "--use-double-quotes",
    "--disable-timestamp",
    "--formatters", "ruff-format",
    "--capitalise-enum-members",
    "--treat-dot-as-module",
    "--disable-future-imports",
]  # fmt: skip


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


def run_dmcg(view: View, modules: dict[str, str]) -> dict[str, str]:
    """Run datamodel-code-generator on one view; return {relative path: text}."""
    names = {n: f"{modules[n]}.{n}" for n in view.schemas}
    schemas: Schemas = {names[n]: _rename_refs(s, names) for n, s in sorted(view.schemas.items())}
    doc = {
        "openapi": "3.1.0",
        "info": {"title": f"responses-replay {view.side} view", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{view.side}.json"
        src.write_text(json.dumps(doc, indent=1, sort_keys=False), encoding="utf-8")
        out = Path(tmp) / "out"
        cmd = [
            sys.executable, "-m", "datamodel_code_generator",
            "--input", str(src), "--output", str(out),
            "--base-class", BASE_CLASS[view.side],
            *DMCG_ARGS,
        ]  # fmt: skip
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise CodegenError(
                f"{view.side} view", "datamodel-code-generator", proc.stderr.strip()[-2000:]
            )
        files = {}
        for path in sorted(out.rglob("*.py")):
            files[path.relative_to(out).as_posix()] = path.read_text(encoding="utf-8")
    return files


def dmcg_version() -> str:
    from importlib.metadata import version

    return version("datamodel-code-generator")


def _strip_dmcg_header(text: str) -> str:
    lines = text.splitlines(keepends=True)
    while lines and (
        lines[0].startswith("# generated by datamodel-codegen") or lines[0].startswith("#   ")
    ):
        lines.pop(0)
    return "".join(lines).lstrip("\n")


_EAGER_REBUILD = re.compile(r"^\n*[A-Za-z_][A-Za-z0-9_]*\.model_rebuild\(\)\n", re.MULTILINE)


def _strip_eager_rebuilds(text: str) -> str:
    """Drop datamodel-code-generator's module-level `X.model_rebuild()` calls.

    Our models are `defer_build`: pydantic resolves their forward references (by name, in the
    class's own module) when a model is first used. An explicit rebuild at import time builds
    that model's whole validator instead: about 25 ms of `import responses_replay` for the
    tool definitions alone (measured with `make bench`), for items most programs never see.
    """
    return _EAGER_REBUILD.sub("", text)


def render_view(view: View, header: str) -> dict[str, str]:
    """The files of one view's package: the models (dmcg) and the union module (jinja2)."""
    modules = module_of(view)
    raw = run_dmcg(view, modules)
    pkg = f"{view.side}s"
    files = {
        f"{pkg}/{p}": f"{header}\n{_strip_eager_rebuilds(_strip_dmcg_header(t))}"
        for p, t in raw.items()
        if p != "__init__.py"
    }
    mems = tables.members(view, modules)
    listings = {
        alias: (ms := tables.members(u, modules, shared_ok=True), tables.candidates(view, ms))
        for alias, u in view.extra_roots.items()
    }
    for m in [*mems, *(x for ms, _ in listings.values() for x in ms)]:
        if f"class {m.name}(" not in raw.get(f"{m.module}.py", ""):
            raise CodegenError(
                f"{view.side} view",
                m.name,
                "the item class was not generated under its schema name",
            )
    context: dict[str, Any] = {
        "header": header,
        "side": view.side,
        "union_name": view.union.name,
        "members": mems,
        "modules": sorted({m.module for m in mems}),
        "classes": tables.classes(raw),
        "candidates": tables.candidates(view, mems) if view.side == "input" else {},
        "untyped": tables.untyped(view, mems) if view.side == "input" else [],
        "listings": listings,
    }
    files[f"{pkg}/__init__.py"] = template("union.py.jinja").render(context)
    return files


def render_registry(overlay: Overlay, out_view: View, in_view: View, header: str) -> str:
    """The replay rules as Python tables (jinja2), derived from the overlay and both views."""
    out_fields = {t: set(f) for t, f in _top_fields(out_view).items()}
    in_fields = {t: set(f) for t, f in _top_fields(in_view).items()}
    output_only: dict[str, set[str]] = {}
    for tag, pair in overlay.pairs.items():
        if tag in out_fields and pair.input in in_fields:
            output_only[tag] = out_fields[tag] - in_fields[pair.input]
    nested: dict[str, list[str]] = {}
    for rule in overlay.output_only:
        if "." in rule.path or "[]" in rule.path:
            nested.setdefault(rule.type, []).append(rule.path)
        elif rule.type in output_only:
            output_only[rule.type].add(rule.path)
    never_null: dict[str, set[str]] = {}
    for tag, fields in in_fields.items():
        for n in overlay.refuse_null:
            if n.type in ("*", tag) and n.path in fields:
                never_null.setdefault(tag, set()).add(n.path)
    ctx = {
        "header": header,
        "pairs": sorted((t, p.input) for t, p in overlay.pairs.items() if t in out_fields),
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


def _top_fields(view: View) -> dict[str, list[str]]:
    out: dict[str, set[str]] = {}
    for member in view.union.members:
        for tag in view.union.tags[member]:
            out.setdefault(tag, set()).update(view.schemas[member].get("properties") or {})
    return {t: sorted(f) for t, f in out.items()}


def render_replay(overlay: Overlay, out_view: View, in_view: View, header: str) -> str:
    """Typed overloads (jinja2) binding each output class to its input class."""
    out_by_tag = {out_view.union.tags[m][0]: m for m in out_view.union.members}
    in_by_tag: dict[str, list[str]] = {}
    for m in in_view.union.members:
        in_by_tag.setdefault(in_view.union.tags[m][0], []).append(m)

    def input_class(out_tag: str, in_tag: str) -> str:
        choices = in_by_tag[in_tag]
        pair = overlay.pairs[out_tag]
        if pair.input_schema:
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
        {"tag": t, "output": out_by_tag[t], "input": input_class(t, p.input),
         "like": f"{out_by_tag[t]}Like", "any_input": " | ".join(f"i.{m}" for m in in_by_tag[p.input])}
        for t, p in sorted(overlay.pairs.items())
        if p.input and t in out_by_tag
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
    caller_only = sorted(t for t in in_by_tag if t not in replayed and t != "item_reference")
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


_JSON_TYPES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def _py_type(prop: Any) -> str:
    """A Python type for a simple event property (the items and the response are named)."""
    if not isinstance(prop, dict):
        return "Any"
    ref = prop.get("$ref", "")
    if ref.endswith("/OutputItem"):
        return "OutputItem"
    if ref.endswith("/Response"):
        return "StreamResponse"
    branches = prop.get("anyOf") or prop.get("oneOf")
    if branches:
        types = list(dict.fromkeys(_py_type(b) for b in branches))
        return " | ".join(types)
    t = prop.get("type")
    if t == "null":
        return "None"
    if isinstance(t, str) and t in _JSON_TYPES:
        return _JSON_TYPES[t] + (" | None" if prop.get("nullable") else "")
    return "Any"


def render_events(events: dict[str, Any], header: str) -> str:
    """Stream event models (jinja2): the events that carry items or end a response."""
    models = []
    for name, schema in events.items():
        props = schema.get("properties") or {}
        tag = (props.get("type") or {}).get("enum", [None])[0]
        if not isinstance(tag, str):
            raise CodegenError("spec", f"components.schemas.{name}", "event without a `type` enum")
        required = set(schema.get("required") or [])
        fields = [
            {"name": k, "type": _py_type(v), "required": k in required}
            for k, v in props.items()
            if k != "type"
        ]
        models.append(
            {
                "name": name,
                "tag": tag,
                "fields": fields,
                "doc": (schema.get("description") or name).strip().splitlines()[0],
            }
        )
    return template("events.py.jinja").render({"header": header, "models": models})
