"""The `responses-replay` console script."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from responses_replay import Chain, InputError, ReplayError, Turn
from responses_replay.cli import app
from tests.test_stream_edges import CALL, MESSAGE, sse, stream

runner = CliRunner()
BAD = {
    "input": [
        {"role": "user", "content": "hi"},
        {"type": "reasoning", "id": "rs_1", "summary": [], "status": "completed"},
    ]
}
GOOD = {"input": "hi"}
SPECS = Path(__file__).resolve().parents[2] / "shared" / "specs"


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return str(path)


def test_check_clean_exits_0(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", write(tmp_path, "ok.json", json.dumps(GOOD))])
    assert result.exit_code == 0, result.output


def test_check_findings_exit_1_with_file_line_path_rule_message_fix(tmp_path: Path) -> None:
    name = write(tmp_path, "bad.json", json.dumps(BAD))
    result = runner.invoke(app, ["check", name])
    assert result.exit_code == 1
    assert (
        f"{name}:1: input[1].status R1 error: Unknown parameter: 'input[1].status'."
        in result.output
    )
    assert "fix: Drop `status`" in result.output
    assert "\x1b[" not in result.output  # no colour when not on a terminal


def test_check_json_lines_report_their_line(tmp_path: Path) -> None:
    name = write(tmp_path, "b.jsonl", f"{json.dumps(GOOD)}\n\n{json.dumps(BAD)}\n")
    result = runner.invoke(app, ["check", "--json", name])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["checked"] == 2
    assert {(f["line"], f["rule"]) for f in data["findings"]} == {(3, "R1"), (3, "R4")}


def test_check_stdin() -> None:
    result = runner.invoke(app, ["check", "-"], input=json.dumps(BAD))
    assert result.exit_code == 1
    assert "-:1:" in result.output


@pytest.mark.parametrize(
    "content",
    [b"not json", b"[1, 2]", b"\xff\xfe", b"", ("{" * 10_000 + "}" * 10_000).encode()],
)
def test_check_unusable_input_exits_2(tmp_path: Path, content: bytes) -> None:
    result = runner.invoke(app, ["check", write(tmp_path, "x.json", content)])
    assert result.exit_code == 2
    assert "unusable" in result.output
    assert "Traceback" not in result.output


def test_check_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(tmp_path / "absent.json")])
    assert result.exit_code == 2


def test_warnings_only_exit_0_unless_strict(tmp_path: Path) -> None:
    body = {
        "input": [
            {
                "type": "function_call",
                "call_id": "c",
                "name": "n",
                "arguments": "{}",
                "status": None,
            },
            {"type": "function_call_output", "call_id": "c", "output": "x"},
        ]
    }
    name = write(tmp_path, "w.json", json.dumps(body))
    assert runner.invoke(app, ["check", name]).exit_code == 0
    assert runner.invoke(app, ["check", "--strict", name]).exit_code == 1


def test_next_modes(tmp_path: Path) -> None:
    response = {
        "id": "resp_1",
        "object": "response",
        "status": "completed",
        "output": [
            {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAA"},
            {
                "type": "function_call",
                "id": "fc_1",
                "call_id": "call_1",
                "name": "f",
                "arguments": "{}",
                "status": "completed",
            },
        ],
    }
    name = write(tmp_path, "resp.json", json.dumps(response))
    stored = runner.invoke(app, ["next", name, "--mode", "stored"])
    assert stored.exit_code == 0, stored.output
    items = json.loads(stored.stdout)
    assert [i["type"] for i in items] == ["reasoning", "function_call"]
    assert "call_1" in stored.stderr
    chained = runner.invoke(app, ["next", name, "--mode", "chained"])
    assert chained.exit_code == 0
    assert json.loads(chained.stdout) == []
    assert "resp_1" in chained.stderr
    assert runner.invoke(app, ["next", name, "--mode", "other"]).exit_code == 2
    assert runner.invoke(app, ["next", write(tmp_path, "x.json", "nope")]).exit_code == 2


def test_next_chained_on_a_response_without_an_id_says_what_chain_after_says(
    tmp_path: Path,
) -> None:
    # it printed previous_response_id=None and exited 0: a request chained on nothing
    response = {"status": "completed", "store": True, "output": []}
    name = write(tmp_path, "noid.json", json.dumps(response))
    with pytest.raises(InputError) as library:
        Chain().after(response)
    result = runner.invoke(app, ["next", name, "--mode", "chained"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{name}: {library.value}" in result.stderr
    assert runner.invoke(app, ["next", name, "--mode", "stored"]).exit_code == 0


def test_next_chained_on_a_store_false_response_is_r14_as_in_chain_after(tmp_path: Path) -> None:
    # it printed previous_response_id='resp_1' and exited 0: the API answers that request with
    # "Previous response ... not found"
    message = {
        "type": "message",
        "id": "msg_1",
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "output_text", "text": "x", "annotations": []}],
    }
    response = {"id": "resp_1", "status": "completed", "store": False, "output": [message]}
    name = write(tmp_path, "resp.json", json.dumps(response))
    chain = Chain()
    chain.after(response)
    with pytest.raises(ReplayError) as library:
        chain.body(model="gpt-5")
    result = runner.invoke(app, ["next", name, "--mode", "chained"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{name}: {library.value} (on the command line: --mode stateless)" in result.stderr
    for mode in ("stateless", "stored"):  # the history in full is the cure
        assert runner.invoke(app, ["next", name, "--mode", mode]).exit_code == 0
    stored = write(tmp_path, "stored.json", json.dumps({**response, "store": True}))
    assert runner.invoke(app, ["next", stored, "--mode", "chained"]).exit_code == 0


def test_next_reads_a_recorded_stream_as_turn_from_stream_does(tmp_path: Path) -> None:
    # a recorded SSE file gave "not valid JSON"
    evs = stream([CALL, MESSAGE])
    response = evs[-1]["response"]
    as_json = write(tmp_path, "resp.json", json.dumps(response))
    for eol, bom in (("\n", ""), ("\r\n", "\ufeff")):
        raw = bom.encode() + b": keep-alive\n" + sse(evs, eol)
        name = write(tmp_path, "resp.sse", raw)
        assert [i["type"] for i in Turn.from_stream(raw).to_input()] == ["function_call", "message"]
        for mode in ("stored", "stateless", "chained"):
            streamed = runner.invoke(app, ["next", name, "--mode", mode])
            whole = runner.invoke(app, ["next", as_json, "--mode", mode])
            assert streamed.exit_code == whole.exit_code == 0, streamed.output
            assert (streamed.stdout, streamed.stderr) == (whole.stdout, whole.stderr)
    cut = runner.invoke(app, ["next", write(tmp_path, "cut.sse", sse(evs)[:-60])])
    assert cut.exit_code == 2
    assert "not JSON" in cut.stderr
    assert "2 complete items kept" in cut.stderr


def test_next_stateless_needs_encrypted_content(tmp_path: Path) -> None:
    response = {
        "id": "resp_1",
        "output": [
            {"type": "reasoning", "id": "rs_1", "summary": []},
            {
                "type": "message",
                "id": "msg_1",
                "role": "assistant",
                "status": "completed",
                "content": [{"type": "output_text", "text": "x", "annotations": []}],
            },
        ],
    }
    name = write(tmp_path, "resp.json", json.dumps(response))
    result = runner.invoke(app, ["next", name, "--mode", "stateless"])
    assert result.exit_code == 1
    assert "R3" in result.output


@pytest.mark.skipif(not (SPECS / "openapi-2026-08-21.yaml").is_file(), reason="shared specs absent")
def test_spec_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Diffing two specs is the generator's (`python -m codegen diff`), not the installed CLI's."""
    from codegen.__main__ import main as codegen_main

    same = SPECS / "openapi-2026-08-21.yaml"
    assert codegen_main(["diff", str(same), str(same)]) == 0
    assert "no change" in capsys.readouterr().out
    assert codegen_main(["diff", str(same), str(tmp_path / "absent.yaml")]) == 2
    moved = runner.invoke(app, ["spec-diff", str(same), str(same)])
    assert moved.exit_code == 2
    assert "python -m codegen diff OLD NEW" in moved.output
    assert "spec-diff" not in runner.invoke(app, ["--help"]).output


def test_console_script_runs() -> None:
    exe = shutil.which("responses-replay", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("console script not installed")
    proc = subprocess.run([exe, "check", "-"], input=b"{", capture_output=True, timeout=60)
    assert proc.returncode == 2
    assert b"Traceback" not in proc.stderr


# -- one syntax error is one error, at its line and column (json's own reading is the oracle) ----

PRETTY_BROKEN = """{
  "model": "gpt-5",
  "input": [
    {"role": "user", "content": "hi"}
    {"role": "user", "content": "again"}
  ]
}
"""


def test_a_pretty_printed_body_with_one_syntax_error_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(json.JSONDecodeError) as where:
        json.loads(PRETTY_BROKEN)
    name = write(tmp_path, "pretty.json", PRETTY_BROKEN)
    result = runner.invoke(app, ["check", "--json", name])
    assert result.exit_code == 2
    unusable = json.loads(result.stdout)["unusable"]
    assert len(unusable) == 1, unusable
    assert unusable[0]["line"] == where.value.lineno
    assert f"column {where.value.colno}" in unusable[0]["error"]
    text = runner.invoke(app, ["check", name])
    assert text.output.count("unusable") == 2  # the one line, and the summary's count
    assert f"{name}:{where.value.lineno}: unusable: not valid JSON" in text.output


def test_json_lines_with_one_broken_line_report_that_line(tmp_path: Path) -> None:
    lines = [json.dumps(GOOD), '{"input": ', json.dumps(BAD)]
    name = write(tmp_path, "b.jsonl", "\n".join(lines) + "\n")
    data = json.loads(runner.invoke(app, ["check", "--json", name]).stdout)
    assert data["checked"] == 2
    assert [u["line"] for u in data["unusable"]] == [2]


# -- `next` speaks in its own flags --------------------------------------------------------------

CUT_SHORT = {
    "id": "resp_1",
    "object": "response",
    "status": "incomplete",
    "incomplete_details": {"reason": "max_output_tokens"},
    "output": [{"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAA"}],
}
NEW_TYPE = {
    "id": "resp_2",
    "object": "response",
    "status": "completed",
    "output": [{"type": "a_type_from_the_future", "id": "x_1"}],
}


def test_next_advice_names_the_cli_flags_and_the_flags_work(tmp_path: Path) -> None:
    for response, flag, value in (
        (CUT_SHORT, "--incomplete", "drop_trailing_reasoning"),
        (NEW_TYPE, "--unknown", "pass"),
    ):
        name = write(tmp_path, "resp.json", json.dumps(response))
        refused = runner.invoke(app, ["next", name])
        assert refused.exit_code in (1, 2), refused.output
        assert f"{flag} {value}" in refused.output
        assert "='" not in refused.output  # no Python keyword argument
        taken = runner.invoke(app, ["next", name, flag, value, "--mode", "stored"])
        assert taken.exit_code == 0, taken.output
    assert runner.invoke(app, ["next", name, "--incomplete", "maybe"]).exit_code == 2


# -- hostile input never makes a traceback ----------------------------------------------------------

HOSTILE: list[bytes] = [
    json.dumps({"input": [{"role": ["user"], "content": "x"}]}).encode(),
    json.dumps({"input": [{"type": {"a": 1}}]}).encode(),
    json.dumps({"input": 5}).encode(),
    json.dumps({"input": [None, 1, "x", []]}).encode(),
    json.dumps({"conversation": {"id": ["c"]}, "previous_response_id": 3, "input": []}).encode(),
    b'{"input": [' + b'{"content": ' * 1000 + b'"x"' + b"}" * 1000 + b"]}",
    b'{"input": "\\ud800"}',
    b"\x00\x01\x02",
    b"9" * 5000,
    json.dumps([{"input": "hi"}] * 3).encode(),
]


@pytest.mark.parametrize("content", HOSTILE, ids=lambda c: repr(c[:24]))
def test_hostile_input_never_a_traceback(tmp_path: Path, content: bytes) -> None:
    name = write(tmp_path, "hostile.json", content)
    for args in (["check", name], ["check", "--json", name], ["next", name]):
        result = runner.invoke(app, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            args,
            result.exception,
        )
        assert result.exit_code in (0, 1, 2), (args, result.output)
        assert "Traceback" not in result.output


def test_without_typer_the_script_prints_one_pip_hint() -> None:
    code = (
        "import sys; sys.modules['typer'] = None\nfrom responses_replay.cli import main\nmain()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "responses-replay: the command line needs typer: pip install 'responses-replay[cli]'"
    ]


def test_an_internal_error_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from responses_replay import _cli, cli

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(_cli, "app", broken)
    with pytest.raises(SystemExit) as info:
        cli.main()
    assert info.value.code == 2


def test_next_on_a_file_that_is_not_utf8_says_so_as_check_does(tmp_path: Path) -> None:
    name = tmp_path / "bin.json"
    name.write_bytes(b'{"output": ["\xff"]}')
    result = runner.invoke(app, ["next", str(name)])
    assert result.exit_code == 2
    assert "not valid UTF-8 (byte 13: invalid start byte)" in result.stderr
    checked = runner.invoke(app, ["check", str(name)])
    assert "not valid UTF-8 (byte 13" in checked.stderr + checked.stdout
