"""Accounts read as a stream of partitions, so a batch of millions never holds the file.

CSV is read row by row (:func:`spec.csv_rows.csv_stream_rows`: a row that is not UTF-8
or has the wrong number of fields is a row error, the rest still build), JSONL line by line,
Parquet batch by batch through pyarrow, YAML (small by
nature) through :func:`accounts.read_rows`.  Every row is validated by
:func:`accounts.parse_row`; duplicate ids are caught by :mod:`.seen_ids` (on disk past
the first few thousand).
"""

from __future__ import annotations

import io
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model.account import Account
from ..spec.csv_rows import MAX_FIELD, csv_stream_rows
from ..spec.errors import InputError, Problem
from ..spec.schema import StudySpec
from ..text.clean import clean_text
from .accounts import Row, RowError, check_rows, jsonl_rows, read_rows
from .seen_ids import SeenIds

STREAM_FIELD_LIMIT = MAX_FIELD * 4  # past the per-field row error, a runaway quote ends the file as unreadable


@dataclass
class Partition:
    """One slice of the accounts file: its valid accounts and its bad rows."""

    good: list[tuple[Row, Account]]
    bad: list[RowError]


def count_rows(path: Path) -> int | None:
    """Rows in the file, cheaply (for progress and ETA); ``None`` if unknown.  CSV counts
    physical lines, so a quoted field holding a line break makes it an upper bound."""
    _regular(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        return int(pq.ParquetFile(path).metadata.num_rows)
    if suffix == ".csv":
        lines, last = 0, b"\n"
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                lines += block.count(b"\n")
                last = block[-1:]
        return max(0, lines + (last != b"\n") - 1)
    return None


def _regular(path: Path) -> None:
    """Refuse a FIFO or device before opening it (it would block or never end)."""
    try:
        regular = stat.S_ISREG(path.stat().st_mode)
    except OSError as exc:
        raise InputError([Problem(str(path), 1, 1, "", f"cannot read file: {exc.strerror}", code="io")]) from None
    if not regular:
        raise InputError([Problem(str(path), 1, 1, "", "accounts file is not a regular file (a FIFO, device or socket?)",
                                  expected="a regular file", code="io")])


def _csv_rows(path: Path) -> Iterator[Row]:
    """Rows as :func:`accounts.read_rows` makes them, read as they are used."""
    with path.open("rb") as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="surrogateescape", newline="")
        header, records = csv_stream_rows(path, text, sys.maxsize, STREAM_FIELD_LIMIT)
        for rec in records:
            yield Row(rec.number, rec.line,
                      {"__error__": rec.error} if rec.error else {k: v.strip() for k, v in zip(header, rec.fields) if k})


def _parquet_rows(path: Path, batch_rows: int) -> Iterator[Row]:
    import pyarrow.parquet as pq

    number = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_rows):
        for rec in batch.to_pylist():
            number += 1
            yield Row(number, number + 1, {clean_text(str(k)).strip(): "" if v is None else clean_text(str(v)).strip()
                                           for k, v in rec.items()})


def iter_rows(path: Path, batch_rows: int = 4096) -> Iterator[Row]:
    """Raw rows in file order; a file-level problem raises ``InputError``."""
    _regular(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix == ".parquet":
        return _parquet_rows(path, batch_rows)
    if suffix in (".jsonl", ".ndjson"):
        return jsonl_rows(path)
    return iter(read_rows(path))


def stream_accounts(path: Path, spec: StudySpec, size: int) -> Iterator[Partition]:
    """Partitions of at most ``size`` rows, validated, with duplicate ids as row errors."""
    part = Partition([], [])
    seen = SeenIds()
    try:
        for item in check_rows(iter_rows(path), spec, seen):
            if isinstance(item, RowError):
                part.bad.append(item)
            else:
                part.good.append(item)
            if len(part.good) + len(part.bad) >= size:
                yield part
                part = Partition([], [])
        if part.good or part.bad:
            yield part
    finally:
        seen.close()
