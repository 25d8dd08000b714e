"""Results worth keeping between processes, in the user's cache folder, never in the repo.

A fresh ``check`` or one-pager build repeats work whose result depends only on its
inputs (the Monte Carlo over a spec's ranges needs numpy, ~0.1 s to import).  Such a
result is stored under ``$ROI_IN_A_BOX_CACHE`` (default ``$XDG_CACHE_HOME/roi-in-a-box``
or ``~/.cache/roi-in-a-box``), in a file named by the SHA-256 of everything that decides
it, the code that computes it included, so a hit is the same value a recomputation gives
and outputs stay byte-identical.  ``ROI_IN_A_BOX_CACHE=off`` turns the cache off.  A
missing, unreadable or malformed entry is a miss; a folder that cannot be written is
silently not used: the cache can make a run faster, never make it fail.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

ENV = "ROI_IN_A_BOX_CACHE"
MAX_ENTRY_BYTES = 1_000_000


def folder() -> Path | None:
    """The cache folder, or None when the cache is off."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "0", "off", "no", "false") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "roi-in-a-box"


def key(*parts: object) -> str:
    """A stable name for a result decided by ``parts`` (JSON-serialisable; anything else by ``str``)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def source_hash(*files: str) -> str:
    """The SHA-256 of source files (pass ``__file__``): a code change makes new keys."""
    h = hashlib.sha256()
    for f in files:
        h.update(Path(f).read_bytes())
    return h.hexdigest()


def _path(kind: str, name: str) -> Path | None:
    root = folder()
    return None if root is None else root / kind / f"{name}.json"


def load(kind: str, name: str) -> Any | None:
    """The JSON value stored under ``kind``/``name``, or None."""
    path = _path(kind, name)
    if path is None:
        return None
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_ENTRY_BYTES + 1)
        if len(raw) > MAX_ENTRY_BYTES:
            return None
        return json.loads(raw)
    except (OSError, ValueError):
        return None


def store(kind: str, name: str, value: Any) -> None:
    """Keep ``value`` (JSON) under ``kind``/``name``; written whole or not at all."""
    path = _path(kind, name)
    if path is None:
        return
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(data) > MAX_ENTRY_BYTES:
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
    except OSError:
        return
