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
