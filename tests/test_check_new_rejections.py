"""Rejections reported after the first version (api-errors.md, "Reported since"), each with its fix."""

from __future__ import annotations

from typing import Any

import pytest

from responses_replay.checker import check

USER = {"role": "user", "content": "What is the weather in Paris?"}
REASONING = {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAAAB"}


def found(body: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(f.rule, f.path, f.severity) for f in check(body)]


def test_r14_previous_response_id_with_store_false_is_a_warning() -> None:
    body = {"store": False, "previous_response_id": "resp_1", "input": [USER]}
    (f,) = check(body)
    assert (f.rule, f.path, f.severity) == ("R14", "previous_response_id", "warning")
    assert f.message.startswith("Previous response with id 'resp_1' not found.")
    assert check({"store": True, "previous_response_id": "resp_1", "input": [USER]}) == []
    assert check({"previous_response_id": "resp_1", "input": [USER]}) == []


def test_r5_a_message_keeping_its_id_has_its_own_wording() -> None:
    stripped = {**REASONING}
    del stripped["id"]
    message = {"type": "message", "id": "msg_1", "role": "assistant",
               "content": [{"type": "output_text", "text": "Sunny."}]}  # fmt: skip
    (f,) = check({"input": [USER, stripped, message]})
    assert (f.rule, f.path) == ("R5", "input[2].id")
    assert f.message == (
        "Item 'msg_1' of type 'message' was provided without its required preceding item of type "
        "'reasoning'."
    )
    fixed = {**message}
    del fixed["id"]
    assert check({"input": [USER, stripped, fixed]}) == []


@pytest.mark.parametrize(
    ("call", "words"),
    [
        ({"type": "custom_tool_call", "call_id": "call_c", "name": "exec", "input": "ls"},
         "custom tool call"),
        ({"type": "function_call", "call_id": "call_c", "name": "f", "arguments": "{}"},
         "function call"),
        ({"type": "shell_call", "call_id": "call_c", "action": {"commands": ["ls"]}}, "shell call"),
    ],
)  # fmt: skip
def test_r7_names_the_call_type(call: dict[str, Any], words: str) -> None:
    r7 = [f for f in check({"input": [USER, call]}) if f.rule == "R7"]
    assert [f.message for f in r7] == [f"No tool output found for {words} call_c."]


def test_r11_an_id_longer_than_64_characters() -> None:
    long_id = "fc_" + "a" * 62
    call = {
        "type": "function_call",
        "id": long_id,
        "call_id": "call_1",
        "name": "f",
        "arguments": "{}",
    }
    output = {"type": "function_call_output", "call_id": "call_1", "output": "x"}
    (f,) = check({"input": [USER, call, output]})
    assert (f.rule, f.path, f.severity) == ("R11", "input[1].id", "error")
    assert f.message == (
        "Invalid 'input[1].id': string too long. Expected a string with maximum length 64, but got "
        "a string with length 65 instead."
    )
    assert check({"input": [USER, {**call, "id": long_id[:64]}, output]}) == []


def test_configuration_update_twice_in_a_row() -> None:
    update = {"type": "configuration_update", "reasoning": {"effort": "high"}}
    r13 = [f for f in check({"input": [USER, update, update]}) if "in a row" in f.message]
    assert [(f.rule, f.path, f.severity) for f in r13] == [("R13", "input[2]", "error")]
    assert [
        f for f in check({"input": [USER, update, USER, update]}) if "in a row" in f.message
    ] == []
