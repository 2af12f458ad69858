"""Recorded conversations: saved and restored to the same next request; trimmed at every point, valid.

Each multi-turn cassette is replayed into a History the way its recorder built its requests: the
caller's items a request adds (a whole-history request repeats the earlier ones first), then the
response. A cassette that starts over (a request that does not extend the previous one) holds
several conversations; each is one case.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from responses_replay import History, InputError, ReplayError, Turn, tool_output
from responses_replay._generated import registry
from responses_replay._moves import Order, listing_entries
from responses_replay._trim import exchanges
from responses_replay.checker import check
from tests import corpus

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not corpus.available(), reason="../shared/corpus is absent"),
]

_CALLER_ROLES = ("user", "system", "developer")


def _callers(item: Any) -> bool:
    """A caller-written item of a recorded request (api-errors.md: the delta of a chained request)."""
    if not isinstance(item, dict):
        return False
    kind = item.get("type") or ("message" if "role" in item else None)
    if kind == "message":
        return item.get("role") in _CALLER_ROLES
    return str(kind).endswith("_output") or kind == "mcp_approval_response"


def _cassettes() -> dict[str, list[corpus.Interaction]]:
    by_path: dict[str, dict[int, corpus.Interaction]] = defaultdict(dict)
    for it in corpus.interactions():
        created = it.endpoint == "responses.create" and isinstance(it.request_body, dict)
        if created and list(it.responses()):
            by_path[str(it.data.get("source_path"))][int(it.data.get("turn_in_cassette") or 0)] = it
    return {p: [t[n] for n in sorted(t)] for p, t in by_path.items() if len(t) >= 2}


def _model_items(items: Any) -> list[tuple[Any, ...]]:
    """The items that came from the model (reasoning aside: some recorders drop it)."""
    dumped = [_dump(i) for i in items]
    return [_key(i) for i in dumped if not _callers(i) and i.get("type") != "reasoning"]


def _conversations(outcomes: Counter[str]) -> Iterator[tuple[str, History, str]]:
    """(cassette, History, model) of every multi-turn recorded conversation that a History holds."""
    for path, turns in _cassettes().items():
        history: History | None = None
        added: list[Any] = []
        size, model = 0, ""
        for it in turns:
            body = it.request_body
            sent = body.get("input")
            sent = [{"role": "user", "content": sent}] if isinstance(sent, str) else sent or []
            caller = [i for i in sent if _callers(i)]
            chained = bool(body.get("previous_response_id") or body.get("conversation"))
            held = _model_items(history.items()) if history is not None else []
            replayed = _model_items(sent)
            extends = chained or (caller[: len(added)] == added and len(replayed) >= len(held))
            if history is not None and extends and not chained and replayed[: len(held)] != held:
                # the recorder rewrote the model's items (e.g. a call replayed as an assistant
                # message): not a conversation a History would send
                outcomes["not a History: the recorder rewrote the model's items"] += 1
                history = None
                break
            if history is None or not extends:  # a new conversation in the same cassette
                if history is not None and size >= 2:
                    yield path, history, model
                history, added, size = History(store=body.get("store") is not False), [], 0
                if not chained and _model_items(sent):
                    # model items the recorder wrote itself (a conversation resumed from another
                    # provider): a History holds only what responses returned
                    outcomes["not a History: model items written by the caller"] += 1
                    history = None
                    break
            new = caller if chained else caller[len(added) :]
            model = str(body.get("model") or "gpt-5")
            try:
                history.add(*new)
                history.add_response(list(it.responses())[-1])
            except ReplayError as exc:
                # store=false without include=['reasoning.encrypted_content']: a History refuses it
                if exc.rule != "R3":
                    raise
                outcomes["refused: stateless reasoning without encrypted_content (R3)"] += 1
                history = None
                break
            added = caller if not chained else added + new
            size += 1
        if history is not None and size >= 2:
            yield path, history, model


def _next_request(history: History, model: str) -> dict[str, Any] | None:
    """The next request: the pending calls answered, or a new user message."""
    turns = [e for e in history._entries if isinstance(e, Turn)]
    pending = history.pending()
    if not pending:
        history.user("And then?")
    for turn in turns[-1:]:
        for call in turn.calls():
            if getattr(call, "call_id", None) in pending:
                try:
                    history.add(tool_output(call, output="ok"))
                except (ReplayError, InputError):
                    return None
    return history.body(model=model) if not history.pending() else None


def _text(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False)


def test_every_recorded_conversation_round_trips_and_trims(
    report_count: Callable[[str, object], None],
) -> None:
    outcomes: Counter[str] = Counter()
    cases = identical = trims = 0
    errors: list[str] = []
    for path, history, model in _conversations(outcomes):
        cases += 1
        saved = history.to_json()
        restored = History.from_json(saved)
        assert restored.pending() == history.pending(), path
        assert _text([_dump(i) for i in restored.items()]) == _text(
            [_dump(i) for i in history.items()]
        )
        ours, theirs = _next_request(history, model), _next_request(restored, model)
        if ours is None:
            outcomes["next request not built: a pending call this test cannot answer"] += 1
            continue
        assert theirs is not None
        assert _text(ours) == _text(theirs), path
        identical += 1
        if any(f.severity == "error" for f in check(restored.body(model=model))):
            outcomes["not trimmed: the recorded conversation itself fails check()"] += 1
            continue
        for keep in range(1, len(exchanges(restored._entries)) + 1):
            trimmed = History.from_json(restored.to_json())
            trimmed.trim(keep)
            trims += 1
            found = [f for f in check(trimmed.body(model=model)) if f.severity == "error"]
            errors += [f"{path} keep={keep}: {f}" for f in found]
    report_count("state: recorded multi-turn conversations", cases)
    report_count("state: restored to the byte-identical next request", identical)
    report_count("state: trimmed requests checked", trims)
    for what, n in sorted(outcomes.items()):
        report_count(f"state: {what}", n)
    assert cases >= 195
    assert identical >= cases - 5  # the few whose pending calls this test cannot answer
    assert not errors, "\n".join(errors[:20])


def test_every_recorded_stored_conversation_round_trips_self_contained(
    report_count: Callable[[str, object], None],
) -> None:
    """The recorded store=true conversations moved to self-contained replay (issue 11): saved and
    restored, still self-contained: the same next request, asking for encrypted reasoning, and no
    server id the API would look up (R3) but those it requires (R10, the pairing keys)."""
    outcomes: Counter[str] = Counter()
    cases = 0
    for path, stored, model in _conversations(outcomes):
        if not stored.store:
            continue
        state = stored.to_state()
        state["self_contained"] = True
        try:
            history = History.from_state(state, store=True)
        except ReplayError as exc:
            if exc.rule != "R3":  # R3: reasoning recorded without encrypted_content
                raise
            outcomes["self-contained: refused, reasoning without encrypted_content (R3)"] += 1
            continue
        restored = History.from_json(history.to_json(), store=True)
        assert restored.self_contained, path
        ours, theirs = _next_request(history, model), _next_request(restored, model)
        if ours is None or theirs is None:
            continue
        assert _text(ours) == _text(theirs), path
        assert "reasoning.encrypted_content" in theirs["include"], path
        looked_up = [
            i["id"] for i in theirs["input"] if "id" in i and i.get("type") not in registry.KEEPS_ID
        ]
        assert not looked_up, path
        cases += 1
    report_count("state: recorded stored conversations restored self-contained", cases)
    for what, n in sorted(outcomes.items()):
        if what.startswith("self-contained"):
            report_count(f"state: {what}", n)
    assert cases >= 100


def _dump(item: Any) -> Any:
    return item if isinstance(item, dict) else item.to_dict()


def _pages() -> Iterator[corpus.Interaction]:
    listing = ("responses.input_items", "conversations.items.get")
    for it in corpus.interactions():
        body = (it.data.get("response") or {}).get("body")
        ok = 200 <= it.status < 300 and isinstance(body, dict)
        if ok and it.endpoint in listing and body.get("object") == "list":
            yield it


def _query(it: corpus.Interaction) -> dict[str, str]:
    query = parse_qs(urlsplit(it.data["request"]["url"]).query)
    return {k: v[-1] for k, v in query.items()}


def _listings() -> Iterator[tuple[corpus.Interaction, list[dict[str, Any]], Order]]:
    """Every recorded listing read to its end: (its first page, every item, its order).

    A page asked for with `after=` continues the page whose `last_id` it names."""
    pages = list(_pages())
    after = {(str(it.data.get("source_path")), _query(it).get("after")): it for it in pages}
    for it in pages:
        if "after" in _query(it):
            continue
        items, page = [], it
        while True:
            body = page.data["response"]["body"]
            items += body["data"]
            if not body.get("has_more"):
                break
            following = after.get((str(page.data.get("source_path")), body.get("last_id")))
            if following is None:
                break
            page = following
        order: Order = "asc" if _query(it).get("order") == "asc" else "desc"
        if not page.data["response"]["body"].get("has_more"):
            yield it, items, order


def test_recorded_listings_become_histories(report_count: Callable[[str, object], None]) -> None:
    """Every recorded listing, all its pages, in the order asked for -> a History whose request checks."""
    read = paged = 0
    for it, data, order in _listings():
        history = History.from_listing(data, order=order)
        items = [_dump(i) for i in history.items()]
        assert len(items) == len(data), it.path
        oldest_first = data if order == "asc" else data[::-1]
        assert [_key(i) for i in items] == [_key(d) for d in oldest_first], it.path
        history.user("next")
        found = [f for f in check(history.body(model="gpt-5")) if f.severity == "error"]
        assert not found, f"{it.path}: {found}"
        assert [_key(i) for i in History.from_listing(data, order=order).conversation_items()] == [
            _key(i) for i in items
        ]
        page = {"object": "list", "data": data, "has_more": False}
        assert Turn.from_listing(page, order=order).to_input() == items  # one listing reader
        read += 1
        paged += len(data) > len(it.data["response"]["body"]["data"])
    report_count("state: recorded listings read into a History", read)
    report_count("state: of which read from several pages", paged)
    assert read >= 20
    assert paged >= 5


def test_a_recorded_page_with_more_pages_is_refused(
    report_count: Callable[[str, object], None],
) -> None:
    partial = [it for it in _pages() if it.data["response"]["body"].get("has_more")]
    for it in partial:
        with pytest.raises(InputError, match="has more pages"):
            History.from_listing(it.data["response"]["body"])
    report_count("state: recorded pages refused as partial (has_more)", len(partial))
    assert partial


def test_recorded_listing_in_the_wrong_order_is_refused() -> None:
    """A listing with a call and its output, read in the other order: R6, naming the order."""
    with_calls = [
        (data, order)
        for _it, data, order in _listings()
        if any(d.get("type") == "function_call" for d in data)
    ]
    assert with_calls
    data, order = with_calls[0]
    other: Order = "asc" if order == "desc" else "desc"
    with pytest.raises(ReplayError, match=f"order={other!r}") as err:
        listing_entries(data, order=other)
    assert err.value.rule == "R6"


def test_recorded_chains_become_histories(report_count: Callable[[str, object], None]) -> None:
    """A response's input_items listing and the response -> a History holding the same items as
    the recorded requests and responses of its chain (`previous_response_id`), oldest first."""
    creates = {r.get("id"): it for it in corpus.accepted_creates() for r in it.responses()}
    chains = chained = 0
    for it, data, order in _listings():
        rid = it.data["request"]["url"].split("/responses/")[-1].split("/")[0]
        last = creates.get(rid) if it.endpoint == "responses.input_items" else None
        if last is None:
            continue
        history = History.from_chain(data, list(last.responses())[-1], order=order)
        ours = [_key(_dump(i)) for i in history.items()]
        recorded: list[Any] = []
        step: corpus.Interaction | None = last
        while step is not None:
            sent = step.request_body.get("input")
            sent = [{"role": "user", "content": sent}] if isinstance(sent, str) else sent
            out = list(step.responses())[-1].get("output") or []
            recorded[:0] = [*(_key(s) for s in sent), *(_key(o) for o in out)]
            prev = step.request_body.get("previous_response_id")
            chained += bool(prev)
            step = creates.get(prev) if prev else None
        assert ours == recorded, it.path
        chains += 1
    report_count("state: recorded responses moved to a History via input_items", chains)
    report_count("state: of which previous_response_id links followed", chained)
    assert chains >= 20
    assert chained >= 2


def _key(item: dict[str, Any]) -> tuple[Any, ...]:
    content = item.get("content")
    # a string content is one input_text part (the API lists it so)
    text = [content] if isinstance(content, str) else [c.get("text") for c in content or []]
    return (item.get("type") or "message", item.get("role"), item.get("call_id"), str(text))
