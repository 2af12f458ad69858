"""`repair(body)`: each mechanical fix of api-errors.md, and what it must leave alone.

The failing shapes are the ones api-errors.md names (its rule rows and "facts"); a repaired body must
carry no error `check()` reports for the rule and path a repair claims.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from openai.types.responses import ResponseFunctionToolCall, ResponseReasoningItem

from responses_replay import InputError, Repaired, check, repair
from responses_replay._generated.registry import OUTPUT_ONLY

ENC = "gAAAAABencrypted"
USER = {"role": "user", "content": "What is the weather in Paris?"}
SEARCH = {"type": "search", "query": "weather Paris"}


def rs(id_: str | None = "rs_1", enc: str | None = ENC, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"type": "reasoning", "summary": [], **extra}
    if id_ is not None:
        item["id"] = id_
    if enc is not None:
        item["encrypted_content"] = enc
    return item


def fc(call_id: str = "call_1", id_: str | None = None, **extra: Any) -> dict[str, Any]:
    item = {"type": "function_call", "call_id": call_id, "name": "weather", "arguments": "{}"}
    if id_ is not None:
        item["id"] = id_
    return {**item, **extra}


def out(call_id: str = "call_1", output: Any = "sunny") -> dict[str, Any]:
    return {"type": "function_call_output", "call_id": call_id, "output": output}


def msg(id_: str | None = "msg_1", text: str = "Sunny.") -> dict[str, Any]:
    item: dict[str, Any] = {
        "type": "message",
        "role": "assistant",
        "content": [{"type": "output_text", "text": text, "annotations": []}],
    }
    if id_ is not None:
        item["id"] = id_
    return item


def claims_hold(result: Repaired) -> None:
    """No error `check()` reports on the repaired body is at a place a repair claims fixed."""
    errors = [f for f in check(result.body) if f.severity == "error"]
    assert list(result.findings) == check(result.body)
    dropped = sorted(int(r.path[6:-1]) for r in result.repairs if r.path.count(".") == 0)
    for r in result.repairs:
        if r.path.count(".") == 0:
            continue  # an item dropped
        index, rest = r.path[6:].split("]", 1)  # a path of the body as given ...
        now = int(index) - sum(1 for d in dropped if d < int(index))  # ... in the repaired one
        assert not [f for f in errors if (f.rule, f.path) == (r.rule, f"input[{now}]{rest}")], r


def fixed(body: dict[str, Any]) -> Repaired:
    given = copy.deepcopy(body)
    result = repair(body)
    assert body == given, "repair must not change the body it is given"
    claims_hold(result)
    again = repair(result.body)
    assert again.body == result.body, "repair is idempotent"
    assert again.repairs == ()
    return result


# -- R1 --------------------------------------------------------------------------------------


def test_r1_model_dump_nulls_and_reasoning_status_are_dropped() -> None:
    # api-errors R1: `item.model_dump()` writes `status: None`, `encrypted_content: None`,
    # `content: None`; `status` on a replayed reasoning item is refused whatever its value.
    body = {
        "input": [
            USER,
            rs("rs_1", None, status="completed", encrypted_content=None, content=None),
            fc(id_="fc_1", status=None),
            out(),
        ]
    }
    assert {f.rule for f in check(body) if f.severity == "error"} == {"R1"}
    result = fixed(body)
    assert result.body["input"] == [USER, rs("rs_1", None), fc(id_="fc_1"), out()]
    assert [(r.rule, r.path) for r in result.repairs] == [
        ("R1", "input[1].status"),
        ("R1", "input[1].encrypted_content"),
        ("R1", "input[1].content"),
        ("R1", "input[2].status"),
    ]
    assert result.clean
    assert result.findings == ()


@pytest.mark.parametrize(
    ("kind", "key"), sorted((k, f) for k, fs in OUTPUT_ONLY.items() for f in fs)
)
def test_r1_every_output_only_key_of_the_overlay_is_dropped(kind: str, key: str) -> None:
    item = {"type": kind, "id": "x", key: "value"}
    result = repair({"input": [item, msg()]})  # a reasoning item is followed by what it produced
    assert key not in result.body["input"][0]
    assert ("R1", f"input[0].{key}") in [(r.rule, r.path) for r in result.repairs]


def test_r1_nested_output_only_and_nested_nulls() -> None:
    # api-errors facts: `created_by` also in nested shell output chunks.
    chunk = {"stdout": "a.txt\n", "stderr": "", "outcome": {"type": "exit", "exit_code": 0}}
    shell = {
        "type": "shell_call",
        "call_id": "call_s",
        "action": {"commands": ["ls"]},
        "status": "completed",
    }
    given_out = {
        "type": "shell_call_output",
        "call_id": "call_s",
        "output": [{**chunk, "created_by": "resp_1"}],
    }
    result = fixed({"input": [USER, shell, given_out]})
    assert result.body["input"][2]["output"] == [chunk]
    assert ("R1", "input[2].output[0].created_by") in [(r.rule, r.path) for r in result.repairs]
    # a null inside a model-produced item (model_dump of a message part)
    part: dict[str, Any] = {
        "type": "output_text",
        "text": "Sunny.",
        "annotations": [],
        "cache_control": None,
    }
    body = {"input": [USER, {**msg(), "content": [part]}]}
    assert check(body)
    result = fixed(body)
    assert result.body["input"][1] == msg()
    assert [r.path for r in result.repairs] == ["input[1].content[0].cache_control"]


def test_r1_sdk_only_keys_and_attribute_names() -> None:
    body = {"input": [USER, fc(parsed_arguments={"city": "Paris"}, async_=None), out()]}
    result = fixed(body)
    assert result.body["input"][1] == fc()
    assert {r.path for r in result.repairs} == {"input[1].parsed_arguments", "input[1].async_"}
    # `async_` with a value: renamed where the input side knows the API name (`async`: the
    # overlay adds it to function_call), never dropped with its value
    body = {"input": [USER, fc(async_=True), out()]}
    result = fixed(body)
    assert result.body["input"][1] == fc(**{"async": True})
    assert [(r.rule, r.path) for r in result.repairs] == [("R1", "input[1].async_")]
    assert result.errors == ()
    # where the input side has no such name, it stays a finding with its value
    body = {"input": [USER, {**msg(), "async_": True}]}
    result = fixed(body)
    assert result.body == body
    assert result.repairs == ()
    assert [(f.rule, f.path) for f in result.errors] == [("R1", "input[1].async_")]


def test_r1_sdk_objects_inside_the_body() -> None:
    call = ResponseFunctionToolCall.model_validate(
        {**fc(id_="fc_1"), "status": "completed", "namespace": None}
    )
    reasoning = ResponseReasoningItem.model_validate({**rs("rs_1"), "status": None})
    body = {"input": [USER, reasoning.model_dump(), call.model_dump(), out()]}
    result = fixed(body)
    assert result.clean, result.findings
    assert result.body["input"][1] == rs("rs_1")
    assert result.body["input"][2] == {**fc(id_="fc_1"), "status": "completed"}
    sdk = repair({"input": [USER, reasoning, call, out()]})
    assert sdk.clean
    assert sdk.body["input"][1] == rs("rs_1")


def test_unknown_keys_with_values_are_never_guessed_away() -> None:
    body = {"input": [USER, fc(argumnets="{}"), out()]}
    result = fixed(body)
    assert result.body == body
    assert not result.clean


# -- caller content ----------------------------------------------------------------------------


def test_caller_content_is_never_changed() -> None:
    # R1 inside a user message (`cache_control`, api-errors R1) is the caller's: reported, kept.
    user = {
        "role": "user",
        "content": [{"type": "input_text", "text": "Hi", "cache_control": {"type": "x"}}],
        "status": None,
    }
    odd_output = [{"type": "input_text", "text": "sunny", "annotations": None}]
    body = {"input": [user, fc(), out(output=odd_output), msg(None, text="  Sunny.\u00a0")]}
    result = fixed(body)
    assert result.body["input"][0] is user or result.body["input"][0] == user
    assert result.body["input"][2]["output"] == odd_output
    assert result.body["input"][3]["content"][0]["text"] == "  Sunny.\u00a0"
    assert any(f.path.startswith("input[0].content[0]") for f in result.errors)


# -- R2 ----------------------------------------------------------------------------------------


def test_r2_chained_request_drops_what_the_server_holds() -> None:
    # api-errors R2: with previous_response_id the model's items are stored already.
    body = {
        "previous_response_id": "resp_1",
        "input": [USER, rs("rs_1"), fc(id_="fc_1"), msg("msg_1"), out()],
    }
    assert {f.rule for f in check(body) if f.severity == "error"} == {"R2"}
    result = fixed(body)
    assert result.body["input"] == [USER, out()]
    assert [(r.rule, r.path) for r in result.repairs] == [
        ("R2", "input[1]"),
        ("R2", "input[2]"),
        ("R2", "input[3]"),
    ]
    assert result.clean
    conv = fixed({"conversation": "conv_1", "input": [USER, fc(id_="fc_1"), out()]})
    assert conv.body["input"] == [USER, out()]
    # an assistant message without id may be the caller's own text: kept
    kept = fixed({"previous_response_id": "resp_1", "input": [msg(None), USER]})
    assert kept.body["input"] == [msg(None), USER]


def test_r2_exact_duplicates_go_different_ones_stay() -> None:
    body = {"input": [USER, rs("rs_1"), fc(id_="fc_1"), fc(id_="fc_1"), out()]}
    result = fixed(body)
    assert result.body["input"] == [USER, rs("rs_1"), fc(id_="fc_1"), out()]
    assert [(r.rule, r.path) for r in result.repairs] == [("R2", "input[3]")]
    clash = {"input": [USER, rs("rs_1"), fc(id_="fc_1"), fc("call_2", id_="fc_1"), out()]}
    result = fixed(clash)
    assert result.body == clash
    assert ("R2", "input[3].id") in [(f.rule, f.path) for f in result.errors]


# -- R3 ----------------------------------------------------------------------------------------


def test_r3_store_false_reference_to_an_item_sent_in_full() -> None:
    ref = {"type": "item_reference", "id": "fc_1"}
    body = {"store": False, "input": [USER, rs(), fc(id_="fc_1"), ref, out()]}
    result = fixed(body)
    assert result.body["input"] == [USER, rs(), fc(id_="fc_1"), out()]
    assert [(r.rule, r.path) for r in result.repairs] == [("R3", "input[3]")]


def test_r3_what_cannot_be_sent_in_full_stays_a_finding() -> None:
    # api-errors R3: a reasoning item without encrypted_content under store=false cannot be
    # repaired without inventing data.
    body = {"store": False, "input": [USER, rs("rs_1", None), fc(), out()]}
    result = fixed(body)
    assert result.body == body
    assert result.repairs == ()
    assert [f.rule for f in result.errors] == ["R3"]
    ref = {"store": False, "input": [USER, {"type": "item_reference", "id": "msg_9"}]}
    assert fixed(ref).body == ref
    assert not fixed(ref).clean


# -- R4, R5 ------------------------------------------------------------------------------------


def test_r4_trailing_reasoning_of_an_incomplete_response_is_dropped() -> None:
    # api-errors: a response cut short can end with a reasoning item; replayed as is: R4.
    body = {"input": [USER, rs("rs_1"), fc(id_="fc_1"), out(), rs("rs_2")]}
    assert "R4" in {f.rule for f in check(body)}
    result = fixed(body)
    assert result.body["input"] == [USER, rs("rs_1"), fc(id_="fc_1"), out()]
    assert [(r.rule, r.path) for r in result.repairs] == [("R4", "input[4]")]
    # ... and then the next user message or the next response's reasoning follows it
    for after in ([{"role": "user", "content": "Go on."}], [rs("rs_3"), msg("msg_3")]):
        body = {"input": [USER, rs("rs_2"), *after]}
        result = fixed(body)
        assert result.body["input"] == [USER, *after]
    # a reasoning item followed by what it produced stays
    whole = {"input": [USER, rs("rs_1"), msg("msg_1")]}
    assert fixed(whole).body == whole


def test_r5_partial_id_strip_is_made_whole_by_stripping() -> None:
    # api-errors R5: ids of one response are kept or stripped together. The reasoning id is gone
    # and cannot be invented; with its encrypted_content it stands without it: strip the others.
    web = {"type": "web_search_call", "id": "ws_1", "status": "completed", "action": SEARCH}
    body = {"store": False, "input": [USER, rs(None), web, msg("msg_1"), USER]}
    assert "R5" in {f.rule for f in check(body) if f.severity == "error"}
    result = fixed(body)
    assert result.body["input"] == [USER, rs(None), web, msg(None), USER]  # hosted call keeps (R10)
    assert [(r.rule, r.path) for r in result.repairs] == [("R5", "input[3].id")]
    assert result.clean
    # without encrypted_content nothing can stand in for the reasoning id: a finding
    body = {"input": [USER, rs(None, None), fc(id_="fc_1"), out()]}
    result = fixed(body)
    assert result.body == body
    assert "R5" in {f.rule for f in result.errors}


# -- what stays a finding ----------------------------------------------------------------------


def test_missing_outputs_and_calls_stay_findings() -> None:
    r7 = {"input": [USER, rs(), fc(id_="fc_1")]}
    result = fixed(r7)
    assert result.body == r7
    assert [f.rule for f in result.errors] == ["R7"]
    r6 = {"input": [USER, out("call_9")]}
    result = fixed(r6)
    assert result.body == r6
    assert [f.rule for f in result.errors] == ["R6"]


# -- input forms -------------------------------------------------------------------------------


def test_json_text_and_bytes_and_unusable_input() -> None:
    body = {"input": [USER, rs("rs_1", status="completed")]}
    body["input"].append(msg())
    as_dict = repair(body)
    assert repair(json.dumps(body)) == as_dict == repair(json.dumps(body).encode())
    for bad in (b"\xff", "not json", "[1, 2]"):
        with pytest.raises(InputError):
            repair(bad)
    assert repair({"model": "gpt-5", "input": "hi"}).body == {"model": "gpt-5", "input": "hi"}


def test_odd_items_are_left_for_check_to_report() -> None:
    body = {"input": [USER, "text", 3, None, {"type": ["x"]}, {"type": "text", "text": "x"}]}
    result = fixed(body)
    assert result.body == body
    assert result.repairs == ()
    assert not result.clean


def test_a_dropped_item_reports_only_its_drop() -> None:
    dumped = rs("rs_1", None, status=None, encrypted_content=None)
    result = fixed({"previous_response_id": "resp_1", "input": [dumped, fc(id_="fc_1"), out()]})
    assert result.body["input"] == [out()]
    assert [(r.rule, r.path) for r in result.repairs] == [("R2", "input[0]"), ("R2", "input[1]")]


def test_r1_sdk_attribute_name_renamed_where_the_input_side_knows_the_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # openai 3.x's FunctionToolCallParam has `async` (its model: `async_`, alias "async"); a spec
    # whose input side knows `async` gets the API's name back.
    from responses_replay._generated import registry

    monkeypatch.setitem(
        registry.INPUT_FIELDS, "function_call", registry.INPUT_FIELDS["function_call"] | {"async"}
    )
    result = repair({"input": [USER, fc(async_=True), out()]})
    assert result.body["input"][1] == {**fc(), "async": True}
    assert [(r.rule, r.path, r.action) for r in result.repairs] == [
        ("R1", "input[1].async_", "renamed `async_` to `async`")
    ]
    both = repair({"input": [USER, fc(async_=True, **{"async": False}), out()]})
    assert both.repairs == ()  # both names: which one is meant would be a guess


def test_r2_a_reference_beside_its_full_item_is_dropped() -> None:
    ref = {"type": "item_reference", "id": "fc_1"}
    body = {"input": [USER, rs(), fc(id_="fc_1"), ref, out()]}
    assert ("R2", "input[3].id") in [(f.rule, f.path) for f in check(body)]
    result = fixed(body)
    assert result.body["input"] == [USER, rs(), fc(id_="fc_1"), out()]
    assert [(r.rule, r.path) for r in result.repairs] == [("R2", "input[3]")]
    alone = {"input": [USER, {"type": "item_reference", "id": "msg_9"}]}
    assert fixed(alone).body == alone  # store=true: the server looks it up


def test_a_nested_null_on_a_required_key_is_left_as_it_was() -> None:
    # Dropping it would trade a null for a missing required key: both refused, so nothing is done.
    action = {"type": "click", "button": "left", "x": None, "y": 3}
    call = {"type": "computer_call", "id": "cu_1", "call_id": "c1", "status": "completed",
            "pending_safety_checks": [], "action": action}  # fmt: skip
    answer = {"type": "computer_call_output", "call_id": "c1",
              "output": {"type": "computer_screenshot", "image_url": "data:image/png;base64,AA"}}  # fmt: skip
    body = {"input": [USER, call, answer]}
    result = fixed(body)
    assert result.body == body
    assert result.repairs == ()
    assert [(f.rule, f.path) for f in result.findings] == [("R1", "input[1].action.x")]


def test_a_null_on_a_required_top_level_key_stays_for_the_caller() -> None:
    web = {"type": "web_search_call", "id": "ws_1", "status": None, "action": SEARCH}
    body = {"input": [USER, rs(), web, msg()]}
    result = fixed(body)
    assert result.body == body
    assert result.repairs == ()
    assert [(f.rule, f.path) for f in result.errors] == [("R13", "input[2].status")]
