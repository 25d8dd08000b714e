"""Plausibility warnings: figures that compute but that an analyst would not sign unread.

A model can be arithmetically right and still say something a reader will misread: an ROI
of 27 quadrillion percent (a typo in an amount), a payback that the cumulative net later
falls back from, a "payback" tile for an investment that never pays back, or a negative
ROI printed in a document whose whole point is proven value. None of these stop the
build; each becomes a located warning in ``check`` and in the manifest.
"""

from __future__ import annotations

from ..spec.errors import Problem
from ..spec.schema import StudySpec
from ..spec.yaml_source import Located
from . import roi

# Stages whose documents argue that the investment pays: a negative ROI there is a red flag.
PROVEN_VALUE_STAGES = ("pre_sale", "renewal")


def model_warnings(spec: StudySpec, located: Located, result: roi.RoiModelResult) -> list[Problem]:
    """Warnings about the study's own model result."""
    out: list[Problem] = []
    pol = spec.study.policy
    where = ("roi_model",)
    months = roi.first_break_even(result.years)
    if result.payback_months is None:
        touched = f"; it reaches zero after {roi._show(months, 'payback_months')} but falls back" if months else ""
        out.append(located.problem(where, f"the cumulative net cash flow ends the {result.horizon_years}-year horizon "
                                          f"below zero: payback is never reached{touched}",
                                   found=roi._show(result.years[-1].cumulative_net, "npv"),
                                   expected="a cumulative net ≥ 0 at the end of the horizon",
                                   severity="warning", code="no-payback"))
    elif months is not None and months != result.payback_months:
        out.append(located.problem(where, f"the cumulative net first reaches zero after "
                                          f"{roi._show(months, 'payback_months')}, falls below zero again, and stays "
                                          f"paid back only after {roi._show(result.payback_months, 'payback_months')}"
                                          " (the payback shown)", severity="warning", code="payback-dip"))
    if abs(result.roi_pct) > pol.max_roi_pct:
        out.append(located.problem(where, "implausible ROI: check the model's amounts for a typo",
                                   found=roi._show(result.roi_pct, "roi_pct"),
                                   expected=f"at most {pol.max_roi_pct}% in size (study.policy.max_roi_pct)",
                                   severity="warning", code="implausible-roi"))
    if result.roi_pct < 0:
        out.append(located.problem(where, "negative ROI: pre-sale and renewal ('proven value') documents will print it",
                                   found=roi._show(result.roi_pct, "roi_pct"), expected="a positive ROI for those stages",
                                   severity="warning", code="negative-roi"))
    for i, st in enumerate(spec.headline_stats):
        if st.figure == "payback_months" and result.payback_months is None:
            out.append(located.problem(("headline_stats", i, "figure"),
                                       f"headline stat '{st.id}' shows a payback that is beyond the horizon",
                                       found="payback_months", expected="a figure the model reaches",
                                       severity="warning", code="no-payback"))
    return out


def document_warnings(stage: str, result: roi.RoiModelResult, whose: str) -> list[str]:
    """Warnings for one document: a negative ROI where the stage argues for value."""
    if stage in PROVEN_VALUE_STAGES and result.roi_pct < 0:
        return [f"{stage} document shows a negative ROI ({roi._show(result.roi_pct, 'roi_pct')}, {whose})"]
    return []
