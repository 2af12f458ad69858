"""The tooling rows of `make bench`: `make regen`, import time, and cold `mypy --strict` on a user file."""

from __future__ import annotations

import atexit
import hashlib
import itertools
import os
import shutil
import tempfile
from pathlib import Path

from .core import (
    PYTHON,
    ROOT,
    Measured,
    Rows,
    Settings,
    Target,
    child_cpu,
    measurement,
    race_commands,
    run,
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
    """`codegen regen` as a second `make regen` runs it (spec/cache holds the parsed spec and
    datamodel-code-generator's output), and with the cache off, as the first one in a clone."""
    env = pinned_spec()
    cold = {**env, "CODEGEN_CACHE": "off"}
    with tempfile.TemporaryDirectory() as tmp:
        fresh = (str(Path(tmp) / f"run{i}") for i in itertools.count())
        command = [PYTHON, "-m", "codegen", "regen", "--out"]
        warm, nocache = race_commands(
            [
                lambda: child_cpu([*command, next(fresh)], env=env),
                lambda: child_cpu([*command, next(fresh)], env=cold),
            ],
            settings.repeat_slow,
            warmup=1,  # fills spec/cache when it is empty
        )
    how = (
        f"median CPU time (with its worker processes) of {settings.repeat_slow} after one unmeasured"
        " round, interleaved, `python -m codegen regen` into a fresh directory"
    )
    return [
        Measured("make regen (codegen regen --out tmp)", warm, Target("max_seconds", 5),
                 how=f"{how}; spec/cache warm"),
        Measured("make regen, spec/cache off", nocache, Target("info"),
                 how=f"{how}; CODEGEN_CACHE=off: the YAML parsed and datamodel-code-generator run"),
    ]  # fmt: skip


_TIMER = "import time; t = time.process_time(); {code}; print(time.process_time() - t)"
ONE_RESPONSE = (
    '{"id": "resp_1", "object": "response", "created_at": 1, "model": "m", "parallel_tool_calls": true,'
    ' "tool_choice": "auto", "tools": [], "output": [{"type": "function_call", "id": "fc_1",'
    ' "call_id": "call_1", "name": "f", "arguments": "{}", "status": "completed"}]}'
)
FIRST_PARSE_OURS = f"import responses_replay; responses_replay.parse_response({ONE_RESPONSE!r})"
FIRST_PARSE_OPENAI = (
    f"from openai.types.responses import Response; Response.model_validate_json({ONE_RESPONSE!r})"
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
