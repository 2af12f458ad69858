"""What every repair step shares: `Repair` (one change reported), the repairer's state, and the
small helpers the rules use (a value shown short, an id the server gave, an item read as data).

The repairs themselves: `_repair_keys` (R1, one item's keys and nested nulls), `_repair_list`
(R2-R5, over the item list); the driver is `repairer.repair`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from ._generated.registry import ID_PREFIXES
from ._parse import as_plain


@dataclass(frozen=True, slots=True)
class Repair:
    """One change `repair` made: the rule, where (a path in the body as given), what, and why."""

    rule: str
    path: str
    action: str
    why: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.path}: {self.rule} repaired: {self.action} ({self.why})"


def show(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return (
        (text[:60] + "…" if len(text) > 61 else text).encode("utf-8", "backslashreplace").decode()
    )


def server_id(kind: str | None, value: object) -> bool:
    """An id the server gave an item of this kind (its prefix, per the overlay's R11 table)."""
    prefixes = ID_PREFIXES.get(kind or "")
    return bool(prefixes) and isinstance(value, str) and value.split("_", 1)[0] in (prefixes or ())


def same(a: Any, b: Any) -> bool:
    """Equal items (key order aside); one nested too deeply to compare is not the same."""
    try:
        return bool(a == b)
    except RecursionError:
        return False


def plain_item(item: Any) -> Any:
    """An item as JSON-like data: dicts as they are, SDK objects dumped the way `check` reads them."""
    if type(item) is dict:
        return item
    if isinstance(item, Mapping):
        return dict(item)
    if isinstance(item, str | bytes | bytearray | memoryview):
        return item  # not an item: reported by check, never parsed here
    try:
        return as_plain(item)
    except Exception:  # an object we cannot read: check reports it as it is
        return item


class RepairState:
    """The repairs made so far, and what they need to know about the body."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.chained = data.get("previous_response_id") is not None or (
            data.get("conversation") is not None
        )
        self.stateless = data.get("store") is False
        self.done: list[tuple[int, Repair]] = []  # (index in the body as given, repair)
        self.owned: set[int] = set()  # ids of containers made here (safe to change in place)
        self.nested_drops: list[tuple[dict[str, Any], str, str, Repair]] = []

    def note(self, index: int, rule: str, path: str, action: str, why: str) -> None:
        self.done.append((index, Repair(rule, path, action, why)))
