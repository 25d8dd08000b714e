"""The study spec format: one pydantic model per YAML section.

Pydantic gives us typed parsing, per-field limits and a JSON Schema for editors from
one definition, so the documentation, the validator and ``roi-in-a-box schema`` can
never disagree.  Cross-references and evidence rules live in ``rules.py``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .stages import Stage

RoiType = Literal["attributable", "transformational", "efficiency", "need", "indirect"]
Segment = Literal["small_business", "mid_market", "enterprise"]
Figure = Literal["roi_pct", "npv", "payback_months", "pv_benefits", "pv_costs", "classic_roi_pct",
                 "total_benefits", "total_costs"]
ClaimFigure = Literal["roi_pct", "npv", "payback_months", "pv_benefits", "pv_costs", "classic_roi_pct",
                      "total_benefits", "total_costs", "undiscounted_roi_pct", "line_pv", "line_total"]

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,47}$"),
               Field(description="Lower-case id: letters, digits, '-' and '_' (max 48)")]
Label = Annotated[str, StringConstraints(min_length=1, max_length=80, strip_whitespace=True)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=140, strip_whitespace=True)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=320, strip_whitespace=True)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=900, strip_whitespace=True)]
Url = Annotated[str, StringConstraints(pattern=r"^https://[^\s<>\"']{1,300}$"),
                Field(description="An https:// URL")]
Money = Annotated[Decimal, Field(ge=0, le=Decimal("1e12"), description="Amount in the study currency")]
Fraction = Annotated[Decimal, Field(ge=0, le=Decimal("0.9"), description="A fraction, e.g. 0.1 for 10%")]


class Strict(BaseModel):
    """Unknown keys are errors (with a 'did you mean' from the loader).  Validators are built
    on first use (``defer_build``): a nested model is then compiled once, inside the model
    that is validated, instead of once per class at import."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Policy(Strict):
    """Study policy: thresholds the evidence rules apply."""

    min_reviews: int = Field(50, ge=1, le=100_000, description="Reviews the vendor needs for a final (non-draft) study")
    max_quote_age_months: int = Field(12, ge=1, le=120, description="Quotes older than this before the study's as-of date are flagged")
    max_quote_chars: int = Field(400, ge=40, le=1200, description="Quotes longer than this are flagged")
    allow_unverified_quotes: bool = Field(False, description="Allow quotes from reviewers not validated or not current users (labelled)")
    allow_incentivized_quotes: bool = Field(False, description="Allow incentivized reviews (labelled)")
    claim_tolerance_pct: Decimal = Field(Decimal("1"), ge=0, le=100, description="Allowed gap, in percentage points, for claimed ROI figures")
    claim_tolerance_months: Decimal = Field(Decimal("0.5"), ge=0, le=24, description="Allowed gap for claimed payback months")
    claim_tolerance_money: Decimal = Field(Decimal("1000"), ge=0, description="Allowed gap for claimed money figures")
    strict_numbers: bool = Field(False, description="A number in the free text that matches no model figure, "
                                 "evidence or declared number is an error, not a warning")
    max_roi_pct: Decimal = Field(Decimal("1000"), gt=0, le=Decimal("1e6"),
                                 description="An ROI larger than this (in percent, either sign) is flagged as implausible")


class Study(Strict):
    id: Id
    title: Title
    subtitle: ShortText | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = Field(
        description="BCP 47 language tag of the study's text: en, bn, th, en-GB ...")
    publisher: Label = Field(description="Analyst firm publishing the study")
    analysts: list[Label] = Field(default_factory=list, max_length=10)
    published: dt.date
    as_of: dt.date = Field(description="Evidence cut-off date; quote freshness is measured against it, never the clock")
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = Field(description="ISO 4217 code")
    native_digits: bool = Field(False, description="Show figures in the script's own digits (Bengali ০-৯, Thai ๐-๙)")
    contact: Annotated[str, StringConstraints(pattern=r"^(https://|mailto:)[^\s<>\"']{1,300}$")] | None = Field(
        None, description="Call-to-action link (https: or mailto:)")
    call_to_action: ShortText | None = None
    commissioned_by: Label | None = Field(None, description="Who paid for the study (the disclosure on every first page)")
    vendor_supplied: list[ShortText] = Field(default_factory=list, max_length=10,
                                             description="What evidence the vendor supplied (customer contacts, case studies, data)")
    payback_display: Literal["one_decimal", "whole_months", "buckets"] = Field(
        "one_decimal", description="How documents print payback: 4.5 months, 5 months (rounded up), or < 6 months")
    policy: Policy = Field(default_factory=Policy)


class Vendor(Strict):
    name: Label
    product: Label
    category: Label
    website: Url | None = None
    review_platform: Label = Field(description="Where the verified reviews come from, e.g. G2")
    review_count: int = Field(ge=0, le=10_000_000)
    average_rating: Decimal = Field(ge=0, le=5)
    reviews_as_of: dt.date | None = None
    logo: Annotated[str, StringConstraints(max_length=200)] | None = Field(
        None, description="Logo file (PNG/JPEG) relative to the spec file")


class UseCase(Strict):
    id: Id
    title: Title
    description: LongText
    roi_type: RoiType


class ValueProp(Strict):
    id: Id
    title: Title
    claim: ShortText
    roi_type: RoiType
    evidence: list[Id] = Field(min_length=1, max_length=30, description="Quote or case-study ids that prove the claim")


class Reviewer(Strict):
    name: Label | None = Field(None, description="Omit for an anonymous reviewer")
    role: Label
    segment: Segment = Field(description="small_business: up to 50 employees; mid_market: 51-1,000; enterprise: over 1,000")
    industry: Label


class Quote(Strict):
    id: Id
    text: Annotated[str, StringConstraints(min_length=1, max_length=1200)] = Field(
        description="Verbatim review text; never edited")
    reviewer: Reviewer
    review_date: dt.date
    as_of: dt.date = Field(description="Date the review count below was read")
    review_count_at_as_of: int = Field(ge=0, le=10_000_000)
    stars: Decimal = Field(ge=0, le=5)
    platform: Label
    review_id: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    url: Url
    validated_reviewer: bool
    verified_current_user: bool
    incentivized: bool


class Metric(Strict):
    label: Label
    value: Decimal
    unit: Literal["percent", "money", "months", "hours", "days", "count", "multiple"]


class CaseStudy(Strict):
    id: Id
    title: Title
    customer: Label
    segment: Segment | None = None
    industry: Label | None = None
    summary: LongText
    challenge: LongText | None = None
    solution: LongText | None = None
    results: LongText | None = None
    metrics: list[Metric] = Field(default_factory=list, max_length=12)
    evidence: list[Id] = Field(default_factory=list, max_length=30, description="Quote ids that corroborate it")
    url: Url | None = None


class HeadlineStat(Strict):
    id: Id
    label: Label
    figure: Figure | None = Field(None, description="Take the value from the engine's ROI model")
    value: Decimal | None = Field(None, description="A value from the evidence (or a claim checked against 'figure')")
    unit: Literal["percent", "money", "months", "hours", "days", "count", "multiple"] | None = None
    evidence: list[Id] = Field(default_factory=list, max_length=30)


DriverName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,39}$"),
                       Field(description="Name the line's formula uses: a letter, then letters, digits or '_'")]
DriverValue = Annotated[Decimal, Field(ge=Decimal("-1e13"), le=Decimal("1e13"))]


class Driver(Strict):
    """A named input of a driver-based line (volume, rate, adoption, hours, wage …)."""

    name: DriverName
    label: Label
    unit: Annotated[str, StringConstraints(min_length=1, max_length=24, strip_whitespace=True)] = Field(
        description="Unit as printed: 'percent' (value written as 38.4 for 38.4%, used as 0.384), a currency "
                    "code, 'hours', 'people' …")
    value: DriverValue | None = Field(None, description="The same value every year")
    yearly: list[DriverValue] = Field(default_factory=list, max_length=10, description="One value per year")
    source: ShortText = Field(description="Where it comes from: 'interviews', 'survey data', 'composite', "
                                          "'assumption', a published source …")
    evidence: list[Id] = Field(default_factory=list, max_length=30, description="Quote or case-study ids behind it")
    low: DriverValue | None = Field(None, description="Low end of its range (same unit as value)")
    high: DriverValue | None = Field(None, description="High end of its range (same unit as value)")


class CashLine(Strict):
    id: Id
    label: Label
    initial: Money = Decimal(0)
    yearly: list[Money] = Field(default_factory=list, max_length=10,
                                description="One amount per year; omit when the line has a formula")
    drivers: list[Driver] = Field(default_factory=list, max_length=20, description="Named inputs of the formula")
    formula: Annotated[str, StringConstraints(min_length=1, max_length=300)] | None = Field(
        None, description="The yearly amount from the drivers, e.g. 'revenue * offered * 0.511 * 0.083 * 0.12'")
    risk: Fraction = Field(Decimal(0), description="Risk adjustment: benefits reduced, costs increased by this fraction")
    evidence: list[Id] = Field(default_factory=list, max_length=30)


class Benefit(CashLine):
    roi_type: RoiType


class Claim(Strict):
    """A published figure in one of the forms studies print: a value, "< 6 months", "> 100%", or a range."""

    figure: ClaimFigure
    value: Decimal | None = Field(None, description="The figure as published (within the policy tolerance)")
    below: Decimal | None = Field(None, description="Published as an upper bound: 'payback < 6 months'")
    above: Decimal | None = Field(None, description="Published as a lower bound: 'ROI > 100%'")
    low: Decimal | None = Field(None, description="Published as a range: low end (with high)")
    high: Decimal | None = Field(None, description="Published as a range: high end (with low)")
    line: Id | None = Field(None, description="line_pv, line_total: the benefit or cost line the claim is about")
    source: ShortText = Field(description="Where the claimed figure was published")


class ClassicExample(Strict):
    label: ShortText
    gain: Money
    cost: Annotated[Decimal, Field(gt=0, le=Decimal("1e12"))]
    claimed_roi_pct: Decimal | None = None


class Contributor(Strict):
    name: Label
    cost: Money = Decimal(0)
    share: Annotated[Decimal, Field(ge=0, le=1)] | None = None


class SharedOutcome(Strict):
    id: Id
    label: ShortText
    outcome: Money
    method: Literal["equal", "cost_weighted", "stated"]
    contributors: list[Contributor] = Field(min_length=2, max_length=20)
    evidence: list[Id] = Field(default_factory=list, max_length=30)


class Simulation(Strict):
    """Monte Carlo over the drivers' ranges: the same seed always gives the same figures."""

    iterations: int = Field(5000, ge=100, le=100_000)
    seed: int = Field(2026, ge=0, le=2**32 - 1)
    distribution: Literal["triangular"] = Field(
        "triangular", description="Each ranged driver: triangular(low, value, high); one draw per driver per "
                                  "iteration, used for every year")


class RoiModel(Strict):
    horizon_years: int = Field(3, ge=1, le=10)
    discount_rate: Decimal = Field(Decimal("0.10"), ge=0, le=Decimal("0.5"))
    benefits: list[Benefit] = Field(min_length=1, max_length=20)
    costs: list[CashLine] = Field(min_length=1, max_length=20)
    claims: list[Claim] = Field(default_factory=list, max_length=20)
    classic: list[ClassicExample] = Field(default_factory=list, max_length=10)
    shared_outcomes: list[SharedOutcome] = Field(default_factory=list, max_length=10)
    simulation: Simulation = Field(default_factory=Simulation,
                                   description="Runs when at least one driver has a range (low and high)")


class StageEmphasis(Strict):
    lead_with: list[Id] = Field(default_factory=list, max_length=10,
                                description="Value prop, use case or stat ids this stage leads with")
    headline: ShortText | None = None


class DeclaredNumber(Strict):
    value: Decimal = Field(description="The number as the free text uses it (30 for a '30-minute session')")
    source: ShortText = Field(description="Where it comes from: an offer, a contract, a published source")


class TeiNote(Strict):
    """An unquantified benefit or a flexibility option (TEI's fourth component): stated with
    evidence, never given a number the model would have to invent."""

    id: Id
    title: Title
    description: LongText
    evidence: list[Id] = Field(min_length=1, max_length=30, description="Quote or case-study ids that show it")


class StudySpec(Strict):
    """A complete ROI study for one client."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="ROI-in-a-Box study spec")

    study: Study
    vendor: Vendor
    use_cases: list[UseCase] = Field(min_length=1, max_length=12)
    value_props: list[ValueProp] = Field(min_length=1, max_length=12)
    quotes: list[Quote] = Field(min_length=1, max_length=60)
    case_studies: list[CaseStudy] = Field(default_factory=list, max_length=12)
    headline_stats: list[HeadlineStat] = Field(default_factory=list, max_length=12)
    roi_model: RoiModel
    stages: dict[Stage, StageEmphasis] = Field(default_factory=dict)
    unquantified_benefits: list[TeiNote] = Field(default_factory=list, max_length=12,
                                                 description="Benefits the evidence shows but the model does not value")
    flexibility: list[TeiNote] = Field(default_factory=list, max_length=12,
                                       description="Options the investment opens for later (future value, not counted)")
    methodology: LongText | None = None
    declared_numbers: list[DeclaredNumber] = Field(
        default_factory=list, max_length=40,
        description="Numbers the free text may use that are neither model figures nor evidence, each with its source")


def json_schema() -> dict[str, object]:
    """The JSON Schema editors use to complete and check specs."""
    schema = StudySpec.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://roi-in-a-box.example/schema/study-spec.json"
    return schema
