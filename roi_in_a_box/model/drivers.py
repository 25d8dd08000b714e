"""Driver-based lines: yearly amounts computed from named inputs by a formula.

This is how TEI studies show a benefit: rows A1…An of inputs (each with its source), a
result row that is a formula over them, then the risk-adjusted row. The engine computes
the result exactly (Decimal, see ``formula``) and keeps every row, so a document can print
the calculation table and a reader can redo it by hand.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..spec.errors import Problem
from ..spec.schema import CashLine, Driver, StudySpec
from ..spec.yaml_source import Located, PathKey
from .formula import FormulaError, parse

PERCENT_UNITS = ("percent", "%")


@dataclass(frozen=True)
class DriverRow:
    """One input row: what the table prints (``shown``, as entered) and what the formula uses."""

    ref: str  # "A1"
    name: str
    label: str
    unit: str
    source: str
    shown: tuple[Decimal, ...]
    used: tuple[Decimal, ...]
    low: Decimal | None
    high: Decimal | None
    evidence: tuple[str, ...]

    @property
    def is_percent(self) -> bool:
        return self.unit in PERCENT_UNITS


@dataclass(frozen=True)
class LineCalc:
    """A driver-based line: its input rows, formula (in table references) and yearly result."""

    line_id: str
    letter: str
    rows: tuple[DriverRow, ...]
    formula: str  # "A1*A2*0.511*0.083*0.12"
    amounts: tuple[Decimal, ...]


def _values(d: Driver, horizon: int) -> tuple[Decimal, ...]:
    return tuple(d.yearly[:horizon]) if d.yearly else (d.value,) * horizon  # type: ignore[return-value]


def _scale(d: Driver, v: Decimal) -> Decimal:
    return v / 100 if d.unit in PERCENT_UNITS else v


def letters(spec: StudySpec) -> dict[str, str]:
    """Table letters by line order, benefits then costs (A, B, …, then AA, AB …)."""
    lines = [*spec.roi_model.benefits, *spec.roi_model.costs]
    alphabet = string.ascii_uppercase
    return {ln.id: (alphabet[i] if i < 26 else alphabet[i // 26 - 1] + alphabet[i % 26]) for i, ln in enumerate(lines)}


def _column(located: Located, spec_path: Path | None, path: PathKey, offset: int) -> tuple[int, int]:
    """File line and column of character ``offset`` (1-based) of the formula at ``path``."""
    line, col = located.where(path)
    quote = 0
    if spec_path is not None and spec_path.is_file():
        text = spec_path.read_text("utf-8", errors="replace").splitlines()
        if 0 < line <= len(text) and text[line - 1][col - 1:col] in ("'", '"'):
            quote = 1
    return line, col + quote + offset - 1


def evaluate(spec: StudySpec, located: Located, spec_path: Path | None = None
             ) -> tuple[dict[str, LineCalc], list[Problem]]:
    """Every driver-based line's calculation, and located problems for the broken ones."""
    n = spec.roi_model.horizon_years
    letter = letters(spec)
    calcs: dict[str, LineCalc] = {}
    problems: list[Problem] = []
    for kind in ("benefits", "costs"):
        for i, ln in enumerate(getattr(spec.roi_model, kind)):
            if ln.formula is None:
                continue
            path: PathKey = ("roi_model", kind, i, "formula")
            try:
                calcs[ln.id] = _line(ln, n, letter[ln.id])
            except FormulaError as exc:
                line, col = _column(located, spec_path, path, exc.column)
                problems.append(Problem(located.file, line, col, f"roi_model.{kind}[{i}].formula",
                                        f"formula of '{ln.id}': {exc}", found=repr(exc.token) if exc.token else "",
                                        expected="arithmetic over the line's driver names (+ - * / ( ) min max, "
                                                 "numbers like 0.511 or 12%)", code="formula"))
            except ValueError as exc:
                problems.append(located.problem(path, f"formula of '{ln.id}': {exc}",
                                                expected="an amount ≥ 0 every year", code="formula"))
    return calcs, problems


def _line(ln: CashLine, horizon: int, letter: str) -> LineCalc:
    names = {d.name for d in ln.drivers}
    formula = parse(ln.formula or "", names)
    rows = tuple(DriverRow(f"{letter}{j}", d.name, d.label, d.unit, d.source, _values(d, horizon),
                           tuple(_scale(d, v) for v in _values(d, horizon)), d.low, d.high, tuple(d.evidence))
                 for j, d in enumerate(ln.drivers, 1))
    by_name = {r.name: r for r in rows}
    amounts = []
    for t in range(horizon):
        try:
            amount = formula.evaluate({name: r.used[t] for name, r in by_name.items()})
        except FormulaError as exc:
            raise ValueError(f"year {t + 1}: {exc}") from None
        if amount < 0:
            raise ValueError(f"year {t + 1} gives {amount.normalize():f}, below zero")
        amounts.append(amount)
    return LineCalc(ln.id, letter, rows, formula.display({r.name: r.ref for r in rows}), tuple(amounts))


def with_amounts(ln: CashLine, calcs: dict[str, LineCalc]) -> tuple[Decimal, ...]:
    """The line's yearly amounts: computed for a driver-based line, as written otherwise."""
    return calcs[ln.id].amounts if ln.id in calcs else tuple(ln.yearly)


def yearly_amounts(spec: StudySpec) -> dict[str, tuple[Decimal, ...]]:
    """Every line's yearly amounts by id, for a spec already checked by ``evaluate``."""
    n, letter = spec.roi_model.horizon_years, letters(spec)
    return {ln.id: (_line(ln, n, letter[ln.id]).amounts if ln.formula is not None else tuple(ln.yearly))
            for ln in (*spec.roi_model.benefits, *spec.roi_model.costs)}
