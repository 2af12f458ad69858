"""Input models: what the API accepts in `CreateResponse.input`. `InputItem` is their union.

Unknown keys are refused (the API answers them with R1); an optional field that is not set is
absent from `to_dict()`, never `null`.

The public names (`__all__`) are the union and its adapters, the item classes and the content
parts a caller writes, all under the spec's own schema names. Every other generated class (tool
definitions, nested objects, names the code generator made up) is importable from here too, but
is not part of the stable surface: its name may change with the spec.
"""

from typing import Any

from ._generated import inputs as _generated
from ._generated.inputs import *  # noqa: F403
from ._generated.inputs import __all__ as __all__


def __getattr__(name: str) -> Any:
    """The generated classes outside `__all__`: importable, not stable."""
    if not name.startswith("__"):
        try:
            return getattr(_generated, name)
        except AttributeError:
            pass
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
