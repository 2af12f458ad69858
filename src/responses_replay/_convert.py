"""Output item -> input item, by the generated rules (registry) and the Input models' own validation."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal, cast

from pydantic import BaseModel, SerializeAsAny, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from ._base import InputModel, OutputModel
from ._errors import InputError, ReplayError, json_path
from ._generated import registry
from ._generated.inputs import SHARED_TAGS, member_class
from ._generated.outputs import KNOWN_TYPES, LISTING_ONLY_TYPES, OutputItemAdapter
from ._generated.replay import INPUT_CLASS, INPUT_CLASS_BY_TYPE, ToInput, ToolOutput
from ._kind import CALLER_ROLES, item_field, item_kind
from ._parse import as_plain
from ._rules import check_image_urls, unacknowledged_call, unacknowledged_checks
from ._unknown import UnknownItem

#: The types conversion knows: the response output's, and those only listings return.
_CONVERTIBLE = KNOWN_TYPES | LISTING_ONLY_TYPES

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


_REFUSED_BY_TAG: dict[str, list[tuple[str, str, frozenset[str] | None, str, Any, str]]] = {}
for _rule in registry.REFUSED_VALUES:
    _REFUSED_BY_TAG.setdefault(_rule[0], []).append(_rule)


def _apply_refused_values(tag: str, data: dict[str, Any], where: str) -> None:
    for _rtag, path, refused, decision, to, why in _REFUSED_BY_TAG.get(tag, ()):
        if path not in data:
            continue
        value = data[path]
        if refused is not None and (type(value) is not str or value not in refused):
            continue  # a value of another type is the schema's to refuse (R13), not a crash
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
    if type(item) is dict:  # the common case: parsed JSON
        src: Any = item
    elif isinstance(item, OutputModel):
        if isinstance(item, UnknownItem):
            return _unknown(item.to_dict(), unknown, where)
        src = item.model_dump(by_alias=True)
    else:
        src = as_plain(item, where)
        if not isinstance(src, Mapping):
            raise InputError(
                f"{where}: an output item must be a JSON object, got {type(src).__name__}"
            )
    tag = item_kind(src)  # a caller-written message may omit `type`
    if tag not in _CONVERTIBLE:
        return _unknown(dict(src), unknown, where)
    data, cls = input_data(tag, src, where)
    try:
        try:
            return cls.model_validate(data)
        except ValidationError as first:
            # A nested null the input side refuses (`_null_refused`): dropping it loses nothing.
            # Anything else is reported, never dropped.
            nulls = [e["loc"] for e in first.errors() if _null_refused(e)]
            if not nulls or len(nulls) != first.error_count():
                raise
            try:
                return cls.model_validate(_without(data, [tuple(loc) for loc in nulls]))
            except ValidationError:
                raise first from None  # a required key's null: its own error, not "missing"
    except ValidationError as exc:
        errors = exc.errors()
        err = next(
            (e for e in errors if not _null_refused(e)),
            errors[0],
        )
        raise ReplayError(
            "R13",
            json_path(where, tuple(err["loc"]), data),
            f"not a valid input {tag}: {err['msg']}",
        ) from exc


_MODELS = TypeAdapter(list[SerializeAsAny[OutputModel]])
_LISTS: dict[type[InputModel], TypeAdapter[list[InputModel]]] = {}


def _sources(items: Sequence[Any]) -> list[Any]:
    """The items as `convert_item` reads them: our Output models dumped in one serializer pass
    (each by its own class, as `model_dump` does); anything else as it is."""
    models = [it for it in items if isinstance(it, OutputModel) and not isinstance(it, UnknownItem)]
    if not models:
        return list(items)
    dumped = iter(_MODELS.dump_python(models, by_alias=True))
    return [
        next(dumped) if isinstance(it, OutputModel) and not isinstance(it, UnknownItem) else it
        for it in items
    ]


def convert_output(
    items: Sequence[Any], *, unknown: Unknown = "error", where: str = "output"
) -> list[InputModel | dict[str, Any]]:
    """`convert_item` over a whole output list, with the same results and the same first error,
    validated in one call per input class instead of one per item.

    Nested unknown nulls a batch refuses are dropped as `convert_item` drops them, and the batch
    validated again (`_validate_group`); items refused for anything else are converted again one
    by one, in order, by `convert_item`, which raises its own error.
    """
    srcs = _sources(items)
    out: list[Any] = [None] * len(srcs)
    groups: dict[type[InputModel], tuple[list[int], list[dict[str, Any]]]] = {}
    stop: Exception | None = None
    for n, src in enumerate(srcs):
        try:
            if type(src) is not dict:  # an SDK object, an unknown item, a bad value
                out[n] = convert_item(src, unknown=unknown, where=f"{where}[{n}]")
                continue
            tag = src.get("type")
            if type(tag) is not str:  # what item_kind answers for a string tag is the tag
                tag = item_kind(src)
            if tag not in _CONVERTIBLE:
                out[n] = _unknown(dict(src), unknown, f"{where}[{n}]")
                continue
            data, cls = input_data(tag, src, f"{where}[{n}]")
        except Exception as exc:  # re-raised as it is, below
            stop = exc  # raised after the items before it, which may fail first
            break
        group = groups.get(cls)
        if group is None:
            group = groups[cls] = ([], [])
        group[0].append(n)
        group[1].append(data)
    again: list[int] = []
    for cls, (where_n, datas) in groups.items():
        _validate_group(cls, where_n, datas, out, again)
    for n in sorted(again):
        out[n] = convert_item(srcs[n], unknown=unknown, where=f"{where}[{n}]")
    if stop is not None:
        raise stop
    return out


def _validate_group(
    cls: type[InputModel],
    where_n: list[int],
    datas: list[dict[str, Any]],
    out: list[Any],
    again: list[int],
    retry: bool = True,
) -> None:
    """Validate one input class's items in one call into `out`. When the batch is refused, the
    items refused only for nested unknown nulls (what `convert_item` drops) are validated again
    without them, with the others, in one more call; items refused for anything else go to
    `again`, for `convert_item` to convert (and report) one by one."""
    adapter = _LISTS.get(cls)
    if adapter is None:
        adapter = _LISTS[cls] = TypeAdapter(list[cls])  # type: ignore[valid-type]
    try:
        models = adapter.validate_python(datas)
    except ValidationError as exc:
        errors: dict[Any, list[tuple[int | str, ...]]] = {}
        refused: set[Any] = set()
        for e in exc.errors():
            k = e["loc"][0]
            if retry and _null_refused(e):
                errors.setdefault(k, []).append(tuple(e["loc"][1:]))
            else:
                refused.add(k)
        next_n: list[int] = []
        next_datas: list[dict[str, Any]] = []
        for k, n in enumerate(where_n):
            if k in refused:
                again.append(n)
                continue
            nulls = errors.get(k)
            next_n.append(n)
            next_datas.append(datas[k] if nulls is None else _without(datas[k], nulls))
        if next_n:
            _validate_group(cls, next_n, next_datas, out, again, retry=False)
        return
    for n, model in zip(where_n, models, strict=True):
        out[n] = model


def _null_refused(error: ErrorDetails) -> bool:
    """A nested key holding null that the input side refuses: unknown there (a recorder's or
    SDK's `None`), or known but not nullable (`model_dump()` of an SDK `output_text` writes
    `logprobs: None`). Leaving it out is what the API asks and loses nothing: null is no value."""
    loc = error["loc"]
    return error["input"] is None and bool(loc) and isinstance(loc[-1], str)


def _without(data: dict[str, Any], locs: list[tuple[int | str, ...]]) -> dict[str, Any]:
    """`data` without the keys at these pydantic error locations (union tags in a location are
    skipped). Only the dicts and lists on the way to a key are copied: `data` is not modified,
    and the rest is shared with it, as a successful validation shares it."""
    top = dict(data)
    copied = {id(top)}
    for loc in locs:
        cur: Any = top
        for n, part in enumerate(loc):
            if isinstance(cur, list) and isinstance(part, int) and -len(cur) <= part < len(cur):
                child = cur[part]
            elif isinstance(cur, dict) and part in cur:
                if n == len(loc) - 1:
                    del cur[part]
                    break
                child = cur[part]
            else:  # a union member tag in the location; stay where we are
                continue
            if isinstance(child, dict | list) and id(child) not in copied:
                child = cur[part] = dict(child) if isinstance(child, dict) else list(child)
                copied.add(id(child))
            cur = child
    return top


def _unknown(data: dict[str, Any], unknown: Unknown, where: str) -> dict[str, Any]:
    if unknown == "pass":
        return data
    raise ReplayError(
        "R13",
        f"{where}.type",
        f"item type {data.get('type')!r} is not in the pinned spec (a newer API?); it is not guessed. "
        "Pass unknown='pass' to send it unchanged, or update the spec (make regen).",
    )


class _Plan:
    """What converting one output type needs, computed once per (type, input class)."""

    __slots__ = ("cls", "drop", "keep", "nested", "nullable", "refused")

    def __init__(self, tag: str, cls: type[InputModel]) -> None:
        self.cls = cls
        self.drop = registry.OUTPUT_ONLY.get(tag, frozenset())
        self.keep = _aliases(cls) - self.drop
        self.nullable = frozenset(k for k in self.keep if _nullable(cls, k))
        self.nested = tuple(p.split(".") for p in registry.NESTED_OUTPUT_ONLY.get(tag, ()))
        self.refused = bool(_REFUSED_BY_TAG.get(tag))


_PLANS: dict[tuple[str, type[InputModel] | None], _Plan] = {}


#: The plan of a typed item by (tag, role, content kind): what `member_class` reads of an item
#: that has a tag (`_discriminators._pick`), so the member is looked up once per combination.
_PLAN_BY_SHAPE: dict[tuple[str, str | None, type], _Plan] = {}


def _plan(tag: str, src: Mapping[str, Any], where: str) -> _Plan:
    shared = tag in SHARED_TAGS
    if shared:
        role = src.get("role")
        shape = (tag, role, type(src.get("content")))
        if role is None or type(role) is str:
            found = _PLAN_BY_SHAPE.get(shape)
            if found is not None:
                return found
    cls = INPUT_CLASS.get(tag)
    if cls is None:
        raise ReplayError(
            "R13", f"{where}.type", f"output item type {tag!r} cannot be replayed as input"
        )
    if shared:  # e.g. a user message from a listing is not an assistant OutputMessage
        cls = member_class(src) or cls
    plan = _PLANS.get((tag, cls))
    if plan is None:
        plan = _PLANS[(tag, cls)] = _Plan(tag, cls)
    if shared and (role is None or type(role) is str):
        _PLAN_BY_SHAPE[shape] = plan
    return plan


def input_data(
    tag: str, src: Mapping[str, Any], where: str
) -> tuple[dict[str, Any], type[InputModel]]:
    """The input class for an output item and its data: output-only keys, unknown keys and refused
    nulls dropped, refused values decided by the overlay. `src` is not modified."""
    plan = _plan(tag, src, where)
    keep, nullable = plan.keep, plan.nullable
    data = {k: v for k, v in src.items() if k in keep and (v is not None or k in nullable)}
    if tag == "message" and "id" in data and src.get("role") in CALLER_ROLES:
        # a caller's message as a listing returns it: its record id (`msg_`, or `item_` in older
        # conversation listings) is not replayed; the API checks a sent one's prefix (R11)
        del data["id"]
    if plan.nested:
        data = copy.deepcopy(data)
        for steps in plan.nested:
            _drop_path(data, steps)
    if plan.refused:
        _apply_refused_values(tag, data, where)
    return data, plan.cls


_ALIASES: dict[type[BaseModel], frozenset[str]] = {}


def _aliases(cls: type[BaseModel]) -> frozenset[str]:
    found = _ALIASES.get(cls)
    if found is None:
        found = _ALIASES[cls] = frozenset(f.alias or n for n, f in cls.model_fields.items())
    return found


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


def _from_call(tag: str | None, call: Any, fields: Mapping[str, Any]) -> dict[str, Any]:
    """What the output must repeat from its call besides the key (the caller's own value wins)."""
    if tag == "shell_call" and "max_output_length" not in fields:
        # The shell guide: max_output_length "Developer needs to pass it back with the raw output
        # in shell_call_output, and does not need to do the actual truncation."
        limit = item_field(item_field(call, "action"), "max_output_length")
        if limit is not None:
            return {"max_output_length": limit}
    return {}


def build_tool_output(call: Any, fields: Mapping[str, Any]) -> InputModel:
    """The output item for `call`, its binding key copied from the call (R6)."""
    tag = item_kind(call)
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
    fields = plain_models(fields, out_tag)
    try:
        output = cls.model_validate(
            {"type": out_tag, out_key: key, **_from_call(tag, call, fields), **fields}
        )
    except ValidationError as exc:
        raise InputError.from_validation(exc, out_tag) from exc
    if tag == "computer_call":
        _check_acknowledged(call, key, output)
    check_image_urls(output, out_tag)
    return output


def plain_models(value: Any, where: str, depth: int = 0) -> Any:
    """What a caller wrote with model objects in it, as the input models take it: an Output model
    (ours, or the `openai` SDK's) read as plain JSON wherever it is, e.g.
    `acknowledged_safety_checks=call.pending_safety_checks`. Input models stay as they are."""
    if depth > _MAX_DEPTH:
        raise InputError(f"{where}: nested more than {_MAX_DEPTH} levels deep (a cycle?)")
    if isinstance(value, BaseModel):
        return value if isinstance(value, InputModel) else as_plain(value, where)
    if isinstance(value, Mapping):
        return {k: plain_models(v, where, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_models(v, where, depth + 1) for v in value]
    return value


_MAX_DEPTH = 64


def _check_acknowledged(call: Any, key: str, output: InputModel) -> None:
    """R15: a computer_call's pending safety checks are acknowledged by its output, never
    automatically (the user confirms them first: that is the safety feature)."""
    missing = unacknowledged_checks(call, item_field(output, "acknowledged_safety_checks"))
    if missing:
        raise ReplayError("R15", "acknowledged_safety_checks", unacknowledged_call(key, missing))


def _to_input(item: Any, /, *, unknown: Unknown = "error") -> InputModel | dict[str, Any]:
    """The input item an output item is replayed as: output-only fields and refused nulls dropped.

    Accepts our Output models, `openai` SDK output objects and plain dicts (validated first). An item
    type newer than the spec raises `ReplayError`, unless `unknown="pass"` sends it unchanged.
    """
    return convert_item(item, unknown=unknown)


def _tool_output(call: Any, /, **fields: Any) -> InputModel:
    """The output item answering `call`: its key (`call_id`, ...) copied from the call, never typed (R6)."""
    return build_tool_output(call, fields)


#: Typed by the generated overloads (one per output item type / call type).
to_input = cast(ToInput, _to_input)
tool_output = cast(ToolOutput, _tool_output)
