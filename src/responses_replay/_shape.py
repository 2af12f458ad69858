"""Validate a whole `input` list against the Input models, fast, for the request checker.

The checker only needs the validation errors, not model objects. The generator emits the Input
models' schema with every model a closed typed dict (`_generated.inputs.validation`, derived by
`codegen/checker_schema.py`; same fields, same `extra="forbid"`, same union members, so the same
error types and locations), about a third of the cost of building the models. Two validators
share its member schemas:

- `exact`: the generated item union, its discriminator unchanged: the errors the models give.
- `fast`: the union told apart in Rust by the item's `type`, else its `role`, a message then by
  its `role` and the shape of its `content`: no Python call per item. It accepts only what
  `exact` accepts; anything it refuses is validated again by `exact`, whose errors are reported.

A third, `body`, reads a request body's JSON text and validates its `input` list with `fast` in
the same pass (pydantic-core's `validate_json`): the checker's path for bytes, one set of objects
built instead of two. Any failure there (an invalid item, a string `input`, text that is not
JSON) is no verdict: the checker then reads the body and validates it as above.

Nothing here reads or rewrites pydantic's schemas of the models (issue 12).
"""

from __future__ import annotations

import typing
from typing import Any, cast

from pydantic import BaseModel
from pydantic_core import CoreSchema, ErrorDetails, SchemaValidator, ValidationError

from ._generated import inputs as _inputs


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


class Validators:
    """The two validators (see the module docstring), built once on the first check."""

    def __init__(self) -> None:
        from ._generated.inputs import validation  # ~280 kB of schema: read on the first check

        self.exact = SchemaValidator(cast(CoreSchema, validation.EXACT_ITEMS))
        self.fast = SchemaValidator(cast(CoreSchema, validation.FAST_ITEMS))
        # every other key of the body as it is; `input` absent or a list `fast` takes (a union
        # with `str` measured a third slower on the 10 MB body: a string `input` is no verdict)
        field = {"type": "typed-dict-field", "schema": validation.FAST_ITEMS, "required": False}
        body = {"type": "typed-dict", "extra_behavior": "allow", "fields": {"input": field}}
        self.body = SchemaValidator(cast(CoreSchema, body))


_BUILT: Validators | None = None


def validators() -> Validators:
    """Built on the first check, not at import (importing the package stays cheap)."""
    global _BUILT
    if _BUILT is None:
        _BUILT = Validators()
    return _BUILT


def valid_body(text: str | bytes) -> dict[str, Any] | None:
    """A request body read from its JSON text when it is an object whose `input` items are all
    valid Input items (or that has no `input`), else None: no verdict (see `body`)."""
    try:
        data: dict[str, Any] = validators().body.validate_json(text)
    except ValidationError:
        return None
    return data


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
