"""Wrong types and values are errors worded as the API words them, at the API's kind of path.

Oracle: the API's messages in api-errors.md (`Invalid type for 'input[4].error': expected an
object, but got a string instead.`, `string too long. Expected a string with maximum length`),
the spec's types and `max_length` (10485760 on function_call_output.output), and issue 10's list.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from responses_replay.checker import ReplayCheckError, check, check_or_raise

USER = {"role": "user", "content": "What is the weather in Paris?"}
CALL = {"type": "function_call", "call_id": "call_1", "name": "weather", "arguments": "{}"}


def answer(output: Any) -> dict[str, Any]:
    return {"type": "function_call_output", "call_id": "call_1", "output": output}


MCP_CALL = {"type": "mcp_call", "id": "mcp_1", "server_label": "s", "name": "n", "arguments": "{}"}

#: pydantic's own names for union members and schema nodes: never in a path or a message
PYDANTIC_LABELS = re.compile(r"constrained-str|typed-dict|tagged-union|list\[|\.str\b|\.int\b")

WRONG_TYPES: list[tuple[str, dict[str, Any], str, str]] = [
    (
        "content null",
        {"input": [{"role": "user", "content": None}]},
        "input[0].content",
        "Invalid type for 'input[0].content': expected one of a string or an array, but got null "
        "instead.",
    ),
    (
        "content 42",
        {"input": [{"role": "user", "content": 42}]},
        "input[0].content",
        "Invalid type for 'input[0].content': expected one of a string or an array, but got an "
        "integer instead.",
    ),
    (
        "output an object",
        {"input": [USER, CALL, answer({"temperature": 18})]},
        "input[2].output",
        "Invalid type for 'input[2].output': expected one of a string or an array, but got an "
        "object instead.",
    ),
    (
        "output null",
        {"input": [USER, CALL, answer(None)]},
        "input[2].output",
        "Invalid type for 'input[2].output': expected one of a string or an array, but got null "
        "instead.",
    ),
    (
        "output past max_length",
        {"input": [USER, CALL, answer("x" * (10_485_760 + 1))]},
        "input[2].output",
        "Invalid 'input[2].output': string too long. Expected a string with maximum length "
        "10485760, but got a string with length 10485761 instead.",
    ),
    (
        "mcp_call.error a string",
        {"input": [USER, {**MCP_CALL, "error": "boom"}]},
        "input[1].error",
        "Invalid type for 'input[1].error': expected an object, but got a string instead.",
    ),
    (
        "unknown item type",
        {"input": [USER, {"type": "context_compaction", "id": "cc_1"}]},
        "input[1].type",
        "Invalid value: 'context_compaction'. Supported values are: ",
    ),
]


@pytest.mark.parametrize(
    ("name", "body", "path", "message"), WRONG_TYPES, ids=[c[0] for c in WRONG_TYPES]
)
def test_wrong_types_are_errors_at_the_apis_path(
    name: str, body: dict[str, Any], path: str, message: str
) -> None:
    findings = check(body)
    assert [(f.rule, f.path, f.severity) for f in findings] == [("R13", path, "error")], findings
    assert findings[0].message.startswith(message)
    for f in findings:
        assert not PYDANTIC_LABELS.search(f.path + f.message + f.fix), f
    with pytest.raises(ReplayCheckError):
        check_or_raise(body)


def test_encrypted_content_null_and_empty_are_errors() -> None:
    """api-errors.md: `encrypted_content` is nullable in the spec, but null is refused (R1); an
    empty one cannot be verified (R12)."""
    msg = {
        "type": "message",
        "role": "assistant",
        "content": [{"type": "output_text", "text": "x"}],
    }
    for value, rule in ((None, "R1"), ("", "R12")):
        reasoning = {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": value}
        body = {"input": [USER, reasoning, msg]}
        assert [(f.rule, f.path, f.severity) for f in check(body)] == [
            (rule, "input[1].encrypted_content", "error")
        ]
        with pytest.raises(ReplayCheckError):
            check_or_raise(body)
    compaction = {"type": "compaction", "id": "cmp_1", "encrypted_content": ""}
    assert {(f.rule, f.severity) for f in check({"input": [USER, compaction]})} == {
        ("R12", "error")
    }


def _deep(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = {"a": [value]}
    return value


@pytest.mark.parametrize(
    "item",
    [
        {"role": ["user"], "content": "x"},
        {"role": {"user": 1}, "content": "x"},
        {"type": ["message"], "role": "user", "content": "x"},
        {"type": {"a": 1}},
        {"role": _deep(1000), "content": "x"},
        {"type": _deep(1000)},
        {"role": "user", "content": _deep(1000)},
        {**CALL, "id": _deep(1000), "call_id": _deep(1000)},
        {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": _deep(1000)},
        answer(_deep(1000)),
    ],
    ids=["role list", "role dict", "type list", "type dict", "deep role", "deep type",
         "deep content", "deep id", "deep encrypted_content", "deep output"],
)  # fmt: skip
def test_odd_values_are_findings_never_a_crash(item: dict[str, Any]) -> None:
    findings = check({"input": [USER, item]})
    assert any(f.severity == "error" and f.path.startswith("input[1]") for f in findings), findings
    for f in findings:
        assert len(str(f)) < 2000
        assert not PYDANTIC_LABELS.search(f.path + f.message), f


def test_a_part_list_with_a_bad_part_is_one_finding_at_the_part() -> None:
    # the list is a type `output` takes: "expected a string, but got an array" was a second,
    # wrong finding next to the part's own (the union's string branch refusing the list)
    body = {"model": "gpt-5",
            "input": [USER, CALL, answer([{"type": "output_text", "text": "18°C"}])]}  # fmt: skip
    found = [(f.rule, f.path, f.message) for f in check(body)]
    assert found == [
        (
            "R13",
            "input[2].output[0].type",
            "Invalid value: 'output_text'. Supported values are: 'input_file', 'input_image', "
            "and 'input_text'.",
        )
    ]
