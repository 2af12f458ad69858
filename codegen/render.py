"""Render a view: datamodel-code-generator for the models (`dmcg.py`), jinja2 for everything else.

Returns file texts keyed by path relative to the package; nothing here writes into the project.
"""

from __future__ import annotations

import keyword
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import jinja2

from . import tables
from .apply import output_only_fields, top_fields
from .dmcg import module_of, run_dmcg
from .errors import CodegenError
from .overlay import Overlay
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


def template(name: str) -> jinja2.Template:
    return _env.get_template(name)


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


def render_registry(
    overlay: Overlay,
    out_view: View,
    in_view: View,
    header: str,
    top_keys: tuple[list[str], list[str]] = ([], []),
) -> str:
    """The replay rules as Python tables (jinja2), derived from the overlay and both views;
    `top_keys`: the request's parameters and a response's keys (`select.object_keys`)."""
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
        "request_params": sorted(top_keys[0]),
        "response_only": sorted(set(top_keys[1]) - set(top_keys[0])),
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
        "keywords": frozenset(keyword.kwlist),
    }
    return template("replay.py.jinja").render(ctx)
