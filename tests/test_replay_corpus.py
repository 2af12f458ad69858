"""Recorded multi-turn chains: our turns give what the API accepted, but for the fields we drop."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pytest

from responses_replay import InputError, Turn
from tests import corpus

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not corpus.available(), reason="../shared/corpus is absent"),
]

#: Keys where our conversion and an accepted replay may legitimately differ, and why.
ALLOWED_DIFFERENCES = {
    "status": "the recorder stripped status (optional on input) or kept it",
    "phase": "recorders dropped message phase",
    "id": "ids stripped together (R5) by the recorder",
    "content": "recorders dropped empty reasoning content",
    "encrypted_content": "streams: the final response and output_item.done differ (R12 note)",
    "logprobs": "recorders dropped empty logprobs",
    "annotations": "recorders dropped empty annotations",
    "sources": "a recorder sent web_search_call `action.sources: null`; we omit the null",
}


def _previous(it: corpus.Interaction) -> corpus.Interaction | None:
    by_path: dict[str, dict[int, corpus.Interaction]] = _index()
    turns = by_path.get(str(it.data.get("source_path")), {})
    return turns.get(int(it.data.get("turn_in_cassette") or 0) - 1)


_CACHE: dict[str, dict[int, corpus.Interaction]] = {}


def _index() -> dict[str, dict[int, corpus.Interaction]]:
    if not _CACHE:
        tmp: dict[str, dict[int, corpus.Interaction]] = defaultdict(dict)
        for it in corpus.interactions():
            if it.data.get("request") is not None:
                tmp[str(it.data.get("source_path"))][int(it.data.get("turn_in_cassette") or 0)] = it
        _CACHE.update(tmp)
    return _CACHE


def _diff(ours: Any, theirs: Any, path: str, out: Counter[str]) -> None:
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for key in set(ours) | set(theirs):
            if key not in ours or key not in theirs:
                out[key] += 1
            else:
                _diff(ours[key], theirs[key], f"{path}.{key}", out)
    elif isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs):
        for a, b in zip(ours, theirs, strict=True):
            _diff(a, b, path, out)
    elif ours != theirs:
        out[path.rsplit(".", 1)[-1] or "value"] += 1


def test_accepted_replays_match_our_turns() -> None:
    chains = items = exact = 0
    kinds: Counter[str] = Counter()
    for it in corpus.accepted_creates():
        body = it.request_body
        sent = body.get("input") if isinstance(body, dict) else None
        prev = _previous(it)
        if not isinstance(sent, list) or prev is None:
            continue
        responses = list(prev.responses())
        if not responses:
            continue
        output = responses[-1].get("output") or []
        ids = {o.get("id") for o in output if isinstance(o, dict) and o.get("id")}
        replayed = [s for s in sent if isinstance(s, dict) and s.get("id") in ids]
        if not replayed:
            continue
        chains += 1
        turn = Turn.from_response(
            responses[-1], unknown="pass", incomplete="drop_trailing_reasoning"
        )
        ours = {d.get("id"): d for d in turn.to_input()}
        for accepted in replayed:
            mine = ours.get(accepted["id"])
            assert mine is not None, f"{it.path}: {accepted['id']} missing from our turn"
            items += 1
            diff: Counter[str] = Counter()
            _diff(mine, accepted, "", diff)
            exact += not diff
            kinds.update(diff)
    print(
        f"\ncorpus replays: {chains} chains, {items} replayed items, {exact} identical; differences: {dict(kinds)}"
    )
    assert chains > 0
    unexpected = set(kinds) - set(ALLOWED_DIFFERENCES)
    assert not unexpected, f"differences outside the overlay's drops: {unexpected}"


def test_every_recorded_response_converts_to_a_turn() -> None:
    """Every recorded response (real API and response-only recordings) becomes input items; a
    background response recorded while still queued is refused (its output is not final)."""
    responses = items = unfinished = 0
    for _it, body in corpus.output_responses():
        if body.get("status") in ("queued", "in_progress"):
            with pytest.raises(
                InputError, match=r"is (queued|in_progress): its output is not final"
            ):
                Turn.from_response(body)
            unfinished += 1
            continue
        turn = Turn.from_response(body, unknown="pass", incomplete="drop_trailing_reasoning")
        responses += 1
        items += len(turn)
    print(
        f"\nrecorded responses converted: {responses}, input items: {items}, unfinished: {unfinished}"
    )
    assert responses > 1000
