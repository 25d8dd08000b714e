"""Claims in the forms studies print them: "payback < 6 months", "ROI > 100%", "NPV of
$1.2M–$1.5M", and per-line figures ("increased customer spending: PV $6.7M").

A bound or range passes when the computed figure lies within it (bounds widened by the
policy tolerance, as for a single value); a payback never reached fails every form.
Single values of the study-wide figures are checked in ``study.analyse``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ..spec.errors import Problem
from ..spec.schema import Claim, StudySpec
from ..spec.yaml_source import Located
from . import roi


def _form(cl: Claim) -> str | None:
    """Which form the claim uses, or None if it mixes or lacks them."""
    forms = [name for name, present in (("value", cl.value is not None), ("below", cl.below is not None),
                                        ("above", cl.above is not None),
                                        ("range", cl.low is not None and cl.high is not None)) if present]
    if (cl.low is None) != (cl.high is None) or len(forms) != 1:
        return None
    return forms[0]


def _computed(cl: Claim, result: roi.RoiModelResult) -> tuple[Decimal | None, str] | None:
    """The computed figure and its definition; None when the claim's line does not exist."""
    if cl.figure.startswith("line_"):
        line = next((ln for ln in (*result.benefits, *result.costs) if ln.id == cl.line), None)
        if line is None:
            return None
        if cl.figure == "line_pv":
            return line.pv, result.definitions["pv_benefits"].replace("sum of benefits", f"line '{line.id}'")
        return line.total, result.definitions["total_benefits"].replace("sum of benefits", f"line '{line.id}'")
    return getattr(result, cl.figure), result.definitions[cl.figure]


def check_claim_forms(spec: StudySpec, located: Located, result: roi.RoiModelResult,
                      tolerance: Callable[[StudySpec, str], Decimal]) -> list[Problem]:
    """Located problems for bound, range and per-line claims (and malformed claims)."""
    out: list[Problem] = []
    for i, cl in enumerate(spec.roi_model.claims):
        at = ("roi_model", "claims", i)
        form = _form(cl)
        if form is None:
            out.append(located.problem(at, "a claim states exactly one of value, below, above, or low and high",
                                       expected="value: 196, below: 6, above: 100, or low: 150 with high: 200",
                                       code="claim-form"))
            continue
        if cl.figure.startswith("line_") != (cl.line is not None):
            out.append(located.problem(at, "line_pv and line_total claims name a line; other figures do not",
                                       expected="figure: line_pv with line: <line id>", code="claim-form"))
            continue
        if form == "value" and cl.line is None:
            continue  # a single study-wide value: checked with the model's other claims
        if cl.figure == "classic_roi_pct":
            out.append(located.problem((*at, "figure"), "classic ROI claims take a single value",
                                       expected="value: <percent>", code="claim-form"))
            continue
        got = _computed(cl, result)
        if got is None:
            out.append(located.problem((*at, "line"), "the claim's line is not in the model", found=repr(cl.line),
                                       expected="the id of a benefit or cost line", code="dangling-ref"))
            continue
        computed, definition = got
        tol = tolerance(spec, cl.figure)
        lo, hi = {"value": (cl.value, cl.value), "below": (None, cl.below), "above": (cl.above, None),
                  "range": (cl.low, cl.high)}[form]
        ok = computed is not None and (lo is None or computed >= lo - tol) and (hi is None or computed <= hi + tol)
        if not ok:
            stated = {"value": f"{cl.value}", "below": f"< {cl.below}", "above": f"> {cl.above}",
                      "range": f"{cl.low} … {cl.high}"}[form]
            shown = "not reached within the horizon" if computed is None else roi._show(computed, cl.figure)
            out.append(located.problem((*at, form if form != "range" else "low"),
                                       f"claimed figure does not add up: {cl.figure} at roi_model.claims[{i}] "
                                       f"({cl.source}): claimed {stated}, computed {shown}. Definition: {definition}",
                                       found=stated, expected=f"{shown} (± {tol})", code="claim-mismatch"))
    return out
