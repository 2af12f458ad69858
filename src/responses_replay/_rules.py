"""What the builders and the checker both say about a rule: one check and one wording each.

The builders (`Turn`, `History`, `Chain`) refuse with these words and the checker reports them, so
a body refused by one reads the same in the other. Only the registry and `item_kind` are imported:
the checker reaches this without loading the converters.
"""

from __future__ import annotations

import re

from ._errors import ReplayError
from ._generated.registry import CALL_NOUN
from ._kind import item_field, item_kind

__all__ = [
    "COMPACTION_TRIGGER",
    "CONFIGURATION_UPDATE",
    "IMAGE_PARTS",
    "NO_INPUT",
    "NO_INPUT_FIX",
    "SAFETY_FIX",
    "STATELESS_FIX",
    "TOOL_CHOICE_FIX",
    "check_image_urls",
    "image_url_problems",
    "nothing_to_answer",
    "stateless_problem",
    "tool_choice_problems",
    "trigger_not_last",
    "two_updates",
    "unacknowledged",
    "unacknowledged_call",
    "unacknowledged_checks",
    "unanswered",
]

#: A caller-written item newer than the pinned spec (api-errors.md): "two in a row are refused".
CONFIGURATION_UPDATE = "configuration_update"

#: "Compacts the current context. Must be the final input item." (the spec's
#: `CompactionTriggerItemParam`; the API's words for the refusal are not recorded yet)
COMPACTION_TRIGGER = "compaction_trigger"

#: A request with no input and no chain is refused even with `instructions` (pydantic/pydantic-ai
#: PR 3470, maintainer-reviewed: "the OpenAI API will reject a request without any input, even if
#: there are instructions"), in the API's words (code missing_required_parameter, as the Codex
#: backend sent them; earendil-works/pi issue 4246).
NO_INPUT = (
    "One of \"input\" or \"previous_response_id\"or 'prompt'or 'conversation_id' must be provided."
)
NO_INPUT_FIX = (
    "Send at least one input item (a user message), or chain with previous_response_id or "
    "conversation; instructions alone are not input."
)


def nothing_to_answer(body: object) -> bool:
    """`body` (a request's JSON object) has no input item, no chain and no stored `prompt` (an
    empty string `input` is not judged: unrecorded)."""
    if not isinstance(body, dict):
        return False
    if any(body.get(k) is not None for k in ("previous_response_id", "conversation", "prompt")):
        return False
    raw = body.get("input")
    return raw is None or (isinstance(raw, list | tuple) and len(raw) == 0)


#: How to give a reasoning item what it needs without a server-side lookup (R3).
STATELESS_FIX = "Request include=['reasoning.encrypted_content']."


#: How to answer a computer_call with pending safety checks (R15; openai-agents-python issue 843).
SAFETY_FIX = (
    "Show the call's pending_safety_checks to the user and, once they confirm, pass them as the "
    "computer_call_output's acknowledged_safety_checks."
)


def unacknowledged(ids: list[str]) -> str:
    """R15 in the API's words: `Computer tool has unacknowledged safety check for ['cu_sc_1']`."""
    return f"Computer tool has unacknowledged safety check for [{', '.join(map(repr, ids))}]"


def _check_ids(checks: object) -> list[str]:
    """The string `id`s of a list of safety checks (dicts or model objects); other shapes: none."""
    if not isinstance(checks, list | tuple):
        return []
    ids = (item_field(check, "id") for check in checks)
    return [i for i in ids if type(i) is str]


def unacknowledged_checks(call: object, acknowledged: object) -> list[str]:
    """R15: the ids of the call's `pending_safety_checks` that `acknowledged` (the output's
    `acknowledged_safety_checks`: a list of checks, or anything else for none) does not carry, in
    the call's order. A shape the schema refuses (not a list, an entry without a string id) is
    skipped: the schema pass reports it."""
    pending = _check_ids(item_field(call, "pending_safety_checks"))
    if not pending:
        return []
    done = set(_check_ids(acknowledged))
    return list(dict.fromkeys(i for i in pending if i not in done))


def unacknowledged_call(call_id: str, missing: list[str]) -> str:
    """R15 as the builders refuse it: the call, its checks left out and how to pass them (never
    acknowledged for the caller: the user confirms them first, that is the safety feature)."""
    return (
        f"{unacknowledged(missing)}: the computer_call {call_id}'s pending safety checks are not "
        "in its output's acknowledged_safety_checks; show them to the user and, once they "
        "confirm, pass acknowledged_safety_checks=call.pending_safety_checks"
    )


def unanswered(kind: str, key: str) -> str:
    """R7 in the API's words for this call type (`No tool output found for custom tool call ...`)."""
    return f"No tool output found for {CALL_NOUN.get(kind, kind.replace('_', ' '))} {key}."


def no_call(kind: str, key_name: str, key: str) -> str:
    """R6 in the API's words (`No tool call found for function call output with call_id ...`)."""
    return f"No tool call found for {kind.replace('_', ' ')} with {key_name} {key}."


def stateless_problem(item: object) -> str | None:
    """R3: why `item` cannot be replayed without a server-side lookup, or None.

    A reasoning item is restored from its `encrypted_content` or, failing that, looked up by id;
    without either lookup (store=false, or ids stripped) it needs the content. The fix is
    `STATELESS_FIX`.
    """
    if item_kind(item) != "reasoning":
        return None
    content = item_field(item, "encrypted_content")
    if isinstance(content, str) and content:
        return None
    return (
        f"Reasoning item {item_field(item, 'id') or '(no id)'} has no encrypted_content: without a "
        "server-side lookup it cannot be restored."
    )


def two_updates(first: int, second: int) -> str:
    """The `configuration_update` rule (filed under R13: its API wording is not recorded yet)."""
    return (
        f"Two {CONFIGURATION_UPDATE} items in a row (input[{first}] and input[{second}]): the API "
        "refuses the second."
    )


def trigger_not_last(index: int, last: int) -> str:
    """The `compaction_trigger` rule (filed under R13: its API wording is not recorded yet)."""
    return (
        f"{COMPACTION_TRIGGER} is accepted only as the last input item (it is input[{index}]; "
        f"the last is input[{last}])."
    )


#: a URL has a scheme (`https:`, `data:`); the API refuses an `image_url` without one (R13)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
#: the MIME type of a data URL (`data:application/pdf;base64,...` -> `application/pdf`)
_DATA_MIME = re.compile(r"data:([^;,]+)[;,]", re.IGNORECASE)
IMAGE_URL_FIX = (
    "Send an https:// URL or a data URL (data:image/png;base64,...), or the image by file_id."
)
#: a data URL of another MIME type (a PDF sent as an image): it belongs in an input_file part
IMAGE_MIME_FIX = (
    "Send an image as a data:image/...;base64 URL; a PDF or another file goes in an input_file "
    "part (file_data with its filename, file_url or file_id), not in input_image."
)


def image_url_problem(url: object, path: str) -> tuple[str, str] | None:
    """The API's words and the fix for an `input_image`'s `image_url` it refuses, else None.

    No scheme (a bare base64 payload, a file path): "Expected a valid URL, but got a value with an
    invalid format." (openai/codex issue 33011). A data URL whose MIME type is no image (a PDF):
    "Expected a base64-encoded data URL with an image MIME type (e.g.
    'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU='), but got unsupported MIME type
    'application/pdf'." (mkht/PSOpenAI issue 43). Other schemes are the API's call, not judged."""
    if not isinstance(url, str):
        return None
    if not _SCHEME.match(url):
        return invalid_url(path), IMAGE_URL_FIX
    mime = _DATA_MIME.match(url)
    if mime and not mime.group(1).strip().lower().startswith("image/"):
        return (
            f"Invalid '{path}'. Expected a base64-encoded data URL with an image MIME type (e.g. "
            "'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU='), but got unsupported MIME type "
            f"'{mime.group(1)}'.",
            IMAGE_MIME_FIX,
        )
    return None


def image_url_problems(parts: object, where: str) -> list[tuple[str, str, str]]:
    """(path, the API's words, the fix) for each `input_image` of a part list (`where`: its path)
    whose `image_url` the API refuses (`image_url_problem`)."""
    if not isinstance(parts, list | tuple):
        return []
    found = []
    for j, part in enumerate(parts):
        if item_field(part, "type") == "input_image":
            path = f"{where}[{j}].image_url"
            problem = image_url_problem(item_field(part, "image_url"), path)
            if problem is not None:
                found.append((path, *problem))
    return found


#: item kind -> the key of its part list, where an `input_image` may be
IMAGE_PARTS = {
    "message": "content",
    "function_call_output": "output",
    "custom_tool_call_output": "output",
}


def check_image_urls(item: object, where: str) -> None:
    """R13 for a caller's item (a tool output, a message) holding an `input_image` whose URL the
    API refuses (none, or a data URL of no image type): refused when it is built, as the API
    would refuse the request."""
    key = IMAGE_PARTS.get(str(item_kind(item)))
    if key is not None:
        for path, message, fix in image_url_problems(item_field(item, key), f"{where}.{key}")[:1]:
            raise ReplayError("R13", path, f"{message} {fix}")


def invalid_url(path: str) -> str:
    return f"Invalid '{path}'. Expected a valid URL, but got a value with an invalid format."


#: `tool_choice` names a tool `tools` does not hold: "Tool choice 'web_search' not found in 'tools'
#: parameter." (vercel/ai issue 18997, live API; built-in tools are chosen by type, functions and
#: custom tools by name, MCP servers by server_label)
TOOL_CHOICE_FIX = (
    "Choose a tool the request's `tools` declares: a function or custom tool by its `name`, a "
    'built-in tool by its `type` ({"type": "web_search"}), an MCP server by its '
    "`server_label`; or add the tool to `tools`."
)
_BY_NAME = ("function", "custom")


def _tool_key(tool: object) -> tuple[str, str] | None:
    if type(tool) is not dict or type(kind := tool.get("type")) is not str:
        return None
    if kind in _BY_NAME:
        name = tool.get("name")
        return (kind, name) if type(name) is str else None
    if kind == "mcp":
        label = tool.get("server_label")
        return (kind, label) if type(label) is str else None
    return (kind, "")


def _unchosen(choice: object, have: list[tuple[str, str]]) -> str | None:
    """The name the API quotes when `choice` picks none of the tools `have`, else None."""
    want = _tool_key(choice)
    if want is None or want[0] == "allowed_tools":
        return None
    kind, name = want
    if kind in _BY_NAME or kind == "mcp":
        if kind == "function" and any(k == "namespace" for k, _ in have):
            return None  # a namespace's functions: not judged here
        return None if want in have else name
    if any(k.startswith(kind) or kind.startswith(k) for k, _ in have):
        return None  # hosted types match by prefix: web_search_preview(_2025_03_11)
    return kind


def tool_choice_problems(body: object) -> list[tuple[str, str]]:
    """(path, the API's words) for each tool `body`'s `tool_choice` picks (itself, or each entry of
    an `allowed_tools` choice) that its `tools` list does not declare. Not judged without a
    `tools` list, or with a stored `prompt` (which may bring its own tools)."""
    if not isinstance(body, dict) or "prompt" in body:
        return []
    choice, tools = body.get("tool_choice"), body.get("tools")
    if type(choice) is not dict or type(tools) is not list:
        return []
    have = [k for k in map(_tool_key, tools) if k is not None]
    if choice.get("type") == "allowed_tools":
        listed = choice.get("tools")
        entries = (
            [(f"tool_choice.tools[{j}]", e) for j, e in enumerate(listed)]
            if type(listed) is list
            else []
        )
    else:
        entries = [("tool_choice", choice)]
    return [
        (path, f"Tool choice '{name}' not found in 'tools' parameter.")
        for path, entry in entries
        if (name := _unchosen(entry, have)) is not None
    ]
