"""R4 on mutated real bodies: a reasoning item followed by anything other than what it produced.

Oracle (api-errors.md, issue 10): the API rejects a reasoning item followed by an assistant message
the caller wrote (recorded), and the same for a user message or a tool output after it; it accepts
the produced call with its id stripped under store=false (recorded). Every accepted corpus body
with a reasoning item gives one mutated body per shape; every one must be flagged.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import corpus
import pytest

from responses_replay.checker import check

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not corpus.available(), reason="../shared/corpus is not available"),
]

Body = dict[str, Any]


def _reasoning_bodies() -> Iterator[tuple[str, Body, int]]:
    """(name, accepted body, index of a reasoning item followed by the item it produced)."""
    for it in corpus.accepted_creates():
        body = it.request_body
        items = body.get("input") if isinstance(body, dict) else None
        if not isinstance(items, list):
            continue
        for r, item in enumerate(items[:-1]):
            if isinstance(item, dict) and item.get("type") == "reasoning":
                yield it.path.name, body, r


def _insert(new: Body) -> Callable[[list[Any], int], None]:
    def mutate(items: list[Any], r: int) -> None:
        items.insert(r + 1, copy.deepcopy(new))

    return mutate


def _replace(new: Body) -> Callable[[list[Any], int], None]:
    def mutate(items: list[Any], r: int) -> None:
        items[r + 1] = copy.deepcopy(new)

    return mutate


CALLER_ASSISTANT = {"role": "assistant", "content": "Let me check the weather."}
CALLER_USER = {"role": "user", "content": "And tomorrow?"}
TOOL_OUTPUT = {"type": "function_call_output", "call_id": "call_mutant", "output": "18°C"}

MUTATIONS: dict[str, Callable[[list[Any], int], None]] = {
    "caller assistant message inserted": _insert(CALLER_ASSISTANT),
    "caller assistant message instead": _replace(CALLER_ASSISTANT),
    "user message inserted": _insert(CALLER_USER),
    "user message instead": _replace(CALLER_USER),
    "tool output inserted": _insert(TOOL_OUTPUT),
}


def test_every_mutated_body_is_flagged_r4() -> None:
    flagged: Counter[str] = Counter()
    total: Counter[str] = Counter()
    missed: list[tuple[str, str]] = []
    for name, body, r in _reasoning_bodies():
        for label, mutate in MUTATIONS.items():
            mutated = copy.deepcopy(body)
            mutate(mutated["input"], r)
            total[label] += 1
            if any(
                f.rule == "R4" and f.severity == "error" and f.path == f"input[{r}]"
                for f in check(mutated)
            ):
                flagged[label] += 1
            else:
                missed.append((name, label))
    rates = {label: f"{flagged[label]}/{n}" for label, n in total.items()}
    print(f"\nR4 mutation detection: {sum(flagged.values())}/{sum(total.values())} {rates}")
    assert sum(total.values()) >= 19
    assert missed == [], missed[:5]


def test_the_produced_call_without_its_id_is_accepted_under_store_false() -> None:
    """Recorded as accepted: reasoning followed by the call it produced, the call's id stripped."""
    checked = 0
    for _, body, r in _reasoning_bodies():
        nxt = body["input"][r + 1]
        if body.get("store") is not False or nxt.get("type") != "function_call":
            continue
        stripped = copy.deepcopy(body)
        stripped["input"][r + 1].pop("id", None)
        assert [f for f in check(stripped) if f.rule == "R4"] == [], body
        checked += 1
    print(f"\nreasoning > call without id under store=false, accepted: {checked}")
    assert checked >= 20
