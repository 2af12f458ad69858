"""The measurements of `make bench`, in the issue's order. Adding one is one `@measurement` function."""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from . import items
from .core import (
    PYTHON,
    ROOT,
    Measured,
    Rows,
    Settings,
    Target,
    measurement,
    race,
    race_commands,
    run,
    wall,
)

SHARED_SPECS = ROOT.parent / "shared" / "specs"


def pinned_spec() -> dict[str, str]:
    """Environment pointing the generator at the pinned spec: OPENAPI_SPEC, else ../shared's copy.

    With neither, the generator falls back to spec/cache or a download, as `make regen` does.
    """
    if os.environ.get("OPENAPI_SPEC"):
        return {}
    from codegen.source import load_pin

    want = load_pin().sha256
    for path in sorted(SHARED_SPECS.glob("openapi-*.yaml")):
        if hashlib.sha256(path.read_bytes()).hexdigest() == want:
            return {"OPENAPI_SPEC": str(path)}
    return {}


@measurement("make regen")
def regen(settings: Settings) -> Rows:
    env = pinned_spec()
    command = [PYTHON, "-m", "codegen", "regen", "--out"]
    with tempfile.TemporaryDirectory() as tmp:
        fresh = (str(Path(tmp) / f"run{i}") for i in range(settings.repeat_slow))
        (best,) = race_commands(
            [lambda: wall([*command, next(fresh)], env=env)], settings.repeat_slow
        )
    return [
        Measured(
            "make regen (codegen regen --out tmp)",
            best,
            Target("max_seconds", 15),
            how=f"best of {settings.repeat_slow}, `python -m codegen regen` into a fresh directory",
        )
    ]


_TIMER = "import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
_ONE = (
    '{"id": "resp_1", "object": "response", "created_at": 1, "model": "m", "parallel_tool_calls": true,'
    ' "tool_choice": "auto", "tools": [], "output": [{"type": "function_call", "id": "fc_1",'
    ' "call_id": "call_1", "name": "f", "arguments": "{}", "status": "completed"}]}'
)
FIRST_PARSE_OURS = f"import responses_replay; responses_replay.parse_response({_ONE!r})"
FIRST_PARSE_OPENAI = (
    f"from openai.types.responses import Response; Response.model_validate_json({_ONE!r})"
)


_BYTECODE: list[str] = []


def _bytecode_cache() -> str:
    """One temporary bytecode cache for every fresh interpreter of this run, removed at exit."""
    if not _BYTECODE:
        path = tempfile.mkdtemp(prefix="responses-replay-bench-pyc-")
        atexit.register(shutil.rmtree, path, ignore_errors=True)
        _BYTECODE.append(path)
    return _BYTECODE[0]


def _seconds_in_fresh_interpreter(code: str) -> float:
    """Seconds `code` takes in a new interpreter that reads compiled bytecode, as after `pip install`.

    Every package (ours and openai alike) is compiled into one temporary cache by the warm-up
    round and read from it afterwards. Without this, a machine that sets PYTHONDONTWRITEBYTECODE
    (this one does) compiles our source tree on every import, while openai's bytecode was
    written by pip: an unequal race that says nothing about what users see.
    """
    proc = run(
        [PYTHON, "-c", _TIMER.format(code=code)],
        cwd=Path(tempfile.gettempdir()),
        env={"PYTHONPYCACHEPREFIX": _bytecode_cache()},
        unset=("PYTHONDONTWRITEBYTECODE",),
    )
    return float(proc.stdout.strip().splitlines()[-1])


@measurement("import time")
def import_time(settings: Settings) -> Rows:
    ours, openai, ours_first, openai_first = race_commands(
        [
            lambda: _seconds_in_fresh_interpreter("import responses_replay"),
            lambda: _seconds_in_fresh_interpreter("import openai"),
            lambda: _seconds_in_fresh_interpreter(FIRST_PARSE_OURS),
            lambda: _seconds_in_fresh_interpreter(FIRST_PARSE_OPENAI),
        ],
        settings.repeat,
        warmup=1,
    )
    how = (
        f"best of {settings.repeat}, each in a fresh interpreter, interleaved, after a warm-up"
        " that compiles both packages' bytecode"
    )
    return [
        Measured(
            "import responses_replay",
            ours,
            Target("max_ratio", 0.5),
            openai,
            "import openai",
            how=how,
        ),
        Measured(
            "import + parse a 1-item response",
            ours_first,
            Target("info"),
            openai_first,
            "openai Response.model_validate_json",
            how=f"{how}; includes validators built on first use",
        ),
    ]


USER_OURS = '''\
"""A small user file typed against responses-replay."""

from responses_replay import inputs, outputs, parse_response


def last_text(body: bytes) -> str:
    for item in reversed(parse_response(body)):
        if isinstance(item, outputs.OutputMessage):
            for part in item.content:
                if isinstance(part, outputs.OutputTextContent):
                    return part.text
    return ""


def calls(body: bytes) -> list[tuple[str, str]]:
    return [(i.call_id, i.arguments) for i in parse_response(body) if isinstance(i, outputs.FunctionToolCall)]


def answer(call_id: str, result: str) -> inputs.FunctionCallOutputItemParam:
    return inputs.FunctionCallOutputItemParam(type="function_call_output", call_id=call_id, output=result)
'''

USER_OPENAI = '''\
"""The same user file typed against the openai SDK's response types."""

from openai.types.responses import (
    Response,
    ResponseFunctionToolCall,
    ResponseOutputMessage,
    ResponseOutputText,
)
from openai.types.responses.response_input_item_param import FunctionCallOutput


def last_text(body: bytes) -> str:
    for item in reversed(Response.model_validate_json(body).output):
        if isinstance(item, ResponseOutputMessage):
            for part in item.content:
                if isinstance(part, ResponseOutputText):
                    return part.text
    return ""


def calls(body: bytes) -> list[tuple[str, str]]:
    out = Response.model_validate_json(body).output
    return [(i.call_id, i.arguments) for i in out if isinstance(i, ResponseFunctionToolCall)]


def answer(call_id: str, result: str) -> FunctionCallOutput:
    return FunctionCallOutput(type="function_call_output", call_id=call_id, output=result)
'''


def _cold_mypy(source: str, workdir: Path, label: str) -> float:
    """`mypy --strict` on one file with a fresh cache directory (and no project config)."""
    user = workdir / f"user_{label}.py"
    user.write_text(source, encoding="utf-8")
    cache = Path(tempfile.mkdtemp(prefix=f"mypy-cache-{label}-", dir=workdir))
    return wall(
        [PYTHON, "-m", "mypy", "--strict", "--config-file=", "--cache-dir", str(cache), str(user)],
        cwd=workdir,
    )


@measurement("cold mypy --strict")
def cold_mypy(settings: Settings) -> Rows:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ours, openai = race_commands(
            [
                lambda: _cold_mypy(USER_OURS, work, "ours"),
                lambda: _cold_mypy(USER_OPENAI, work, "openai"),
            ],
            settings.repeat_slow,
        )
    return [
        Measured(
            "cold mypy --strict, user file on our models",
            ours,
            Target("max_ratio", 0.3),
            openai,
            "on openai types",
            how=f"best of {settings.repeat_slow}, fresh --cache-dir each run, same-shaped user files",
        )
    ]


@measurement("parse 10k output items")
def parse_items(settings: Settings) -> Rows:
    from openai.types.responses import Response

    from responses_replay import parse_response
    from responses_replay.outputs import OutputItemListAdapter

    n = settings.items
    listed, whole = items.items_json(n), items.response_json(n)
    # Same data, checked before it is timed.
    assert len(OutputItemListAdapter.validate_json(listed)) == n
    assert len(parse_response(whole)) == n
    assert len(Response.model_validate_json(whole).output) == n

    adapter, response, sdk = race(
        [
            lambda: OutputItemListAdapter.validate_json(listed),
            lambda: parse_response(whole),
            lambda: Response.model_validate_json(whole),
        ],
        settings.repeat,
    )
    how = f"best of {settings.repeat}, interleaved, gc collected before and off during each run"
    size = f"{len(whole) / 1e6:.1f} MB"
    return [
        Measured(
            f"parse {n} items: OutputItemListAdapter.validate_json",
            adapter,
            Target("min_speedup", 8),
            sdk,
            "Response.model_validate_json",
            how=f"{how}; the items list as JSON bytes vs the response wrapping them ({size})",
        ),
        Measured(
            f"parse {n} items: parse_response(JSON bytes)",
            response,
            Target("min_speedup", 8),
            sdk,
            "Response.model_validate_json",
            how=f"{how}; the same response JSON bytes ({size}) for both",
        ),
    ]


# --- slots others fill: each returns rows when measured, None (printed as pending) until then ---


@measurement("convert 10k items to input")
def conversion(settings: Settings) -> Rows:
    """10k output items, JSON bytes -> the list to send: ours vs the SDK (`model_validate_json`, then
    each item's `to_dict()`) vs openai-agents' item conversion (`ModelResponse.to_input_items()`)."""
    from agents.items import ModelResponse
    from agents.usage import Usage
    from openai.types.responses import Response

    from responses_replay import Turn

    n = settings.items
    whole = items.response_json(n)

    def ours() -> list[dict[str, object]]:
        return Turn.from_response(whole).to_input()

    def sdk() -> list[dict[str, object]]:
        return [o.to_dict() for o in Response.model_validate_json(whole).output]

    def agents() -> list[object]:
        r = Response.model_validate_json(whole)
        return list(
            ModelResponse(output=r.output, usage=Usage(), response_id=r.id).to_input_items()
        )

    assert len(ours()) == len(sdk()) == len(agents()) == n
    mine, theirs, agent = race([ours, sdk, agents], settings.repeat)
    how = f"best of {settings.repeat}, interleaved, gc off during each run; the same response bytes"
    return [
        Measured(f"convert {n} items: Turn.from_response(bytes).to_input()", mine,
                 Target("min_speedup", 8), theirs, "SDK model_validate_json + to_dict()", how=how),
        Measured(f"convert {n} items: vs openai-agents", mine, Target("min_speedup", 1), agent,
                 "agents ModelResponse.to_input_items()", how=how),
    ]  # fmt: skip


def _request_json(n: int) -> bytes:
    """A stateless request replaying n output items whole, each call answered."""
    from responses_replay import History, Turn, tool_output

    history = History(store=False)
    history.user("Plan the trip.")
    turn = Turn.from_response(items.response_json(n))
    history.add_turn(turn)
    history.add(*(tool_output(call, output="ok") for call in turn.function_calls()))
    return json.dumps(history.body(model="gpt-5")).encode()


def _small_request_json(n: int) -> bytes:
    """A stateless tool loop without reasoning: user message, then call/output pairs (short items)."""
    items_: list[dict[str, object]] = [
        {"role": "user", "content": "Check the stock of every item."}
    ]
    for k in range((n - 1) // 2):
        call_id = f"call_{k:06d}"
        items_.append({"type": "function_call", "call_id": call_id, "name": "stock",
                       "arguments": json.dumps({"sku": f"SKU-{k}"})})  # fmt: skip
        items_.append({"type": "function_call_output", "call_id": call_id, "output": str(k % 17)})
    return json.dumps({"model": "gpt-5", "input": items_, "store": False}).encode()


@measurement("check a 10k-item request")
def checker(settings: Settings) -> Rows:
    """The request checker on a 10k-item request vs `json.loads` of the same bytes."""
    from responses_replay import check

    # output items, plus one output per function call and a user message: ~settings.items in all
    body = _request_json(settings.items * 4 // 5 // 4 * 4)
    count = len(json.loads(body)["input"])
    assert [f for f in check(body) if f.severity == "error"] == [], (
        "the bench request must be clean"
    )
    mine, loads = race([lambda: check(body), lambda: json.loads(body)], settings.repeat)
    how = f"best of {settings.repeat}, interleaved; {count} input items, {len(body) / 1e6:.1f} MB"
    small = _small_request_json(settings.items)
    small_count = len(json.loads(small)["input"])
    assert [f for f in check(small) if f.severity == "error"] == [], (
        "the bench request must be clean"
    )
    mine_small, loads_small = race(
        [lambda: check(small), lambda: json.loads(small)], settings.repeat
    )
    how_small = f"best of {settings.repeat}, interleaved; {small_count} short items, {len(small) / 1e6:.1f} MB"
    return [
        Measured(f"check a {count}-item request (bytes)", mine, Target("max_ratio", 4), loads,
                 "json.loads", how=how),
        Measured(f"check a {count}-item request: absolute", mine, Target("max_seconds", 0.030), how=how),
        Measured(f"check a {small_count}-item tool-loop request (bytes)", mine_small, Target("max_ratio", 4),
                 loads_small, "json.loads", how=how_small),
        Measured(f"check a {small_count}-item tool-loop request: absolute", mine_small,
                 Target("max_seconds", 0.030), how=how_small),
    ]  # fmt: skip


def _sse(n_events: int) -> bytes:
    """A recorded-shaped stream of about n_events events: created, then per item added, text deltas
    (messages), done, and at the end completed."""
    chosen: list[dict[str, object]] = []
    created = {**items.response(()), "status": "in_progress"}
    out: list[dict[str, object]] = [
        {"type": "response.created", "sequence_number": 0, "response": created}
    ]
    for index, item in enumerate(items.output_items(n_events)):
        is_message = item["type"] == "message"
        if index % 4 == 0 and len(out) + 13 > n_events - 1:  # whole think-call-think-answer turns
            break
        chosen.append(item)
        added = {**item, "status": "in_progress"}
        if is_message:
            added["content"] = [
                {"type": "output_text", "text": "", "annotations": [], "logprobs": []}
            ]
        out.append({"type": "response.output_item.added", "output_index": index, "item": added})
        if is_message:
            text = str(item["content"][0]["text"])
            for k in range(5):
                out.append({"type": "response.output_text.delta", "output_index": index, "item_id": item["id"],
                            "content_index": 0, "delta": text[k * len(text) // 5 : (k + 1) * len(text) // 5],
                            "logprobs": []})  # fmt: skip
        out.append({"type": "response.output_item.done", "output_index": index, "item": item})
    out.append({"type": "response.completed", "response": items.response(tuple(chosen))})
    for seq, event in enumerate(out):
        event["sequence_number"] = seq
    return "".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in out).encode()


@measurement("stream")
def stream(settings: Settings) -> Rows:
    """A turn from a 1,000-event stream vs the `openai` SDK's own accumulation of the same bytes."""
    import httpx
    import openai

    from responses_replay import Turn

    raw = _sse(1000)
    events = raw.count(b"\n\n")
    client = openai.OpenAI(
        api_key="bench",
        base_url="http://bench.invalid/v1",
        http_client=httpx.Client(  # type: ignore[arg-type]  # openai types name httpx2; httpx works
            transport=httpx.MockTransport(
                lambda _req: httpx.Response(
                    200, content=raw, headers={"content-type": "text/event-stream"}
                )
            )
        ),
    )

    def ours() -> int:
        return len(Turn.from_stream(raw))

    def sdk() -> int:
        with client.responses.stream(model="gpt-5", input="x") as s:
            return len(s.get_final_response().output)

    assert ours() == sdk()
    mine, theirs = race([ours, sdk], settings.repeat)
    how = f"best of {settings.repeat}, interleaved; {events} events, {len(raw) / 1e6:.1f} MB of SSE"
    return [
        Measured(f"turn from a {events}-event stream", mine, Target("min_speedup", 1), theirs,
                 "SDK responses.stream().get_final_response()", how=how),
    ]  # fmt: skip
