"""Check a request body built elsewhere (another library, a stored session) before sending it.

ILLUSTRATIVE body, written for this example. `check(body)` returns every finding with its rule,
JSON path, the API's message and a fix; `check_or_raise(body)` raises them together.

    python examples/check_body.py
"""

from __future__ import annotations

import copy
import sys
from typing import Any

from responses_replay import ReplayCheckError, check, check_or_raise

# A stateless request (store=false) whose history was put together by hand.
BODY: dict[str, Any] = {
    "model": "gpt-5-mini",
    "store": False,
    "include": ["reasoning.encrypted_content"],
    "input": [
        {"role": "user", "content": "What is the weather in Paris?"},
        # the reasoning item as the SDK's model_dump() wrote it: status and nulls included (R1)
        {"type": "reasoning", "id": "rs_01", "summary": [], "encrypted_content": "gAAAAB...",
         "status": None, "content": None},
        {"type": "function_call", "id": "fc_01", "call_id": "call_01", "name": "get_weather",
         "arguments": '{"city": "Paris"}', "status": "completed"},
        # the answer forgot which call it answers: the item id instead of the call_id (R6, R7)
        {"type": "function_call_output", "call_id": "fc_01", "output": "18°C and sunny"},
    ],
}  # fmt: skip


def main() -> int:
    findings = check(BODY)
    print(f"{len(findings)} finding(s):")
    for f in findings:
        print(f"  {f.rule} {f.severity} at {f.path}: {f.message}\n     fix: {f.fix}")

    fixed = copy.deepcopy(BODY)
    reasoning = fixed["input"][1]
    del reasoning["status"], reasoning["content"]
    fixed["input"][3]["call_id"] = "call_01"
    try:
        warnings = check_or_raise(fixed)
    except ReplayCheckError as exc:
        print(f"still wrong: {exc}")
        return 1
    print(f"fixed: {len(warnings)} finding(s)")
    return 0 if findings and not warnings else 1


if __name__ == "__main__":
    sys.exit(main())
