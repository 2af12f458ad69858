"""The README's "Already in production? One line" section shows what its code really prints."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import logging
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Already in production? One line"


def fake_api() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fake_api", ROOT / "examples" / "fake_api.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("fake_api", module)
    spec.loader.exec_module(module)
    return module


def section() -> tuple[str, str]:
    """The section's code, and the output it shows."""
    text = (ROOT / "README.md").read_text(encoding="utf-8").split(SECTION, 1)[1].split("\n## ")[0]
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    shown = text.split("```text\n", 1)[1].split("```", 1)[0]
    return code, shown


def test_readme_repair_section_shows_what_it_prints() -> None:
    code, shown = section()
    assert 'guarded_client("repair")' in code
    api = fake_api().FakeResponsesAPI()
    source = code.replace(
        'guarded_client("repair")', 'guarded_client("repair", transport=api.transport())'
    ).replace("OpenAI(http_client", 'OpenAI(api_key="test", base_url="http://fake/v1", http_client')
    assert source.count("fake/v1") == 1
    assert "transport=api" in source
    printed = io.StringIO()
    # The format of the section's own logging.basicConfig (which pytest's handlers make a no-op).
    handler = logging.StreamHandler(printed)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    guard_log = logging.getLogger("responses_replay.guard")
    guard_log.addHandler(handler)
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(source, "README.md", "exec"), {"api": api})
    finally:
        guard_log.removeHandler(handler)
    assert printed.getvalue() == shown
    assert api.rejections == []  # the fake server accepted every repaired request
    assert len(api.exchanges) == 5
