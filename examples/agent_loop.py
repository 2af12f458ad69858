"""A multi-turn agent loop with a function tool and a reasoning model, in each replay mode.

Runs offline: the real `openai` SDK talks to `fake_api.FakeResponsesAPI` (illustrative fixtures, the
API's replay rules enforced on their own). Each mode asks two questions; each question takes a
tool call (reasoning + function_call), the tool's output, then the answer (reasoning + message).

    python examples/agent_loop.py            # every mode
    python examples/agent_loop.py stateless  # or: self_contained, stored, compacting,
                                             # previous_response_id, conversation
"""

from __future__ import annotations

import sys

import openai
from fake_api import WEATHER_TOOL, FakeResponsesAPI, tool_weather

from responses_replay import Chain, History, tool_output

MODEL = "gpt-5-mini"
QUESTIONS = ["What is the weather in Paris?", "And in Oslo?"]


def offline_client(api: FakeResponsesAPI) -> openai.OpenAI:
    http_client = openai.DefaultHttpxClient(transport=api.transport())
    return openai.OpenAI(api_key="test", base_url="http://fake/v1", http_client=http_client)


def ask(client: openai.OpenAI, history: History[bool], question: str) -> str:
    """One question: requests until the model answers, each tool call answered."""
    history.user(question)
    while True:
        response = client.responses.create(**history.request(model=MODEL, tools=[WEATHER_TOOL]))
        turn = history.add_response(response)  # the whole output, in order (R4, R5)
        if not turn.function_calls():
            return response.output_text
        for call in turn.function_calls():
            history.add(tool_output(call, output=tool_weather(call.arguments)))


def manual_history(client: openai.OpenAI, history: History[bool]) -> list[str]:
    """The whole history is sent each time, as the History's mode says."""
    return [ask(client, history, question) for question in QUESTIONS]


def stateless(client: openai.OpenAI) -> list[str]:
    """store=False: the whole history is sent each time, reasoning with its encrypted_content."""
    return manual_history(client, History(store=False))


def self_contained(client: openai.OpenAI) -> list[str]:
    """store=True, but no request depends on a server-side lookup: items in full without their
    ids, reasoning by its encrypted_content. Immune to "Item with id 'fc_...' not found"."""
    return manual_history(client, History(store=True, self_contained=True))


def stored(client: openai.OpenAI) -> list[str]:
    """store=True with the server's ids kept: each replayed id is looked up server-side."""
    return manual_history(client, History(store=True))


def compacting(client: openai.OpenAI) -> list[str]:
    """Stateless, compacted between the questions: the compacted window (the user messages kept
    and an encrypted `compaction` item) replaces the history, and the loop goes on."""
    history = History(store=False)
    answers = [ask(client, history, QUESTIONS[0])]
    request = history.compact_request(model=MODEL)
    if hasattr(client.responses, "compact"):  # openai 2.x and later
        compacted: object = client.responses.compact(**request)
    else:  # openai 1.x has no method for POST /responses/compact: the raw call, same body
        compacted = client.post("/responses/compact", body=dict(request), cast_to=object)
    history.compact(compacted)
    answers.append(ask(client, history, QUESTIONS[1]))
    return answers


def previous_response_id(client: openai.OpenAI) -> list[str]:
    """Chained by previous_response_id: only new user messages and tool outputs are sent (R2)."""
    chain = Chain()
    answers = []
    for question in QUESTIONS:
        chain.user(question)
        while True:
            response = client.responses.create(**chain.request(model=MODEL, tools=[WEATHER_TOOL]))
            turn = chain.after(response)  # the next request chains on response.id
            if not turn.function_calls():
                break
            for call in turn.function_calls():
                chain.add(tool_output(call, output=tool_weather(call.arguments)))
        answers.append(response.output_text)
    return answers


def conversation(client: openai.OpenAI) -> list[str]:
    """On a conversation: the server keeps the items; each request carries only the delta (R2)."""
    chain = Chain(conversation=client.conversations.create().id)
    answers = []
    for question in QUESTIONS:
        chain.user(question)
        while True:
            response = client.responses.create(**chain.request(model=MODEL, tools=[WEATHER_TOOL]))
            turn = chain.after(response)
            if not turn.function_calls():
                break
            for call in turn.function_calls():
                chain.add(tool_output(call, output=tool_weather(call.arguments)))
        answers.append(response.output_text)
    return answers


MODES = {
    "stateless": stateless,
    "self_contained": self_contained,
    "stored": stored,
    "compacting": compacting,
    "previous_response_id": previous_response_id,
    "conversation": conversation,
}


def main(argv: list[str]) -> int:
    for name in argv or list(MODES):
        api = FakeResponsesAPI()
        answers = MODES[name](offline_client(api))
        print(f"== {name}: {len(api.exchanges)} requests, {len(api.rejections)} rejected")
        for exchange in api.exchanges:
            if not exchange.path.endswith("/responses"):
                print(f"   POST {exchange.path} -> {exchange.answer['id']}")
                continue
            body = exchange.body
            kinds = [it.get("type", "message") for it in body.get("input", [])]
            chained = {k: body[k] for k in ("previous_response_id", "conversation") if k in body}
            print(f"   sent {kinds} {chained or ''}".rstrip())
        for question, answer in zip(QUESTIONS, answers, strict=True):
            print(f"   {question} -> {answer}")
        assert api.rejections == [], api.rejections
        assert answers == ["In Paris it is 18°C and sunny.", "In Oslo it is 4°C and raining."]
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
