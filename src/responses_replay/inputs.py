"""Input models: what the API accepts in `CreateResponse.input`. `InputItem` is their union.

Unknown keys are refused (the API answers them with R1); an optional field that is not set is
absent from `to_dict()`, never `null`.
"""

from ._generated.inputs import *  # noqa: F403
from ._generated.inputs import __all__ as __all__
