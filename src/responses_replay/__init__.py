"""responses-replay: turn what the OpenAI Responses API returned into what you may send back."""

from . import inputs as inputs
from . import outputs as outputs
from ._errors import InputError as InputError
from ._errors import ReplayError as ReplayError
from ._parse import parse_response as parse_response

__all__ = ["InputError", "ReplayError", "inputs", "outputs", "parse_response"]
