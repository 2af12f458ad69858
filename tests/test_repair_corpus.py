"""`repair` against recorded traffic: each classic mistake applied to a request the real API accepted.

The accepted request is the oracle: `repair` must give it back (up to key order), or leave an error
finding for what it did not repair; never a body whose caller content differs from it.
"""

from __future__ import annotations

import copy
import random
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import corpus
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openai.types.responses import ResponseOutputItem
from pydantic import TypeAdapter, ValidationError
from test_repair import claims_hold

from responses_replay import repair
from responses_replay._generated.registry import HOSTED_CALLS, ID_PREFIXES, OUTPUT_OF, OUTPUT_ONLY
from responses_replay._kind import CALLER_ROLES, item_kind

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not corpus.available(), reason="../shared/corpus is not available"),
]

Body = dict[str, Any]
SDK_ITEM: TypeAdapter[Any] = TypeAdapter(ResponseOutputItem)


def caller(item: Any) -> bool:
    return item_kind(item) == "message" and item.get("role") in CALLER_ROLES


def by_model(item: Any) -> bool:
    kind = item_kind(item) if isinstance(item, dict) else None
    if kind == "message":
        return not caller(item)
    return kind is not None and kind not in OUTPUT_OF and kind != "item_reference"


def server_id(item: Any) -> bool:
    prefixes = ID_PREFIXES.get(item_kind(item) or "", ())
    value = item.get("id")
    return isinstance(value, str) and value.split("_", 1)[0] in prefixes


@cache
def accepted() -> tuple[Body, ...]:
    out = []
    for it in corpus.accepted_creates():
        body = it.request_body
        items = body.get("input") if isinstance(body, dict) else None
        if isinstance(items, list) and all(isinstance(item, dict) for item in items):
            out.append(body)
    return tuple(out)


@cache
def outputs_by_response() -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for _, response in corpus.output_responses():
        output = response.get("output")
        if isinstance(response.get("id"), str) and isinstance(output, list) and output:
            found.setdefault(response["id"], output)
    return found


@cache
def recorded_reasoning() -> tuple[dict[str, Any], ...]:
    """Reasoning items as the API returned them, the trailing ones of cut-short responses first."""
    trailing: list[dict[str, Any]] = []
    other: list[dict[str, Any]] = []
    for _, response in corpus.output_responses():
        output = response.get("output") or []
        for n, item in enumerate(output):
            if isinstance(item, dict) and item.get("type") == "reasoning":
                last = n == len(output) - 1 and response.get("status") == "incomplete"
                (trailing if last else other).append(item)
    return tuple(trailing + other)


# -- the classic mistakes ----------------------------------------------------------------------
# Each takes an accepted body and a random source, and returns the mutated body (None: it does not
# apply to this body). They only ever add what real code adds, taken from the SDK or the corpus.


def model_dump(body: Body, rnd: random.Random) -> Body | None:
    """`item.model_dump()` of the SDK's output models for every item the model produced."""
    items, changed = [], False
    for item in body["input"]:
        if by_model(item):
            try:
                dumped = SDK_ITEM.validate_python(item).model_dump()
            except ValidationError:
                dumped = item
            changed = changed or dumped != item
            item = dumped
        items.append(item)
    return {**body, "input": items} if changed else None


def status_on_reasoning(body: Body, rnd: random.Random) -> Body | None:
    items = [
        {**it, "status": rnd.choice(["completed", None])} if it.get("type") == "reasoning" else it
        for it in body["input"]
    ]
    return {**body, "input": items} if items != body["input"] else None


def output_only_keys(body: Body, rnd: random.Random) -> Body | None:
    """The output-only keys of the overlay (`created_by`, ...) as a listing returns them."""
    items, changed = [], False
    for item in body["input"]:
        keys = OUTPUT_ONLY.get(item_kind(item) or "", frozenset())
        if keys and not caller(item):
            item = {**item, **{k: "resp_x" if k == "created_by" else "completed" for k in keys}}
            changed = True
        items.append(item)
    return {**body, "input": items} if changed else None


def duplicated_item(body: Body, rnd: random.Random) -> Body | None:
    with_id = [n for n, it in enumerate(body["input"]) if isinstance(it.get("id"), str)]
    if not with_id:
        return None
    n = rnd.choice(with_id)
    items = list(body["input"])
    items.insert(n + 1, copy.deepcopy(items[n]))
    return {**body, "input": items}


def resent_under_chain(body: Body, rnd: random.Random) -> Body | None:
    """previous_response_id, and the previous response's output sent again before the delta."""
    previous = body.get("previous_response_id")
    output = outputs_by_response().get(previous) if isinstance(previous, str) else None
    if not output:
        return None
    return {**body, "input": [*copy.deepcopy(output), *body["input"]]}


def trailing_reasoning(body: Body, rnd: random.Random) -> Body | None:
    """A reasoning item a cut-short response ended with, replayed before the next user message."""
    used = {it.get("id") for it in body["input"]}
    pool = [it for it in recorded_reasoning() if it.get("id") not in used]
    if not pool:
        return None
    items = list(body["input"])
    spots = [n for n, it in enumerate(items) if n > 0 and caller(it) and not by_model(items[n - 1])]
    spots = [*spots, len(items)]
    at = rnd.choice(spots)
    items.insert(at, copy.deepcopy(rnd.choice(pool[:50])))
    return {**body, "input": items}


def partial_id_strip(body: Body, rnd: random.Random) -> Body | None:
    """The reasoning item's id stripped, the ids of the items it produced kept."""
    items = body["input"]
    spots = [
        n
        for n, it in enumerate(items[:-1])
        if it.get("type") == "reasoning"
        and isinstance(it.get("id"), str)
        and by_model(items[n + 1])
        and server_id(items[n + 1])
        and item_kind(items[n + 1]) not in HOSTED_CALLS
    ]
    if not spots:
        return None
    n = rnd.choice(spots)
    mutated = list(items)
    mutated[n] = {k: v for k, v in items[n].items() if k != "id"}
    return {**body, "input": mutated}


MISTAKES: dict[str, Callable[[Body, random.Random], Body | None]] = {
    f.__name__: f
    for f in (
        model_dump,
        status_on_reasoning,
        output_only_keys,
        duplicated_item,
        resent_under_chain,
        trailing_reasoning,
        partial_id_strip,
    )
}


# -- what "the original back" means ------------------------------------------------------------


def whole_segment_stripped(body: Body) -> Body:
    """R5's other direction: every id of a segment whose reasoning item has none stripped."""
    items, open_ = [], False
    for item in body["input"]:
        if item.get("type") == "reasoning":
            open_ = "id" not in item and bool(item.get("encrypted_content"))
        elif not by_model(item):
            open_ = False
        elif open_ and item_kind(item) not in HOSTED_CALLS and server_id(item):
            item = {k: v for k, v in item.items() if k != "id"}
        items.append(item)
    return {**body, "input": items}


def accepted_nulls(repaired: Any, original: Any, path: str = "input") -> Iterator[str]:
    """Paths of nulls the repaired body has where the original has no key (at depth only)."""
    if isinstance(repaired, dict) and isinstance(original, dict):
        for key, value in repaired.items():
            if key not in original and value is None and path.count(".") >= 1:
                yield f"{path}.{key}"
            elif key in original:
                yield from accepted_nulls(value, original[key], f"{path}.{key}")
    elif isinstance(repaired, list) and isinstance(original, list):
        for n, (a, b) in enumerate(zip(repaired, original, strict=False)):
            yield from accepted_nulls(a, b, f"{path}[{n}]")


def without(body: Any, paths: set[str], path: str = "input") -> Any:
    if isinstance(body, dict):
        return {
            k: without(v, paths, f"{path}.{k}")
            for k, v in body.items()
            if f"{path}.{k}" not in paths
        }
    if isinstance(body, list):
        return [without(v, paths, f"{path}[{n}]") for n, v in enumerate(body)]
    return body


def caller_content(body: Body) -> list[Any]:
    """Caller messages whole, tool outputs' `output`, the text of assistant messages, in order."""
    content: list[Any] = []
    for item in body["input"]:
        kind = item_kind(item)
        if caller(item):
            content.append(item)
        elif kind in OUTPUT_OF:
            content.append((kind, item.get("output")))
        elif kind == "message" and isinstance(item.get("content"), list):
            content.append([p.get("text") for p in item["content"] if isinstance(p, dict)])
    return content


def verdict(original: Body, mutated: Body) -> str:
    """ "same": the original back; "finding": an error left in place. Fails on anything else."""
    result = repair(mutated)
    claims_hold(result)
    assert caller_content(result.body) in (caller_content(original), caller_content(mutated))
    again = repair(result.body)
    assert again.body == result.body, "idempotent"
    assert again.repairs == ()
    nulls = set(accepted_nulls(result.body["input"], original["input"]))
    assert not {f.path for f in result.findings} & nulls  # the Input models accept those nulls
    body = {**result.body, "input": without(result.body["input"], nulls)}
    if body in (original, whole_segment_stripped(original)):
        return "same"
    assert result.errors, f"neither the original back nor a finding: {result.repairs}"
    return "finding"


# -- the tests ---------------------------------------------------------------------------------


def applicable(name: str) -> list[int]:
    rnd = random.Random(0)
    return [n for n, b in enumerate(accepted()) if MISTAKES[name](b, rnd) is not None]


@cache
def pools() -> dict[str, list[int]]:
    return {name: applicable(name) for name in MISTAKES}


def test_every_mistake_applies_to_recorded_requests_and_is_repaired() -> None:
    """Each mistake, on every accepted request it applies to: how often the original comes back."""
    outcome: dict[str, Counter[str]] = {}
    for name, mistake in MISTAKES.items():
        rnd = random.Random(name)
        counts: Counter[str] = Counter()
        for n in pools()[name]:
            original = accepted()[n]
            mutated = mistake(original, rnd)
            assert mutated is not None
            counts[verdict(original, mutated)] += 1
        outcome[name] = counts
    print({k: dict(v) for k, v in outcome.items()})
    for name, counts in outcome.items():
        if name != "partial_id_strip":
            assert counts["same"] >= 1, (name, counts)
    # The corpus's reasoning items that keep their id lack encrypted_content (store=true): nothing
    # stands in for the stripped id, so R5 stays a finding (the other direction: test_repair.py).
    for n in pools()["partial_id_strip"]:
        mutated = partial_id_strip(accepted()[n], random.Random(n))
        assert "R5" in {f.rule for f in repair(mutated or {}).errors}
    # Mistakes that lose nothing come back whole every time.
    for name in ("model_dump", "status_on_reasoning", "output_only_keys", "duplicated_item"):
        assert outcome[name]["finding"] == 0, (name, outcome[name])


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_mutated_accepted_requests(data: st.DataObject) -> None:
    names = data.draw(st.lists(st.sampled_from(sorted(MISTAKES)), min_size=1, max_size=3))
    index = data.draw(st.sampled_from(pools()[names[0]]))
    rnd = data.draw(st.randoms(use_true_random=False))
    original = accepted()[index]
    mutated = original
    for name in names:
        mutated = MISTAKES[name](mutated, rnd) or mutated
    verdict(original, mutated)
