"""The account ids a streamed batch has seen, to report a duplicate with its first row.

A dict of every id grew the batch's own process by about 120 bytes an account (measured:
1.0 MB of Python memory over 8,192 accounts; 12 MB at 100,000, a tenth of that process),
the one part of the client that grew with the accounts file.  Past the first few thousand ids they go to an SQLite
table in a temporary file, whose page cache is bounded; a lookup stays exact.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

IN_MEMORY = 4096  # ids kept in a dict before the table takes over
CACHE_KIB = 2048  # SQLite's page cache


class SeenIds:
    """``get(id)`` → the row number it was first seen in, else ``None``; ``add(id, row)``."""

    def __init__(self, in_memory: int | None = IN_MEMORY) -> None:
        """``in_memory``: ids held in a dict before they go to the table (``None``: all)."""
        self._recent: dict[str, int] = {}
        self._in_memory = in_memory
        self._db: Any = None  # an sqlite3.Connection once the ids spill
        self._path: Path | None = None

    def get(self, account_id: str) -> int | None:
        hit = self._recent.get(account_id)
        if hit is None and self._db is not None:
            row = self._db.execute("SELECT row FROM seen WHERE id = ?", (account_id,)).fetchone()
            hit = None if row is None else int(row[0])
        return hit

    def add(self, account_id: str, row: int) -> None:
        self._recent[account_id] = row
        if self._in_memory is not None and len(self._recent) >= self._in_memory:
            self._spill()

    def _spill(self) -> None:
        if self._db is None:
            import sqlite3

            fd, name = tempfile.mkstemp(prefix="roi-seen-ids-", suffix=".sqlite")
            os.close(fd)
            self._path = Path(name)
            self._db = sqlite3.connect(name)
            self._db.executescript(f"PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-{CACHE_KIB};"
                                   "CREATE TABLE seen (id TEXT PRIMARY KEY, row INTEGER) WITHOUT ROWID;")
        with self._db:
            self._db.executemany("INSERT INTO seen VALUES (?, ?)", self._recent.items())
        self._recent.clear()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._path is not None:
            self._path.unlink(missing_ok=True)
            self._path = None
