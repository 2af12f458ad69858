"""Acceptance against recorded traffic (../shared/corpus): zero false rejections on either side."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

import pytest
from pydantic import ValidationError

from responses_replay import inputs, outputs
from tests import corpus

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not corpus.available(), reason=f"no corpus at {corpus.CORPUS}"),
]

Report = Callable[[str, object], None]


class Adapter(Protocol):
    """A pydantic `TypeAdapter`, or the package's lazy one."""

    def validate_python(self, obj: Any) -> Any: ...


Located = tuple[str, Any]  # (where: file and index, item)


def _failures(adapter: Adapter, items: Iterable[Located]) -> tuple[int, list[str]]:
    """Validate every item; return how many there were and a line per rejection or lossy round trip."""
    count, bad = 0, []
    for where, item in items:
        count += 1
        try:
            parsed = adapter.validate_python(item)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            kind = item.get("type") if isinstance(item, dict) else type(item).__name__
            bad.append(
                f"{where} ({kind}): {exc.error_count()} errors, first at {loc}: {first['msg']}"
            )
            continue
        if parsed.to_dict() != item:
            bad.append(f"{where}: to_dict() differs from the recorded item")
    return count, bad


def _where(it: corpus.Interaction) -> str:
    return str(it.path.relative_to(corpus.CORPUS))


def _response_output_items() -> Iterator[Located]:
    for it, body in corpus.output_responses():
        for i, item in enumerate(body.get("output") or []):
            yield f"{_where(it)} output[{i}]", item


def _stream_output_items() -> Iterator[Located]:
    """Items of `response.output_item.done` events (their encrypted_content may differ from the final)."""
    for it in corpus.interactions():
        if it.real or it.data.get("request") is None:
            done = (it.data.get("response") or {}).get("output_items") or []
            for i, item in enumerate(done):
                yield f"{_where(it)} output_items[{i}]", item


def _accepted_input_items() -> Iterator[Located]:
    for it in corpus.accepted_creates():
        body = it.request_body
        given = body.get("input") if isinstance(body, dict) else None
        if isinstance(given, list):
            for i, item in enumerate(given):
                yield f"{_where(it)} input[{i}]", item


def _check(name: str, adapter: Adapter, items: Iterable[Located], report: Report) -> None:
    count, bad = _failures(adapter, items)
    report(f"{name} parsed", count - len(bad))
    report(f"{name} rejected", len(bad))
    assert count > 0, f"the corpus has no {name}"
    assert not bad, f"{len(bad)} of {count} {name} rejected:\n" + "\n".join(bad[:25])


def test_every_recorded_output_item_parses(report_count: Report) -> None:
    _check(
        "output items (responses)",
        outputs.OutputItemAdapter,
        _response_output_items(),
        report_count,
    )


def test_every_streamed_output_item_parses(report_count: Report) -> None:
    _check(
        "output items (stream done events)",
        outputs.OutputItemAdapter,
        _stream_output_items(),
        report_count,
    )


def test_every_accepted_input_item_parses(report_count: Report) -> None:
    _check(
        "input items (accepted requests)",
        inputs.InputItemAdapter,
        _accepted_input_items(),
        report_count,
    )


def _compactions() -> list[tuple[str, dict[str, Any]]]:
    """The compaction endpoint's recorded answers (`object: response.compaction`)."""
    found = []
    for it in corpus.interactions():
        body = (it.data.get("response") or {}).get("body")
        if it.real and it.endpoint == "responses.compact" and 200 <= it.status < 300:
            assert isinstance(body, dict)
            assert body.get("object") == "response.compaction"
            found.append((_where(it), body))
    return found


def test_every_compaction_output_item_parses(report_count: Report) -> None:
    """`parse_response` and `Turn.from_response` take the compacted window (user messages with
    input_text parts next to `compaction` items: the spec's `CompactResource.output`)."""
    from responses_replay import Turn, parse_response

    bodies = _compactions()
    assert bodies, "the corpus has no responses.compact interaction"
    items = converted = 0
    bad: list[str] = []
    for where, body in bodies:
        parsed = parse_response(body)
        items += len(parsed)
        if [i.to_dict() for i in parsed] != body["output"]:
            bad.append(f"{where}: to_dict() differs from the recorded output")
        turn = Turn.from_response(body)
        converted += len(turn)
        sent = turn.to_input()
        if [i["type"] for i in sent] != [i["type"] for i in body["output"]]:
            bad.append(f"{where}: the turn's items are not the window's, in order")
    report_count("compaction responses", len(bodies))
    report_count("compaction output items parsed", items)
    report_count("compaction output items converted", converted)
    assert not bad, "\n".join(bad)
    assert converted == items == sum(len(b["output"]) for _, b in bodies)
