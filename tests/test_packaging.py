"""Packaging: the metadata is complete; the wheel and sdist build, install into a fresh virtual
environment and pass a smoke test there (import, `responses-replay --help`, one conversion)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from email.parser import Parser
from importlib.util import find_spec
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
needs_build = pytest.mark.skipif(
    find_spec("build") is None, reason="`python -m build` is not installed (pip install build)"
)
# pip's words when an index cannot be reached: the install is skipped then, not failed.
OFFLINE = (
    "NewConnectionError",
    "Temporary failure in name resolution",
    "Max retries exceeded",
    "No matching distribution found",
    "Could not find a version that satisfies",
    "Network is unreachable",
)


def test_metadata_is_complete() -> None:
    project = PYPROJECT["project"]
    assert project["license"] == "MIT"
    assert (ROOT / "LICENSE").is_file()
    assert project["readme"] == "README.md"
    assert project["requires-python"] == ">=3.11"
    assert project["description"]
    assert project["authors"]
    classifiers = set(project["classifiers"])
    assert "License :: OSI Approved :: MIT License" in classifiers
    assert "Typing :: Typed" in classifiers
    assert any(c.startswith("Development Status ::") for c in classifiers)
    assert {f"Programming Language :: Python :: 3.{v}" for v in (11, 12, 13)} <= classifiers
    assert {"Homepage", "Documentation", "Source", "Issues", "Changelog"} <= set(project["urls"])
    extras = project["optional-dependencies"]
    assert any(dep.startswith("openai") for dep in extras["openai"])
    assert any(dep.startswith("typer") for dep in extras["cli"])
    assert any(dep.startswith("mkdocs") for dep in extras["docs"])
    assert project["scripts"] == {"responses-replay": "responses_replay.cli:main"}
    assert (ROOT / "src" / "responses_replay" / "py.typed").is_file()


def _run(*args: str | Path, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env=env,
        check=False,
    )


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The wheel and the sdist, built from the work tree."""
    out = tmp_path_factory.mktemp("dist")
    # Offline when the backend is installed (the dev extra has it), else in an isolated env.
    isolation = ["--no-isolation"] if find_spec("hatchling") is not None else []
    result = _run(
        sys.executable, "-m", "build", *isolation, "--sdist", "--wheel", "--outdir", out, ".",
        cwd=ROOT,
    )  # fmt: skip
    if result.returncode != 0 and not isolation and any(s in result.stderr for s in OFFLINE):
        pytest.skip("building in an isolated env needs the network to fetch hatchling")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    wheels, sdists = list(out.glob("*.whl")), list(out.glob("*.tar.gz"))
    assert len(wheels) == 1
    assert len(sdists) == 1
    return {"wheel": wheels[0], "sdist": sdists[0]}


@needs_build
def test_wheel_ships_the_typed_and_generated_package(dist: dict[str, Path]) -> None:
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        names = set(wheel.namelist())
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(wheel.read(info).decode("utf-8"))
        entry_points = wheel.read(info.replace("METADATA", "entry_points.txt")).decode("utf-8")
    assert "responses_replay/py.typed" in names
    generated = ROOT / "src" / "responses_replay" / "_generated"
    committed = {
        f"responses_replay/{p.relative_to(generated.parent).as_posix()}"
        for p in generated.rglob("*.py")
    }
    assert len(committed) > 20
    assert committed <= names, sorted(committed - names)
    assert not [n for n in names if n.startswith(("tests/", "codegen/", "examples/"))]
    assert metadata["License-Expression"] == "MIT"
    assert {"openai", "cli"} <= set(metadata.get_all("Provides-Extra") or [])
    urls = {u.split(",")[0] for u in metadata.get_all("Project-URL") or []}
    assert {"Homepage", "Documentation", "Source", "Issues", "Changelog"} <= urls
    assert "Typing :: Typed" in (metadata.get_all("Classifier") or [])
    assert "responses-replay = responses_replay.cli:main" in entry_points


@needs_build
def test_sdist_has_what_a_rebuild_needs(dist: dict[str, Path]) -> None:
    with tarfile.open(dist["sdist"]) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    for path in (
        "pyproject.toml", "README.md", "CHANGELOG.md", "LICENSE", "Makefile", "mkdocs.yml",
        "src/responses_replay/py.typed", "src/responses_replay/_generated/registry.py",
        "spec/overlay.yaml", "spec/pin.yaml", "codegen/pipeline.py", "docs/rules.md",
        "examples/agent_loop.py",
    ):  # fmt: skip
        assert path in names, path


SMOKE = """
import json, sys
from importlib.resources import files
import responses_replay
from responses_replay import History, Turn, check, to_input, tool_output
assert "site-packages" in responses_replay.__file__, responses_replay.__file__
assert files("responses_replay").joinpath("py.typed").is_file()
item = to_input({"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAAAB",
                 "status": None})
call = {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "f", "arguments": "{}"}
turn = Turn.from_response({"id": "resp_1", "output": [item.to_dict(), call]})
history = History(store=False)
history.user("hi")
history.add_turn(turn)
history.add(tool_output(turn.function_calls()[0], output="ok"))
body = history.body(model="gpt-5")
assert check(body) == [], check(body)
print(json.dumps(item.to_dict()))
"""


@pytest.fixture(scope="module")
def venv(dist: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel and its `cli` extra (pydantic, typer) only."""
    return _fresh_venv(tmp_path_factory.mktemp("venv"), f"{dist['wheel']}[cli]")


def _fresh_venv(where: Path, requirement: str) -> Path:
    """A new virtual environment in `where` with `requirement` installed; its bin directory."""
    created = _run(sys.executable, "-m", "venv", where / "env", cwd=where)
    assert created.returncode == 0, created.stderr
    bin_dir = where / "env" / ("Scripts" if os.name == "nt" else "bin")
    install = _run(
        bin_dir / "python", "-m", "pip", "install", "--quiet", "--no-input",
        "--disable-pip-version-check", requirement, cwd=where, timeout=180,
    )  # fmt: skip
    if install.returncode != 0 and any(s in install.stderr for s in OFFLINE):
        pytest.skip(
            f"installing {requirement} into a fresh venv needs the network: {install.stderr[-300:]}"
        )
    assert install.returncode == 0, install.stderr[-2000:]
    return bin_dir


@needs_build
def test_installed_wheel_imports_and_converts(venv: Path, tmp_path: Path) -> None:
    result = _run(venv / "python", "-c", SMOKE, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAAAB",
    }  # fmt: skip
    # the optional openai extra was not installed: the library does not need it
    absent = _run(venv / "python", "-c", "import openai", cwd=tmp_path)
    assert absent.returncode != 0
    # ... and the guard, which wraps an openai client, says which extra to install
    guard = _run(venv / "python", "-c", "import responses_replay.guard", cwd=tmp_path)
    assert guard.returncode != 0
    assert "pip install 'responses-replay[openai]'" in guard.stderr


@needs_build
def test_installed_cli(venv: Path, tmp_path: Path) -> None:
    script = venv / ("responses-replay.exe" if os.name == "nt" else "responses-replay")
    helped = _run(script, "--help", cwd=tmp_path)
    assert helped.returncode == 0, helped.stderr
    assert "check" in helped.stdout
    assert "next" in helped.stdout
    body = tmp_path / "body.json"
    body.write_text(
        json.dumps({"input": [{"type": "reasoning", "id": "rs_1", "summary": [], "status": None}]})
    )
    checked = _run(script, "check", body, cwd=tmp_path)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "Unknown parameter: 'input[0].status'." in checked.stdout


RESPONSE = {
    "id": "resp_1", "object": "response", "status": "completed",
    "output": [
        {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAA"},
        {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "f",
         "arguments": "{}", "status": "completed"},
    ],
}  # fmt: skip


@needs_build
def test_every_installed_command_runs_without_a_traceback(venv: Path, tmp_path: Path) -> None:
    """Each command of the installed script, from a directory with no checkout in sight."""
    script = venv / ("responses-replay.exe" if os.name == "nt" else "responses-replay")
    response = tmp_path / "response.json"
    response.write_text(json.dumps(RESPONSE))
    pretty = tmp_path / "pretty.json"
    pretty.write_text('{\n  "input": [\n    {"role": "user"}\n    {"role": "user"}\n  ]\n}\n')
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps({"input": [{"role": ["user"], "type": {"a": 1}}]}))
    runs = {
        "next": (_run(script, "next", response, "--mode", "stateless", cwd=tmp_path), 0),
        "check pretty": (_run(script, "check", pretty, cwd=tmp_path), 2),
        "check hostile": (_run(script, "check", hostile, cwd=tmp_path), None),
        "spec-diff": (_run(script, "spec-diff", response, response, cwd=tmp_path), 2),
        "drift": (_run(script, "drift", cwd=tmp_path), 2),  # openai is not installed here
    }
    for name, (result, code) in runs.items():
        output = result.stdout + result.stderr
        assert "Traceback" not in output, (name, output)
        if code is not None:
            assert result.returncode == code, (name, output)
    assert json.loads(runs["next"][0].stdout)[1]["call_id"] == "call_1"
    assert "call_1 (function_call)" in runs["next"][0].stderr
    assert "pretty.json:4: unusable: not valid JSON" in runs["check pretty"][0].stderr
    assert "python -m codegen diff" in runs["spec-diff"][0].stderr
    assert "pip install 'responses-replay[openai]'" in runs["drift"][0].stderr


@pytest.fixture(scope="module")
def bare_venv(dist: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel and no extra (no typer, no openai)."""
    return _fresh_venv(tmp_path_factory.mktemp("bare"), str(dist["wheel"]))


@needs_build
def test_the_script_without_the_cli_extra_prints_one_pip_hint(
    bare_venv: Path, tmp_path: Path
) -> None:
    script = bare_venv / ("responses-replay.exe" if os.name == "nt" else "responses-replay")
    for args in ((), ("check", "body.json"), ("--help",)):
        result = _run(script, *args, cwd=tmp_path)
        assert result.returncode == 2, result.stdout + result.stderr
        assert result.stdout == ""
        assert result.stderr.splitlines() == [
            "responses-replay: the command line needs typer: pip install 'responses-replay[cli]'"
        ]
