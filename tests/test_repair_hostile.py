"""Hostile bodies through `repair`: a clear error or a finding, never a crash, a hang or a traceback."""

from __future__ import annotations

import pytest

from responses_replay import InputError, repair

USER = {"role": "user", "content": "hi"}


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        "{",
        b"",
        "[1, 2]",
        "42",
        "null",
        b"\xff\xfe{}",
        b'{"input": "\xc3\x28"}',
        '{"input": [{"role": "user", "content": "\\ud800"}]}',
        [USER],
        3,
    ],
)
def test_unusable_bodies_raise_input_error(body: object) -> None:
    with pytest.raises(InputError):
        repair(body)


def deep(levels: int) -> object:
    value: object = None
    for _ in range(levels):
        value = {"a": value}
    return value


def test_deep_values_are_left_to_the_findings() -> None:
    call = {"type": "function_call", "id": "fc_1", "call_id": "c", "name": "n", "arguments": "{}"}
    twin = {**call, "extra": deep(10_000)}  # one id twice; comparing them would recurse
    result = repair({"input": [USER, {**call, "extra": deep(10_000)}, twin]})
    assert len(result.body["input"]) == 3
    assert not result.clean
    caller = {"role": "user", "content": [deep(10_000)]}
    result = repair({"input": [caller]})
    assert result.body["input"][0] is caller
    assert not result.clean


def test_lone_surrogates_stay_printable() -> None:
    bad = "\ud800x"
    body = {
        "previous_response_id": "resp_1",
        "input": [{"type": "function_call", "id": f"fc_{bad}", "call_id": bad, "name": "n",
                   "arguments": "{}", "status": None}],
    }  # fmt: skip
    result = repair(body)
    assert result.body["input"] == []
    for r in result.repairs:
        str(r).encode("utf-8")
