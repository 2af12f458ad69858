"""Exceptions: each names what was wrong and where (a JSON path such as `input[3].status`)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError


def json_path(root: str, loc: tuple[int | str, ...], data: Any = None) -> str:
    """`input`, (3, "status") -> `input[3].status`.

    Pydantic puts a union member's tag into `loc` (`content.0.output_text.logprobs`); with `data`
    given, a tag is recognised as the `type` of the object at that place and left out.
    """
    out = root
    cur = data
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            cur = cur[part] if isinstance(cur, list) and -len(cur) <= part < len(cur) else None
            continue
        if isinstance(cur, dict) and part not in cur and (cur.get("type") == part or ":" in part):
            continue
        if ":" in part or part.startswith("function-"):
            continue
        out += f".{part}" if out else part
        cur = cur.get(part) if isinstance(cur, dict) else None
    return out


class ReplayError(Exception):
    """A replay the API would reject, refused before anything is sent. `rule` is R1..R13."""

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
