"""The request checker: each rule has a failing request and its corrected twin."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from hypothesis import given, strategies as st
from pydantic import ValidationError

from responses_replay import _shape
from responses_replay._errors import locate
from responses_replay._generated.inputs import InputItemListAdapter
from responses_replay.checker import Finding, ReplayCheckError, check, check_or_raise

ENC = "gAAAAABencrypted"
USER = {"role": "user", "content": "What is the weather in Paris?"}


def rs(id_: str | None = "rs_1", enc: str | None = ENC) -> dict[str, Any]:
    item: dict[str, Any] = {"type": "reasoning", "summary": []}
    if id_ is not None:
        item["id"] = id_
    if enc is not None:
        item["encrypted_content"] = enc
    return item


def fc(call_id: str = "call_1", id_: str | None = None) -> dict[str, Any]:
    item = {"type": "function_call", "call_id": call_id, "name": "weather", "arguments": "{}"}
    if id_ is not None:
        item["id"] = id_
    return item


def out(call_id: str = "call_1") -> dict[str, Any]:
    return {"type": "function_call_output", "call_id": call_id, "output": "sunny"}


def msg(id_: str | None = "msg_1") -> dict[str, Any]:
    item: dict[str, Any] = {
        "type": "message",
        "role": "assistant",
        "content": [{"type": "output_text", "text": "Sunny.", "annotations": []}],
    }
    if id_ is not None:
        item["id"] = id_
    return item


CUSTOM_CALL = {"type": "custom_tool_call", "call_id": "call_c", "name": "exec", "input": "ls"}
CUSTOM_OUT = {"type": "custom_tool_call_output", "call_id": "call_c", "output": "a.txt"}


def errors(body: Any) -> list[Finding]:
    return [f for f in check(body) if f.severity == "error"]


def rules(body: Any, severity: str = "error") -> set[str]:
    return {f.rule for f in check(body) if f.severity == severity}


# Each case: rule, the failing body, its corrected twin, the path and message the API would give.
CASES: list[tuple[str, dict[str, Any], dict[str, Any], str, str]] = [
    (
        "R1",
        {"input": [USER, {**rs(), "status": "completed"}, msg()]},
        {"input": [USER, rs(), msg()]},
        "input[1].status",
        "Unknown parameter: 'input[1].status'.",
    ),
    (
        "R1",
        {
            "input": [
                USER,
                {
                    "type": "message",
                    "role": "assistant",
                    "content": [{"type": "output_text", "text": "x", "cache_control": {}}],
                },
            ]
        },
        {
            "input": [
                USER,
                {
                    "type": "message",
                    "role": "assistant",
                    "content": [{"type": "output_text", "text": "x"}],
                },
            ]
        },
        "input[1].content[0].cache_control",
        "Unknown parameter: 'input[1].content[0].cache_control'.",
    ),
    (
        "R2",
        {"input": [USER, msg("msg_1"), USER, msg("msg_1")]},
        {"input": [USER, msg("msg_1"), USER, msg("msg_2")]},
        "input[3].id",
        "Duplicate item found with id msg_1. Remove duplicate items from your input and try again.",
    ),
    (
        "R2",
        {"previous_response_id": "resp_1", "input": [rs(), fc(id_="fc_1"), out()]},
        {"previous_response_id": "resp_1", "input": [out()]},
        "input[0].id",
        "Duplicate item found with id rs_1. Remove duplicate items from your input and try again.",
    ),
    (
        "R3",
        {
            "store": False,
            "include": ["reasoning.encrypted_content"],
            "input": [USER, rs(enc=None), msg(None)],
        },
        {
            "store": False,
            "include": ["reasoning.encrypted_content"],
            "input": [USER, rs(None), msg(None)],
        },
        "input[1]",
        "Item with id 'rs_1' not found. Items are not persisted when `store` is set to false. Try "
        "again with `store` set to true, or remove this item from your input.",
    ),
    (
        "R3",
        {"store": False, "input": [{"type": "item_reference", "id": "msg_9"}, USER]},
        {"store": True, "input": [{"type": "item_reference", "id": "msg_9"}, USER]},
        "input[0]",
        "Item with id 'msg_9' not found. Items are not persisted when `store` is set to false. Try "
        "again with `store` set to true, or remove this item from your input.",
    ),
    (
        "R4",
        {"input": [USER, rs()]},
        {"input": [USER, rs(), msg()]},
        "input[1]",
        "Item 'rs_1' of type 'reasoning' was provided without its required following item.",
    ),
    (
        "R4",
        {"input": [USER, rs("rs_1"), rs("rs_2"), msg()]},
        {"input": [USER, rs("rs_2"), msg()]},
        "input[1]",
        "Item 'rs_1' of type 'reasoning' was provided without its required following item.",
    ),
    (
        "R5",
        {"input": [USER, rs(None), fc(id_="fc_1"), out()]},
        {"input": [USER, rs(None), fc(), out()]},
        "input[2].id",
        "Item 'fc_1' of type 'function_call' was provided without its required 'reasoning' item.",
    ),
    (
        "R6",
        {"input": [USER, out("call_9")]},
        {"input": [USER, fc("call_9"), out("call_9")]},
        "input[1].call_id",
        "No tool call found for function call output with call_id call_9.",
    ),
    (
        "R7",
        {"input": [USER, fc("call_1"), fc("call_2"), out("call_1")]},
        {"input": [USER, fc("call_1"), fc("call_2"), out("call_1"), out("call_2")]},
        "input[2]",
        "No tool output found for function call call_2.",
    ),
    (
        "R8",
        {"previous_response_id": "resp_1", "conversation": "conv_1", "input": [USER]},
        {"conversation": "conv_1", "input": [USER]},
        "conversation",
        "Mutually exclusive parameters. Ensure you are only providing one of: "
        "'previous_response_id' or 'conversation'.",
    ),
    (
        "R10",
        {
            "input": [
                USER,
                {
                    "type": "web_search_call",
                    "status": "completed",
                    "action": {"type": "search", "query": "q"},
                },
                msg(None),
            ]
        },
        {
            "input": [
                USER,
                {
                    "type": "web_search_call",
                    "id": "ws_1",
                    "status": "completed",
                    "action": {"type": "search", "query": "q"},
                },
                msg(None),
            ]
        },
        "input[1].id",
        "Missing required parameter: 'input[1].id'.",
    ),
    (
        "R11",
        {"input": [USER, fc(id_="item_A9v0"), out()]},
        {"input": [USER, fc(), out()]},
        "input[1].id",
        "Invalid 'input[1].id': 'item_A9v0'. Expected an ID that begins with 'fc'.",
    ),
    (
        "R11",
        {"input": [USER, {**CUSTOM_CALL, "id": "fc_1"}, CUSTOM_OUT]},
        {"input": [USER, {**CUSTOM_CALL, "id": "ctc_1"}, CUSTOM_OUT]},
        "input[1].id",
        "Invalid 'input[1].id': 'fc_1'. Expected an ID that begins with 'ctc'.",
    ),
    (
        "R11",
        {"input": [USER, msg("")]},
        {"input": [USER, msg(None)]},
        "input[1].id",
        "Invalid 'input[1].id': ''. Expected an ID that contains letters, numbers, underscores, or "
        "dashes, but this value contained additional characters.",
    ),
    (
        "R13",
        {"input": [USER, {"role": "tool", "content": "sunny"}]},
        {"input": [USER, {"role": "user", "content": "sunny"}]},
        "input[1].role",
        "Invalid value: 'tool'. Supported values are: 'user', 'assistant', 'system', and 'developer'.",
    ),
    (
        "R13",
        {"input": [USER, {"type": "text", "text": "hi"}]},
        {
            "input": [
                USER,
                {
                    "type": "message",
                    "role": "user",
                    "content": [{"type": "input_text", "text": "hi"}],
                },
            ]
        },
        "input[1].type",
        "Invalid value: 'text'. Supported values are: ",
    ),
    (
        "R13",
        {"input": [USER, {**fc(), "arguments": {"city": "Paris"}}, out()]},
        {"input": [USER, {**fc(), "arguments": '{"city": "Paris"}'}, out()]},
        "input[1].arguments",
        "Invalid type for 'input[1].arguments': expected a string, but got an object instead.",
    ),
]


@pytest.mark.parametrize(("rule", "bad", "good", "path", "message"), CASES)
def test_rule_and_its_corrected_twin(
    rule: str, bad: dict[str, Any], good: dict[str, Any], path: str, message: str
) -> None:
    found = [f for f in errors(bad) if f.rule == rule]
    assert found, check(bad)
    assert any(f.path == path and f.message.startswith(message) for f in found), found
    assert all(f.fix and f.fix.endswith((".", ")")) for f in found)
    assert errors(good) == [], errors(good)


def test_rules_also_read_json_text_and_bytes() -> None:
    bad = CASES[0][1]
    assert check(json.dumps(bad)) == check(bad) == check(json.dumps(bad).encode())


def test_plain_string_input_and_no_input_are_fine() -> None:
    assert check({"model": "gpt-5", "input": "hi"}) == []
    assert check({"model": "gpt-5", "previous_response_id": "resp_1"}) == []


def test_null_on_a_known_key_is_a_warning_unknown_key_an_error() -> None:
    body = {"input": [USER, {**fc(), "status": None}, out()]}
    (f,) = check(body)
    assert (f.rule, f.severity, f.path) == ("R1", "warning", "input[1].status")
    body = {"input": [USER, {**fc(), "async_": True}, out()]}
    (f,) = check(body)
    assert (f.rule, f.severity) == ("R1", "error")


def test_null_on_a_required_key_is_an_error() -> None:
    (f,) = check({"input": [USER, {**fc(), "call_id": None}]})
    assert (f.rule, f.severity, f.path) == ("R13", "error", "input[1].call_id")


def test_accepted_oddities_of_recorded_traffic_are_not_errors() -> None:
    # client-invented call ids, a client message id with the right prefix, reasoning with id
    # followed by a function call without id (all accepted by the API in recorded traffic)
    body = {
        "store": False,
        "include": ["reasoning.encrypted_content"],
        "input": [
            USER,
            rs("rs_1"),
            fc("1"),
            out("1"),
            fc("google_unknown_tool_id"),
            out("google_unknown_tool_id"),
            msg("msg_missing_id"),
            {
                "type": "web_search_call",
                "id": "ws_1",
                "status": "completed",
                "action": {"type": "search", "query": "q", "sources": None},
            },
            msg(None),
        ],
    }
    assert errors(body) == []


def test_r3_missing_include_is_a_warning() -> None:
    body = {"store": False, "input": [USER, rs(None), msg(None)]}
    assert errors(body) == []
    assert rules(body, "warning") == {"R3"}


def test_r12_empty_encrypted_content_is_an_error() -> None:
    # issue 10: the API refuses it, so it is an error (it was a warning)
    assert rules({"input": [USER, rs(enc=""), msg()]}, "error") == {"R12"}
    assert rules({"input": [USER, rs(), msg()]}, "warning") == set()
    assert rules({"input": [USER, rs(), msg()]}, "error") == set()


def test_r5_hosted_calls_keep_their_ids() -> None:
    ws = {
        "type": "web_search_call",
        "id": "ws_1",
        "status": "completed",
        "action": {"type": "search", "query": "q"},
    }
    assert errors({"input": [USER, rs(None), ws, msg(None)]}) == []


def test_r6_output_using_the_item_id_gets_a_precise_fix() -> None:
    body = {"input": [USER, fc("call_1", id_="fc_1"), out("fc_1")]}
    r6 = [f for f in errors(body) if f.rule == "R6"]
    assert r6
    assert "call_1" in r6[0].fix


def test_r6_r7_not_applied_in_chained_mode() -> None:
    assert errors({"previous_response_id": "resp_1", "input": [out("call_1")]}) == []
    assert errors({"conversation": {"id": "conv_1"}, "input": [USER]}) == []


def test_r7_hosted_calls_have_no_outputs() -> None:
    ci = {
        "type": "code_interpreter_call",
        "id": "ci_1",
        "status": "completed",
        "code": "1",
        "container_id": "c",
        "outputs": None,
    }
    assert [f for f in errors({"input": [USER, ci, msg(None)]}) if f.rule == "R7"] == []


def test_check_or_raise_carries_every_finding() -> None:
    with pytest.raises(ReplayCheckError) as info:
        check_or_raise(CASES[0][1] | {"conversation": "c", "previous_response_id": "r"})
    assert {f.rule for f in info.value.findings} >= {"R1", "R8"}
    assert isinstance(info.value, ValueError)
    assert check_or_raise(CASES[0][2]) == []


def test_finding_is_frozen_and_serialisable() -> None:
    f = errors(CASES[0][1])[0]
    with pytest.raises(AttributeError):
        f.rule = "R2"  # type: ignore[misc]
    assert json.loads(json.dumps(f.to_dict()))["rule"] == "R1"


# -- the fast validator must answer exactly like the generated models -----------------------------


def test_fast_validator_is_in_use() -> None:
    # built from the generated schema, or an error: no silent fallback to another validator
    assert isinstance(_shape.validators(), _shape.Validators)


SAMPLES: list[Any] = [
    item for _, bad, good, _, _ in CASES for body in (bad, good) for item in body.get("input", [])
] + [
    "text",
    5,
    None,
    {},
    {"id": "msg_1"},
    {"type": 5},
    {"role": "user", "content": 5},
    {"role": "assistant", "content": [{"type": "input_text", "text": "x"}]},
    {"type": "message", "role": "user", "content": [{"type": "output_text", "text": "x"}]},
    {**fc(), "caller": {"type": "nope"}},
]


def _resolve(items: list[Any], loc: tuple[int | str, ...]) -> tuple[str, Any, str | None]:
    return locate("input", loc, items)


def _errors_of(validate: Any, items: list[Any]) -> list[tuple[str, str]]:
    try:
        validate(items)
    except ValidationError as exc:
        return [(e["type"], _resolve(items, tuple(e["loc"]))[0]) for e in exc.errors()]
    return []


def test_fast_validator_matches_the_generated_adapter() -> None:
    for item in SAMPLES:
        # same error types at the same JSON paths (plain-union member labels differ in `loc`)
        fast = [
            (e["type"], _resolve([item], tuple(e["loc"]))[0]) for e in _shape.validate_items([item])
        ]
        slow = _errors_of(InputItemListAdapter.validate_python, [item])
        assert fast == slow, item


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)
_items = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["message", "reasoning", "function_call", "item_reference", "x"])
        | _json,
        "role": st.sampled_from(["user", "assistant", "system", "developer", "tool"]) | _json,
        "content": st.text(max_size=3)
        | st.lists(st.just({"type": "input_text", "text": "x"}), max_size=2)
        | _json,
        "id": st.text(max_size=4),
    },
)


def _accepted(validate: Any, items: list[Any]) -> bool:
    try:
        validate(items)
    except ValidationError:
        return False
    return True


@given(_items | _json)
def test_fast_validators_accept_exactly_what_the_generated_adapter_accepts(value: Any) -> None:
    """The Rust-side discriminator (type, else role) never accepts what the generated one refuses
    (what it cannot place, e.g. an id-only `item_reference`, goes to the exact validator)."""
    built = _shape.validators()
    verdict = _accepted(InputItemListAdapter.validate_python, [value])
    assert verdict or not _accepted(built.fast.validate_python, [value])
    assert _accepted(built.exact.validate_python, [value]) == verdict
    assert (_shape.validate_items([value]) == []) == verdict


def test_null_on_a_field_named_like_a_tag_is_located() -> None:
    """`namespace` is a function_call field and a tool tag: the null is found at its own path."""
    call = {"type": "function_call", "id": "fc_1", "call_id": "c", "name": "f", "arguments": "{}",
            "namespace": None}  # fmt: skip
    body = {"model": "m", "input": [{"role": "user", "content": "hi"}, call,
                                    {"type": "function_call_output", "call_id": "c", "output": "x"}]}  # fmt: skip
    findings = check(body)
    assert [(f.rule, f.path, f.severity) for f in findings] == [
        ("R1", "input[1].namespace", "warning")
    ]


def test_r7_a_second_output_for_one_call_is_a_warning() -> None:
    """Exactly one output per call: a second one for the same call_id is flagged (not proven: warning)."""
    body = {"input": [USER, fc("call_1"), out("call_1"), out("call_1")]}
    found = [(f.rule, f.path, f.severity) for f in check(body)]
    assert found == [("R7", "input[3].call_id", "warning")]
    assert "the first is input[2]" in check(body)[0].message
    # the corrected twin: one output
    assert check({"input": [USER, fc("call_1"), out("call_1")]}) == []
    # in a chained request too (the call itself is on the server)
    chained = {"previous_response_id": "resp_1", "input": [out("call_1"), out("call_1")]}
    assert [(f.rule, f.path) for f in check(chained)] == [("R7", "input[1].call_id")]


def test_r7_one_call_id_on_two_calls_is_a_warning() -> None:
    body = {"input": [USER, fc("call_1"), fc("call_1"), out("call_1")]}
    found = [(f.rule, f.path, f.severity) for f in check(body)]
    assert found == [("R7", "input[2].call_id", "warning")]
    assert "already used by the function_call at input[1]" in check(body)[0].message
    # the same item sent twice is R2 (one id, one item), not a second call
    twice = {"input": [USER, fc("call_1", "fc_1"), fc("call_1", "fc_1"), out("call_1")]}
    assert {f.rule for f in check(twice)} == {"R2"}


def test_fast_validator_tells_messages_apart_without_a_python_call() -> None:
    # the replay body's messages: the generated discriminator (a Python function) is not called
    from responses_replay import _discriminators

    calls: list[str] = []

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event == "call" and frame.f_code is _discriminators.choose_member.__code__:
            calls.append(event)

    messages = [
        {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "x",
                                                              "annotations": []}]},
        {"role": "user", "content": "hi"},
        {"role": "developer", "content": [{"type": "input_text", "text": "x"}]},
    ]  # fmt: skip
    sys.setprofile(profile)
    try:
        _shape.validators().fast.validate_python(messages)
    finally:
        sys.setprofile(None)
    assert calls == []
