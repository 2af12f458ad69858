"""Errors the generator reports to a person: always naming the file and the place.

A stage that can go on after a problem records it in `Problems` and goes on, so that one run
reports every bad `$ref`, every overlay entry that matches nothing and every unpaired new type at
once; `Problems.raise_if_any()` ends the run with all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class CodegenError(Exception):
    """A problem with the generator's input, located by file and place (line or JSON path).

    When a run found several, this is the first and `problems` holds them all (itself included).
    """

    def __init__(self, file: str, place: str, message: str) -> None:
        self.file = file
        self.place = place
        self.message = message
        self.problems: list[CodegenError] = [self]
        super().__init__(self.line)

    @property
    def line(self) -> str:
        """The problem as one line (its message may go on over more lines)."""
        return (
            f"{self.file}: {self.place}: {self.message}"
            if self.place
            else f"{self.file}: {self.message}"
        )

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return self.line
        lines = [f"{len(self.problems)} problems:"]
        lines.extend(f"  - {p.line}" for p in self.problems)
        return "\n".join(lines)


@dataclass
class Problems:
    """The problems a run has found so far, in the order found (duplicates dropped)."""

    found: list[CodegenError] = field(default_factory=list)

    def add(self, file: str, place: str, message: str) -> None:
        self.found.append(CodegenError(file, place, message))

    def extend(self, error: CodegenError) -> None:
        self.found.extend(error.problems)

    def __bool__(self) -> bool:
        return bool(self.found)

    def raise_if_any(self) -> None:
        """Raise the first problem, carrying all of them; nothing when there are none."""
        unique = list({p.line: p for p in self.found}.values())
        if unique:
            first = unique[0]
            first.problems = unique
            raise first
