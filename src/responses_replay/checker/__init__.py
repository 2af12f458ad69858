"""The request checker: every replay error of a `POST /v1/responses` body, before it is sent.

`check(body)` returns findings; each names the rule of `api-errors.md` (R1..R15), the JSON path,
the message the API would answer and the fix. Errors are rejections the API is known to answer;
warnings are shapes it answers inconsistently or that break the next turn.

How it is built: `_context.Context.scan` makes one pass over `input` (each item's kind, the ids);
each rule family is a module of `rules/` reading that context; `_schema` groups the Input models'
validation errors for R1 and R13.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic_core import PydanticSerializationError

from .. import _shape
from .._errors import InputError
from .._gc import pausing_gc
from .._parse import as_plain
from ._context import Context
from ._finding import Finding, ReplayCheckError, Severity
from ._text import json_kind
from .rules import RULES

__all__ = ["Finding", "ReplayCheckError", "Severity", "check", "check_or_raise"]


@pausing_gc
def check(body: Any) -> list[Finding]:
    """Every replay error of a `POST /v1/responses` body (a dict, or JSON text/bytes).

    Raises `InputError` when the body cannot be read at all (not JSON, not an object).
    """
    valid = _shape.valid_body(body) if isinstance(body, str | bytes) else None
    data = valid if valid is not None else read_body(body)
    ctx = Context.scan(data, _items(data.get("input")))
    if valid is not None:
        ctx.schema_groups = [], 0  # read and validated in one pass: no schema error
    for rule in RULES:
        rule(ctx)
    return ctx.findings()


def check_or_raise(body: Any) -> list[Finding]:
    """Like `check`, but raise `ReplayCheckError` (carrying every finding) when any is an error.

    Returns the warnings when there is no error.
    """
    findings = check(body)
    if any(f.severity == "error" for f in findings):
        raise ReplayCheckError(findings)
    return findings


def read_body(body: Any) -> Mapping[str, Any]:
    """The body as a JSON object (check's and repair's reading); `InputError` naming why not."""
    if isinstance(body, bytearray | memoryview):
        body = bytes(body)
    try:
        data = as_plain(body, "the request body")
    except InputError:
        # from_json refuses invalid UTF-8 too: decoded only then, to say where (not on every call)
        if isinstance(body, bytes):
            try:
                body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"the request body is not valid UTF-8 (byte {exc.start}: {exc.reason})"
                ) from None
        raise
    except RecursionError:
        raise InputError("the request body is nested too deeply to read") from None
    except PydanticSerializationError as exc:  # a model object holding a value JSON cannot carry
        raise InputError(f"the request body cannot be read as JSON: {exc}") from None
    if not isinstance(data, Mapping):
        raise InputError(f"the request body must be a JSON object, got {json_kind(data)}")
    return data


def _items(raw: Any) -> list[Any]:
    """`input` as a list of plain items (empty for a string `input`, or none)."""
    if not isinstance(raw, list | tuple):
        return []
    if type(raw) is list and set(map(type, raw)) <= {dict}:
        return raw
    return [it if type(it) is dict else _plain_item(it) for it in raw]


def _plain_item(item: Any) -> Any:
    if isinstance(item, Mapping):
        return dict(item)
    try:
        return as_plain(item) if not isinstance(item, str | bytes | bytearray) else item
    except Exception:  # an object we cannot read: validation reports it as it is
        return item
