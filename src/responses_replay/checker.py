"""The request checker: every replay error of a `POST /v1/responses` body, before it is sent.

`check(body)` returns findings; each names the rule of `api-errors.md` (R1..R13), the JSON path,
the message the API would answer and the fix. Errors are rejections the API is known to answer;
warnings are shapes it answers inconsistently or that break the next turn.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

from pydantic_core import ErrorDetails

from ._errors import InputError, ReplayError, locate
from ._generated.registry import (
    CALLS,
    HOSTED_CALLS,
    ID_PREFIXES,
    INPUT_FIELDS,
    NEVER_NULL,
    OUTPUT_OF,
    OUTPUT_ONLY,
)
from ._parse import as_plain, pausing_gc
from ._shape import REQUIRED, validate_items

__all__ = ["Finding", "ReplayCheckError", "Severity", "check", "check_or_raise"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One replay problem: rule (`R1`..`R13`), JSON path, the API's message, a one-sentence fix."""

    rule: str
    path: str
    message: str
    fix: str
    severity: Severity = "error"

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{where}{self.rule} {self.severity}: {self.message} Fix: {self.fix}"


class ReplayCheckError(ReplayError, ValueError):
    """A request body with error findings; `findings` holds all of them (warnings too)."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings: tuple[Finding, ...] = tuple(findings)
        errors = [f for f in self.findings if f.severity == "error"] or list(self.findings)
        first = errors[0]
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first.rule, first.path, first.message + more)

    def __str__(self) -> str:
        return "\n".join(str(f) for f in self.findings)


# Items the client writes; everything else in `input` came from the model (R2 in a chained request).
_CLIENT_TYPES = frozenset(OUTPUT_OF) | {
    "item_reference",
    "compaction_trigger",
    "additional_tools",
    "mcp_approval_response",
}
_CLIENT_ROLES = frozenset({"user", "system", "developer"})
_AUTHORED_TYPES = frozenset(INPUT_FIELDS) - _CLIENT_TYPES - {"message"}
# Calls the API is known to refuse unanswered (R7); for the others it is not proven: a warning.
_MUST_ANSWER = frozenset(
    {
        "function_call",
        "custom_tool_call",
        "computer_call",
        "local_shell_call",
        "shell_call",
        "apply_patch_call",
    }
)
_ID_CHARS = re.compile(r"[A-Za-z0-9_-]+")
_INPUT_TYPES = sorted(t for t in INPUT_FIELDS)
_MAX_SCHEMA_FINDINGS = 1000
_RULE_ORDER = {f"R{i}": i for i in range(1, 14)}

_STORE_SENTENCE = (
    "Items are not persisted when `store` is set to false. Try again with `store` set to true, "
    "or remove this item from your input."
)


def _show(value: Any, limit: int = 80) -> str:
    """A value as it may appear in a message: bounded, and printable (no lone surrogates)."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _quote_list(values: Iterable[str]) -> str:
    quoted = [f"'{v}'" for v in values]
    if len(quoted) <= 2:
        return " and ".join(quoted)
    return ", ".join(quoted[:-1]) + ", and " + quoted[-1]


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


_EXPECTED_KIND = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "a boolean",
    "bool_parsing": "a boolean",
    "list_type": "an array",
    "tuple_type": "an array",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "none_required": "null",
}


@dataclass(frozen=True, slots=True)
class _Mode:
    stateless: bool  # store=false: nothing is looked up server-side
    chained: bool  # previous_response_id= or conversation=: the input is a delta
    include_encrypted: bool


def _item_kind(item: dict[str, Any]) -> str | None:
    tag = item.get("type")
    if isinstance(tag, str):
        return tag
    if tag is None:
        if "role" in item:
            return "message"
        if "id" in item:
            return "item_reference"
    return None


def _model_authored(kind: str | None, item: dict[str, Any]) -> bool:
    if kind is None or kind in _CLIENT_TYPES:
        return False
    if kind == "message":
        return item.get("role") not in _CLIENT_ROLES
    return kind in INPUT_FIELDS


def _server_id(kind: str, value: str) -> bool:
    prefixes = ID_PREFIXES.get(kind)
    return bool(prefixes) and value.split("_", 1)[0] in (prefixes or ())


class _Checker:
    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.found: list[tuple[int, int, Finding]] = []
        self.seen: set[tuple[str, str, str]] = set()

    def add(
        self,
        index: int,
        rule: str,
        path: str,
        message: str,
        fix: str,
        severity: Severity = "error",
    ) -> None:
        key = (rule, path, message)
        if key in self.seen:
            return
        self.seen.add(key)
        self.found.append(
            (index, _RULE_ORDER.get(rule, 99), Finding(rule, path, message, fix, severity))
        )

    def findings(self) -> list[Finding]:
        return [f for _, _, f in sorted(self.found, key=lambda t: (t[0], t[1]))]

    # -- request level -------------------------------------------------------------------------

    def mode(self) -> _Mode:
        data = self.data
        store = data.get("store")
        if store is not None and not isinstance(store, bool):
            self.add(
                -1,
                "R13",
                "store",
                f"Invalid type for 'store': expected a boolean, but got {_json_kind(store)} instead.",
                "Send `store` as true or false.",
            )
        prev = data.get("previous_response_id")
        conv = data.get("conversation")
        if prev is not None and conv is not None:
            self.add(
                -1,
                "R8",
                "conversation",
                "Mutually exclusive parameters. Ensure you are only providing one of: "
                "'previous_response_id' or 'conversation'.",
                "Chain with either `previous_response_id` or `conversation`, not both.",
            )
        include = data.get("include")
        included = isinstance(include, list) and "reasoning.encrypted_content" in include
        return _Mode(
            stateless=store is False,
            chained=prev is not None or conv is not None,
            include_encrypted=included,
        )

    # -- items ---------------------------------------------------------------------------------

    def items(self, items: list[Any], mode: _Mode) -> None:
        skip_missing: set[tuple[int, str]] = set()  # (index, field) reported by a replay rule
        skip_items: set[int] = set()
        ids: dict[str, int] = {}
        calls: dict[tuple[str, str], int] = {}  # (call type, call key value) -> index
        call_item_ids: dict[tuple[str, str], str] = {}  # (call type, item id) -> its call key value
        answered: set[tuple[str, str]] = set()
        outputs: dict[tuple[str, str], int] = {}  # (call type, call key value) -> first output
        has_reference = False
        prev_kind: str | None = None
        prev_index = -1
        segment: int | None = None  # index of an id-less reasoning item whose segment is open
        encrypted_seen = -1
        chained, stateless = mode.chained, mode.stateless
        authored_types, client_roles, hosted = _AUTHORED_TYPES, _CLIENT_ROLES, HOSTED_CALLS

        # One pass, cheap for the common item (a message or a call without id); the rare cases
        # (ids, reasoning, calls) do the work.
        for i, item in enumerate(items):
            if type(item) is not dict:
                prev_kind, prev_index, segment = None, i, None
                continue
            tag = item.get("type")
            if tag is None:
                kind = "message" if "role" in item else "item_reference" if "id" in item else None
            else:
                kind = tag if type(tag) is str else None
            if kind == "message":
                authored = item.get("role") not in client_roles
            else:
                authored = kind in authored_types
            raw_id = item.get("id")
            has_id = type(raw_id) is str
            item_id: str = raw_id if type(raw_id) is str else ""

            if has_id and kind is not None:
                self._ids(i, kind, item_id, ids)
                if kind == "item_reference":
                    has_reference = True
            if raw_id is None and kind in hosted:
                skip_missing.add((i, "id"))
                self._r10(i, kind)
            if chained and authored:
                self._r2_chained(i, kind, item_id)
            if stateless and (has_id or kind == "reasoning"):
                if self._r3(i, kind, item, item_id):
                    if kind != "reasoning":
                        skip_items.add(i)
                elif kind == "reasoning":
                    encrypted_seen = i
            if kind == "reasoning" or kind == "compaction":
                self._r12(i, item, item_id)

            # R4: a reasoning item is followed by the item it produced.
            # R5: ids of one response are kept or stripped together.
            if kind == "reasoning":
                if prev_kind == "reasoning":
                    self._r4(prev_index, items[prev_index])
                segment = None if has_id else i
            elif not authored:
                segment = None
            elif segment is not None and has_id and kind not in hosted:
                self._r5(i, kind, item_id, segment)

            # R6/R7: calls and outputs pair up.
            if kind in CALLS:
                value = item.get(CALLS[kind][1])
                if type(value) is str:
                    first = calls.setdefault((kind, value), i)
                    if first != i and not (has_id and items[first].get("id") == item_id):
                        self._shared_call_key(i, kind, value, first)
                    if has_id:
                        call_item_ids[(kind, item_id)] = value
            elif kind in OUTPUT_OF:
                call_kind = OUTPUT_OF[kind]
                value = item.get(CALLS[call_kind][2])
                if type(value) is str:
                    first = outputs.setdefault((call_kind, value), i)
                    if first != i:
                        self._second_output(i, kind, value, first)
                    if (call_kind, value) in calls:
                        answered.add((call_kind, value))
                    elif not chained:
                        self._r6(i, kind, call_kind, value, call_item_ids, has_reference)

            prev_kind, prev_index = kind, i

        if prev_kind == "reasoning":
            self._r4(prev_index, items[prev_index])
        if not mode.chained:
            for (call_kind, value), i in calls.items():
                if (call_kind, value) in answered:
                    continue
                self.add(
                    i,
                    "R7",
                    f"input[{i}]",
                    f"No tool output found for {call_kind.replace('_', ' ')} {_show(value)}.",
                    f"Answer every pending {CALLS[call_kind][1]} with one "
                    f"{CALLS[call_kind][0]} after the call, in this request.",
                    "error" if call_kind in _MUST_ANSWER and not has_reference else "warning",
                )
        if mode.stateless and encrypted_seen >= 0 and not mode.include_encrypted:
            self.add(
                -1,
                "R3",
                "include",
                "`store` is false but `include` lacks 'reasoning.encrypted_content': this "
                "response's reasoning items will come back without it and cannot be replayed.",
                "Add include=['reasoning.encrypted_content'] to every store=false request.",
                "warning",
            )
        self.schema(items, skip_missing, skip_items)

    def _ids(self, i: int, kind: str, item_id: str, ids: dict[str, int]) -> None:
        """R11: an id is the server's (right charset, right prefix) or absent; R2: one id, one item."""
        here = f"input[{i}]"
        if not _ID_CHARS.fullmatch(item_id):
            self.add(
                i,
                "R11",
                f"{here}.id",
                f"Invalid '{here}.id': '{_show(item_id)}'. Expected an ID that contains letters, "
                "numbers, underscores, or dashes, but this value contained additional characters.",
                "Send the server's id unchanged, or leave `id` out.",
            )
        elif kind in ID_PREFIXES and not _server_id(kind, item_id):
            expected = " or ".join(f"'{p}'" for p in ID_PREFIXES[kind])
            self.add(
                i,
                "R11",
                f"{here}.id",
                f"Invalid '{here}.id': '{_show(item_id)}'. Expected an ID that begins with "
                f"{expected}.",
                f"Leave `id` out: a {kind} id is the server's and begins with {expected}.",
            )
        first = ids.setdefault(item_id, i)
        if first != i and item_id:
            self.add(
                i,
                "R2",
                f"{here}.id",
                f"Duplicate item found with id {_show(item_id)}. Remove duplicate items from your "
                "input and try again.",
                f"Send the item once (it is already at input[{first}]).",
            )

    def _r10(self, i: int, kind: str) -> None:
        self.add(
            i,
            "R10",
            f"input[{i}].id",
            f"Missing required parameter: 'input[{i}].id'.",
            f"Keep the server's id on a {kind} item, even when other ids are stripped.",
        )

    def _r2_chained(self, i: int, kind: str | None, item_id: str) -> None:
        """R2: a chained request carries only the delta, never the model's items again."""
        if item_id:
            self.add(
                i,
                "R2",
                f"input[{i}].id",
                f"Duplicate item found with id {_show(item_id)}. Remove duplicate items from your "
                "input and try again.",
                "With previous_response_id/conversation send only new user messages and tool "
                "outputs; the model's items are already stored.",
            )
        elif kind != "message":  # an assistant message without id may be the client's own text
            self.add(
                i,
                "R2",
                f"input[{i}]",
                f"A {kind} item in a chained request: the previous response's items are already "
                "stored server-side.",
                "With previous_response_id/conversation send only new user messages and tool "
                "outputs.",
                "warning",
            )

    def _r3(self, i: int, kind: str | None, item: dict[str, Any], item_id: str) -> bool:
        """R3 under store=false: nothing is looked up. True when the item was reported."""
        here = f"input[{i}]"
        if item_id and (kind == "item_reference" or item.keys() <= {"id", "type"}):
            fix = "Under store=false send the full item (reasoning with encrypted_content), never a reference."
        elif kind == "reasoning":
            enc = item.get("encrypted_content")
            if isinstance(enc, str) and enc:
                return False
            fix = (
                "Request include=['reasoning.encrypted_content'] and replay the reasoning item "
                "with its encrypted_content."
            )
            if not item_id:
                self.add(
                    i,
                    "R3",
                    here,
                    f"Reasoning item {here} has neither an id the server can find nor "
                    "encrypted_content; items are not persisted when `store` is set to false.",
                    fix,
                )
                return True
        else:
            return False
        self.add(
            i, "R3", here, f"Item with id '{_show(item_id)}' not found. {_STORE_SENTENCE}", fix
        )
        return True

    def _r12(self, i: int, item: dict[str, Any], item_id: str) -> None:
        if item.get("encrypted_content") == "":
            self.add(
                i,
                "R12",
                f"input[{i}].encrypted_content",
                f"The encrypted content for item {_show(item_id) or f'input[{i}]'} could not be "
                "verified.",
                "Replay encrypted_content exactly as the final response (or "
                "response.output_item.done) returned it.",
                "warning",
            )

    def _r5(self, i: int, kind: str | None, item_id: str, segment: int) -> None:
        if kind is None or not _server_id(kind, item_id):
            return
        self.add(
            i,
            "R5",
            f"input[{i}].id",
            f"Item '{_show(item_id)}' of type '{kind}' was provided without its required "
            "'reasoning' item.",
            f"Keep the id of the reasoning item at input[{segment}], or strip the ids of every "
            "item of that response.",
        )

    def _r4(self, index: int, item: dict[str, Any]) -> None:
        item_id = item.get("id")
        name = _show(item_id) if isinstance(item_id, str) else f"input[{index}]"
        self.add(
            index,
            "R4",
            f"input[{index}]",
            f"Item '{name}' of type 'reasoning' was provided without its required following item.",
            "Replay a response's output whole and in order; if the item after a reasoning item is "
            "dropped (or the response ended with it), drop the reasoning item too.",
        )

    def _second_output(self, i: int, kind: str, value: str, first: int) -> None:
        """R7: exactly one output per call; a second one for the same call is not a retry."""
        key = CALLS[OUTPUT_OF[kind]][2]
        self.add(
            i,
            "R7",
            f"input[{i}].{key}",
            f"A second {kind} for {key} {_show(value)} (the first is input[{first}]).",
            f"Send exactly one {kind} per {key}: merge the results into the first one and drop "
            "this item.",
            "warning",
        )

    def _shared_call_key(self, i: int, kind: str, value: str, first: int) -> None:
        """Two different calls under one call key: their outputs cannot be told apart (R6, R7)."""
        key = CALLS[kind][1]
        self.add(
            i,
            "R7",
            f"input[{i}].{key}",
            f"{key} {_show(value)} is already used by the {kind} at input[{first}]: an output "
            "for it answers both calls or neither.",
            f"Keep the {key} the API gave each call; never reuse or invent one.",
            "warning",
        )

    def _r6(
        self,
        i: int,
        kind: str,
        call_kind: str,
        value: str,
        call_item_ids: dict[tuple[str, str], str],
        has_reference: bool,
    ) -> None:
        _, call_key, out_key = CALLS[call_kind]
        real = call_item_ids.get((call_kind, value))
        if real is not None:
            fix = (
                f"Use the call's {call_key} ('{_show(real)}'), not its item id, as the "
                f"output's {out_key}."
            )
        else:
            fix = (
                f"Send the {call_kind} (with its {call_key}) before its output, or chain with "
                "previous_response_id."
            )
        self.add(
            i,
            "R6",
            f"input[{i}].{out_key}",
            f"No tool call found for {kind.replace('_', ' ')} with {out_key} {_show(value)}.",
            fix,
            "warning" if has_reference else "error",
        )

    # -- schema (R1, R13) ----------------------------------------------------------------------

    def schema(
        self, items: list[Any], skip_missing: set[tuple[int, str]], skip_items: set[int]
    ) -> None:
        errors = validate_items(items)
        if not errors:
            return
        grouped: dict[str, list[tuple[ErrorDetails, Any, str | None]]] = {}
        order: list[str] = []
        for err in errors:
            loc = tuple(err["loc"])
            if not loc or not isinstance(loc[0], int):
                continue
            index = loc[0]
            if index in skip_items:
                continue
            path, value, field = _resolve(items, loc)
            if field is not None and len(path.split(".")) == 2 and (index, field) in skip_missing:
                continue
            if path not in grouped:
                grouped[path] = []
                order.append(path)
            grouped[path].append((err, value, field))
        for count, path in enumerate(order):
            if count >= _MAX_SCHEMA_FINDINGS:
                self.add(
                    len(items),
                    "R13",
                    "input",
                    f"{len(order) - count} more schema violations not shown.",
                    "Fix the violations above and check again.",
                )
                break
            self._schema_finding(items, path, grouped[path])

    def _schema_finding(
        self, items: list[Any], path: str, errs: list[tuple[ErrorDetails, Any, str | None]]
    ) -> None:
        err, value, field = errs[0]
        loc = tuple(err["loc"])
        index = loc[0] if isinstance(loc[0], int) else -1
        item = items[index] if 0 <= index < len(items) else None
        kind = _item_kind(item) if isinstance(item, dict) else None
        etype = err["type"]
        if etype == "extra_forbidden":
            self.add(index, "R1", path, f"Unknown parameter: '{path}'.", _r1_fix(kind, path, field))
            return
        top_level = path.count(".") == 1 and path.startswith(f"input[{index}].")
        if value is None and etype != "missing" and field is not None:
            member = next((p for p in loc[1:2] if isinstance(p, str)), "")
            if top_level and field in REQUIRED.get(member, frozenset()):
                self.add(
                    index,
                    "R13",
                    path,
                    f"Invalid type for '{path}': expected {_expected(errs)}, but got null instead.",
                    f"Send a value for `{field}`; it is required.",
                )
                return
            # A null on a key the input side knows: sometimes accepted (see api-errors.md R1).
            never = kind is not None and field in NEVER_NULL.get(kind, frozenset())
            self.add(
                index,
                "R1",
                path,
                f"Unknown parameter: '{path}'.",
                f"Leave `{field}` out instead of sending null"
                + (f" (a {kind} never carries a null {field})." if never else "."),
                "warning",
            )
            return
        if etype in ("union_tag_not_found", "union_tag_invalid"):
            self._bad_tag(index, path, value, err)
            return
        if etype == "missing":
            self.add(
                index,
                "R13",
                path,
                f"Missing required parameter: '{path}'.",
                f"Add `{field}` to this {kind or 'item'}.",
            )
            return
        if etype == "literal_error":
            expected = _literal_values(err)
            rule_fix = (
                "Use an input-side role: assistant, system, developer or user (tool results are "
                "function_call_output items)."
                if field == "role"
                else f"Use one of the values the input side accepts for `{field}`."
            )
            self.add(
                index,
                "R13",
                path,
                f"Invalid value: '{_show(value)}'. Supported values are: {expected}.",
                rule_fix,
            )
            return
        if all(e["type"] in _EXPECTED_KIND for e, _, _ in errs):
            self.add(
                index,
                "R13",
                path,
                f"Invalid type for '{path}': expected {_expected(errs)}, but got "
                f"{_json_kind(value)} instead.",
                f"Send `{path}` as {_expected(errs)}.",
            )
            return
        self.add(
            index,
            "R13",
            path,
            f"Invalid value for '{path}': {_show(err['msg'], 200)}.",
            "Send the field as the Input models define it.",
        )

    def _bad_tag(self, index: int, path: str, value: Any, err: ErrorDetails) -> None:
        if not isinstance(value, Mapping):
            self.add(
                index,
                "R13",
                path,
                f"Invalid type for '{path}': expected an object, but got {_json_kind(value)} instead.",
                "Send each item as a JSON object.",
            )
            return
        tag = value.get("type")
        ctx = err.get("ctx") or {}
        expected_raw = ctx.get("expected_tags")
        if isinstance(expected_raw, str):
            expected = _quote_list(sorted(t.strip().strip("'") for t in expected_raw.split(",")))
        else:
            expected = _quote_list(_INPUT_TYPES)
        if tag is None:
            self.add(
                index,
                "R13",
                f"{path}.type",
                f"Missing required parameter: '{path}.type'.",
                "Give the item a `type` (or a `role` for a message).",
            )
            return
        self.add(
            index,
            "R13",
            f"{path}.type",
            f"Invalid value: '{_show(tag)}'. Supported values are: {expected}.",
            "Use a type the input side accepts; output-only types cannot be replayed.",
        )


def _resolve(items: list[Any], loc: tuple[int | str, ...]) -> tuple[str, Any, str | None]:
    """Error location -> (JSON path, the value there, the last field name); union tags skipped."""
    return locate("input", loc, items)


def _expected(errs: list[tuple[ErrorDetails, Any, str | None]]) -> str:
    kinds: list[str] = []
    for err, _, _ in errs:
        kind = _EXPECTED_KIND.get(err["type"])
        if kind and kind not in kinds:
            kinds.append(kind)
    if not kinds:
        return "a valid value"
    if len(kinds) == 1:
        return kinds[0]
    return "one of " + ", ".join(kinds[:-1]) + " or " + kinds[-1]


def _literal_values(err: ErrorDetails) -> str:
    ctx = err.get("ctx") or {}
    raw = str(ctx.get("expected", ""))
    values = re.findall(r"'((?:[^'\\]|\\.)*)'", raw)
    return _quote_list(values) if values else raw


def _r1_fix(kind: str | None, path: str, field: str | None) -> str:
    name = field or path.rsplit(".", 1)[-1]
    if kind is not None and name in OUTPUT_ONLY.get(kind, frozenset()):
        return f"Drop `{name}`: it is output-only on a {kind} item."
    if name.endswith("_") and kind is not None and name[:-1] in INPUT_FIELDS.get(kind, frozenset()):
        return f"Send the API's key name `{name[:-1]}`, not the SDK attribute `{name}`."
    if name in ("created_by", "cache_control", "phase"):
        return f"Drop `{name}`: the input side does not accept it here."
    return f"Drop `{name}`: the input side of this item has no such field."


def _load(body: Any) -> Mapping[str, Any]:
    if isinstance(body, bytes | bytearray | memoryview):
        raw = bytes(body)
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"the request body is not valid UTF-8 (byte {exc.start}: {exc.reason})"
            ) from None
        body = raw
    try:
        data = as_plain(body, "the request body")
    except RecursionError:
        raise InputError("the request body is nested too deeply to read") from None
    if not isinstance(data, Mapping):
        raise InputError(f"the request body must be a JSON object, got {_json_kind(data)}")
    return data


@pausing_gc
def check(body: Any) -> list[Finding]:
    """Every replay error of a `POST /v1/responses` body (a dict, or JSON text/bytes).

    Raises `InputError` when the body cannot be read at all (not JSON, not an object).
    """
    data = _load(body)
    checker = _Checker(data)
    mode = checker.mode()
    raw_input = data.get("input")
    if isinstance(raw_input, list | tuple):
        items = raw_input
        if type(items) is not list or not all(type(it) is dict for it in items):
            items = [it if type(it) is dict else _plain_item(it) for it in raw_input]
        checker.items(items, mode)
    elif raw_input is not None and not isinstance(raw_input, str):
        checker.add(
            -1,
            "R13",
            "input",
            f"Invalid type for 'input': expected one of a string or an array, but got "
            f"{_json_kind(raw_input)} instead.",
            "Send `input` as a string or a list of items.",
        )
    return checker.findings()


def _plain_item(item: Any) -> Any:
    if isinstance(item, Mapping):
        return dict(item)
    try:
        return as_plain(item) if not isinstance(item, str | bytes | bytearray) else item
    except Exception:  # an object we cannot read: validation reports it as it is
        return item


def check_or_raise(body: Any) -> list[Finding]:
    """Like `check`, but raise `ReplayCheckError` (carrying every finding) when any is an error.

    Returns the warnings when there is no error.
    """
    findings = check(body)
    if any(f.severity == "error" for f in findings):
        raise ReplayCheckError(findings)
    return findings
