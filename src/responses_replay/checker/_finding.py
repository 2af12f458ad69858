"""What the checker reports: a `Finding` per problem, `ReplayCheckError` carrying them all."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

from .._errors import ReplayError

__all__ = ["Finding", "ReplayCheckError", "Severity"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One replay problem: rule (`R1`..`R15`), JSON path, the API's message, a one-sentence fix."""

    rule: str
    path: str
    message: str
    fix: str
    severity: Severity = "error"

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{where}{self.rule} {self.severity}: {self.message} Fix: {self.fix}"


class ReplayCheckError(ReplayError, ValueError):
    """A request body with error findings; `findings` holds all of them (warnings too)."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings: tuple[Finding, ...] = tuple(findings)
        errors = [f for f in self.findings if f.severity == "error"] or list(self.findings)
        first = errors[0]
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first.rule, first.path, first.message + more)

    def __str__(self) -> str:
        return "\n".join(str(f) for f in self.findings)
