"""No false findings on shapes the API accepts (issue 10, from recorded traffic and reports)."""

from __future__ import annotations

from typing import Any

from responses_replay.checker import check

USER = {"role": "user", "content": "Draw a cat, then look up the weather."}
REASONING = {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAAAB"}
ANSWER = {
    "type": "message",
    "role": "assistant",
    "content": [{"type": "output_text", "text": "Done."}],
}


def errors(body: dict[str, Any]) -> list[str]:
    return [str(f) for f in check(body) if f.severity == "error"]


def test_an_id_only_hosted_tool_item_under_store_true_is_a_reference() -> None:
    reference = {"type": "image_generation_call", "id": "ig_1"}
    for store in ({}, {"store": True}):
        assert errors({**store, "input": [USER, REASONING, reference, ANSWER]}) == []
    # under store=false the same item is R3 (nothing is stored to refer to)
    stateless = {"store": False, "include": ["reasoning.encrypted_content"],
                 "input": [USER, REASONING, reference, ANSWER]}  # fmt: skip
    assert {f.rule for f in check(stateless) if f.severity == "error"} == {"R3"}


def test_a_function_call_output_answers_a_client_executed_tool_search_call() -> None:
    search = {"type": "tool_search_call", "call_id": "call_ts", "execution": "client",
              "arguments": {"query": "weather"}}  # fmt: skip
    output = {"type": "function_call_output", "call_id": "call_ts", "output": "[]"}
    assert errors({"input": [USER, search, output]}) == []
    # the output of nothing is still R6
    assert [f.rule for f in check({"input": [USER, output]})] == ["R6"]
