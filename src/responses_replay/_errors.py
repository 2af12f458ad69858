"""Exceptions: each names what was wrong and where (a JSON path such as `input[3].status`)."""

from __future__ import annotations

from pydantic import ValidationError


def json_path(root: str, loc: tuple[int | str, ...]) -> str:
    """`input`, (3, "status") -> `input[3].status` (union member tags in `loc` are skipped)."""
    out = root
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif ":" in part or part.startswith("function-") or part in _UNION_NOISE:
            continue
        else:
            out += f".{part}" if out else part
    return out


_UNION_NOISE: frozenset[str] = frozenset()


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
    def from_validation(cls, exc: ValidationError, root: str) -> InputError:
        errors = exc.errors()
        lines = [f"{json_path(root, tuple(e['loc']))}: {e['msg']}" for e in errors[:10]]
        more = f"\n(+{len(errors) - 10} more)" if len(errors) > 10 else ""
        return cls("invalid items:\n" + "\n".join(lines) + more)
