"""ROI model: golden figures worked by hand, and properties the definitions must keep."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi_in_a_box.model.roi import (
    CashLine,
    Claim,
    Contributor,
    RoiModelInput,
    attribute,
    check_claim,
    classic_roi,
    compute_model,
    first_break_even,
    next_steps,
    zone_for,
)

TINY = D("1e-20")


def line(id_: str, roi_type: str | None, initial: str | int, yearly: list[int], risk: str) -> CashLine:
    return CashLine(id_, id_.title(), roi_type, D(initial), tuple(D(x) for x in yearly), D(risk))


# --- classic ROI and the article's "123%" ---------------------------------------------


def test_classic_roi_article_example() -> None:
    # $10,000 spent, $123,000 net new revenue: (123,000 − 10,000) / 10,000 × 100 = 1,130%.
    assert classic_roi(D(123000), D(10000)) == D(1130)
    # Reading $123,000 as net income (gain = 133,000): 123,000 / 10,000 × 100 = 1,230%.
    assert classic_roi(D(133000), D(10000)) == D(1230)


def test_article_123_percent_claim_fails_under_both_readings() -> None:
    claim = Claim("classic_roi_pct", D(123), D("0.5"), "article, paragraph 3")
    as_revenue = check_claim(claim, None, classic_roi(D(123000), D(10000)))
    as_net_income = check_claim(claim, None, classic_roi(D(133000), D(10000)))
    assert not as_revenue.ok and not as_net_income.ok
    assert as_revenue.computed == 1130 and as_revenue.difference == 1007
    assert as_net_income.computed == 1230 and as_net_income.difference == 1107
    for check, computed in ((as_revenue, "1,130%"), (as_net_income, "1,230%")):
        assert "claimed 123%" in check.message
        assert f"computed {computed}" in check.message
        assert "(gain − cost) / cost" in check.message
        assert "article, paragraph 3" in check.message


def test_classic_roi_needs_positive_cost() -> None:
    with pytest.raises(ValueError):
        classic_roi(D(1), D(0))
    with pytest.raises(TypeError):
        classic_roi(1.5, D(1))  # type: ignore[arg-type]


# --- 3-year risk-adjusted model, worked by hand ---------------------------------------
#
# Benefits (risk-adjusted = amount × (1 − risk)):
#   labour  efficiency    yearly 100,000 / 150,000 / 200,000, risk 10% → 90,000 / 135,000 / 180,000
#   revenue attributable  yearly  50,000 /  50,000 /  50,000, risk 20% → 40,000 /  40,000 /  40,000
#   per year: 130,000 / 175,000 / 220,000; total 525,000
# Costs (risk-adjusted = amount × (1 + risk)):
#   licence  yearly 50,000 each, risk 10% → 55,000 each
#   rollout  initial 144,000, yearly 20,000 each, risk 25% → initial 180,000, 25,000 each
#   initial 180,000; per year 80,000; total 420,000
# Discount factors at 10%: 1.1, 1.21, 1.331. Over the common denominator 1.331:
#   PV(benefits) = (130,000 × 1.21 + 175,000 × 1.1 + 220,000) / 1.331 = 569,800 / 1.331 ≈ 428,099.17
#   PV(costs)    = 180,000 + 80,000 × (1.21 + 1.1 + 1) / 1.331
#                = (239,580 + 264,800) / 1.331 = 504,380 / 1.331 ≈ 378,948.16
#   NPV          = 65,420 / 1.331 ≈ 49,151.01
#   ROI          = 65,420 / 504,380 × 100 ≈ 12.97%
# Cumulative undiscounted net: month 0 −180,000; end of year 1 −130,000; year 2 −35,000;
#   year 3 +105,000. Year 3 nets 140,000, so payback = 24 + 12 × 35,000 / 140,000 = 27 months.
# Undiscounted ROI = (525,000 − 420,000) / 420,000 × 100 = 25%.

MODEL = RoiModelInput(
    benefits=(
        line("labour", "efficiency", 0, [100000, 150000, 200000], "0.10"),
        line("revenue", "attributable", 0, [50000, 50000, 50000], "0.20"),
    ),
    costs=(
        line("licence", None, 0, [50000, 50000, 50000], "0.10"),
        line("rollout", None, 144000, [20000, 20000, 20000], "0.25"),
    ),
)


def test_three_year_model_worked_by_hand() -> None:
    r = compute_model(MODEL)
    assert r.benefits[0].yearly == (90000, 135000, 180000)
    assert r.costs[1].initial == 180000 and r.costs[1].yearly == (25000, 25000, 25000)
    assert [(y.year, y.benefits, y.costs, y.net, y.cumulative_net) for y in r.years] == [
        (0, 0, 180000, -180000, -180000),
        (1, 130000, 80000, 50000, -130000),
        (2, 175000, 80000, 95000, -35000),
        (3, 220000, 80000, 140000, 105000),
    ]
    assert abs(r.pv_benefits - D(569800) / D("1.331")) < TINY
    assert abs(r.pv_costs - D(504380) / D("1.331")) < TINY
    assert abs(r.npv - D(65420) / D("1.331")) < TINY
    assert abs(r.roi_pct - D(65420) / D(504380) * 100) < TINY
    assert r.pv_benefits.quantize(D("0.01")) == D("428099.17")
    assert r.pv_costs.quantize(D("0.01")) == D("378948.16")
    assert r.npv.quantize(D("0.01")) == D("49151.01")
    assert r.roi_pct.quantize(D("0.01")) == D("12.97")
    assert r.payback_months == 27
    assert (r.total_benefits, r.total_costs, r.undiscounted_roi_pct) == (525000, 420000, 25)
    assert abs(r.pv_benefits - sum(b.pv for b in r.benefits)) < TINY  # line PVs add up to the total
    assert r.definitions["roi_pct"] == "ROI = NPV / PV(costs), risk-adjusted, discounted at 10% over 3 years."


def test_monthly_cumulative_for_the_payback_chart() -> None:
    points = compute_model(MODEL).monthly_cumulative()
    assert len(points) == 37 and points[0] == (0, -180000)
    assert points[12] == (12, -130000) and points[36] == (36, 105000)
    assert points[27] == (27, 0)  # 35,000 short at month 24, recovering 140,000 / 12 per month
    assert points[26][1] < 0


def test_payback_zero_only_when_the_cumulative_net_is_never_negative() -> None:
    upfront = RoiModelInput((line("b", "need", 100, [60], "0"),), (line("c", None, 100, [50], "0"),), horizon_years=1)
    assert compute_model(upfront).payback_months == 0  # net 0 at time 0, then +10: nothing to pay back
    never = RoiModelInput((line("b", "need", 0, [10, 10], "0"),), (line("c", None, 100, [0, 0], "0"),), horizon_years=2)
    result = compute_model(never)
    assert result.payback_months is None
    check = check_claim(Claim("payback_months", D(6), D(1), "slide 4"), result)
    assert not check.ok and check.computed is None and "not reached" in check.message


def test_no_initial_cost_and_every_year_negative_never_pays_back() -> None:
    # Defect 1: benefits 10k/yr against costs 50k/yr, nothing at time 0. The net at time 0
    # is zero, but it is never paid back: ROI is −80% and payback must not read "0 months".
    model = RoiModelInput((line("b", "need", 0, [10000] * 3, "0"),), (line("c", None, 0, [50000] * 3, "0"),))
    result = compute_model(model)
    assert result.roi_pct == -80
    assert result.payback_months is None
    assert first_break_even(result.years) == 0  # the old rule's answer, kept only to warn about


def test_payback_ignores_a_break_even_the_net_falls_back_from() -> None:
    # Defect 2: -100 at time 0, +200 in year 1 (breaks even at month 6), −300 in year 2.
    dips = RoiModelInput((line("b", "need", 0, [200, 0], "0"),), (line("c", None, 100, [0, 300], "0"),),
                         horizon_years=2)
    r = compute_model(dips)
    assert [y.cumulative_net for y in r.years] == [-100, 100, -200]
    assert first_break_even(r.years) == 6
    assert r.payback_months is None and r.roi_pct < 0
    # The same dip recovered in year 3: payback is the final crossing, 24 + 12 × 200 / 400 = 30.
    recovers = RoiModelInput((line("b", "need", 0, [200, 0, 400], "0"),), (line("c", None, 100, [0, 300, 0], "0"),))
    r = compute_model(recovers)
    assert first_break_even(r.years) == 6 and r.payback_months == 30


def test_claims_against_the_model() -> None:
    r = compute_model(MODEL)
    assert check_claim(Claim("roi_pct", D(13), D("0.05"), "summary"), r).ok
    assert not check_claim(Claim("roi_pct", D(25), D("0.5"), "summary"), r).ok  # undiscounted ROI
    assert check_claim(Claim("npv", D(49151), D(1), "table 2"), r).ok
    assert check_claim(Claim("payback_months", D(27), D(0), "table 2"), r).ok


def test_input_errors_name_the_line() -> None:
    with pytest.raises(ValueError, match="'labour'"):
        RoiModelInput((line("labour", "efficiency", 0, [1, 2], "0"),), MODEL.costs)
    with pytest.raises(ValueError, match="'licence'"):
        RoiModelInput(MODEL.benefits, (line("licence", "need", 0, [1, 1, 1], "0"),))
    with pytest.raises(ValueError, match="'labour'"):
        RoiModelInput((line("labour", None, 0, [1, 1, 1], "0"),), MODEL.costs)
    with pytest.raises(ValueError, match="risk"):
        line("x", "need", 0, [1], "1.5")
    with pytest.raises(ValueError, match="ROI type"):
        line("x", "magic", 0, [1], "0")
    with pytest.raises(TypeError):
        CashLine("x", "X", "need", 1.0, (D(1),), D(0))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="costs"):
        compute_model(RoiModelInput(MODEL.benefits, (line("free", None, 0, [0, 0, 0], "0"),)))


# --- shared outcomes: the retailer's $6.2M quarter ------------------------------------

RETAILER = (
    Contributor("CSAT vendor", D(50000), D("0.10")),
    Contributor("UX auditor", D(30000), D("0.05")),
    Contributor("Journey consultant", D(75000), D("0.25")),
    Contributor("Internal team", D(0), D("0.60")),
)
OUTCOME = D(6200000)


def test_retailer_equal() -> None:
    # 6,200,000 / 4 = 1,550,000 each.
    # CSAT: (1,550,000 − 50,000) / 50,000 × 100 = 3,000%
    # UX:   (1,550,000 − 30,000) / 30,000 × 100 = 5,066.67%
    # Consultant: (1,550,000 − 75,000) / 75,000 × 100 = 1,966.67%; internal team: no cost, no ROI.
    result = attribute(OUTCOME, RETAILER, "equal")
    assert [a.share for a in result] == [D("0.25")] * 4
    assert [a.amount for a in result] == [D(1550000)] * 4
    assert result[0].modelled_roi_pct == 3000
    assert abs(result[1].modelled_roi_pct - D(1520000) / D(30000) * 100) < TINY
    assert abs(result[2].modelled_roi_pct - D(1475000) / D(75000) * 100) < TINY
    assert result[3].modelled_roi_pct is None
    assert {a.label for a in result} == {"modelled attribution (equal)"}


def test_retailer_cost_weighted() -> None:
    # Total cost 50 + 30 + 75 + 0 = 155 (thousand). Shares 50/155, 30/155, 75/155, 0.
    # 6,200,000 × 50/155 = 2,000,000; × 30/155 = 1,200,000; × 75/155 = 3,000,000; team 0.
    # Each vendor: amount = 40 × cost, so ROI = (40 − 1) × 100 = 3,900%.
    result = attribute(OUTCOME, RETAILER, "cost_weighted")
    assert abs(result[0].share - D(50) / D(155)) < TINY
    assert [a.amount for a in result] == [D(2000000), D(1200000), D(3000000), D(0)]
    assert [a.modelled_roi_pct for a in result] == [D(3900), D(3900), D(3900), None]
    assert result[0].label == "modelled attribution (cost_weighted)"


def test_retailer_stated() -> None:
    # Shares 10% / 5% / 25% / 60% → 620,000 / 310,000 / 1,550,000 / 3,720,000.
    # CSAT: (620,000 − 50,000) / 50,000 × 100 = 1,140%; UX: 280,000 / 30,000 × 100 = 933.33%.
    result = attribute(OUTCOME, RETAILER, "stated")
    assert [a.amount for a in result] == [D(620000), D(310000), D(1550000), D(3720000)]
    assert result[0].modelled_roi_pct == 1140
    assert abs(result[1].modelled_roi_pct - D(280000) / D(30000) * 100) < TINY
    assert result[3].modelled_roi_pct is None
    assert result[3].label == "modelled attribution (stated)"


def test_attribution_errors() -> None:
    off = RETAILER[:3] + (Contributor("Internal team", D(0), D("0.59")),)
    with pytest.raises(ValueError, match="sum"):
        attribute(OUTCOME, off, "stated")
    within = RETAILER[:3] + (Contributor("Internal team", D(0), D("0.60005")),)
    assert len(attribute(OUTCOME, within, "stated")) == 4
    with pytest.raises(ValueError, match="share"):
        attribute(OUTCOME, (Contributor("A", D(1)),), "stated")
    with pytest.raises(ValueError, match="total cost"):
        attribute(OUTCOME, (Contributor("Team", D(0)),), "cost_weighted")
    with pytest.raises(ValueError, match="method"):
        attribute(OUTCOME, RETAILER, "vibes")  # type: ignore[arg-type]


# --- zones ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("types", "zone", "steps"),
    [
        (["indirect"], "instability", ("efficiency", "need")),
        (["indirect", "efficiency"], "competitive", ("attributable",)),
        (["need"], "competitive", ("transformational",)),
        (["need", "efficiency"], "competitive", ("attributable", "transformational")),
        (["attributable", "indirect"], "winning", ()),
        (["transformational"], "winning", ()),
    ],
)
def test_zones_and_next_steps(types: list[str], zone: str, steps: tuple[str, ...]) -> None:
    assert zone_for(types) == zone
    assert next_steps(types) == steps


def test_zones_edge_cases() -> None:
    assert zone_for([]) is None
    with pytest.raises(ValueError):
        next_steps([])
    with pytest.raises(ValueError, match="unknown"):
        zone_for(["viral"])


# --- properties -----------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**7, places=2)
risks = st.decimals(min_value=0, max_value=1, places=2)


@st.composite
def models(draw: st.DrawFn) -> RoiModelInput:
    n = draw(st.integers(1, 5))
    rate = draw(st.decimals(min_value=0, max_value=D("0.25"), places=3))

    def lines(prefix: str, roi_type: str | None, count: int) -> tuple[CashLine, ...]:
        return tuple(
            CashLine(
                f"{prefix}{i}",
                f"{prefix}{i}",
                roi_type,
                draw(amounts),
                tuple(draw(amounts) for _ in range(n)),
                draw(risks),
            )
            for i in range(count)
        )

    benefits = lines("b", "efficiency", draw(st.integers(1, 3)))
    costs = lines("c", None, draw(st.integers(1, 3)))
    first = costs[0]  # a positive initial cost keeps ROI defined
    costs = (CashLine(first.id, first.label, None, first.initial + 1, first.yearly, first.risk), *costs[1:])
    return RoiModelInput(benefits, costs, n, rate)


def bump(model: RoiModelInput, side: str, year: int, delta: D) -> RoiModelInput:
    """Add ``delta`` to the first line of ``side`` in ``year`` (0 = initial)."""
    lines = getattr(model, side)
    first = lines[0]
    yearly = tuple(a + delta if t == year else a for t, a in enumerate(first.yearly, 1))
    initial = first.initial + delta if year == 0 else first.initial
    new = CashLine(first.id, first.label, first.roi_type, initial, yearly, first.risk)
    lines = (new, *lines[1:])
    if side == "benefits":
        return RoiModelInput(lines, model.costs, model.horizon_years, model.discount_rate)
    return RoiModelInput(model.benefits, lines, model.horizon_years, model.discount_rate)


@settings(max_examples=200)
@given(models(), st.integers(0, 5), st.decimals(min_value=D("0.01"), max_value=10**6, places=2))
def test_npv_rises_with_benefits_and_falls_with_costs(model: RoiModelInput, year: int, delta: D) -> None:
    year = min(year, model.horizon_years)
    base = compute_model(model).npv
    more_benefit = compute_model(bump(model, "benefits", year, delta)).npv
    if model.benefits[0].risk < 1:
        assert more_benefit > base
    else:
        assert more_benefit == base  # a benefit judged certain not to happen adds nothing
    assert compute_model(bump(model, "costs", year, delta)).npv < base


@settings(max_examples=200)
@given(models(), st.decimals(min_value=D("0.01"), max_value=1000, places=2))
def test_roi_is_scale_invariant(model: RoiModelInput, k: D) -> None:
    def scaled(lines: tuple[CashLine, ...]) -> tuple[CashLine, ...]:
        return tuple(
            CashLine(x.id, x.label, x.roi_type, x.initial * k, tuple(a * k for a in x.yearly), x.risk) for x in lines
        )

    base = compute_model(model)
    other = compute_model(
        RoiModelInput(scaled(model.benefits), scaled(model.costs), model.horizon_years, model.discount_rate)
    )
    assert abs(other.roi_pct - base.roi_pct) <= D("1e-24") * max(1, abs(base.roi_pct))
    assert abs(other.undiscounted_roi_pct - base.undiscounted_roi_pct) <= D("1e-24") * max(
        1, abs(base.undiscounted_roi_pct)
    )
    assert other.payback_months == base.payback_months or abs(other.payback_months - base.payback_months) < TINY


@settings(max_examples=200)
@given(models(), st.integers(0, 5), st.decimals(min_value=D("0.01"), max_value=10**6, places=2))
def test_payback_never_later_with_more_benefits(model: RoiModelInput, year: int, delta: D) -> None:
    year = min(year, model.horizon_years)
    before = compute_model(model).payback_months
    after = compute_model(bump(model, "benefits", year, delta)).payback_months
    if before is not None:
        assert after is not None and after <= before


def test_discounted_payback_is_later_and_follows_the_same_rule() -> None:
    r = compute_model(MODEL)
    # Discounted nets: −180,000; 50,000/1.1; 95,000/1.21; 140,000/1.331. Cumulative after year 2:
    # −180,000 + 45,454.55 + 78,512.40 = −56,033.06; year 3 adds 105,184.07, so it crosses at
    # 24 + 12 × 56,033.06 / 105,184.07 = 30.39 months (undiscounted: 27).
    assert r.discounted_payback_months is not None
    expected = 24 + 12 * (D(180000) - D(50000) / D("1.1") - D(95000) / D("1.21")) / (D(140000) / D("1.331"))
    assert abs(r.discounted_payback_months - expected) < TINY
    assert r.discounted_payback_months > r.payback_months  # type: ignore[operator]
    assert "discounted at 10%" in r.definitions["discounted_payback_months"]
