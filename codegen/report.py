"""What changed for item types between two generations: the report `make regen` prints.

The previous state is read from the previous generated package itself (its item classes, imported
in a fresh interpreter by `smoke.py`), so nothing extra is generated or shipped for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .load import load_spec_cached
from .overlay import Overlay
from .source import SpecBytes
from .views import Applied, View

if TYPE_CHECKING:
    from .pipeline import Result

#: side -> item type tag -> sorted field names
Items = dict[str, dict[str, list[str]]]


@dataclass
class ItemReport:
    added: dict[str, list[str]] = field(default_factory=dict)  # side -> tags
    removed: dict[str, list[str]] = field(default_factory=dict)
    fields_added: dict[str, dict[str, list[str]]] = field(
        default_factory=dict
    )  # side -> tag -> fields
    fields_removed: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.fields_added or self.fields_removed)


def view_items(view: View) -> dict[str, list[str]]:
    out: dict[str, set[str]] = {}
    for member in view.union.members:
        props = view.schemas[member].get("properties") or {}
        for tag in view.union.tags[member]:
            out.setdefault(tag, set()).update(props)
    return {tag: sorted(fields) for tag, fields in sorted(out.items())}


def result_items(result: Result) -> Items:
    return {"input": view_items(result.input), "output": view_items(result.output)}


def spec_items(spec: SpecBytes, overlay: Overlay) -> Items:
    """The item types and their fields of a spec, as the generator sees them (overlay applied)."""
    from .errors import Problems
    from .pipeline import build_views, select_and_normalise

    doc = load_spec_cached(spec.data, spec.origin, spec.sha256)
    sel = select_and_normalise(doc, overlay, spec.origin)
    out_view, in_view = build_views(sel, overlay, spec.origin, Applied(), Problems())
    return {"input": view_items(in_view), "output": view_items(out_view)}


def item_report(old: Items, new: Items) -> ItemReport:
    rep = ItemReport()
    for side in ("input", "output"):
        before, after = old.get(side, {}), new.get(side, {})
        if added := sorted(set(after) - set(before)):
            rep.added[side] = added
        if removed := sorted(set(before) - set(after)):
            rep.removed[side] = removed
        for tag in sorted(set(before) & set(after)):
            plus = sorted(set(after[tag]) - set(before[tag]))
            minus = sorted(set(before[tag]) - set(after[tag]))
            if plus:
                rep.fields_added.setdefault(side, {})[tag] = plus
            if minus:
                rep.fields_removed.setdefault(side, {})[tag] = minus
    return rep


def render_report(rep: ItemReport) -> str:
    if rep.empty:
        return "item types: no change"
    lines = ["item types changed:"]
    for side in ("output", "input"):
        for tag in rep.added.get(side, []):
            lines.append(f"  + {side} type {tag}")
        for tag in rep.removed.get(side, []):
            lines.append(f"  - {side} type {tag}")
        for tag, fields in rep.fields_added.get(side, {}).items():
            lines.append(f"  ~ {side} {tag}: new fields {', '.join(fields)}")
        for tag, fields in rep.fields_removed.get(side, {}).items():
            lines.append(f"  ~ {side} {tag}: removed fields {', '.join(fields)}")
    return "\n".join(lines)


def overlay_report(result: Result) -> list[str]:
    return list(result.applied.unmatched)
