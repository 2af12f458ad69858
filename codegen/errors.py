"""Errors the generator reports to a person: always naming the file and the place."""

from __future__ import annotations


class CodegenError(Exception):
    """A problem with the generator's input, located by file and place (line or JSON path)."""

    def __init__(self, file: str, place: str, message: str) -> None:
        self.file = file
        self.place = place
        self.message = message
        super().__init__(f"{file}: {place}: {message}" if place else f"{file}: {message}")
