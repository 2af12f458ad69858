from openai import OpenAI

from responses_replay import Chain, History, outputs, parse_response, to_input

client = OpenAI(api_key="test")
response = client.responses.create(model="gpt-5", input="Weather in Paris?")

history = History(store=False)
for item in parse_response(response):
    if isinstance(item, outputs.ReasoningItem):
        history.add(to_input(item))  # a reasoning item on its own (R4)

chain = Chain(previous_response_id=response.id)
for item in parse_response(response):
    if isinstance(item, outputs.FunctionToolCall):
        chain.add(to_input(item))  # the model's own call, sent again (R2)
