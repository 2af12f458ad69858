"""R15: a computer_call's pending safety checks come back in its output's acknowledged_safety_checks.

Evidence: https://github.com/openai/openai-agents-python/issues/843 (fixed by PR #923, "return
acknowledged checks in computer output"): the API answers 400 "Computer tool has unacknowledged
safety check for ['cu_sc_xxx']" (param "input"). The checker reports it; the builders refuse it
and never acknowledge a check for the caller (the user confirms it first).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from responses_replay import (
    Chain,
    History,
    ReplayError,
    check,
    outputs,
    parse_response,
    tool_output,
)
from responses_replay.checker import Finding

USER = {"role": "user", "content": "Open the settings."}
SHOT = {"type": "computer_screenshot", "image_url": "data:image/png;base64,AAAA"}
CHECK_1 = {"id": "cu_sc_1", "code": "malicious_instructions", "message": "Confirm first."}
CHECK_2 = {"id": "cu_sc_2", "code": "irrelevant_domain", "message": "Confirm the domain."}
FIX = (
    "Show the call's pending_safety_checks to the user and, once they confirm, pass them as the "
    "computer_call_output's acknowledged_safety_checks."
)


def call(call_id: str = "call_u", *checks: Any, n: int = 1) -> dict[str, Any]:
    return {
        "type": "computer_call", "id": f"cu_{n}", "call_id": call_id, "status": "completed",
        "action": {"type": "click", "button": "left", "x": 1, "y": 2},
        "pending_safety_checks": list(checks),
    }  # fmt: skip


def answer(call_id: str = "call_u", acknowledged: Any = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "computer_call_output", "call_id": call_id, "output": SHOT}
    if acknowledged is not None:
        out["acknowledged_safety_checks"] = acknowledged
    return out


def body(*items: Any, **extra: Any) -> dict[str, Any]:
    return {"model": "computer-use-preview", "truncation": "auto", "input": [USER, *items], **extra}


def r15(data: Any) -> list[Finding]:
    return [f for f in check(data) if f.rule == "R15"]


def test_an_unacknowledged_check_is_an_error_at_the_output_in_the_apis_words() -> None:
    assert r15(body(call("call_u", CHECK_1), answer())) == [
        Finding(
            "R15",
            "input[2]",
            "Computer tool has unacknowledged safety check for ['cu_sc_1']",
            FIX,
            "error",
        )
    ]


def test_every_check_acknowledged_no_pending_checks_or_null_are_clean() -> None:
    assert check(body(call("call_u", CHECK_1, CHECK_2), answer("call_u", [CHECK_2, CHECK_1]))) == []
    assert check(body(call("call_u"), answer())) == []
    acked_by_id = [{"id": "cu_sc_1"}]  # only the id is required
    assert check(body(call("call_u", CHECK_1), answer("call_u", acked_by_id))) == []


def test_a_partial_acknowledgement_names_only_the_missing_check() -> None:
    found = r15(body(call("call_u", CHECK_1, CHECK_2), answer("call_u", [CHECK_1])))
    assert [f.message for f in found] == [
        "Computer tool has unacknowledged safety check for ['cu_sc_2']"
    ]
    none = r15(body(call("call_u", CHECK_1, CHECK_2), answer("call_u", [])))
    assert [f.message for f in none] == [
        "Computer tool has unacknowledged safety check for ['cu_sc_1', 'cu_sc_2']"
    ]


def test_several_calls_each_output_against_its_own_call() -> None:
    items = [
        call("call_a", CHECK_1, n=1),
        answer("call_a", [CHECK_1]),
        call("call_b", CHECK_2, n=2),
        answer("call_b", [CHECK_1]),  # acknowledges the other call's check, not its own
        call("call_c", n=3),
        answer("call_c"),
    ]
    found = r15(body(*items))
    assert [(f.path, f.message) for f in found] == [
        ("input[4]", "Computer tool has unacknowledged safety check for ['cu_sc_2']")
    ]
    # the same body as JSON text (the checker's validated fast path) says the same
    assert r15(json.dumps(body(*items))) == found


def test_a_chained_request_without_the_call_is_not_judged() -> None:
    # the server holds the call: its pending checks are unknown here
    chained = body(answer("call_u"), previous_response_id="resp_1")
    chained["input"] = [answer("call_u")]
    assert r15(chained) == []
    assert r15({"model": "computer-use-preview", "conversation": "conv_1",
                "input": [answer("call_u")]}) == []  # fmt: skip
    # an output whose call is not in a stateless input either: R6's finding, not R15's
    assert r15(body(answer("call_u"))) == []


@pytest.mark.parametrize(
    ("pending", "acknowledged", "missing"),
    [
        ("cu_sc_1", None, []),  # not a list: the schema pass reports it
        ({"id": "cu_sc_1"}, None, []),
        ([1, None, "cu_sc_1", ["cu_sc_1"], {"id": 5}, {"code": "x"}, CHECK_2], None, ["cu_sc_2"]),
        ([CHECK_1], "cu_sc_1", ["cu_sc_1"]),  # acknowledged not a list: none acknowledged
        ([CHECK_1], {"id": "cu_sc_1"}, ["cu_sc_1"]),
        ([CHECK_1], [None, 1, "cu_sc_1", {"code": "x"}, {"id": 1}], ["cu_sc_1"]),
        ([CHECK_1, CHECK_1], [], ["cu_sc_1"]),  # a check listed twice is named once
    ],
)
def test_bad_shapes_never_crash(pending: Any, acknowledged: Any, missing: list[str]) -> None:
    bad_call = {**call("call_u"), "pending_safety_checks": pending}
    found = r15(body(bad_call, answer("call_u", acknowledged)))
    want = f"Computer tool has unacknowledged safety check for {missing}"
    assert [f.message for f in found] == ([want] if missing else [])
    check(body(bad_call, {**answer(), "call_id": 7}))  # a key that is not a string: skipped
    check(body({**call("call_u", CHECK_1), "call_id": ["x"]}, answer()))


def test_a_check_id_is_shown_bounded() -> None:
    long = {"id": "cu_sc_" + "x" * 200}
    (found,) = r15(body(call("call_u", long), answer()))
    assert len(found.message) < 150
    assert found.message.endswith("…']")


# -- the builders -------------------------------------------------------------------------------


def response(*checks: Any) -> dict[str, Any]:
    return {
        "id": "resp_1", "object": "response", "created_at": 1, "status": "completed",
        "model": "computer-use-preview", "output": [call("call_u", *checks)],
    }  # fmt: skip


def test_tool_output_refuses_to_leave_pending_checks_unacknowledged() -> None:
    for the_call in (
        call("call_u", CHECK_1, CHECK_2),
        parse_response(response(CHECK_1, CHECK_2))[0],
    ):
        with pytest.raises(ReplayError) as caught:
            tool_output(the_call, output=SHOT)
        assert caught.value.rule == "R15"
        said = str(caught.value)
        assert "call_u" in said
        assert "'cu_sc_1', 'cu_sc_2'" in said
        assert "acknowledged_safety_checks=call.pending_safety_checks" in said
        with pytest.raises(ReplayError, match=r"R15.*\['cu_sc_2'\]"):
            tool_output(the_call, output=SHOT, acknowledged_safety_checks=[CHECK_1])


def test_tool_output_carries_the_acknowledged_checks() -> None:
    parsed = parse_response(response(CHECK_1))[0]
    assert isinstance(parsed, outputs.ComputerToolCall)
    for the_call, checks in (
        (call("call_u", CHECK_1), [CHECK_1]),
        (parsed, parsed.pending_safety_checks),  # our Output models, as written
    ):
        out = tool_output(the_call, output=SHOT, acknowledged_safety_checks=checks).to_dict()
        assert out["acknowledged_safety_checks"] == [CHECK_1]
        assert check(body(call("call_u", CHECK_1), out)) == []
    # no pending checks: nothing to acknowledge
    assert "acknowledged_safety_checks" not in tool_output(call("call_u"), output=SHOT).to_dict()


def test_tool_output_takes_the_sdks_checks() -> None:
    sdk = pytest.importorskip("openai.types.responses")
    the_call = sdk.ResponseComputerToolCall.model_validate(call("call_u", CHECK_1))
    with pytest.raises(ReplayError, match="R15"):
        tool_output(the_call, output=SHOT)
    out = tool_output(
        the_call, output=SHOT, acknowledged_safety_checks=the_call.pending_safety_checks
    )
    assert out.to_dict()["acknowledged_safety_checks"] == [CHECK_1]


def test_history_and_chain_refuse_an_unacknowledged_output_added_as_written() -> None:
    history = History(store=False)
    history.user("Open the settings.")
    history.add_response(response(CHECK_1))
    with pytest.raises(ReplayError, match=r"R15.*add\(\)\[0\].*\['cu_sc_1'\]"):
        history.add(answer())
    history.add(answer("call_u", [CHECK_1]))
    assert check(history.body(model="computer-use-preview", truncation="auto")) == []

    chain = Chain(previous_response_id="resp_0")
    chain.after(response(CHECK_1))
    with pytest.raises(ReplayError, match=r"R15.*\['cu_sc_1'\]"):
        chain.add(answer())
    chain.add(answer("call_u", [CHECK_1]))
    assert chain.body(model="computer-use-preview")["input"][0]["acknowledged_safety_checks"] == [
        CHECK_1
    ]


def test_model_objects_anywhere_in_what_a_caller_writes_are_read_as_json() -> None:
    # the signatures take an Output model where a part or check goes (tests/typing): so does the
    # runtime, at any depth, in a tool output's fields and in a user message's content
    from responses_replay import History

    part = outputs.InputTextContent.model_validate({"type": "input_text", "text": "Go on."})
    history = History(store=False)
    history.user([part])
    assert history.body(model="gpt-5")["input"] == [
        {"role": "user", "content": [{"type": "input_text", "text": "Go on."}]}
    ]
    parsed = parse_response(response(CHECK_1))[0]
    assert isinstance(parsed, outputs.ComputerToolCall)
    out = tool_output(
        parsed, output=SHOT, acknowledged_safety_checks=tuple(parsed.pending_safety_checks)
    )
    assert out.to_dict()["acknowledged_safety_checks"] == [CHECK_1]


def test_a_cycle_in_what_a_caller_writes_is_an_input_error() -> None:
    from responses_replay import InputError

    loop: dict[str, Any] = {"id": "cu_sc_1"}
    loop["self"] = loop
    with pytest.raises(InputError, match=r"nested more than 64 levels"):
        tool_output(call("call_u", CHECK_1), output=SHOT, acknowledged_safety_checks=[loop])


def test_a_saved_chain_keeps_the_pending_safety_checks() -> None:
    # the user's confirmation may come in another process: the restored chain still refuses an
    # output that leaves a check unacknowledged (the call is on the server: check() cannot see it)
    chain = Chain(previous_response_id="resp_0")
    chain.after(response(CHECK_1, CHECK_2))
    saved = chain.to_json()
    assert json.loads(saved)["safety_checks"] == {"call_u": [CHECK_1, CHECK_2]}
    assert json.loads(saved)["version"] == 2  # a reader of version 1 refuses it by name
    restored = Chain.from_json(saved)
    assert restored.to_json() == saved
    with pytest.raises(ReplayError, match=r"R15.*\['cu_sc_2'\]"):
        restored.add(answer("call_u", [CHECK_1]))
    restored.add(answer("call_u", [CHECK_1, CHECK_2]))
    # no computer call: no key, as the versions before it wrote
    plain = Chain(previous_response_id="resp_0")
    assert "safety_checks" not in plain.to_state()
    assert plain.to_state()["version"] == 1
    from responses_replay.state import StateError

    with pytest.raises(
        StateError, match="state version 1: safety_checks: unknown key 'safety_checks'"
    ):
        Chain.from_state({**json.loads(saved), "version": 1})


@pytest.mark.parametrize(
    ("checks", "where"),
    [
        ({"call_x": [CHECK_1]}, "safety_checks.call_x"),  # not a pending computer call
        ({"call_u": []}, "safety_checks.call_u"),
        ({"call_u": "cu_sc_1"}, "safety_checks.call_u"),
        ({"call_u": [{"code": "x"}]}, r"safety_checks.call_u\[0\]"),
        ([CHECK_1], "safety_checks"),
    ],
)
def test_a_bad_saved_safety_check_is_a_state_error(checks: Any, where: str) -> None:
    from responses_replay.state import StateError

    chain = Chain(previous_response_id="resp_0")
    chain.after(response(CHECK_1))
    state = {**chain.to_state(), "safety_checks": checks}
    with pytest.raises(StateError, match=where):
        Chain.from_state(state)
