"""How values appear in the checker's messages: bounded, printable, in the API's JSON words."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .._errors import json_kind as json_kind  # its home: the runtime's messages use it too


def show(value: Any, limit: int = 80) -> str:
    """A value as a message may quote it: bounded, printable (no lone surrogates), never a deep
    repr (a container is named by its JSON type, so a 1,000-deep value cannot recurse)."""
    if isinstance(value, str):
        text = value
    elif value is None or isinstance(value, bool | int | float):
        text = repr(value)
    else:
        text = json_kind(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def quote_list(values: Iterable[str]) -> str:
    """`'a', 'b', and 'c'`: a list of values as the API's messages write them."""
    quoted = [f"'{v}'" for v in values]
    if len(quoted) <= 2:
        return " and ".join(quoted)
    return ", ".join(quoted[:-1]) + ", and " + quoted[-1]
