"""The guard's repair mode: the wrong replays of `examples/wrong_replay.py` go through, repaired;
the README's "Already in production? One line" section shows what its code really prints.

The examples' fake server enforces the API's rules on its own (it does not import responses_replay),
so it is the judge of every repaired body here.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import io
import json
import logging
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import httpx2
import openai
import pytest

from responses_replay import ReplayCheckError
from responses_replay.guard import (
    AsyncGuardTransport,
    GuardTransport,
    guarded_async_client,
    guarded_client,
    refusal_of,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SECTION = "## Already in production? One line"


def example(name: str) -> ModuleType:
    if str(EXAMPLES) not in sys.path:
        sys.path.insert(0, str(EXAMPLES))  # wrong_replay imports fake_api as a top-level module
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


fake_api = example("fake_api")
wrong_replay = example("wrong_replay")


def client_for(api: Any, mode: str = "repair") -> openai.OpenAI:
    http = guarded_client(mode, transport=api.transport())  # type: ignore[arg-type]
    return openai.OpenAI(api_key="test", base_url="http://fake/v1", http_client=http)


@pytest.mark.parametrize("case", ["model_dump_loop", "chained_resend"])
def test_the_fake_server_accepts_every_repaired_wrong_replay(
    case: str, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = getattr(wrong_replay, case)
    # as is, the fake server rejects it (the example's own claim)
    with pytest.raises(openai.BadRequestError):
        wrong(openai.OpenAI(
            api_key="test", base_url="http://fake/v1",
            http_client=openai.DefaultHttpxClient(transport=fake_api.FakeResponsesAPI().transport()),
        ))  # fmt: skip
    api = fake_api.FakeResponsesAPI()
    with caplog.at_level(logging.WARNING, logger="responses_replay.guard"):
        answer = wrong(client_for(api))
    assert answer == "In Paris it is 18°C and sunny."
    assert api.rejections == []
    assert len(api.exchanges) == 2
    lines = [r for r in caplog.records if r.name == "responses_replay.guard"]
    assert lines, "each repair is logged"
    for record in lines:
        assert record.levelno == logging.WARNING
        message = record.getMessage()
        assert "\n" not in message
        assert " repaired: " in message
        assert message.split(": ", 2)[1].startswith("input[")  # the path, then the rule
    # what the server received is the repaired body; the caller's messages and outputs are intact
    sent = api.exchanges[1].body["input"]
    assert sent[0] == {"role": "user", "content": wrong_replay.QUESTION}
    outputs = [it["output"] for it in sent if it.get("type") == "function_call_output"]
    assert outputs == [fake_api.tool_weather('{"city": "Paris"}')]


def test_what_cannot_be_repaired_is_refused_before_sending() -> None:
    api = fake_api.FakeResponsesAPI()
    client = client_for(api)
    call = {"type": "function_call", "call_id": "call_1", "name": "get_weather", "arguments": "{}"}
    with pytest.raises(openai.BadRequestError) as exc:  # R7: the tool output cannot be invented
        client.responses.create(model="gpt-5-mini", input=[{"role": "user", "content": "Hi"}, call])  # type: ignore[list-item]
    refusal = refusal_of(exc.value)  # refused as mode "raise" refuses: the API's 400, not retried
    assert isinstance(refusal, ReplayCheckError)
    assert {f.rule for f in refusal.findings} == {"R7"}
    assert api.exchanges == []


def test_a_clean_request_is_sent_unchanged() -> None:
    seen: list[bytes] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request.read())
        return httpx2.Response(400, json={"error": {"message": "stop", "type": "x"}})

    body = b'{"model": "m", "input": [{"role": "user", "content": "Hi"}]}'
    with httpx2.Client(transport=GuardTransport(httpx2.MockTransport(handler), "repair")) as http:
        http.post("http://fake/v1/responses", content=body)
    assert seen == [body]


DUMPED = {
    "model": "m",
    "input": [
        {"role": "user", "content": "Hi"},
        {"type": "reasoning", "id": "rs_1", "summary": [], "status": None},  # R1 (model_dump)
        {"type": "message", "role": "assistant", "id": "msg_1",
         "content": [{"type": "output_text", "text": "Hello.", "annotations": []}]},
    ],
}  # fmt: skip


@pytest.mark.parametrize("lib", [httpx2, httpx], ids=["httpx2", "httpx"])
def test_repair_mode_under_either_http_library(lib: ModuleType) -> None:
    seen: list[Any] = []

    def handler(request: Any) -> Any:
        seen.append(request)
        return lib.Response(200, json={})

    transport: Any = GuardTransport(lib.MockTransport(handler), "repair")
    with lib.Client(transport=transport) as http:
        http.post("http://fake/v1/responses", json=DUMPED, headers={"X-Trace": "t1"})
    (sent,) = seen
    body = json.loads(sent.content)
    assert body["input"][1] == {"type": "reasoning", "id": "rs_1", "summary": []}
    assert body["input"][0] == DUMPED["input"][0]
    assert sent.headers["content-length"] == str(len(sent.content))
    assert sent.headers["x-trace"] == "t1"  # the request is the same but for its body
    assert sent.headers["content-type"] == "application/json"

    async def run() -> None:
        atransport: Any = AsyncGuardTransport(lib.MockTransport(handler), "repair")
        async with lib.AsyncClient(transport=atransport) as http:
            await http.post("http://fake/v1/responses", json=DUMPED)

    asyncio.run(run())
    assert json.loads(seen[-1].content)["input"][1] == body["input"][1]


def test_repair_mode_on_the_async_client() -> None:
    api = fake_api.FakeResponsesAPI()
    http = guarded_async_client("repair", transport=httpx2.MockTransport(api.handle))
    client = openai.AsyncOpenAI(api_key="test", base_url="http://fake/v1", http_client=http)
    user: Any = {"role": "user", "content": wrong_replay.QUESTION}

    async def run() -> str:
        first = await client.responses.create(
            model="m", input=[user], tools=[fake_api.WEATHER_TOOL]
        )
        context: list[Any] = [user]
        for item in first.output:
            context.append(item.model_dump())  # the R1 mistake, repaired in flight
            if item.type == "function_call":
                output = fake_api.tool_weather(item.arguments)
                context.append(
                    {"type": "function_call_output", "call_id": item.call_id, "output": output}
                )
        second = await client.responses.create(
            model="m", input=context, tools=[fake_api.WEATHER_TOOL]
        )
        return second.output_text

    assert asyncio.run(run()) == "In Paris it is 18°C and sunny."
    assert api.rejections == []


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="'repair'"):
        guarded_client("fix")  # type: ignore[arg-type]


# -- the README section ---------------------------------------------------------------------


def section() -> tuple[str, str]:
    """The section's code, and the output it shows."""
    text = (ROOT / "README.md").read_text(encoding="utf-8").split(SECTION, 1)[1].split("\n## ")[0]
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    shown = text.split("```text\n", 1)[1].split("```", 1)[0]
    return code, shown


def test_readme_repair_section_shows_what_it_prints() -> None:
    code, shown = section()
    assert 'guarded_client("repair")' in code
    api = fake_api.FakeResponsesAPI()
    source = code.replace(
        'guarded_client("repair")', 'guarded_client("repair", transport=api.transport())'
    ).replace("OpenAI(http_client", 'OpenAI(api_key="test", base_url="http://fake/v1", http_client')
    assert source.count("fake/v1") == 1
    assert "transport=api" in source
    printed = io.StringIO()
    # The format of the section's own logging.basicConfig (which pytest's handlers make a no-op).
    handler = logging.StreamHandler(printed)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    guard_log = logging.getLogger("responses_replay.guard")
    guard_log.addHandler(handler)
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(source, "README.md", "exec"), {"api": api})
    finally:
        guard_log.removeHandler(handler)
    assert printed.getvalue() == shown
    assert api.rejections == []  # the fake server accepted every repaired request
    assert len(api.exchanges) == 5
