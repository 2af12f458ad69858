"""The replay modes against the examples' fake server, R14 before the request, and compaction."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import openai
import pytest

from responses_replay import Chain, History, InputError, ReplayError, Turn, inputs
from tests import corpus

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture
def loop(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(EXAMPLES))
    return importlib.import_module("agent_loop")


def test_self_contained_loop_survives_items_not_yet_persisted(loop: ModuleType) -> None:
    """The Azure report: under store=true a replayed `fc_` id is looked up and, for a moment after
    the response, not found. The id-keeping loop fails; the self-contained one does not look up."""
    fake = importlib.import_module("fake_api")
    api = fake.FakeResponsesAPI(persist_delay=1)
    with pytest.raises(openai.NotFoundError, match=r"Item with id '(fc|rs|msg)_\w+' not found\."):
        loop.stored(loop.offline_client(api))
    assert api.rejections, "the id-keeping loop must meet the window"

    api = fake.FakeResponsesAPI(persist_delay=1)
    answers = loop.self_contained(loop.offline_client(api))
    assert api.rejections == []
    assert answers == ["In Paris it is 18°C and sunny.", "In Oslo it is 4°C and raining."]
    for exchange in api.exchanges:
        assert exchange.body["store"] is True
        assert exchange.body["include"] == ["reasoning.encrypted_content"]
        assert not [it for it in exchange.body["input"] if "id" in it]


def test_stored_loop_keeps_ids_when_persisted_at_once(loop: ModuleType) -> None:
    fake = importlib.import_module("fake_api")
    api = fake.FakeResponsesAPI()
    loop.stored(loop.offline_client(api))
    assert api.rejections == []
    assert any("id" in it for e in api.exchanges for it in e.body["input"])


REASONING = {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAA"}
MESSAGE = {
    "type": "message", "id": "msg_1", "role": "assistant", "status": "completed",
    "content": [{"type": "output_text", "text": "Hi", "annotations": []}],
}  # fmt: skip


def test_self_contained_needs_encrypted_reasoning() -> None:
    history = History(store=True, self_contained=True)
    plain = {k: v for k, v in REASONING.items() if k != "encrypted_content"}
    with pytest.raises(ReplayError) as exc:
        history.add_response({"id": "resp_1", "output": [plain, MESSAGE]})
    assert exc.value.rule == "R3"
    with pytest.raises(ReplayError) as exc:
        History(store=False, self_contained=False)
    assert exc.value.rule == "R3"


def test_chain_after_a_store_false_response_says_r14_before_the_request() -> None:
    chain = Chain()
    chain.after({"id": "resp_9", "store": False, "status": "completed", "output": [MESSAGE]})
    chain.user("and then?")
    with pytest.raises(ReplayError) as exc:
        chain.request(model="gpt-5")
    assert exc.value.rule == "R14"
    assert "Previous response with id 'resp_9' not found." in str(exc.value)  # api-errors R14
    stored = Chain()
    stored.after({"id": "resp_8", "store": True, "status": "completed", "output": [MESSAGE]})
    stored.user("and then?")
    assert stored.request(model="gpt-5")["previous_response_id"] == "resp_8"
    on_conversation = Chain(conversation="conv_1")
    on_conversation.after({"id": "resp_7", "store": False, "output": [MESSAGE]})
    on_conversation.user("and then?")
    assert "previous_response_id" not in on_conversation.request(model="gpt-5")


@pytest.mark.parametrize("reason", ["max_output_tokens", "steered"])
def test_incomplete_response_ending_in_reasoning(reason: str) -> None:
    """api-errors: a response stopped by `steered` ends like one cut by max_output_tokens (R4)."""
    cut = {
        "id": "resp_1", "status": "incomplete", "incomplete_details": {"reason": reason},
        "output": [MESSAGE, REASONING],
    }  # fmt: skip
    with pytest.raises(ReplayError, match=reason) as exc:
        Turn.from_response(cut)
    assert exc.value.rule == "R4"
    turn = Turn.from_response(cut, incomplete="drop_trailing_reasoning")
    assert [i["type"] for i in turn.to_input()] == ["message"]
    assert turn.incomplete_reason == reason
    events = [
        {"type": "response.output_item.done", "output_index": 0, "item": MESSAGE, "sequence_number": 1},
        {"type": "response.output_item.done", "output_index": 1, "item": REASONING, "sequence_number": 2},
        {"type": "response.incomplete", "response": {k: v for k, v in cut.items() if k != "output"},
         "sequence_number": 3},
    ]  # fmt: skip
    with pytest.raises(ReplayError, match=reason):
        Turn.from_stream(events)
    assert len(Turn.from_stream(events, incomplete="drop_trailing_reasoning")) == 1


def _text(item: dict[str, object]) -> str:
    content = item.get("content")
    if isinstance(content, str):
        return content
    parts = content if isinstance(content, list) else []
    return "".join(str(p.get("text", "")) for p in parts if isinstance(p, dict))


def _compactions() -> list[tuple[corpus.Interaction, corpus.Interaction | None]]:
    out = []
    for it in corpus.interactions():
        if it.endpoint == "responses.compact" and it.real:
            before = [
                o
                for o in corpus.interactions()
                if o.data.get("source_path") == it.data.get("source_path")
                and o.endpoint == "responses.create"
            ]
            out.append((it, before[-1] if before else None))
    return out


@pytest.mark.corpus
@pytest.mark.skipif(not corpus.available(), reason="../shared/corpus is absent")
def test_compaction_against_the_recorded_compact_calls() -> None:
    """The recorded `responses.compact` calls: the history we build is the window that was sent,
    and the compacted output replaces it, the `compaction` item replayed whole."""
    cases = _compactions()
    assert cases
    for compact, create in cases:
        sent = compact.request_body
        window = sent["input"]
        history = History(store=True)
        if create is not None:
            first = create.request_body["input"]
            history.user(first if isinstance(first, str) else first[0]["content"])
            history.add_response(next(iter(create.responses())))
        compact_kwargs = history.compact_request(model=sent["model"])
        assert compact_kwargs["model"] == sent["model"]
        assert len(compact_kwargs["input"]) == len(window)
        for ours, theirs in zip(compact_kwargs["input"], window, strict=True):
            assert (ours.get("role"), _text(ours)) == (theirs.get("role"), _text(theirs))
        history.user("And a contact form?")  # added while the compaction ran: kept after it
        compacted = compact.data["response"]["body"]
        turn = history.compact(compacted)
        body = history.body(model=sent["model"])
        recorded = compacted["output"]
        assert len(turn) == len(recorded)
        replayed = body["input"][: len(recorded)]
        cmp_item = next(o for o in recorded if o["type"] == "compaction")
        assert cmp_item in replayed  # whole: id and encrypted_content as the API sent them
        assert [i.get("role") for i in replayed] == [o.get("role") for o in recorded]
        assert body["input"][-1] == {"role": "user", "content": "And a contact form?"}


def test_compact_refuses_what_is_not_a_compaction() -> None:
    history = History(store=False)
    history.user("hi")
    with pytest.raises(InputError, match="compaction"):
        history.compact({"id": "resp_1", "output": [MESSAGE]})


def test_compaction_trigger_only_as_the_last_item() -> None:
    history = History(store=False)
    history.user("hi")
    history.add(inputs.CompactionTriggerItemParam(type="compaction_trigger"))
    assert history.body(model="gpt-5")["input"][-1] == {"type": "compaction_trigger"}
    history.user("more")
    with pytest.raises(ReplayError, match="last input item"):
        history.body(model="gpt-5")


def test_readme_self_contained_loop_is_the_cure(loop: ModuleType) -> None:
    """The README's self-contained loop, as printed, against the fake server's window."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("self-contained replay\n", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    fake = importlib.import_module("fake_api")
    api = fake.FakeResponsesAPI(persist_delay=1)
    client = loop.offline_client(api)
    source = code.replace("client = OpenAI()", "client = offline")
    assert source != code
    names = {"offline": client, "TOOLS": [fake.WEATHER_TOOL], "get_weather": fake.tool_weather}
    exec(compile(source, "README.md", "exec"), names)
    assert api.rejections == []
    assert len(api.exchanges) == 2
    stored = source.replace("History(store=True, self_contained=True)", "History(store=True)")
    api = fake.FakeResponsesAPI(persist_delay=1)
    names["offline"] = loop.offline_client(api)
    with pytest.raises(openai.NotFoundError, match="not found"):
        exec(compile(stored, "README.md", "exec"), names)


def test_a_stateless_loop_compacts_and_goes_on(loop: ModuleType) -> None:
    """Issue 13: compacted between two questions against the fake server (its own R4/R12 rules)."""
    fake = importlib.import_module("fake_api")
    api = fake.FakeResponsesAPI()
    answers = loop.compacting(loop.offline_client(api))
    assert api.rejections == []
    assert answers == ["In Paris it is 18°C and sunny.", "In Oslo it is 4°C and raining."]
    compact = next(e for e in api.exchanges if e.path.endswith("/compact"))
    after = api.exchanges[api.exchanges.index(compact) + 1].body["input"]
    kinds = [it.get("type", "message") for it in after]
    assert kinds == ["message", "compaction", "message"]  # the window replaced what came before
    assert after[1] == next(o for o in compact.answer["output"] if o["type"] == "compaction")
