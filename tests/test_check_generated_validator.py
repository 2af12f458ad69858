"""The checker's generated validators (`_generated/inputs/validation.py`) against the Input models.

On every input item of the recorded traffic, and on mutations of them (a key dropped, an unknown
key, a null, a value of another type, a bad tag or role, deep inside as well as at the top):
`exact` accepts and refuses exactly what the models do, with the same errors at the same paths,
and `fast` accepts nothing the models refuse. The one known difference, by design: a field's
Python name in place of its API key (`schema_` for `schema`) is refused (R1), where the models,
`populate_by_name`, take it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import corpus
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from json_paths import get, paths
from pydantic_core import ValidationError

from responses_replay import InputError, Turn, _shape
from responses_replay._generated.inputs import InputItemListAdapter

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not corpus.available(), reason="../shared/corpus is not available"),
]

#: a model's "not an object" error and a typed dict's name one failure two ways
_SAME_ERROR = {"model_type": "dict_type", "model_attributes_type": "dict_type"}
#: values a mutation puts in place of another
_VALUES: tuple[Any, ...] = (None, 0, 1.5, True, "x", "", [], {}, [{}], {"type": "x"})


def _errors(validate: Any, items: list[Any]) -> list[tuple[str, str]] | None:
    """None when valid, else (error type, JSON path) of each error."""
    try:
        validate(items)
    except ValidationError as exc:
        return [
            (_SAME_ERROR.get(e["type"], e["type"]), _where(items, e["loc"], e["type"]))
            for e in exc.errors()
        ]
    return None


def _where(items: list[Any], loc: tuple[int | str, ...], etype: str) -> tuple[int | str, ...]:
    """The keys and indices of `loc` into the data: union member labels (a model's class name,
    `typed-dict`) are not the same in both, and are left out."""
    value: Any = items
    out: list[int | str] = []
    for n, step in enumerate(loc):
        if (isinstance(value, dict) and step in value) or (
            isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value)
        ):
            value = value[step]
            out.append(step)
        elif n == len(loc) - 1 and etype == "missing":
            out.append(step)
    return tuple(out)


def _mutations(item: dict[str, Any]) -> Iterator[Any]:
    """The item changed at one place each: dropped, replaced, an unknown key added."""
    for path in list(paths(item)):
        target = get(item, path)
        if isinstance(target, dict):
            extra = copy.deepcopy(item)
            get(extra, path)["unknown_key"] = 1
            yield extra
        if not path:
            continue
        parent_path, last = path[:-1], path[-1]
        if isinstance(last, str):
            dropped = copy.deepcopy(item)
            del get(dropped, parent_path)[last]
            yield dropped
        for value in _VALUES:
            if value == target and type(value) is type(target):
                continue
            changed = copy.deepcopy(item)
            get(changed, parent_path)[last] = copy.deepcopy(value)
            yield changed


def _corpus_items() -> list[dict[str, Any]]:
    """The input items of accepted requests, and the recorded outputs as replay input: one per
    type and set of keys."""
    found: list[Any] = []
    for it in corpus.accepted_creates():
        body = it.request_body
        items = body.get("input") if isinstance(body, dict) else None
        found.extend(items if isinstance(items, list) else ())
    for _, response in corpus.output_responses():
        try:
            turn = Turn.from_response(
                response, unknown="pass", incomplete="drop_trailing_reasoning"
            )
        except InputError:
            continue
        found.extend(turn.to_input())
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for item in found:
        key = repr(sorted(item)) + str(item.get("type")) if isinstance(item, dict) else ""
        if isinstance(item, dict) and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _agree(item: Any) -> None:
    built = _shape.validators()
    models = _errors(InputItemListAdapter.validate_python, [item])
    exact = _errors(built.exact.validate_python, [item])
    fast = _errors(built.fast.validate_python, [item])
    assert exact == models, item
    assert fast is not None or models is None, item  # fast accepts only what the models accept
    assert (_shape.validate_items([item]) == []) == (models is None), item


def test_generated_validators_agree_with_the_models_on_corpus_items() -> None:
    items = _corpus_items()
    assert len(items) > 20
    mutated = 0
    for item in items:
        _agree(item)
        for changed in _mutations(item):
            _agree(changed)
            mutated += 1
    assert mutated > 1000


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_generated_validators_agree_with_the_models_on_random_mutations(data: Any) -> None:
    item = copy.deepcopy(data.draw(st.sampled_from(_CORPUS_ITEMS)))
    for _ in range(data.draw(st.integers(1, 3))):  # up to three changes, anywhere
        if not isinstance(item, dict):
            break
        path = data.draw(st.sampled_from(list(paths(item))))
        target = get(item, path)
        action = data.draw(st.sampled_from(["drop", "replace", "add"]))
        if action == "add" and isinstance(target, dict):
            key = data.draw(st.sampled_from(["unknown_key", "id", "type", "role", "status"]))
            target[key] = copy.deepcopy(data.draw(st.sampled_from(_VALUES)))
        elif path and action == "drop" and isinstance(path[-1], str):
            del get(item, path[:-1])[path[-1]]
        elif path:
            get(item, path[:-1])[path[-1]] = copy.deepcopy(data.draw(st.sampled_from(_VALUES)))
    _agree(item)


def test_a_python_field_name_is_refused_where_the_models_take_it() -> None:
    # the one difference by design (see the module docstring)
    built = _shape.validators()
    fmt = {"type": "json_schema", "name": "n", "schema_": {}}
    item = {"type": "configuration_update", "text": {"format": fmt}}
    assert _errors(built.exact.validate_python, [item]) != _errors(
        InputItemListAdapter.validate_python, [item]
    )


_CORPUS_ITEMS = _corpus_items() if corpus.available() else [{}]
