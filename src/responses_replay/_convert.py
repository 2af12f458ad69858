"""Output item -> input item, by the generated rules (registry) and the Input models' own validation."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from ._base import InputModel, OutputModel
from ._errors import InputError, ReplayError, json_path
from ._generated import registry
from ._generated.inputs import SHARED_TAGS, member_class
from ._generated.outputs import OutputItemAdapter
from ._parse import as_plain
from ._unknown import UnknownItem

Unknown = Literal["error", "pass"]


def as_output(item: Any, where: str = "item") -> OutputModel:
    """Our Output model for an Output model, an `openai` SDK object or a dict (validated)."""
    if isinstance(item, OutputModel):
        return item
    data = as_plain(item, where)
    if not isinstance(data, Mapping):
        raise InputError(
            f"{where}: an output item must be a JSON object, got {type(data).__name__}"
        )
    try:
        return OutputItemAdapter.validate_python(data)
    except ValidationError as exc:
        raise InputError.from_validation(exc, where, data) from exc


def _drop_path(data: Any, steps: list[str]) -> None:
    """Remove a nested field (`output[].created_by`) wherever it occurs."""
    if not steps or not isinstance(data, dict):
        return
    head, rest = steps[0], steps[1:]
    arr = head.endswith("[]")
    key = head[:-2] if arr else head
    if not rest:
        data.pop(key, None)
        return
    value = data.get(key)
    for child in value if arr and isinstance(value, list) else [value]:
        _drop_path(child, rest)


def _apply_refused_values(tag: str, data: dict[str, Any], where: str) -> None:
    for rtag, path, refused, decision, to, why in registry.REFUSED_VALUES:
        if rtag != tag or path not in data:
            continue
        value = data[path]
        if refused is not None and value not in refused:
            continue
        if decision == "drop":
            del data[path]
        elif decision == "refuse":
            raise ReplayError(
                "R13", f"{where}.{path}", f"{tag} with {path}={value!r} cannot be replayed: {why}"
            )
        elif to == "json-object" and isinstance(value, str):
            try:
                data[path] = json.loads(value)
            except ValueError as exc:
                raise ReplayError("R13", f"{where}.{path}", f"not a JSON object: {why}") from exc
        elif to != "json-object":
            data[path] = to


def convert_item(
    item: Any, *, unknown: Unknown = "error", where: str = "item"
) -> InputModel | dict[str, Any]:
    """See `responses_replay.to_input`."""
    from ._generated.replay import INPUT_CLASS

    out = as_output(item, where)
    if isinstance(out, UnknownItem):
        if unknown == "pass":
            return out.to_dict()
        raise ReplayError(
            "R13",
            f"{where}.type",
            f"item type {out.type!r} is not in the pinned spec (a newer API?); it is not guessed. "
            "Pass unknown='pass' to send it unchanged, or update the spec (make regen).",
        )
    tag: str = getattr(out, "type")  # noqa: B009 - every generated item has a `type`
    cls = INPUT_CLASS.get(tag)
    if cls is None:
        raise ReplayError(
            "R13", f"{where}.type", f"output item type {tag!r} cannot be replayed as input"
        )
    data = out.model_dump(by_alias=True, exclude=set(registry.OUTPUT_ONLY.get(tag, ())))
    if tag in SHARED_TAGS:  # e.g. a user message from a listing is not an assistant OutputMessage
        cls = member_class(data) or cls
    for path in registry.NESTED_OUTPUT_ONLY.get(tag, ()):
        _drop_path(data, path.split("."))
    known = cls.model_fields
    aliases = {f.alias or name for name, f in known.items()}
    for key in list(data):
        if key not in aliases:  # output-only by schema difference, or an unknown extra key (R1)
            del data[key]
        elif data[key] is None and not _nullable(cls, key):
            del data[key]  # a null the input side refuses (the null policy)
    _apply_refused_values(tag, data, where)
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ReplayError(
            "R13",
            json_path(where, tuple(err["loc"]), data),
            f"not a valid input {tag}: {err['msg']}",
        ) from exc


_NULLABLE: dict[tuple[type[BaseModel], str], bool] = {}


def _nullable(cls: type[BaseModel], key: str) -> bool:
    found = _NULLABLE.get((cls, key))
    if found is None:
        try:
            cls.__pydantic_validator__.validate_assignment(cls.model_construct(), key, None)
            found = True
        except (ValidationError, TypeError):
            found = False
        _NULLABLE[(cls, key)] = found
    return found


def build_tool_output(call: Any, fields: Mapping[str, Any]) -> InputModel:
    """The output item for `call`, its binding key copied from the call (R6)."""
    from ._generated.replay import INPUT_CLASS_BY_TYPE

    tag = getattr(call, "type", None) if not isinstance(call, Mapping) else call.get("type")
    spec = registry.CALLS.get(str(tag))
    if spec is None:
        raise ReplayError("R6", "call", f"{tag!r} is not a call type that takes an output")
    out_tag, call_key, out_key = spec
    key = getattr(call, call_key, None) if not isinstance(call, Mapping) else call.get(call_key)
    if not isinstance(key, str) or not key:
        raise ReplayError(
            "R6", f"call.{call_key}", f"the {tag} has no {call_key}: its output cannot be bound"
        )
    if out_key in fields:
        raise ReplayError("R6", out_key, f"{out_key} is copied from the call; do not pass it")
    cls = INPUT_CLASS_BY_TYPE[out_tag]
    try:
        return cls.model_validate({"type": out_tag, out_key: key, **fields})
    except ValidationError as exc:
        raise InputError.from_validation(exc, out_tag) from exc
