"""CSV read row by row, so one bad row is that row's error and never the file's.

The bytes are decoded with ``surrogateescape``: a row holding bytes that are not UTF-8
(one Latin-1 line pasted into a UTF-8 export) keeps them as escapes, and is reported
with its number while every other row is read normally.  Rows with more or fewer
fields than the header, and fields over the size limit, are row errors too; text is
cleaned (see :mod:`roi_in_a_box.text.clean`) as it is read.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Iterator
from typing import IO
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, Problem
from .yaml_source import Located
from ..text.clean import clean_text

MAX_FIELD = 1_000_000
_ESCAPED = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True)
class CsvRow:
    number: int        # 1-based data row (the header is row 0)
    line: int          # line in the file where the row starts
    fields: list[str]  # cleaned text; empty when ``error`` is set
    error: str = ""


def _undecodable(values: list[str]) -> str:
    for v in values:
        m = _ESCAPED.search(v)
        if m:
            return f"not valid UTF-8 (byte 0x{ord(m.group()) - 0xDC00:02x}); save the file as UTF-8"
    return ""


def csv_rows(path: Path, raw: bytes, max_rows: int) -> tuple[list[str], Iterator[CsvRow]]:
    """The cleaned header and a stream of rows of a CSV file's bytes."""
    text = raw.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
    return csv_stream_rows(path, io.StringIO(text, newline=""), max_rows, len(text) + 1)


def csv_stream_rows(path: Path, stream: IO[str], max_rows: int, field_limit: int) -> tuple[list[str], Iterator[CsvRow]]:
    """The same from a text stream (decoded with ``surrogateescape``, ``newline=""``) that
    is read as the rows are: a file of millions of rows is never held whole."""
    name = str(path)
    previous = csv.field_size_limit()
    csv.field_size_limit(field_limit)  # our own per-field limit below gives the row its error
    try:
        reader = csv.reader(stream)
        try:
            header_raw = next(reader)
        except StopIteration:
            raise InputError([Problem(name, 1, 1, "", "file is empty", expected="a header row", code="empty")]) from None
        except csv.Error as exc:
            raise InputError([Problem(name, 1, 1, "", f"header is not valid CSV: {exc}", code="csv")]) from None
    finally:
        csv.field_size_limit(previous)
    bad = _undecodable(header_raw)
    if bad:
        raise InputError([Problem(name, 1, 1, "", f"header row is {bad}", expected="UTF-8 text", code="encoding")])
    header = [clean_text(h).strip() for h in header_raw]

    def rows() -> Iterator[CsvRow]:
        line, n = reader.line_num, 0
        while True:
            start = line + 1
            csv.field_size_limit(field_limit)
            try:
                rec = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError([Problem(name, reader.line_num, 1, "", f"not valid CSV from here on: {exc}",
                                          expected="quotes closed on the same record", code="csv")]) from None
            finally:
                csv.field_size_limit(previous)
            line = reader.line_num
            if not any(c.strip() for c in rec):
                continue
            n += 1
            if n > max_rows:
                raise InputError([Problem(name, start, 1, "", "too many rows", expected=f"at most {max_rows:,}",
                                          code="size")])
            error = _undecodable(rec)
            if not error and len(rec) != len(header):
                error = f"has {len(rec)} columns, the header has {len(header)}"
            if not error and any(len(c) > MAX_FIELD for c in rec):
                error = f"a field is longer than {MAX_FIELD:,} characters"
            yield CsvRow(n, start, [] if error else [clean_text(c) for c in rec], error)

    return header, rows()


def header_problems(located: Located, columns: list[tuple[tuple[str | int, ...], str]], header: list[str],
                    export: str) -> list[Problem]:
    """One located problem per column a column map names (at its ``where`` in the map) that
    the export's header lacks, with the closest header name as a suggestion."""
    problems = []
    for where, name in columns:
        if name not in header:
            close = difflib.get_close_matches(name, header, n=1)
            problems.append(located.problem(where, f"column not in the export's header ({export})"
                                            + (f", did you mean {close[0]!r}?" if close else ""),
                                            found=repr(name), expected="a column of the header", code="column"))
    return problems
