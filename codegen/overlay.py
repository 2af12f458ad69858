"""The overlay: what the spec does not say, each entry with its evidence (`why`).

Loaded into typed models; a typo in a key is an error naming the file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from .errors import CodegenError
from .load import load_yaml

OVERLAY_FILE = Path(__file__).resolve().parent.parent / "spec" / "overlay.yaml"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Root(_Entry):
    """Where an item union is reached from: a schema name, then property names / `[]` for arrays."""

    via: list[str] = Field(min_length=2)
    why: str


class Roots(_Entry):
    input: Root
    output: Root
    listings: dict[str, Root] = {}  # union alias name -> where its items are listed


class Pair(_Entry):
    """The input item type an output item type becomes (`input: null`: it cannot be replayed)."""

    input: str | None
    why: str
    input_schema: str | None = None  # only where several input schemas share the tag


class FieldRule(_Entry):
    """A field of an item type, by path from the item (`output[].created_by`)."""

    type: str
    path: str
    why: str


class NullRule(_Entry):
    """A field that must never be sent as null on input, although the spec allows it."""

    type: str  # "*" for every input item type
    path: str
    why: str


class LimitRule(_Entry):
    """A length bound the API enforces on an input string the spec leaves unbounded (the string
    alternative of the field; a string-or-list field keeps its list): `max_length`, `min_length`
    (an empty string refused, code `empty_string`) or both."""

    type: str  # an item type tag
    path: str
    max_length: int | None = Field(default=None, gt=0)
    min_length: int | None = Field(default=None, gt=0)
    why: str

    @model_validator(mode="after")
    def _a_bound(self) -> LimitRule:
        if self.max_length is None and self.min_length is None:
            raise ValueError("a limit needs max_length, min_length or both")
        return self


class ValueRule(_Entry):
    """Values the output side can hold that the input side refuses, with the decision for each."""

    type: str
    path: str
    values: list[str] | None = None  # None: the field's untyped output value
    decision: Literal["map", "drop", "refuse"]
    to: Any = None  # for map: the input value; "json" parses a JSON string
    why: str


class LooserRule(_Entry):
    """Where the live API is looser than the spec: a required field that may be omitted (`optional`),
    a field that may be null (`nullable`), an enum that takes values the spec lacks (`open`),
    objects that carry keys the spec lacks (`extra`: the path names the property holding them), or
    a field the spec lacks, with its JSON schema (`added`: the path names the new field; when the
    spec has the field, the spec wins and `make regen` says the entry can go). `parent_types`
    (with `added` on a nested path) limits the objects the field joins to those whose `type` is
    one of these tags (a function tool among a tool union's members)."""

    type: str  # an item type tag
    path: str
    view: Literal["input", "output", "both"]
    make: Literal["optional", "nullable", "open", "extra", "added"] = "optional"
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    parent_types: list[str] | None = Field(default=None, min_length=1)
    when: str | None = None
    why: str

    @model_validator(mode="after")
    def _schema_iff_added(self) -> LooserRule:
        if (self.make == "added") != (self.schema_ is not None):
            raise ValueError("`schema` is given with `make: added`, and only then")
        if self.parent_types is not None and (self.make != "added" or "." not in self.path):
            raise ValueError("`parent_types` is given with `make: added` on a nested path only")
        return self


class Ids(_Entry):
    """How ids bind: the prefix per item type (R11) and the hosted-tool calls that keep theirs (R10)."""

    prefixes: dict[str, list[str]]
    hosted: list[str]
    why: str


class CallPair(_Entry):
    output: str
    call_key: str
    output_key: str
    must_answer: bool = True  # false: the API is not known to refuse it unanswered (R7 warning)
    why: str | None = None


class CallOutputs(_Entry):
    """Call item types and the item type that answers them, and the keys that bind them (R6, R7)."""

    pairs: dict[str, CallPair]
    why: str


class Addition(_Entry):
    """An item type the pinned spec lacks, with its JSON schema and the evidence for it.

    `members` names, per union (`input`, `output`, `listings.<alias>`), the schema that joins it;
    `schemas` holds those schemas and the ones they use (a `$ref` may also name a schema of the
    spec). When a spec's union already has a member with this `type`, the spec wins: the addition
    is skipped for that union and `make regen` says the entry can go.
    """

    members: dict[str, str] = Field(min_length=1)
    schemas: dict[str, dict[str, Any]] = Field(min_length=1)
    why: str


class CallerWritten(_Entry):
    """Input item types a caller writes itself (besides messages and call outputs): `History.add`
    and `Chain.add` accept them (the `NewItem` union)."""

    types: list[str]
    why: str


class Overlay(_Entry):
    version: Literal[1]
    roots: Roots
    additions: dict[str, Addition] = {}  # item type tag -> its schemas
    caller_written: CallerWritten | None = None
    pairs: dict[str, Pair]
    output_only: list[FieldRule]
    refuse_null: list[NullRule]
    refused_values: list[ValueRule]
    looser: list[LooserRule]
    limits: list[LimitRule] = []
    ids: Ids
    calls: CallOutputs
    _origin: str = PrivateAttr(default="spec/overlay.yaml")

    @property
    def origin(self) -> str:
        """The file this overlay was read from: where errors about its entries point."""
        return self._origin


def _node_at(node: yaml.Node | None, loc: tuple[int | str, ...]) -> yaml.Node | None:
    """The YAML node at a pydantic error location (for the last step, the key's own node)."""
    for n, key in enumerate(loc):
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == key:
                    node = k if n == len(loc) - 1 else v
                    break
            else:
                return node
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            return node
    return node


def parse_overlay(text: str, origin: str) -> Overlay:
    """Validate overlay text; errors name the file, line and the entry's path."""
    raw = load_yaml(text, origin)
    try:
        overlay = Overlay.model_validate(raw)
        overlay._origin = origin
        return overlay
    except ValidationError as exc:
        errors = exc.errors()
        # An unknown key is the likely cause of a "missing" one (a typo): report it first.
        err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        loc = tuple(err["loc"])
        try:
            node = _node_at(yaml.compose(text, Loader=yaml.SafeLoader), loc)
        except yaml.YAMLError:
            node = None
        line = f"line {node.start_mark.line + 1}, " if node is not None else ""
        dotted = ".".join(str(p) for p in loc) or "(top)"
        more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        hint = (
            f": unknown key {loc[-1]!r} (a typo?)"
            if err["type"] == "extra_forbidden" and loc
            else ""
        )
        raise CodegenError(origin, f"{line}{dotted}", f"{err['msg']}{hint}{more}") from exc


def load_overlay(path: Path = OVERLAY_FILE) -> tuple[Overlay, str]:
    """Return the overlay and its text (the text's sha256 goes into generated headers)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CodegenError(str(path), "", f"cannot read the overlay: {exc.strerror}") from exc
    return parse_overlay(text, str(path)), text
