"""Gaps found against real API behaviour and SDK shapes outside the recorded corpus.

Each test cites its evidence (URL and the API's or the maintainers' own words). They fail on the
library as it is; a fix makes them pass.
"""

from __future__ import annotations

from typing import Any

import pytest

from responses_replay import Chain, History, ReplayError, Turn, parse_response, repair, tool_output
from responses_replay.checker import check

USER = {"role": "user", "content": "List the files."}
LOCAL_SHELL_CALL = {
    "type": "local_shell_call", "id": "lsh_1", "call_id": "call_1", "status": "completed",
    "action": {"type": "exec", "command": ["ls"], "env": {}},
}  # fmt: skip


def errors(body: dict[str, Any]) -> list[str]:
    return [str(f) for f in check(body) if f.severity == "error"]


# Evidence: https://github.com/openai/openai-agents-python/pull/1855 (merged as cfddc7c21):
# "Upstream (openai-python) `LocalShellCallOutput` uses `id`, but the server actually expects
# `call_id`. This PR sets `call_id` so the server accepts the output." Before the fix the API
# answered "No tool output found for local shell call call_MEmrSaOboO5WG3MXGazSubb7."
# The code now says: "LocalShellCallOutput type uses the field name "id", but the server wants
# "call_id"." (src/agents/run_internal/tool_actions.py sends {"type", "call_id", "output"}); an
# OpenAI reviewer on PR #732 asked the same ("Isn't this parameter call_id"). The Vercel AI SDK's
# OpenAIResponsesLocalShellCallOutput is {type, call_id, output} as well.
def test_local_shell_call_output_keyed_by_call_id_is_accepted() -> None:
    output = {"type": "local_shell_call_output", "call_id": "call_1", "output": "a.txt"}
    body = {"model": "codex-mini-latest", "input": [USER, LOCAL_SHELL_CALL, output]}
    assert errors(body) == []  # was: R1 on call_id, R13 "missing id", R7 on the call


def test_tool_output_for_a_local_shell_call_is_keyed_by_call_id() -> None:
    turn = Turn.from_response({"output": [LOCAL_SHELL_CALL]})
    (call,) = turn.calls()
    sent = tool_output(call, output="a.txt").model_dump(mode="json", exclude_none=True,
                                                         by_alias=True)  # fmt: skip
    assert sent.get("call_id") == "call_1"  # was: {"type", "id": "call_1", "output"}
    assert "id" not in sent or sent["id"] != "call_1"


# Evidence: https://github.com/VectorlyApp/bluebox/issues/31 (2025-11), the API's words:
# "Invalid 'input[0].content': string too long. Expected a string with maximum length 10485760,
# but got a string with length 62114761 instead." (code string_above_max_length). The checker
# knows the 10 MiB bound on function_call_output.output but not on a message's content.
def test_message_content_over_10_mib_is_flagged() -> None:
    body = {"model": "gpt-5", "input": [{"role": "user", "content": "x" * (10485760 + 1)}]}
    found = [(f.rule, f.path) for f in check(body) if f.severity == "error"]
    assert ("R13", "input[0].content") in found  # was: clean


# Evidence: https://github.com/BerriAI/litellm/issues/24797 (2026-03), the API's words:
# "Invalid 'input[0].content[0].file_id': string too long. Expected a string with maximum length
# 64, but got a string with length 294 instead." (code string_above_max_length)
def test_input_image_file_id_over_64_characters_is_flagged() -> None:
    part = {"type": "input_image", "file_id": "file-" + "a" * 289}
    body = {"model": "gpt-5.4-nano", "input": [{"role": "user", "content": [part]}]}
    found = [(f.rule, f.path) for f in check(body) if f.severity == "error"]
    assert ("R13", "input[0].content[0].file_id") in found  # was: clean


# Evidence: https://github.com/openai/openai-agents-python/issues/2727 (fixed by PR #2728, merged):
# "`responses.compact` with **gpt-5.4** strips reasoning items from its output but retains
# assistant messages with their original IDs. When the compacted output is sent back to
# `responses.create`, the API rejects it because each assistant message ID implies a required
# paired reasoning item that was removed during compaction." (R5). The Agents SDK now strips the
# `id` of assistant messages in compacted output (_strip_orphaned_assistant_ids).
def test_compacted_output_assistant_message_is_replayed_without_its_id() -> None:
    compacted = {
        "id": "resp_c1", "object": "response.compaction", "created_at": 1,
        "output": [
            {"type": "message", "id": "msg_u1", "role": "user", "status": "completed",
             "content": [{"type": "input_text", "text": "What is the weather?"}]},
            {"type": "message", "id": "msg_a1", "role": "assistant", "status": "completed",
             "content": [{"type": "output_text", "text": "Sunny.", "annotations": []}]},
            {"type": "compaction", "id": "cmp_1", "encrypted_content": "gAAAA"},
        ],
    }  # fmt: skip
    sent = Turn.from_response(compacted).to_input()
    assistant = [i for i in sent if i.get("role") == "assistant"]
    assert assistant
    assert all("id" not in i for i in assistant)  # was: "id": "msg_a1" was kept
    # a caller's message is replayed without its record id (as a listing's are)
    assert [i.get("id") for i in sent if i.get("role") == "user"] == [None]
    assert Turn.from_items(parse_response(compacted)).to_input() == sent  # the typed path too


# Evidence: https://github.com/openai/codex/issues/34283 (also #27928): Codex records a user-role
# message {"type": "message", "role": "user", "id": "review_rollout_user", "content": [input_text]}
# and the API answers "[ApiIdParam] [input[2].id] [invalid_id_prefix] Invalid 'input[2].id':
# 'review_rollout_user'. Expected an ID that begins with 'msg'." -- it validates the prefix of a
# user message's `id`, so `id` is a key its input side knows (a key it does not know gets
# "Unknown parameter"). The checker adds a false R1 error to that body, and refuses a user message
# carrying a server `msg_` id (as listed by GET /v1/responses/{id}/input_items) outright.
def test_user_message_id_is_not_an_unknown_parameter() -> None:
    review = {
        "type": "message",
        "role": "user",
        "id": "review_rollout_user",
        "content": [{"type": "input_text", "text": "User initiated a review task."}],
    }
    body = {"model": "gpt-5.5", "input": [USER, {"role": "assistant", "content": "ok"}, review]}
    assert [(f.rule, f.path) for f in check(body) if f.severity == "error"] == [
        ("R11", "input[2].id")
    ]  # was: also R1 "Unknown parameter: 'input[2].id'."
    listed = {**review, "id": "msg_0a1b2c"}
    assert errors({"model": "gpt-5.5", "input": [listed]}) == []


# A crash, found by mutation: an output item whose `status` (computer_call_output) or `role`
# (additional_tools) is a list or an object makes Turn.from_response raise
# "TypeError: unhashable type: 'list'" from _convert._apply_refused_values instead of the
# library's ReplayError (R13, "not a valid input ...") that every other wrong type gets.
def test_unhashable_value_on_a_refused_values_path_is_a_replay_error() -> None:
    import pytest

    from responses_replay import ReplayError

    shot = {"type": "computer_screenshot", "image_url": "data:image/png;base64,AAAA"}
    for item in (
        {"type": "computer_call_output", "call_id": "call_3", "output": shot, "status": ["failed"]},
        {"type": "computer_call_output", "call_id": "call_3", "output": shot, "status": {}},
        {"type": "additional_tools", "role": ["developer"], "tools": []},
    ):
        with pytest.raises(ReplayError):
            Turn.from_response({"output": [item]})


# A crash, found by mutation: an output item whose `type` is a list or an object makes
# parse_response raise "TypeError: unhashable type: 'list'" from the generated union's _tag
# (`tag in KNOWN_TYPES`), where `"type": 5` gets the library's InputError.
def test_parse_response_with_an_unhashable_type_is_an_input_error() -> None:
    import pytest

    from responses_replay import InputError, parse_response

    for tag in ([], {}, ["message"]):
        with pytest.raises(InputError):
            parse_response({"id": "resp_1", "output": [{"type": tag, "id": "msg_1"}]})


# Evidence: https://github.com/UKGovernmentBEIS/inspect_ai/issues/4682 (fixed by PR #4683): the model
# emitted a function_call with a 1.9M-character `arguments` (the limit is not enforced on output);
# replayed, every request failed with "Invalid 'input[1].arguments': string too long. Expected a
# string with maximum length 1048576, but got a string with length 1900373 instead."
def test_function_call_arguments_over_1_mib_are_flagged() -> None:
    arguments = '{"text": "' + "a" * 1048576 + '"}'
    call = {"type": "function_call", "call_id": "call_1", "name": "write", "arguments": arguments}
    answer = {"type": "function_call_output", "call_id": "call_1", "output": "parse error"}
    found = [(f.rule, f.path) for f in check({"model": "gpt-5", "input": [USER, call, answer]})
             if f.severity == "error"]  # fmt: skip
    assert ("R13", "input[1].arguments") in found  # was: clean


# Evidence: https://github.com/openai/openai-agents-python/issues/843 (an OpenAI maintainer: "Ah this
# is not properly supported. Fixing."; fixed by PR #923, "return acknowledged checks in computer
# output"): a computer_call with pending_safety_checks answered by a computer_call_output without
# them acknowledged gets "Computer tool has unacknowledged safety check for ['cu_sc_xxx']"
# (400, param "input"). The checker passed that body; R15 reports it.
def test_unacknowledged_computer_safety_check_is_flagged() -> None:
    check_ = {"id": "cu_sc_1", "code": "malicious_instructions", "message": "Confirm first."}
    call = {"type": "computer_call", "id": "cu_1", "call_id": "call_u", "status": "completed",
            "action": {"type": "click", "button": "left", "x": 1, "y": 2},
            "pending_safety_checks": [check_]}  # fmt: skip
    shot = {"type": "computer_screenshot", "image_url": "data:image/png;base64,AAAA"}
    answer = {"type": "computer_call_output", "call_id": "call_u", "output": shot}
    body = {"model": "computer-use-preview", "truncation": "auto", "input": [USER, call, answer]}
    assert any("cu_sc_1" in f.message for f in check(body) if f.severity == "error")  # was: clean
    acked = {**answer, "acknowledged_safety_checks": [check_]}
    assert errors({**body, "input": [USER, call, acked]}) == []


# Evidence: https://github.com/diegosouzapw/OmniRoute/issues/346 (gpt-5.3-codex; also issue 191),
# the API's words: "Invalid 'input[4].name': empty string. Expected a string with minimum length
# 1, but got an empty string instead."; https://github.com/BigPizzaV3/CodexPlusPlus/issues/315:
# "Invalid 'input[4].call_id': empty string. Expected a string with minimum length 1, but got an
# empty string instead." (code empty_string). The spec bounds function_call_output.call_id only.
@pytest.mark.parametrize("key", ["name", "call_id"])
def test_function_call_with_an_empty_name_or_call_id_is_flagged(key: str) -> None:
    call = {
        "type": "function_call",
        "call_id": "call_1",
        "name": "read",
        "arguments": "{}",
        key: "",
    }
    answer = {"type": "function_call_output", "call_id": call["call_id"], "output": "ok"}
    found = [str(f) for f in check({"model": "gpt-5", "input": [USER, call, answer]})
             if f.severity == "error" and f.path == f"input[1].{key}"]  # fmt: skip
    assert len(found) == 1  # was: clean
    assert (
        f"Invalid 'input[1].{key}': empty string. Expected a string with minimum length 1, "
        "but got an empty string instead." in found[0]
    )


def test_empty_call_id_of_an_output_is_worded_as_the_api_words_it() -> None:
    call = {"type": "function_call", "call_id": "call_1", "name": "read", "arguments": "{}"}
    answer = {"type": "function_call_output", "call_id": "", "output": "ok"}
    found = [str(f) for f in check({"model": "gpt-5", "input": [USER, call, answer]})
             if f.rule == "R13" and f.path == "input[2].call_id"]  # fmt: skip
    assert len(found) == 1
    assert (
        "Invalid 'input[2].call_id': empty string. Expected a string with minimum length 1, "
        "but got an empty string instead." in found[0]
    )  # was: "string too short ... length 0"


def test_a_response_with_an_empty_function_name_is_not_replayed() -> None:
    call = {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "",
            "arguments": "{}", "status": "completed"}  # fmt: skip
    with pytest.raises(ReplayError, match=r"output\[0\]\.name"):  # was: built the refused shape
        Turn.from_response({"output": [call]})


# Evidence: https://github.com/vercel/ai/issues/18605 ("MCP approval with previousResponseId emits
# both item_reference(mcpr_…) and mcp_approval_response (400 Duplicate item)"), fixed by PR 18693
# (e19a4a684d): "The live reproduction confirmed OpenAI rejected the duplicate, while submitting
# only mcp_approval_response succeeded." The chain already holds the approval request.
APPROVAL = {"type": "mcp_approval_response", "approve": True, "approval_request_id": "mcpr_1"}
APPROVAL_REF = {"type": "item_reference", "id": "mcpr_1"}


@pytest.mark.parametrize("anchor", [{"previous_response_id": "resp_1"}, {"conversation": "conv_1"}])
def test_chained_reference_to_the_answered_approval_request_is_a_duplicate(
    anchor: dict[str, str],
) -> None:
    body = {"model": "gpt-5", "store": True, **anchor, "input": [APPROVAL_REF, APPROVAL]}
    found = [str(f) for f in check(body) if f.severity == "error" and f.rule == "R2"]
    assert len(found) == 1  # was: clean
    assert "Duplicate item found with id mcpr_1. Remove duplicate items from your input" in found[0]
    assert errors({**body, "input": [APPROVAL]}) == []  # the approval alone is accepted


def test_stored_manual_history_may_reference_the_approval_request() -> None:
    body = {"model": "gpt-5", "store": True, "input": [USER, APPROVAL_REF, APPROVAL]}
    assert not [f for f in check(body) if f.rule == "R2"]  # no chain: the reference is needed


def test_repair_drops_the_chained_reference_to_the_answered_approval_request() -> None:
    body = {"model": "gpt-5", "store": True, "previous_response_id": "resp_1",
            "input": [APPROVAL_REF, APPROVAL]}  # fmt: skip
    fixed = repair(body)
    assert fixed.body["input"] == [APPROVAL]  # was: both sent
    assert [(r.rule, r.path) for r in fixed.repairs] == [("R2", "input[0]")]
    assert fixed.findings == ()


# Evidence: https://github.com/pydantic/pydantic-ai/issues/3369, fixed by PR 3470 (reviewed and
# co-authored by a maintainer, DouweM): "When there are no input messages and we're not reusing a
# previous response, the OpenAI API will reject a request without any input, even if there are
# instructions." (pydantic_ai/models/openai.py; it now sends an empty user message). The API's
# words (code missing_required_parameter), https://github.com/earendil-works/pi/issues/4246:
# 'One of "input" or "previous_response_id"or \'prompt\'or \'conversation_id\' must be provided.'
NO_INPUT_WORDS = (
    "One of \"input\" or \"previous_response_id\"or 'prompt'or 'conversation_id' must be"
)


@pytest.mark.parametrize("body", [{"instructions": "Write a haiku."},
                                  {"instructions": "Write a haiku.", "input": []}])  # fmt: skip
def test_a_request_with_no_input_and_no_chain_is_flagged(body: dict[str, Any]) -> None:
    found = [str(f) for f in check({"model": "gpt-5", **body}) if f.severity == "error"]
    assert len(found) == 1  # was: clean
    assert NO_INPUT_WORDS in found[0]


@pytest.mark.parametrize("extra", [{"previous_response_id": "resp_1"}, {"conversation": "conv_1"},
                                   {"input": [{"role": "user", "content": ""}]},
                                   {"prompt": {"id": "pmpt_1"}}])  # fmt: skip
def test_an_empty_input_with_a_chain_a_message_or_a_prompt_is_not_flagged(
    extra: dict[str, Any],
) -> None:
    body = {"model": "gpt-5", "instructions": "Write a haiku.", "input": [], **extra}
    assert errors(body) == []


def test_history_and_chain_refuse_a_request_with_nothing_to_answer() -> None:
    with pytest.raises(ReplayError, match=NO_INPUT_WORDS):  # was: {"input": [], ...}
        History(store=True).request(model="gpt-5", instructions="Write a haiku.")
    with pytest.raises(ReplayError, match=NO_INPUT_WORDS):
        Chain().request(model="gpt-5")
    assert Chain(previous_response_id="resp_1").request(model="gpt-5")["input"] == []


# Evidence: https://github.com/openai/codex/issues/33011, the API's words (code invalid_value):
# "Invalid 'input[284].output[1].image_url'. Expected a valid URL, but got a value with an invalid
# format."; https://github.com/zed-industries/codex-acp/pull/36 ("Fix invalid image urls": the
# image_url carried a bare base64 payload, not a data URL).
@pytest.mark.parametrize("url", ["iVBORw0KGgoAAAANSUhEUg", "/tmp/shot.png", ""])
def test_an_input_image_url_without_a_scheme_is_flagged(url: str) -> None:
    call = {"type": "function_call", "call_id": "call_1", "name": "shot", "arguments": "{}"}
    parts = [
        {"type": "input_text", "text": "the screen"},
        {"type": "input_image", "image_url": url},
    ]
    answer = {"type": "function_call_output", "call_id": "call_1", "output": parts}
    found = [str(f) for f in check({"model": "gpt-5", "input": [USER, call, answer]})
             if f.severity == "error"]  # fmt: skip
    assert len(found) == 1  # was: clean
    assert (
        "Invalid 'input[2].output[1].image_url'. Expected a valid URL, but got a value with an "
        "invalid format." in found[0]
    )
    message = {"role": "user", "content": [{"type": "input_image", "image_url": url}]}
    (in_message,) = check({"model": "gpt-5", "input": [message]})
    assert in_message.path == "input[0].content[0].image_url"


@pytest.mark.parametrize("url", ["https://example.com/a.png", "data:image/png;base64,iVBORw0K"])
def test_an_http_or_data_image_url_is_not_flagged(url: str) -> None:
    message = {"role": "user", "content": [{"type": "input_image", "image_url": url}]}
    assert errors({"model": "gpt-5", "input": [message]}) == []
    # and the builders build it
    call = {"type": "function_call", "call_id": "call_1", "name": "shot", "arguments": "{}"}
    image = {"type": "input_image", "image_url": url}
    (built,) = tool_output(call, output=[image]).to_dict()["output"]
    assert built["image_url"] == url
    history = History(store=False)
    history.user([image])
    assert history.items()[0].to_dict()["content"][0]["image_url"] == url  # type: ignore[union-attr]


@pytest.mark.parametrize("url", ["iVBORw0KGgoAAAANSUhEUg", "/tmp/shot.png"])
def test_the_builders_refuse_an_input_image_url_without_a_scheme(url: str) -> None:
    # the same evidence (codex 33011: a tool output's screenshot): refused when it is built, in
    # tool_output, in a user message and in a tool output model added as it is
    from responses_replay import inputs

    call = {"type": "function_call", "call_id": "call_1", "name": "shot", "arguments": "{}"}
    parts = [
        {"type": "input_text", "text": "the screen"},
        {"type": "input_image", "image_url": url},
    ]
    words = r"output\[1\]\.image_url'\. Expected a valid URL, but got a value with an invalid"
    with pytest.raises(ReplayError, match=r"^\[R13\] function_call_output\.output\[1\]"):
        tool_output(call, output=parts)
    with pytest.raises(
        ReplayError, match=r"user\(\)\.content\[1\]\.image_url'\. Expected a valid URL"
    ):
        History(store=False).user(parts)
    history = History(store=False)
    history.add_response({"id": "resp_1", "status": "completed", "output": [
        {**call, "id": "fc_1", "status": "completed"}]})  # fmt: skip
    made = inputs.FunctionCallOutputItemParam.model_validate(
        {"type": "function_call_output", "call_id": "call_1", "output": parts}
    )
    with pytest.raises(ReplayError, match=words):
        history.add(made)


# Evidence: https://github.com/mkht/PSOpenAI/issues/43 (2025-06), the API's words for a PDF sent
# as an input_image: "Invalid 'input[0].content[1].image_url'. Expected a base64-encoded data URL
# with an image MIME type (e.g. 'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU='), but got unsupported
# MIME type 'application/pdf'." (the maintainer: the docs named the wrong switch, -Images for a
# PDF; -Files sends an input_file).
PDF_AS_IMAGE = {"type": "input_image", "image_url": "data:application/pdf;base64,JVBERi0xLjQK"}
MIME_WORDS = (
    "Expected a base64-encoded data URL with an image MIME type (e.g. "
    "'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU='), but got unsupported MIME type "
    "'application/pdf'."
)


def test_a_data_url_of_no_image_type_in_an_input_image_is_flagged() -> None:
    message = {"role": "user", "content": [{"type": "input_text", "text": "Sum it up."},
                                           PDF_AS_IMAGE]}  # fmt: skip
    found = [f for f in check({"model": "gpt-4o", "input": [message]}) if f.severity == "error"]
    assert [(f.rule, f.path) for f in found] == [("R13", "input[0].content[1].image_url")]
    assert (
        f"Invalid 'input[0].content[1].image_url'. {MIME_WORDS}" in found[0].message
    )  # was: clean
    call = {"type": "function_call", "call_id": "call_1", "name": "read", "arguments": "{}"}
    answer = {"type": "function_call_output", "call_id": "call_1", "output": [PDF_AS_IMAGE]}
    assert [f.path for f in check({"model": "gpt-4o", "input": [USER, call, answer]})] == [
        "input[2].output[0].image_url"
    ]
    # an image data URL (any case), an https URL ending in .pdf and an input_file are the API's call
    for part in ({"type": "input_image", "image_url": "data:IMAGE/JPEG;base64,/9j/"},
                 {"type": "input_image", "image_url": "https://example.com/a.pdf"},
                 {"type": "input_file", "filename": "a.pdf",
                  "file_data": "data:application/pdf;base64,JVBERi0xLjQK"}):  # fmt: skip
        assert errors({"model": "gpt-4o", "input": [{"role": "user", "content": [part]}]}) == []


def test_the_builders_refuse_a_data_url_of_no_image_type_in_an_input_image() -> None:
    call = {"type": "function_call", "call_id": "call_1", "name": "read", "arguments": "{}"}
    with pytest.raises(ReplayError, match=r"^\[R13\] function_call_output\.output\[0\]"):
        tool_output(call, output=[PDF_AS_IMAGE])
    with pytest.raises(ReplayError, match="but got unsupported MIME type 'application/pdf'"):
        History(store=False).user([PDF_AS_IMAGE])
    with pytest.raises(ReplayError, match="input_file part"):
        Chain(previous_response_id="resp_1").user([PDF_AS_IMAGE])


# Evidence (reported, not confirmed against the official API: api-errors.md allows a warning at
# most): https://github.com/microsoft/agent-framework-go/issues/783 (Azure OpenAI Responses; fixed
# by PR 784, "input reasoning items must not carry plaintext `content`") and
# https://github.com/musistudio/claude-code-router/issues/1783 (the Codex backend), the words:
# "Invalid 'input[39].content': array too long. Expected an array with maximum length 0, but got
# an array with length 1 instead." (code array_above_max_length)
def test_a_reasoning_item_replayed_with_reasoning_text_content_is_warned_about() -> None:
    reasoning = {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAAA",
                 "content": [{"type": "reasoning_text", "text": "We need to answer."}]}  # fmt: skip
    answer = {"type": "message", "id": "msg_1", "role": "assistant",
              "content": [{"type": "output_text", "text": "Done.", "annotations": []}]}  # fmt: skip
    found = check({"model": "gpt-5", "input": [USER, reasoning, answer]})
    assert [(f.rule, f.path, f.severity) for f in found] == [
        ("R13", "input[1].content", "warning")
    ]  # was: nothing
    assert found[0].message == (
        "Invalid 'input[1].content': array too long. Expected an array with maximum length 0, "
        "but got an array with length 1 instead."
    )
    empty = {**reasoning, "content": []}
    assert check({"model": "gpt-5", "input": [USER, empty, answer]}) == []


# Evidence: https://github.com/vercel/ai/issues/18997 (live API, fixed by PR 18998): an
# allowed_tools entry {"type": "function", "name": "web_search"} while `tools` held the built-in
# {"type": "web_search"}: "400 Tool choice 'web_search' not found in 'tools' parameter." (built-in
# tools are chosen by type); the same words (param tool_choice) for a hosted tool the request does
# not declare: "Tool choice 'image_generation' not found in 'tools' parameter."
WEATHER_TOOL = {"type": "function", "name": "get_weather", "parameters": {}}


@pytest.mark.parametrize(
    ("tools", "choice", "path", "name"),
    [
        ([{"type": "web_search"}],
         {"type": "allowed_tools", "mode": "auto",
          "tools": [{"type": "function", "name": "web_search"}]},
         "tool_choice.tools[0]", "web_search"),
        ([WEATHER_TOOL], {"type": "image_generation"}, "tool_choice", "image_generation"),
        ([WEATHER_TOOL], {"type": "function", "name": "get_time"}, "tool_choice", "get_time"),
    ],
)  # fmt: skip
def test_a_tool_choice_naming_an_undeclared_tool_is_flagged(
    tools: list[Any], choice: dict[str, Any], path: str, name: str
) -> None:
    body = {"model": "gpt-5", "input": [USER], "tools": tools, "tool_choice": choice}
    found = [f for f in check(body) if f.severity == "error"]
    assert [(f.rule, f.path) for f in found] == [("R13", path)]  # was: clean
    assert found[0].message == f"Tool choice '{name}' not found in 'tools' parameter."
    history = History(store=True)
    history.user("List the files.")
    with pytest.raises(ReplayError, match=f"Tool choice '{name}' not found in 'tools' parameter"):
        history.request(model="gpt-5", tools=tools, tool_choice=choice)  # type: ignore[arg-type]
    chain = Chain(previous_response_id="resp_1")
    chain.user("And now?")
    with pytest.raises(ReplayError, match="not found in 'tools' parameter"):
        chain.request(model="gpt-5", tools=tools, tool_choice=choice)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "choice",
    [{"type": "function", "name": "get_weather"}, {"type": "web_search_preview"},
     {"type": "allowed_tools", "mode": "auto", "tools": [{"type": "web_search"},
                                                         {"type": "function", "name": "get_weather"}]},
     "required", {"type": "mcp", "server_label": "docs"}],
)  # fmt: skip
def test_a_tool_choice_of_a_declared_tool_is_not_flagged(choice: Any) -> None:
    tools = [WEATHER_TOOL, {"type": "web_search_preview_2025_03_11"}, {"type": "web_search"},
             {"type": "mcp", "server_label": "docs", "server_url": "https://example.com/mcp"}]  # fmt: skip
    body = {"model": "gpt-5", "input": [USER], "tools": tools, "tool_choice": choice}
    assert errors(body) == []
    # a stored prompt may bring its own tools: not judged
    prompt = {**body, "tools": [], "prompt": {"id": "pmpt_1"}}
    assert errors(prompt) == []


# A background response (`background=True`) is returned `queued`, then polled while `in_progress`
# (https://platform.openai.com/docs/guides/background; the corpus holds two queued ones from
# openai-dotnet's CanCancelBackgroundResponse). Its output is not final: a turn made of it would
# come again whole once it completes (Duplicate item found), or end in a reasoning item cut short
# (R4, with a hint about incomplete= that does not fit). Was: an empty or partial turn.
@pytest.mark.parametrize("status", ["queued", "in_progress"])
def test_a_background_response_still_running_is_not_a_turn(status: str) -> None:
    from responses_replay import InputError

    reasoning = {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAAAB"}
    for output in ([], [reasoning]):
        response = {"id": "resp_bg", "object": "response", "status": status, "output": output,
                    "background": True}  # fmt: skip
        words = rf"response resp_bg is {status}: its output is not final"
        with pytest.raises(InputError, match=words):
            Turn.from_response(response)
        with pytest.raises(InputError, match=words):
            Turn.from_items(parse_response(response))
        with pytest.raises(InputError, match=words):
            History(store=True).add_response(response)
        with pytest.raises(InputError, match=words):
            Chain().after(response)
    for done in ("completed", "incomplete", "failed", "cancelled"):
        assert len(Turn.from_response({"id": "resp_bg", "status": done, "output": []})) == 0


# The brief's first failure, on the newest SDK: `model_dump()` writes `None` for every unset field,
# nested ones too (openai 3.x `ResponseOutputText.logprobs`). A null the input side refuses is left
# out (the checker's fix for it: "Leave `logprobs` out instead of sending null"); was R13
# `content[0].logprobs: Input should be a valid list` for every assistant message.
def test_a_nested_refused_null_is_left_out_of_the_replay() -> None:
    text = {"type": "output_text", "text": "hi", "annotations": None, "logprobs": None}
    message = {"type": "message", "id": "msg_1", "role": "assistant", "status": "completed",
               "content": [text]}  # fmt: skip
    expected = [{**message, "content": [{"type": "output_text", "text": "hi"}]}]
    response = {"id": "resp_1", "status": "completed", "output": [message]}
    assert Turn.from_response(response).to_input() == expected
    assert Turn.from_items(parse_response(response)).to_input() == expected
    assert errors({"model": "gpt-5", "input": [USER, *expected]}) == []
    # a required key's null is still refused, in its own words
    broken = {**message, "content": [{**text, "text": None}]}
    with pytest.raises(ReplayError, match=r"content\[0\]\.text: .*Input should be a valid string"):
        Turn.from_response({**response, "output": [broken]})


def test_an_sdk_response_model_dump_replays_as_its_to_dict() -> None:
    sdk = pytest.importorskip("openai.types.responses")
    response = sdk.Response.model_validate({
        "id": "resp_1", "object": "response", "created_at": 1, "status": "completed",
        "model": "gpt-5", "parallel_tool_calls": True, "tool_choice": "auto", "tools": [],
        "output": [{"type": "message", "id": "msg_1", "role": "assistant", "status": "completed",
                    "content": [{"type": "output_text", "text": "hi", "annotations": []}]}],
    })  # fmt: skip
    wanted = Turn.from_response(response.to_dict()).to_input()
    for dumped in (response.model_dump(), response.model_dump_json()):
        got = Turn.from_response(dumped).to_input()
        # model_dump() writes `phase: None`, which the input side takes (nullable there)
        assert [{k: v for k, v in i.items() if v is not None} for i in got] == wanted
