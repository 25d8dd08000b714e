"""Accounts files for batch builds (CSV or YAML): one customer account per row.

Columns (CSV header or YAML keys): ``id``, ``name``, ``segment``, ``industry``,
``seats``, ``adopted_use_cases`` (ids separated by ``;``), ``start`` (contract start,
YYYY-MM-DD), and the account's own amounts per study model line, either as actuals per
period, ``benefit.<line id>.<period>`` and ``cost.<line id>.<period>`` (period a quarter
``2025-Q3`` or a year ``2025``), or as one yearly amount repeated every year (the older
form), ``benefit.<line id>`` and ``cost.<line id>``; and one-off ``initial_cost.<line id>``.
YAML (and JSONL) may nest them: ``actuals: {2025-Q3: {benefits: {line: amount}}}``.
A bad row is reported with its row number and the column at fault, and skipped; the
others still build.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..model.account import Account
from ..model.periods import Period, model_year, parse_period
from ..spec.csv_rows import csv_rows
from ..spec.errors import InputError, Problem
from ..spec.file_names import RESERVED_HINT, reserved_name
from ..spec.schema import StudySpec
from ..spec.yaml_source import MAX_BYTES, load_file, read_bytes
from ..text.clean import clean_text
from .seen_ids import SeenIds

ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
SEGMENTS = ("small_business", "mid_market", "enterprise")
BASE_COLUMNS = ("id", "name", "segment", "industry", "seats", "adopted_use_cases", "start")
MAX_ROWS = 100_000


@dataclass(frozen=True)
class Row:
    number: int  # 1-based data row (CSV: header is row 0); the line in the file for messages
    line: int
    data: dict[str, Any]


@dataclass(frozen=True)
class RowError:
    number: int
    line: int
    account: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.number} (line {self.line}){f' [{self.account}]' if self.account else ''}: {self.reason}"


def read_rows(path: Path) -> list[Row]:
    """Raw rows from CSV or YAML; a file-level problem raises ``InputError``."""
    if path.suffix.lower() == ".csv":
        header, records = csv_rows(path, read_bytes(path, str(path), MAX_BYTES * 20, "accounts file"), MAX_ROWS)
        rows = []
        for rec in records:
            fields = {"__error__": rec.error} if rec.error else {k: v.strip() for k, v in zip(header, rec.fields) if k}
            rows.append(Row(rec.number, rec.line, fields))
        return rows
    if path.suffix.lower() in (".yaml", ".yml"):
        located = load_file(path)
        data = located.data.get("accounts") if isinstance(located.data, dict) else located.data
        if not isinstance(data, list):
            raise InputError([located.problem((), "expected a list of accounts (or 'accounts:' with a list)",
                                              code="shape")])
        return [Row(i + 1, located.where(("accounts", i) if isinstance(located.data, dict) else (i,))[0],
                    _flatten(rec) if isinstance(rec, dict) else {"__invalid__": rec}) for i, rec in enumerate(data)]
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return list(jsonl_rows(path))
    raise InputError([Problem(str(path), 1, 1, "", "unknown accounts file type", found=path.suffix,
                              expected=".csv, .jsonl, .parquet, .yaml or .yml", code="usage")])


def jsonl_rows(path: Path) -> Iterator[Row]:
    """One JSON object per line, nested like a YAML account; read line by line, a line
    that is not UTF-8 or not a JSON object is that row's error."""
    number = 0
    with path.open("rb") as fh:
        for line_no, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            number += 1
            if number > MAX_ROWS:
                raise InputError([Problem(str(path), line_no, 1, "", "too many rows", expected=f"at most {MAX_ROWS:,}",
                                          code="size")])
            yield Row(number, line_no, _json_row(raw.removeprefix(b"\xef\xbb\xbf")))


def _json_row(raw: bytes) -> dict[str, Any]:
    try:
        rec = json.loads(raw.decode("utf-8"), parse_float=str, parse_int=str)
    except UnicodeDecodeError as exc:
        return {"__error__": f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"}
    except (ValueError, RecursionError) as exc:
        return {"__error__": f"not valid JSON ({str(exc)[:80]})"}
    if not isinstance(rec, dict):
        return {"__invalid__": rec}
    return _flatten({clean_text(str(k)): clean_text(v) if isinstance(v, str) else v for k, v in rec.items()})


_NESTED = {"benefits": "benefit", "costs": "cost", "initial_costs": "initial_cost"}


def _flatten(rec: dict[str, Any]) -> dict[str, Any]:
    """YAML may nest ``benefits: {line: amount}`` and ``actuals: {period: {benefits:
    {line: amount}, costs: {...}}}``; flatten to the CSV column names."""
    out: dict[str, Any] = {}
    for key, value in rec.items():
        prefix = _NESTED.get(str(key))
        if prefix and isinstance(value, dict):
            out.update({f"{prefix}.{k}": v for k, v in value.items()})
        elif key == "actuals" and isinstance(value, dict):
            for period, kinds in value.items():
                if not isinstance(kinds, dict):
                    out[f"actuals.{period}"] = kinds  # reported as an unknown column
                    continue
                for kind, lines in kinds.items():
                    kp = _NESTED.get(str(kind), str(kind))
                    items = lines.items() if isinstance(lines, dict) else [("", lines)]
                    out.update({f"{kp}.{k}.{period}": v for k, v in items})
        elif key == "adopted_use_cases" and isinstance(value, list):
            out[key] = ";".join(str(v) for v in value)
        else:
            out[str(key)] = value
    return out


def _amount(value: Any, column: str) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").replace("_", ""))
    except InvalidOperation:
        raise ValueError(f"{column}: {str(value)[:30]!r} is not a number") from None
    if not amount.is_finite() or amount < 0 or amount > Decimal("1e12"):
        raise ValueError(f"{column}: {value} must be a number from 0 to 1e12")
    return amount


def parse_row(row: Row, spec: StudySpec) -> Account:
    """Turn one raw row into an ``Account`` or raise ``ValueError`` with a reason."""
    d = row.data
    if "__error__" in d:
        raise ValueError(d["__error__"])
    if "__invalid__" in d:
        raise ValueError("row is not a mapping of column to value")
    benefit_ids = {b.id for b in spec.roi_model.benefits}
    cost_ids = {c.id for c in spec.roi_model.costs}
    use_case_ids = {u.id for u in spec.use_cases}
    ident = str(d.get("id", "")).strip()
    if not ID.match(ident):
        raise ValueError(f"id: {ident!r} must be 1-64 letters, digits, '.', '_' or '-'")
    if reserved_name(ident):
        raise ValueError(f"id: {ident!r} cannot be a folder name on Windows; expected {RESERVED_HINT}")
    name = str(d.get("name", "")).strip()
    if not name or len(name) > 80:
        raise ValueError("name: required, at most 80 characters")
    segment = str(d.get("segment") or "").strip() or None
    if segment is not None and segment not in SEGMENTS:
        raise ValueError(f"segment: {segment!r} is not one of {', '.join(SEGMENTS)}")
    seats_raw = str(d.get("seats") or "").strip()
    seats = None
    if seats_raw:
        if not seats_raw.isdigit() or int(seats_raw) > 10_000_000:
            raise ValueError(f"seats: {seats_raw!r} must be a whole number")
        seats = int(seats_raw)
    adopted = tuple(x.strip() for x in str(d.get("adopted_use_cases") or "").split(";") if x.strip())
    for uc in adopted:
        if uc not in use_case_ids:
            raise ValueError(f"adopted_use_cases: unknown use case {uc!r}{_hint(uc, use_case_ids)}")
    start = _start(d.get("start"))
    amounts: dict[str, dict[str, Decimal]] = {"benefit": {}, "cost": {}, "initial_cost": {}}
    actuals: dict[str, dict[Period, Decimal]] = {}
    for column, value in d.items():
        if column in BASE_COLUMNS:
            continue
        prefix, _, rest = column.partition(".")
        line_id, _, period_text = rest.partition(".")
        if prefix not in amounts or not line_id:
            raise ValueError(f"unknown column {column!r}; expected {', '.join(BASE_COLUMNS)}, "
                             "benefit.<line>[.<period>], cost.<line>[.<period>], initial_cost.<line>")
        valid = benefit_ids if prefix == "benefit" else cost_ids
        if line_id not in valid:
            raise ValueError(f"{column}: no {prefix.replace('_', ' ')} line {line_id!r} in the study's model"
                             f"{_hint(line_id, valid)}")
        if period_text and prefix == "initial_cost":
            raise ValueError(f"{column}: an initial cost is one-off and has no period; expected initial_cost.{line_id}")
        if str(value).strip() == "":
            continue
        if period_text:
            try:
                period = parse_period(period_text)
            except ValueError as exc:
                raise ValueError(f"{column}: {exc}") from None
            per_line = actuals.setdefault(f"{prefix}.{line_id}", {})
            if period in per_line:
                raise ValueError(f"{column}: period {period.key} given twice for {prefix}.{line_id}")
            per_line[period] = _amount(value, column)
        else:
            amounts[prefix][line_id] = _amount(value, column)
    if actuals:
        _check_periods(actuals, amounts, start, spec.roi_model.horizon_years)
    industry = str(d.get("industry") or "").strip() or None
    return Account(ident, name, segment, industry, seats, adopted, amounts["benefit"], amounts["cost"],  # type: ignore[arg-type]
                   amounts["initial_cost"], start, actuals)


def _start(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"start: {text[:30]!r} is not a date (expected YYYY-MM-DD)") from None


def _check_periods(actuals: dict[str, dict[Period, Decimal]], amounts: dict[str, dict[str, Decimal]],
                   start: dt.date | None, horizon: int) -> None:
    """Actuals all quarters or all years, not before the start, within the horizon, and
    not mixed with yearly run-rate amounts (which would count twice)."""
    for prefix in ("benefit", "cost"):
        if amounts[prefix]:
            line = next(iter(amounts[prefix]))
            raise ValueError(f"{prefix}.{line}: a yearly amount cannot be mixed with per-period actuals; "
                             f"give it per period ({prefix}.{line}.<period>)")
    periods = sorted({p for v in actuals.values() for p in v})
    kinds = {p.quarter is None for p in periods}
    if len(kinds) > 1:
        raise ValueError(f"periods mix quarters and years ({', '.join(p.key for p in periods[:4])}); "
                         "report one account either per quarter or per year")
    acc = Account("x", "x", start=start, actuals=actuals)
    first = acc.first_period()
    assert first is not None
    if periods[0] < first:
        raise ValueError(f"period {periods[0].key} is before the account's start ({start})")
    last = periods[-1]
    if model_year(last, first) > horizon:
        raise ValueError(f"period {last.key} is in year {model_year(last, first)} from {first.key}, beyond the "
                         f"study's {horizon}-year horizon")


def _hint(value: str, valid: set[str]) -> str:
    close = difflib.get_close_matches(value, sorted(valid), n=1)
    return f" (did you mean {close[0]!r}?)" if close else f" (valid: {', '.join(sorted(valid))})"


def check_rows(rows: Iterable[Row], spec: StudySpec,
               seen: SeenIds | None = None) -> Iterator[tuple[Row, Account] | RowError]:
    """Each row as its valid account, or as the row's error (a duplicate id among them;
    ``seen`` holds the ids of a long stream, see :mod:`.seen_ids`)."""
    ids = seen if seen is not None else SeenIds(in_memory=None)  # a short list: a dict is enough
    for row in rows:
        try:
            acc = parse_row(row, spec)
            first = ids.get(acc.id)
            if first is not None:
                raise ValueError(f"id {acc.id!r} already used in row {first}")
            ids.add(acc.id, row.number)
            yield row, acc
        except ValueError as exc:
            yield RowError(row.number, row.line, str(row.data.get("id", ""))[:64], str(exc))


def load_accounts(path: Path, spec: StudySpec) -> tuple[list[tuple[Row, Account]], list[RowError]]:
    """Every valid account with its row, and every bad row with its reason."""
    good: list[tuple[Row, Account]] = []
    bad: list[RowError] = []
    for item in check_rows(read_rows(path), spec):
        if isinstance(item, RowError):
            bad.append(item)
        else:
            good.append(item)
    return good, bad
