"""Validate a whole `input` list against the Input models, fast, for the request checker.

The checker only needs the validation errors, not model objects. Building ~10,000 pydantic models
costs about 2 µs each; the same core schema with every model node turned into a closed typed dict
(same fields, same `extra="forbid"`, same union tags, so the same error types and locations) and a
dict-only fast path in front of the generated discriminator costs about a third of that. When the
schema holds something this rewrite does not understand (a validator function, a custom init), the
checker falls back to the generated `InputItemListAdapter` unchanged.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails, SchemaValidator, ValidationError

from ._generated import inputs as _inputs

_SKIP_NODES = frozenset({"function-before", "function-after", "function-wrap", "function-plain"})


class _Unsupported(Exception):
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

_CANDIDATES = _inputs._CANDIDATES
_SINGLE: dict[str, str] = {tag: c[0][0] for tag, c in _CANDIDATES.items() if len(c) == 1}
_MESSAGE = _CANDIDATES["message"]
_generated_tag: Callable[[Any], str | None] = _inputs._tag


def fast_tag(value: Any) -> str | None:
    """The generated discriminator's answer, computed without its generic Mapping checks for dicts.

    Same result as `_inputs._tag` for every value (tested); anything unusual goes to it.
    """
    if type(value) is dict:
        tag = value.get("type")
        if type(tag) is str:
            single = _SINGLE.get(tag)
            if single is not None:
                return single
            if tag != "message":
                return _generated_tag(value)
        elif tag is not None or "role" not in value:
            return _generated_tag(value)
        role = value.get("role")
        content = value.get("content")
        kind = (
            "string"
            if isinstance(content, str)
            else "array"
            if isinstance(content, list | tuple)
            else None
        )
        for key, roles, kinds in _MESSAGE:
            if (roles is None or role in roles) and (kinds is None or kind in kinds):
                return key
        return _MESSAGE[-1][0]
    return _generated_tag(value)


def _rewrite(node: Any, tags: set[str]) -> Any:
    if isinstance(node, Mapping):
        kind = node.get("type")
        if not isinstance(kind, str):  # e.g. a model's `fields` mapping with a field named `type`
            kind = None
        if kind in _SKIP_NODES:
            raise _Unsupported(str(kind))
        if kind == "tagged-union":
            tags.update(str(k) for k in node["choices"])
        if kind == "model":
            if node.get("custom_init") or node.get("root_model") or node.get("post_init"):
                raise _Unsupported(f"model {node.get('cls')!r}")
            inner = node["schema"]
            if inner.get("type") != "model-fields" or inner.get("computed_fields"):
                raise _Unsupported(f"model {node.get('cls')!r}")
            fields: dict[str, Any] = {}
            for name, field in inner["fields"].items():
                schema = _rewrite(field["schema"], tags)
                out_field: dict[str, Any] = {
                    "type": "typed-dict-field",
                    "schema": schema,
                    "required": schema.get("type") != "default",
                }
                if "validation_alias" in field:
                    out_field["validation_alias"] = field["validation_alias"]
                fields[name] = out_field
            config = node.get("config") or {}
            typed: dict[str, Any] = {
                "type": "typed-dict",
                "fields": fields,
                "extra_behavior": config.get("extra_fields_behavior", "ignore"),
            }
            if "ref" in node:
                typed["ref"] = node["ref"]
            return typed
        out = {k: _rewrite(v, tags) for k, v in node.items()}
        if kind == "tagged-union" and out.get("discriminator") is _generated_tag:
            out["discriminator"] = fast_tag
        return out
    if isinstance(node, list):
        return [_rewrite(v, tags) for v in node]
    if isinstance(node, tuple):
        return tuple(_rewrite(v, tags) for v in node)
    return node


def _build() -> tuple[SchemaValidator, frozenset[str], bool]:
    tags: set[str] = set()
    try:
        schema = _rewrite(_inputs.InputItemListAdapter.core_schema, tags)
        return SchemaValidator(schema), frozenset(tags), True
    except Exception:  # any surprise in the schema: validate with the generated adapter
        return _inputs.InputItemListAdapter.validator, frozenset(tags), False


_BUILT: tuple[SchemaValidator, frozenset[str], bool] | None = None


def _built() -> tuple[SchemaValidator, frozenset[str], bool]:
    """Built on the first check, not at import (importing the package stays cheap)."""
    global _BUILT
    if _BUILT is None:
        _BUILT = _build()
    return _BUILT


def validate_items(items: list[Any]) -> list[ErrorDetails]:
    """The validation errors of an `input` list (empty when every item is a valid Input item)."""
    try:
        _built()[0].validate_python(items)
    except ValidationError as exc:
        return exc.errors(include_url=False)
    except RecursionError:  # pragma: no cover - pydantic-core guards its own recursion
        return [
            {
                "type": "recursion_loop",
                "loc": (),
                "msg": "nesting too deep",
                "input": None,
            }
        ]
    return []
