"""The commands of `responses-replay` (needs typer): check and repair request bodies, print the next turn.

Exit codes: 0 clean, 1 findings, 2 unusable input.
"""

from __future__ import annotations

import json
import re
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


_AT = re.compile(r" at line (\d+) column (\d+)$")


def _parse(raw: bytes) -> Any:
    try:
        return pydantic_core.from_json(raw)
    except ValueError as exc:
        try:  # from_json refuses invalid UTF-8 too: say so, as check() does
            raw.decode("utf-8")
        except UnicodeDecodeError as bad:
            raise InputError(f"not valid UTF-8 (byte {bad.start}: {bad.reason})") from None
        raise InputError(f"not valid JSON: {exc}") from None


def _where(error: InputError, line: int = 1) -> tuple[int, InputError]:
    """The line of a JSON syntax error (pydantic_core says `... at line L column C`)."""
    found = _AT.search(str(error))
    if found is None:
        return line, error
    message = str(error)[: found.start()]
    return line + int(found.group(1)) - 1, InputError(f"{message} (column {found.group(2)})")


def _is_json_lines(lines: list[tuple[int, str]]) -> bool:
    """JSON Lines: one of the first two lines is a whole object or array by itself.

    A pretty-printed document's first lines (`{`, `"model": "gpt-5",`) never are.
    """
    for _, text_line in lines[:2]:
        try:
            if isinstance(_parse(text_line.encode("utf-8", "surrogatepass")), (dict, list)):
                return True
        except InputError:
            pass
    return False


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
        if len(lines) < 2 or not _is_json_lines(lines):
            return [_where(whole)]  # one document: its one error, at its line and column
        out: list[tuple[int, Any | InputError]] = []
        for number, text_line in lines:
            try:
                out.append((number, _parse(text_line.encode("utf-8", "surrogatepass"))))
            except InputError as exc:
                out.append(_where(exc, number))
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
        except Exception as exc:  # a checker bug: reported for this body, the others still checked
            report.unusable.append(
                {"file": name, "line": line, "error": f"cannot check: {type(exc).__name__}: {exc}"}
            )
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
    """Check POST /v1/responses bodies for replay errors (R1..R15) before sending them."""
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


@app.command("repair")
def repair_cmd(
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
    The command of repair() in Python; `fix` (its former name) is the same command.
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


# The command's first name, kept so that scripts using it still work; out of the help (one command,
# named as the Python API names it, is listed).
app.command("fix", hidden=True)(repair_cmd)


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.secho(_printable(message), fg=typer.colors.RED, err=True)
    return typer.Exit(code)


@app.command("spec-diff", hidden=True)
def spec_diff(old: Annotated[str, typer.Argument()], new: Annotated[str, typer.Argument()]) -> None:
    """Moved: diffing two specs is part of the generator, in a development checkout."""
    raise _fail(
        "spec-diff is not part of the installed command line: comparing two specs is the "
        "generator's job; in a clone of the repository run `python -m codegen diff OLD NEW`. "
        "`responses-replay drift` compares this library's item types with the installed openai."
    )


@app.command("drift")
def drift_cmd(
    strict: Annotated[bool, typer.Option(help="exit 1 when the two sides differ")] = False,
) -> None:
    """Our item types and fields against the installed openai package's: what each side lacks."""
    from . import drift

    try:
        report = drift.drift()
    except ImportError as exc:
        raise _fail(f"drift compares with the installed openai: {_OPENAI_HINT} ({exc})") from None
    typer.echo(drift.render(report))
    raise typer.Exit(1 if strict and not report.empty else 0)


_OPENAI_HINT = "pip install 'responses-replay[openai]'"


# The library's advice names its keyword arguments; the command line's names its own flags.
_KWARG = re.compile(r"\b(incomplete|unknown)=(['\"])(\w+)\2")


def _in_flags(message: str) -> str:
    return _KWARG.sub(lambda m: f"--{m.group(1)} {m.group(3)}", message)


# A recorded stream (stream=True) opens with an SSE field or comment line, which no JSON text does.
_SSE = re.compile(rb"(?:\xef\xbb\xbf)?[\r\n]*(?:event:|data:|id:|retry:|:)")


@app.command("next")
def next_cmd(
    response_file: Annotated[
        str,
        typer.Argument(help="a response (JSON) or its recorded stream (SSE); - for stdin"),
    ],
    mode: Annotated[
        str, typer.Option(help="stateless (store=false), stored (manual history) or chained")
    ] = "stateless",
    incomplete: Annotated[
        str,
        typer.Option(
            help="a response cut short that ends with a reasoning item: error, or "
            "drop_trailing_reasoning"
        ),
    ] = "error",
    unknown: Annotated[
        str, typer.Option(help="an item type the spec does not know: error, or pass it unchanged")
    ] = "error",
) -> None:
    """Print the input items of the next request after this response, built with the converters.

    The response is its JSON or the server-sent events of its stream (`event:` / `data:` lines),
    read as Turn.from_stream reads them."""
    for flag, value, allowed in (
        ("mode", mode, ("stateless", "stored", "chained")),
        ("incomplete", incomplete, ("error", "drop_trailing_reasoning")),
        ("unknown", unknown, ("error", "pass")),
    ):
        if value not in allowed:
            raise _fail(f"--{flag} must be {' or '.join(allowed)}, not {value!r}")
    try:
        from .turn import Turn
    except ImportError:
        raise _fail(
            "`next` is not available yet: the converters (responses_replay.turn) are missing"
        ) from None
    try:
        raw = _read(response_file)
        how_to_read: dict[str, Any] = {
            "incomplete": "drop_trailing_reasoning" if incomplete != "error" else "error",
            "unknown": "pass" if unknown == "pass" else "error",
        }
        if _SSE.match(raw):
            turn = Turn.from_stream(raw, **how_to_read)
        else:
            turn = Turn.from_response(_parse(raw), **how_to_read)
    except OSError as exc:
        raise _fail(f"{response_file}: {exc.strerror or exc}") from None
    except InputError as exc:
        raise _fail(f"{response_file}: {_in_flags(str(exc))}") from None
    except ReplayError as exc:
        raise _fail(f"{response_file}: {_in_flags(str(exc))}", 1) from None
    pending = turn.pending()
    if mode == "chained" and turn.response_id and turn.store is False:
        from ._chain import unchainable  # Chain.after's rule and words

        raise _fail(
            f"{response_file}: {unchainable(turn.response_id)} (on the command line: --mode stateless)",
            1,
        )
    if mode == "chained" and not turn.response_id:
        from ._chain import NO_ID

        raise _fail(f"{response_file}: {NO_ID}")
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
