"""R2-R5 repairs over the item list: items the server already holds or sent twice, references to
items the body carries, reasoning that nothing it produced follows, ids stripped together."""

from __future__ import annotations

from typing import Any

from ._generated.registry import HOSTED_CALLS, INPUT_FIELDS, NESTED_OUTPUT_ONLY, OUTPUT_OF
from ._kind import CALLER_ROLES, item_kind
from ._repair_base import plain_item, same, server_id, show
from ._repair_keys import DROP_VALUES, KeyRepairs

# Item types the caller writes (tool outputs, references, approvals, ...): never dropped as "already
# held by the server" (R2). Compaction items are the client's to place, so they stay too.
_CALLER_TYPES = frozenset(OUTPUT_OF) | {
    "item_reference",
    "compaction_trigger",
    "additional_tools",
    "compaction",
}
_MODEL_TYPES = frozenset(INPUT_FIELDS) - _CALLER_TYPES - {"message"}
# What a reasoning item cannot have produced: the item after it must be one of its response (R4).
_NOT_PRODUCED = frozenset(OUTPUT_OF) | {"reasoning"}


class ListRepairs(KeyRepairs):
    """The repairs over the whole item list (R2-R5), with R1 on each item as it passes."""

    # -- the item list (R2, R3, R4, R5) --------------------------------------------------------

    def items(self, raw: list[Any]) -> tuple[list[Any], list[int]]:
        """The repaired list, and for each of its items the index it had in the body as given."""
        items: list[Any] = []
        kinds: list[str | None] = []
        model: list[bool] = []  # produced by the model (a chained request must not resend it)
        keep: list[bool] = []
        seen: dict[str, int] = {}  # id -> first index carrying it
        chained, refs = self.chained, False
        fields, model_types, caller_roles = INPUT_FIELDS, _MODEL_TYPES, CALLER_ROLES
        rare = frozenset(DROP_VALUES) | frozenset(NESTED_OUTPUT_ONLY)
        # One pass, cheap for the common item (all keys known, no null); the rare ones do the work.
        for i, item in enumerate(raw):
            if type(item) is not dict:
                item = plain_item(item)
                if type(item) is not dict:
                    items.append(item)
                    kinds.append(None)
                    model.append(False)
                    keep.append(True)
                    continue
            tag = item.get("type")
            kind = tag if type(tag) is str else item_kind(item)
            if kind == "message":
                by_model = item.get("role") not in caller_roles
            else:
                by_model = kind in model_types
            if (
                kind is not None
                and (by_model or kind != "message")
                and (known := fields.get(kind)) is not None
                and (not item.keys() <= known or None in item.values() or kind in rare)
            ):
                item = self.keys(i, item, kind)
            items.append(item)
            kinds.append(kind)
            model.append(by_model)
            item_id = item.get("id")
            if type(item_id) is not str or not item_id:
                keep.append(True)
                continue
            if chained and by_model and server_id(kind, item_id):
                keep.append(False)
                self.note(
                    i, "R2", f"input[{i}]", f"dropped the {kind} item {show(item_id)}",
                    "the previous response or the conversation already holds the model's items",
                )  # fmt: skip
                continue
            first = seen.setdefault(item_id, i)
            if first != i and same(items[first], item):
                keep.append(False)
                self.note(
                    i, "R2", f"input[{i}]", f"dropped an exact copy of input[{first}]",
                    f"one id ({show(item_id)}) is sent once per request",
                )  # fmt: skip
                continue
            keep.append(True)
            refs = refs or kind == "item_reference" or item.keys() <= {"id", "type"}
        if refs:
            self.references(items, kinds, keep)
        if "reasoning" in kinds:
            self.reasoning(items, kinds, model, keep)
        origin = [i for i, k in enumerate(keep) if k]
        if len(origin) < len(keep):  # a dropped item's own repairs say nothing any more
            gone = {f"input[{i}]" for i, k in enumerate(keep) if not k}
            self.done = [(i, r) for i, r in self.done if keep[i] or r.path in gone]
        return [items[i] for i in origin], origin

    def references(self, items: list[Any], kinds: list[str | None], keep: list[bool]) -> None:
        """A reference whose full item this body also carries is dropped: it adds nothing.

        Under store=false nothing is looked up (R3); otherwise it is the same id twice (R2).
        """
        full: dict[str, int] = {}
        refs: list[int] = []
        # approval request id -> the mcp_approval_response answering it
        answered: dict[str, int] = {}
        for i, item in enumerate(items):
            if self.chained and kinds[i] == "mcp_approval_response" and keep[i]:
                request = item.get("approval_request_id")
                if type(request) is str:
                    answered.setdefault(request, i)
            if not keep[i] or type(item) is not dict or type(item.get("id")) is not str:
                continue
            if kinds[i] == "item_reference" or item.keys() <= {"id", "type"}:
                refs.append(i)
            else:
                full.setdefault(item["id"], i)
        rule, why = (
            ("R3", "under store=false nothing is looked up")
            if self.stateless
            else ("R2", "one id is sent once per request")
        )
        for i in refs:
            where = full.get(items[i]["id"])
            if where is None and kinds[i] == "item_reference" and items[i]["id"] in answered:
                # the chain holds the approval request this request answers (vercel/ai PR 18693)
                keep[i] = False
                self.note(
                    i, "R2", f"input[{i}]", f"dropped the reference to {show(items[i]['id'])}",
                    f"the approval request input[{answered[items[i]['id']]}] answers is already "
                    "stored (previous_response_id/conversation)",
                )  # fmt: skip
                continue
            if where is not None:
                keep[i] = False
                self.note(
                    i, rule, f"input[{i}]", f"dropped the reference to {show(items[i]['id'])}",
                    f"{why}; the full item is at input[{where}]",
                )  # fmt: skip

    def reasoning(
        self, items: list[Any], kinds: list[str | None], model: list[bool], keep: list[bool]
    ) -> None:
        """R4 and R5, over the segments a reasoning item starts.

        R4: a reasoning item that nothing it produced follows (a response cut short ends with its
        reasoning; then comes the reasoning of the next response, a caller's message, a tool
        output, or the end) is dropped. R5: in a segment whose reasoning item lost its id, the
        other ids are stripped too, when the reasoning item carries `encrypted_content` (it stands
        without its id); hosted-tool calls keep theirs (R10). A lost id is never invented.
        """
        pending = -1  # a kept reasoning item not yet followed by anything
        segment = -1  # an id-less reasoning item with encrypted_content whose segment is open
        for i, item in enumerate(items):
            if not keep[i]:
                continue
            kind = kinds[i]
            if pending >= 0 and (kind in _NOT_PRODUCED or (kind == "message" and not model[i])):
                self._alone(pending, items[pending], keep)
            pending = -1
            if kind == "reasoning":
                pending = i
                enc = item.get("encrypted_content")
                bare = item.get("id") is None and isinstance(enc, str) and bool(enc)
                segment = i if bare else -1
            elif segment < 0 or not model[i]:
                segment = -1
            elif kind not in HOSTED_CALLS and server_id(kind, item.get("id")):
                self.note(
                    i, "R5", f"input[{i}].id", f"stripped `id` {show(item['id'])}",
                    f"the reasoning item at input[{segment}] has none: a response's ids are kept "
                    "or stripped together",
                )  # fmt: skip
                items[i] = {k: v for k, v in item.items() if k != "id"}
        if pending >= 0:
            self._alone(pending, items[pending], keep)

    def _alone(self, i: int, item: dict[str, Any], keep: list[bool]) -> None:
        keep[i] = False
        item_id = item.get("id")
        name = show(item_id) if isinstance(item_id, str) else f"input[{i}]"
        self.note(
            i, "R4", f"input[{i}]", f"dropped the reasoning item {name}",
            "nothing it produced follows it (the end of a response cut short)",
        )  # fmt: skip
