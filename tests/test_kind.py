"""`item_kind`: the API's defaulting of a missing `type`, on dicts and on models."""

from __future__ import annotations

import pytest

from responses_replay import inputs
from responses_replay._kind import CALLER_ROLES, item_kind


@pytest.mark.parametrize(
    ("item", "kind"),
    [
        ({"type": "function_call", "call_id": "c"}, "function_call"),
        ({"role": "user", "content": "hi"}, "message"),
        ({"id": "msg_1"}, "item_reference"),
        ({"type": None, "role": "assistant", "content": "x"}, "message"),
        ({"type": ["message"], "role": "user"}, None),
        ({"type": {"a": 1}}, None),
        ({"type": 3}, None),
        ({}, None),
    ],
)
def test_kind_of_dicts(item: dict[str, object], kind: str | None) -> None:
    assert item_kind(item) == kind


def test_kind_of_models() -> None:
    easy = inputs.EasyInputMessage(role="user", content="hi")
    assert item_kind(easy) == "message"
    call = inputs.FunctionToolCall(type="function_call", call_id="c", name="f", arguments="{}")
    assert item_kind(call) == "function_call"


def test_caller_roles_exclude_assistant() -> None:
    assert "assistant" not in CALLER_ROLES
    assert {"user", "system", "developer"} == set(CALLER_ROLES)


@pytest.mark.parametrize("role", [[], {}, ["user"]])
def test_a_role_that_is_no_string_is_the_librarys_error_not_a_type_error(role: object) -> None:
    # Was `TypeError: unhashable type: 'list'` (CALLER_ROLES was a set) from Turn.from_response,
    # Turn.from_stream, check() and repair() on a message whose `role` is a list or an object
    from responses_replay import History, ReplayError, Turn, check
    from responses_replay.repairer import repair

    item = {"type": "message", "id": "msg_1", "role": role, "status": "completed",
            "content": [{"type": "output_text", "text": "x", "annotations": []}]}  # fmt: skip
    final = {"type": "response.completed", "response": {"id": "r", "status": "completed",
                                                        "output": [item]}}  # fmt: skip
    with pytest.raises(ReplayError, match=r"output\[0\]\.role"):
        Turn.from_response(final["response"])
    with pytest.raises(ReplayError, match=r"output\[0\]\.role"):
        Turn.from_stream([final])
    assert any(f.severity == "error" for f in check({"model": "m", "input": [item]}))
    assert not repair({"model": "m", "input": [item]}).clean
    with pytest.raises(ReplayError, match="is not a role the input side accepts"):
        History().add(item)  # type: ignore[arg-type]
