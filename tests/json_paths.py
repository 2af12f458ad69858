"""Paths into JSON-like values, for the tests that mutate items at every place."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def paths(value: Any, at: tuple[Any, ...] = (), per_list: int = 3) -> Iterator[tuple[Any, ...]]:
    """Every key/index path into `value` (objects, and the first `per_list` items of arrays),
    outermost first."""
    yield at
    if isinstance(value, dict):
        for k, v in value.items():
            yield from paths(v, (*at, k), per_list)
    elif isinstance(value, list):
        for n, v in enumerate(value[:per_list]):
            yield from paths(v, (*at, n), per_list)


def get(value: Any, path: tuple[Any, ...]) -> Any:
    """The value at `path`."""
    for step in path:
        value = value[step]
    return value
