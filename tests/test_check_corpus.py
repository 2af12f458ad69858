"""The checker against recorded traffic: no error on any request the real API accepted."""

from __future__ import annotations

from collections import Counter

import corpus
import pytest

from responses_replay.checker import check

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not corpus.available(), reason="../shared/corpus is not available"),
]

REPLAY_RULES = {f"R{i}" for i in range(1, 14)}


def test_no_error_finding_on_accepted_requests() -> None:
    checked = 0
    false: list[tuple[str, str]] = []
    warnings: Counter[str] = Counter()
    for it in corpus.accepted_creates():
        body = it.request_body
        if not isinstance(body, dict):
            continue
        checked += 1
        for f in check(body):
            if f.severity == "error":
                false.append((it.path.name, str(f)))
            else:
                warnings[f.rule] += 1
    # Rejections: openai/azure 4xx on responses.create whose error names a replay rule. The corpus
    # has none (its 4xx are keys, models, schemas, context length), so this reports 0 of 0.
    rejected = [
        it
        for it in corpus.interactions()
        if it.real and it.endpoint == "responses.create" and 400 <= it.status < 500
    ]
    replay_rejections = [it for it in rejected if _replay_rule(it) is not None]
    flagged = sum(
        1
        for it in replay_rejections
        if isinstance(it.request_body, dict)
        and any(
            f.rule == _replay_rule(it) and f.severity == "error" for f in check(it.request_body)
        )
    )
    print(
        f"\ncorpus: accepted checked {checked}, false findings {len(false)}, "
        f"warnings {dict(warnings)}, rejections flagged {flagged} of {len(replay_rejections)} "
        f"(4xx on responses.create: {len(rejected)})"
    )
    assert checked > 1000
    assert false == [], false[:10]


def _replay_rule(it: corpus.Interaction) -> str | None:
    """The rule a recorded rejection's message matches (None: not a replay error)."""
    body = (it.data.get("response") or {}).get("body")
    error = body.get("error") if isinstance(body, dict) else None
    message = str(error.get("message", "")) if isinstance(error, dict) else ""
    patterns = {
        "R1": "Unknown parameter",
        "R2": "Duplicate item found",
        "R3": "not found. Items are not persisted",
        "R4": "without its required following item",
        "R5": "without its required 'reasoning' item",
        "R6": "No tool call found",
        "R7": "No tool output found",
        "R8": "Mutually exclusive parameters",
        "R9": "currently operating on this conversation",
        "R10": "Missing required parameter: 'input",
        "R11": "Expected an ID",
        "R12": "could not be verified",
    }
    for rule, pattern in patterns.items():
        if pattern in message:
            return rule
    return None
