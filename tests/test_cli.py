"""The `responses-replay` console script."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from responses_replay.cli import app

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
def test_spec_diff(tmp_path: Path) -> None:
    same = SPECS / "openapi-2026-08-21.yaml"
    result = runner.invoke(app, ["spec-diff", str(same), str(same)])
    assert result.exit_code == 0, result.output
    assert "no change" in result.output
    assert (
        runner.invoke(app, ["spec-diff", str(same), str(tmp_path / "absent.yaml")]).exit_code == 2
    )


def test_console_script_runs() -> None:
    exe = shutil.which("responses-replay", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("console script not installed")
    proc = subprocess.run([exe, "check", "-"], input=b"{", capture_output=True, timeout=60)
    assert proc.returncode == 2
    assert b"Traceback" not in proc.stderr
