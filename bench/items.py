"""Synthetic output items shaped like real ones (no corpus needed, so the bench runs anywhere)."""

from __future__ import annotations

import base64
import json
import random
from functools import cache
from typing import Any

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


def message(rng: random.Random) -> dict[str, Any]:
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


def reasoning(rng: random.Random) -> dict[str, Any]:
    summary = [{"type": "summary_text", "text": _text(rng, rng.randint(10, 40))}]
    return {
        "id": f"rs_{_hex(rng, 48)}",
        "type": "reasoning",
        # Real encrypted_content is base64 of a few KB.
        "encrypted_content": "gAAAAA"
        + base64.b64encode(rng.randbytes(rng.randint(900, 2400))).decode(),
        "summary": summary if rng.random() < 0.5 else [],
    }


def function_call(rng: random.Random) -> dict[str, Any]:
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
_PATTERN = (reasoning, function_call, reasoning, message)


@cache
def output_items(n: int, seed: int = 20260821) -> tuple[dict[str, Any], ...]:
    rng = random.Random(seed)
    return tuple(_PATTERN[i % len(_PATTERN)](rng) for i in range(n))


def response(items: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    """A whole `Response` body (as the API sends it) wrapping the items."""
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
        "output": list(items),
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


@cache
def items_json(n: int) -> bytes:
    return json.dumps(list(output_items(n))).encode()


@cache
def response_json(n: int) -> bytes:
    return json.dumps(response(output_items(n))).encode()
