"""Type-checked in CI (`make typecheck`), never run. Lines that must fail carry `# type: ignore[code]`;
with warn_unused_ignores, a line that stops failing breaks the build."""

from typing import Any, Literal, assert_type

from openai import AsyncOpenAI, OpenAI
from openai.types.responses import Response, ResponseFunctionToolCall, ResponseOutputItem

from responses_replay import (
    Chain,
    History,
    Turn,
    inputs,
    outputs,
    parse_response,
    to_input,
    tool_output,
)
from responses_replay.guard import guarded_async_client, guarded_client

client = OpenAI(api_key="sk-test")


def safety_checks(c: outputs.ComputerToolCall) -> None:
    """R15: a computer_call's pending checks, acknowledged once the user confirmed them."""
    shot: inputs.ComputerScreenshotImageDict = {"type": "computer_screenshot", "file_id": "file_1"}
    acked: list[inputs.ComputerCallSafetyCheckParamDict] = [
        {"id": check.id} for check in c.pending_safety_checks
    ]
    out = tool_output(c, output=shot, acknowledged_safety_checks=acked)
    assert_type(out, inputs.ComputerCallOutputItemParam)
    # the call's own checks, as parse_response read them (Output models)
    again = tool_output(c, output=shot, acknowledged_safety_checks=c.pending_safety_checks)
    assert_type(again, inputs.ComputerCallOutputItemParam)


def converters(
    r: outputs.ReasoningItem, m: outputs.OutputMessage, f: outputs.FunctionToolCall
) -> None:
    assert_type(to_input(r), inputs.ReasoningItem)
    assert_type(to_input(m), inputs.OutputMessage)
    assert_type(to_input(f), inputs.FunctionToolCall)
    assert_type(tool_output(f, output="42"), inputs.FunctionCallOutputItemParam)
    # An output item where an input item is expected: the two views are different classes.
    bad: inputs.FunctionToolCall = f  # type: ignore[assignment]


def nulls_are_type_errors() -> None:
    # encrypted_content is never sent as null (R1): None is refused by the type.
    inputs.ReasoningItem(type="reasoning", summary=[], encrypted_content=None)  # type: ignore[arg-type]
    # status is never null on input either.
    inputs.FunctionToolCall(
        type="function_call",
        call_id="c",
        name="f",
        arguments="{}",
        status=None,  # type: ignore[arg-type]
    )
    # a plain str where the API knows only some values (R13)
    inputs.EasyInputMessage(role="tool", content="x")  # type: ignore[arg-type]


def stateless_loop(response: Response) -> None:
    # R1, R4: a model_dump() loop over a reasoning model's output; the typed way keeps turns whole.
    history = History(store=False)
    history.user("What is the weather in Paris?")
    turn = history.add_response(response)
    for call in turn.calls():
        # one payload for every call type at once: a computer_call's output is a screenshot
        history.add(tool_output(call, output="18C"))  # type: ignore[arg-type]
    for fc in turn.function_calls():
        assert_type(tool_output(fc, output="18C"), inputs.FunctionCallOutputItemParam)
    r = outputs.ReasoningItem(type="reasoning", id="rs_1", summary=[])
    history.add(to_input(r))  # type: ignore[arg-type]  # a bare reasoning item (R4)
    history.add(*[item.model_dump() for item in response.output])  # type: ignore[arg-type]  # R1
    kwargs = history.request(model="gpt-5")
    assert_type(client.responses.create(**kwargs), Response)


def chained_after_image_turn(response: Response, f: outputs.FunctionToolCall) -> None:
    # R2: with conversation=, the model's earlier items must not be sent again.
    chain = Chain(conversation="conv_123")
    chain.user([{"type": "input_image", "image_url": "https://example.com/a.png"}])
    chain.after(response)
    chain.add(tool_output(f, output="done"))
    chain.add(to_input(f))  # type: ignore[arg-type]  # a model item in a chained request (R2)
    chain.add(f)  # type: ignore[arg-type]  # an output item in a chained request (R2)
    kwargs = chain.request(model="gpt-5")
    assert_type(client.responses.create(**kwargs), Response)


def store_false_by_id(f: outputs.FunctionToolCall) -> None:
    # R3: under store=false an item is never sent by reference; the history only takes whole turns.
    history = History(store=False)
    history.add(inputs.ItemReferenceParam(id=f.id or ""))  # type: ignore[arg-type]
    turn = Turn.from_items([f])  # type: ignore[arg-type]  # a hand-made list is not a turn (R4, R5)
    history.add_turn(turn)
    body: dict[str, Any] = history.body(model="gpt-5")
    assert_type(body, dict[str, Any])


def guarded_clients() -> None:
    # The guard's clients have the type the installed openai annotates `http_client` with.
    OpenAI(http_client=guarded_client())
    OpenAI(http_client=guarded_client("log", timeout=30))
    AsyncOpenAI(http_client=guarded_async_client())
    # ... and the sync one is not an async client.
    AsyncOpenAI(http_client=guarded_client())  # type: ignore[arg-type]


def turns_come_whole(response: Response, raw: bytes) -> None:
    # A turn comes from a whole response, stream or listing; never from dicts or a filtered list.
    Turn([item.model_dump() for item in response.output])  # type: ignore[arg-type]
    parsed = parse_response(raw)
    assert_type(Turn.from_items(parsed), Turn)
    Turn.from_items([x for x in parsed if x.type != "reasoning"])  # type: ignore[arg-type]
    assert_type(Turn.from_response(response), Turn)
    assert_type(Turn.from_listing(raw, order="desc"), Turn)


def request_parameters(history: History[Literal[False]], chain: Chain) -> None:
    history.request(model="gpt-5", tools=[], max_output_tokens=100, include=["x"])
    history.request(model="gpt-5", input=[])  # type: ignore[call-arg]  # replaces the history
    history.request(model="gpt-5", store=True)  # type: ignore[call-arg]  # contradicts the mode
    history.body(model="gpt-5", previous_response_id="resp_1")  # type: ignore[call-arg]  # R2
    history.body(model="gpt-5", conversation="conv_1")  # type: ignore[call-arg]  # R2
    chain.request(model="gpt-5", conversation="conv_1")  # type: ignore[call-arg]  # set on Chain
    history.request(model="gpt-5", max_output_tokens="100")  # type: ignore[arg-type]
    history.request(model="gpt-5", temprature=0.2)  # type: ignore[call-arg]  # a typo


def typed_payloads(f: outputs.FunctionToolCall, m: outputs.MCPApprovalRequest) -> None:
    assert_type(tool_output(m, approve=True), inputs.MCPApprovalResponse)
    tool_output(f, outptu="18C")  # type: ignore[call-overload]  # a typo
    tool_output(f, output={"temp": 18})  # type: ignore[call-overload]  # not str nor parts
    tool_output(f, call_id="call_2", output="x")  # type: ignore[call-overload]  # the key is copied (R6)
    tool_output(m, approve="yes")  # type: ignore[call-overload]
    tool_output(f, output=[{"type": "input_text", "text": "18C"}])


def user_content(history: History[Literal[False]]) -> None:
    history.user([{"type": "input_text", "text": "hi"}])
    history.user([{"type": "input_txt", "text": "hi"}])  # type: ignore[list-item]
    history.user([{"type": "input_image", "image_url": 3}])  # type: ignore[list-item]
    history.user({"text": "hi"})  # type: ignore[arg-type]


def sdk_objects(
    call: ResponseFunctionToolCall, item: ResponseOutputItem, ours: outputs.OutputItem
) -> None:
    assert_type(tool_output(call, output="18C"), inputs.FunctionCallOutputItemParam)
    assert_type(to_input(call), inputs.FunctionToolCall)
    any_input: inputs.InputItem = to_input(ours)
    sdk_input: inputs.InputItem | dict[str, Any] = to_input(item, unknown="pass")
    history = History(store=False)
    history.add(tool_output(call, output="18C"))


def chaining_modes() -> None:
    Chain(previous_response_id="resp_1")
    Chain(conversation="conv_1")
    Chain(previous_response_id="resp_1", conversation="conv_1")  # type: ignore[call-overload]  # R8


def item_references(f: outputs.FunctionToolCall) -> None:
    ref = inputs.ItemReferenceParam(id="msg_1")
    stored = History(store=True)
    assert_type(stored, History[Literal[True]])
    stored.add(ref)  # legal when the server keeps the items
    History(store=False).add(ref)  # type: ignore[arg-type]  # R3: nothing is looked up
    Chain(conversation="conv_1").add(ref)  # type: ignore[arg-type]  # R2: already in context


def caller_written(history: History[Literal[False]]) -> None:
    # A caller may write assistant messages (few-shot) and input messages with a status.
    history.add(inputs.EasyInputMessage(role="assistant", content="Hello, how can I help?"))
    history.add(
        inputs.InputMessage(
            role="user",
            content=[inputs.InputTextContent(type="input_text", text="hi")],
            status="completed",
        )
    )


def listing_only_items(u: outputs.ConfigurationUpdateItem) -> None:
    # A type only listings return (caller-written) converts to its input class (issue 13).
    assert_type(to_input(u), inputs.ConfigurationUpdateItemParam)
