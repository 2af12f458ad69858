"""The SDK-version matrix: the guard tests, the examples, SDK objects converted as their bytes
(`tests/test_sdk_objects.py`) and the typing tests under each `openai`.

One fresh virtual environment per version under `.sdk-matrix/` (gitignored; pip's cache keeps a
rebuild fast), the project's wheel built once and installed there with `--no-deps`, the test
tools pinned as in pyproject's `dev` extra. Versions: the declared floor, the two versions of the
public reports behind the project (2.17, 2.29), 3.0, and the newest on the index.

    python .ci/sdk_matrix.py                     # every version
    python .ci/sdk_matrix.py 1.100.0 2.17.0      # only these (`make sdk-matrix SDK=...`)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".sdk-matrix"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
TOOLS = ("pytest", "mypy", "httpx")  # what the checks below run with, pinned as in `dev`
LATEST = "latest"
TESTS = ("tests/test_guard.py", "tests/test_examples.py", "tests/test_sdk_objects.py")


def floor() -> str:
    """The declared `openai>=` floor of the `openai` extra."""
    (spec,) = PYPROJECT["project"]["optional-dependencies"]["openai"]
    found = re.fullmatch(r"openai>=([\d.]+)", spec)
    assert found, f"the openai extra should read openai>=X.Y, not {spec!r}"
    return found.group(1)


VERSIONS = [floor(), "2.17.0", "2.29.0", "3.0.0", LATEST]


def requirement(name: str) -> str:
    for spec in PYPROJECT["project"]["optional-dependencies"]["dev"]:
        if re.match(rf"{name}\b", spec):
            return str(spec)
    raise LookupError(name)


def run(cmd: list[str | Path], log: Path) -> bool:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    started = time.monotonic()
    with log.open("a", encoding="utf-8") as out:
        out.write(f"$ {' '.join(map(str, cmd))}\n")
        out.flush()
        done = subprocess.run(
            [str(c) for c in cmd], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env,
            check=False,
        )  # fmt: skip
        out.write(f"# exit {done.returncode} in {time.monotonic() - started:.1f} s\n")
    return done.returncode == 0


def timed(step: Callable[[], bool]) -> tuple[bool, float]:
    started = time.monotonic()
    return step(), time.monotonic() - started


def wheel() -> Path:
    dist = WORK / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    dist.mkdir(parents=True)
    log = WORK / "build.log"
    log.unlink(missing_ok=True)
    ok = run(
        [sys.executable, "-m", "build", "--no-isolation", "--wheel", "--outdir", dist, "."], log
    )
    if not ok:
        sys.exit(f"building the wheel failed: see {log}")
    (built,) = dist.glob("*.whl")
    return built


def install(version: str, built: Path) -> tuple[bool, float]:
    """A venv for one openai version, with the tools and the wheel (two are made at a time)."""
    started = time.monotonic()
    env = WORK / f"openai-{version}"
    log = WORK / f"openai-{version}.log"
    log.unlink(missing_ok=True)
    python = env / "bin" / "python"
    if not python.exists():
        run([sys.executable, "-m", "venv", env], log)
    # --no-compile: byte-compiling mypy and openai at install is most of an install's CPU time
    pip: list[str | Path] = [python, "-m", "pip", "install", "--quiet", "--no-compile"]
    pip.append("--disable-pip-version-check")
    pin = "openai" if version == LATEST else f"openai=={version}"
    base = [requirement(t) for t in TOOLS] + list(PYPROJECT["project"]["dependencies"])
    ok = run([*pip, "--upgrade", pin, *base], log) and run(
        [*pip, "--no-deps", "--force-reinstall", built], log
    )
    return ok, time.monotonic() - started


def checks(version: str) -> dict[str, tuple[bool, float]]:
    """The guard tests, the examples and the SDK-object tests, then mypy on the typing tests and
    the examples."""
    env = WORK / f"openai-{version}"
    log = WORK / f"openai-{version}.log"
    python = env / "bin" / "python"
    cache = ["--cache-dir", str(env / "mypy-cache")]
    return {
        "guard+examples": timed(
            lambda: run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *TESTS], log)
        ),
        "typing": timed(
            lambda: run([python, "-m", "mypy", *cache, "--strict", "tests/typing", "examples"], log)
        ),
    }


def installed(version: str) -> str:
    python = WORK / f"openai-{version}" / "bin" / "python"
    done = subprocess.run(
        [python, "-c", "import openai; print(openai.__version__)"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return done.stdout.strip() or "?"


def main(argv: list[str]) -> int:
    versions = argv or VERSIONS
    WORK.mkdir(exist_ok=True)
    (WORK / ".gitignore").write_text("*\n", encoding="utf-8")
    t0 = time.monotonic()
    built = wheel()
    with ThreadPoolExecutor(max_workers=2) as pool:  # downloads overlap; CPU is 2 cores
        installs = dict(zip(versions, pool.map(lambda v: install(v, built), versions), strict=True))
    print(f"wheel and {len(versions)} venv(s) ready in {time.monotonic() - t0:.0f} s")
    rows = []
    for version in versions:
        steps = {"install": installs[version]}
        if installs[version][0]:
            steps.update(checks(version))
        ok = all(passed for passed, _ in steps.values())
        detail = ", ".join(
            f"{k} {'ok' if passed else 'FAILED'} {t:.0f} s" for k, (passed, t) in steps.items()
        )
        rows.append(ok)
        print(f"openai {version:<8} ({installed(version):<8}) {'pass' if ok else 'FAIL'}  {detail}")
        if not ok:
            print(f"    log: {(WORK / f'openai-{version}.log').relative_to(ROOT)}")
        sys.stdout.flush()
    print(f"{len(rows)} openai version(s) in {time.monotonic() - t0:.0f} s")
    print(f"sdk-matrix: {sum(rows)} passed, {len(rows) - sum(rows)} failed")
    return 0 if all(rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
