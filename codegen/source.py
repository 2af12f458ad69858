"""Find the pinned OpenAPI spec: OPENAPI_SPEC, else the local cache, else a download; verify sha256."""

from __future__ import annotations

import hashlib
import os
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import CodegenError

ROOT = Path(__file__).resolve().parent.parent
PIN_FILE = ROOT / "spec" / "pin.yaml"
CACHE_DIR = ROOT / "spec" / "cache"


@dataclass(frozen=True)
class Pin:
    """The upstream spec the project is pinned to."""

    repository: str
    commit: str
    sha256: str
    url: str


@dataclass(frozen=True)
class SpecBytes:
    """The spec's raw bytes, where they came from, and their sha256."""

    data: bytes
    origin: str
    sha256: str


def load_pin(path: Path = PIN_FILE) -> Pin:
    """Read spec/pin.yaml."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CodegenError(str(path), "", f"cannot read the pin: {exc}") from exc
    if not isinstance(raw, dict):
        raise CodegenError(str(path), "", "expected a mapping with repository, commit, sha256, url")
    try:
        return Pin(
            repository=str(raw["repository"]),
            commit=str(raw["commit"]),
            sha256=str(raw["sha256"]).lower(),
            url=str(raw["url"]),
        )
    except KeyError as exc:
        raise CodegenError(str(path), str(exc.args[0]), "missing key") from exc


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _verified(data: bytes, origin: str, expected: str) -> SpecBytes:
    digest = sha256_of(data)
    if digest != expected:
        raise CodegenError(
            origin,
            "",
            f"sha256 mismatch: got {digest}, the pin (spec/pin.yaml) expects {expected}. "
            "Point OPENAPI_SPEC at the pinned file, or update the pin after a spec update.",
        )
    return SpecBytes(data, origin, digest)


def locate_pinned(pin: Pin | None = None, *, download: bool = True) -> SpecBytes:
    """Return the pinned spec's bytes: OPENAPI_SPEC, else spec/cache, else download (then cache)."""
    pin = pin or load_pin()
    env = os.environ.get("OPENAPI_SPEC")
    if env:
        path = Path(env)
        if not path.is_file():
            raise CodegenError(env, "", "OPENAPI_SPEC names a file that does not exist")
        return _verified(path.read_bytes(), env, pin.sha256)
    cached = CACHE_DIR / f"openapi-{pin.commit}.yaml"
    if cached.is_file():
        return _verified(cached.read_bytes(), str(cached), pin.sha256)
    if not download:
        raise CodegenError(
            str(cached), "", "no spec: set OPENAPI_SPEC=<path> or allow the download of the pin"
        )
    try:
        with urllib.request.urlopen(pin.url, timeout=60) as resp:
            data = resp.read()
    except OSError as exc:
        raise CodegenError(
            pin.url, "", f"download failed ({exc}); set OPENAPI_SPEC=<path to the pinned spec>"
        ) from exc
    spec = _verified(data, pin.url, pin.sha256)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(data)
    return spec


def read_any(path: str | Path) -> SpecBytes:
    """Read a spec from a path without checking it against the pin (older snapshots, diffs)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise CodegenError(str(p), "", f"cannot read: {exc.strerror}") from exc
    return SpecBytes(data, str(p), sha256_of(data))
