"""examples/sqlite_store.py: histories kept in SQLite by conversation; no turn lost to a race."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import threading
from pathlib import Path
from types import ModuleType

import pytest

from responses_replay.checker import check

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _example() -> ModuleType:
    sys.path.insert(0, str(EXAMPLES))  # the example imports fake_api from its folder
    try:
        spec = importlib.util.spec_from_file_location("sqlite_store", EXAMPLES / "sqlite_store.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(EXAMPLES))


def test_the_example_runs_two_concurrent_requests_without_losing_a_turn() -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "sqlite_store.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "retried after a conflict: 1" in result.stdout
    assert "lost: 0" in result.stdout


def test_a_stale_save_is_a_conflict_and_the_retry_keeps_both_turns(tmp_path: Path) -> None:
    ex = _example()
    store = ex.SQLiteHistories(tmp_path / "h.sqlite3")
    client = ex.offline_client()
    ex.handle_message(store, client, "k", "What is the weather in Paris?")
    first, v1 = store.load("k")
    second, v2 = store.load("k")
    assert v1 == v2 == 1
    ex.ask(client, first, "And in Oslo?")
    ex.ask(client, second, "And in Rome?")
    store.save("k", first, v1)
    with pytest.raises(ex.Conflict):
        store.save("k", second, v2)  # would overwrite the Oslo turn
    store.save("new", first, 0)
    with pytest.raises(ex.Conflict):
        store.save("new", second, 0)  # two first saves of one new conversation
    ex.handle_message(store, client, "k", "And in Rome?")
    history, version = store.load("k")
    assert version == 3
    body = history.body(model=ex.MODEL)
    asked = [i["content"] for i in body["input"] if i.get("role") == "user"]
    assert asked == ["What is the weather in Paris?", "And in Oslo?", "And in Rome?"]
    assert not [f for f in check(body) if f.severity == "error"]


def test_concurrent_handlers_on_one_key_keep_every_turn(tmp_path: Path) -> None:
    """Four requests on one key, all answered before any saves: three conflicts, no turn lost."""
    ex = _example()
    store = ex.SQLiteHistories(tmp_path / "h.sqlite3")
    questions = [f"What is the weather in city {n}?" for n in range(4)]
    all_answered = threading.Barrier(len(questions))
    retries: list[int] = []
    errors: list[BaseException] = []

    def before_save(attempt: int) -> None:
        if attempt == 0:
            all_answered.wait(timeout=60)
        else:
            retries.append(attempt)

    def request(question: str) -> None:
        try:
            ex.handle_message(
                store, ex.offline_client(), "k", question, before_save=before_save, attempts=8
            )
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=request, args=(q,)) for q in questions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    history, version = store.load("k")
    body = history.body(model=ex.MODEL)
    asked = [i["content"] for i in body["input"] if i.get("role") == "user"]
    assert sorted(asked) == sorted(questions)
    assert version == len(questions)
    assert len(retries) >= len(questions) - 1
    assert not [f for f in check(body) if f.severity == "error"]
