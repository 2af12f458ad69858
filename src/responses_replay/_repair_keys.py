"""R1 repairs: the keys of one item the input side refuses (output-only, null, SDK-only, attribute
names, refused values), and the nested nulls only validation sees."""

from __future__ import annotations

import re
import types
import typing
from typing import TYPE_CHECKING, Any

from ._generated.inputs import member_class
from ._generated.registry import (
    INPUT_FIELDS,
    NESTED_OUTPUT_ONLY,
    NEVER_NULL,
    OUTPUT_OF,
    OUTPUT_ONLY,
    REFUSED_VALUES,
)
from ._kind import CALLER_ROLES, item_kind
from ._repair_base import RepairState, show

if TYPE_CHECKING:
    from . import Finding

#: Keys the `openai` SDK adds on the client side (`ParsedResponseFunctionToolCall.parsed_arguments`,
#: from `responses.parse()`); the API never sent them and refuses them back (R1).
SDK_ONLY = frozenset({"parsed_arguments"})

DROP_VALUES: dict[str, list[tuple[str, frozenset[str] | None, str]]] = {}
for _type, _field, _values, _decision, _to, _why in REFUSED_VALUES:
    if _decision == "drop":
        DROP_VALUES.setdefault(_type, []).append((_field, _values, _why))
_NO_KEYS: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
_PATH_STEP = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]")
_INDEX = re.compile(r"input\[(\d+)\]")


def _admits_none(tp: Any) -> bool:
    if tp is None or tp is type(None) or tp is Any:
        return True
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _admits_none(typing.get_args(tp)[0])
    if origin is typing.Union or origin is types.UnionType:
        return any(_admits_none(arg) for arg in typing.get_args(tp))
    return False


_NULLS: dict[object, tuple[frozenset[str], frozenset[str]]] = {}


def optional_keys(cls: type[Any] | None) -> tuple[frozenset[str], frozenset[str]]:
    """An Input model's top-level keys that may be left out: (all of them, those refusing null)."""
    known = _NULLS.get(cls)
    if known is None:
        fields = getattr(cls, "model_fields", {})
        optional = {f.alias or name: f for name, f in fields.items() if not f.is_required()}
        refusing = (k for k, f in optional.items() if not _admits_none(f.annotation))
        known = _NULLS[cls] = (frozenset(optional), frozenset(refusing))
    return known


def _dropped(
    kind: str, key: str, value: Any, optional: tuple[frozenset[str], frozenset[str]]
) -> str | None:
    """Why a top-level key of an item the input side knows is dropped (R1), or None: it stays.

    `optional`: the item's Input model's keys that may be left out, and those refusing null.
    """
    if key in INPUT_FIELDS[kind]:
        if value is not None or key not in optional[0]:
            return None  # a value, or a null on a required key: that one is for the caller (R13)
        if key in NEVER_NULL.get(kind, ()):
            return f"a {kind} never carries a null {key}"
        if key in optional[1]:
            return f"the input side of a {kind} refuses a null {key}"
        return "null on an optional key: the same as leaving it out"
    if key in OUTPUT_ONLY.get(kind, ()):
        return f"output-only on a {kind} item"
    if value is None:
        return f"a {kind} has no `{key}` on the input side; the null carries nothing"
    if key in SDK_ONLY:
        return "the openai SDK adds it on the client side"
    return None


class KeyRepairs(RepairState):
    """R1, item by item (`keys`, `nested`) and at depth after a first check (`nulls`, `required`)."""

    def keys(self, i: int, item: dict[str, Any], kind: str) -> dict[str, Any]:
        """R1 at the top level: output-only keys, refused nulls, SDK-only keys and attribute names."""
        known = INPUT_FIELDS[kind]
        here = f"input[{i}]"
        out: dict[str, Any] = {}
        optional = optional_keys(member_class(item)) if None in item.values() else _NO_KEYS
        for key, value in item.items():
            why = _dropped(kind, key, value, optional)
            if why is not None:
                null = value is None and key not in OUTPUT_ONLY.get(kind, ())  # refused as null
                shown = f"`{key}: null`" if null else f"`{key}`"
                self.note(i, "R1", f"{here}.{key}", f"dropped {shown}", why)
            elif key.endswith("_") and key[:-1] in known and key[:-1] not in item:
                self.note(
                    i, "R1", f"{here}.{key}", f"renamed `{key}` to `{key[:-1]}`",
                    f"`{key}` is the SDK's attribute name; the API's key is `{key[:-1]}`",
                )  # fmt: skip
                out[key[:-1]] = value
            else:
                out[key] = value
        for field, values, why in DROP_VALUES.get(kind, ()):
            value = out.get(field)
            if field in out and (values is None or value in values):
                del out[field]
                self.note(i, "R1", f"{here}.{field}", f"dropped `{field}: {show(value)}`", why)
        for nested in NESTED_OUTPUT_ONLY.get(kind, ()):
            out = self.nested(i, out, kind, nested)
        self.owned.add(id(out))
        return out

    def nested(self, i: int, item: dict[str, Any], kind: str, nested: str) -> dict[str, Any]:
        """Drop a nested output-only field (`output[].created_by`) wherever it occurs (R1)."""
        *steps, last = nested.split(".")

        def walk(value: Any, rest: list[str], path: str) -> Any:
            if not isinstance(value, dict):
                return value
            if not rest:
                if last not in value:
                    return value
                self.note(
                    i, "R1", f"{path}.{last}", f"dropped `{last}`",
                    f"output-only inside a {kind} item",
                )  # fmt: skip
                return {k: v for k, v in value.items() if k != last}
            step, tail = rest[0], rest[1:]
            name = step.removesuffix("[]")
            child = value.get(name)
            if step.endswith("[]") and isinstance(child, list):
                new = [walk(c, tail, f"{path}.{name}[{n}]") for n, c in enumerate(child)]
                changed = any(a is not b for a, b in zip(new, child, strict=True))
            else:
                new = walk(child, tail, f"{path}.{name}")
                changed = new is not child
            return {**value, name: new} if changed else value

        result: dict[str, Any] = walk(item, steps, f"input[{i}]")
        return result

    # -- what only validation sees (nested nulls) ----------------------------------------------

    def nulls(self, items: list[Any], findings: list[Finding], origin: list[int]) -> bool:
        """R1 at depth: drop the nulls `check` reports, outside caller content. True if any."""
        changed = False
        for f in findings:
            if f.rule != "R1" or not f.path.startswith("input["):
                continue
            steps = [
                (key, int(idx) if idx else None) for key, idx in _PATH_STEP.findall(f.path[5:])
            ]
            if len(steps) < 2 or steps[0][1] is None:
                continue
            j = steps[0][1]
            item = items[j] if 0 <= j < len(items) else None
            if type(item) is not dict or not self._may_touch(item, steps[1][0]):
                continue
            parent = self._parent(items, steps)
            key = steps[-1][0]
            if not isinstance(parent, dict) or key not in parent or parent[key] is not None:
                continue
            del parent[key]
            changed = True
            self.note(
                origin[j], "R1", _INDEX.sub(f"input[{origin[j]}]", f.path, count=1),
                f"dropped `{key}: null`",
                "the input side refuses a null here",
            )  # fmt: skip
            self.nested_drops.append((parent, key, f.path, self.done[-1][1]))
        return changed

    def required(self, findings: list[Finding]) -> bool:
        """Put back a nested null whose key turned out required: null or missing, both refused."""
        missing = {f.path for f in findings if f.message.startswith("Missing required parameter")}
        back = [drop for drop in self.nested_drops if drop[2] in missing]
        for parent, key, _, note in back:
            parent[key] = None
            self.done = [(i, r) for i, r in self.done if r is not note]
        return bool(back)

    @staticmethod
    def _may_touch(item: dict[str, Any], top: str) -> bool:
        """Not caller content: a caller's message, a tool output's `output`, message text."""
        kind = item_kind(item)
        if kind == "message" and item.get("role") in CALLER_ROLES:
            return False
        return not (kind in OUTPUT_OF and top == "output")

    def _parent(self, items: list[Any], steps: list[tuple[str, int | None]]) -> Any:
        """The container holding the path's last key, copied on the way (the caller's is kept)."""
        node: Any = items
        for key, idx in steps[:-1]:
            slot: Any = key if idx is None else idx
            if isinstance(node, dict) and idx is None and key in node:
                child = node[key]
            elif isinstance(node, list) and idx is not None and 0 <= idx < len(node):
                child = node[idx]
            else:
                return None
            if not isinstance(child, dict | list):
                return None
            if id(child) not in self.owned:
                child = dict(child) if isinstance(child, dict) else list(child)
                self.owned.add(id(child))
                node[slot] = child
            node = child
        return node
