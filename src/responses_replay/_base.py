"""Base classes of the generated models: the two sides differ in what they do with unknown keys."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class OutputModel(BaseModel):
    """What the API sent. Unknown keys are kept, so nothing is lost on a round trip."""

    model_config = ConfigDict(
        extra="allow", populate_by_name=True, serialize_by_alias=True, defer_build=True
    )

    def to_dict(self) -> dict[str, Any]:
        """The JSON object as the API sent it (absent fields stay absent)."""
        return self.model_dump(mode="json", by_alias=True)


class InputModel(BaseModel):
    """What the API accepts. Unknown keys are refused: the API answers them with R1."""

    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, serialize_by_alias=True, defer_build=True
    )

    def to_dict(self) -> dict[str, Any]:
        """The exact JSON object to send: unset fields are absent, never `null`."""
        return self.model_dump(mode="json", by_alias=True)

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True)
