"""Repair a `POST /v1/responses` body: the mechanical fixes of the replay rules, each one reported.

`repair(body)` returns the corrected body, the repairs made (rule, path, what was done, why) and
the findings of `check()` that remain. Every repair follows from the overlay tables (the generated
`registry`) and a rule of `api-errors.md`; what cannot be fixed without inventing data (a missing
tool output, R7; a call the context lacks, R6; reasoning without `encrypted_content` under
`store=false`, R3) is left in place and reported, never guessed. Caller content (user, system and
developer messages, tool outputs, the text of assistant messages) comes out unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import Finding, check  # the public names: the checker's own layout may change
from ._repair_base import Repair
from ._repair_list import ListRepairs
from .checker import read_body

__all__ = ["Repair", "Repaired", "repair"]


@dataclass(frozen=True, slots=True)
class Repaired:
    """What `repair` returns: the corrected body, the repairs made, the findings that remain.

    `findings` are `check()`'s findings on the corrected `body` (its paths are the body's own),
    warnings included; `repairs` name paths of the body as it was given.
    """

    body: dict[str, Any]
    repairs: tuple[Repair, ...]
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The remaining findings the API is known to reject."""
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def clean(self) -> bool:
        """No error remains: the corrected body can be sent."""
        return not self.errors


def repair(body: Any) -> Repaired:
    """The body with every mechanical replay fix applied, what was done, and what remains.

    Takes what `check()` takes (a dict, JSON text/bytes, `openai` SDK objects inside); the body
    given is never changed. Raises `InputError` when it cannot be read at all.
    """
    data = read_body(body)
    raw = data.get("input")
    if not isinstance(raw, list | tuple):
        return Repaired(dict(data), (), tuple(check(data)))
    fixer = ListRepairs(data)
    items, origin = fixer.items(list(raw))
    out = {**data, "input": items}
    findings = check(out)
    if fixer.nulls(items, findings, origin):
        findings = check(out)
        if fixer.required(findings):
            findings = check(out)
    repairs = tuple(r for _, r in sorted(fixer.done, key=lambda t: t[0]))
    return Repaired(out, repairs, tuple(findings))
