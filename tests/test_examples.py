"""The examples run, the fake server enforces the API's rules, and what the docs show is real."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import openai
import pytest

from responses_replay.checker import check

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def run(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )


def fake_api() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fake_api", EXAMPLES / "fake_api.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("fake_api", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("mode", ["stateless", "previous_response_id", "conversation"])
def test_agent_loop_runs_in_each_mode(mode: str) -> None:
    result = run("agent_loop.py", mode)
    assert result.returncode == 0, result.stderr
    assert f"== {mode}: " in result.stdout
    assert "0 rejected" in result.stdout
    assert "And in Oslo? -> In Oslo it is 4°C and raining." in result.stdout


def test_agent_loop_sends_reasoning_only_when_stateless() -> None:
    out = run("agent_loop.py").stdout
    stateless, chained = out.split("== previous_response_id")
    assert "'reasoning', 'function_call', 'function_call_output'" in stateless
    assert "reasoning" not in chained  # chained requests are delta-only (R2)


def test_wrong_replay_is_rejected_by_the_api_and_by_the_guard() -> None:
    result = run("wrong_replay.py")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "API:   400 Unknown parameter: 'input[1].status'." in out
    assert "API:   400 Duplicate item found with id rs_0001." in out
    assert "guard: refused before sending (the server saw 1 request(s))" in out
    assert "input[1].status: R1 error: Unknown parameter: 'input[1].status'." in out
    assert "input[1].id: R2 error: Duplicate item found with id rs_0001." in out
    assert "== right: In Paris it is 18°C and sunny. (2 requests, 0 rejected)" in out


def test_guard_page_shows_what_wrong_replay_prints() -> None:
    # the page had drifted from the example: a warning that is an error, an old fix text
    page = (ROOT / "docs" / "guard.md").read_text(encoding="utf-8")
    _intro, rest = page.split("(from `examples/wrong_replay.py` under openai ", 1)
    documented = rest.split(";", 1)[0]
    shown = rest.split("```text\n", 1)[1].split("```", 1)[0]
    assert shown.count("\n") >= 5
    out = run("wrong_replay.py").stdout
    if ".".join(openai.__version__.split(".")[:2]) == documented:
        assert shown in out
    else:  # another SDK dumps other fields: the lines every version prints
        header, *lines = shown.splitlines()
        status = [line for line in lines if "input[1].status" in line]
        assert header in out
        assert status
        assert status[0] in out


def test_modes_page_r7_message_is_what_history_raises() -> None:
    from responses_replay import History, ReplayError

    page = (ROOT / "docs" / "modes.md").read_text(encoding="utf-8")
    one, more = re.findall(r"`(\[R7\] [^`]*|Also pending: [^`]*)`", page)
    call = {"type": "function_call", "id": "fc_01", "call_id": "call_01", "name": "get_weather",
            "arguments": '{"city": "Paris"}', "status": "completed"}  # fmt: skip
    reasoning = {"type": "reasoning", "id": "rs_01", "summary": [], "encrypted_content": "gAAAAB"}
    two = [call, {**call, "id": "fc_02", "call_id": "call_02"}]
    for calls, expected in (([call], one), (two, f"{one} {more}")):
        history = History(store=False)
        history.user("What is the weather in Paris?")
        history.add_response(
            {"id": "resp_01", "status": "completed", "output": [reasoning, *calls]}
        )
        with pytest.raises(ReplayError) as info:
            history.request(model="gpt-5-mini")
        assert str(info.value) == expected


def test_check_body_example() -> None:
    result = run("check_body.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "R6 error at input[3].call_id" in result.stdout
    assert "fixed: 0 finding(s)" in result.stdout


def test_fixtures_are_labelled_illustrative() -> None:
    fixtures = sorted((EXAMPLES / "fixtures").glob("*.json"))
    assert fixtures
    for path in fixtures:
        assert (
            "illustrative" in json.loads(path.read_text(encoding="utf-8"))["_illustrative"].lower()
        )


# -- the fake server refuses what the API refuses, without responses_replay ------------------

USER = {"role": "user", "content": "What is the weather in Paris?"}


def post(handler: Any, body: dict[str, Any]) -> Any:
    http = fake_api().http  # the HTTP library of the installed openai (httpx2, or httpx before 3)
    request = http.Request("POST", "http://fake/v1/responses", json=body)
    return handler(request)


def first_turn(api: Any, **extra: Any) -> dict[str, Any]:
    tools = [fake_api().WEATHER_TOOL]
    response = post(api.handle, {"model": "m", "input": [USER], "tools": tools, **extra})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def output_call(call_id: str) -> dict[str, Any]:
    return {"type": "function_call_output", "call_id": call_id, "output": "18°C"}


def cases(turn: dict[str, Any]) -> dict[str, tuple[dict[str, Any], int, str]]:
    """rule -> (body, HTTP status, the API's message): each built from a first turn."""
    rs, fc = turn["output"]
    rid = turn["id"]
    return {
        "R1": ({"model": "m", "input": [USER, {**rs, "status": None}, fc, output_call(fc["call_id"])]},
               400, "Unknown parameter: 'input[1].status'."),
        "R2": ({"model": "m", "previous_response_id": rid, "input": [fc, output_call(fc["call_id"])]},
               400, f"Duplicate item found with id {fc['id']}."),
        "R3": ({"model": "m", "store": False, "input": [USER, {"type": "item_reference", "id": rs["id"]}, fc, output_call(fc["call_id"])]},
               404, f"Item with id '{rs['id']}' not found. Items are not persisted when `store` is set to false."),
        "R4": ({"model": "m", "input": [USER, rs]},
               400, f"Item '{rs['id']}' of type 'reasoning' was provided without its required following item."),
        "R5": ({"model": "m", "input": [USER, {k: v for k, v in rs.items() if k != "id"}, fc, output_call(fc["call_id"])]},
               400, f"Item '{fc['id']}' of type 'function_call' was provided without its required 'reasoning' item: '{rs['id']}'."),
        "R6": ({"model": "m", "input": [USER, output_call("call_nowhere")]},
               400, "No tool call found for function call output with call_id call_nowhere."),
        "R7": ({"model": "m", "previous_response_id": rid, "input": [USER]},
               400, f"No tool output found for function call {fc['call_id']}."),
        "R8": ({"model": "m", "previous_response_id": rid, "conversation": "conv_1", "input": []},
               400, "Mutually exclusive parameters."),
        "R11": ({"model": "m", "input": [USER, rs, {**fc, "id": "item_A9v0"}, output_call(fc["call_id"])]},
                400, "Invalid 'input[2].id': 'item_A9v0'. Expected an ID that begins with 'fc'."),
        "R12": ({"model": "m", "input": [USER, {**rs, "encrypted_content": "gAAAAB-elsewhere"}, fc, output_call(fc["call_id"])]},
                400, f"The encrypted content for item {rs['id']} could not be verified."),
        "R13": ({"model": "m", "input": [USER, {"role": "tool", "content": "18°C"}]},
                400, "Invalid value: 'tool'. Supported values are: 'assistant', 'system', 'developer', and 'user'."),
    }  # fmt: skip


@pytest.mark.parametrize(
    "rule", ["R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R11", "R12", "R13"]
)
def test_fake_server_answers_like_the_api(rule: str) -> None:
    api = fake_api().FakeResponsesAPI()
    turn = first_turn(api, include=["reasoning.encrypted_content"])
    body, status, message = cases(turn)[rule]
    response = post(api.handle, body)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert set(error) == {"message", "type", "param", "code"}
    assert error["message"].startswith(message), error["message"]


@pytest.mark.parametrize("rule", ["R1", "R2", "R3", "R4", "R6", "R7", "R8", "R11", "R13"])
def test_the_checker_agrees_with_the_fake_server(rule: str) -> None:
    """Where a body shows the problem by itself, our checker names the same rule before sending.

    (R5 and R12 need the server's memory of which ids and contents it issued.)"""
    turn = first_turn(fake_api().FakeResponsesAPI(), include=["reasoning.encrypted_content"])
    body, _, _ = cases(turn)[rule]
    if rule == "R7":  # the pending call is on the server; a checker sees it in a replayed history
        body = {"model": "m", "input": [USER, *turn["output"], USER]}
    assert rule in {f.rule for f in check(body) if f.severity == "error"}


def test_fake_server_accepts_the_right_replay() -> None:
    api = fake_api().FakeResponsesAPI()
    turn = first_turn(api, store=False, include=["reasoning.encrypted_content"])
    rs, fc = turn["output"]
    body = {
        "model": "m",
        "store": False,
        "include": ["reasoning.encrypted_content"],
        "input": [USER, rs, fc, output_call(fc["call_id"])],
    }
    assert check(body) == []
    response = post(api.handle, body)
    assert response.status_code == 200, response.text
    assert response.json()["output"][-1]["content"][0]["text"] == "In Paris it is 18°C."


# -- the README shows what mypy really prints ---------------------------------------------------


def test_readme_mypy_output_is_real() -> None:
    snippet = ROOT / "docs" / "snippets" / "wrong_replay.py"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert snippet.read_text(encoding="utf-8").strip() in readme
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", str(snippet.relative_to(ROOT))],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [ln for ln in result.stdout.splitlines() if re.search(r": error: ", ln)]
    assert len(lines) == 2, result.stdout
    for line in lines:
        message = line.split(": error: ", 1)[1]
        assert message in readme, f"README lacks the mypy message: {message}"


def test_readme_agent_loop_runs_against_the_fake_server(capsys: pytest.CaptureFixture[str]) -> None:
    """The README's loop, as printed, with `OpenAI()` pointed at the offline fake server."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## An agent loop, in each mode", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    api = fake_api().FakeResponsesAPI()
    http_client = openai.DefaultHttpxClient(transport=api.transport())
    source = code.replace(
        "client = OpenAI()",
        'client = OpenAI(api_key="test", base_url="http://fake/v1", http_client=http_client)',
    )
    assert source != code
    exec(compile(source, "README.md", "exec"), {"http_client": http_client})
    assert capsys.readouterr().out.splitlines() == ["In Paris it is 18°C and sunny."] * 3
    assert api.rejections == []
    assert len(api.exchanges) == 7  # 2 per mode, and one to create the conversation


# -- docs/rules.md: every failing body is flagged with its rule, every fix is clean --------------


def rule_sections() -> list[tuple[str, str]]:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    parts = re.split(r"^## (R\d+)\n", text, flags=re.MULTILINE)
    return list(zip(parts[1::2], parts[2::2], strict=True))


def test_rules_page_covers_every_rule() -> None:
    assert [rule for rule, _ in rule_sections()] == [f"R{i}" for i in range(1, 15)]


@pytest.mark.parametrize(
    ("rule", "section"), [s for s in rule_sections() if "```json" in s[1]], ids=lambda v: v[:3]
)
def test_rules_page_examples_are_what_check_says(rule: str, section: str) -> None:
    blocks = re.findall(r"```(json|text)\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) % 3 == 0  # each example: fails, `check` says, fixed
    for (_, failing), (_, said), (_, fixed) in zip(*[iter(blocks)] * 3, strict=True):
        findings = check(json.loads(failing))
        assert rule in {f.rule for f in findings}
        # the page shows the checker's real words: update it when they change
        for f in findings:
            assert f"{f.path}: {f.rule} {f.severity}: {f.message}" in said
        assert check(json.loads(fixed)) == []
