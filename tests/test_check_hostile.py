"""Hostile request bodies: a clear error or a finding, never a crash, a hang or a traceback."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from pydantic import BaseModel

from responses_replay import InputError, Turn, parse_response
from responses_replay.checker import check

USER = {"role": "user", "content": "hi"}


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        "{",
        b"",
        "[1, 2]",
        "42",
        '"a string"',
        "null",
        b"\xff\xfe{}",
        b'{"input": "\xc3\x28"}',
    ],
)
def test_unusable_bodies_raise_input_error(body: str | bytes) -> None:
    with pytest.raises(InputError):
        check(body)


def test_not_an_object_python_value() -> None:
    with pytest.raises(InputError, match="JSON object"):
        check([USER])


def test_nesting_10000_deep_text_is_an_input_error() -> None:
    deep = '{"input": [' + '{"a": ' * 10_000 + "1" + "}" * 10_000 + "]}"
    with pytest.raises(InputError):
        check(deep)


def test_nesting_10000_deep_python_value_is_a_finding() -> None:
    value: object = 1
    for _ in range(10_000):
        value = {"a": value}
    findings = check({"input": [USER, {"role": "user", "content": [value]}]})
    assert findings
    assert all(f.rule == "R13" for f in findings)


def test_lone_surrogates_in_json_text_are_an_input_error() -> None:
    with pytest.raises(InputError):
        check('{"input": [{"role": "user", "content": "\\ud800"}]}')


@pytest.mark.parametrize(
    "read",
    [check, Turn.from_response, parse_response],
    ids=["check", "Turn.from_response", "parse_response"],
)
def test_a_str_holding_a_lone_surrogate_is_an_input_error_naming_where(read: Any) -> None:
    # a Python str (not JSON text escaping one): e.g. text decoded with `surrogateescape`; the
    # JSON reader takes UTF-8, which such a str has none of (it was a bare TypeError)
    text = '{"model": "m", "output": [], "input": [{"role": "user", "content": "\ud800"}]}'
    at = text.index("\ud800")
    with pytest.raises(InputError, match=rf"not valid text: character {at} is '\\ud800'"):
        read(text)


def test_lone_surrogates_in_python_values_stay_printable() -> None:
    bad_id = "\ud800\u0000"
    body = {
        "input": [
            {"type": "function_call", "id": bad_id, "call_id": "c", "name": "n", "arguments": "{}"},
            {"type": "function_call_output", "call_id": "c", "output": "x"},
        ]
    }
    findings = check(body)
    assert [f.rule for f in findings] == ["R11"]
    for f in findings:
        str(f).encode("utf-8")  # no lone surrogate survives into a message


def test_fifty_megabyte_body() -> None:
    big = "x" * (50 * 1024 * 1024)
    body = json.dumps(
        {
            "input": [
                USER,
                {
                    "type": "function_call",
                    "id": big,
                    "call_id": "c",
                    "name": "n",
                    "arguments": "{}",
                },
            ]
        }
    )
    start = time.perf_counter()
    findings = check(body)
    assert time.perf_counter() - start < 10
    assert {f.rule for f in findings} >= {"R11", "R7"}
    assert all(len(f.message) < 1000 for f in findings)


def test_many_invalid_items_are_capped() -> None:
    findings = check({"input": [{"type": "nope"}] * 5000})
    assert 1000 <= len(findings) <= 1001
    assert "more schema violations" in findings[-1].message


@pytest.mark.parametrize(
    "body",
    [
        {"input": 5},
        {"input": {"role": "user"}},
        {"store": "no", "input": "hi"},
        {"input": [None, 1, "x", [], {}]},
        {"input": [{"type": "reasoning"}]},
        {"input": [{"type": "function_call_output", "call_id": 5, "output": []}]},
    ],
)
def test_wrong_shapes_are_findings(body: dict[str, object]) -> None:
    assert check(body)


def test_a_model_body_that_cannot_be_serialised_is_an_input_error() -> None:
    """A pydantic serialization error never escapes: the library's own error, naming the body."""

    class Opaque:
        pass

    class Body(BaseModel):
        input: Any

    with pytest.raises(InputError, match="request body"):
        check(Body(input=[{"role": "user", "content": Opaque()}]))


@pytest.mark.parametrize("body", [b'{"input": "\xc3\x28"}', bytearray(b"\xff\xfe{}")])
def test_invalid_utf8_names_the_byte(body: bytes | bytearray) -> None:
    try:
        bytes(body).decode("utf-8")
    except UnicodeDecodeError as exc:  # the codec's own answer is the oracle
        where = f"byte {exc.start}: {exc.reason}"
    with pytest.raises(InputError, match="not valid UTF-8") as raised:
        check(body)
    assert where in str(raised.value)
