"""responses-replay: turn what the OpenAI Responses API returned into what you may send back."""

from . import inputs as inputs, outputs as outputs
from ._errors import InputError as InputError, ReplayError as ReplayError
from ._generated.replay import (
    CallItem as CallItem,
    NewItem as NewItem,
    to_input as to_input,
    tool_output as tool_output,
)
from ._parse import parse_response as parse_response
from .check import (
    Finding as Finding,
    ReplayCheckError as ReplayCheckError,
    check as check,
    check_or_raise as check_or_raise,
)
from .history import Chain as Chain, History as History
from .turn import Turn as Turn

__all__ = [
    "CallItem",
    "Chain",
    "Finding",
    "History",
    "InputError",
    "NewItem",
    "ReplayCheckError",
    "ReplayError",
    "Turn",
    "check",
    "check_or_raise",
    "inputs",
    "outputs",
    "parse_response",
    "to_input",
    "tool_output",
]
