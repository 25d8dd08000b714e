"""Layout files (``layouts/<name>.yaml``): which blocks a document has, in what order.

A layout names components (``stat_tiles``, ``value_props``, ``roi_table`` ...) that
``components.py`` expands from the study, plus static text blocks whose text fields
are Jinja templates.  Errors name the layout file, line and field.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
import typing
from typing import Annotated, Literal, Union

from pydantic import Field, StringConstraints

from ..bundled import LAYOUTS_DIR
from ..spec.errors import InputError
from ..spec.schema import Strict
from ..spec.validate import parse_model
from ..spec.yaml_source import Located, load_file

Text = Annotated[str, StringConstraints(max_length=2000)]
Format = Literal["pdf", "docx", "pptx"]
# ---------------------------------------------------------------- blocks: one spec per component
#
# Each component's spec lists exactly the fields it reads (a field from another component is
# refused with a located error); the docstring is what the docs' component table says it
# shows (``tools/component_table.py`` writes that table from these classes).

TEMPLATED = ("text", "title", "items")  # rendered as Jinja templates


class _Block(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]{1,40}$")] | None = None
    priority: int = Field(0, ge=0, le=9, description="0 = required; higher numbers are dropped first when fitting")


class _Text(_Block):
    text: Text | None = None


class _Title(_Block):
    title: Text | None = None


class _Level(_Block):
    level: int = Field(1, ge=0, le=3)


class _Items(_Block):
    items: list[Text] = Field(default_factory=list, max_length=20)


class _Select(_Block):
    select: list[str] = Field(default_factory=list, max_length=20, description="Ids to show, in order")


class _Limit(_Block):
    limit: int = Field(4, ge=1, le=12)


class _MaxChars(_Block):
    max_chars: int = Field(0, ge=0, le=1200, description="Cut quotes at a sentence boundary beyond this (0: policy)")


class _MatchAccount(_Block):
    match_account: bool = Field(False, description="Prefer quotes from the account's segment and industry")


class _Figures(_Block):
    figures: Literal["study", "account"] = Field(
        "study", description="'account' shows the account's realised figures (its own metrics through the "
                             "study's model) when it has metrics, else the study's")


class _Brief(_Block):
    brief: bool = Field(False, description="use_case_cards: titles and types only; value_props: shorter quotes; "
                                           "methodology: the essentials only")


class LogoBlock(_Block):
    """The vendor logo (`vendor.logo` in the spec) or else the brand kit's logo, 110 pt wide. Nothing if neither exists."""

    component: Literal["logo"]


class HeadingBlock(_Text, _Level):
    """A heading."""

    component: Literal["heading"]


class ParagraphBlock(_Text):
    """A paragraph; left out if the text renders empty (so `"{{ study.subtitle or '' }}"` disappears when there is no subtitle)."""

    component: Literal["paragraph"]
    style: Literal["body", "lead", "small"] = "body"


class BulletsBlock(_Items):
    """One "• " paragraph per item; empty items are skipped."""

    component: Literal["bullets"]


class CalloutBlock(_Title, _Text):
    """A highlighted box."""

    component: Literal["callout"]


class FootnotesBlock(_Items):
    """Small print notes."""

    component: Literal["footnotes"]


class CallToActionBlock(_Title, _Text):
    """A callout whose title is `title`, else the stage's own `call_to_action` from `layouts/stages.yaml` in the study's language (pre-sale documents use the spec's `study.call_to_action` when it has one), with `study.contact` as its link (`https:` or `mailto:`; shown without `mailto:`)."""

    component: Literal["call_to_action"]


class StatTilesBlock(_Select, _Limit, _MatchAccount, _Figures):
    """Headline stats as tiles: in spec order, or the `select` order (unknown ids skipped), at most `limit`. A model figure's tile carries a short definition (e.g. "NPV ÷ PV(costs), 3-year, risk-adjusted") and a footnote marker; a figure from the evidence names its source (the case-study customers, else the verified reviews). With `match_account`, stats evidenced by a case study in the account's industry (then segment) lead. A spec without headline stats gets the model's ROI, payback and NPV. With `figures: account` and account metrics: the account's own ROI, payback and NPV."""

    component: Literal["stat_tiles"]


class UseCaseCardsBlock(_Select, _Limit, _Brief, _Title):
    """Use case cards with their ROI type badge; `brief` leaves out descriptions; `title` adds a level-2 heading. Order: `select`, else the stage's `lead_with` use cases first, then spec order."""

    component: Literal["use_case_cards"]


class ValuePropsBlock(_Select, _Limit, _MaxChars, _MatchAccount, _Brief):
    """Each value prop as one block (its claim never parts from its proof): ROI-type pill, title, claim, then its best usable quote (verified first) with full attribution. A quote too long for `max_chars` keeps the sentences that carry the claim's figures and terms. Order as for `use_case_cards`."""

    component: Literal["value_props"]
    grid: bool = Field(False, description="Side by side (up to four per row) instead of a stack")
    per_row: int = Field(4, ge=1, le=4, description="With `grid`: cards per row (2 makes a 2 x 2 grid of four)")


class QuotesBlock(_Select, _Limit, _MaxChars, _MatchAccount):
    """The best usable quotes, ranked (see below); `select` restricts the pool to those quote ids (each must exist) but does not set the order."""

    component: Literal["quotes"]


class AnalystFrameBlock(_Block):
    """The first-page apparatus: the publisher's name in bold, the analysts, the publication date, the verified review count with its as-of date, who commissioned the study (`study.commissioned_by`), what the vendor supplied (`study.vendor_supplied`, or that it supplied nothing) and that the publisher read the reviews itself."""

    component: Literal["analyst_frame"]


class ValueOverTimeBlock(_Title):
    """The account's net value per period beside the study benchmark's, as a bar chart: per reported quarter or year for an account with actuals (the benchmark's yearly net spread evenly over its quarters), per model year (Initial, Year 1…N) for a run-rate account; without account data, a sentence saying plainly that there is no realised data yet, then the benchmark's own net per year in a chart titled as the benchmark."""

    component: Literal["value_over_time"]


class RealisedTableBlock(_Limit, _Title, _Level):
    """Realised against the benchmark as a table: period, the account's net and the benchmark's net (with `breakdown`, benefits and costs too), one row per reported period (model year for a run-rate account; the latest `limit`), then the total to date over every period; with `title`, a heading first. Without account data, the benchmark's own years (Initial, Year 1…N) headed as the benchmark (`value_over_time` says there is no realised data)."""

    component: Literal["realised_table"]
    breakdown: bool = Field(False, description="Benefits and costs columns before the net")


class FrameworkBlock(_Block):
    """The five ROI types graphic with the evidenced types, the zone and the next step up the slope."""

    component: Literal["framework"]
    caption: bool = Field(True, description="false leaves out the line naming the zone and next step (the drawing marks both)")


class _FullAmounts(_Block):
    full_amounts: bool = Field(False, description="Whole currency units ($1,580,000), not compact ($1.6M)")


class RoiTableBlock(_Title, _Level, _FullAmounts):
    """The full risk-adjusted model: one row per benefit and cost line plus benefit, cost and net totals; columns Initial, Year 1…N, Total, Present value; caption with ROI, NPV, payback and the model definition. `title` adds a heading at `level`; `full_amounts` prints whole currency units."""

    component: Literal["roi_table"]


class ChartBlock(_Title, _Figures, _Limit):
    """`bar`: benefits and costs per period (Initial, Year 1…N). `waterfall`: each line's present value (costs negative) to NPV. `payback`: cumulative risk-adjusted, undiscounted net cash flow every 3 months, with the payback point marked. `sensitivity`: NPV with each ranged driver at its low and at its high end (widest swing first, at most `limit` inputs) as clustered columns, caption with the NPV at the values; nothing without ranges."""

    component: Literal["chart"]
    kind: Literal["bar", "waterfall", "payback", "sensitivity"] = "bar"


class CalculationTableBlock(_Title, _Level, _Select, _Limit):
    """One TEI-style calculation table per driver-based line (`select`: line ids; at most `limit`): Ref., Metric, Source, Year 1…N; input rows A1…An as entered, the formula's result, the risk adjustment and the risk-adjusted result in full currency units; caption with the line's total and present value. Nothing (and a manifest note) without driver-based lines."""

    component: Literal["calculation_table"]


class LineResultsBlock(_Title, _Level, _FullAmounts):
    """Each benefit and cost line's risk, total and PV before and after its risk adjustment, side by side, with benefit and cost totals."""

    component: Literal["line_results"]


class RiskSummaryBlock(_Title, _Level):
    """The Monte Carlo over the drivers' ranges: p10 / p50 / p90 of ROI, NPV and payback, the probability that ROI > 0, and a caption stating iterations, seed, distribution and the ranged inputs. Nothing (and a manifest note) when no driver has a range."""

    component: Literal["risk_summary"]


class TeiNotesBlock(_Level, _Select, _Limit, _MaxChars, _Brief):
    """The study's unquantified benefits and flexibility options (`select`: `unquantified_benefits`, `flexibility`), each section headed and noted as not valued in the model; each item with its best usable quote (none with `brief`)."""

    component: Literal["tei_notes"]


class MethodologyBlock(_Brief, _Items):
    """The spec's `methodology` text (not when `brief`), the kit's legal text and `items` as a paragraph, then numbered notes: the verified review count and date, the model definition, the payback definition, each shared outcome's attribution method. Only the notes the document cites are printed, numbered in the order they are first cited (tiles, tables, charts and the analyst frame carry the superscript markers)."""

    component: Literal["methodology"]


class CaseStudyBlock(_Select, _Limit, _Level):
    """Case studies (those in `select`, in spec order; at most `limit`): title at `level`, summary, Challenge/Solution/Results sections when present, and up to 4 metric tiles."""

    component: Literal["case_study"]


class AttributionBlock(_Limit, _Title, _Level):
    """One table per shared outcome (at most `limit`): contributor, share, attributed amount, modelled ROI, labelled as a modelled attribution; with `title`, a heading first (only when the study has shared outcomes)."""

    component: Literal["attribution"]


class AccountResultsBlock(_Block):
    """ROI, NPV and payback: the account's realised figures beside the study benchmark when account data is given (batch builds), the benchmark alone otherwise."""

    component: Literal["account_results"]


class UseCasesNotAdoptedBlock(_Limit, _Title, _Level):
    """Use case cards for use cases the account has not adopted (all use cases without an account); with `title`, a heading first. Nothing at all (and a note in the manifest) if every use case is adopted."""

    component: Literal["use_cases_not_adopted"]


class MilestonesBlock(_Limit, _Select):
    """A When / Milestone table for onboarding: the stage's leading use cases in 30-day steps, then the month similar customers reached payback (from the model; omitted when payback is beyond the horizon)."""

    component: Literal["milestones"]


class ColumnsBlock(_Block):
    """Side-by-side columns of blocks."""

    component: Literal["columns"]
    weights: list[float] = Field(default_factory=list, max_length=4)
    columns: list[list["BlockSpec"]] = Field(default_factory=list, max_length=4)


BlockSpec = Annotated[Union[
    LogoBlock, HeadingBlock, ParagraphBlock, BulletsBlock, CalloutBlock, FootnotesBlock, CallToActionBlock,
    StatTilesBlock, UseCaseCardsBlock, ValuePropsBlock, QuotesBlock, FrameworkBlock, RoiTableBlock, ChartBlock,
    MethodologyBlock, CaseStudyBlock, AttributionBlock, AccountResultsBlock, UseCasesNotAdoptedBlock,
    MilestonesBlock, ColumnsBlock, CalculationTableBlock, LineResultsBlock, RiskSummaryBlock, TeiNotesBlock,
    AnalystFrameBlock, ValueOverTimeBlock, RealisedTableBlock,
], Field(discriminator="component")]
ColumnsBlock.model_rebuild()
BLOCK_SPECS: tuple[type[_Block], ...] = typing.get_args(typing.get_args(BlockSpec)[0])  # in the docs' order


def component_name(spec: type[_Block]) -> str:
    return str(typing.get_args(spec.model_fields["component"].annotation)[0])


class PageSpec(Strict):
    title: Text = ""
    slide_layout: Annotated[str, StringConstraints(max_length=60)] = ""
    notes: Text = ""
    blocks: list[BlockSpec] = Field(min_length=1, max_length=40)


class LayoutSpec(Strict):
    name: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,40}$")]
    description: Text = ""
    formats: list[Format] = Field(min_length=1, description="Default formats this layout renders to")
    page_size: Literal["letter", "a4", "16:9"] = "letter"
    margins: list[float] = Field(default_factory=lambda: [36.0, 36.0, 36.0, 36.0], min_length=4, max_length=4)
    max_pages: int = Field(2, ge=1, le=40)
    title: Text = "{{ study.title }}"
    pages: list[PageSpec] = Field(min_length=1, max_length=40)


@lru_cache(maxsize=64)
def _load(path: Path, mtime_ns: int) -> tuple[LayoutSpec, Located]:
    located = load_file(path, display=str(path))
    return parse_model(located, LayoutSpec), located


def layout_path(name_or_path: str, study_dir: Path | None = None) -> Path:
    """Where a layout lives: a ``.yaml`` path as given; a name in the study folder's own
    ``layouts/`` first (so an analyst's layouts need no access to the installed package),
    then among the bundled layouts."""
    path = Path(name_or_path)
    if path.suffix:
        return path
    own = study_dir / "layouts" / f"{name_or_path}.yaml" if study_dir is not None else None
    return own if own is not None and own.is_file() else LAYOUTS_DIR / f"{name_or_path}.yaml"


def load_layout(name_or_path: str, study_dir: Path | None = None) -> tuple[LayoutSpec, Located]:
    """A layout by name or path (see ``layout_path``); parsed once per process."""
    path = layout_path(name_or_path, study_dir)
    if not path.is_file():
        names = {p.stem for p in LAYOUTS_DIR.glob("*.yaml")}
        if study_dir is not None:
            names |= {p.stem for p in (study_dir / "layouts").glob("*.yaml")}
        from ..spec.errors import Problem

        raise InputError([Problem(str(path), 1, 1, "layout", "no such layout", found=repr(name_or_path),
                                  expected="one of " + ", ".join(sorted(names - {"stages"})), code="usage")])
    return _load(path.resolve(), path.stat().st_mtime_ns)
