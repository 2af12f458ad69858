"""The measurements of `make bench`, in the issue's order. Adding one is one `@measurement` function."""

from __future__ import annotations

import hashlib
import os
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
    pending,
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


def _seconds_in_fresh_interpreter(code: str) -> float:
    proc = run([PYTHON, "-c", _TIMER.format(code=code)], cwd=Path(tempfile.gettempdir()))
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
    how = f"best of {settings.repeat}, each in a fresh interpreter, interleaved, after a warm-up"
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
    each item's `to_dict()`) vs openai-agents' item conversion."""
    pending("convert 10k items to input")
    return None


@measurement("check a 10k-item request")
def checker(settings: Settings) -> Rows:
    """The request checker on a 10k-item request vs `json.loads` of the same bytes."""
    pending("check a 10k-item request")
    return None


@measurement("stream")
def stream(settings: Settings) -> Rows:
    """Streaming events to items."""
    pending("stream")
    return None
