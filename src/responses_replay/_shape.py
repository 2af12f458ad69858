"""Validate a whole `input` list against the Input models, fast, for the request checker.

The checker only needs the validation errors, not model objects. Building ~10,000 pydantic models
costs about 2 µs each; the same core schema with every model node turned into a closed typed dict
(same fields, same `extra="forbid"`, same union members, so the same error types and locations)
costs about a third of that. Two validators share those member schemas:

- `exact`: the generated item union, its discriminator unchanged: the errors the models give.
- `fast`: the union told apart in Rust by the item's `type`, else its `role`, a message then by
  its `role` and the shape of its `content` (`_messages_by_role`): no Python call per item (the
  tool-loop bench body validates in half the time, the replay body's messages in 60%). It accepts only what `exact` accepts (same member for every item it can
  place); anything it refuses is validated again by `exact`, whose errors are reported.
  (Validating the JSON bytes directly was measured slower than `from_json` + this.)

A schema node the typed-dict rewrite does not understand (a validator function, a custom init) is
a build error, not a silent fallback: `tests/test_check.py` builds both on every run.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails, SchemaValidator, ValidationError

from ._generated import inputs as _inputs
from ._kind import CALLER_ROLES

_SKIP_NODES = frozenset({"function-before", "function-after", "function-wrap", "function-plain"})
_ROLES = ("assistant", *sorted(CALLER_ROLES))


class UnsupportedSchema(Exception):
    """The core schema holds a node the typed-dict rewrite would change the meaning of."""


def _member_models() -> dict[str, type[BaseModel]]:
    """Union member tag (`function_call`, `message:InputMessage`) -> its Input model."""
    union = typing.get_args(_inputs.InputItem)[0]
    out: dict[str, type[BaseModel]] = {}
    for member in typing.get_args(union):
        model, *meta = typing.get_args(member)
        for m in meta:
            tag = getattr(m, "tag", None)
            if isinstance(tag, str) and isinstance(model, type) and issubclass(model, BaseModel):
                out[tag] = model
    return out


MEMBERS: dict[str, type[BaseModel]] = _member_models()

#: member tag -> top-level fields that must be present (a null there cannot be a "known optional key")
REQUIRED: dict[str, frozenset[str]] = {
    tag: frozenset(name for name, f in model.model_fields.items() if f.is_required())
    for tag, model in MEMBERS.items()
}


def _rewrite(node: Any) -> Any:
    """A model's core schema as closed typed dicts; an absent optional key stays absent."""
    if isinstance(node, Mapping):
        kind = node.get("type")
        if not isinstance(kind, str):  # e.g. a model's `fields` mapping with a field named `type`
            kind = None
        if kind in _SKIP_NODES:
            raise UnsupportedSchema(str(kind))
        if kind == "model":
            return _typed_dict(node)
        return {k: _rewrite(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_rewrite(v) for v in node]
    if isinstance(node, tuple):
        return tuple(_rewrite(v) for v in node)
    return node


def _typed_dict(node: Mapping[str, Any]) -> dict[str, Any]:
    if node.get("custom_init") or node.get("root_model") or node.get("post_init"):
        raise UnsupportedSchema(f"model {node.get('cls')!r}")
    inner = node["schema"]
    if inner.get("type") != "model-fields" or inner.get("computed_fields"):
        raise UnsupportedSchema(f"model {node.get('cls')!r}")
    fields: dict[str, Any] = {}
    for name, field in inner["fields"].items():
        schema = _rewrite(field["schema"])
        optional = schema.get("type") == "default"
        out: dict[str, Any] = {
            "type": "typed-dict-field",
            # no default filled in: the validated dict has exactly the keys it was given
            "schema": schema["schema"] if optional else schema,
            "required": not optional,
        }
        if "validation_alias" in field:
            out["validation_alias"] = field["validation_alias"]
        fields[name] = out
    config = node.get("config") or {}
    typed: dict[str, Any] = {
        "type": "typed-dict",
        "fields": fields,
        "extra_behavior": config.get("extra_fields_behavior", "ignore"),
    }
    if "ref" in node:
        typed["ref"] = node["ref"]
    return typed


def _item_unions(node: Any) -> list[dict[str, Any]]:
    """The item union nodes (the tagged union whose choices are the Input members)."""
    found: list[dict[str, Any]] = []
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            if cur.get("type") == "tagged-union" and set(cur["choices"]) == set(MEMBERS):
                found.append(cur)
                continue
            stack.extend(cur.values())
        elif isinstance(cur, list | tuple):
            stack.extend(cur)
    return found


def _messages_by_role(union: dict[str, Any], definitions: list[Any]) -> dict[str, Any]:
    """The message members told apart in Rust, as `_discriminators.choose_member` picks them.

    The generated discriminator picks, for the item's role, the member whose `content` is a list
    when it is one (one such member per role), else the member that also takes a string. Here
    each role gets those two in that order, the second admitting only its string branch, in a
    left-to-right union: the first that validates is the member the generated one chooses, and
    when neither does `exact` reports. Read from the schema (the role literals, the content
    shapes); another shape is an `UnsupportedSchema`.
    """
    by_ref = {d.get("ref"): d for d in definitions}
    lists: dict[str, Any] = {}  # role -> the member whose content is a list
    strings: dict[str, Any] = {}  # role -> that member with its content's string branch only
    for ref in union["choices"].values():
        member = by_ref.get(ref.get("schema_ref"))
        if member is None or member.get("type") != "typed-dict":
            raise UnsupportedSchema(f"message member {ref.get('schema_ref')!r}")
        roles = member["fields"]["role"]["schema"]
        content = member["fields"]["content"]
        if roles.get("type") != "literal":
            raise UnsupportedSchema(f"message member {ref.get('schema_ref')!r}: role")
        kind = content["schema"].get("type")
        if kind == "list":
            table, schema = lists, ref
        elif kind == "union":
            branch = [c for c in content["schema"]["choices"] if c.get("type") == "str"]
            if len(branch) != 1:
                raise UnsupportedSchema("a message's `content` union without one string branch")
            fields = {**member["fields"], "content": {**content, "schema": branch[0]}}
            table = strings
            schema = {k: v for k, v in member.items() if k != "ref"} | {"fields": fields}
        else:
            raise UnsupportedSchema(f"message member {ref.get('schema_ref')!r}: content")
        for role in roles["expected"]:
            if role in table:
                raise UnsupportedSchema(f"two message members for role {role!r}")
            table[role] = schema
    if set(lists) != set(strings) or set(lists) != set(_ROLES):
        raise UnsupportedSchema("message roles")
    return {
        "type": "tagged-union",
        "choices": {
            role: {
                "type": "union",
                "choices": [lists[role], strings[role]],
                "mode": "left_to_right",
            }
            for role in _ROLES
        },
        "discriminator": "role",
    }


def _by_type_then_role(union: dict[str, Any], definitions: list[Any]) -> dict[str, Any]:
    """The item union discriminated in Rust: by `type`, else by `role` (a message)."""
    choices = union["choices"]
    messages = {k: v for k, v in choices.items() if k.startswith("message:")}
    message = _messages_by_role({**union, "choices": messages}, definitions)
    by_tag: dict[str, Any] = {k: v for k, v in choices.items() if k not in messages}
    for key in ("message", *_ROLES):
        by_tag[key] = message
    return {**union, "choices": by_tag, "discriminator": [["type"], ["role"]]}


class Validators:
    """The two validators (see the module docstring), built once on the first check."""

    def __init__(self) -> None:
        items = _rewrite(_inputs.InputItemListAdapter.core_schema)
        unions = _item_unions(items)
        if len(unions) != 1:
            raise UnsupportedSchema(f"{len(unions)} item unions in the input list schema")
        self.exact = SchemaValidator(items)
        unions[0].update(_by_type_then_role(dict(unions[0]), items.get("definitions", [])))
        self.fast = SchemaValidator(items)


_BUILT: Validators | None = None


def validators() -> Validators:
    """Built on the first check, not at import (importing the package stays cheap)."""
    global _BUILT
    if _BUILT is None:
        _BUILT = Validators()
    return _BUILT


def validate_items(items: list[Any], *, plain_tags: bool = True) -> list[ErrorDetails]:
    """The validation errors of an `input` list (empty when every item is a valid Input item).

    `plain_tags=False` when some item's `type` (or, without one, its `role`), or a message's
    `role`, is not a string, or a message's `content` neither a string nor a list: `fast` would
    render that value with its repr (a 1,000-deep dict recurses), or lax-validate a set as a
    list where `exact` picks another member, so `exact` alone.
    """
    built = validators()
    if plain_tags:
        try:
            built.fast.validate_python(items)
        except ValidationError:
            pass
        else:
            return []
    try:
        built.exact.validate_python(items)
    except ValidationError as exc:
        return exc.errors(include_url=False)
    return []
