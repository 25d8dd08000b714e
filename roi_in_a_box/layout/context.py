"""Everything a layout sees while it builds one document."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..model.account import Account, AccountResult
from ..model.figures import Figures
from ..model.money import quarter_label, to_native_digits
from ..model.periods import Period
from ..model.study import Analysis
from ..model.summary import figures_for
from ..spec.yaml_source import dotted
from . import i18n
from . import tree as t


@dataclass
class LayoutContext:
    analysis: Analysis
    stage: str = "pre_sale"
    account: Account | None = None
    account_result: AccountResult | None = None
    brand_logo: Path | None = None
    vendor_logo: Path | None = None
    brand_legal: str = ""
    figures: Figures = field(init=False)
    lang: str = field(init=False)
    fitting: list[str] = field(default_factory=list)
    _template: dict[str, Any] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.figures = figures_for(self.analysis)
        self.lang = self.analysis.spec.study.language

    def origin(self, path: tuple[str | int, ...]) -> t.Origin:
        """The spec location of the field at ``path`` (for the blocks that show it)."""
        located = self.analysis.loaded.located
        line, column = located.where(path)
        return t.Origin(located.file, line, column, dotted(path))

    def note_empty_section(self, title: str) -> None:
        """Record, for the manifest, a section left out because it had nothing to show."""
        self.fitting.append(f"left out section '{title}': nothing to show for this study or account")

    def t(self, key: str, **values: object) -> str:
        return i18n.label(self.lang, key, **values)

    def date(self, d: dt.date) -> str:
        """ISO dates (unambiguous in every language), in native digits when the study asks."""
        text = d.isoformat()
        return to_native_digits(text, self.lang) if self.figures.native_digits else text

    def period(self, p: Period | None) -> str:
        """A reporting period's label: CLDR's year-and-quarter form for the language ("Q3
        2025", "৩য় ত্রৈমাসিক ২০২৫", "ไตรมาส 3 2025"), the year alone, or "Initial" for None;
        in native digits when the study asks."""
        if p is None:
            return self.t("initial")
        text = str(p.year) if p.quarter is None else quarter_label(p.year, p.quarter, self.lang)
        return to_native_digits(text, self.lang) if self.figures.native_digits else text

    def template_context(self) -> dict[str, Any]:
        """Values layout templates may use: plain data only, never objects with methods."""
        if self._template is None:
            a, f, r = self.analysis, self.figures, self.analysis.result
            spec = a.spec
            self._template = {
                "study": spec.study.model_dump(mode="json"),
                "vendor": spec.vendor.model_dump(mode="json"),
                "stage": self.stage,
                "zone": self.t(a.zone) if a.zone else "",
                "figures": {
                    "roi": f.percent(r.roi_pct), "npv": f.money(r.npv), "pv_benefits": f.money(r.pv_benefits),
                    "pv_costs": f.money(r.pv_costs),
                    "payback": f.payback(r.payback_months) or self.t("beyond_horizon"),
                    "horizon_years": f.number(Decimal(r.horizon_years), 0),
                    "reviews": f.number(Decimal(spec.vendor.review_count), 0),
                    "rating": f.number(spec.vendor.average_rating, 1),
                },
                "emphasis": {k: v.model_dump(mode="json") for k, v in spec.stages.items()},
                "labels": i18n.labels(self.lang),
                "sentences": {"exec_summary": self.t(
                    "exec_summary", publisher=spec.study.publisher, vendor=spec.vendor.name,
                    reviews=f.number(Decimal(spec.vendor.review_count), 0), platform=spec.vendor.review_platform,
                    years=f.number(Decimal(r.horizon_years), 0), roi=f.percent(r.roi_pct), npv=f.money(r.npv),
                    payback=f.payback(r.payback_months) or self.t("beyond_horizon")),
                    "published": self.t("src.published", publisher=spec.study.publisher,
                                        date=self.date(spec.study.published), as_of=self.date(spec.study.as_of))},
                "account": self.account.template_data(f) if self.account else None,
                "account_result": self.account_result.template_data(f) if self.account_result else None,
            }
        return self._template
