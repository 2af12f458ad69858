"""The only stage that touches disk: write the generated tree, or check it is up to date."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "src" / "responses_replay" / "_generated"


def _existing(dest: Path) -> dict[str, Path]:
    if not dest.is_dir():
        return {}
    return {p.relative_to(dest).as_posix(): p for p in dest.rglob("*.py")}


def stale(files: dict[str, str], dest: Path = GENERATED) -> list[str]:
    """Paths that differ from what the generator produces (changed, missing or left over)."""
    have = _existing(dest)
    out = [
        p
        for p, text in files.items()
        if p not in have or have[p].read_text(encoding="utf-8") != text
    ]
    out.extend(p for p in have if p not in files)
    return sorted(out)


def write_tree(files: dict[str, str], dest: Path = GENERATED) -> list[str]:
    """Write the files, remove generated files that are no longer produced; return changed paths."""
    changed = stale(files, dest)
    for path, text in files.items():
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
    for path, existing in _existing(dest).items():
        if path not in files:
            existing.unlink()
    return changed
