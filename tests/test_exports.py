"""The public surface, pinned: every public module's `__all__`, name by name (as pydantic and httpx
do). A rename, an addition or a removal fails here first, so that it is a visible decision: update
the list in the same change, and say so in CHANGELOG.md.

`inputs` / `outputs` export the item unions and their adapters, the item classes and the content
parts a caller writes, under the spec's schema names; the other generated classes stay importable
but private (their names move with the spec).
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import responses_replay

PUBLIC: dict[str, list[str]] = {
    "responses_replay": [
        "CallItem",
        "Chain",
        "CreateParams",
        "Finding",
        "History",
        "InputError",
        "NewItem",
        "Repair",
        "Repaired",
        "ReplayCheckError",
        "ReplayError",
        "RequestKwargs",
        "ResponseOutput",
        "StateError",
        "StreamError",
        "Turn",
        "check",
        "check_or_raise",
        "inputs",
        "outputs",
        "parse_response",
        "repair",
        "to_input",
        "tool_output",
    ],
    "responses_replay.checker": [
        "Finding",
        "ReplayCheckError",
        "Severity",
        "check",
        "check_or_raise",
    ],
    "responses_replay.cli": [
        "app",
        "main",
    ],
    "responses_replay.drift": [
        "Drift",
        "UNIONS",
        "UnionDrift",
        "compare",
        "drift",
        "item_fields",
        "render",
        "request_params",
    ],
    "responses_replay.guard": [
        "AsyncGuardTransport",
        "ConversationBusy",
        "GuardMode",
        "GuardTransport",
        "guarded_async_client",
        "guarded_client",
        "install_guard",
        "refusal_of",
    ],
    "responses_replay.history": [
        "Chain",
        "CompactKwargs",
        "CreateParams",
        "History",
        "RequestKwargs",
    ],
    "responses_replay.inputs": [
        "AdditionalToolsItemParam",
        "ApplyPatchToolCallItemParam",
        "ApplyPatchToolCallOutputItemParam",
        "CodeInterpreterToolCall",
        "CompactionSummaryItemParam",
        "CompactionTriggerItemParam",
        "ComputerCallOutputItemParam",
        "ComputerScreenshotImage",
        "ComputerToolCall",
        "ConfigurationUpdateItemParam",
        "CustomToolCall",
        "CustomToolCallOutput",
        "EasyInputMessage",
        "FileSearchToolCall",
        "FunctionCallOutputItemParam",
        "FunctionShellCallItemParam",
        "FunctionShellCallOutputContentParam",
        "FunctionShellCallOutputItemParam",
        "FunctionToolCall",
        "ImageGenToolCall",
        "InputFileContent",
        "InputFileContentParam",
        "InputImageContent",
        "InputImageContentParamAutoParam",
        "InputItem",
        "InputItemAdapter",
        "InputItemListAdapter",
        "InputMessage",
        "InputTextContent",
        "InputTextContentParam",
        "ItemReferenceParam",
        "LocalShellToolCall",
        "LocalShellToolCallOutput",
        "MCPApprovalRequest",
        "MCPApprovalResponse",
        "MCPListTools",
        "MCPToolCall",
        "OutputMessage",
        "OutputTextContent",
        "ProgramItemParam",
        "ProgramOutputItemParam",
        "ReasoningItem",
        "ReasoningTextContent",
        "RefusalContent",
        "SummaryTextContent",
        "ToolSearchCallItemParam",
        "ToolSearchOutputItemParam",
        "WebSearchToolCall",
    ],
    "responses_replay.outputs": [
        "AdditionalTools",
        "ApplyPatchToolCall",
        "ApplyPatchToolCallOutput",
        "CodeInterpreterToolCall",
        "CompactedItem",
        "CompactedItemListAdapter",
        "CompactionBody",
        "ComputerScreenshotContent",
        "ComputerScreenshotImage",
        "ComputerToolCall",
        "ComputerToolCallOutputResource",
        "ConfigurationUpdateItem",
        "ConversationItem",
        "ConversationItemListAdapter",
        "CustomToolCall",
        "CustomToolCallOutput",
        "CustomToolCallOutputResource",
        "CustomToolCallResource",
        "FileSearchToolCall",
        "FunctionShellCall",
        "FunctionShellCallOutput",
        "FunctionShellCallOutputContent",
        "FunctionToolCall",
        "FunctionToolCallOutput",
        "FunctionToolCallOutputResource",
        "FunctionToolCallResource",
        "ImageGenToolCall",
        "InputFileContent",
        "InputImageContent",
        "InputMessageResource",
        "InputTextContent",
        "ItemResource",
        "ItemResourceListAdapter",
        "LocalShellToolCall",
        "LocalShellToolCallOutput",
        "MCPApprovalRequest",
        "MCPApprovalResponseResource",
        "MCPListTools",
        "MCPToolCall",
        "Message",
        "OutputItem",
        "OutputItemAdapter",
        "OutputItemListAdapter",
        "OutputMessage",
        "OutputTextContent",
        "Program",
        "ProgramOutput",
        "ReasoningItem",
        "ReasoningTextContent",
        "RefusalContent",
        "SummaryTextContent",
        "TextContent",
        "ToolSearchCall",
        "ToolSearchOutput",
        "UnknownItem",
        "WebSearchToolCall",
    ],
    "responses_replay.repairer": [
        "Repair",
        "Repaired",
        "repair",
    ],
    "responses_replay.state": [
        "FORMAT",
        "StateError",
        "VERSION",
    ],
    "responses_replay.stream": [
        "StreamError",
        "iter_sse",
        "turn_from_stream",
        "turn_from_stream_async",
    ],
    "responses_replay.turn": [
        "Incomplete",
        "Turn",
        "pending_calls",
    ],
}


def _public_modules() -> list[str]:
    """Every module of the package whose name has no leading underscore."""
    found = ["responses_replay"]
    for info in pkgutil.iter_modules(responses_replay.__path__, "responses_replay."):
        if not info.name.rsplit(".", 1)[1].startswith("_"):
            found.append(info.name)
    return sorted(found)


def test_every_public_module_is_pinned() -> None:
    assert _public_modules() == sorted(PUBLIC)


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_names(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{name} has no __all__"
    assert sorted(exported) == PUBLIC[name], f"{name}.__all__ changed"
    assert len(set(exported)) == len(exported), f"{name}.__all__ lists a name twice"
    for attr in exported:
        assert getattr(module, attr, None) is not None, f"{name}.{attr} is listed but missing"


@pytest.mark.parametrize("name", ["responses_replay.inputs", "responses_replay.outputs"])
def test_generated_internals_are_not_public(name: str) -> None:
    """Generator internals and names the code generator invents stay out of `__all__`."""
    module = importlib.import_module(name)
    for internal in ["SHARED_TAGS", "member_class", "KNOWN_TYPES", "Name", "Namespace", "FileIds"]:
        assert internal not in module.__all__


@pytest.mark.parametrize(
    ("name", "attr"),
    [
        ("responses_replay.inputs", "CompoundFilter"),
        ("responses_replay.inputs", "FileSearchTool"),
        ("responses_replay.outputs", "ComparisonFilter"),
        ("responses_replay.outputs", "FileSearchTool"),
    ],
)
def test_private_classes_stay_importable(name: str, attr: str) -> None:
    module = importlib.import_module(name)
    assert attr not in module.__all__
    cls = getattr(module, attr)
    assert cls.__name__ == attr
    assert attr in dir(importlib.import_module(name.replace(".", "._generated.", 1)))


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'NoSuchModel'"):
        _ = responses_replay.inputs.NoSuchModel
