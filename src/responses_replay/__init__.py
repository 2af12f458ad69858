"""responses-replay: turn what the OpenAI Responses API returned into what you may send back."""

import importlib
from typing import TYPE_CHECKING, Any

from . import inputs as inputs, outputs as outputs
from ._convert import to_input as to_input, tool_output as tool_output
from ._errors import InputError as InputError, ReplayError as ReplayError
from ._generated.replay import CallItem as CallItem, NewItem as NewItem
from ._parse import ResponseOutput as ResponseOutput, parse_response as parse_response
from .history import (
    Chain as Chain,
    CreateParams as CreateParams,
    History as History,
    RequestKwargs as RequestKwargs,
)
from .state import StateError as StateError
from .stream import StreamError as StreamError
from .turn import Turn as Turn

__all__ = [
    "CallItem",
    "Chain",
    "CreateParams",
    "Finding",
    "History",
    "InputError",
    "NewItem",
    "ReplayCheckError",
    "Repair",
    "Repaired",
    "ReplayError",
    "RequestKwargs",
    "ResponseOutput",
    "StateError",
    "StreamError",
    "Turn",
    "check",
    "check_or_raise",
    "inputs",
    "outputs",
    "parse_response",
    "repair",
    "to_input",
    "tool_output",
]

if TYPE_CHECKING:
    from .checker import (
        Finding as Finding,
        ReplayCheckError as ReplayCheckError,
        check as check,
        check_or_raise as check_or_raise,
    )
    from .repairer import Repair as Repair, Repaired as Repaired, repair as repair

_LAZY = {"Finding", "ReplayCheckError", "check", "check_or_raise"}
_LAZY_REPAIR = {"Repair", "Repaired", "repair"}


def __getattr__(name: str) -> Any:
    """The request checker is imported on first use: most programs never check a request."""
    if name in _LAZY:
        module = importlib.import_module(f"{__name__}.checker")
        globals().update({n: getattr(module, n) for n in _LAZY})  # later lookups skip this hook
        return globals()[name]
    if name in _LAZY_REPAIR:  # `repair` needs the checker too
        module = importlib.import_module(f"{__name__}.repairer")
        globals().update({n: getattr(module, n) for n in _LAZY_REPAIR})
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
