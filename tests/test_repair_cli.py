"""`responses-replay repair body.json`: the repaired body out, the repairs on stderr, honest exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from responses_replay import check
from responses_replay.cli import app

runner = CliRunner()
USER = {"role": "user", "content": "Weather in Paris? \u00e9\u6f22"}
ANSWER = {"type": "message", "role": "assistant", "id": "msg_1", "status": "completed",
          "content": [{"type": "output_text", "text": "Sunny.", "annotations": []}]}  # fmt: skip
# api-errors R1: `status` on a replayed reasoning item, `encrypted_content: null` from model_dump()
DUMPED = {
    "model": "gpt-5",
    "input": [
        USER,
        {"type": "reasoning", "id": "rs_1", "summary": [], "status": None,
         "encrypted_content": None},
        ANSWER,
        {"role": "user", "content": "And in Oslo?"},
    ],
}  # fmt: skip
R7 = {"input": [USER, {"type": "function_call", "call_id": "c", "name": "f", "arguments": "{}"}]}


def write(tmp_path: Path, name: str, data: object) -> str:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    return str(path)


def test_repair_writes_the_repaired_body_and_reports_each_repair(tmp_path: Path) -> None:
    assert [f.rule for f in check(DUMPED) if f.severity == "error"] == ["R1", "R1"]
    result = runner.invoke(app, ["repair", write(tmp_path, "b.json", DUMPED)])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["input"][1] == {"type": "reasoning", "id": "rs_1", "summary": []}
    assert body["input"][0] == USER  # caller content as it was
    assert check(body) == []
    assert "input[1].status: R1 repaired: dropped `status`" in result.stderr
    assert "input[1].encrypted_content: R1 repaired" in result.stderr
    assert "2 repair(s); 0 error(s) and 0 warning(s) remain" in result.stderr


def test_repair_to_a_file_and_as_json(tmp_path: Path) -> None:
    target = tmp_path / "fixed.json"
    result = runner.invoke(app, ["repair", write(tmp_path, "b.json", DUMPED), "-o", str(target)])
    assert result.exit_code == 0
    assert result.stdout == ""
    fixed = json.loads(target.read_text(encoding="utf-8"))
    assert check(fixed) == []
    result = runner.invoke(app, ["repair", "--json", write(tmp_path, "b.json", DUMPED)])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["body"] == fixed
    assert [(r["rule"], r["path"]) for r in report["repairs"]] == [
        ("R1", "input[1].status"),
        ("R1", "input[1].encrypted_content"),
    ]
    assert set(report["repairs"][0]) == {"rule", "path", "action", "why"}
    assert report["findings"] == []


def test_repair_exit_1_when_findings_remain(tmp_path: Path) -> None:
    result = runner.invoke(app, ["repair", write(tmp_path, "r7.json", R7)])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == R7  # nothing guessed
    assert "R7 error: No tool output found for function call c." in result.stderr
    report = json.loads(
        runner.invoke(app, ["repair", "--json", write(tmp_path, "r7.json", R7)]).stdout
    )
    assert [f["rule"] for f in report["findings"]] == ["R7"]


def test_repair_exit_2_on_unusable_input(tmp_path: Path) -> None:
    for data in (b"{not json", b"[1, 2]", b"\xff\xfe"):
        result = runner.invoke(app, ["repair", write(tmp_path, "x.json", data)])
        assert result.exit_code == 2, (data, result.output)
        assert result.stdout == ""
    result = runner.invoke(app, ["repair", str(tmp_path / "missing.json")])
    assert result.exit_code == 2


def test_repair_reads_stdin_through_the_console_script() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "responses_replay.cli", "repair", "-"],
        input=json.dumps(DUMPED).encode(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["input"][0] == USER


def test_repair_is_the_command_named_as_the_api_and_fix_is_its_hidden_alias(tmp_path: Path) -> None:
    listed = runner.invoke(app, ["--help"]).stdout
    assert " repair " in listed
    assert " fix " not in listed  # one command in the list, named as `repair()`
    assert "`fix`" in runner.invoke(app, ["repair", "--help"]).stdout  # the alias is told there
    for body in (DUMPED, R7):
        name = write(tmp_path, "b.json", body)
        for args in ([name], ["--json", name], ["--strict", name]):
            repaired, fixed = (runner.invoke(app, [cmd, *args]) for cmd in ("repair", "fix"))
            assert (fixed.exit_code, fixed.stdout, fixed.stderr) == (
                repaired.exit_code,
                repaired.stdout,
                repaired.stderr,
            )
