"""`make drift`: our item unions against the installed openai's, tried on synthetic differences."""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Annotated, Literal, Required, TypedDict, Union

import openai.types.responses as sdk_responses
import pytest
from pydantic import BaseModel, Discriminator, Field, Tag
from typer.testing import CliRunner

from responses_replay import drift
from responses_replay.cli import app

# -- a synthetic pair of unions: the expectations are read off these definitions ----------------


class OursA(BaseModel):
    type: Literal["a"]
    x: int
    y_: int = Field(alias="y")  # the JSON key counts, not the Python name


class OursB(BaseModel):
    type: Literal["b"]


class OursUnknown(BaseModel):  # like our UnknownItem: no literal type, not an item type
    type: str


class SdkA(TypedDict, total=False):
    type: Required[Literal["a"]]
    x: int
    z: str


class SdkC(BaseModel):
    type: Literal["c"]
    w: int


OURS = Annotated[
    Annotated[OursA, Tag("a")] | Annotated[OursB, Tag("b")] | Annotated[OursUnknown, Tag("?")],
    Discriminator(lambda v: "a"),
]
SDK = SdkA | SdkC


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> str:
    module = ModuleType("fake_unions")
    module.OURS = OURS  # type: ignore[attr-defined]
    module.SDK = SDK  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_unions", module)
    return "fake_unions"


def test_item_fields_reads_models_and_typed_dicts() -> None:
    assert drift.item_fields(OURS) == {"a": {"type", "x", "y"}, "b": {"type"}}
    assert drift.item_fields(SDK) == {"a": {"type", "x", "z"}, "c": {"type", "w"}}


def test_a_synthetic_difference_is_reported_both_ways(fake: str) -> None:
    report = drift.drift([("things", f"{fake}:OURS", f"{fake}:SDK")])
    (union,) = report.unions
    assert union.only_ours == ("b",)
    assert union.only_sdk == ("c",)
    assert union.fields == {"a": (("y",), ("z",))}
    text = drift.render(report)
    assert "types only the SDK has: c" in text
    assert "types only we have: b" in text
    assert "a: SDK only: z; ours only: y" in text


def test_a_union_the_sdk_lacks_is_named_not_raised(fake: str) -> None:
    report = drift.drift([("things", f"{fake}:OURS", "openai.types.responses:NoSuchUnion")])
    assert report.unions[0].missing
    assert "not compared" in drift.render(report)


def test_no_difference_says_so(fake: str) -> None:
    report = drift.drift([("things", f"{fake}:OURS", f"{fake}:OURS")])
    assert report.empty
    assert "no drift" in drift.render(report)


# -- the installed SDK, with a difference made in it ---------------------------------------------


def test_every_union_is_compared_with_the_installed_sdk() -> None:
    report = drift.drift()
    assert [u.name for u in report.unions] == [
        *(name for name, _, _ in drift.UNIONS),
        "request parameters (responses.create)",
    ]
    assert not [u.missing for u in report.unions if u.missing]
    for union in report.unions:  # types both sides have always had
        assert "message" not in union.only_ours + union.only_sdk
        assert "function_call" not in union.only_ours + union.only_sdk


def test_an_sdk_that_lost_a_type_and_gained_a_field(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real SDK union, edited: reasoning removed, a field added to function_call."""

    class NewFunctionCall(sdk_responses.ResponseFunctionToolCall):
        brand_new_field: int | None = None

    members = [
        NewFunctionCall if m is sdk_responses.ResponseFunctionToolCall else m
        for m in drift._members(sdk_responses.ResponseOutputItem)
        if m is not sdk_responses.ResponseReasoningItem
    ]
    monkeypatch.setattr(sdk_responses, "ResponseOutputItem", Union[tuple(members)])  # noqa: UP007
    before = drift.drift(drift.UNIONS[:1]).unions[0]
    assert "reasoning" in before.only_ours
    assert "brand_new_field" in before.fields["function_call"][1]


def test_cli_drift_reports_and_exits_0_unless_strict(
    fake: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    monkeypatch.setattr(drift, "UNIONS", (("things", f"{fake}:OURS", f"{fake}:SDK"),))
    result = runner.invoke(app, ["drift"])
    assert result.exit_code == 0, result.output
    assert "types only the SDK has: c" in result.output
    assert runner.invoke(app, ["drift", "--strict"]).exit_code == 1


def test_request_parameters_against_the_sdks_create(monkeypatch: pytest.MonkeyPatch) -> None:
    """A parameter the SDK's `responses.create` learnt is reported, and one we list that it
    lacks; the parameters a builder sets itself are never reported."""
    from responses_replay import _params

    assert drift.request_params().empty  # the installed SDK, as pinned in CI's newest
    theirs = (_params.sdk_create_params() - {"top_p"}) | {"brand_new_param"}
    monkeypatch.setattr(_params, "sdk_create_params", lambda: theirs)
    report = drift.request_params()
    assert report.fields == {"create": (("top_p",), ("brand_new_param",))}
    assert "create: SDK only: brand_new_param; ours only: top_p" in drift.render(
        drift.Drift("x", (report,))
    )
