"""Type-checked in CI (`make typecheck`), never run. Lines that must fail carry `# type: ignore[code]`;
with warn_unused_ignores, a line that stops failing breaks the build."""

from typing import Any, assert_type

from openai import AsyncOpenAI, OpenAI
from openai.types.responses import Response

from responses_replay import Chain, History, Turn, inputs, outputs, to_input, tool_output
from responses_replay.guard import guarded_async_client, guarded_client

client = OpenAI(api_key="sk-test")


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
        history.add(tool_output(call, output="18C"))
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
    turn = Turn.from_items([f])
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
