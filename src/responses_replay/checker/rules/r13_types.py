"""R13: a type, a value, a role or an item type the input side does not accept.

Every schema error of the items that R1 does not claim (the request level: `r13_request`),
worded as the API words them: `Invalid type for 'input[4].error': expected an object, but got
a string instead.`, `Invalid value: 'context_compaction'. Supported values are: ...`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pydantic_core import ErrorDetails

from ..._generated.registry import INPUT_FIELDS
from .._context import Context
from .._schema import Group, groups
from .._text import json_kind, quote_list, show
from .r01_keys import claims

_EXPECTED_KIND = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "a boolean",
    "bool_parsing": "a boolean",
    "list_type": "an array",
    "tuple_type": "an array",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "none_required": "null",
}
#: pydantic's length errors -> (what, bound in ctx, "too long"/"too short", the API's bound word)
_LENGTH = {
    "string_too_long": ("string", "max_length", "too long", "maximum"),
    "string_too_short": ("string", "min_length", "too short", "minimum"),
    "too_long": ("array", "max_length", "too long", "maximum"),
    "too_short": ("array", "min_length", "too short", "minimum"),
}
_INPUT_TYPES = sorted(INPUT_FIELDS)


def rule(ctx: Context) -> None:
    found, more = groups(ctx)
    for g in found:
        if not claims(g):
            _group(ctx, g)
    if more:
        ctx.add(
            len(ctx.items),
            "R13",
            "input",
            f"{more} more schema violations not shown.",
            "Fix the violations above and check again.",
        )


def _relevant(g: Group) -> list[ErrorDetails]:
    """The errors that explain the value: a union's other branches' type errors dropped when one
    branch took the value and found something else wrong (a string past its max_length)."""
    other = [e for e in g.errors if e["type"] not in _EXPECTED_KIND]
    return other or list(g.errors)


def _group(ctx: Context, g: Group) -> None:
    path, value, field = g.path, g.value, g.field
    errs = _relevant(g)
    err = errs[0]
    etype = err["type"]
    if etype in ("union_tag_not_found", "union_tag_invalid"):
        _bad_tag(ctx, g, err)
        return
    if value is None and etype != "missing" and field is not None:  # a null on a required key
        ctx.add(
            g.index,
            "R13",
            path,
            f"Invalid type for '{path}': expected {_expected(g.errors)}, but got null instead.",
            f"Send a value for `{field}`; it is required.",
        )
        return
    if etype == "missing":
        ctx.add(
            g.index,
            "R13",
            path,
            f"Missing required parameter: '{path}'.",
            f"Add `{field}` to this {g.kind or 'item'}.",
        )
        return
    if etype == "literal_error":
        _literal(ctx, g, err)
        return
    if etype in _LENGTH:
        _length(ctx, g, err)
        return
    if all(e["type"] in _EXPECTED_KIND for e in errs):
        ctx.add(
            g.index,
            "R13",
            path,
            f"Invalid type for '{path}': expected {_expected(errs)}, but got "
            f"{json_kind(value)} instead.",
            f"Send `{path}` as {_expected(errs)}.",
        )
        return
    ctx.add(
        g.index,
        "R13",
        path,
        f"Invalid value for '{path}': {show(err['msg'], 200)}.",
        "Send the field as the Input models define it.",
    )


def _literal(ctx: Context, g: Group, err: ErrorDetails) -> None:
    expected = _literal_values(err)
    if not isinstance(g.value, str | int | float | bool):
        ctx.add(
            g.index,
            "R13",
            g.path,
            f"Invalid type for '{g.path}': expected one of {expected}, but got "
            f"{json_kind(g.value)} instead.",
            f"Send `{g.field}` as one of {expected}.",
        )
        return
    fix = (
        "Use an input-side role: assistant, system, developer or user (tool results are "
        "function_call_output items)."
        if g.field == "role"
        else f"Use one of the values the input side accepts for `{g.field}`."
    )
    ctx.add(
        g.index,
        "R13",
        g.path,
        f"Invalid value: '{show(g.value)}'. Supported values are: {expected}.",
        fix,
    )


def _length(ctx: Context, g: Group, err: ErrorDetails) -> None:
    what, bound_key, too, word = _LENGTH[err["type"]]
    bound = (err.get("ctx") or {}).get(bound_key)
    if g.value == "":  # the API's own words for an empty string (code empty_string)
        ctx.add(
            g.index,
            "R13",
            g.path,
            f"Invalid '{g.path}': empty string. Expected a string with minimum length {bound}, "
            "but got an empty string instead.",
            f"Send a non-empty `{g.field}`.",
        )
        return
    size = len(g.value) if isinstance(g.value, str | list | tuple) else None
    got = (
        f", but got {'a' if what == 'string' else 'an'} {what} with length {size} instead"
        if size is not None
        else ""
    )
    ctx.add(
        g.index,
        "R13",
        g.path,
        f"Invalid '{g.path}': {what} {too}. Expected {'a' if what == 'string' else 'an'} {what} "
        f"with {word} length {bound}{got}.",
        f"Send `{g.field}` with {'at most' if word == 'maximum' else 'at least'} {bound} "
        f"{'characters' if what == 'string' else 'items'}.",
    )


def _bad_tag(ctx: Context, g: Group, err: ErrorDetails) -> None:
    value, path = g.value, g.path
    if not isinstance(value, Mapping):
        ctx.add(
            g.index,
            "R13",
            path,
            f"Invalid type for '{path}': expected an object, but got {json_kind(value)} instead.",
            "Send each item as a JSON object.",
        )
        return
    tag = value.get("type")
    raw = (err.get("ctx") or {}).get("expected_tags")
    if isinstance(raw, str):
        expected = quote_list(sorted(t.strip().strip("'") for t in raw.split(",")))
    else:
        expected = quote_list(_INPUT_TYPES)
    if tag is None:
        ctx.add(
            g.index,
            "R13",
            f"{path}.type",
            f"Missing required parameter: '{path}.type'.",
            "Give the item a `type` (or a `role` for a message).",
        )
        return
    if not isinstance(tag, str):
        ctx.add(
            g.index,
            "R13",
            f"{path}.type",
            f"Invalid type for '{path}.type': expected a string, but got {json_kind(tag)} instead.",
            "Give the item its `type` as a string.",
        )
        return
    ctx.add(
        g.index,
        "R13",
        f"{path}.type",
        f"Invalid value: '{show(tag)}'. Supported values are: {expected}.",
        "Use a type the input side accepts; output-only types cannot be replayed.",
    )


def _expected(errs: tuple[ErrorDetails, ...] | list[ErrorDetails]) -> str:
    kinds: list[str] = []
    for err in errs:
        kind = _EXPECTED_KIND.get(err["type"])
        if kind and kind not in kinds:
            kinds.append(kind)
    if not kinds:
        return "a valid value"
    if len(kinds) == 1:
        return kinds[0]
    return "one of " + ", ".join(kinds[:-1]) + " or " + kinds[-1]


def _literal_values(err: ErrorDetails) -> str:
    raw = str((err.get("ctx") or {}).get("expected", ""))
    values = re.findall(r"'((?:[^'\\]|\\.)*)'", raw)
    return quote_list(values) if values else raw
