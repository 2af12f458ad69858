"""Drift: our generated item types and fields against the installed `openai` package's.

The `openai` SDK is released far more often than the public spec; when it learns an item type or
a field that our pinned spec lacks (or drops one), the API has probably moved. `make drift` and
`responses-replay drift` print what each side has that the other lacks, per item union:

| ours (`responses_replay._generated`) | the SDK (`openai.types`)              |
|--------------------------------------|---------------------------------------|
| `outputs.OutputItem`                 | `responses.ResponseOutputItem`        |
| `inputs.InputItem`                   | `responses.ResponseInputItemParam`    |
| `outputs.ConversationItem`           | `conversations.ConversationItem`      |
| `outputs.ItemResource`               | `responses.ResponseItem` (input items) |

and the request parameters a builder passes through (`CreateParams`) against the parameters of
the SDK's `client.responses.create`, less those a builder sets itself.

A report, never a failure: a new SDK release is news, not a broken build.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel

__all__ = [
    "UNIONS",
    "Drift",
    "UnionDrift",
    "compare",
    "drift",
    "item_fields",
    "render",
    "request_params",
]

#: (name, our union as "module:attribute", the SDK's union as "module:attribute")
UNIONS: tuple[tuple[str, str, str], ...] = (
    (
        "output items",
        "responses_replay._generated.outputs:OutputItem",
        "openai.types.responses:ResponseOutputItem",
    ),
    (
        "input items",
        "responses_replay._generated.inputs:InputItem",
        "openai.types.responses:ResponseInputItemParam",
    ),
    (
        "conversation items",
        "responses_replay._generated.outputs:ConversationItem",
        "openai.types.conversations:ConversationItem",
    ),
    (
        "input item listing",
        "responses_replay._generated.outputs:ItemResource",
        "openai.types.responses:ResponseItem",
    ),
)

#: item type -> its field names (the JSON keys), the members of one type merged
Fields = dict[str, frozenset[str]]


def _members(tp: Any) -> Iterator[Any]:
    """The classes of a union, through `Annotated` and nested unions."""
    origin = get_origin(tp)
    if origin is Annotated:
        yield from _members(get_args(tp)[0])
    elif origin is Union or origin is types.UnionType:
        for arg in get_args(tp):
            yield from _members(arg)
    else:
        yield tp


def _literals(tp: Any) -> Iterator[str]:
    """The string literals an annotation allows (`Required[Literal["x"]] | None` -> "x")."""
    if get_origin(tp) is Literal:
        yield from (a for a in get_args(tp) if isinstance(a, str))
    else:
        for arg in get_args(tp):
            yield from _literals(arg)


def _class_fields(cls: Any) -> tuple[set[str], frozenset[str]] | None:
    """(the `type` tags, the JSON keys) of a pydantic model or a TypedDict; None for others."""
    tp: Any = None
    if isinstance(cls, type) and issubclass(cls, BaseModel):
        keys = frozenset(f.alias or name for name, f in cls.model_fields.items())
        if "type" in cls.model_fields:
            tp = cls.model_fields["type"].annotation
    elif isinstance(cls, type) and hasattr(cls, "__required_keys__"):  # a TypedDict
        typed_dict: Any = cls
        keys = frozenset(typed_dict.__required_keys__ | typed_dict.__optional_keys__)
        try:
            hints: dict[str, Any] = get_type_hints(typed_dict, include_extras=True)
        except Exception:  # an annotation that does not resolve: the tag is then unknown
            hints = {}
        tp = hints.get("type")
    else:
        return None
    tags = set(_literals(tp)) if tp is not None else set()
    return tags, keys


def item_fields(union: Any) -> Fields:
    """Item type -> field names, for every member of `union` that has a literal `type`.

    Members without one (our `UnknownItem`, a `type`-less reference) are left out; members that
    share a type (the message variants) are merged.
    """
    out: dict[str, set[str]] = {}
    for member in _members(union):
        found = _class_fields(member)
        if found is None:
            continue
        tags, keys = found
        for tag in tags:
            if not tag.startswith("__"):
                out.setdefault(tag, set()).update(keys)
    return {tag: frozenset(keys) for tag, keys in sorted(out.items())}


@dataclass(frozen=True)
class UnionDrift:
    """One union: what ours has that the SDK lacks, and the other way round."""

    name: str
    only_ours: tuple[str, ...] = ()
    only_sdk: tuple[str, ...] = ()
    #: item type -> (fields only ours has, fields only the SDK has)
    fields: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    missing: str | None = None  # why this union could not be compared

    @property
    def empty(self) -> bool:
        return not (self.only_ours or self.only_sdk or self.fields or self.missing)


def compare(name: str, ours: Fields, sdk: Fields) -> UnionDrift:
    """The differences between two `item_fields` tables."""
    shared = sorted(ours.keys() & sdk.keys())
    fields = {
        tag: (tuple(sorted(ours[tag] - sdk[tag])), tuple(sorted(sdk[tag] - ours[tag])))
        for tag in shared
        if ours[tag] != sdk[tag]
    }
    return UnionDrift(
        name,
        only_ours=tuple(sorted(ours.keys() - sdk.keys())),
        only_sdk=tuple(sorted(sdk.keys() - ours.keys())),
        fields=fields,
    )


@dataclass(frozen=True)
class Drift:
    """The report: the `openai` version compared with, and one entry per union."""

    sdk_version: str
    unions: tuple[UnionDrift, ...]

    @property
    def empty(self) -> bool:
        return all(u.empty for u in self.unions)


def _load(path: str) -> Any:
    module, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module), attribute)


def drift(unions: Iterable[tuple[str, str, str]] | None = None) -> Drift:
    """Compare each of our unions (`UNIONS`, and then the request parameters) with the installed
    SDK's; ImportError without openai. Given `unions`, only those."""
    import openai

    out = []
    for name, ours, sdk in UNIONS if unions is None else unions:
        try:
            theirs = _load(sdk)
        except (ImportError, AttributeError) as exc:
            out.append(UnionDrift(name, missing=f"the installed openai has no {sdk}: {exc}"))
            continue
        out.append(compare(name, item_fields(_load(ours)), item_fields(theirs)))
    if unions is None:
        out.append(request_params())
    return Drift(getattr(openai, "__version__", "?"), tuple(out))


def request_params() -> UnionDrift:
    """`CreateParams` against the installed SDK's `responses.create` parameters."""
    from ._params import CREATE_PARAMS, sdk_create_params

    name = "request parameters (responses.create)"
    sdk = sdk_create_params()
    if not sdk:
        return UnionDrift(name, missing="the installed openai has no readable responses.create")
    return compare(name, {"create": CREATE_PARAMS}, {"create": sdk})


def render(report: Drift) -> str:
    """The report as text: one block per union that differs."""
    lines = [f"drift against openai {report.sdk_version}:"]
    for union in report.unions:
        if union.empty:
            lines.append(f"  {union.name}: no difference")
            continue
        lines.append(f"  {union.name}:")
        if union.missing:
            lines.append(f"    not compared: {union.missing}")
        if union.only_sdk:
            lines.append(f"    types only the SDK has: {', '.join(union.only_sdk)}")
        if union.only_ours:
            lines.append(f"    types only we have: {', '.join(union.only_ours)}")
        for tag, (ours, sdk) in union.fields.items():
            parts = []
            if sdk:
                parts.append(f"SDK only: {', '.join(sdk)}")
            if ours:
                parts.append(f"ours only: {', '.join(ours)}")
            lines.append(f"    {tag}: {'; '.join(parts)}")
    if report.empty:
        lines.append("no drift: our item types and fields match the installed openai")
    return "\n".join(lines)


def main() -> int:
    """`python -m responses_replay.drift`: print the report; exit 0 whatever it says."""
    try:
        report = drift()
    except ImportError as exc:
        print(f"drift compares with the installed openai: pip install openai ({exc})")
        return 0
    print(render(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
