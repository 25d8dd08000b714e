"""Figure references in spec text: ``{{ figure('roi_pct') }}`` filled from the model.

An analyst who writes "a 196% ROI" in a subtitle has typed the number twice; when the
model changes, the subtitle lies. A reference is written once and filled by the engine,
in the study's locale and digits, after the model has run. Spec text is never compiled as
a template: only this one fixed form is recognised, so no expression from a spec runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from ..spec.schema import StudySpec
from ..spec.yaml_source import PathKey
from . import roi
from .figures import Figures

REFERENCE = re.compile(r"\{\{\s*figure\(\s*(['\"])([a-z_]{1,40})\1\s*\)\s*\}\}")

# Spec fields whose text is the analyst's own prose (never evidence): references are
# filled and numbers are linted here. Quotes and case studies are evidence and stay verbatim.
FREE_TEXT: tuple[PathKey, ...] = (
    ("study", "title"), ("study", "subtitle"), ("study", "call_to_action"), ("methodology",),
    ("value_props", "*", "title"), ("value_props", "*", "claim"), ("headline_stats", "*", "label"),
    ("stages", "*", "headline"), ("roi_model", "benefits", "*", "label"), ("roi_model", "costs", "*", "label"),
    ("unquantified_benefits", "*", "title"), ("unquantified_benefits", "*", "description"),
    ("flexibility", "*", "title"), ("flexibility", "*", "description"),
)


def free_text(spec: StudySpec) -> Iterator[tuple[PathKey, str]]:
    """Every (path, text) of the free-text fields present in ``spec``."""
    for pattern in FREE_TEXT:
        yield from _walk(spec, pattern, ())


def _walk(node: Any, pattern: PathKey, at: PathKey) -> Iterator[tuple[PathKey, str]]:
    if not pattern:
        if isinstance(node, str):
            yield at, node
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in items:
            yield from _walk(child, rest, (*at, key))
    elif node is not None:
        yield from _walk(getattr(node, str(head)), rest, (*at, head))


def figure_values(result: roi.RoiModelResult, spec: StudySpec, f: Figures) -> dict[str, str]:
    """What each reference name prints as, in the study's locale."""
    out = {name: f.percent(getattr(result, name)) for name in ("roi_pct", "undiscounted_roi_pct")}
    out |= {name: f.money(getattr(result, name)) for name in ("npv", "pv_benefits", "pv_costs", "total_benefits",
                                                              "total_costs")}
    out["payback_months"] = f.payback(result.payback_months) or "—"
    out["horizon_years"] = f.number(Decimal(result.horizon_years), 0)
    out["discount_rate"] = f.percent(result.discount_rate * 100)
    out["review_count"] = f.number(Decimal(spec.vendor.review_count), 0)
    out["average_rating"] = f.number(spec.vendor.average_rating, 1)
    out["case_study_count"] = f.number(Decimal(len(spec.case_studies)), 0)
    return out


def unknown_references(spec: StudySpec, known: set[str]) -> Iterator[tuple[PathKey, str]]:
    """(path, name) of every reference to a figure the engine does not have."""
    for path, text in free_text(spec):
        for m in REFERENCE.finditer(text):
            if m.group(2) not in known:
                yield path, m.group(2)


def fill(spec: StudySpec, values: dict[str, str]) -> StudySpec:
    """``spec`` with every reference in its free text replaced by its value."""
    def sub(text: str) -> str:
        return REFERENCE.sub(lambda m: values[m.group(2)], text)

    filled: BaseModel = spec
    for path, text in free_text(spec):
        if REFERENCE.search(text):
            filled = _replace(filled, path, sub)
    return filled  # type: ignore[return-value]


def _replace(node: Any, path: PathKey, fn: Callable[[str], str]) -> Any:
    """A copy of ``node`` with the string at ``path`` passed through ``fn`` (models are frozen)."""
    if not path:
        return fn(node)
    head, rest = path[0], path[1:]
    if isinstance(node, BaseModel):
        return node.model_copy(update={str(head): _replace(getattr(node, str(head)), rest, fn)})
    if isinstance(node, dict):
        return {**node, head: _replace(node[head], rest, fn)}
    items = list(node)
    items[int(head)] = _replace(items[int(head)], rest, fn)
    return items
