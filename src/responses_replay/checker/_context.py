"""The one pass over `input` and what every rule reads from it: mode, kinds, ids, findings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .._generated.registry import INPUT_FIELDS, OUTPUT_OF
from .._kind import CALLER_ROLES, item_kind
from .._rules import CONFIGURATION_UPDATE
from ._finding import Finding, Severity

# Items the caller writes; every other known input type came from the model.
CALLER_TYPES = frozenset(OUTPUT_OF) | {
    "item_reference",
    "compaction_trigger",
    "additional_tools",
    "mcp_approval_response",
    CONFIGURATION_UPDATE,
}
MODEL_TYPES = frozenset(INPUT_FIELDS) - CALLER_TYPES - {"message"}
#: the `content` types `fast` may see (see `codegen/checker_schema.messages_by_role`); another goes to `exact`
_TEXTS = (str, list, tuple)
_RULE_ORDER = {f"R{i}": i for i in range(1, 16)}


@dataclass(frozen=True, slots=True)
class Mode:
    """How the request is chained (see api-errors.md, "the three chaining modes")."""

    stateless: bool  # store=false: nothing is looked up server-side
    chained: bool  # previous_response_id= or conversation=: the input is a delta
    include_encrypted: bool

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Mode:
        include = data.get("include")
        return cls(
            stateless=data.get("store") is False,
            chained=data.get("previous_response_id") is not None
            or data.get("conversation") is not None,
            include_encrypted=isinstance(include, list)
            and "reasoning.encrypted_content" in include,
        )


@dataclass
class Context:
    """A request body as the rules see it, built in one pass over its items."""

    data: Mapping[str, Any]
    items: list[Any]
    mode: Mode
    #: each item's kind (`item_kind`), None for a non-object or an unusable tag
    kinds: list[str | None] = field(default_factory=list)
    #: kind -> the indices of the items of that kind, in order
    by_kind: dict[str | None, list[int]] = field(default_factory=dict)
    #: (index, id) of the items whose `id` is a string, in order
    ids: list[tuple[int, str]] = field(default_factory=list)
    id_of: dict[int, str] = field(default_factory=dict)
    #: every item's `type` (or, without one, its `role`) is a string, and every message's `role`
    #: too, its `content` a string or a list: see `_shape.validate_items`
    plain_tags: bool = True
    #: schema errors a replay rule already explains: (index, field) and whole items
    skip_missing: set[tuple[int, str]] = field(default_factory=set)
    skip_items: set[int] = field(default_factory=set)
    #: the schema pass's result, computed once (see `_schema.groups`)
    schema_groups: tuple[list[Any], int] | None = None
    _found: list[tuple[int, int, Finding]] = field(default_factory=list)
    _seen: set[tuple[str, str, str]] = field(default_factory=set)

    @classmethod
    def scan(cls, data: Mapping[str, Any], items: list[Any]) -> Context:
        ctx = cls(data, items, Mode.of(data))
        kinds, by_kind, ids = ctx.kinds, ctx.by_kind, ctx.ids
        plain = True
        for i, item in enumerate(items):
            if type(item) is dict:
                kind = item.get("type")
                if type(kind) is not str:  # item_kind's answer; a string tag is its own answer
                    plain = plain and kind is None and type(item.get("role")) is str
                    kind = item_kind(item)
                if kind == "message" and plain:  # `fast` tells messages apart by role, content
                    plain = type(item.get("role")) is str and type(item.get("content")) in _TEXTS
                value = item.get("id")
                if value is not None and type(value) is str and kind is not None:
                    ids.append((i, value))
            else:
                kind = None
            kinds.append(kind)
            group = by_kind.get(kind)
            if group is None:
                by_kind[kind] = [i]
            else:
                group.append(i)
        ctx.id_of = dict(ids)
        ctx.plain_tags = plain
        return ctx

    # -- what the rules ask about an item -------------------------------------------------------

    def item(self, i: int) -> dict[str, Any]:
        """The item at `i` (only called for indices whose kind is known: always an object)."""
        item: dict[str, Any] = self.items[i]
        return item

    def item_id(self, i: int) -> str:
        """The item's `id` when it is a string, else ``""``."""
        return self.id_of.get(i, "")

    def indices(self, *kinds: str) -> list[int]:
        """Indices of the items of any of these kinds, in order."""
        if len(kinds) == 1:
            return self.by_kind.get(kinds[0], [])
        return sorted(i for k in kinds for i in self.by_kind.get(k, ()))

    def from_model(self, i: int) -> bool:
        """The item came from the model (an output item replayed), not from the caller."""
        kind = self.kinds[i]
        if kind == "message":
            role = self.items[i].get("role")
            return not (type(role) is str and role in CALLER_ROLES)
        return kind in MODEL_TYPES

    @cached_property
    def has_reference(self) -> bool:
        """Some item is sent by reference: what it stands for is unknown here."""
        return "item_reference" in self.by_kind

    # -- findings -------------------------------------------------------------------------------

    def add(
        self,
        index: int,
        rule: str,
        path: str,
        message: str,
        fix: str,
        severity: Severity = "error",
    ) -> None:
        """Report a finding once (same rule, path and message: once)."""
        key = (rule, path, message)
        if key in self._seen:
            return
        self._seen.add(key)
        self._found.append(
            (index, _RULE_ORDER.get(rule, 99), Finding(rule, path, message, fix, severity))
        )

    def findings(self) -> list[Finding]:
        """Every finding, in input order, rules in number order within an item."""
        return [f for _, _, f in sorted(self._found, key=lambda t: (t[0], t[1]))]
