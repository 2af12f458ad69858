"""A WRONG replay, the way it is usually written, rejected as the API rejects it; then the guard
catching it before anything is sent; then the same loop done right.

Runs offline against `fake_api.FakeResponsesAPI` (illustrative fixtures; the API's rules enforced
on their own, without responses_replay).

    python examples/wrong_replay.py
"""

from __future__ import annotations

import sys
from typing import Any

import openai
from fake_api import WEATHER_TOOL, FakeResponsesAPI, tool_weather

from responses_replay import History, ReplayCheckError, tool_output
from responses_replay.guard import guarded_client, refusal_of

MODEL = "gpt-5-mini"
QUESTION = "What is the weather in Paris?"


def model_dump_loop(client: openai.OpenAI) -> str:
    """Every output item appended with `model_dump()`: `status: None` on the reasoning item (R1)."""
    context: list[Any] = [{"role": "user", "content": QUESTION}]
    response = client.responses.create(model=MODEL, input=context, tools=[WEATHER_TOOL])
    for item in response.output:
        context.append(item.model_dump())
        if item.type == "function_call":
            output = tool_weather(item.arguments)
            context.append(
                {"type": "function_call_output", "call_id": item.call_id, "output": output}
            )
    response = client.responses.create(model=MODEL, input=context, tools=[WEATHER_TOOL])
    return response.output_text


def chained_resend(client: openai.OpenAI) -> str:
    """previous_response_id, yet the model's items sent again: `Duplicate item found` (R2)."""
    context: list[Any] = [{"role": "user", "content": QUESTION}]
    response = client.responses.create(model=MODEL, input=context, tools=[WEATHER_TOOL])
    for item in response.output:
        context.append(item.to_dict())  # no nulls this time, but these items are stored already
        if item.type == "function_call":
            output = tool_weather(item.arguments)
            context.append(
                {"type": "function_call_output", "call_id": item.call_id, "output": output}
            )
    response = client.responses.create(
        model=MODEL, input=context, tools=[WEATHER_TOOL], previous_response_id=response.id
    )
    return response.output_text


def right(client: openai.OpenAI) -> str:
    """The same loop with `History`: whole turns, no output-only fields, outputs from their calls."""
    history = History(store=False)
    history.user(QUESTION)
    while True:
        response = client.responses.create(**history.request(model=MODEL, tools=[WEATHER_TOOL]))
        turn = history.add_response(response)
        if not turn.function_calls():
            return response.output_text
        for call in turn.function_calls():
            history.add(tool_output(call, output=tool_weather(call.arguments)))


def main() -> int:
    rejected = 0
    for wrong in (model_dump_loop, chained_resend):
        print(f"== {wrong.__name__}: {(wrong.__doc__ or '').strip()}")
        # 1. Sent as is: the (fake) API answers 400, like the live one.
        api = FakeResponsesAPI()
        plain = openai.DefaultHttpxClient(transport=api.transport())
        client = openai.OpenAI(api_key="test", base_url="http://fake/v1", http_client=plain)
        try:
            wrong(client)
        except openai.BadRequestError as exc:
            rejected += 1
            error = exc.body if isinstance(exc.body, dict) else {}
            print(f"   API:   {exc.status_code} {error.get('message')}")
        else:
            print("   API:   accepted (unexpected)")
        # 2. With the guard: refused before the request leaves the process.
        api = FakeResponsesAPI()
        guarded = guarded_client(transport=api.transport())
        client = openai.OpenAI(api_key="test", base_url="http://fake/v1", http_client=guarded)
        try:
            wrong(client)
        except openai.BadRequestError as exc:  # answered locally, on the first attempt
            refusal = refusal_of(exc)
            if not isinstance(refusal, ReplayCheckError):
                print(f"   guard: let it through, the API refused it: {exc}")
                continue
            rejected += 1
            sent = len(api.exchanges)
            print(f"   guard: refused before sending (the server saw {sent} request(s)):")
            for finding in refusal.findings:
                print(f"          {finding}")
        else:
            print("   guard: let it through (unexpected)")
    # 3. The right way, through the guard: accepted.
    api = FakeResponsesAPI()
    guarded = guarded_client(transport=api.transport())
    client = openai.OpenAI(api_key="test", base_url="http://fake/v1", http_client=guarded)
    answer = right(client)
    print(f"== right: {answer} ({len(api.exchanges)} requests, {len(api.rejections)} rejected)")
    return 0 if rejected == 4 and not api.rejections else 1


if __name__ == "__main__":
    sys.exit(main())
