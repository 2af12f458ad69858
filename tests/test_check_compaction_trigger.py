"""`compaction_trigger` only as the last input item: the checker and the builders agree."""

from __future__ import annotations

from typing import Any

import pytest

from responses_replay import History, ReplayError, check, inputs

USER = {"role": "user", "content": "Summarise."}
TRIGGER = {"type": "compaction_trigger"}


def _r13(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    body = {"model": "gpt-5", "store": True, "input": items}
    return [(f.path, f.message) for f in check(body) if f.rule == "R13"]


def test_a_trigger_before_another_item_is_refused() -> None:
    assert _r13([TRIGGER, USER]) == [
        (
            "input[0]",
            "compaction_trigger is accepted only as the last input item (it is input[0]; the last "
            "is input[1]).",
        )
    ]
    assert [p for p, _ in _r13([USER, TRIGGER, USER, TRIGGER])] == ["input[1]"]


def test_a_trigger_last_is_accepted() -> None:
    assert _r13([USER, TRIGGER]) == []
    assert _r13([TRIGGER]) == []


def test_the_builders_refuse_with_the_same_words() -> None:
    history = History(store=True)
    history.user("Summarise.")
    history.add(inputs.CompactionTriggerItemParam(type="compaction_trigger"))
    history.user("And then?")
    with pytest.raises(ReplayError) as info:
        history.body(model="gpt-5")
    body_items = [USER, TRIGGER, {"role": "user", "content": "And then?"}]
    ((path, message),) = _r13(body_items)
    assert (info.value.rule, info.value.where, info.value.message) == ("R13", path, message)
