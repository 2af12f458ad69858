"""The output item of a type our spec does not know yet (a newer API): kept whole, never guessed."""

from __future__ import annotations

from ._base import OutputModel


class UnknownItem(OutputModel):
    """An output item whose `type` the pinned spec lacks. All its keys are kept in `model_extra`."""

    type: str
