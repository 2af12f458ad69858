"""The rules, one module per rule family of api-errors.md; `RULES` runs them in this order.

Each rule is `rule(ctx)`: it reads the one pass's `Context` and adds findings. Rules that explain a
schema error (R3 references, R10 ids) run before the schema rules (R1, R13), which skip it.
Adding a rule from a new API error: one module here, one line below, one test file.
"""

from __future__ import annotations

from collections.abc import Callable

from .._context import Context
from . import (
    compaction_trigger,
    configuration_update,
    r01_keys,
    r01_params,
    r02_duplicates,
    r03_references,
    r04_segments,
    r06_calls,
    r08_chaining,
    r10_hosted_ids,
    r11_ids,
    r12_encrypted,
    r13_image_urls,
    r13_reasoning_content,
    r13_request,
    r13_tool_choice,
    r13_types,
    r14_previous,
    r15_safety,
)

Rule = Callable[[Context], None]

RULES: tuple[Rule, ...] = (
    r08_chaining.rule,
    r14_previous.rule,
    r11_ids.rule,
    r02_duplicates.rule,
    r03_references.rule,
    r04_segments.rule,
    r06_calls.rule,
    r15_safety.rule,
    r10_hosted_ids.rule,
    r12_encrypted.rule,
    configuration_update.rule,
    compaction_trigger.rule,
    r01_keys.rule,
    r01_params.rule,
    r13_request.rule,
    r13_tool_choice.rule,
    r13_types.rule,
    r13_image_urls.rule,
    r13_reasoning_content.rule,
)
