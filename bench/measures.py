"""The measurements of `make bench`, in the issues' order. Adding one is one `@measurement` function."""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, cast

from . import items
from .core import (
    PYTHON,
    ROOT,
    LoadedHeap,
    Measured,
    Rows,
    Settings,
    Target,
    child_cpu,
    collector_unpaused,
    measurement,
    race,
    race_commands,
    run,
)

if TYPE_CHECKING:
    from openai.types.responses import Response

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
        (median,) = race_commands(
            [lambda: child_cpu([*command, next(fresh)], env=env)], settings.repeat_slow
        )
    return [
        Measured(
            "make regen (codegen regen --out tmp)",
            median,
            Target("max_seconds", 5),
            how=f"median CPU time of {settings.repeat_slow}, `python -m codegen regen` into a fresh directory",
        )
    ]


_TIMER = "import time; t = time.process_time(); {code}; print(time.process_time() - t)"
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
        f"median CPU time of {settings.repeat}, each in a fresh interpreter, interleaved, after a warm-up"
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
    return child_cpu(
        [PYTHON, "-m", "mypy", "--strict", "--config-file=", "--cache-dir", str(cache), str(user)],
        cwd=workdir,
    )


# A user file as users write them: it calls the client, then replays what came back.
CLIENT_CALL = """
from openai import OpenAI

client = OpenAI()


def loop(question: str) -> str:
    response = client.responses.create(model="gpt-5", input=question, store=False)
    {replay}
    return response.output_text
"""
USER_OURS_CLIENT = USER_OURS + CLIENT_CALL.format(
    replay="history = History(store=False)\n    history.add_response(response)"
).replace(
    "from openai import OpenAI", "from openai import OpenAI\n\nfrom responses_replay import History"
)
USER_OPENAI_CLIENT = USER_OPENAI + CLIENT_CALL.format(
    replay="replay = [item.to_dict() for item in response.output]\n    assert replay is not None"
)


@measurement("cold mypy --strict")
def cold_mypy(settings: Settings) -> Rows:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ours, openai, ours_client, openai_client = race_commands(
            [
                lambda: _cold_mypy(USER_OURS, work, "ours"),
                lambda: _cold_mypy(USER_OPENAI, work, "openai"),
                lambda: _cold_mypy(USER_OURS_CLIENT, work, "ours_client"),
                lambda: _cold_mypy(USER_OPENAI_CLIENT, work, "openai_client"),
            ],
            settings.repeat_slow,
        )
    how = f"median CPU time of {settings.repeat_slow}, fresh --cache-dir each run, same-shaped user files"
    return [
        Measured("cold mypy --strict, user file on our models", ours, Target("max_ratio", 0.3),
                 openai, "on openai types", how=how),
        Measured("cold mypy --strict, user file that also calls the client", ours_client,
                 Target("info"), openai_client, "the same file on openai types",
                 how=f"{how}; both import and call `openai.OpenAI` (as every real user file does),"
                 " so openai's own stubs are read in both: the ratio is what we add"),
    ]  # fmt: skip


def client_default(body: bytes) -> Response:
    """What `client.responses.create()` does with the body: `response.json()`, then the SDK's
    `construct_type` (no validation; `_strict_response_validation` is off by default), as in
    openai's `_base_client._process_response_data`."""
    from openai._models import construct_type
    from openai.types.responses import Response

    return cast("Response", construct_type(type_=Response, value=json.loads(body)))


def _how(settings: Settings, what: str) -> str:
    return f"median CPU time of {settings.repeat}, interleaved, GC on; {what}".removesuffix("; ")


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
    how = _how(settings, f"the same response JSON bytes ({len(whole) / 1e6:.1f} MB)")
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
    how = _how(settings, "the same response bytes")
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
    how = _how(settings, "the SDK object built once, outside the timing")
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


def _request_json(n: int) -> bytes:
    """A stateless request replaying n output items whole, each call answered."""
    from responses_replay import History, Turn, tool_output

    history = History(store=False)
    history.user("Plan the trip.")
    turn = Turn.from_response(items.response_json(n))
    history.add_turn(turn)
    history.add(*(tool_output(call, output="ok") for call in turn.function_calls()))
    return json.dumps(history.body(model="gpt-5")).encode()


def request_bodies(settings: Settings) -> list[tuple[str, bytes]]:
    """The two 10k-item request bodies the checker (and repair) are measured on."""
    # output items, plus one output per function call and a user message: ~settings.items in all
    replay = _request_json(settings.items * 4 // 5 // 4 * 4)
    loop = items.tool_loop_request(settings.items)
    return [
        (f"{len(json.loads(replay)['input'])}-item replay request", replay),
        (f"{len(json.loads(loop)['input'])}-item tool-loop request", loop),
    ]


@measurement("check a 10k-item request")
def checker(settings: Settings) -> Rows:
    """The request checker on the 10k-item requests vs `json.loads` of the same bytes."""
    from responses_replay import check

    rows: list[Measured] = []
    for name, body in request_bodies(settings):
        errors = [f for f in check(body) if f.severity == "error"]
        assert errors == [], f"the bench's {name} must be clean: {errors[:3]}"
        mine, loads = race([partial(check, body), partial(json.loads, body)], settings.repeat)
        how = _how(settings, f"{len(body) / 1e6:.1f} MB")
        rows += [
            Measured(f"check a {name} (bytes)", mine, Target("max_ratio", 2), loads, "json.loads",
                     how=how),
            Measured(f"check a {name}: absolute", mine, Target("max_seconds", 0.030), how=how),
        ]  # fmt: skip
    return rows


@measurement("repair a 10k-item request")
def repair(settings: Settings) -> Rows:
    """`repair` (issue 14) vs `check` on the same bytes: one pass, so at most 1.5x."""
    import responses_replay

    fix = getattr(responses_replay, "repair", None)
    if fix is None:
        return None  # pending until responses_replay.repair exists
    from responses_replay import check

    rows: list[Measured] = []
    for name, body in request_bodies(settings):
        mine, checked = race([partial(fix, body), partial(check, body)], settings.repeat)
        rows.append(Measured(f"repair a {name}", mine, Target("max_ratio", 1.5), checked,
                             "check() of the same bytes", how=_how(settings, "")))  # fmt: skip
    return rows


def _peak_rss(call: str, body: Path) -> float:
    """Bytes a call adds to the peak RSS of a fresh interpreter that already holds the body.

    The peak is Linux's VmHWM (the high-water mark of this process's own memory; `ru_maxrss`
    would carry the bench's own peak over from the fork). Native allocations (pydantic-core's)
    count, as they do for users.
    """
    code = (
        "import json, sys\n"
        "from responses_replay import Turn, parse_response\n"
        "def hwm():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmHWM:'):\n"
        "            return int(line.split()[1]) * 1024\n"
        "body = open(sys.argv[1], 'rb').read()\n"
        f"{WARM}\n"
        "base = hwm()\n"
        f"result = {call}\n"
        "print(hwm() - base)\n"
    )
    proc = run([PYTHON, "-c", code, str(body)], cwd=Path(tempfile.gettempdir()))
    return float(proc.stdout.strip().splitlines()[-1])


# validators built on a 1-item response, before the peak is read
WARM = f"Turn.from_response({_ONE!r}); parse_response({_ONE!r})"


@measurement("memory")
def memory(settings: Settings) -> Rows:
    """Peak memory a call adds while reading the 10k-item response, vs `json.loads`' own."""
    whole = items.response_json(settings.items)
    with tempfile.TemporaryDirectory() as tmp:
        body = Path(tmp) / "response.json"
        body.write_bytes(whole)
        calls = ["json.loads(body)", "parse_response(body)", "Turn.from_response(body)"]
        loads, parse, turn = race_commands(
            [partial(_peak_rss, call, body) for call in calls], settings.repeat_slow + 1
        )
    how = (
        f"peak RSS a call adds (VmHWM, result included) in a fresh interpreter holding the"
        f" {len(whole) / 1e6:.1f} MB body; median of {settings.repeat_slow + 1}"
    )
    return [
        Measured(f"memory: parse_response({settings.items} items)", parse,
                 Target("max_ratio", 1.5), loads, "json.loads", how=how, unit="B"),
        Measured(f"memory: Turn.from_response({settings.items} items)", turn,
                 Target("max_ratio", 1.5), loads, "json.loads", how=how, unit="B"),
    ]  # fmt: skip


def _unpaused(fn: Callable[[], object]) -> Callable[[], object]:
    def call() -> object:
        with collector_unpaused():
            return fn()

    return call


@measurement("loaded heap")
def loaded_heap(settings: Settings) -> Rows:
    """The library's collector pause, measured on a heap holding 500k live objects (a long-running
    app): each call with the pause vs the same call with `gc.disable` made a no-op.

    Each call's time includes the collections its allocations trigger; on a loaded heap a full
    collection also walks every live object. A ratio under 1 says the pause pays.
    """
    from responses_replay import Turn, check, parse_response

    whole = items.response_json(settings.items)
    (_, body), _ = request_bodies(settings)
    calls: list[tuple[str, Callable[[], object]]] = [
        ("parse_response(bytes)", partial(parse_response, whole)),
        ("Turn.from_response(bytes)", partial(Turn.from_response, whole)),
        ("check(replay request)", partial(check, body)),
    ]
    with LoadedHeap(500_000) as heap:
        times = race([fn for _, fn in calls] + [_unpaused(fn) for _, fn in calls], settings.repeat)
    how = _how(settings, f"{heap.objects} live objects held")
    return [
        Measured(f"loaded heap: {name}, collector paused", paused, Target("info"), unpaused,
                 "the same, not paused", how=how)
        for (name, _), paused, unpaused in zip(calls, times[: len(calls)], times[len(calls) :],
                                               strict=True)
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
    how = f"median of {settings.repeat}, interleaved, GC on; {events} events, {len(raw) / 1e6:.1f} MB of SSE"
    return [
        Measured(f"turn from a {events}-event stream", mine, Target("min_speedup", 1), theirs,
                 "SDK responses.stream().get_final_response()", how=how),
    ]  # fmt: skip
