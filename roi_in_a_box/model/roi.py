"""ROI arithmetic: classic ROI, a multi-year risk-adjusted model, shared-outcome
attribution, ROI zones, and recomputation of the figures a study claims.

Every amount is a ``decimal.Decimal`` and stays unrounded here; rounding happens only
when a figure is displayed (see ``roi_in_a_box.model.money``), so totals in a document
always add up to what the model computed. Calculations run in a private decimal context
(34 significant digits, ROUND_HALF_EVEN) so results do not depend on the caller's
context.

Classic ROI
    ROI = (gain − cost) / cost × 100, in percent. Cost must be positive.

Multi-year risk-adjusted model (in the style of Forrester Total Economic Impact studies)
    * Each benefit or cost line has an ``initial`` amount and one amount per year of the
      horizon (years 1..N). Amounts are non-negative: the risk adjustment below is only
      conservative for non-negative amounts. Years listed beyond the horizon are outside
      the model and ignored.
    * Risk adjustment: a benefit counts as amount × (1 − risk); a cost counts as
      amount × (1 + risk); ``risk`` is a fraction from 0 to 1. Both make the result
      more conservative.
    * Timing: the initial amount occurs at time 0 and is not discounted; the year-t
      amount occurs at the end of year t and is divided by (1 + r)^t, r being the
      discount rate.
    * PV(benefits) and PV(costs) are the sums of the discounted risk-adjusted amounts;
      NPV = PV(benefits) − PV(costs); ROI = NPV / PV(costs) × 100.
    * Payback period, in months, uses the risk-adjusted but undiscounted cumulative net
      cash flow (benefits − costs): the initial net sits at month 0 and each year's net
      is spread evenly over that year's 12 months. Payback is the month from which the
      cumulative net stays ≥ 0 to the end of the horizon, linearly interpolated within
      the year (so it may be fractional); 0 if the cumulative net is never negative;
      None if it ends the horizon below zero (even if it touched zero on the way).
    * Undiscounted totals (risk-adjusted, not discounted) are reported too, with
      undiscounted ROI = (total benefits − total costs) / total costs × 100, so a
      document can state which definition it uses.

Shared outcomes
    When several parties contributed to one outcome, the outcome is split by a stated
    method and each party's "modelled ROI" is the classic ROI of its attributed amount
    against its own cost. The split is a model, not a measurement, and every result
    carries a label saying so.

Zones
    winning = attributable or transformational evidenced; competitive = efficiency or
    need (and nothing winning); instability = indirect only. The slope climbs
    indirect → efficiency → attributable, or indirect → need → transformational.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Literal

RoiType = Literal["attributable", "transformational", "efficiency", "need", "indirect"]
ROI_TYPES: tuple[str, ...] = ("attributable", "transformational", "efficiency", "need", "indirect")
Zone = Literal["winning", "competitive", "instability"]
Figure = Literal["roi_pct", "classic_roi_pct", "npv", "payback_months", "pv_benefits", "pv_costs", "total_benefits",
                 "total_costs", "undiscounted_roi_pct"]
FIGURES: tuple[str, ...] = ("roi_pct", "classic_roi_pct", "npv", "payback_months", "pv_benefits", "pv_costs",
                            "total_benefits", "total_costs", "undiscounted_roi_pct")
AttributionMethod = Literal["equal", "cost_weighted", "stated"]

CLASSIC_ROI_DEFINITION = "Classic ROI = (gain − cost) / cost × 100."

_CONTEXT = Context(prec=34)
_HUNDRED = Decimal(100)
_TWELVE = Decimal(12)
_ZERO = Decimal(0)
_ONE = Decimal(1)


def _finite(value: object, what: str) -> Decimal:
    """Reject floats and NaN/infinity early: they would silently corrupt exact money."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise TypeError(f"{what} must be a finite Decimal, got {value!r}")
    return value


def classic_roi(gain: Decimal, cost: Decimal) -> Decimal:
    """(gain − cost) / cost × 100, in percent; the single-period ROI most articles quote."""
    _finite(gain, "gain")
    if _finite(cost, "cost") <= 0:
        raise ValueError(f"classic ROI needs a positive cost, got {cost}")
    with localcontext(_CONTEXT):
        return (gain - cost) / cost * _HUNDRED


# --- multi-year model -----------------------------------------------------------------


@dataclass(frozen=True)
class CashLine:
    """One benefit or cost row of the model, before risk adjustment."""

    id: str
    label: str
    roi_type: str | None
    initial: Decimal
    yearly: tuple[Decimal, ...]
    risk: Decimal
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        where = f"line {self.id!r}"
        for i, amount in enumerate((self.initial, *self.yearly)):
            if _finite(amount, f"{where} amount") < 0:
                raise ValueError(f"{where}: amounts must be ≥ 0 ({'initial' if i == 0 else f'year {i}'} is {amount})")
        if not _ZERO <= _finite(self.risk, f"{where} risk") <= _ONE:
            raise ValueError(f"{where}: risk is a fraction from 0 to 1, got {self.risk}")
        if self.roi_type is not None and self.roi_type not in ROI_TYPES:
            raise ValueError(f"{where}: unknown ROI type {self.roi_type!r}; expected one of {', '.join(ROI_TYPES)}")


@dataclass(frozen=True)
class RoiModelInput:
    """Benefit and cost lines over a horizon; validated on construction so errors name the line."""

    benefits: tuple[CashLine, ...]
    costs: tuple[CashLine, ...]
    horizon_years: int = 3
    discount_rate: Decimal = Decimal("0.10")

    def __post_init__(self) -> None:
        if self.horizon_years < 1:
            raise ValueError(f"horizon_years must be ≥ 1, got {self.horizon_years}")
        if _finite(self.discount_rate, "discount_rate") < 0:
            raise ValueError(f"discount_rate must be ≥ 0, got {self.discount_rate}")
        seen: set[str] = set()
        for kind, lines in (("benefit", self.benefits), ("cost", self.costs)):
            for line in lines:
                if line.id in seen:
                    raise ValueError(f"line id {line.id!r} is used twice")
                seen.add(line.id)
                if len(line.yearly) < self.horizon_years:
                    raise ValueError(
                        f"{kind} line {line.id!r} has {len(line.yearly)} yearly amounts; "
                        f"the {self.horizon_years}-year horizon needs {self.horizon_years}"
                    )
                if kind == "benefit" and line.roi_type is None:
                    raise ValueError(f"benefit line {line.id!r} needs an roi_type ({', '.join(ROI_TYPES)})")
                if kind == "cost" and line.roi_type is not None:
                    raise ValueError(f"cost line {line.id!r} must not have an roi_type")


@dataclass(frozen=True)
class LineResult:
    """A line after risk adjustment: what a Forrester-style table prints per row."""

    id: str
    label: str
    roi_type: str | None
    initial: Decimal
    yearly: tuple[Decimal, ...]
    total: Decimal
    pv: Decimal
    risk: Decimal = _ZERO
    unadjusted_total: Decimal = _ZERO  # the same line before its risk adjustment
    unadjusted_pv: Decimal = _ZERO


@dataclass(frozen=True)
class YearTotal:
    """Risk-adjusted, undiscounted totals for one period; year 0 is the initial period."""

    year: int
    benefits: Decimal
    costs: Decimal
    net: Decimal
    cumulative_net: Decimal


@dataclass(frozen=True)
class RoiModelResult:
    """Every figure a study prints, unrounded, plus the definitions used to compute them."""

    benefits: tuple[LineResult, ...]
    costs: tuple[LineResult, ...]
    years: tuple[YearTotal, ...]
    horizon_years: int
    discount_rate: Decimal
    pv_benefits: Decimal
    pv_costs: Decimal
    npv: Decimal
    roi_pct: Decimal
    payback_months: Decimal | None
    total_benefits: Decimal
    total_costs: Decimal
    undiscounted_roi_pct: Decimal
    discounted_payback_months: Decimal | None = None

    def monthly_cumulative(self) -> tuple[tuple[int, Decimal], ...]:
        """(month, cumulative net) for months 0..12N, on the payback definition's basis."""
        points = [(0, self.years[0].cumulative_net)]
        with localcontext(_CONTEXT):
            for prev, year in zip(self.years, self.years[1:]):
                for m in range(1, 13):
                    cum = prev.cumulative_net + year.net * m / _TWELVE
                    points.append((12 * (year.year - 1) + m, cum))
        return tuple(points)

    @property
    def definitions(self) -> dict[str, str]:
        """One English sentence per figure, so a document can say what its numbers mean."""
        rate = f"{(self.discount_rate * _HUNDRED).normalize():f}%"
        basis = f"risk-adjusted, discounted at {rate} over {self.horizon_years} years"
        return {
            "pv_benefits": f"PV(benefits) = sum of benefits, {basis}.",
            "pv_costs": f"PV(costs) = sum of costs, {basis}.",
            "npv": f"NPV = PV(benefits) − PV(costs), {basis}.",
            "roi_pct": f"ROI = NPV / PV(costs), {basis}.",
            "payback_months": (
                "Payback = months until the cumulative risk-adjusted, undiscounted net cash flow reaches zero "
                "and stays there, each year's net spread evenly over its 12 months, within "
                f"{self.horizon_years} years."
            ),
            "total_benefits": f"Total benefits = sum of benefits, risk-adjusted, undiscounted, over {self.horizon_years} years.",
            "total_costs": f"Total costs = sum of costs, risk-adjusted, undiscounted, over {self.horizon_years} years.",
            "undiscounted_roi_pct": (
                "Undiscounted ROI = (total benefits − total costs) / total costs, "
                f"risk-adjusted, undiscounted, over {self.horizon_years} years."
            ),
            "classic_roi_pct": CLASSIC_ROI_DEFINITION,
            "discounted_payback_months": (
                "Discounted payback = the payback rule on the cumulative risk-adjusted net cash flow discounted at "
                f"{rate} (each year's discounted net spread evenly over its 12 months), within {self.horizon_years} years."
            ),
        }


def _pv(initial: Decimal, yearly: Sequence[Decimal], rate: Decimal) -> Decimal:
    return initial + sum((a / (_ONE + rate) ** t for t, a in enumerate(yearly, 1)), _ZERO)


def _adjust(line: CashLine, is_benefit: bool, horizon: int, rate: Decimal) -> LineResult:
    factor = _ONE - line.risk if is_benefit else _ONE + line.risk
    initial = line.initial * factor
    raw = line.yearly[:horizon]
    yearly = tuple(a * factor for a in raw)
    return LineResult(line.id, line.label, line.roi_type, initial, yearly, initial + sum(yearly, _ZERO),
                      _pv(initial, yearly, rate), line.risk, line.initial + sum(raw, _ZERO),
                      _pv(line.initial, raw, rate))


def _payback(years: Sequence[YearTotal]) -> Decimal | None:
    """Month after which the cumulative net stays ≥ 0 to the end of the horizon.

    The cumulative net is piecewise linear between year ends, so it stays ≥ 0 after the
    last year end at which it is negative, once it crosses zero within the following
    year. It ends negative: None (never paid back, even if it touched zero on the way).
    It is never negative: 0 (there is no outflow to pay back).
    """
    if years[-1].cumulative_net < 0:
        return None
    last_negative = max((y.year for y in years if y.cumulative_net < 0), default=None)
    if last_negative is None:
        return _ZERO
    prev, year = years[last_negative], years[last_negative + 1]  # year.net > 0: it crosses zero
    return 12 * (year.year - 1) + _TWELVE * -prev.cumulative_net / year.net


def first_break_even(years: Sequence[YearTotal]) -> Decimal | None:
    """Month at which the cumulative net first reaches ≥ 0 (the old, optimistic payback).

    Differs from the payback when the cumulative net later falls below zero again: the
    model then warns, because a reader of "payback 6 months" assumes it stays paid back.
    """
    if years[0].cumulative_net >= 0:
        return _ZERO
    with localcontext(_CONTEXT):  # the same context as the payback, so equal crossings compare equal
        for prev, year in pairwise(years):
            if year.cumulative_net >= 0:  # crossed during this year, so year.net > 0
                return 12 * (year.year - 1) + _TWELVE * -prev.cumulative_net / year.net
    return None


def compute_model(model: RoiModelInput) -> RoiModelResult:
    """Run the model described in the module docstring; costs must not all be zero."""
    n, r = model.horizon_years, model.discount_rate
    with localcontext(_CONTEXT):
        benefits = tuple(_adjust(b, True, n, r) for b in model.benefits)
        costs = tuple(_adjust(c, False, n, r) for c in model.costs)
        years: list[YearTotal] = []
        cumulative = _ZERO
        for t in range(n + 1):
            b = sum((x.initial if t == 0 else x.yearly[t - 1] for x in benefits), _ZERO)
            c = sum((x.initial if t == 0 else x.yearly[t - 1] for x in costs), _ZERO)
            cumulative += b - c
            years.append(YearTotal(t, b, c, b - c, cumulative))
        pv_b = sum((x.pv for x in benefits), _ZERO)
        pv_c = sum((x.pv for x in costs), _ZERO)
        if pv_c <= 0:
            raise ValueError("ROI is undefined: the model's costs are all zero")
        discounted: list[YearTotal] = []
        running = _ZERO
        for y in years:
            net = y.net / (_ONE + r) ** y.year
            running += net
            discounted.append(YearTotal(y.year, y.benefits, y.costs, net, running))
        total_b = sum((y.benefits for y in years), _ZERO)
        total_c = sum((y.costs for y in years), _ZERO)
        return RoiModelResult(
            benefits=benefits,
            costs=costs,
            years=tuple(years),
            horizon_years=n,
            discount_rate=r,
            pv_benefits=pv_b,
            pv_costs=pv_c,
            npv=pv_b - pv_c,
            roi_pct=(pv_b - pv_c) / pv_c * _HUNDRED,
            payback_months=_payback(years),
            total_benefits=total_b,
            total_costs=total_c,
            undiscounted_roi_pct=(total_b - total_c) / total_c * _HUNDRED,
            discounted_payback_months=_payback(discounted),
        )


# --- shared outcomes ------------------------------------------------------------------


@dataclass(frozen=True)
class Contributor:
    """A party that helped produce a shared outcome; ``share`` is used only by "stated"."""

    name: str
    cost: Decimal
    share: Decimal | None = None


@dataclass(frozen=True)
class Attribution:
    """A contributor's modelled slice of the outcome; ``label`` keeps it from passing as measured."""

    name: str
    share: Decimal
    amount: Decimal
    modelled_roi_pct: Decimal | None
    label: str


_STATED_TOLERANCE = Decimal("0.0001")


def attribute(
    outcome: Decimal, contributors: Sequence[Contributor], method: AttributionMethod
) -> tuple[Attribution, ...]:
    """Split ``outcome`` among ``contributors`` (same order) by ``method``.

    equal: 1/n each. cost_weighted: cost / total cost (total must be > 0; zero-cost
    contributors get 0). stated: the contributors' own shares, which must sum to 1 within
    0.0001. Modelled ROI is classic ROI of the attributed amount against the contributor's
    cost, None when the cost is 0 (e.g. an internal team with no stated cost).
    """
    _finite(outcome, "outcome")
    if not contributors:
        raise ValueError("attribution needs at least one contributor")
    if len({c.name for c in contributors}) != len(contributors):
        raise ValueError("contributor names must be unique")
    for c in contributors:
        if _finite(c.cost, f"cost of {c.name!r}") < 0:
            raise ValueError(f"cost of {c.name!r} must be ≥ 0, got {c.cost}")
    with localcontext(_CONTEXT):
        if method == "equal":
            n = Decimal(len(contributors))
            parts = [(_ONE / n, outcome / n) for _ in contributors]
        elif method == "cost_weighted":
            total = sum((c.cost for c in contributors), _ZERO)
            if total <= 0:
                raise ValueError("cost_weighted attribution needs a positive total cost")
            parts = [(c.cost / total, outcome * c.cost / total) for c in contributors]
        elif method == "stated":
            shares = [_stated_share(c) for c in contributors]
            if abs(sum(shares, _ZERO) - _ONE) > _STATED_TOLERANCE:
                raise ValueError(f"stated shares sum to {sum(shares, _ZERO)}, not 1 (±{_STATED_TOLERANCE})")
            parts = [(s, outcome * s) for s in shares]
        else:
            raise ValueError(f"unknown attribution method {method!r}; expected equal, cost_weighted or stated")
        label = f"modelled attribution ({method})"
        return tuple(
            Attribution(c.name, share, amount, classic_roi(amount, c.cost) if c.cost > 0 else None, label)
            for c, (share, amount) in zip(contributors, parts)
        )


def _stated_share(c: Contributor) -> Decimal:
    if c.share is None:
        raise ValueError(f"stated attribution needs a share for {c.name!r}")
    if not _ZERO <= _finite(c.share, f"share of {c.name!r}") <= _ONE:
        raise ValueError(f"share of {c.name!r} is a fraction from 0 to 1, got {c.share}")
    return c.share


# --- zones ----------------------------------------------------------------------------


def _evidenced(types: Iterable[str]) -> frozenset[str]:
    found = frozenset(types)
    unknown = sorted(found - set(ROI_TYPES))
    if unknown:
        raise ValueError(f"unknown ROI type(s) {', '.join(unknown)}; expected one of {', '.join(ROI_TYPES)}")
    return found


def zone_for(types: Iterable[str]) -> Zone | None:
    """The best zone any evidenced type reaches; None when nothing is evidenced."""
    found = _evidenced(types)
    if found & {"attributable", "transformational"}:
        return "winning"
    if found & {"efficiency", "need"}:
        return "competitive"
    if "indirect" in found:
        return "instability"
    return None


def next_steps(types: Iterable[str]) -> tuple[str, ...]:
    """The type(s) one step up the slope from where the evidence stands.

    Indirect only: both paths are open, so ("efficiency", "need"). Efficiency leads to
    attributable and need to transformational; when both efficiency and need are
    evidenced, both paths apply and both steps are returned, ("attributable",
    "transformational"). Already winning: (). An empty evidence set has no position on
    the slope, so it is an error rather than a guess.
    """
    found = _evidenced(types)
    if not found:
        raise ValueError("no ROI types evidenced: there is no position on the slope")
    if zone_for(found) == "winning":
        return ()
    if zone_for(found) == "instability":
        return ("efficiency", "need")
    return tuple(up for step, up in (("efficiency", "attributable"), ("need", "transformational")) if step in found)


# --- claim recomputation --------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """A figure as a source states it; ``tolerance`` is absolute in the figure's unit
    (percentage points for %, months for payback, money for money)."""

    figure: Figure
    value: Decimal
    tolerance: Decimal
    where: str

    def __post_init__(self) -> None:
        if self.figure not in FIGURES:
            raise ValueError(f"unknown figure {self.figure!r}; expected one of {', '.join(FIGURES)}")
        _finite(self.value, "claimed value")
        if _finite(self.tolerance, "tolerance") < 0:
            raise ValueError(f"tolerance must be ≥ 0, got {self.tolerance}")


@dataclass(frozen=True)
class ClaimCheck:
    """Outcome of recomputing a claim; ``difference`` = computed − claimed."""

    ok: bool
    claimed: Decimal
    computed: Decimal | None
    difference: Decimal | None
    message: str


def _show(value: Decimal, figure: str, *, tolerance: bool = False) -> str:
    """Plain English display for messages: 2 decimals at most, thousands separated."""
    text = f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP):,f}".rstrip("0").rstrip(".")
    if figure.endswith("_pct"):
        return f"{text} percentage points" if tolerance else f"{text}%"
    return f"{text} months" if figure == "payback_months" else text


def check_claim(claim: Claim, result: RoiModelResult | None, classic: Decimal | None = None) -> ClaimCheck:
    """Recompute ``claim`` from ``result`` (or ``classic`` for classic_roi_pct) and compare.

    The message names both numbers and the definition used, so an analyst can see
    why a published figure does not reproduce.
    """
    if claim.figure == "classic_roi_pct":
        if classic is None:
            raise ValueError("a classic_roi_pct claim needs the classic ROI to compare with")
        computed: Decimal | None = classic
        definition = CLASSIC_ROI_DEFINITION
    else:
        if result is None:
            raise ValueError(f"a {claim.figure} claim needs a model result to compare with")
        computed = getattr(result, claim.figure)
        definition = result.definitions[claim.figure]
    claimed_text = _show(claim.value, claim.figure)
    if computed is None:
        message = (
            f"{claim.figure} at {claim.where}: claimed {claimed_text}, computed: not reached "
            f"within the horizon. Definition: {definition}"
        )
        return ClaimCheck(False, claim.value, None, None, message)
    with localcontext(_CONTEXT):
        difference = computed - claim.value
    ok = abs(difference) <= claim.tolerance
    message = (
        f"{claim.figure} at {claim.where}: claimed {claimed_text}, computed {_show(computed, claim.figure)} "
        f"({'within' if ok else 'outside'} tolerance {_show(claim.tolerance, claim.figure, tolerance=True)}). "
        f"Definition: {definition}"
    )
    return ClaimCheck(ok, claim.value, computed, difference, message)
