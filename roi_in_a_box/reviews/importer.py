"""Import a review platform's export (CSV or JSONL) into the review store.

A mapping YAML says which column (CSV header, or dotted JSON path) holds each field and
how the platform writes segments, flags, dates and ratings, so exports from different
platforms need no code.  Every bad row is reported with its row number and reason and
skipped; duplicates (the same review twice, or the same text under another id, e.g. a
review syndicated to a second platform) are dropped and counted.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from ..spec.csv_rows import csv_rows, header_problems
from ..spec.errors import InputError, Problem, short
from ..spec.schema import Label, Segment, Strict
from ..spec.validate import parse_model
from ..spec.yaml_source import MAX_BYTES, Located, load_file, read_bytes
from ..text.clean import clean_text
from ..text.languages import BY_SCRIPT
from ..text.scripts import BENGALI, LATIN, THAI, script_of
from .store import Review, load_store, save_store

MAX_ROWS = 200_000
MAX_JSON_DEPTH = 20
MAX_EXPORT_BYTES = MAX_BYTES * 100
URL = re.compile(r"^https://[^\s<>\"']{1,300}$")


class Column(Strict):
    """Where a field is and how to read it."""

    column: str = Field(min_length=1, max_length=200, description="CSV header, or dotted path in a JSON record")
    format: str | None = Field(None, description="Dates: strptime format such as %m/%d/%Y (default: ISO 8601)")
    scale: Decimal | None = Field(None, gt=0, le=100, description="Ratings: the platform's maximum (converted to 0-5 stars)")
    values: dict[str, Segment] | None = Field(None, description="Segments: platform value → small_business|mid_market|enterprise")
    true_values: list[str] = Field(default_factory=list, description="Flags: values that mean yes")
    false_values: list[str] = Field(default_factory=list, description="Flags: values that mean no")
    contains: str | None = Field(None, description="Flags: yes when this list field contains this value")


Col = str | Column


class Fields(Strict):
    review_id: Col
    url: Col
    date: Col
    stars: Col
    role: Col
    segment: Col
    industry: Col
    validated_reviewer: Col
    verified_current_user: Col
    incentivized: Col
    name: Col | None = None
    language: Col | None = None


class Mapping(Strict):
    """A platform export layout."""

    platform: Label = Field(description="Platform name as quotes cite it, e.g. G2")
    format: Literal["csv", "jsonl"]
    fields: Fields
    answers: dict[str, Col] = Field(min_length=1, max_length=12,
                                    description="Answer key → column; 'dislike' answers never count as support")


def col(c: Col) -> Column:
    return Column(column=c) if isinstance(c, str) else c


@dataclass(frozen=True)
class RowError:
    number: int  # 1-based data row
    line: int    # line in the file
    review_id: str
    reason: str

    def __str__(self) -> str:
        rid = f" [{self.review_id}]" if self.review_id else ""
        return f"row {self.number} (line {self.line}){rid}: {self.reason}"


@dataclass
class ImportReport:
    store: Path
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: list[str] = field(default_factory=list)   # "row N: same as <key>"
    bad: list[RowError] = field(default_factory=list)
    total: int = 0  # reviews in the store afterwards

    def to_json(self) -> dict[str, object]:
        return {"store": str(self.store), "rows": self.rows, "added": self.added, "updated": self.updated,
                "unchanged": self.unchanged, "duplicates": self.duplicates,
                "bad_rows": [{"row": e.number, "line": e.line, "review_id": e.review_id, "reason": e.reason}
                             for e in self.bad], "total": self.total}


def load_mapping(path: Path) -> tuple[Mapping, Located]:
    located = load_file(path)
    return parse_model(located, Mapping), located


def _raw_rows(path: Path, fmt: str) -> tuple[list[tuple[int, int, dict[str, Any] | str]], list[str]]:
    """(row number, line, record or an error string), and the CSV header; decoded row by row."""
    raw = read_bytes(path, str(path), MAX_EXPORT_BYTES, "export")
    rows: list[tuple[int, int, dict[str, Any] | str]] = []
    if fmt == "csv":
        header, records = csv_rows(path, raw, MAX_ROWS)
        for rec in records:
            rows.append((rec.number, rec.line, rec.error or dict(zip(header, rec.fields))))
        return rows, header
    for n, ln in enumerate(raw.split(b"\n"), start=1):
        if not ln.strip():
            continue
        if len(rows) >= MAX_ROWS:
            raise InputError([Problem(str(path), n, 1, "", "too many rows", expected=f"at most {MAX_ROWS:,}",
                                      code="size")])
        rows.append((n, n, _json_record(ln.removeprefix(b"\xef\xbb\xbf") if n == 1 else ln)))
    return rows, []


def _json_record(line: bytes) -> dict[str, Any] | str:
    """One JSONL line as a cleaned record, or the reason it is not one."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"not valid UTF-8 (byte 0x{line[exc.start]:02x}); save the file as UTF-8"
    if _depth(text) > MAX_JSON_DEPTH:
        return f"JSON nested more than {MAX_JSON_DEPTH} levels deep"
    try:
        rec = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        return f"not valid JSON ({exc.msg} at column {exc.colno})"
    except (ValueError, RecursionError) as exc:
        return f"not valid JSON ({exc})"
    return _cleaned(rec) if isinstance(rec, dict) else "not a JSON object"


def _depth(text: str) -> int:
    """Deepest bracket nesting outside strings (checked before ``json.loads`` recurses)."""
    depth = top = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            top = max(top, depth)
        elif ch in "]}":
            depth -= 1
    return top


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): _cleaned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    return value


_MISSING = object()


def _get(rec: dict[str, Any], path: str, fmt: str) -> Any:
    if fmt == "csv":
        return rec.get(path, _MISSING)
    cur: Any = rec
    for part in path.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        else:
            return _MISSING
    return cur


def detect_language(text: str) -> str:
    """``bn``, ``th`` or ``en`` by the script most letters are in."""
    counts = {BENGALI: 0, THAI: 0, LATIN: 0}
    for ch in text:
        s = script_of(ch)
        if s in counts:
            counts[s] += 1
    best = max(counts, key=lambda k: counts[k])
    return BY_SCRIPT[best].code if counts[best] else ""


class _Bad(Exception):
    pass


def _text(v: Any, what: str, required: bool = True) -> str:
    if v is _MISSING or v is None or (isinstance(v, str) and not v.strip()):
        if required:
            raise _Bad(f"no {what}")
        return ""
    if isinstance(v, (dict, list)):
        raise _Bad(f"{what} is not text (found {short(v, 30)})")
    return str(v).strip()


def _flag(c: Column, v: Any, what: str) -> bool:
    if c.contains is not None:
        return isinstance(v, list) and c.contains in v
    if isinstance(v, bool):
        return v
    s = "" if v is _MISSING or v is None else str(v).strip()
    if c.true_values or c.false_values:
        if s.casefold() in (t.casefold() for t in c.true_values):
            return True
        if s.casefold() in (f.casefold() for f in c.false_values):
            return False
        raise _Bad(f"{what} is {s!r}, expected one of {', '.join(repr(x) for x in [*c.true_values, *c.false_values])}")
    if s.casefold() in ("true", "yes", "1", "y"):
        return True
    if s.casefold() in ("false", "no", "0", "n"):
        return False
    raise _Bad(f"{what} is {s!r}, expected yes or no")


def _date(c: Column, v: Any) -> dt.date:
    s = _text(v, "date")
    try:
        if c.format:
            return dt.datetime.strptime(s, c.format).date()
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        raise _Bad(f"date {s!r} is not a date" + (f" in the form {c.format}" if c.format else " (YYYY-MM-DD)")) from None


def _stars(c: Column, v: Any) -> float:
    s = _text(v, "star rating")
    try:
        x = Decimal(s)
    except InvalidOperation:
        raise _Bad(f"star rating {short(s, 30)} is not a number") from None
    if not x.is_finite():
        raise _Bad(f"star rating {short(s, 30)} is not a number")
    top = c.scale or Decimal(5)
    if not (0 <= x <= top):
        raise _Bad(f"star rating {s} is outside 0-{top}")
    return float(round(x * 5 / top * 2) / 2)  # to the half star, as platforms show them


def _segment(c: Column, v: Any) -> str:
    s = _text(v, "company segment")
    if c.values:
        for k, seg in c.values.items():
            if k.casefold() == s.casefold():
                return seg
        raise _Bad(f"company segment {s!r} is not in the mapping's values")
    if s in ("small_business", "mid_market", "enterprise"):
        return s
    raise _Bad(f"company segment {s!r} is not small_business, mid_market or enterprise")


def _convert(m: Mapping, rec: dict[str, Any], source: dict[str, object]) -> Review:
    f, fmt = m.fields, m.format

    def g(c: Col) -> Any:
        return _get(rec, col(c).column, fmt)

    rid = _text(g(f.review_id), "review id")
    if len(rid) > 80 or not re.fullmatch(r"[\w.:-]+", rid):
        raise _Bad(f"review id {short(rid, 40)} is not a plain id (letters, digits, '.', ':', '-', max 80)")
    url = _text(g(f.url), "review URL")
    if not URL.match(url):
        raise _Bad(f"review URL {short(url, 50)} is not an https:// URL")
    answers = {k: _text(g(c), k, required=False) for k, c in m.answers.items()}
    if not any(answers.values()):
        raise _Bad("no answer text")
    for k, v in answers.items():
        if len(v) > 20_000:
            raise _Bad(f"answer {k!r} is longer than 20,000 characters")
    role = _text(g(f.role), "reviewer role")
    industry = _text(g(f.industry), "industry", required=False) or "Not stated"
    name = _text(g(f.name), "name", required=False) if f.name else ""
    lang = _text(g(f.language), "language", required=False) if f.language else ""
    return Review(platform=m.platform, review_id=rid, url=url, date=_date(col(f.date), g(f.date)),
                  stars=_stars(col(f.stars), g(f.stars)), role=role[:80], segment=_segment(col(f.segment), g(f.segment)),
                  industry=industry[:80],
                  validated_reviewer=_flag(col(f.validated_reviewer), g(f.validated_reviewer), "validated flag"),
                  verified_current_user=_flag(col(f.verified_current_user), g(f.verified_current_user),
                                              "current-user flag"),
                  incentivized=_flag(col(f.incentivized), g(f.incentivized), "incentivized flag"),
                  answers={k: v for k, v in answers.items() if v}, name=name[:80] or None,
                  language=(lang.split("-")[0].lower() if lang else detect_language(" ".join(answers.values()))),
                  source=source)


def _check_header(m: Mapping, located: Located, header: list[str], export: str) -> None:
    """Every mapped CSV column must exist: one located problem per missing column."""
    items = [(("fields", k), getattr(m.fields, k)) for k in Fields.model_fields if getattr(m.fields, k) is not None]
    items += [(("answers", k), c) for k, c in m.answers.items()]
    problems = header_problems(located, [(path if isinstance(c, str) else (*path, "column"), col(c).column)
                                         for path, c in items], header, export)
    if problems:
        raise InputError(problems)


def import_export(export: Path, mapping: Path, store: Path) -> ImportReport:
    """Read ``export`` with ``mapping`` and merge it into ``store`` (created if missing)."""
    m, located = load_mapping(mapping)
    suffix = export.suffix.lower().lstrip(".")
    if suffix not in ("csv", "jsonl", "ndjson") or ("csv" if suffix == "csv" else "jsonl") != m.format:
        raise InputError([located.problem(("format",), f"the mapping is for {m.format} exports but the export is "
                                          f"{export.name!r}", found=m.format, expected=f"a .{m.format} export",
                                          code="format")])
    rows, header = _raw_rows(export, m.format)
    if m.format == "csv":
        _check_header(m, located, header, export.name)
    existing = {r.key: r for r in load_store(store)} if store.exists() else {}
    by_hash = {r.content_hash(): r.key for r in existing.values()}
    rep = ImportReport(store=store, rows=len(rows))
    seen_here: dict[str, int] = {}
    for number, line, rec in rows:
        if isinstance(rec, str):
            rep.bad.append(RowError(number, line, "", rec))
            continue
        try:
            review = _convert(m, rec, {"file": export.name, "row": number})
        except _Bad as exc:
            rid = _get(rec, col(m.fields.review_id).column, m.format)
            rep.bad.append(RowError(number, line, "" if rid is _MISSING else str(rid)[:40], str(exc)))
            continue
        key, h = review.key, review.content_hash()
        if key in seen_here:
            rep.duplicates.append(f"row {number}: same review id as row {seen_here[key]} ({key})")
            continue
        seen_here[key] = number
        other = by_hash.get(h)
        if other is not None and other != key:
            rep.duplicates.append(f"row {number}: same text as {other} ({key})")
            continue
        old = existing.get(key)
        if old is None:
            rep.added += 1
        elif old.content_hash() == h and old.to_json() | {"source": None} == review.to_json() | {"source": None}:
            rep.unchanged += 1
            continue
        else:
            rep.updated += 1  # the platform's newer copy (an edited review) replaces the old one
            by_hash.pop(old.content_hash(), None)
        existing[key] = review
        by_hash[h] = key
    if rep.bad and len(rep.bad) == rep.rows:
        raise InputError([*(Problem(str(export), e.line, 1, f"row {e.number}", e.reason, code="row") for e in rep.bad[:10]),
                          located.problem(("fields",), f"the mapping rejected every row of {export.name} ({rep.rows} rows, "
                                          "nothing imported)", expected="a mapping that fits this export "
                                          "(column names, date format, flag and segment values)",
                                          code="no-rows")])
    rep.total = len(existing)
    save_store(store, list(existing.values()))
    return rep
