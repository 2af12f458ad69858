"""`responses-replay`, the console script: check request bodies, print the next turn's input.

The commands live in `_cli` and need `typer` (the `cli` extra); without it the script prints how
to install it, not a traceback. No input makes it print a traceback: exit codes 0 clean,
1 findings, 2 unusable input (or an internal error, reported in one line).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._cli import app as app

__all__ = ["app", "main"]

_HINT = "responses-replay: the command line needs typer: pip install 'responses-replay[cli]'"


def __getattr__(name: str) -> Any:  # `app` is imported on first use: typer is optional
    if name == "app":
        from ._cli import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """The console script."""
    try:
        from ._cli import app
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.partition(".")[0] not in ("typer", "click"):
            raise
        print(_HINT, file=sys.stderr)
        sys.exit(2)
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # a bug of ours: one line, never a traceback
        what = str(exc).splitlines()[0][:300] if str(exc) else ""
        print(
            f"responses-replay: internal error ({type(exc).__name__}: {what}); "
            "please report it with the input that caused it",
            file=sys.stderr,
        )
        sys.exit(2)


if __name__ == "__main__":
    main()
