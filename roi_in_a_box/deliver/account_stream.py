"""Accounts read as a stream of partitions, so a batch of millions never holds the file.

CSV is read row by row (each row decoded on its own: a row that is not UTF-8 is a row
error, the rest still build), Parquet batch by batch through pyarrow, YAML (small by
nature) through :func:`accounts.read_rows`.  Every row is validated by
:func:`accounts.parse_row`; only the account ids seen so far stay in memory (to catch
duplicates).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model.account import Account
from ..spec.errors import InputError, Problem
from ..spec.schema import StudySpec
from .accounts import Row, RowError, parse_row, read_rows

STREAMED = (".csv", ".parquet")
_NOT_UTF8 = "row is not valid UTF-8 text"


@dataclass
class Partition:
    """One slice of the accounts file: its valid accounts and its bad rows."""

    good: list[tuple[Row, Account]]
    bad: list[RowError]


def count_rows(path: Path) -> int | None:
    """Rows in the file, cheaply (for progress and ETA); ``None`` if unknown.  CSV counts
    physical lines, so a quoted field holding a line break makes it an upper bound."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    if suffix == ".csv":
        lines, last = 0, b"\n"
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                lines += block.count(b"\n")
                last = block[-1:]
        return max(0, lines + (last != b"\n") - 1)
    return None


def _csv_rows(path: Path) -> Iterator[Row]:
    with path.open("rb") as fh:
        # surrogateescape keeps undecodable bytes as lone surrogates: the row holding them is reported, not the file
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="surrogateescape", newline="")
        reader = csv.DictReader(text)
        try:
            for i, rec in enumerate(reader, start=1):
                data = {k.strip(): (v or "").strip() for k, v in rec.items() if k}
                if any(_undecodable(k) or _undecodable(v) for k, v in data.items()):
                    data = {"__invalid__": _NOT_UTF8, "id": ""}
                yield Row(i, reader.line_num, data)
        except csv.Error as exc:
            raise InputError([Problem(str(path), reader.line_num, 1, "", f"unreadable CSV: {exc}",
                                      expected="RFC 4180 CSV with a header row", code="shape")]) from None


def _undecodable(value: Any) -> bool:
    return isinstance(value, str) and any("\udc80" <= ch <= "\udcff" for ch in value)


def _parquet_rows(path: Path, batch_rows: int) -> Iterator[Row]:
    import pyarrow.parquet as pq

    number = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_rows):
        for rec in batch.to_pylist():
            number += 1
            yield Row(number, number + 1, {str(k).strip(): "" if v is None else str(v).strip()
                                           for k, v in rec.items()})


def iter_rows(path: Path, batch_rows: int = 4096) -> Iterator[Row]:
    """Raw rows in file order; a file-level problem raises ``InputError``."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix == ".parquet":
        return _parquet_rows(path, batch_rows)
    return iter(read_rows(path))


def stream_accounts(path: Path, spec: StudySpec, size: int) -> Iterator[Partition]:
    """Partitions of at most ``size`` rows, validated, with duplicate ids as row errors."""
    seen: dict[str, int] = {}
    part = Partition([], [])
    for row in iter_rows(path):
        try:
            if row.data.get("__invalid__") == _NOT_UTF8:
                raise ValueError(_NOT_UTF8)
            acc = parse_row(row, spec)
            if acc.id in seen:
                raise ValueError(f"id {acc.id!r} already used in row {seen[acc.id]}")
            seen[acc.id] = row.number
            part.good.append((row, acc))
        except ValueError as exc:
            part.bad.append(RowError(row.number, row.line, str(row.data.get("id", ""))[:64], str(exc)))
        if len(part.good) + len(part.bad) >= size:
            yield part
            part = Partition([], [])
    if part.good or part.bad:
        yield part
