"""Output models: what the API sends. `OutputItem` is the union of `Response.output` items.

Unknown keys are kept; an item whose `type` the spec does not know parses as `UnknownItem`.
"""

from ._generated.outputs import *  # noqa: F403
from ._generated.outputs import __all__ as __all__
