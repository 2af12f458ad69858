"""The checker's shortcuts for a clean body give the answers of the item-by-item rules they skip.

`r06_calls._all_paired` says "nothing to report" without the bookkeeping a finding needs, and
`r03_references._looked_at` passes over whole items. On random bodies (keys shared, outputs
missing, doubled, before their call, not strings, chained or not; references, id-only items,
reasoning with and without its encrypted_content) the findings with and without them are equal.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings, strategies as st

from responses_replay import check
from responses_replay.checker.rules import r06_calls

_KEYS = st.sampled_from(["c1", "c2", "c3"]) | st.sampled_from([None, 5, ["c1"]])
_CALL_TYPES = st.sampled_from(
    [("function_call", "function_call_output"), ("custom_tool_call", "custom_tool_call_output")]
)


@st.composite
def _items(draw: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [{"role": "user", "content": "go"}]
    for _ in range(draw(st.integers(0, 6))):
        call, output = draw(_CALL_TYPES)
        key = draw(_KEYS)
        if draw(st.booleans()):
            item: dict[str, Any] = {"type": call, "call_id": key, "name": "f"}
            item |= {"arguments": "{}"} if call == "function_call" else {"input": "x"}
        else:
            item = {"type": output, "call_id": key, "output": "ok"}
        out.append(item)
    return out


@settings(max_examples=300, deadline=None)
@given(_items(), st.booleans())
def test_all_paired_agrees_with_the_item_by_item_rule(items: list[Any], chained: bool) -> None:
    body: dict[str, Any] = {"model": "m", "input": items}
    if chained:
        body["previous_response_id"] = "resp_1"
    fast = check(body)
    original = r06_calls._all_paired
    r06_calls._all_paired = lambda ctx: False  # type: ignore[assignment]
    try:
        slow = check(body)
    finally:
        r06_calls._all_paired = original
    assert fast == slow


_STATELESS_ITEMS = st.lists(
    st.sampled_from(
        [
            {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "e"},
            {"type": "reasoning", "summary": [], "encrypted_content": "e"},
            {"type": "reasoning", "id": "rs_2", "summary": []},
            {"type": "reasoning", "summary": [], "encrypted_content": ""},
            {"type": "reasoning", "id": "rs_3"},
            {"type": "item_reference", "id": "msg_1"},
            {"id": "fc_9"},
            {"type": "image_generation_call", "id": "ig_1"},
            {"type": "message", "id": "msg_2", "role": "assistant", "content": []},
            {"type": "message", "role": "assistant", "content": "hi"},
            {"role": "user", "content": "go"},
        ]
    ),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(_STATELESS_ITEMS, st.booleans())
def test_r3_looks_at_what_the_whole_loop_would(items: list[Any], include: bool) -> None:
    """`r03_references._looked_at` passes over whole items: the same findings as looking at
    every item with an id or of type reasoning."""
    from responses_replay.checker.rules import r03_references

    body: dict[str, Any] = {"model": "m", "store": False, "input": items}
    if include:
        body["include"] = ["reasoning.encrypted_content"]
    fast = check(body)
    original = r03_references._looked_at
    r03_references._looked_at = lambda ctx: {*ctx.id_of, *ctx.indices("reasoning")}  # type: ignore[assignment]
    try:
        slow = check(body)
    finally:
        r03_references._looked_at = original
    assert fast == slow
