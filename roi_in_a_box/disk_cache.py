"""Results worth keeping between processes, in the user's cache folder, never in the repo.

A fresh ``check`` or one-pager build repeats work whose result depends only on its
inputs (the Monte Carlo over a spec's ranges needs numpy, ~0.1 s to import).  Such a
result is stored under ``$ROI_IN_A_BOX_CACHE`` (default ``$XDG_CACHE_HOME/roi-in-a-box``
or ``~/.cache/roi-in-a-box``), in a file named by the SHA-256 of everything that decides
it, the code that computes it included, so a hit is the same value a recomputation gives
and outputs stay byte-identical.  ``ROI_IN_A_BOX_CACHE=off`` turns the cache off.  A
missing, unreadable or malformed entry is a miss; a folder that cannot be written is
silently not used: the cache can make a run faster, never make it fail.  Each kind keeps
at most ``MAX_ENTRIES`` files: storing one more removes the least recently written.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from .caches import lru as registered_cache

ENV = "ROI_IN_A_BOX_CACHE"
MAX_ENTRY_BYTES = 4_000_000
MAX_ENTRIES = 512


def folder() -> Path | None:
    """The cache folder, or None when the cache is off."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "0", "off", "no", "false") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home folder to be found: no cache
            return None
    return Path(base) / "roi-in-a-box"


def key(*parts: object) -> str:
    """A stable name for a result decided by ``parts`` (JSON-serialisable; anything else by ``str``)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


@registered_cache("disk_cache.source_hashes")
@lru_cache(maxsize=64)
def source_hash(*files: str) -> str:
    """The SHA-256 of source files (pass ``__file__``): a code change makes new keys."""
    h = hashlib.sha256()
    for f in files:
        h.update(Path(f).read_bytes())
    return h.hexdigest()


def _path(kind: str, name: str, suffix: str) -> Path | None:
    root = folder()
    return None if root is None else root / kind / f"{name}{suffix}"


def load_bytes(kind: str, name: str, suffix: str = ".bin") -> bytes | None:
    """The bytes stored under ``kind``/``name``, or None."""
    path = _path(kind, name, suffix)
    if path is None:
        return None
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_ENTRY_BYTES + 1)
    except OSError:
        return None
    return raw if len(raw) <= MAX_ENTRY_BYTES else None


def store_bytes(kind: str, name: str, data: bytes, suffix: str = ".bin") -> None:
    """Keep ``data`` under ``kind``/``name``; written whole (temporary file, rename) or not at all."""
    path = _path(kind, name, suffix)
    if path is None or len(data) > MAX_ENTRY_BYTES:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        _prune(path)
    except OSError:
        return


def _prune(written: Path) -> None:
    """Remove the oldest entries beyond the cap, never the one just written."""
    entries = [e for e in os.scandir(written.parent) if e.is_file() and not e.name.startswith(".tmp-")]
    if len(entries) <= MAX_ENTRIES:
        return
    entries = sorted((e for e in entries if e.name != written.name), key=lambda e: (e.stat().st_mtime_ns, e.name))
    for e in entries[: len(entries) + 1 - MAX_ENTRIES]:
        try:
            os.unlink(e.path)
        except OSError:
            pass


def load(kind: str, name: str) -> Any | None:
    """The JSON value stored under ``kind``/``name``, or None."""
    raw = load_bytes(kind, name, ".json")
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def store(kind: str, name: str, value: Any) -> None:
    """Keep ``value`` (JSON) under ``kind``/``name``."""
    store_bytes(kind, name, json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), ".json")


def file_hash(path: Path) -> str:
    """The SHA-256 of a file's bytes (what a cached result about the file is keyed by);
    hashed once per process while the file's size and modification time stay the same."""
    st = path.stat()
    return _file_hash(path, st.st_mtime_ns, st.st_size)


@registered_cache("disk_cache.file_hashes")
@lru_cache(maxsize=256)
def _file_hash(path: Path, mtime_ns: int, size: int) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


@registered_cache("disk_cache.versions")
@lru_cache(maxsize=64)
def version(distribution: str) -> str:
    """An installed distribution's version (part of a key when its code decides the result)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed(distribution)
    except PackageNotFoundError:
        return ""
