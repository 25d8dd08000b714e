"""The ``check`` command's summary: what an analyst reads before building anything."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .figures import Figures
from .roi import LineResult
from .simulation import Percentiles
from .study import Analysis


def figures_for(a: Analysis) -> Figures:
    s = a.spec.study
    return Figures(s.language, s.currency, s.native_digits, s.payback_display)


def roi_figures(a: Analysis) -> dict[str, Any]:
    """The model's figures, exact (as strings) and with their definitions: for JSON and manifests."""
    r = a.result
    out: dict[str, Any] = {}
    for name in ("roi_pct", "npv", "pv_benefits", "pv_costs", "payback_months", "discounted_payback_months",
                 "total_benefits", "total_costs", "undiscounted_roi_pct"):
        value = getattr(r, name)
        out[name] = {"value": None if value is None else str(value.quantize(Decimal("0.01"))),
                     "definition": r.definitions[name]}
    out["classic"] = [{"label": ex.label, "gain": str(ex.gain), "cost": str(ex.cost),
                       "roi_pct": str(v.quantize(Decimal("0.01"))), "definition": r.definitions["classic_roi_pct"]}
                      for ex, v in a.classic]
    out["lines"] = [_line_json(ln, kind, a) for kind, group in (("benefit", r.benefits), ("cost", r.costs))
                    for ln in group]
    out["shared_outcomes"] = [{"id": so.id, "outcome": str(so.outcome), "method": so.method,
                               "contributors": [{"name": at.name, "share": str(at.share.quantize(Decimal("0.0001"))),
                                                 "amount": str(at.amount.quantize(Decimal("0.01"))),
                                                 "modelled_roi_pct": None if at.modelled_roi_pct is None
                                                 else str(at.modelled_roi_pct.quantize(Decimal("0.01"))),
                                                 "label": at.label} for at in ats]}
                              for so, ats in a.attributions]
    return out


def _money(v: Decimal) -> str:
    return str(v.quantize(Decimal("0.01")))


def _line_json(ln: LineResult, kind: str, a: Analysis) -> dict[str, Any]:
    """One line's results, unadjusted and risk-adjusted, plus its calculation when driver-based."""
    out: dict[str, Any] = {
        "id": ln.id, "kind": kind, "label": ln.label, "roi_type": ln.roi_type, "risk": str(ln.risk),
        "unadjusted": {"total": _money(ln.unadjusted_total), "pv": _money(ln.unadjusted_pv)},
        "adjusted": {"initial": _money(ln.initial), "yearly": [_money(v) for v in ln.yearly],
                     "total": _money(ln.total), "pv": _money(ln.pv)},
    }
    calc = a.calculations.get(ln.id)
    if calc is not None:
        out["calculation"] = {
            "formula": calc.formula, "amounts": [_money(v) for v in calc.amounts],
            "inputs": [{"ref": row.ref, "name": row.name, "label": row.label, "unit": row.unit, "source": row.source,
                        "evidence": list(row.evidence), "values": [str(v) for v in row.shown],
                        "low": None if row.low is None else str(row.low),
                        "high": None if row.high is None else str(row.high)} for row in calc.rows]}
    return out


def _pct(p: Percentiles) -> dict[str, str | None]:
    return {k: None if v is None else str(v.quantize(Decimal("0.01")))
            for k, v in (("p10", p.p10), ("p50", p.p50), ("p90", p.p90))}


def risk_json(a: Analysis) -> dict[str, Any] | None:
    """Monte Carlo percentiles and the sensitivity swings, or None without ranged drivers."""
    if a.risk is None:
        return None
    mc = a.risk.monte_carlo
    return {"iterations": mc.iterations, "seed": mc.seed, "distribution": mc.distribution, "inputs": list(mc.inputs),
            "roi_pct": _pct(mc.roi_pct), "npv": _pct(mc.npv), "payback_months": _pct(mc.payback_months),
            "p_roi_positive": str(mc.p_roi_positive),
            "sensitivity": [{"line": s.line_id, "ref": s.ref, "label": s.label, "low": str(s.low), "high": str(s.high),
                             "npv_low": _money(s.npv_low), "npv_high": _money(s.npv_high)}
                            for s in a.risk.sensitivity]}


def summary_json(a: Analysis) -> dict[str, Any]:
    s = a.spec
    return {
        "ok": True,
        "study": s.study.id, "title": s.study.title, "language": s.study.language,
        "vendor": {"name": s.vendor.name, "review_count": s.vendor.review_count,
                   "min_reviews": s.study.policy.min_reviews},
        "draft": a.draft,
        "figures": roi_figures(a),
        "risk": risk_json(a),
        "evidenced_types": list(a.evidenced_types), "zone": a.zone, "next_steps": list(a.next_steps),
        "stats": [{"id": st.id, "value": None if st.value is None else str(st.value), "unit": st.unit,
                   "source": st.source} for st in a.stats],
        "coverage": [{"value_prop": c.value_prop, "verified_quotes": list(c.verified_quotes),
                      "case_studies": list(c.case_studies), "usable_quotes": list(c.usable_quotes)}
                     for c in a.coverage],
        "warnings": [w.to_json() for w in a.warnings],
    }


def summary_text(a: Analysis) -> str:
    s, r, f = a.spec, a.result, figures_for(a)
    lines = [f"{s.study.title}  [{s.study.id}, {s.study.language}]",
             f"Vendor: {s.vendor.name} · {s.vendor.product} · {s.vendor.review_count} reviews on "
             f"{s.vendor.review_platform} (policy needs {s.study.policy.min_reviews})"
             + ("  → DRAFT ONLY (watermarked)" if a.draft else ""),
             "",
             f"ROI model ({r.horizon_years} years, discount {r.discount_rate * 100:.0f}%, risk-adjusted):",
             f"  ROI                {f.percent(r.roi_pct):>14}   NPV / PV(costs)",
             f"  NPV                {f.money(r.npv):>14}",
             f"  PV benefits        {f.money(r.pv_benefits):>14}",
             f"  PV costs           {f.money(r.pv_costs):>14}",
             f"  Payback            {(f.months(r.payback_months) or 'beyond horizon'):>14}",
             f"  Discounted payback {(f.months(r.discounted_payback_months) or 'beyond horizon'):>14}",
             f"  Undiscounted ROI   {f.percent(r.undiscounted_roi_pct):>14}   (total benefits − costs) / costs"]
    for ex, v in a.classic:
        lines.append(f"  Classic: {ex.label}: {f.percent(v)}  ((gain − cost) / cost)")
    for so, ats in a.attributions:
        lines.append(f"  Shared outcome '{so.id}' {f.money(so.outcome)}, {ats[0].label}:")
        for at in ats:
            roi_txt = "n/a" if at.modelled_roi_pct is None else f.percent(at.modelled_roi_pct)
            lines.append(f"    {at.name:<44} {f.percent(at.share * 100):>6}  {f.money(at.amount):>10}  ROI {roi_txt}")
    if a.risk is not None:
        mc = a.risk.monte_carlo

        def span(p: Percentiles, show: Callable[[Decimal], str]) -> str:
            return " / ".join("beyond horizon" if v is None else show(v) for v in (p.p10, p.p50, p.p90))

        lines += ["", (f"Monte Carlo ({mc.iterations} iterations, seed {mc.seed}, {mc.distribution} over "
                       f"{', '.join(mc.inputs)}), p10 / p50 / p90:"),
                  f"  ROI      {span(mc.roi_pct, f.percent)}   P(ROI > 0) {f.percent(mc.p_roi_positive * 100)}",
                  f"  NPV      {span(mc.npv, f.money)}",
                  f"  Payback  {span(mc.payback_months, lambda v: f.months(v) or '')}",
                  "Sensitivity of NPV (each input at its low / high end):"]
        lines += [f"  {s.ref} {s.label:<44} {f.money(s.npv_low):>10} … {f.money(s.npv_high)}" for s in a.risk.sensitivity]
    lines += ["", f"Zone: {a.zone or 'none'} (evidenced: {', '.join(a.evidenced_types) or 'none'})"
              + (f"; next step up the slope: {' or '.join(a.next_steps)}" if a.next_steps else "")]
    lines += ["", "Evidence coverage:"]
    titles = {vp.id: vp.title for vp in s.value_props}
    for c in a.coverage:
        lines.append(f"  {c.value_prop:<20} {len(c.verified_quotes)} verified quote(s), "
                     f"{len(c.case_studies)} case study(ies)  — {titles[c.value_prop]}")
    lines += ["", "Headline stats:"]
    for st in a.stats:
        lines.append(f"  {st.label:<40} {f.value(st.value, st.unit):>14}   ({st.source})")
    if a.warnings:
        lines += ["", f"{len(a.warnings)} warning(s):"] + [f"  {w}" for w in a.warnings]
    lines += ["", "OK: spec is valid" + (" (draft only)" if a.draft else "")]
    return "\n".join(lines)
