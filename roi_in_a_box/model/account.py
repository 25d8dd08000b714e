"""One customer account (for onboarding, QBR and renewal packets) and its realised ROI.

An account's own yearly benefits and costs run through the study's model: the same
lines, risk adjustments, discount rate and horizon, so the account's figure is
comparable with the study's benchmark and says which definition it uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..spec.schema import Segment, StudySpec
from . import roi
from .figures import Figures


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

    @property
    def has_metrics(self) -> bool:
        return bool(self.benefits) and bool(self.costs or self.initial_costs)

    def template_data(self, f: Figures) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "segment": self.segment or "", "industry": self.industry or "",
                "seats": f.number(Decimal(self.seats), 0) if self.seats is not None else ""}


@dataclass(frozen=True)
class AccountResult:
    """The account's realised figures on the study's definitions."""

    result: roi.RoiModelResult

    def template_data(self, f: Figures) -> dict[str, Any]:
        r = self.result
        return {"roi": f.percent(r.roi_pct), "npv": f.money(r.npv), "payback": f.payback(r.payback_months) or "",
                "pv_benefits": f.money(r.pv_benefits)}


def realised(spec: StudySpec, account: Account) -> AccountResult | None:
    """Run the account's own amounts through the study's model; None without metrics."""
    if not account.has_metrics:
        return None
    m = spec.roi_model
    n = m.horizon_years
    benefits = tuple(roi.CashLine(b.id, b.label, b.roi_type, Decimal(0), (account.benefits.get(b.id, Decimal(0)),) * n,
                                  b.risk) for b in m.benefits)
    costs = tuple(roi.CashLine(c.id, c.label, None, account.initial_costs.get(c.id, Decimal(0)),
                               (account.costs.get(c.id, Decimal(0)),) * n, c.risk) for c in m.costs)
    return AccountResult(roi.compute_model(roi.RoiModelInput(benefits, costs, n, m.discount_rate)))
