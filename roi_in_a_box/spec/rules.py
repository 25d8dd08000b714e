"""Evidence rules: what makes a typed spec a study an analyst can sign.

These run after the schema, on the whole spec, and report every problem with its
location.  Nothing here looks at the clock: freshness is measured against the study's
own ``as_of`` date so builds stay reproducible.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from .errors import Problem
from .file_names import RESERVED_HINT, reserved_name
from .schema import Quote, StudySpec
from .yaml_source import Located, PathKey


def quote_is_verified(q: Quote) -> bool:
    """A verified quote: validated reviewer, verified current user, not incentivized."""
    return q.validated_reviewer and q.verified_current_user and not q.incentivized


def quote_is_usable(q: Quote, spec: StudySpec) -> bool:
    """Whether layouts may show the quote at all (policy may allow labelled exceptions)."""
    pol = spec.study.policy
    if q.incentivized and not pol.allow_incentivized_quotes:
        return False
    if not (q.validated_reviewer and q.verified_current_user) and not pol.allow_unverified_quotes:
        return False
    return True


def quote_label(q: Quote) -> str:
    """The English label shown beside an allowed exception (translated by the layout)."""
    if q.incentivized:
        return "incentivized"
    if not (q.validated_reviewer and q.verified_current_user):
        return "unverified"
    return ""


def _months_before(later: dt.date, months: int) -> dt.date:
    y, m = divmod(later.year * 12 + later.month - 1 - months, 12)
    day = min(later.day, 28)
    return dt.date(y, m + 1, day)


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", unicodedata.normalize("NFC", text).casefold()).strip()


def _duplicates(located: Located, kind: str, ids: Iterable[tuple[PathKey, str]]) -> list[Problem]:
    seen: dict[str, PathKey] = {}
    out = []
    for path, ident in ids:
        if ident in seen:
            line = located.where(seen[ident])[0]
            out.append(located.problem(path, f"duplicate {kind} id (first used on line {line})",
                                       found=repr(ident), expected="a unique id", code="duplicate-id"))
        else:
            seen[ident] = path
    return out


def check_rules(spec: StudySpec, located: Located) -> list[Problem]:
    """Every cross-reference, evidence and freshness rule; errors and warnings together."""
    p: list[Problem] = []
    pol = spec.study.policy
    if reserved_name(spec.study.id):
        p.append(located.problem(("study", "id"), "study id cannot be a folder name on Windows",
                                 found=repr(spec.study.id), expected=RESERVED_HINT, code="reserved-name"))
    quotes = {q.id: q for q in spec.quotes}
    cases = {c.id: c for c in spec.case_studies}

    groups: tuple[tuple[str, str, Sequence[Any]], ...] = (
        ("use case", "use_cases", spec.use_cases), ("value prop", "value_props", spec.value_props),
        ("quote", "quotes", spec.quotes), ("case study", "case_studies", spec.case_studies),
        ("headline stat", "headline_stats", spec.headline_stats))
    for kind, key, items in groups:
        p += _duplicates(located, kind, (((key, i, "id"), it.id) for i, it in enumerate(items)))
    lines = [*spec.roi_model.benefits, *spec.roi_model.costs]
    p += _duplicates(located, "ROI model line", (
        (("roi_model", "benefits" if i < len(spec.roi_model.benefits) else "costs",
          i if i < len(spec.roi_model.benefits) else i - len(spec.roi_model.benefits), "id"), ln.id)
        for i, ln in enumerate(lines)))
    evidence_ids = set(quotes) & set(cases)
    for ident in sorted(evidence_ids):
        p.append(located.problem(("case_studies",), f"id '{ident}' is used by both a quote and a case study",
                                 expected="distinct ids", code="duplicate-id"))

    def verified_support(refs: list[str], path: PathKey) -> bool:
        """Resolve refs (reporting dangling ones); true if any leads to a verified quote."""
        ok = False
        for j, ref in enumerate(refs):
            if ref in quotes:
                ok |= quote_is_verified(quotes[ref])
            elif ref in cases:
                ok |= any(r in quotes and quote_is_verified(quotes[r]) for r in cases[ref].evidence)
            else:
                known = sorted([*quotes, *cases])
                close = difflib.get_close_matches(ref, known, n=1)
                p.append(located.problem((*path, j), "evidence reference does not resolve"
                                         + (f", did you mean '{close[0]}'?" if close else ""),
                                         found=repr(ref), expected="the id of a quote or case study",
                                         code="dangling-ref"))
        return ok

    for i, vp in enumerate(spec.value_props):
        if not verified_support(vp.evidence, ("value_props", i, "evidence")):
            p.append(located.problem(("value_props", i, "evidence"),
                                     f"value prop '{vp.id}' has no verified evidence",
                                     expected="at least one quote from a validated, verified current user "
                                              "that is not incentivized (directly or via a case study)",
                                     code="unverified-evidence"))
    for key, kind in (("unquantified_benefits", "unquantified benefit"), ("flexibility", "flexibility option")):
        notes = getattr(spec, key)
        p += _duplicates(located, kind, (((key, i, "id"), n.id) for i, n in enumerate(notes)))
        for i, note in enumerate(notes):
            if not verified_support(note.evidence, (key, i, "evidence")):
                p.append(located.problem((key, i, "evidence"), f"{kind} '{note.id}' has no verified evidence",
                                         expected="at least one verified quote, directly or via a case study",
                                         code="unverified-evidence"))
    for i, cs in enumerate(spec.case_studies):
        for j, ref in enumerate(cs.evidence):
            if ref not in quotes:
                p.append(located.problem(("case_studies", i, "evidence", j), "evidence reference does not resolve",
                                         found=repr(ref), expected="the id of a quote", code="dangling-ref"))
    for i, st in enumerate(spec.headline_stats):
        path: PathKey = ("headline_stats", i)
        if st.figure is None and st.value is None:
            p.append(located.problem(path, f"headline stat '{st.id}' has neither 'figure' nor 'value'",
                                     expected="figure: <model figure> or value: <number> with evidence",
                                     code="stat-source"))
        if st.value is not None and st.figure is None:
            if st.unit is None:
                p.append(located.problem(path, "a stat with a value needs a unit",
                                         expected="unit: percent|money|months|hours|days|count|multiple",
                                         code="missing"))
            if not verified_support(st.evidence, (*path, "evidence")):
                p.append(located.problem((*path, "evidence"), f"headline stat '{st.id}' has no verified evidence",
                                         expected="evidence: [<verified quote or case study id>] "
                                                  "or figure: <model figure>", code="unverified-evidence"))
        else:
            verified_support(st.evidence, (*path, "evidence"))
    for kind in ("benefits", "costs"):
        for i, ln in enumerate(getattr(spec.roi_model, kind)):
            p += _driver_problems(spec, located, kind, i)
            if ln.formula is not None:
                pass  # its yearly amounts come from the formula
            elif len(ln.yearly) != spec.roi_model.horizon_years:
                p.append(located.problem(("roi_model", kind, i, "yearly"),
                                         f"'{ln.id}' has {len(ln.yearly)} yearly amounts",
                                         expected=f"{spec.roi_model.horizon_years} (roi_model.horizon_years)",
                                         code="horizon"))
            verified_support(ln.evidence, ("roi_model", kind, i, "evidence"))
    for i, so in enumerate(spec.roi_model.shared_outcomes):
        if so.method == "stated":
            shares = [c.share for c in so.contributors]
            if any(s is None for s in shares) or abs(sum((s for s in shares if s is not None), Decimal(0)) - 1) > Decimal("0.0001"):
                p.append(located.problem(("roi_model", "shared_outcomes", i, "contributors"),
                                         "stated shares must be given for every contributor and add up to 1",
                                         found=" + ".join(str(s) for s in shares),
                                         expected="shares summing to 1", code="shares"))
        if so.method == "cost_weighted" and not any(c.cost > 0 for c in so.contributors):
            p.append(located.problem(("roi_model", "shared_outcomes", i, "method"),
                                     f"shared outcome '{so.id}' is cost-weighted but every contributor's cost is 0",
                                     found="cost_weighted", expected="a positive cost for at least one contributor, "
                                     "or method: equal or stated", code="shares"))
        seen_names: dict[str, int] = {}
        for j, c in enumerate(so.contributors):
            if c.name in seen_names:
                p.append(located.problem(("roi_model", "shared_outcomes", i, "contributors", j, "name"),
                                         f"duplicate contributor name (same as contributors[{seen_names[c.name]}])",
                                         found=repr(c.name), expected="a name used once per shared outcome",
                                         code="duplicate-id"))
            seen_names.setdefault(c.name, j)
        verified_support(so.evidence, ("roi_model", "shared_outcomes", i, "evidence"))

    known_targets = {*(v.id for v in spec.value_props), *(u.id for u in spec.use_cases),
                     *(s.id for s in spec.headline_stats), *quotes, *cases}
    for stage, emph in spec.stages.items():
        for j, ref in enumerate(emph.lead_with):
            if ref not in known_targets:
                p.append(located.problem(("stages", stage, "lead_with", j), "reference does not resolve",
                                         found=repr(ref), expected="a value prop, use case, stat, quote or case study id",
                                         code="dangling-ref"))

    # Vendor eligibility.
    if spec.vendor.review_count < pol.min_reviews:
        p.append(located.problem(("vendor", "review_count"),
                                 "fewer reviews than the study policy requires: only watermarked drafts can be built",
                                 found=str(spec.vendor.review_count), expected=f"at least {pol.min_reviews}",
                                 severity="warning", code="draft-only"))

    # Quotes: policy, dates, duplicates, length.
    stale_before = _months_before(spec.study.as_of, pol.max_quote_age_months)
    seen_text: dict[str, int] = {}
    seen_review: dict[str, int] = {}
    for i, q in enumerate(spec.quotes):
        path = ("quotes", i)
        if q.review_date > spec.study.as_of:
            p.append(located.problem((*path, "review_date"), "review is dated after the study's as-of date",
                                     found=q.review_date.isoformat(), expected=f"on or before {spec.study.as_of}",
                                     code="future-review"))
        if q.as_of < q.review_date:
            p.append(located.problem((*path, "as_of"), "as-of date is before the review date",
                                     found=q.as_of.isoformat(), expected=f"on or after {q.review_date}", code="dates"))
        if q.review_date < stale_before:
            p.append(located.problem((*path, "review_date"),
                                     f"stale quote: more than {pol.max_quote_age_months} months before the study's as-of date",
                                     found=q.review_date.isoformat(), expected=f"on or after {stale_before}",
                                     severity="warning", code="stale-quote"))
        if len(q.text) > pol.max_quote_chars:
            p.append(located.problem((*path, "text"), "over-long quote: layouts will cut it at a sentence boundary",
                                     found=f"{len(q.text)} characters", expected=f"at most {pol.max_quote_chars}",
                                     severity="warning", code="long-quote"))
        if not quote_is_usable(q, spec):
            p.append(located.problem(path, f"quote '{q.id}' is {quote_label(q)} and will not be used",
                                     expected="a validated, verified current user, not incentivized "
                                              "(or allow it in study.policy, and it will be labelled)",
                                     severity="warning", code="unusable-quote"))
        if q.review_count_at_as_of > spec.vendor.review_count and q.as_of <= (spec.vendor.reviews_as_of or spec.study.as_of):
            p.append(located.problem((*path, "review_count_at_as_of"),
                                     "more reviews counted at this quote's as-of date than the vendor has now",
                                     found=str(q.review_count_at_as_of), expected=f"at most {spec.vendor.review_count}",
                                     severity="warning", code="review-count"))
        key = _norm(q.text)
        if key in seen_text:
            p.append(located.problem((*path, "text"), f"duplicate quote text (same as quotes[{seen_text[key]}])",
                                     severity="warning", code="duplicate-quote"))
        seen_text.setdefault(key, i)
        rid = f"{q.platform}:{q.review_id}"
        if rid in seen_review:
            p.append(located.problem((*path, "review_id"), f"same review as quotes[{seen_review[rid]}]",
                                     found=repr(q.review_id), severity="warning", code="duplicate-quote"))
        seen_review.setdefault(rid, i)
    return p


def _driver_problems(spec: StudySpec, located: Located, kind: str, i: int) -> list[Problem]:
    """A line has amounts or a formula over its drivers, and each driver has values for every year."""
    ln = getattr(spec.roi_model, kind)[i]
    n = spec.roi_model.horizon_years
    at: PathKey = ("roi_model", kind, i)
    p: list[Problem] = []
    if ln.formula is not None and ln.yearly:
        p.append(located.problem((*at, "yearly"), f"'{ln.id}' has both yearly amounts and a formula",
                                 expected="one of them", code="formula"))
    if ln.formula is None and ln.drivers:
        p.append(located.problem((*at, "drivers"), f"'{ln.id}' has drivers but no formula using them",
                                 expected="formula: an expression over the driver names", code="formula"))
    p += _duplicates(located, "driver", (((*at, "drivers", j, "name"), d.name) for j, d in enumerate(ln.drivers)))
    for j, d in enumerate(ln.drivers):
        where: PathKey = (*at, "drivers", j)
        if (d.value is None) == (not d.yearly):
            p.append(located.problem(where, f"driver '{d.name}' needs either value (every year) or yearly",
                                     expected="value: <number> or yearly: [one per year]", code="driver"))
        elif d.yearly and len(d.yearly) != n:
            p.append(located.problem((*where, "yearly"), f"driver '{d.name}' has {len(d.yearly)} yearly values",
                                     expected=f"{n} (roi_model.horizon_years)", code="horizon"))
        values = list(d.yearly) or ([d.value] if d.value is not None else [])
        if (d.low is None) != (d.high is None):
            p.append(located.problem(where, f"driver '{d.name}' gives only one end of its range",
                                     expected="both low and high", code="driver"))
        elif d.low is not None and d.high is not None and not all(d.low <= v <= d.high for v in values):
            p.append(located.problem((*where, "low"), f"driver '{d.name}': low ≤ value ≤ high does not hold",
                                     found=f"{d.low} … {d.high}", expected="a range around every value",
                                     code="driver"))
    return p
