"""A checked study: the spec plus everything the engine computes from it.

This is the layout stage's only input.  Every figure it exposes is either taken
from the spec's evidence (with the evidence ids) or computed by ``model.roi`` (with
the definition used), so every number in a document can be traced.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import cast

from ..spec.errors import InputError, Problem
from ..spec.load import LoadedSpec, load_spec
from ..spec.rules import quote_is_usable, quote_is_verified
from ..spec.schema import CashLine, ClassicExample, Quote, RoiType, SharedOutcome, StudySpec
from . import claims, drivers, number_lint, references, roi
from .figures import Figures
from .plausibility import model_warnings
from .simulation import RiskAnalysis, analyse_risk

FIGURE_UNITS = {"roi_pct": "percent", "classic_roi_pct": "percent", "npv": "money", "pv_benefits": "money",
                "pv_costs": "money", "payback_months": "months", "total_benefits": "money", "total_costs": "money",
                "undiscounted_roi_pct": "percent", "line_pv": "money", "line_total": "money"}


@dataclass(frozen=True)
class Stat:
    """A headline figure with its provenance."""

    id: str
    label: str
    value: Decimal | None  # None: payback not reached within the horizon
    unit: str
    source: str  # "model:roi_pct" or "evidence:q1,cs2"
    definition: str = ""


@dataclass(frozen=True)
class Coverage:
    """How well a value prop is evidenced."""

    value_prop: str
    verified_quotes: tuple[str, ...]
    case_studies: tuple[str, ...]
    usable_quotes: tuple[str, ...]  # quotes a layout may show, best first


@dataclass(frozen=True)
class Analysis:
    loaded: LoadedSpec
    result: roi.RoiModelResult
    classic: tuple[tuple[ClassicExample, Decimal], ...]
    attributions: tuple[tuple[SharedOutcome, tuple[roi.Attribution, ...]], ...]
    evidenced_types: tuple[str, ...]
    zone: str | None
    next_steps: tuple[str, ...]
    coverage: tuple[Coverage, ...]
    stats: tuple[Stat, ...]
    draft: bool
    model_warnings: tuple[Problem, ...] = ()
    calculations: dict[str, drivers.LineCalc] = field(default_factory=dict)  # driver-based lines by id
    risk: RiskAnalysis | None = None  # Monte Carlo and sensitivity, when drivers have ranges

    @property
    def spec(self) -> StudySpec:
        return self.loaded.spec

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return self.loaded.warnings + self.model_warnings

    def quote(self, quote_id: str) -> Quote:
        return next(q for q in self.spec.quotes if q.id == quote_id)

    def figure(self, name: str) -> Decimal | None:
        if name == "classic_roi_pct":
            return self.classic[0][1] if self.classic else None
        value: Decimal | None = getattr(self.result, name)
        return value


def _model_input(spec: StudySpec, calcs: dict[str, drivers.LineCalc]) -> roi.RoiModelInput:
    m = spec.roi_model

    def line(ln: CashLine, roi_type: RoiType | None) -> roi.CashLine:
        return roi.CashLine(ln.id, ln.label, roi_type, ln.initial, drivers.with_amounts(ln, calcs), ln.risk,
                            tuple(ln.evidence))

    return roi.RoiModelInput(tuple(line(b, b.roi_type) for b in m.benefits), tuple(line(c, None) for c in m.costs),
                             m.horizon_years, m.discount_rate)


def _tolerance(spec: StudySpec, figure: str) -> Decimal:
    pol = spec.study.policy
    unit = FIGURE_UNITS[figure]
    return {"percent": pol.claim_tolerance_pct, "months": pol.claim_tolerance_months}.get(unit, pol.claim_tolerance_money)


def _quote_rank(q: Quote) -> tuple[int, Decimal, int]:
    """Best first: verified, more stars, more recent."""
    return (0 if quote_is_verified(q) else 1, -q.stars, -q.review_date.toordinal())


def analyse(loaded: LoadedSpec) -> Analysis:
    """Compute the model, check every claimed figure, and collect provenance."""
    spec, located = loaded.spec, loaded.located
    figures = Figures(spec.study.language, spec.study.currency, spec.study.native_digits, spec.study.payback_display)
    calcs, problems = drivers.evaluate(spec, located, loaded.path)
    if problems:
        raise InputError([*problems, *loaded.warnings])
    try:
        result = roi.compute_model(_model_input(spec, calcs))
    except ValueError as exc:  # e.g. every cost zero: ROI is undefined
        raise InputError([located.problem(("roi_model", "costs"), f"the ROI model cannot be computed: {exc}",
                                          expected="at least one cost line with a positive amount",
                                          code="model"), *loaded.warnings]) from None

    classic = []
    for i, ex in enumerate(spec.roi_model.classic):
        value = roi.classic_roi(ex.gain, ex.cost)
        classic.append((ex, value))
        if ex.claimed_roi_pct is not None:
            check = roi.check_claim(roi.Claim("classic_roi_pct", ex.claimed_roi_pct, _tolerance(spec, "roi_pct"),
                                              f"roi_model.classic[{i}]"), None, value)
            if not check.ok:
                as_net = roi.classic_roi(ex.gain + ex.cost, ex.cost)
                problems.append(located.problem(
                    ("roi_model", "classic", i, "claimed_roi_pct"),
                    f"claimed ROI does not add up: {check.message} Even reading the gain as net income gives "
                    f"{roi._show(as_net, 'roi_pct')}.", found=f"{ex.claimed_roi_pct}%",
                    expected=f"{roi._show(value, 'roi_pct')} (± {spec.study.policy.claim_tolerance_pct} points)",
                    code="claim-mismatch"))

    problems += claims.check_claim_forms(spec, located, result, _tolerance)
    for i, cl in enumerate(spec.roi_model.claims):
        if cl.value is None or cl.line is not None or cl.figure.startswith("line_"):
            continue  # the other forms: claims.check_claim_forms
        if cl.figure == "classic_roi_pct" and not classic:
            problems.append(located.problem(("roi_model", "claims", i, "figure"),
                                            "a classic ROI claim needs a roi_model.classic example to check against",
                                            found="classic_roi_pct", expected="a classic example, or another figure",
                                            code="claim-mismatch"))
            continue
        computed_classic = classic[0][1] if classic else None
        check = roi.check_claim(roi.Claim(cast(roi.Figure, cl.figure), cl.value, _tolerance(spec, cl.figure),
                                          f"roi_model.claims[{i}] ({cl.source})"), result, computed_classic)
        if not check.ok:
            problems.append(located.problem(("roi_model", "claims", i, "value"), f"claimed figure does not add up: {check.message}",
                                            found=str(cl.value), expected=str(check.computed), code="claim-mismatch"))

    attributions = []
    for i, so in enumerate(spec.roi_model.shared_outcomes):
        try:
            attributions.append((so, roi.attribute(so.outcome, [roi.Contributor(c.name, c.cost, c.share)
                                                                 for c in so.contributors], so.method)))
        except ValueError as exc:  # the rules report the known cases first; nothing may vanish silently
            if not any(p.path.startswith(f"roi_model.shared_outcomes[{i}]") for p in problems):
                problems.append(located.problem(("roi_model", "shared_outcomes", i),
                                                f"shared outcome '{so.id}' cannot be attributed: {exc}",
                                                expected="contributors the method can split", code="shares"))

    stats = []
    for i, st in enumerate(spec.headline_stats):
        if st.figure is not None:
            computed = (classic[0][1] if st.figure == "classic_roi_pct" and classic
                        else getattr(result, st.figure, None))
            if st.value is not None:  # a stated value next to a model figure is a claim: check it
                definition = result.definitions[st.figure]
                if computed is None:
                    problems.append(located.problem(("headline_stats", i, "value"),
                                                    f"stat '{st.id}' claims {st.value} but the model gives no value "
                                                    f"(payback beyond the horizon, or no classic example). {definition}",
                                                    found=str(st.value), expected="no value, or a reachable figure",
                                                    code="claim-mismatch"))
                elif abs(computed - st.value) > _tolerance(spec, st.figure):
                    shown = computed.quantize(Decimal("0.01"))
                    problems.append(located.problem(("headline_stats", i, "value"),
                                                    f"stat '{st.id}' does not add up: claimed {st.value}, computed "
                                                    f"{shown}. {definition}", found=str(st.value),
                                                    expected=f"{shown} (within the policy tolerance)",
                                                    code="claim-mismatch"))
            stats.append(Stat(st.id, st.label, computed, FIGURE_UNITS[st.figure], f"model:{st.figure}",
                              result.definitions.get(st.figure, "")))
        elif st.value is not None:
            stats.append(Stat(st.id, st.label, st.value, st.unit or "count", "evidence:" + ",".join(st.evidence)))

    quotes = {q.id: q for q in spec.quotes}
    cases = {c.id: c for c in spec.case_studies}
    coverage = []
    for vp in spec.value_props:
        direct = [r for r in vp.evidence if r in quotes]
        via = [r for c in vp.evidence if c in cases for r in cases[c].evidence if r in quotes]
        ids = list(dict.fromkeys(direct + via))
        usable = sorted((quotes[r] for r in ids if quote_is_usable(quotes[r], spec)), key=_quote_rank)
        coverage.append(Coverage(vp.id, tuple(r for r in ids if quote_is_verified(quotes[r])),
                                 tuple(c for c in vp.evidence if c in cases), tuple(q.id for q in usable)))

    types = [vp.roi_type for vp, cov in zip(spec.value_props, coverage) if cov.verified_quotes]
    types += [b.roi_type for b in spec.roi_model.benefits
              if any(r in quotes and quote_is_verified(quotes[r]) for r in b.evidence)]
    evidenced = tuple(t for t in roi.ROI_TYPES if t in types)
    zone = roi.zone_for(evidenced)
    steps = roi.next_steps(evidenced) if evidenced else ()

    values = references.figure_values(result, spec, figures)
    for path, name in references.unknown_references(spec, set(values)):
        problems.append(located.problem(path, f"unknown figure reference '{name}'", found=repr(name),
                                        expected="one of " + ", ".join(sorted(values)), code="reference"))
    linted = number_lint.lint(spec, located, result, calcs)
    problems += [p for p in linted if p.severity == "error"]
    if problems:
        raise InputError([*problems, *loaded.warnings])
    draft = spec.vendor.review_count < spec.study.policy.min_reviews
    warned = (*model_warnings(spec, located, result), *(p for p in linted if p.severity == "warning"))
    filled = replace(loaded, spec=references.fill(spec, values))
    return Analysis(filled, result, tuple(classic), tuple(attributions), evidenced, zone, steps, tuple(coverage),
                    tuple(stats), draft, warned, calcs, analyse_risk(spec, calcs))


def load_study(path: Path) -> Analysis:
    """Load, check and analyse a spec file; raise ``InputError`` with every problem."""
    return analyse(load_spec(path))
