"""The items the bench measures: real output items from the recorded corpus (../shared/corpus).

The corpus holds ~1,300 recorded responses of the real API. A 10k-item set is those responses'
output lists, whole and in order, repeated until it holds n items; each copy gets its own ids
(`id`, `call_id` with a copy suffix, same prefixes), so a request replaying them all is clean.
Items over `MAX_ITEM` bytes (base64 images of image_generation_call) are left out, as the sizes
of a typical agent loop, and so are outputs with client-run calls other than function calls
(the bench answers function calls only). Without the corpus, synthetic items shaped like real ones stand in, and
every row says which it measured (`source()`).
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import random
from functools import cache
from pathlib import Path
from typing import Any

from .core import ROOT

CORPUS = Path(os.environ.get("RESPONSES_REPLAY_CORPUS", ROOT.parent / "shared" / "corpus"))
REAL = ("openai", "azure")
MAX_ITEM = 16_000


def _recorded_responses() -> list[dict[str, Any]]:
    """Response objects the real API sent (plain bodies and streams' final responses)."""
    out: list[dict[str, Any]] = []
    for sub in ("interactions", "response-only"):
        for path in sorted((CORPUS / sub).rglob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("provider") not in REAL and data.get("request") is not None:
                continue
            response = data.get("response") or {}
            for body in (response.get("body"), response.get("final_response")):
                if isinstance(body, dict) and body.get("object") == "response":
                    out.append(body)
    return out


def _usable(output: Any) -> bool:
    """A whole output list every path of the bench takes: ours, the SDK's and the checker's."""
    from responses_replay import Turn, parse_response
    from responses_replay._generated.registry import CALLS

    if not isinstance(output, list) or not output or output[-1].get("type") == "reasoning":
        return False
    if any(len(json.dumps(item)) > MAX_ITEM for item in output):
        return False
    if any(item.get("type") in CALLS and item.get("type") != "function_call" for item in output):
        return False  # the bench answers function calls; other client-run calls need their own
    try:
        Turn.from_response({"output": output})
        parse_response({"output": output})
    except Exception:  # a type newer than the spec, or one not replayable
        return False
    return True


# --- the real items ---------------------------------------------------------------------------


@cache
def _corpus() -> tuple[dict[str, Any], tuple[tuple[dict[str, Any], ...], ...]]:
    """(a real response envelope, the distinct usable output lists), or ({}, ()) without a corpus."""
    from openai.types.responses import Response

    if not (CORPUS / "interactions").is_dir():
        return {}, ()
    bodies = _recorded_responses()
    envelope: dict[str, Any] = {}
    seen: set[str] = set()
    turns: list[tuple[dict[str, Any], ...]] = []
    for body in bodies:
        output = body.get("output")
        if not isinstance(output, list):
            continue
        key = json.dumps(output, sort_keys=True)
        if key in seen or not _usable(output):
            continue
        try:
            Response.model_validate(body)
        except ValueError:
            continue
        seen.add(key)
        turns.append(tuple(output))
        if not envelope and body.get("status") == "completed":
            envelope = {k: v for k, v in body.items() if k != "output"}
    return envelope, tuple(turns)


def source() -> str:
    """What the item sets are made of, for the rows' `how`."""
    _, turns = _corpus()
    if not turns:
        return "SYNTHETIC items (no corpus at ../shared/corpus)"
    count = sum(len(t) for t in turns)
    return (
        f"real corpus items ({len(turns)} recorded outputs, {count} items, repeated with fresh ids)"
    )


def _copy(item: dict[str, Any], k: int) -> dict[str, Any]:
    out = dict(item)
    for key in ("id", "call_id"):
        if isinstance(out.get(key), str):
            out[key] = f"{out[key]}{k:05d}"
    return out


@cache
def output_items(n: int) -> tuple[dict[str, Any], ...]:
    """n output items: whole recorded outputs in turn (ending where a turn may end), else synthetic."""
    _, turns = _corpus()
    if not turns:
        return _synthetic_items(n)
    out: list[dict[str, Any]] = []
    for k, turn in enumerate(itertools.cycle(turns)):
        if len(out) + len(turn) > n:
            break
        out.extend(_copy(item, k // len(turns)) for item in turn)
    fill = [i for t in turns for i in t if i.get("type") == "message"]
    out.extend(_copy(fill[j % len(fill)], 90_000 + j) for j in range(n - len(out)))
    return tuple(out)


def response(items: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    """A whole `Response` body wrapping the items: a recorded envelope, else a synthetic one."""
    envelope, _ = _corpus()
    return {**(envelope or _synthetic_envelope()), "output": list(items)}


@cache
def items_json(n: int) -> bytes:
    return json.dumps(list(output_items(n))).encode()


@cache
def response_json(n: int) -> bytes:
    return json.dumps(response(output_items(n))).encode()


# --- synthetic stand-ins (used only without the corpus) --------------------------------------


_WORDS = [
    "the",
    "model",
    "calls",
    "a",
    "tool",
    "then",
    "answers",
    "with",
    "a",
    "short",
    "summary",
    "of",
    "what",
    "it",
    "found",
    "in",
    "the",
    "files",
    "weather",
    "paris",
    "tomorrow",
    "forecast",
    "rain",
    "wind",
    "temperature",
    "degrees",
    "celsius",
    "report",
    "result",
    "because",
    "order",
    "matters",
    "every",
    "call",
    "is",
    "answered",
    "by",
    "exactly",
    "one",
    "output",
    "with",
    "the",
    "same",
    "id",
]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + "."


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _message(rng: random.Random) -> dict[str, Any]:
    return {
        "id": f"msg_{_hex(rng, 48)}",
        "type": "message",
        "status": "completed",
        "content": [
            {
                "type": "output_text",
                "annotations": [],
                "logprobs": [],
                "text": _text(rng, rng.randint(20, 120)),
            }
        ],
        "role": "assistant",
    }


def _reasoning(rng: random.Random) -> dict[str, Any]:
    summary = [{"type": "summary_text", "text": _text(rng, rng.randint(10, 40))}]
    return {
        "id": f"rs_{_hex(rng, 48)}",
        "type": "reasoning",
        # Real encrypted_content is base64 of a few KB.
        "encrypted_content": "gAAAAA"
        + base64.b64encode(rng.randbytes(rng.randint(900, 2400))).decode(),
        "summary": summary if rng.random() < 0.5 else [],
    }


def _function_call(rng: random.Random) -> dict[str, Any]:
    args = {
        "city": rng.choice(["Paris", "Lyon", "Berlin"]),
        "days": rng.randint(1, 7),
        "units": "metric",
    }
    return {
        "id": f"fc_{_hex(rng, 48)}",
        "type": "function_call",
        "status": "completed",
        "arguments": json.dumps(args),
        "call_id": f"call_{_hex(rng, 24)}",
        "name": rng.choice(["get_weather", "search_files", "read_file"]),
    }


# A turn of an agent loop: think, call, think, answer.
_PATTERN = (_reasoning, _function_call, _reasoning, _message)


def _synthetic_items(n: int, seed: int = 20260821) -> tuple[dict[str, Any], ...]:
    rng = random.Random(seed)
    return tuple(_PATTERN[i % len(_PATTERN)](rng) for i in range(n))


def _synthetic_envelope() -> dict[str, Any]:
    return {
        "id": "resp_" + "0" * 48,
        "object": "response",
        "created_at": 1_760_000_000,
        "status": "completed",
        "background": False,
        "error": None,
        "incomplete_details": None,
        "instructions": None,
        "max_output_tokens": None,
        "model": "gpt-5-2025-08-07",
        "output": [],
        "parallel_tool_calls": True,
        "previous_response_id": None,
        "reasoning": {"effort": "medium", "summary": "auto"},
        "store": True,
        "temperature": 1.0,
        "text": {"format": {"type": "text"}, "verbosity": "medium"},
        "tool_choice": "auto",
        "tools": [],
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": {
            "input_tokens": 1200,
            "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
            "output_tokens": 900,
            "output_tokens_details": {"reasoning_tokens": 640},
            "total_tokens": 2100,
        },
        "user": None,
        "metadata": {},
    }


# --- requests ----------------------------------------------------------------------------------


@cache
def _recorded_tool_outputs() -> tuple[dict[str, Any], ...]:
    """`function_call_output` items of requests the real API accepted."""
    out: list[dict[str, Any]] = []
    if not (CORPUS / "interactions").is_dir():
        return ()
    for path in sorted((CORPUS / "interactions").rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        status = int((data.get("response") or {}).get("status_code") or 0)
        if data.get("provider") not in REAL or not 200 <= status < 300:
            continue
        body = (data.get("request") or {}).get("body")
        for item in body.get("input") or () if isinstance(body, dict) else ():
            if isinstance(item, dict) and item.get("type") == "function_call_output":
                out.append(item)
    return tuple(out)


@cache
def tool_loop_request(n: int) -> bytes:
    """A stateless tool loop without reasoning: a user message, then n//2 call/output pairs.

    Calls are the corpus's function calls as the API sent them, outputs are the function outputs
    of requests it accepted, paired under fresh call ids; synthetic without the corpus.
    """
    calls = [i for i in output_items(n) if i.get("type") == "function_call"]
    results = _recorded_tool_outputs()
    body: list[dict[str, Any]] = [{"role": "user", "content": "Check the stock of every item."}]
    for k in range((n - 1) // 2):
        call_id = f"call_{k:06d}"
        if calls and results:
            call = {**calls[k % len(calls)], "call_id": call_id}
            call.pop("id", None)
            call.pop("status", None)
            output = {**results[k % len(results)], "call_id": call_id}
            output.pop("id", None)
            output.pop("status", None)
        else:
            call = {"type": "function_call", "call_id": call_id, "name": "stock",
                    "arguments": json.dumps({"sku": f"SKU-{k}"})}  # fmt: skip
            output = {"type": "function_call_output", "call_id": call_id, "output": str(k % 17)}
        body += [call, output]
    return json.dumps({"model": "gpt-5", "input": body, "store": False}).encode()
