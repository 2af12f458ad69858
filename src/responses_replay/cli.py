"""`responses-replay`: check and fix request bodies, print the next turn's input, diff two specs.

Exit codes: 0 clean, 1 findings (or changes), 2 unusable input.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import pydantic_core
import typer

from ._errors import InputError, ReplayError
from .checker import check

app = typer.Typer(
    name="responses-replay",
    help="Replay OpenAI Responses API output as valid input, and check requests before sending.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_COLOURS = {"error": typer.colors.RED, "warning": typer.colors.YELLOW}


def _printable(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass
class _Report:
    findings: list[dict[str, Any]] = field(default_factory=list)
    unusable: list[dict[str, Any]] = field(default_factory=list)
    checked: int = 0


def _read(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    return Path(name).read_bytes()


def _parse(raw: bytes) -> Any:
    try:
        return pydantic_core.from_json(raw)
    except ValueError as exc:
        raise InputError(f"not valid JSON: {exc}") from None


def _bodies(raw: bytes) -> list[tuple[int, Any | InputError]]:
    """(line, body or why it is unusable) for a JSON document or JSON Lines."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return [(line, InputError(f"not valid UTF-8 (byte {exc.start}: {exc.reason})"))]
    if not text.strip():
        return [(1, InputError("empty input"))]
    try:
        return [(1, _parse(raw))]
    except InputError as whole:
        lines = [(n + 1, ln) for n, ln in enumerate(text.split("\n")) if ln.strip()]
        if len(lines) < 2:
            return [(1, whole)]
        out: list[tuple[int, Any | InputError]] = []
        for number, text_line in lines:
            try:
                out.append((number, _parse(text_line.encode("utf-8", "surrogatepass"))))
            except InputError as exc:
                out.append((number, exc))
        return out


def _check_file(name: str, report: _Report) -> None:
    try:
        raw = _read(name)
    except OSError as exc:
        report.unusable.append({"file": name, "line": 0, "error": exc.strerror or str(exc)})
        return
    for line, body in _bodies(raw):
        if isinstance(body, InputError):
            report.unusable.append({"file": name, "line": line, "error": str(body)})
            continue
        try:
            findings = check(body)
        except InputError as exc:
            report.unusable.append({"file": name, "line": line, "error": str(exc)})
            continue
        report.checked += 1
        report.findings.extend({"file": name, "line": line, **f.to_dict()} for f in findings)


def _echo_finding(f: dict[str, Any], err: bool = False) -> None:
    where = typer.style(f"{f['file']}:{f['line']}", bold=True)
    sev = typer.style(f"{f['rule']} {f['severity']}", fg=_COLOURS[f["severity"]], bold=True)
    path = f" {f['path']}" if f["path"] else ""
    typer.echo(_printable(f"{where}:{path} {sev}: {f['message']}"), err=err)
    typer.echo(_printable(f"    fix: {f['fix']}"), err=err)


@app.command("check")
def check_cmd(
    files: Annotated[
        list[str], typer.Argument(help="request bodies: JSON or JSON Lines; - for stdin")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
    strict: Annotated[bool, typer.Option(help="warnings count as findings (exit 1)")] = False,
) -> None:
    """Check POST /v1/responses bodies for replay errors (R1..R13) before sending them."""
    report = _Report()
    for name in files:
        _check_file(name, report)
    errors = [f for f in report.findings if f["severity"] == "error"]
    failing = report.findings if strict else errors
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "checked": report.checked,
                    "findings": report.findings,
                    "unusable": report.unusable,
                },
                ensure_ascii=True,
                indent=2,
            )
        )
    else:
        for f in report.findings:
            _echo_finding(f)
        for u in report.unusable:
            where = typer.style(f"{u['file']}:{u['line']}", bold=True)
            bad = typer.style("unusable", fg=typer.colors.RED, bold=True)
            typer.echo(_printable(f"{where}: {bad}: {u['error']}"), err=True)
        warnings = len(report.findings) - len(errors)
        typer.echo(
            f"{report.checked} request(s) checked: {len(errors)} error(s), {warnings} warning(s)"
            + (f", {len(report.unusable)} unusable" if report.unusable else ""),
            err=True,
        )
    if report.unusable:
        raise typer.Exit(2)
    raise typer.Exit(1 if failing else 0)


def _body_json(body: Any) -> str:
    """The body as JSON text: its strings as they are (escaped only when not encodable)."""
    text = json.dumps(body, indent=2, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: \u-escaped, the same JSON string
        text = json.dumps(body, indent=2, ensure_ascii=True)
    return text


@app.command("fix")
def fix_cmd(
    file: Annotated[str, typer.Argument(help="a request body (JSON); - for stdin")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="write the repaired body here")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="one JSON report on stdout: body, repairs, findings")
    ] = False,
    strict: Annotated[bool, typer.Option(help="remaining warnings count too (exit 1)")] = False,
) -> None:
    """Repair a POST /v1/responses body: the mechanical fixes, each reported; the rest left as is.

    The repaired body goes to stdout (or -o), the repairs and remaining findings to stderr.
    Exit 0: repaired and clean; 1: findings remain; 2: unusable input.
    """
    from .repairer import repair

    try:
        result = repair(_read(file))
    except OSError as exc:
        raise _fail(f"{file}: {exc.strerror or exc}") from None
    except InputError as exc:
        raise _fail(f"{file}: {exc}") from None
    remaining = list(result.findings) if strict else list(result.errors)
    body = _body_json(result.body)
    if output is not None:
        try:
            output.write_text(body + "\n", encoding="utf-8")
        except OSError as exc:
            raise _fail(f"{output}: {exc.strerror or exc}") from None
    if as_json:
        report = {
            "body": None if output is not None else result.body,
            "repairs": [r.to_dict() for r in result.repairs],
            "findings": [f.to_dict() for f in result.findings],
        }
        typer.echo(json.dumps(report, indent=2, ensure_ascii=True))
    else:
        if output is None:
            typer.echo(body)
        for r in result.repairs:
            typer.echo(_printable(str(r)), err=True)
        for f in result.findings:
            _echo_finding({"file": file, "line": 1, **f.to_dict()}, err=True)
        typer.echo(
            f"{len(result.repairs)} repair(s); {len(result.errors)} error(s) and "
            f"{len(result.findings) - len(result.errors)} warning(s) remain",
            err=True,
        )
    raise typer.Exit(1 if remaining else 0)


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.secho(_printable(message), fg=typer.colors.RED, err=True)
    return typer.Exit(code)


@app.command("spec-diff")
def spec_diff(
    old: Annotated[Path, typer.Argument(help="the older OpenAPI spec (YAML)")],
    new: Annotated[Path, typer.Argument(help="the newer OpenAPI spec (YAML)")],
) -> None:
    """What changed for item types between two spec versions (the report `make regen` prints).

    Needs the repository's `codegen` package (a development checkout). Exit 1 when something changed.
    """
    try:
        from codegen.errors import CodegenError
        from codegen.overlay import load_overlay
        from codegen.report import item_report, render_report, spec_items
        from codegen.source import SpecBytes, sha256_of
    except ImportError as exc:
        raise _fail(
            f"spec-diff needs the `codegen` package of a responses-replay development checkout "
            f"(run it from the repository root): {exc}"
        ) from None
    try:
        overlay, _ = load_overlay()
        sides = []
        for path in (old, new):
            data = path.read_bytes()
            sides.append(spec_items(SpecBytes(data, str(path), sha256_of(data)), overlay))
    except OSError as exc:
        raise _fail(f"cannot read a spec: {exc}") from None
    except CodegenError as exc:
        raise _fail(f"cannot read a spec: {exc}") from None
    report = item_report(sides[0], sides[1])
    typer.echo(render_report(report))
    raise typer.Exit(0 if report.empty else 1)


@app.command("next")
def next_cmd(
    response_file: Annotated[str, typer.Argument(help="a response (JSON); - for stdin")],
    mode: Annotated[
        str, typer.Option(help="stateless (store=false), stored (manual history) or chained")
    ] = "stateless",
) -> None:
    """Print the input items of the next request after this response, built with the converters."""
    if mode not in ("stateless", "stored", "chained"):
        raise _fail(f"--mode must be stateless, stored or chained, not {mode!r}")
    try:
        from .turn import Turn
    except ImportError:
        raise _fail(
            "`next` is not available yet: the converters (responses_replay.turn) are missing"
        ) from None
    try:
        raw = _read(response_file)
        turn = Turn.from_response(_parse(raw))
    except OSError as exc:
        raise _fail(f"{response_file}: {exc.strerror or exc}") from None
    except InputError as exc:
        raise _fail(f"{response_file}: {exc}") from None
    except ReplayError as exc:
        raise _fail(f"{response_file}: {exc}", 1) from None
    pending = turn.pending()
    if mode == "chained":
        items: list[dict[str, Any]] = []
        how = f"previous_response_id={turn.response_id!r}; input holds only new items"
    else:
        items = turn.to_input()
        if mode == "stateless":
            bad = [
                n
                for n, it in enumerate(items)
                if it.get("type") == "reasoning" and not it.get("encrypted_content")
            ]
            if bad:
                raise _fail(
                    f"{response_file}: output[{bad[0]}] is a reasoning item without encrypted_content "
                    "(R3): request include=['reasoning.encrypted_content'], or use --mode stored",
                    1,
                )
        how = (
            "store=false, include=['reasoning.encrypted_content']"
            if mode == "stateless"
            else "store=true"
        )
    typer.echo(json.dumps(items, indent=2, ensure_ascii=False))
    typer.echo(f"# next request: {how}", err=True)
    if pending:
        calls = ", ".join(f"{k} ({v})" for k, v in pending.items())
        typer.echo(f"# answer these calls in the next request (R7): {calls}", err=True)


def main() -> None:
    """The console script."""
    app()


if __name__ == "__main__":
    main()
