"""Keep each conversation's History in SQLite between HTTP requests, keyed by conversation.

A web server handles one user message per HTTP request: load the conversation's saved state, run
the agent loop, save the new state (`History.to_json()` / `History.from_json()`, docs/state.md).
Two requests on one key at once must not lose a turn: the row carries a version, a save succeeds
only on the version it loaded, and the request that finds a newer one loads again and runs its
message again (optimistic concurrency: no lock is held while the model answers).

The three methods `load`, `save` and the `Conflict` they raise are the whole interface: the same
fits any database with a conditional update (`UPDATE ... WHERE key = ? AND version = ?`).

Runs offline: the real `openai` SDK talks to `fake_api.FakeResponsesAPI`.

    python examples/sqlite_store.py   # two concurrent requests on one conversation
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import threading
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Literal

import openai
from fake_api import WEATHER_TOOL, FakeResponsesAPI, tool_weather

from responses_replay import History, tool_output

try:  # the HTTP library of the installed openai: httpx2 from openai 3, httpx before
    import httpx2 as http  # type: ignore[import-not-found, unused-ignore]
except ImportError:
    import httpx as http  # type: ignore[no-redef, unused-ignore]

Stateless = History[Literal[False]]  # what this store keeps: History(store=False)

MODEL = "gpt-5-mini"


class Conflict(Exception):
    """Another request saved this conversation since it was loaded: load it again."""


class SQLiteHistories:
    """Histories by conversation key in one SQLite file: (key, version, state as JSON)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        with closing(self._connect()) as db, db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS histories "
                "(key TEXT PRIMARY KEY, version INTEGER NOT NULL, state TEXT NOT NULL)"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)  # one connection per call: thread-safe

    def load(self, key: str) -> tuple[Stateless, int]:
        """The conversation's History and the version to save it on (0: a new conversation)."""
        with closing(self._connect()) as db:
            row = db.execute(
                "SELECT version, state FROM histories WHERE key = ?", (key,)
            ).fetchone()
        if row is None:
            return History(store=False), 0
        version, state = row
        return History.from_json(state, store=False), int(version)  # refuses another mode

    def save(self, key: str, history: Stateless, version: int) -> None:
        """Store the new state if nobody saved since `version` was loaded; else raise Conflict."""
        state = history.to_json()
        with closing(self._connect()) as db, db:  # `with db`: one transaction, committed
            if version == 0:
                try:
                    db.execute("INSERT INTO histories VALUES (?, 1, ?)", (key, state))
                except sqlite3.IntegrityError as exc:
                    raise Conflict(key) from exc
                return
            saved = db.execute(
                "UPDATE histories SET version = version + 1, state = ? WHERE key = ? AND version = ?",
                (state, key, version),
            )
            if saved.rowcount != 1:
                raise Conflict(key)


def ask(client: openai.OpenAI, history: Stateless, question: str) -> str:
    """One user message through the agent loop (stateless: the whole history is sent)."""
    history.user(question)
    while True:
        response = client.responses.create(**history.request(model=MODEL, tools=[WEATHER_TOOL]))
        turn = history.add_response(response)
        if not turn.function_calls():
            return response.output_text
        for call in turn.function_calls():
            history.add(tool_output(call, output=tool_weather(call.arguments)))


def handle_message(
    store: SQLiteHistories,
    client: openai.OpenAI,
    key: str,
    question: str,
    *,
    before_save: Callable[[int], None] | None = None,
    attempts: int = 5,
) -> str:
    """What an HTTP handler does with one message: load, answer, save; again on a conflict."""
    for attempt in range(attempts):
        history, version = store.load(key)
        answer = ask(client, history, question)
        if before_save is not None:
            before_save(attempt)
        try:
            store.save(key, history, version)
        except Conflict:
            continue  # another request on this key saved first: start again from its state
        return answer
    raise Conflict(f"{key}: {attempts} attempts, each overtaken by another request")


SERVER = FakeResponsesAPI()  # one API for every client: it verifies the reasoning it issued (R12)
_ONE_AT_A_TIME = threading.Lock()  # the in-memory fake is not thread-safe; a real API is


def _serve(request: http.Request) -> http.Response:
    with _ONE_AT_A_TIME:
        return SERVER.handle(request)


def offline_client() -> openai.OpenAI:
    http_client = openai.DefaultHttpxClient(transport=http.MockTransport(_serve))
    return openai.OpenAI(api_key="test", base_url="http://fake/v1", http_client=http_client)


def main() -> int:
    questions = ["What is the weather in Paris?", "And in Oslo?"]
    both_loaded = threading.Barrier(len(questions))
    conflicts: list[str] = []

    def race(attempt: int) -> None:  # both requests answer before either saves
        if attempt == 0:
            both_loaded.wait(timeout=30)
        else:
            conflicts.append(threading.current_thread().name)

    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteHistories(Path(tmp) / "histories.sqlite3")
        threads = [
            threading.Thread(
                target=handle_message,
                args=(store, offline_client(), "conv-1", q),
                kwargs={"before_save": race},
                name=f"request-{n}",
            )
            for n, q in enumerate(questions)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        history, version = store.load("conv-1")
    asked = [i["content"] for i in history.body(model=MODEL)["input"] if i.get("role") == "user"]
    print(f"version {version}, retried after a conflict: {len(conflicts)}")
    print(f"user messages kept: {asked}")
    lost = [q for q in questions if q not in asked]
    print(f"lost: {len(lost)}")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
