"""Read ../shared/corpus (recorded Responses API traffic); tests using it skip when it is absent."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("RESPONSES_REPLAY_CORPUS", ROOT.parent / "shared" / "corpus"))
REAL = ("openai", "azure")


@dataclass(frozen=True)
class Interaction:
    path: Path
    data: dict[str, Any]

    @property
    def endpoint(self) -> str:
        return str(self.data.get("endpoint") or "")

    @property
    def real(self) -> bool:
        """Recorded against the real API (its verdict counts), or a response-only recording."""
        return self.data.get("provider") in REAL

    @property
    def status(self) -> int:
        return int((self.data.get("response") or {}).get("status_code") or 0)

    @property
    def request_body(self) -> Any:
        return ((self.data.get("request") or {}).get("body")) if self.data.get("request") else None

    def responses(self) -> Iterator[dict[str, Any]]:
        """Every response object recorded (plain body, or a stream's final response)."""
        resp = self.data.get("response") or {}
        body = resp.get("body")
        if isinstance(body, dict) and body.get("object") == "response":
            yield body
        final = resp.get("final_response")
        if isinstance(final, dict):
            yield final


def available() -> bool:
    return (CORPUS / "interactions").is_dir()


@cache
def interactions() -> tuple[Interaction, ...]:
    out = []
    for sub in ("interactions", "response-only"):
        for path in sorted((CORPUS / sub).rglob("*.json")):
            out.append(Interaction(path, json.loads(path.read_text(encoding="utf-8"))))
    return tuple(out)


def accepted_creates() -> Iterator[Interaction]:
    for it in interactions():
        if it.real and it.endpoint == "responses.create" and 200 <= it.status < 300:
            yield it


def output_responses() -> Iterator[tuple[Interaction, dict[str, Any]]]:
    """Response objects of the real API and of response-only recordings."""
    for it in interactions():
        if it.real or it.data.get("request") is None:
            for body in it.responses():
                yield it, body
