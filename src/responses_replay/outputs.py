"""Output models: what the API sends. `OutputItem` is the union of `Response.output` items.

Unknown keys are kept; an item whose `type` the spec does not know parses as `UnknownItem`.

The public names (`__all__`) are the unions (`OutputItem` and the listings') and their adapters,
the item classes and their content parts, all under the spec's own schema names. Every other
generated class is importable from here too, but is not part of the stable surface: its name may
change with the spec.
"""

from typing import Any

from ._generated import outputs as _generated
from ._generated.outputs import *  # noqa: F403
from ._generated.outputs import __all__ as __all__


def __getattr__(name: str) -> Any:
    """The generated classes outside `__all__`: importable, not stable."""
    if not name.startswith("__"):
        try:
            return getattr(_generated, name)
        except AttributeError:
            pass
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
