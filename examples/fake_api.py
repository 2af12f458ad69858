"""An offline stand-in for the Responses API, for the examples: a scripted model and the replay rules.

ILLUSTRATIVE. The responses it serves are built from the small fixtures in `examples/fixtures/`,
written by this project: shaped like real responses, not recorded traffic. The model is a script:
asked about the weather, it calls `get_weather`; given the tool's output, it answers with it.

The rules of api-errors.md (R1..R8, R11, R12) are enforced here on their own: this module does not
import `responses_replay`, so a wrong replay fails the way the live API answers it, with HTTP 400 (or
404 for R3) and `{"error": {"message", "type": "invalid_request_error", "param", "code"}}`. It knows
only the item types the examples use; anything else is refused as an unsupported type.

    api = FakeResponsesAPI()
    client = openai.OpenAI(api_key="test", base_url="http://fake/v1",
                           http_client=openai.DefaultHttpxClient(transport=api.transport()))
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openai.types.responses import FunctionToolParam

try:  # the HTTP library of the installed openai: httpx2 from openai 3, httpx before
    import httpx2 as http  # type: ignore[import-not-found, unused-ignore]
except ImportError:
    import httpx as http  # type: ignore[no-redef, unused-ignore]

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CITIES = {"Paris": "18°C and sunny", "Oslo": "4°C and raining", "Lima": "22°C and cloudy"}

# What the input side accepts, per item type (a key outside these is R1, whatever its value).
ITEM_KEYS: dict[str, frozenset[str]] = {
    "message": frozenset({"type", "id", "role", "content", "status"}),
    "reasoning": frozenset({"type", "id", "summary", "content", "encrypted_content"}),
    "function_call": frozenset({"type", "id", "call_id", "name", "arguments", "status"}),
    "function_call_output": frozenset({"type", "id", "call_id", "output", "status"}),
    "item_reference": frozenset({"type", "id"}),
    "compaction": frozenset({"type", "id", "encrypted_content"}),
}
PART_KEYS: dict[str, frozenset[str]] = {
    "input_text": frozenset({"type", "text"}),
    "output_text": frozenset({"type", "text", "annotations", "logprobs"}),
    "input_image": frozenset({"type", "image_url", "file_id", "detail"}),
    "summary_text": frozenset({"type", "text"}),
    "reasoning_text": frozenset({"type", "text"}),
}
# Known keys the API refuses as null (api-errors facts: encrypted_content is nullable in the spec only).
NEVER_NULL = {"reasoning": frozenset({"encrypted_content", "content", "summary", "id"})}
ROLES = ("assistant", "system", "developer", "user")
ID_PREFIX = {"message": "msg", "reasoning": "rs", "function_call": "fc", "compaction": "cmp"}
_NOT_STORED = (
    "Items are not persisted when `store` is set to false. Try again with `store` set to true, "
    "or remove this item from your input."
)


class APIError(Exception):
    """An answer of the API to a request it refuses."""

    def __init__(self, message: str, param: str | None, code: str | None, status: int = 400):
        super().__init__(message)
        self.message, self.param, self.code, self.status = message, param, code, status

    def response(self) -> http.Response:
        error = {
            "message": self.message,
            "type": "invalid_request_error",
            "param": self.param,
            "code": self.code,
        }
        return http.Response(self.status, json={"error": error})


@dataclass
class Exchange:
    """One request the server received and what it answered."""

    path: str
    body: dict[str, Any]
    status: int
    answer: dict[str, Any]


@dataclass
class FakeResponsesAPI:
    """`POST /v1/responses`, `/v1/responses/compact` and `/v1/conversations`, in memory."""

    exchanges: list[Exchange] = field(default_factory=list)
    _count: int = 0
    _stored: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # response id -> context
    _items: dict[str, dict[str, Any]] = field(default_factory=dict)  # stored item id -> item
    _conversations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _encrypted: dict[str, str] = field(default_factory=dict)  # rs_ id -> the content it issued
    _bound: dict[str, str] = field(default_factory=dict)  # fc_/msg_ id -> its rs_ id (R5)
    #: Requests after which a stored response's items can be found by id. 0: at once; 1: the
    #: next request does not find them yet (the intermittent "not yet persisted" of R3).
    persist_delay: int = 0
    _found_from: dict[str, int] = field(default_factory=dict)  # item id -> first request seeing it

    def transport(self) -> http.MockTransport:
        return http.MockTransport(self.handle)

    @property
    def rejections(self) -> list[Exchange]:
        return [e for e in self.exchanges if e.status >= 400]

    def handle(self, request: http.Request) -> http.Response:
        body = json.loads(request.content or b"{}")
        path = request.url.path.rstrip("/")
        try:
            if request.method == "POST" and path.endswith("/conversations"):
                answer = self._new_conversation()
            elif request.method == "POST" and path.endswith("/responses/compact"):
                answer = self._compact(body)
            elif request.method == "POST" and path.endswith("/responses"):
                answer = self._create(body)
            else:
                raise APIError(f"Invalid URL ({request.method} {path})", None, None, 404)
        except APIError as exc:
            self.exchanges.append(Exchange(path, body, exc.status, {"error": exc.message}))
            return exc.response()
        self.exchanges.append(Exchange(path, body, 200, answer))
        return http.Response(200, json=answer)

    # -- endpoints ----------------------------------------------------------------------------

    def _new_conversation(self) -> dict[str, Any]:
        self._count += 1
        conv_id = f"conv_{self._count:04d}"
        self._conversations[conv_id] = []
        return {"id": conv_id, "object": "conversation", "created_at": 1767225600, "metadata": {}}

    def _create(self, body: dict[str, Any]) -> dict[str, Any]:
        prev, conv = body.get("previous_response_id"), body.get("conversation")
        if isinstance(conv, dict):
            conv = conv.get("id")
        if prev is not None and conv is not None:  # R8
            raise APIError(
                "Mutually exclusive parameters. Ensure you are only providing one of: "
                "'previous_response_id' or 'conversation'.",
                None,
                "mutually_exclusive_parameters",
            )
        store = body.get("store", True) is not False
        raw = body.get("input", [])
        items: list[dict[str, Any]] = (
            [{"role": "user", "content": raw}] if isinstance(raw, str) else raw
        )
        context = self._context(prev, conv)
        for i, item in enumerate(items):
            self._schema(i, item)
        items = self._resolve(items, store)
        self._ids(items, context)
        self._order(items)
        self._calls(context + items)
        self._count += 1
        response = self._model(context + items, body)
        output: list[dict[str, Any]] = response["output"]
        full = context + items + copy.deepcopy(output)
        if "reasoning.encrypted_content" not in (body.get("include") or []):
            for it in output:
                it.pop("encrypted_content", None)
        if store:
            self._stored[response["id"]] = full
            self._items.update({it["id"]: it for it in output})
            visible = self._count + 1 + self.persist_delay
            self._found_from.update({it["id"]: visible for it in output})
        if conv is not None:
            self._conversations[conv] = full
            response["conversation"] = {"id": conv}
        return response

    def _compact(self, body: dict[str, Any]) -> dict[str, Any]:
        """`POST /v1/responses/compact`: the user messages kept, the rest in one encrypted item."""
        items: list[dict[str, Any]] = body.get("input", [])
        for i, item in enumerate(items):
            self._schema(i, item)
        self._ids(items, [])
        self._order(items)
        self._count += 1
        n = f"{self._count:04d}"
        kept = [
            {"id": f"msg_{n}_{k}", "type": "message", "status": "completed", "role": "user",
             "content": [{"type": "input_text", "text": _text(it)}]}
            for k, it in enumerate(items) if it.get("role") == "user"
        ]  # fmt: skip
        content = "cmp" + hashlib.sha256(json.dumps(items).encode()).hexdigest()[:40]
        self._encrypted[f"cmp_{n}"] = content
        output = [*kept, {"id": f"cmp_{n}", "type": "compaction", "encrypted_content": content}]
        return {"id": f"resp_{n}", "object": "response.compaction", "created_at": 1767225600,
                "output": output, "usage": {"input_tokens": 10, "output_tokens": 5,
                                            "total_tokens": 15}}  # fmt: skip

    # -- the rules ----------------------------------------------------------------------------

    def _context(self, prev: Any, conv: Any) -> list[dict[str, Any]]:
        if prev is not None:
            if prev not in self._stored:
                raise APIError(
                    f"Previous response with id '{prev}' not found.",
                    "previous_response_id",
                    "previous_response_not_found",
                    404,
                )
            return copy.deepcopy(self._stored[prev])
        if conv is not None:
            if conv not in self._conversations:
                raise APIError(
                    f"Conversation with id '{conv}' not found.", "conversation", None, 404
                )
            return copy.deepcopy(self._conversations[conv])
        return []

    def _schema(self, i: int, item: Any) -> None:
        """R1 (unknown keys, refused nulls), R11 (ids), R13 (types and roles)."""
        here = f"input[{i}]"
        if not isinstance(item, dict):
            raise APIError(f"Invalid type for '{here}': expected an object.", here, "invalid_type")
        kind = item.get("type", "message" if "role" in item else "item_reference")
        if kind not in ITEM_KEYS:
            supported = ", ".join(f"'{t}'" for t in sorted(ITEM_KEYS))
            raise APIError(
                f"Invalid value: '{kind}'. Supported values are: {supported}.",
                f"{here}.type",
                "invalid_value",
            )
        for key in item:  # R1: a key the input side does not know, whatever its value
            if key not in ITEM_KEYS[kind]:
                raise _unknown(f"{here}.{key}")
        for key, value in item.items():  # R1: a null the API never sent
            if value is None and key in NEVER_NULL.get(kind, ()):
                raise _unknown(f"{here}.{key}")
        for where, part in _parts(item):  # R1 in content parts too (`cache_control`...)
            allowed = PART_KEYS.get(str(part.get("type")), frozenset({"type"}))
            for key in part:
                if key not in allowed:
                    raise _unknown(f"{here}.{where}.{key}")
        if kind == "message" and item.get("role") not in ROLES:
            raise APIError(
                f"Invalid value: '{item.get('role')}'. Supported values are: 'assistant', "
                "'system', 'developer', and 'user'.",
                f"{here}.role",
                "invalid_value",
            )
        item_id = item.get("id")
        if item_id is not None and kind in ID_PREFIX:  # R11
            prefix = ID_PREFIX[kind]
            if not isinstance(item_id, str) or not item_id.startswith(f"{prefix}_"):
                raise APIError(
                    f"Invalid '{here}.id': '{item_id}'. Expected an ID that begins with '{prefix}'.",
                    f"{here}.id",
                    "invalid_value",
                )

    def _resolve(self, items: list[dict[str, Any]], store: bool) -> list[dict[str, Any]]:
        """R3: items sent by reference must be found; under store=false nothing is. Under
        store=true a server id is looked up even on a full item, and may not be persisted yet."""
        out = []
        for item in items:
            item_id = item.get("id")
            if store and self._found_from.get(str(item_id), 0) > self._count + 1:
                raise APIError(f"Item with id '{item_id}' not found.", "input", None, 404)
            kind = item.get("type", "message")
            by_reference = item_id is not None and (
                kind == "item_reference"
                or set(item) <= {"id", "type"}
                or (kind == "reasoning" and "encrypted_content" not in item)
            )
            if not by_reference:
                out.append(item)
                continue
            if not store or item_id not in self._items:
                suffix = f" {_NOT_STORED}" if not store else ""
                raise APIError(f"Item with id '{item_id}' not found.{suffix}", "input", None, 404)
            out.append(copy.deepcopy(self._items[item_id]))
        return out

    def _ids(self, items: list[dict[str, Any]], context: list[dict[str, Any]]) -> None:
        """R2 (one id twice, or a stored item sent again when chained), R12, R5."""
        seen = {it["id"] for it in context if "id" in it}
        for it in items:
            item_id = it.get("id")
            if item_id in seen:
                raise APIError(
                    f"Duplicate item found with id {item_id}. Remove duplicate items from your "
                    "input and try again.",
                    "input",
                    None,
                )
            if item_id is not None:
                seen.add(item_id)
        issued = set(self._encrypted.values())
        ids = {it.get("id") for it in items}
        for it in items:
            if it.get("type") in ("reasoning", "compaction") and "encrypted_content" in it:  # R12
                expected = self._encrypted.get(it.get("id", ""))
                content = it["encrypted_content"]
                if (expected is not None and content != expected) or content not in issued:
                    raise APIError(
                        f"The encrypted content for item {it.get('id', 'rs_?')} could not be "
                        "verified.",
                        None,
                        "invalid_encrypted_content",
                    )
            bound = self._bound.get(it.get("id", ""))
            if bound is not None and bound not in ids:  # R5
                raise APIError(
                    f"Item '{it['id']}' of type '{it.get('type', 'message')}' was provided without "
                    f"its required 'reasoning' item: '{bound}'.",
                    "input",
                    None,
                )

    def _order(self, items: list[dict[str, Any]]) -> None:
        """R4: a reasoning item is followed by the item it produced."""
        for i, it in enumerate(items):
            if it.get("type") != "reasoning":
                continue
            after = items[i + 1] if i + 1 < len(items) else None
            if after is None or after.get("type") == "reasoning":
                raise APIError(
                    f"Item '{it.get('id', f'input[{i}]')}' of type 'reasoning' was provided "
                    "without its required following item.",
                    "input",
                    None,
                )

    def _calls(self, context: list[dict[str, Any]]) -> None:
        """R6: an output answers a call in context; R7: every call in context is answered."""
        calls = [it["call_id"] for it in context if it.get("type") == "function_call"]
        answered = set()
        for it in context:
            if it.get("type") == "function_call_output":
                if it.get("call_id") not in calls:
                    raise APIError(
                        "No tool call found for function call output with call_id "
                        f"{it.get('call_id')}.",
                        "input",
                        None,
                    )
                answered.add(it["call_id"])
        for call_id in calls:
            if call_id not in answered:
                raise APIError(f"No tool output found for function call {call_id}.", "input", None)

    # -- the scripted model -------------------------------------------------------------------

    def _model(self, context: list[dict[str, Any]], body: dict[str, Any]) -> dict[str, Any]:
        """The next response: a fixture, its ids numbered, its text filled in."""
        n = f"{self._count:04d}"
        encrypted = "gAAAAB" + hashlib.sha256(f"rs_{n}".encode()).hexdigest()[:40]
        last = context[-1] if context else {}
        tools = [t.get("name") for t in body.get("tools", []) if isinstance(t, dict)]
        values = {"n": n, "encrypted": encrypted}
        if last.get("type") == "function_call_output":
            call = next(c for c in context if c.get("call_id") == last["call_id"])
            city = json.loads(call["arguments"]).get("city", "?")
            fixture = "weather_answer"
            values["answer"] = f"In {city} it is {last['output']}."
        elif "get_weather" in tools and last.get("role") == "user":
            fixture = "weather_call"
            values["city"] = next((c for c in CITIES if c in _text(last)), "Paris")
        else:
            fixture = "weather_answer"
            values["answer"] = "Ask me about the weather."
        raw = json.loads((FIXTURES / f"{fixture}.json").read_text(encoding="utf-8"))
        response: dict[str, Any] = _fill(raw["response"], values)
        output = response["output"]
        self._encrypted[output[0]["id"]] = encrypted
        for it in output[1:]:  # the ids of one response are bound to its reasoning item (R5)
            self._bound[it["id"]] = output[0]["id"]
        return response


def tool_weather(arguments: str) -> str:
    """The example's function tool: `get_weather({"city": ...})`."""
    return CITIES.get(json.loads(arguments).get("city", ""), "unknown")


WEATHER_TOOL: FunctionToolParam = {
    "type": "function",
    "name": "get_weather",
    "description": "The current weather in a city.",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "additionalProperties": False,
    },
    "strict": True,
}


def _unknown(param: str) -> APIError:
    return APIError(f"Unknown parameter: '{param}'.", param, "unknown_parameter")


def _parts(item: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(`content[0]`, part) for the content and summary parts of an item."""
    for key in ("content", "summary"):
        value = item.get(key)
        if isinstance(value, list):
            for n, part in enumerate(value):
                if isinstance(part, dict):
                    yield f"{key}[{n}]", part


def _text(item: dict[str, Any]) -> str:
    content = item.get("content")
    if isinstance(content, str):
        return content
    return " ".join(str(p.get("text", "")) for _, p in _parts(item))


def _fill(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str):
        for key, replacement in values.items():
            value = value.replace("{" + key + "}", replacement)
        return value
    if isinstance(value, list):
        return [_fill(v, values) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    return value
