"""One customer account (for onboarding, QBR and renewal packets) and its realised ROI.

An account carries its own amounts per study model line in one of two ways: actuals
per reporting period (a quarter or a year, see :mod:`.periods`), as CS teams track
realised value, or one yearly amount per line (a run rate, the older form, used for
every year of the horizon).  Either runs through the study's model: the same lines,
risk adjustments, discount rate and horizon, so the account's figure is comparable with
the study's benchmark and says which definition it uses.  With actuals, years not yet
reported count as zero: the figures are realised to date, not projected.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..spec.schema import Segment, StudySpec
from . import roi
from .figures import Figures
from .periods import Period, model_year, start_period


@dataclass(frozen=True)
class Account:
    id: str
    name: str
    segment: Segment | None = None
    industry: str | None = None
    seats: int | None = None
    adopted_use_cases: tuple[str, ...] = ()
    benefits: dict[str, Decimal] = field(default_factory=dict)  # study benefit line id -> yearly amount
    costs: dict[str, Decimal] = field(default_factory=dict)  # study cost line id -> yearly amount
    initial_costs: dict[str, Decimal] = field(default_factory=dict)
    start: dt.date | None = None  # contract start: where year 1 of the model begins
    # per-period actuals: "benefit.<line>" / "cost.<line>" -> period -> amount
    actuals: dict[str, dict[Period, Decimal]] = field(default_factory=dict)

    @property
    def has_actuals(self) -> bool:
        return any(k.startswith("benefit.") and v for k, v in self.actuals.items())

    @property
    def has_metrics(self) -> bool:
        if self.actuals:
            return self.has_actuals
        return bool(self.benefits) and bool(self.costs or self.initial_costs)

    def first_period(self) -> Period | None:
        """Period 1 of year 1: the one holding ``start``, else the earliest reported."""
        periods = sorted({p for v in self.actuals.values() for p in v})
        if not periods:
            return None
        if self.start is not None:
            return start_period(self.start, periods[0].quarter is not None)
        return periods[0]

    def template_data(self, f: Figures) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "segment": self.segment or "", "industry": self.industry or "",
                "seats": f.number(Decimal(self.seats), 0) if self.seats is not None else ""}


@dataclass(frozen=True)
class PeriodValue:
    """One reporting period of an account: what it reported (as reported, before any risk
    adjustment) and the study benchmark's net for the same stretch of the model."""

    period: Period | None  # None: the initial (one-off) costs before year 1
    year: int  # model year (0 = initial)
    benefits: Decimal
    costs: Decimal
    benchmark: Decimal

    @property
    def net(self) -> Decimal:
        return self.benefits - self.costs


@dataclass(frozen=True)
class AccountResult:
    """The account's realised figures on the study's definitions, and its periods."""

    result: roi.RoiModelResult
    periods: tuple[PeriodValue, ...] = ()  # empty for a run-rate account
    months_reported: int | None = None  # months from the start to the end of the last period (actuals only)

    def template_data(self, f: Figures) -> dict[str, Any]:
        r = self.result
        return {"roi": f.percent(r.roi_pct), "npv": f.money(r.npv), "payback": f.payback(r.payback_months) or "",
                "pv_benefits": f.money(r.pv_benefits), "periods": len([p for p in self.periods if p.period])}


def realised(spec: StudySpec, account: Account, benchmark: roi.RoiModelResult | None = None) -> AccountResult | None:
    """Run the account's own amounts through the study's model; None without metrics.
    ``benchmark`` (the study's result) gives each period its benchmark net."""
    if not account.has_metrics:
        return None
    m = spec.roi_model
    n = m.horizon_years
    if not account.actuals:
        benefits = tuple(roi.CashLine(b.id, b.label, b.roi_type, Decimal(0),
                                      (account.benefits.get(b.id, Decimal(0)),) * n, b.risk) for b in m.benefits)
        costs = tuple(roi.CashLine(c.id, c.label, None, account.initial_costs.get(c.id, Decimal(0)),
                                   (account.costs.get(c.id, Decimal(0)),) * n, c.risk) for c in m.costs)
        return AccountResult(roi.compute_model(roi.RoiModelInput(benefits, costs, n, m.discount_rate)))
    first = account.first_period()
    assert first is not None

    def yearly(key: str) -> tuple[Decimal, ...]:
        years = [Decimal(0)] * n
        for period, amount in account.actuals.get(key, {}).items():
            years[model_year(period, first) - 1] += amount
        return tuple(years)

    benefits = tuple(roi.CashLine(b.id, b.label, b.roi_type, Decimal(0), yearly(f"benefit.{b.id}"), b.risk)
                     for b in m.benefits)
    costs = tuple(roi.CashLine(c.id, c.label, None, account.initial_costs.get(c.id, Decimal(0)),
                               yearly(f"cost.{c.id}"), c.risk) for c in m.costs)
    result = roi.compute_model(roi.RoiModelInput(benefits, costs, n, m.discount_rate))
    last = max(p for v in account.actuals.values() for p in v)
    months = (last.ordinal() - first.ordinal() + 1) * 3 if first.quarter is not None else (last.year - first.year + 1) * 12
    return AccountResult(result, _periods(account, first, benchmark), months)


def _periods(account: Account, first: Period, bench: roi.RoiModelResult | None) -> tuple[PeriodValue, ...]:
    """Every reported period in order (the initial costs first when there are any), each
    with the benchmark's net for that stretch: a quarter gets a quarter of its year's."""
    periods = sorted({p for v in account.actuals.values() for p in v})
    share = Decimal(1) / 4 if first.quarter is not None else Decimal(1)
    out = []
    initial = sum(account.initial_costs.values(), Decimal(0))
    if initial:
        out.append(PeriodValue(None, 0, Decimal(0), initial, bench.years[0].net if bench else Decimal(0)))
    for p in periods:
        year = model_year(p, first)
        ben = sum((v[p] for k, v in account.actuals.items() if k.startswith("benefit.") and p in v), Decimal(0))
        cost = sum((v[p] for k, v in account.actuals.items() if k.startswith("cost.") and p in v), Decimal(0))
        out.append(PeriodValue(p, year, ben, cost, bench.years[year].net * share if bench else Decimal(0)))
    return tuple(out)
