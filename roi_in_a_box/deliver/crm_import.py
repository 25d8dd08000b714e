"""Accounts from what CS teams have: CRM report exports (Salesforce, HubSpot) as CSV.

A column map (YAML) says which column holds each account field and how the CRM writes
segments, dates and use cases, and where the realised amounts are: either one row per
account, period and model line (``actuals``: a Salesforce report on a value-tracking
object), or one row per account with a column per line and period (``amount_columns``:
HubSpot company properties such as "Realized value: Close labor (2026 Q1)").  Rows of
one account are gathered into one accounts-file row (``benefit.<line>.<period>``
columns) and written as an accounts CSV the batch reads.  Every bad row is reported
with its row number and reason and left out; the other rows still make their accounts.
A report's footer (Salesforce's "Grand Totals" block and "Copyright … salesforce.com"
lines) ends the data where the map's ``footer`` says.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field

from ..model.periods import parse_period
from ..spec.csv_rows import csv_rows, header_problems
from ..spec.errors import InputError, Problem, short
from ..spec.schema import Label, Strict, StudySpec
from ..spec.validate import parse_model
from ..spec.yaml_source import MAX_BYTES, Located, load_file, read_bytes
from .accounts import BASE_COLUMNS, MAX_ROWS, Row, RowError, check_rows

_AMOUNT = re.compile(r"^(?:[A-Z]{3}\s*)?[$€£৳฿]?\s*(?P<n>[0-9][0-9,\s]*(?:\.[0-9]+)?)\s*(?:[A-Z]{3})?$")


class Column(Strict):
    """Where an account field is and how the CRM writes it."""

    column: str = Field(min_length=1, max_length=200, description="The export's column label")
    format: str | None = Field(None, description="Dates: strptime format such as %m/%d/%Y (default: ISO 8601)")
    values: dict[str, str] | None = Field(None, description="CRM value → ours (segment, use case id, model line)")
    separator: str | None = Field(None, min_length=1, max_length=3,
                                  description="Lists (adopted use cases): what separates the items")


Col = str | Column


class Fields(Strict):
    id: Col
    name: Col
    segment: Col | None = None
    industry: Col | None = None
    seats: Col | None = None
    start: Col | None = None
    adopted_use_cases: Col | None = None


class Actuals(Strict):
    """Long form: one row per account, period and model line."""

    period: Col = Field(description="Column holding the period (2025-Q3, Q3-2025, FY2025 Q3, 2025 …)")
    line: Col = Field(description="Column naming the model line; `values` maps the CRM's names to "
                                  "benefit.<line>, cost.<line> or initial_cost.<line>")
    amount: Col = Field(description="Column holding the realised amount")


class AmountColumns(Strict):
    """Wide form: a column per line and period, named by a pattern."""

    pattern: str = Field(min_length=1, max_length=200,
                         description="Column label with {line} and {period}, e.g. 'Realized value: {line} ({period})'")
    lines: dict[str, str] = Field(min_length=1, description="The {line} text → benefit.<line> or cost.<line>")


class ColumnMap(Strict):
    """A CRM export layout."""

    crm: Label = Field(description="The CRM the export comes from, e.g. Salesforce")
    fields: Fields
    actuals: Actuals | None = None
    amount_columns: AmountColumns | None = None
    columns: dict[str, str] = Field(default_factory=dict,
                                    description="Other columns → an accounts-file column, e.g. initial_cost.<line>")
    footer: list[str] = Field(default_factory=list, max_length=10,
                              description="A row whose first cell starts with one of these ends the data")


def col(c: Col) -> Column:
    return Column(column=c) if isinstance(c, str) else c


@dataclass
class CrmReport:
    out: Path
    rows: int = 0
    accounts: int = 0
    footer_line: int | None = None
    bad: list[RowError] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"out": str(self.out), "rows": self.rows, "accounts": self.accounts, "footer_line": self.footer_line,
                "bad_rows": [{"row": e.number, "line": e.line, "account": e.account, "reason": e.reason}
                             for e in self.bad]}


class _Bad(Exception):
    pass


def _cut_footer(raw: bytes, starts: list[str]) -> tuple[bytes, int | None]:
    """The export without its footer: from the first line whose first cell begins with
    one of ``starts`` (quotes aside), and the line number where it began."""
    if not starts:
        return raw, None
    offset = 0
    for number, line in enumerate(raw.splitlines(keepends=True), start=1):
        first = line.decode("utf-8", "replace").lstrip("\ufeff").strip().lstrip('"')
        if number > 1 and any(first.startswith(s) for s in starts):
            return raw[:offset], number
        offset += len(line)
    return raw, None


def _text(rec: dict[str, str], c: Col | None) -> str:
    return "" if c is None else rec.get(col(c).column, "").strip()


def _mapped(c: Col, value: str, what: str) -> str:
    values = col(c).values
    if not values:
        return value
    for k, v in values.items():
        if k.casefold() == value.casefold():
            return v
    close = difflib.get_close_matches(value, list(values), n=1)
    raise _Bad(f"{what} {short(value, 40)} is not in the map's values"
               + (f" (did you mean {close[0]!r}?)" if close else f" ({', '.join(list(values)[:6])})"))


def _amount(text: str, what: str) -> str:
    m = _AMOUNT.match(text.strip())
    if not m:
        raise _Bad(f"{what} {short(text, 30)} is not an amount (a number, optionally with a currency)")
    return re.sub(r"[,\s]", "", m.group("n"))


def _date(c: Col, text: str) -> str:
    fmt = col(c).format
    try:
        return (dt.datetime.strptime(text, fmt).date() if fmt else dt.date.fromisoformat(text[:10])).isoformat()
    except ValueError:
        raise _Bad(f"start date {short(text, 30)} is not a date" + (f" in the form {fmt}" if fmt else " (YYYY-MM-DD)")
                   ) from None


def _account_fields(m: ColumnMap, rec: dict[str, str]) -> dict[str, str]:
    f = m.fields
    out = {"id": _text(rec, f.id), "name": _text(rec, f.name)}
    if not out["id"]:
        raise _Bad("no account id")
    if f.segment is not None and _text(rec, f.segment):
        out["segment"] = _mapped(f.segment, _text(rec, f.segment), "segment")
    if f.industry is not None:
        out["industry"] = _text(rec, f.industry)
    if f.seats is not None and _text(rec, f.seats):
        out["seats"] = _text(rec, f.seats).replace(",", "")
    if f.start is not None and _text(rec, f.start):
        out["start"] = _date(f.start, _text(rec, f.start))
    if f.adopted_use_cases is not None:
        c = col(f.adopted_use_cases)
        items = [x.strip() for x in _text(rec, c).split(c.separator or ";") if x.strip()]
        out["adopted_use_cases"] = ";".join(_mapped(c, x, "use case") for x in items)
    return out


def _wide(m: ColumnMap, header: list[str]) -> dict[str, str]:
    """Header label → accounts-file column for the wide amount columns and ``columns``."""
    out: dict[str, str] = {}
    if m.amount_columns is not None:
        pat = re.escape(m.amount_columns.pattern).replace(r"\{line\}", "(?P<line>.+?)").replace(
            r"\{period\}", "(?P<period>.+?)")
        rx = re.compile(f"^{pat}$")
        for h in header:
            hit = rx.match(h)
            if hit and hit.group("line") in m.amount_columns.lines:
                try:
                    period = parse_period(hit.group("period"))
                except ValueError:
                    continue
                out[h] = f"{m.amount_columns.lines[hit.group('line')]}.{period.key}"
    out.update({h: target for h, target in m.columns.items() if h in header})
    return out


def _check_header(m: ColumnMap, located: Located, header: list[str], export: str) -> None:
    """Every mapped column must be in the export: one located problem per missing one."""
    items: list[tuple[tuple[str | int, ...], Col]] = [
        (("fields", k), getattr(m.fields, k)) for k in Fields.model_fields if getattr(m.fields, k) is not None]
    if m.actuals is not None:
        items += [(("actuals", k), getattr(m.actuals, k)) for k in Actuals.model_fields]
    items += [(("columns", k), k) for k in m.columns]
    problems = header_problems(located, [(path if isinstance(c, str) else (*path, "column"), col(c).column)
                                         for path, c in items], header, export)
    if m.actuals is None and m.amount_columns is None and not m.columns:
        problems.append(located.problem((), "the map names no amounts", expected="actuals (one row per account, "
                                        "period and line) or amount_columns (a column per line and period)",
                                        code="shape"))
    elif m.actuals is None and not _wide(m, header):
        problems.append(located.problem(("amount_columns", "pattern"), f"no column of {export} matches the pattern "
                                        "and lines", expected="the export's amount column labels", code="column"))
    if problems:
        raise InputError(problems)


@dataclass
class _Gathered:
    rows: list[int]
    line: int
    data: dict[str, str]
    where: dict[str, int] = field(default_factory=dict)  # accounts-file column → the row that set it


def import_crm(export: Path, mapping: Path, spec: StudySpec, out: Path) -> CrmReport:
    """Read ``export`` with ``mapping`` into an accounts CSV at ``out``."""
    located = load_file(mapping)
    m = parse_model(located, ColumnMap)
    raw, footer_line = _cut_footer(read_bytes(export, str(export), MAX_BYTES * 20, "export"), m.footer)
    header, records = csv_rows(export, raw, MAX_ROWS)
    _check_header(m, located, header, export.name)
    wide = _wide(m, header)
    rep = CrmReport(out, footer_line=footer_line)
    accounts: dict[str, _Gathered] = {}
    for rec in records:
        rep.rows += 1
        if rec.error:
            rep.bad.append(RowError(rec.number, rec.line, "", rec.error))
            continue
        row = dict(zip(header, rec.fields))
        ident = _text(row, m.fields.id)
        try:
            base = _account_fields(m, row)
            cells = _cells(m, row, wide)
            got = accounts.get(ident)
            if got is None:
                accounts[ident] = got = _Gathered([], rec.line, dict(base))
            for k, v in base.items():
                if got.data.get(k, v) != v:
                    raise _Bad(f"{k} {short(v, 40)} differs from row {got.rows[0]}'s {short(got.data[k], 40)} "
                               "for the same account")
            for k in cells:
                if k in got.where:
                    raise _Bad(f"{k} is already given for this account in row {got.where[k]}")
        except _Bad as exc:
            rep.bad.append(RowError(rec.number, rec.line, ident[:64], str(exc)))
            continue
        got.rows.append(rec.number)
        got.data.update(cells)
        got.where.update({k: rec.number for k in cells})
    good: list[dict[str, str]] = []
    for item in check_rows((Row(g.rows[0], g.line, g.data) for g in accounts.values() if g.rows), spec):
        if isinstance(item, RowError):
            rows = accounts[item.account].rows if item.account in accounts else [item.number]
            rep.bad.append(RowError(item.number, item.line, item.account,
                                    (f"(the account's rows {', '.join(map(str, rows))}) " if len(rows) > 1 else "")
                                    + item.reason))
        else:
            good.append(item[0].data)
    rep.bad.sort(key=lambda e: e.number)
    if not good:
        raise InputError([*(Problem(str(export), e.line, 1, f"row {e.number}", e.reason, code="row")
                            for e in rep.bad[:10]),
                          located.problem(("fields",), f"no account could be read from {export.name} ({rep.rows} rows, "
                                          "nothing written)", expected="a map that fits this export (column labels, "
                                          "date format, segment, use case and line values)", code="no-rows")])
    rep.accounts = len(good)
    _write(out, good)
    return rep


def _cells(m: ColumnMap, row: dict[str, str], wide: dict[str, str]) -> dict[str, str]:
    """The row's amounts as accounts-file cells."""
    cells: dict[str, str] = {}
    if m.actuals is not None and any(_text(row, c) for c in (m.actuals.period, m.actuals.line, m.actuals.amount)):
        a = m.actuals  # (a row with none of them is the account alone: no realised data yet)
        line = _mapped(a.line, _text(row, a.line), "model line")
        amount = _amount(_text(row, a.amount), "amount")
        if line.startswith("initial_cost."):
            cells[line] = amount
        else:
            try:
                period = parse_period(_text(row, a.period))
            except ValueError as exc:
                raise _Bad(str(exc)) from None
            cells[f"{line}.{period.key}"] = amount
    for label, target in wide.items():
        text = row.get(label, "").strip()
        if text:
            cells[target] = _amount(text, repr(label))
    return cells


def _write(out: Path, accounts: list[dict[str, str]]) -> None:
    """The accounts CSV: the base columns, then every amount column in a stable order."""
    amounts = sorted({k for a in accounts for k in a if k not in BASE_COLUMNS})
    columns = [c for c in BASE_COLUMNS if any(c in a for a in accounts)] + amounts
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for a in accounts:
        writer.writerow([a.get(c, "") for c in columns])
    from .atomic import atomic_write_bytes

    atomic_write_bytes(out, buf.getvalue().encode("utf-8"))


def describe(rep: CrmReport) -> list[str]:
    """The report's summary as lines for the terminal (the bad rows are ``rep.bad``)."""
    lines = [f"{rep.rows} row(s): {rep.accounts} account(s) written to {rep.out}, {len(rep.bad)} bad row(s) left out"]
    if rep.footer_line:
        lines.append(f"report footer from line {rep.footer_line} on skipped")
    return lines

