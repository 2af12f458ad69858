"""The input union's discriminator and `item_kind`: one answer where a `type` is given, and
the one documented difference where it is not (which member's error names the mistake)."""

from __future__ import annotations

from typing import Any

import pytest

from responses_replay import check
from responses_replay._generated import registry
from responses_replay._generated.inputs import _tag
from responses_replay._kind import item_kind


@pytest.mark.parametrize("tag", sorted(registry.INPUT_FIELDS))
def test_a_given_type_is_read_as_item_kind_reads_it(tag: str) -> None:
    member = _tag({"type": tag})
    assert member is not None
    assert member.split(":")[0] == item_kind({"type": tag}) == tag


@pytest.mark.parametrize("tag", [5, ["message"], {"type": "message"}, "no_such_type"])
def test_an_unusable_type_is_left_to_pydantic(tag: Any) -> None:
    assert _tag({"type": tag, "role": "user", "content": "hi"}) is None


def test_a_null_role_is_no_kind_yet_its_error_names_the_role() -> None:
    """api-errors.md R13: a role the input side does not accept. The message member is chosen by
    the `role` key, so the finding names `input[0].role`, not a missing `type`."""
    item = {"role": None, "content": "hi"}
    assert item_kind(item) is None
    assert _tag(item) == "message:EasyInputMessage"
    (finding,) = check({"input": [item]})
    assert (finding.rule, finding.path) == ("R13", "input[0].role")


def test_a_null_id_alone_is_no_reference_yet_it_is_validated_as_one() -> None:
    item = {"id": None}
    assert item_kind(item) is None
    assert _tag(item) == "item_reference"
    assert {(f.rule, f.path) for f in check({"input": [item]})} == {("R13", "input[0].id")}
