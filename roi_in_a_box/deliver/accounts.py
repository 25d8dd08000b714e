"""Accounts files for batch builds (CSV or YAML): one customer account per row.

Columns (CSV header or YAML keys): ``id``, ``name``, ``segment``, ``industry``,
``seats``, ``adopted_use_cases`` (ids separated by ``;``), and the account's own
yearly amounts per study model line: ``benefit.<line id>``, ``cost.<line id>``,
``initial_cost.<line id>``.  A bad row is reported with its row number and skipped;
the others still build.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..model.account import Account
from ..spec.csv_rows import csv_rows
from ..spec.errors import InputError, Problem
from ..spec.file_names import RESERVED_HINT, reserved_name
from ..spec.schema import StudySpec
from ..spec.yaml_source import MAX_BYTES, load_file, read_bytes

ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
SEGMENTS = ("small_business", "mid_market", "enterprise")
BASE_COLUMNS = ("id", "name", "segment", "industry", "seats", "adopted_use_cases")
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
    raise InputError([Problem(str(path), 1, 1, "", "unknown accounts file type", found=path.suffix,
                              expected=".csv, .yaml or .yml", code="usage")])


def _flatten(rec: dict[str, Any]) -> dict[str, Any]:
    """YAML may nest ``benefits: {line: amount}``; flatten to the CSV column names."""
    out: dict[str, Any] = {}
    for key, value in rec.items():
        prefix = {"benefits": "benefit", "costs": "cost", "initial_costs": "initial_cost"}.get(str(key))
        if prefix and isinstance(value, dict):
            out.update({f"{prefix}.{k}": v for k, v in value.items()})
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
    amounts: dict[str, dict[str, Decimal]] = {"benefit": {}, "cost": {}, "initial_cost": {}}
    for column, value in d.items():
        if column in BASE_COLUMNS:
            continue
        prefix, _, line_id = column.partition(".")
        if prefix not in amounts or not line_id:
            raise ValueError(f"unknown column {column!r}; expected {', '.join(BASE_COLUMNS)}, "
                             "benefit.<line>, cost.<line>, initial_cost.<line>")
        valid = benefit_ids if prefix == "benefit" else cost_ids
        if line_id not in valid:
            raise ValueError(f"{column}: no {prefix.replace('_', ' ')} line {line_id!r} in the study's model"
                             f"{_hint(line_id, valid)}")
        if str(value).strip() != "":
            amounts[prefix][line_id] = _amount(value, column)
    industry = str(d.get("industry") or "").strip() or None
    return Account(ident, name, segment, industry, seats, adopted, amounts["benefit"], amounts["cost"],  # type: ignore[arg-type]
                   amounts["initial_cost"])


def _hint(value: str, valid: set[str]) -> str:
    close = difflib.get_close_matches(value, sorted(valid), n=1)
    return f" (did you mean {close[0]!r}?)" if close else f" (valid: {', '.join(sorted(valid))})"


def check_rows(rows: Iterable[Row], spec: StudySpec) -> Iterator[tuple[Row, Account] | RowError]:
    """Each row as its valid account, or as the row's error (a duplicate id among them)."""
    seen: dict[str, int] = {}
    for row in rows:
        try:
            acc = parse_row(row, spec)
            if acc.id in seen:
                raise ValueError(f"id {acc.id!r} already used in row {seen[acc.id]}")
            seen[acc.id] = row.number
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
