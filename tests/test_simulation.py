"""Monte Carlo and sensitivity: seeded, ordered, and equal to the deterministic model when
the ranges collapse to the values (the TEI haircut case)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from roi_in_a_box.model import drivers
from roi_in_a_box.model.simulation import analyse_risk, monte_carlo, sensitivity
from roi_in_a_box.model.study import load_study
from roi_in_a_box.spec.schema import StudySpec

ROOT = Path(__file__).resolve().parents[1]
A = load_study(ROOT / "sample_inputs" / "ledgerly_en.yaml")


def _with(spec: StudySpec, seed: int | None = None, iterations: int | None = None,
          ranges: tuple[D, D] | None = None, collapse: bool = False) -> StudySpec:
    """The sample with another seed, another range on A3 (hourly cost), or every range collapsed."""
    m = spec.roi_model
    sim = m.simulation.model_copy(update={k: v for k, v in (("seed", seed), ("iterations", iterations))
                                          if v is not None})
    benefits = list(m.benefits)
    line = benefits[0]
    new_drivers = []
    for d in line.drivers:
        if collapse and d.low is not None:  # no uncertainty left: low = high = value, or no range
            d = d.model_copy(update={"low": None, "high": None} if d.yearly else {"low": d.value, "high": d.value})
        if ranges is not None and d.name == "hourly_cost":
            d = d.model_copy(update={"low": ranges[0], "high": ranges[1]})
        new_drivers.append(d)
    benefits[0] = line.model_copy(update={"drivers": new_drivers})
    return spec.model_copy(update={"roi_model": m.model_copy(update={"simulation": sim, "benefits": benefits})})


def _calcs(spec: StudySpec) -> dict[str, drivers.LineCalc]:
    calcs, problems = drivers.evaluate(spec, A.loaded.located)
    assert not problems
    return calcs


def test_sample_risk_analysis() -> None:
    risk = A.risk
    assert risk is not None and risk.base_npv == A.result.npv
    mc = risk.monte_carlo
    assert (mc.iterations, mc.seed, mc.distribution) == (5000, 2026, "triangular")
    assert mc.inputs == ("A2 Team hours saved per close", "A3 Fully loaded cost of an accounting hour")
    assert mc.roi_pct.p10 < A.result.roi_pct < mc.roi_pct.p90  # type: ignore[operator]
    assert mc.p_roi_positive == 1
    # A3 at $40 and $65 an hour: NPV moves by 12 × 280…320 hours × $10 / $15, risk-adjusted and discounted.
    [_, a3] = sorted(risk.sensitivity, key=lambda s: s.ref)
    assert a3.npv_low < A.result.npv < a3.npv_high
    assert abs((A.result.npv - a3.npv_low) * 15 - (a3.npv_high - A.result.npv) * 10) < D("1e-20")
    assert risk.sensitivity[0].width >= risk.sensitivity[-1].width


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_same_seed_same_result_and_percentiles_ordered(seed: int) -> None:
    spec = _with(A.spec, seed=seed, iterations=500)
    calcs = _calcs(spec)
    first, again = monte_carlo(spec, calcs), monte_carlo(spec, calcs)
    assert first == again
    assert first is not None
    for p in (first.roi_pct, first.npv, first.payback_months):
        assert p.p10 is not None and p.p50 is not None and p.p90 is not None
        assert p.p10 <= p.p50 <= p.p90
    assert 0 <= first.p_roi_positive <= 1


@settings(max_examples=15, deadline=None)
@given(low=st.integers(1, 50), high=st.integers(50, 400), seed=st.integers(0, 1000))
def test_ranges_bracket_the_npv(low: int, high: int, seed: int) -> None:
    spec = _with(A.spec, seed=seed, iterations=300, ranges=(D(low), D(high)))
    mc = monte_carlo(spec, _calcs(spec))
    base, swings = sensitivity(spec, _calcs(spec))
    a3 = next(s for s in swings if s.ref == "A3")
    assert a3.npv_low <= base <= a3.npv_high
    assert mc is not None and mc.npv.p10 is not None and mc.npv.p90 is not None
    assert mc.npv.p10 <= mc.npv.p90


def test_collapsed_ranges_equal_the_deterministic_model() -> None:
    spec = _with(A.spec, collapse=True)
    risk = analyse_risk(spec, _calcs(spec))
    assert risk is not None
    det = A.result
    for p, exact in ((risk.monte_carlo.roi_pct, det.roi_pct), (risk.monte_carlo.npv, det.npv),
                     (risk.monte_carlo.payback_months, det.payback_months)):
        assert p.p10 == p.p50 == p.p90
        assert abs(p.p50 - exact) < D("0.000001") * max(1, abs(exact))  # type: ignore[operator]
    assert all(s.npv_low == s.npv_high == det.npv for s in risk.sensitivity)


def test_no_ranges_no_risk_analysis() -> None:
    minimal = load_study(ROOT / "sample_inputs" / "minimal_en.yaml")
    assert minimal.risk is None
