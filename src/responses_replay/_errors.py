"""Exceptions: each names what was wrong and where (a JSON path such as `input[3].status`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError


def locate(
    root: str, loc: tuple[int | str, ...], data: Any, *, missing_last: bool = True
) -> tuple[str, Any, str | None]:
    """A pydantic error location in `data` -> (JSON path, the value there, the last field name).

    Pydantic puts the chosen union member into `loc` (`content.0.output_text.logprobs`,
    `0.message:InputMessage.role`, `output.constrained-str`); the data tells those apart from keys:
    a member's label is not a key of the object (or is its own `type`), except a missing field at
    the end of `loc`, and nothing below a list or a scalar is named by a string.
    `missing_last=False` (an error other than `missing`): the last part is never a missing field.
    """
    path, cur, field = root, data, None
    reached = data is not None  # without data, every string in `loc` is taken as a key
    last = len(loc) - 1
    for n, part in enumerate(loc):
        if isinstance(part, int):
            path += f"[{part}]"
            inside = isinstance(cur, list) and -len(cur) <= part < len(cur)
            cur, field, reached = (cur[part] if inside else None), None, reached and inside
        elif ":" in part or part.startswith("function-"):
            continue  # a union member key or a validator's name
        elif reached and not isinstance(cur, Mapping):
            continue  # a union member's label below a list or a scalar (`str`, `list[...]`)
        elif isinstance(cur, Mapping) and part in cur and cur.get("type") != part:
            path, cur, field = f"{path}.{part}" if path else part, cur[part], part
        elif isinstance(cur, Mapping) and (n != last or (reached and not missing_last)):
            continue  # the union member chosen for this object
        else:  # a field missing at the end, or a place the data does not reach
            path, cur, field, reached = f"{path}.{part}" if path else part, None, part, False
    return path, cur, field


def json_path(root: str, loc: tuple[int | str, ...], data: Any = None) -> str:
    """`input`, (3, "status") -> `input[3].status` (see `locate`)."""
    return locate(root, loc, data)[0]


class ReplayError(Exception):
    """A replay the API would reject, refused before anything is sent. `rule` is R1..R15."""

    def __init__(self, rule: str, where: str, message: str) -> None:
        self.rule = rule
        self.where = where
        self.message = message
        super().__init__(f"[{rule}] {where}: {message}" if where else f"[{rule}] {message}")


class InputError(ValueError):
    """Data this library cannot read (not JSON, not an object, an invalid item)."""

    @classmethod
    def from_validation(cls, exc: ValidationError, root: str, data: Any = None) -> InputError:
        errors = exc.errors()
        lines = [f"{json_path(root, tuple(e['loc']), data)}: {e['msg']}" for e in errors[:10]]
        more = f"\n(+{len(errors) - 10} more)" if len(errors) > 10 else ""
        return cls("invalid items:\n" + "\n".join(lines) + more)


def no_utf8(text: Any) -> str:
    """Where a str cannot be UTF-8 (a lone surrogate, e.g. from `surrogateescape` decoding)."""
    try:
        str(text).encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"character {exc.start} is {exc.object[exc.start]!r} ({exc.reason})"
    return "it cannot be read as UTF-8"


def json_kind(value: Any) -> str:
    """`a string`, `an object`, `null`: a value's JSON type as the API names it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal number" if not value.is_integer() else "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__
