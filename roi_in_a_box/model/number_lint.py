"""Number lint: every number typed into the analyst's prose must be traceable.

A number in a title, subtitle, claim, label, stage headline, methodology or call to
action passes when it matches, within the rounding it is written with, a figure the model
computes, a figure the evidence states (vendor counts and rating, numbers in quotes and
case studies, case-study metrics, headline-stat values, driver inputs and their ranges),
or a number the spec declares
with its source (``declared_numbers``). Anything else is a located warning, or an error
under ``study.policy.strict_numbers``. ``{{ figure('...') }}`` references are filled by
the engine, so they are never typed twice and never linted.

"Within the rounding it is written with": "196%" matches 195.7 (±0.5), "$1.6M" matches
1,580,000 (±50,000), "4.3" matches 4.27 (±0.05). Native Bengali and Thai digits count
the same as ASCII ones; compact suffixes (K, M, B, million, লা, কো, ล้าน …) scale the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..spec.errors import Problem
from ..spec.schema import StudySpec
from ..spec.yaml_source import Located
from . import roi
from .drivers import LineCalc
from .references import REFERENCE, free_text

_TO_ASCII = str.maketrans("০১২৩৪৫৬৭৮৯๐๑๒๓๔๕๖๗๘๙", "01234567890123456789")
_SCALE = {"k": 3, "K": 3, "M": 6, "B": 9, "bn": 9, "million": 6, "billion": 9, "thousand": 3,
          "লা": 5, "লাখ": 5, "কো": 7, "কোটি": 7, "พัน": 3, "หมื่น": 4, "แสน": 5, "ล้าน": 6}
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{2,3})+|\d+)(?:\.(\d+))?(?!\d)(?:\s?("
    + "|".join(sorted((re.escape(s) for s in _SCALE), key=len, reverse=True)) + r")(?![A-Za-z]))?(\s?(?:%|٪|percent|per cent|শতাংশ|เปอร์เซ็นต์))?")


@dataclass(frozen=True)
class Number:
    """A number as written: its value and the half-unit its rounding allows."""

    text: str
    value: Decimal
    tolerance: Decimal
    percent: bool = False


def numbers_in(text: str) -> list[Number]:
    """Every number written in ``text`` (references removed), in order."""
    plain = REFERENCE.sub(lambda m: " " * len(m.group(0)), text).translate(_TO_ASCII)
    out = []
    for m in _NUMBER.finditer(plain):
        whole, frac, scale = m.group(1).replace(",", ""), m.group(2) or "", m.group(3)
        exp = _SCALE[scale] if scale else 0
        value = Decimal(f"{whole}.{frac}" if frac else whole).scaleb(exp)
        out.append(Number(text[m.start():m.end()].strip(), value, Decimal("0.5").scaleb(exp - len(frac)),
                          bool(m.group(4))))
    return out


def traceable_values(spec: StudySpec, result: roi.RoiModelResult,
                     calcs: Mapping[str, LineCalc] | None = None) -> list[tuple[Decimal, bool | None]]:
    """Every figure a number in the prose may stand for (model, evidence, declared), each
    with whether it is a percentage (None: either, e.g. a declared number)."""
    r = result
    pct: list[Decimal] = [r.roi_pct, r.undiscounted_roi_pct, r.discount_rate * 100]
    plain: list[Decimal] = [r.npv, r.pv_benefits, r.pv_costs, r.total_benefits, r.total_costs,
                            Decimal(r.horizon_years)]
    either: list[Decimal] = [d.value for d in spec.declared_numbers]
    if r.payback_months is not None:
        plain.append(r.payback_months)
    for ln in (*r.benefits, *r.costs):
        plain += [ln.initial, *ln.yearly, ln.total, ln.pv]
    for src in (*spec.roi_model.benefits, *spec.roi_model.costs):
        plain += [src.initial, *src.yearly]
        pct.append(src.risk * 100)
    for y in r.years:
        plain += [y.benefits, y.costs, y.net, y.cumulative_net]
    for ex in spec.roi_model.classic:
        plain += [ex.gain, ex.cost]
        pct.append(roi.classic_roi(ex.gain, ex.cost))
    for so in spec.roi_model.shared_outcomes:
        plain += [so.outcome, *(c.cost for c in so.contributors)]
    for cl in spec.roi_model.claims:  # checked against the model, so a claim's bound is traceable too
        bounds = [x for x in (cl.value, cl.below, cl.above, cl.low, cl.high) if x is not None]
        (pct if cl.figure.endswith("_pct") else plain).extend(bounds)
    v, pol = spec.vendor, spec.study.policy
    plain += [Decimal(v.review_count), v.average_rating, Decimal(len(spec.case_studies)),
              Decimal(spec.study.published.year), Decimal(spec.study.as_of.year),
              Decimal(pol.min_reviews), Decimal(pol.max_quote_age_months)]
    metrics = [(st.value, st.unit) for st in spec.headline_stats if st.value is not None]
    metrics += [(m.value, m.unit) for cs in spec.case_studies for m in cs.metrics]
    out: list[tuple[Decimal, bool | None]] = [(x, unit == "percent") for x, unit in metrics]
    texts = [q.text for q in spec.quotes]
    texts += [part for cs in spec.case_studies for part in (cs.title, cs.summary, cs.challenge, cs.solution,
                                                            cs.results) if part]
    out += [(n.value, n.percent) for text in texts for n in numbers_in(text)]
    for calc in (calcs or {}).values():
        plain += calc.amounts
        for row in calc.rows:
            ends = [x for x in (row.low, row.high) if x is not None]
            out += [(x, row.is_percent) for x in (*row.shown, *ends)]
    return out + [(x, True) for x in pct] + [(x, False) for x in plain] + [(x, None) for x in either]


def _matches(n: Number, values: Iterable[tuple[Decimal, bool | None]]) -> bool:
    """Same value within the number's rounding; a percentage only stands for a percentage."""
    return any(abs(abs(v) - n.value) <= n.tolerance and (kind is None or kind == n.percent or not n.percent)
               for v, kind in values)


def untraced(spec: StudySpec, result: roi.RoiModelResult, calcs: Mapping[str, LineCalc] | None = None
             ) -> Iterator[tuple[tuple[str | int, ...], Number]]:
    """(field path, number) for every number in the free text that matches nothing."""
    values = traceable_values(spec, result, calcs)
    for path, text in free_text(spec):
        for n in numbers_in(text):
            if not _matches(n, values):
                yield path, n


def lint(spec: StudySpec, located: Located, result: roi.RoiModelResult,
         calcs: Mapping[str, LineCalc] | None = None) -> list[Problem]:
    """Located problems for untraced numbers: warnings, or errors under strict_numbers."""
    severity = "error" if spec.study.policy.strict_numbers else "warning"
    return [located.problem(path, "number in the text matches no model figure, evidence or declared number",
                            found=repr(n.text), expected="a figure reference like {{ figure('roi_pct') }}, a number "
                            "from the model or the evidence (within its rounding), or a declared_numbers entry "
                            "with its source", severity=severity, code="untraced-number")
            for path, n in untraced(spec, result, calcs)]
