"""A `configuration_update` that comes back in a listing is replayed in its place (issue 13).

Expectations come from api-errors.md (a caller-written input item, id prefix `cnfu_`, returned in
conversation and input-item listings; R3: under store=true a self-contained request must not make
the server look ids up) and the `openai` SDK's listing models, not from the code under test."""

from __future__ import annotations

from typing import Any

import pytest
from openai.types.conversations import ConversationItemList
from openai.types.responses import ResponseConfigurationUpdateItemParam

from codegen.overlay import Overlay
from codegen.pipeline import Result
from codegen.render import render_replay
from responses_replay import History, Turn, check, inputs, outputs, to_input

UPDATE = {"type": "configuration_update", "id": "cnfu_1", "reasoning": {"effort": "low"}}
LISTING: dict[str, Any] = {
    "object": "list",
    "data": [
        {
            "type": "message",
            "id": "msg_1",
            "role": "user",
            "status": "completed",
            "content": [{"type": "input_text", "text": "hi"}],
        },
        UPDATE,
    ],
    "first_id": "msg_1",
    "last_id": "cnfu_1",
    "has_more": False,
}
SDK_KEYS = set(ResponseConfigurationUpdateItemParam.__annotations__)


def _replayed(listing: Any, **mode: Any) -> list[dict[str, Any]]:
    history = History.from_listing(listing, order="asc", **mode)
    body = dict(history.request(model="gpt-5"))
    assert [f for f in check(body) if f.severity == "error"] == []
    return list(body["input"])


@pytest.mark.parametrize("listing", [LISTING, ConversationItemList.model_validate(LISTING)],
                         ids=["dict", "openai-sdk"])  # fmt: skip
def test_listing_update_is_replayed_in_its_place(listing: Any) -> None:
    sent = _replayed(listing, store=True)
    assert [i.get("type", "message") for i in sent] == ["message", "configuration_update"]
    assert sent[1] == UPDATE
    assert set(sent[1]) <= SDK_KEYS
    assert Turn.from_listing(listing, order="asc").to_input() == sent


@pytest.mark.parametrize("store", [True, False])
def test_listing_update_keeps_its_server_id_in_every_mode(store: bool) -> None:
    """A listing holds only items the server stored: `cnfu_1` is the server's own id with its
    prefix (R11) and resolves server-side (no R3), so it is kept, under store=false too, as the
    ids of the listing's other server items are (the assistant message's `msg_2` here)."""
    assistant = {"type": "message", "id": "msg_2", "role": "assistant", "status": "completed",
                 "content": [{"type": "output_text", "text": "ok", "annotations": []}]}  # fmt: skip
    listing = {**LISTING, "data": [*LISTING["data"], assistant]}
    sent = _replayed(listing, store=store)
    assert [i.get("id") for i in sent[1:]] == ["cnfu_1", "msg_2"]
    assert sent[1] == UPDATE


def test_to_input_of_the_listing_model() -> None:
    listed = outputs.ConfigurationUpdateItem.model_validate(UPDATE)
    replayed = to_input(listed)
    assert isinstance(replayed, inputs.ConfigurationUpdateItemParam)
    assert replayed.to_dict() == UPDATE
    sdk = ConversationItemList.model_validate(LISTING).data[1]
    assert to_input(sdk).to_dict() == UPDATE
    assert to_input(UPDATE).to_dict() == UPDATE


def test_listing_only_types_are_paired_from_the_overlay(
    pinned_result: Result, overlay: tuple[Overlay, str]
) -> None:
    """The pairing of a type only listings return comes from the views and the overlay's
    `caller_written`, not from a list of names: without that entry it is not replayable."""
    ours, _ = overlay

    def input_classes(o: Overlay) -> str:
        text = render_replay(o, pinned_result.output, pinned_result.input, "#")
        return text.split("INPUT_CLASS: ", 1)[1].split("}", 1)[0]

    assert '"configuration_update": i.ConfigurationUpdateItemParam' in input_classes(ours)
    without = ours.model_copy(update={"caller_written": None})
    assert "configuration_update" not in input_classes(without)
