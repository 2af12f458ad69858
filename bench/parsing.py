"""Reading and converting a 10k-item response, and the SDK's response objects in: ours against the
`openai` SDK's own paths (what users would pick instead) on the same bytes."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from . import items
from .core import Measured, Rows, Settings, Target, cpu_how, measurement, race

if TYPE_CHECKING:
    from openai.types.responses import Response


def client_default(body: bytes) -> Response:
    """What `client.responses.create()` does with the body: `response.json()`, then the SDK's
    `construct_type` (no validation; `_strict_response_validation` is off by default), as in
    openai's `_base_client._process_response_data`."""
    from openai._models import construct_type
    from openai.types.responses import Response

    return cast("Response", construct_type(type_=Response, value=json.loads(body)))


@measurement("parse 10k output items")
def parse_items(settings: Settings) -> Rows:
    import pydantic_core
    from openai.types.responses import Response

    from responses_replay import parse_response
    from responses_replay.outputs import OutputItemListAdapter

    n = settings.items
    listed, whole = items.items_json(n), items.response_json(n)
    # Same data, checked before it is timed.
    assert len(OutputItemListAdapter.validate_json(listed)) == n
    assert len(parse_response(whole)) == n
    assert len(Response.model_validate_json(whole).output) == n
    assert len(client_default(whole).output) == n

    adapter, response, sdk, client, loads, from_json = race(
        [
            lambda: OutputItemListAdapter.validate_json(listed),
            lambda: parse_response(whole),
            lambda: Response.model_validate_json(whole),
            lambda: client_default(whole),
            lambda: json.loads(whole),
            lambda: pydantic_core.from_json(whole),
        ],
        settings.repeat,
    )
    how = cpu_how(settings.repeat, f"the same response JSON bytes ({len(whole) / 1e6:.1f} MB)")
    return [
        Measured(f"parse {n} items: parse_response(bytes) vs the client's default", response,
                 Target("min_speedup", 1), client, "SDK json.loads + construct_type", how=how),
        Measured(f"parse {n} items: parse_response(bytes) vs validating SDK", response,
                 Target("min_speedup", 8), sdk, "Response.model_validate_json", how=how),
        Measured(f"parse {n} items: OutputItemListAdapter.validate_json", adapter,
                 Target("min_speedup", 8), sdk, "Response.model_validate_json",
                 how=f"{how}; the items list alone vs the response wrapping them"),
        Measured(f"parse {n} items: parse_response vs the floor", response, Target("info"),
                 loads, "json.loads", how=how),
        Measured(f"parse {n} items: the floor's floor", response, Target("info"), from_json,
                 "pydantic_core.from_json", how=how),
    ]  # fmt: skip


@measurement("convert 10k items to input")
def conversion(settings: Settings) -> Rows:
    """10k output items, JSON bytes -> the list to send: ours vs what users would pick instead."""
    from agents.items import ModelResponse
    from agents.usage import Usage
    from openai.types.responses import Response

    from responses_replay import Turn, parse_response

    n = settings.items
    whole = items.response_json(n)

    def ours() -> list[dict[str, object]]:
        return Turn.from_response(whole).to_input()

    def typed() -> Turn:
        return Turn.from_items(parse_response(whole))

    def plain() -> Turn:
        return Turn.from_response(whole)

    def client() -> list[dict[str, object]]:
        return [o.to_dict() for o in client_default(whole).output]

    def validated() -> list[dict[str, object]]:
        return [o.to_dict() for o in Response.model_validate_json(whole).output]

    def agents() -> list[object]:
        r = client_default(whole)
        return list(
            ModelResponse(output=r.output, usage=Usage(), response_id=r.id).to_input_items()
        )

    assert len(ours()) == len(client()) == len(validated()) == len(agents()) == n
    assert len(typed()) == len(plain()) == n
    mine, sdk_client, sdk_validated, agent, typed_t, plain_t = race(
        [ours, client, validated, agents, typed, plain], settings.repeat
    )
    how = cpu_how(settings.repeat, "the same response bytes")
    return [
        Measured(f"convert {n} items: Turn.from_response(bytes).to_input() vs the client's default",
                 mine, Target("min_speedup", 1), sdk_client,
                 "SDK json.loads + construct_type + to_dict()", how=how),
        Measured(f"convert {n} items: vs validating SDK", mine, Target("min_speedup", 8),
                 sdk_validated, "SDK model_validate_json + to_dict()", how=how),
        Measured(f"convert {n} items: vs openai-agents", mine, Target("min_speedup", 1), agent,
                 "agents ModelResponse.to_input_items()",
                 how=f"{how}; agents gets the client's constructed Response"),
        Measured(f"convert {n} items: Turn.from_items(parse_response(b))", typed_t,
                 Target("max_ratio", 1.3), plain_t, "Turn.from_response(b)",
                 how=f"{how}; the typed path vs the direct one (issue 12)"),
    ]  # fmt: skip


@measurement("SDK objects in")
def sdk_objects(settings: Settings) -> Rows:
    """The README's loop: the client's `Response` object in, the turn out; vs the SDK's own dump."""
    from openai.types.responses import Response

    from responses_replay import History, Turn

    n = settings.items
    whole = items.response_json(n)
    constructed = client_default(whole)
    validated = Response.model_validate_json(whole)
    assert len(Turn.from_response(constructed)) == len(Turn.from_response(validated)) == n
    assert Turn.from_response(constructed).to_input() == Turn.from_response(whole).to_input()

    def add(response: Response) -> Callable[[], object]:
        return lambda: History(store=False).add_response(response)

    times = race(
        [
            lambda: Turn.from_response(constructed),
            add(constructed),
            constructed.to_dict,
            lambda: Turn.from_response(validated),
            validated.to_dict,
        ],
        settings.repeat,
    )
    from_constructed, add_constructed, dump_constructed, from_validated, dump_validated = times
    how = cpu_how(settings.repeat, "the SDK object built once, outside the timing")
    return [
        Measured(f"SDK Response ({n} items, as the client builds it) -> Turn.from_response",
                 from_constructed, Target("min_speedup", 1), dump_constructed,
                 "the same object's to_dict()", how=how),
        Measured(f"SDK Response ({n} items, as the client builds it) -> History.add_response",
                 add_constructed, Target("min_speedup", 1), dump_constructed,
                 "the same object's to_dict()", how=how),
        Measured(f"SDK Response ({n} items, validated) -> Turn.from_response", from_validated,
                 Target("min_speedup", 1), dump_validated, "the same object's to_dict()",
                 how=f"{how}; Response.model_validate_json, as `responses.parse` users hold"),
    ]  # fmt: skip
