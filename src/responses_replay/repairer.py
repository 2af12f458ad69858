"""Repair a `POST /v1/responses` body: the mechanical fixes of the replay rules, each one reported.

`repair(body)` returns the corrected body, the repairs made (rule, path, what was done, why) and
the findings of `check()` that remain. Every repair follows from the overlay tables (the generated
`registry`) and a rule of `api-errors.md`; what cannot be fixed without inventing data (a missing
tool output, R7; a call the context lacks, R6; reasoning without `encrypted_content` under
`store=false`, R3) is left in place and reported, never guessed. Caller content (user, system and
developer messages, tool outputs, the text of assistant messages) comes out unchanged.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from . import Finding, check  # the public names: the checker's own layout may change
from ._errors import InputError
from ._generated.inputs import member_class
from ._generated.registry import (
    HOSTED_CALLS,
    ID_PREFIXES,
    INPUT_FIELDS,
    NESTED_OUTPUT_ONLY,
    NEVER_NULL,
    OUTPUT_OF,
    OUTPUT_ONLY,
    REFUSED_VALUES,
)
from ._kind import CALLER_ROLES, item_kind
from ._parse import as_plain

__all__ = ["Repair", "Repaired", "repair"]

#: Keys the `openai` SDK adds on the client side (`ParsedResponseFunctionToolCall.parsed_arguments`,
#: from `responses.parse()`); the API never sent them and refuses them back (R1).
SDK_ONLY = frozenset({"parsed_arguments"})

# Item types the caller writes (tool outputs, references, approvals, ...): never dropped as "already
# held by the server" (R2). Compaction items are the client's to place, so they stay too.
_CALLER_TYPES = frozenset(OUTPUT_OF) | {
    "item_reference",
    "compaction_trigger",
    "additional_tools",
    "compaction",
}
_MODEL_TYPES = frozenset(INPUT_FIELDS) - _CALLER_TYPES - {"message"}
# What a reasoning item cannot have produced: the item after it must be one of its response (R4).
_NOT_PRODUCED = frozenset(OUTPUT_OF) | {"reasoning"}
_DROP_VALUES: dict[str, list[tuple[str, frozenset[str] | None, str]]] = {}
for _type, _field, _values, _decision, _to, _why in REFUSED_VALUES:
    if _decision == "drop":
        _DROP_VALUES.setdefault(_type, []).append((_field, _values, _why))
_NO_KEYS: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
_PATH_STEP = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]")
_INDEX = re.compile(r"input\[(\d+)\]")


@dataclass(frozen=True, slots=True)
class Repair:
    """One change `repair` made: the rule, where (a path in the body as given), what, and why."""

    rule: str
    path: str
    action: str
    why: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.path}: {self.rule} repaired: {self.action} ({self.why})"


@dataclass(frozen=True, slots=True)
class Repaired:
    """What `repair` returns: the corrected body, the repairs made, the findings that remain.

    `findings` are `check()`'s findings on the corrected `body` (its paths are the body's own),
    warnings included; `repairs` name paths of the body as it was given.
    """

    body: dict[str, Any]
    repairs: tuple[Repair, ...]
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The remaining findings the API is known to reject."""
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def clean(self) -> bool:
        """No error remains: the corrected body can be sent."""
        return not self.errors


def _show(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return (
        (text[:60] + "…" if len(text) > 61 else text).encode("utf-8", "backslashreplace").decode()
    )


def _server_id(kind: str | None, value: object) -> bool:
    """An id the server gave an item of this kind (its prefix, per the overlay's R11 table)."""
    prefixes = ID_PREFIXES.get(kind or "")
    return bool(prefixes) and isinstance(value, str) and value.split("_", 1)[0] in (prefixes or ())


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


def _optional(cls: type[Any] | None) -> tuple[frozenset[str], frozenset[str]]:
    """An Input model's top-level keys that may be left out: (all of them, those refusing null)."""
    known = _NULLS.get(cls)
    if known is None:
        fields = getattr(cls, "model_fields", {})
        optional = {f.alias or name: f for name, f in fields.items() if not f.is_required()}
        refusing = (k for k, f in optional.items() if not _admits_none(f.annotation))
        known = _NULLS[cls] = (frozenset(optional), frozenset(refusing))
    return known


def _same(a: Any, b: Any) -> bool:
    """Equal items (key order aside); one nested too deeply to compare is not the same."""
    try:
        return bool(a == b)
    except RecursionError:
        return False


def _plain_item(item: Any) -> Any:
    """An item as JSON-like data: dicts as they are, SDK objects dumped the way `check` reads them."""
    if type(item) is dict:
        return item
    if isinstance(item, Mapping):
        return dict(item)
    if isinstance(item, str | bytes | bytearray | memoryview):
        return item  # not an item: reported by check, never parsed here
    try:
        return as_plain(item)
    except Exception:  # an object we cannot read: check reports it as it is
        return item


def _load(body: Any) -> Mapping[str, Any]:
    try:
        data = as_plain(body, "the request body")
    except RecursionError:
        raise InputError("the request body is nested too deeply to read") from None
    if not isinstance(data, Mapping):
        raise InputError(f"the request body must be a JSON object, got {type(data).__name__}")
    return data


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


class _Repairer:
    def __init__(self, data: Mapping[str, Any]) -> None:
        self.chained = data.get("previous_response_id") is not None or (
            data.get("conversation") is not None
        )
        self.stateless = data.get("store") is False
        self.done: list[tuple[int, Repair]] = []  # (index in the body as given, repair)
        self.owned: set[int] = set()  # ids of containers made here (safe to change in place)
        self.nested_drops: list[tuple[dict[str, Any], str, str, Repair]] = []

    def note(self, index: int, rule: str, path: str, action: str, why: str) -> None:
        self.done.append((index, Repair(rule, path, action, why)))

    # -- one item on its own (R1) --------------------------------------------------------------

    def keys(self, i: int, item: dict[str, Any], kind: str) -> dict[str, Any]:
        """R1 at the top level: output-only keys, refused nulls, SDK-only keys and attribute names."""
        known = INPUT_FIELDS[kind]
        here = f"input[{i}]"
        out: dict[str, Any] = {}
        optional = _optional(member_class(item)) if None in item.values() else _NO_KEYS
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
        for field, values, why in _DROP_VALUES.get(kind, ()):
            value = out.get(field)
            if field in out and (values is None or value in values):
                del out[field]
                self.note(i, "R1", f"{here}.{field}", f"dropped `{field}: {_show(value)}`", why)
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

    # -- the item list (R2, R3, R4, R5) --------------------------------------------------------

    def items(self, raw: list[Any]) -> tuple[list[Any], list[int]]:
        """The repaired list, and for each of its items the index it had in the body as given."""
        items: list[Any] = []
        kinds: list[str | None] = []
        model: list[bool] = []  # produced by the model (a chained request must not resend it)
        keep: list[bool] = []
        seen: dict[str, int] = {}  # id -> first index carrying it
        chained, refs = self.chained, False
        fields, model_types, caller_roles = INPUT_FIELDS, _MODEL_TYPES, CALLER_ROLES
        rare = frozenset(_DROP_VALUES) | frozenset(NESTED_OUTPUT_ONLY)
        # One pass, cheap for the common item (all keys known, no null); the rare ones do the work.
        for i, item in enumerate(raw):
            if type(item) is not dict:
                item = _plain_item(item)
                if type(item) is not dict:
                    items.append(item)
                    kinds.append(None)
                    model.append(False)
                    keep.append(True)
                    continue
            tag = item.get("type")
            kind = tag if type(tag) is str else item_kind(item)
            if kind == "message":
                by_model = item.get("role") not in caller_roles
            else:
                by_model = kind in model_types
            if (
                kind is not None
                and (by_model or kind != "message")
                and (known := fields.get(kind)) is not None
                and (not item.keys() <= known or None in item.values() or kind in rare)
            ):
                item = self.keys(i, item, kind)
            items.append(item)
            kinds.append(kind)
            model.append(by_model)
            item_id = item.get("id")
            if type(item_id) is not str or not item_id:
                keep.append(True)
                continue
            if chained and by_model and _server_id(kind, item_id):
                keep.append(False)
                self.note(
                    i, "R2", f"input[{i}]", f"dropped the {kind} item {_show(item_id)}",
                    "the previous response or the conversation already holds the model's items",
                )  # fmt: skip
                continue
            first = seen.setdefault(item_id, i)
            if first != i and _same(items[first], item):
                keep.append(False)
                self.note(
                    i, "R2", f"input[{i}]", f"dropped an exact copy of input[{first}]",
                    f"one id ({_show(item_id)}) is sent once per request",
                )  # fmt: skip
                continue
            keep.append(True)
            refs = refs or kind == "item_reference" or item.keys() <= {"id", "type"}
        if refs:
            self.references(items, kinds, keep)
        if "reasoning" in kinds:
            self.reasoning(items, kinds, model, keep)
        origin = [i for i, k in enumerate(keep) if k]
        if len(origin) < len(keep):  # a dropped item's own repairs say nothing any more
            gone = {f"input[{i}]" for i, k in enumerate(keep) if not k}
            self.done = [(i, r) for i, r in self.done if keep[i] or r.path in gone]
        return [items[i] for i in origin], origin

    def references(self, items: list[Any], kinds: list[str | None], keep: list[bool]) -> None:
        """A reference whose full item this body also carries is dropped: it adds nothing.

        Under store=false nothing is looked up (R3); otherwise it is the same id twice (R2).
        """
        full: dict[str, int] = {}
        refs: list[int] = []
        for i, item in enumerate(items):
            if not keep[i] or type(item) is not dict or type(item.get("id")) is not str:
                continue
            if kinds[i] == "item_reference" or item.keys() <= {"id", "type"}:
                refs.append(i)
            else:
                full.setdefault(item["id"], i)
        rule, why = (
            ("R3", "under store=false nothing is looked up")
            if self.stateless
            else ("R2", "one id is sent once per request")
        )
        for i in refs:
            where = full.get(items[i]["id"])
            if where is not None:
                keep[i] = False
                self.note(
                    i, rule, f"input[{i}]", f"dropped the reference to {_show(items[i]['id'])}",
                    f"{why}; the full item is at input[{where}]",
                )  # fmt: skip

    def reasoning(
        self, items: list[Any], kinds: list[str | None], model: list[bool], keep: list[bool]
    ) -> None:
        """R4 and R5, over the segments a reasoning item starts.

        R4: a reasoning item that nothing it produced follows (a response cut short ends with its
        reasoning; then comes the reasoning of the next response, a caller's message, a tool
        output, or the end) is dropped. R5: in a segment whose reasoning item lost its id, the
        other ids are stripped too, when the reasoning item carries `encrypted_content` (it stands
        without its id); hosted-tool calls keep theirs (R10). A lost id is never invented.
        """
        pending = -1  # a kept reasoning item not yet followed by anything
        segment = -1  # an id-less reasoning item with encrypted_content whose segment is open
        for i, item in enumerate(items):
            if not keep[i]:
                continue
            kind = kinds[i]
            if pending >= 0 and (kind in _NOT_PRODUCED or (kind == "message" and not model[i])):
                self._alone(pending, items[pending], keep)
            pending = -1
            if kind == "reasoning":
                pending = i
                enc = item.get("encrypted_content")
                bare = item.get("id") is None and isinstance(enc, str) and bool(enc)
                segment = i if bare else -1
            elif segment < 0 or not model[i]:
                segment = -1
            elif kind not in HOSTED_CALLS and _server_id(kind, item.get("id")):
                self.note(
                    i, "R5", f"input[{i}].id", f"stripped `id` {_show(item['id'])}",
                    f"the reasoning item at input[{segment}] has none: a response's ids are kept "
                    "or stripped together",
                )  # fmt: skip
                items[i] = {k: v for k, v in item.items() if k != "id"}
        if pending >= 0:
            self._alone(pending, items[pending], keep)

    def _alone(self, i: int, item: dict[str, Any], keep: list[bool]) -> None:
        keep[i] = False
        item_id = item.get("id")
        name = _show(item_id) if isinstance(item_id, str) else f"input[{i}]"
        self.note(
            i, "R4", f"input[{i}]", f"dropped the reasoning item {name}",
            "nothing it produced follows it (the end of a response cut short)",
        )  # fmt: skip

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


def repair(body: Any) -> Repaired:
    """The body with every mechanical replay fix applied, what was done, and what remains.

    Takes what `check()` takes (a dict, JSON text/bytes, `openai` SDK objects inside); the body
    given is never changed. Raises `InputError` when it cannot be read at all.
    """
    data = _load(body)
    raw = data.get("input")
    if not isinstance(raw, list | tuple):
        return Repaired(dict(data), (), tuple(check(data)))
    fixer = _Repairer(data)
    items, origin = fixer.items(list(raw))
    out = {**data, "input": items}
    findings = check(out)
    if fixer.nulls(items, findings, origin):
        findings = check(out)
        if fixer.required(findings):
            findings = check(out)
    repairs = tuple(r for _, r in sorted(fixer.done, key=lambda t: t[0]))
    return Repaired(out, repairs, tuple(findings))
