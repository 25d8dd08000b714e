"""Layout components: each expands one layout block into neutral tree blocks.

Components read the analysed study (never raw YAML) and attach ``sources`` to every
block that states a figure or a quote, so speaker notes and footnotes can say where
each claim comes from.  One function per component, registered in ``COMPONENTS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any, Literal, cast

from ..model import money as money_format
from ..model.money import apportion
from ..model.roi import RoiModelResult
from ..model.study import FIGURE_UNITS, Stat
from ..spec.rules import quote_is_usable, quote_label
from ..spec.schema import Quote as SpecQuote
from ..text.links import safe_link
from . import tree as t
from .context import LayoutContext
from .layout_file import (
    AccountResultsBlock, AnalystFrameBlock, BlockSpec, AttributionBlock, BulletsBlock, CallToActionBlock, CalloutBlock,
    CaseStudyBlock, ChartBlock, ColumnsBlock, FootnotesBlock, FrameworkBlock, HeadingBlock, LogoBlock,
    MethodologyBlock, MilestonesBlock, ParagraphBlock, QuotesBlock, RoiTableBlock, StatTilesBlock,
    UseCaseCardsBlock, UseCasesNotAdoptedBlock, ValueOverTimeBlock, RealisedTableBlock, ValuePropsBlock, CalculationTableBlock,
    LineResultsBlock, RiskSummaryBlock, TeiNotesBlock,
)
from .quotes import cut_quote, cut_quote_for, rank_quotes
from .stage_text import stage_call_to_action
from .templating import render_text

Builder = Callable[[LayoutContext, Any, str], list[t.Block]]  # each takes its own component spec
Selecting = UseCaseCardsBlock | ValuePropsBlock | CaseStudyBlock | MilestonesBlock | StatTilesBlock | QuotesBlock
COMPONENTS: dict[str, Builder] = {}


def component(name: str) -> Callable[[Builder], Builder]:
    def register(fn: Builder) -> Builder:
        COMPONENTS[name] = fn
        return fn
    return register


def _figures_align(columns: int) -> tuple[t.Align, ...]:
    """A label column, then figures set right."""
    label: tuple[t.Align, ...] = ("left",)
    figures: tuple[t.Align, ...] = ("right",)
    return label + figures * (columns - 1)


def _text(ctx: LayoutContext, source: str | None) -> str:
    return render_text(source or "", ctx.template_context())


def quote_block(ctx: LayoutContext, q: SpecQuote, bid: str, priority: int, max_chars: int,
                claim: str = "") -> t.Quote:
    """A verbatim quote with full attribution; cut only at sentence boundaries, keeping
    the sentences that carry ``claim``'s figures and terms when it proves one."""
    limit = max_chars or ctx.analysis.spec.study.policy.max_quote_chars
    text, cut = cut_quote_for(q.text, limit, claim) if claim else cut_quote(q.text, limit)
    if cut:
        ctx.fitting.append(f"quote '{q.id}' cut at a sentence boundary to {len(text)} characters")
    r = q.reviewer
    who = ", ".join(x for x in (r.name, r.role) if x)
    attribution = " · ".join((who, ctx.t(f"segment.{r.segment}"), r.industry))
    detail = " · ".join((q.platform, ctx.date(q.review_date),
                         ctx.t("stars", n=ctx.figures.number(q.stars, 1 if q.stars % 1 else 0))))
    label = ctx.t(quote_label(q)) if quote_label(q) else ""
    index = next(i for i, sq in enumerate(ctx.analysis.spec.quotes) if sq.id == q.id)
    return t.Quote(id=bid, priority=priority, text=text, attribution=attribution, detail=detail,
                   stars=float(q.stars), label=label, origin=ctx.origin(("quotes", index, "text")),
                   sources=(ctx.t("src.review", platform=q.platform, id=q.review_id, url=q.url,
                                  date=ctx.date(q.review_date)),))


@component("logo")
def logo(ctx: LayoutContext, b: LogoBlock, bid: str) -> list[t.Block]:
    path = ctx.vendor_logo or ctx.brand_logo
    if path is None:
        return []
    return [t.Image(id=bid, priority=b.priority, path=str(path), width_pt=110.0,
                    alt=ctx.analysis.spec.vendor.name)]


@component("heading")
def heading(ctx: LayoutContext, b: HeadingBlock, bid: str) -> list[t.Block]:
    return [t.Heading(id=bid, priority=b.priority, text=_text(ctx, b.text), level=b.level)]


@component("paragraph")
def paragraph(ctx: LayoutContext, b: ParagraphBlock, bid: str) -> list[t.Block]:
    text = _text(ctx, b.text)
    return [t.Paragraph(id=bid, priority=b.priority, runs=(t.Run(text),), style=b.style)] if text else []


@component("bullets")
def bullets(ctx: LayoutContext, b: BulletsBlock, bid: str) -> list[t.Block]:
    items = [x for x in (_text(ctx, i) for i in b.items) if x]
    return [t.Paragraph(id=f"{bid}-{i}", priority=b.priority, runs=(t.Run("• " + x),)) for i, x in enumerate(items)]


@component("callout")
def callout(ctx: LayoutContext, b: CalloutBlock, bid: str) -> list[t.Block]:
    return [t.Callout(id=bid, priority=b.priority, title=_text(ctx, b.title), text=_text(ctx, b.text))]


@component("footnotes")
def footnotes(ctx: LayoutContext, b: FootnotesBlock, bid: str) -> list[t.Block]:
    return [t.Footnotes(id=bid, priority=b.priority, items=tuple(_text(ctx, i) for i in b.items))]


@component("call_to_action")
def call_to_action(ctx: LayoutContext, b: CallToActionBlock, bid: str) -> list[t.Block]:
    """The stage's own next step (``layouts/stages.yaml``); pre-sale documents use the
    study's offer when the spec states one."""
    s = ctx.analysis.spec.study
    link = safe_link(s.contact)
    link_text = link.removeprefix("mailto:") if link else ""
    title = _text(ctx, b.title)
    if not title:
        own = s.call_to_action if ctx.stage == "pre_sale" else None
        title = own or render_text(stage_call_to_action(ctx.stage, ctx.lang), ctx.template_context())
    return [t.Callout(id=bid, priority=b.priority, title=title, text=_text(ctx, b.text), link=link,
                      link_text=link_text)]


@component("analyst_frame")
def analyst_frame(ctx: LayoutContext, b: AnalystFrameBlock, bid: str) -> list[t.Block]:
    """Who stands behind the study, on the first page: the publisher's mark, the analysts,
    the publication date, the review count with its as-of date, and the disclosure of who
    commissioned the study and what evidence the vendor supplied."""
    a, f = ctx.analysis, ctx.figures
    s, v = a.spec.study, a.spec.vendor
    facts = []
    if s.analysts:
        facts.append(f"{ctx.t('analysts')}: {', '.join(s.analysts)}")
    facts.append(f"{ctx.t('published')} {ctx.date(s.published)}")
    facts.append(ctx.t("verified_reviews", n=f.number(Decimal(v.review_count), 0), platform=v.review_platform,
                       date=ctx.date(v.reviews_as_of or s.as_of)))
    disclosure = []
    if s.commissioned_by:
        disclosure.append(ctx.t("commissioned", who=s.commissioned_by))
    disclosure.append(ctx.t("vendor_supplied", vendor=v.name, items="; ".join(s.vendor_supplied))
                      if s.vendor_supplied else ctx.t("vendor_supplied_none", vendor=v.name))
    disclosure.append(ctx.t("reviews_read", publisher=s.publisher, platform=v.review_platform))
    runs = (t.Run(s.publisher, bold=True), t.Run("  ·  " + " · ".join(facts) + ". "), t.Run(" ".join(disclosure)))
    return [t.Paragraph(id=bid, priority=b.priority, runs=runs, style="small", notes=("reviews",),
                        sources=(ctx.t("src.study", id=s.id, vendor=v.name, platform=v.review_platform,
                                       n=f.number(Decimal(v.review_count), 0)),))]


@component("stat_tiles")
def stat_tiles(ctx: LayoutContext, b: StatTilesBlock, bid: str) -> list[t.Block]:
    a = ctx.analysis
    own = _account_result(ctx, b)
    if own is not None:  # the account's realised figures, on the study's definitions
        stats = _model_stats(ctx, own)
    else:
        stats = _ordered(ctx, list(a.stats or _model_stats(ctx, a.result)), b)  # layout's select, else emphasis first
    if not b.select and b.match_account and ctx.account is not None:
        stats.sort(key=lambda st: _stat_match(ctx, st))
    tiles, sources = [], []
    for st in stats[: b.limit]:
        definition, note = "", ""
        if st.source.startswith("model:"):
            r = a.result
            definition = ctx.t(f"short.{st.source[6:]}", years=ctx.figures.number(Decimal(r.horizon_years), 0),
                               rate=ctx.figures.percent(r.discount_rate * 100))
            note = "payback" if st.source == "model:payback_months" else "model"
            sources.append(f"{st.label}: " + (ctx.t("src.model", definition=definition) if own is None else ctx.t(
                "src.account_model", id=ctx.account.id if ctx.account else "", definition=definition)))
        else:
            definition = _evidence_line(ctx, st.source)
            ref = st.source.removeprefix("evidence:")
            sources.append(f"{st.label}: " + (ctx.t("src.evidence", ids=ref) if ref != st.source else st.source))
        value = (ctx.t("beyond_horizon") if st.value is None
                 else ctx.figures.payback(st.value) or "" if st.source == "model:payback_months"
                 else ctx.figures.value(st.value, st.unit))
        tiles.append(t.StatTile(value, st.label, definition, note))
    return [t.StatTiles(id=bid, priority=b.priority, tiles=tuple(tiles), sources=tuple(sources))] if tiles else []


def _evidence_line(ctx: LayoutContext, source: str) -> str:
    """The source line of a figure from the evidence: the case studies it comes from by
    name, else the verified reviews."""
    cases = {c.id: c for c in ctx.analysis.spec.case_studies}
    ids = source.removeprefix("evidence:").split(",")
    names = [cases[i].customer for i in ids if i in cases]
    if names:
        return ctx.t("case_source", items="; ".join(names))
    return ctx.t("review_source", platform=ctx.analysis.spec.vendor.review_platform)


def _model_stats(ctx: LayoutContext, r: RoiModelResult) -> list[Stat]:
    """Headline figures straight from a model result: the study's, for a spec that names
    none (a document about ROI never goes without its ROI), or an account's own."""
    return [Stat(f"model-{f}", ctx.t(f), getattr(r, f), FIGURE_UNITS[f], f"model:{f}", r.definitions.get(f, ""))
            for f in ("roi_pct", "payback_months", "npv")]


def _account_result(ctx: LayoutContext, b: StatTilesBlock | ChartBlock) -> RoiModelResult | None:
    """The account's realised result when the block asks for it and the account has metrics."""
    if b.figures == "account" and ctx.account_result is not None:
        return ctx.account_result.result
    return None


def _stat_match(ctx: LayoutContext, st) -> int:  # type: ignore[no-untyped-def]
    """0: evidence from a case study in the account's industry, 1: its segment, 2: model
    figures (true for everyone), 3: evidence from other customers."""
    if not st.source.startswith("evidence:"):
        return 2
    acc = ctx.account
    cases = {c.id: c for c in ctx.analysis.spec.case_studies}
    found = [cases[i] for i in st.source[9:].split(",") if i in cases]
    if acc and acc.industry and any((c.industry or "").casefold() == acc.industry.casefold() for c in found):
        return 0
    if acc and acc.segment and any(c.segment == acc.segment for c in found):
        return 1
    return 3


@component("use_case_cards")
def use_case_cards(ctx: LayoutContext, b: UseCaseCardsBlock, bid: str) -> list[t.Block]:
    ucs = _ordered(ctx, list(ctx.analysis.spec.use_cases), b)
    cards = tuple(t.Card(u.title, "" if b.brief else u.description, u.roi_type, ctx.t(u.roi_type))
                  for u in ucs[: b.limit])
    blocks: list[t.Block] = []
    if b.title:
        blocks.append(t.Heading(id=f"{bid}-h", priority=b.priority, text=_text(ctx, b.title), level=2))
    blocks.append(t.Cards(id=bid, priority=b.priority, cards=cards, sources=tuple(ctx.t("src.use_case", id=u.id) for u in ucs[: b.limit])))
    return blocks


def _ordered(ctx: LayoutContext, items: list, b: Selecting) -> list:  # type: ignore[type-arg]
    """Items in the layout's ``select`` order, else the stage's emphasis first."""
    by_id = {i.id: i for i in items}
    if b.select:
        return [by_id[i] for i in b.select if i in by_id]
    emphasis = ctx.analysis.spec.stages.get(ctx.stage)  # type: ignore[call-overload]
    lead = [by_id[i] for i in (emphasis.lead_with if emphasis else []) if i in by_id]
    return lead + [i for i in items if i not in lead]


@component("value_props")
def value_props(ctx: LayoutContext, b: ValuePropsBlock, bid: str) -> list[t.Block]:
    """Each value prop: its claim, then its best verified quote with full attribution."""
    a = ctx.analysis
    cov = {c.value_prop: c for c in a.coverage}
    groups: list[list[t.Block]] = []
    seg = ctx.account.segment if ctx.account and b.match_account else None
    ind = ctx.account.industry if ctx.account and b.match_account else None
    for i, vp in enumerate(_ordered(ctx, list(a.spec.value_props), b)[: b.limit]):
        blocks: list[t.Block] = []
        candidates = [a.quote(q) for q in cov[vp.id].usable_quotes]
        ranked = rank_quotes(a.spec, candidates, seg, ind)
        badge = ctx.t(vp.roi_type)
        prio = b.priority + (1 if i >= 2 and b.priority else 0)
        sources = (ctx.t("src.value_prop", id=vp.id, ids=", ".join(vp.evidence)),)
        origin = ctx.origin(("value_props", a.spec.value_props.index(vp)))
        if ranked:  # one block: the claim never parts from the quote that proves it
            q = quote_block(ctx, ranked[0], f"{bid}-{vp.id}", prio, b.max_chars, claim=vp.claim)
            blocks.append(replace(q, heading=vp.title, claim=vp.claim, roi_type=vp.roi_type, badge=badge,
                                  sources=sources + q.sources))
        else:  # proven through a case study only: the claim, with its pill, stands alone
            blocks.append(t.Quote(id=f"{bid}-{vp.id}", priority=prio, heading=vp.title, claim=vp.claim,
                                  roi_type=vp.roi_type, badge=badge, sources=sources, origin=origin))
        groups.append(blocks)
    if b.grid and groups:  # rows of up to per_row cards
        per_row = min(len(groups), b.per_row)
        return [t.Columns(id=bid if not i else f"{bid}-r{i // per_row}", priority=b.priority,
                          columns=tuple(tuple(g) for g in groups[i:i + per_row]),
                          weights=tuple(1.0 for _ in groups[i:i + per_row]))
                for i in range(0, len(groups), per_row)]
    return [blk for g in groups for blk in g]


@component("quotes")
def quotes(ctx: LayoutContext, b: QuotesBlock, bid: str) -> list[t.Block]:
    a = ctx.analysis
    known = {q.id: q for q in a.spec.quotes}
    pool = [known[i] for i in b.select if i in known] if b.select else list(a.spec.quotes)
    seg = ctx.account.segment if ctx.account and b.match_account else None
    ind = ctx.account.industry if ctx.account and b.match_account else None
    ranked = rank_quotes(a.spec, pool, seg, ind)
    if not b.select and not (seg or ind):  # the stage's emphasised quotes lead (the account's own match wins)
        emphasis = a.spec.stages.get(ctx.stage)  # type: ignore[call-overload]
        lead = set(emphasis.lead_with) if emphasis else set()
        ranked.sort(key=lambda q: q.id not in lead)
    ranked = ranked[: b.limit]
    return [quote_block(ctx, q, f"{bid}-{q.id}", b.priority + (1 if i else 0), b.max_chars)
            for i, q in enumerate(ranked)]


@component("framework")
def framework(ctx: LayoutContext, b: FrameworkBlock, bid: str) -> list[t.Block]:
    a = ctx.analysis
    caption = f"{ctx.t('zone_now')}: {ctx.t(a.zone)}" if a.zone and b.caption else ""
    if a.next_steps and b.caption:
        caption += f" · {ctx.t('next_step')}: " + " / ".join(ctx.t(s) for s in a.next_steps)
    return [t.FrameworkGraphic(id=bid, priority=b.priority,
                               type_labels=tuple((rt, ctx.t(rt)) for rt in t.ROI_TYPES),
                               zone_labels=tuple((z, ctx.t(z)) for z in ("winning", "competitive", "instability")),
                               evidenced=cast(tuple[t.RoiType, ...], a.evidenced_types), zone=a.zone or "",
                               next_steps=cast(tuple[t.RoiType, ...], a.next_steps),
                               caption=caption, legend=(ctx.t("evidenced"), ctx.t("next_step")),
                               evidence=tuple((rt, " · ".join(vp.title for vp in a.spec.value_props if vp.roi_type == rt))
                                              for rt in t.ROI_TYPES
                                              if any(vp.roi_type == rt for vp in a.spec.value_props)),
                               sources=(ctx.t("src.framework"),))]


def _definition(ctx: LayoutContext, figure: str) -> str:
    """What a model figure means, in the document's language (the tiles' short definition)."""
    r = ctx.analysis.result
    return ctx.t(f"short.{figure}", years=ctx.figures.number(Decimal(r.horizon_years), 0),
                 rate=ctx.figures.percent(r.discount_rate * 100))


def _model_sources(ctx: LayoutContext) -> tuple[str, ...]:
    m = ctx.analysis.spec.roi_model
    return tuple(ctx.t("src.line", id=ln.id, label=ln.label, ids=", ".join(ln.evidence) or ctx.t("src.spec"))
                 for ln in (*m.benefits, *m.costs))


@component("roi_table")
def roi_table(ctx: LayoutContext, b: RoiTableBlock, bid: str) -> list[t.Block]:
    r, f = ctx.analysis.result, ctx.figures
    n = r.horizon_years
    header = ("", ctx.t("initial"), *(ctx.t("year", n=f.number(Decimal(y), 0)) for y in range(1, n + 1)),
              ctx.t("total"), ctx.t("present_value"))

    def money(v: Decimal) -> str:
        return f.money(v, compact=not b.full_amounts)

    def row(label: str, initial: Decimal, yearly: tuple[Decimal, ...], total: Decimal, pv: Decimal) -> tuple[str, ...]:
        return (label, money(initial), *(money(v) for v in yearly), money(total), money(pv))

    rows = [row(ln.label, ln.initial, ln.yearly, ln.total, ln.pv) for ln in r.benefits]
    rows.append(row(ctx.t("benefits"), r.years[0].benefits, tuple(y.benefits for y in r.years[1:]),
                    r.total_benefits, r.pv_benefits))
    rows += [row(ln.label, ln.initial, ln.yearly, ln.total, ln.pv) for ln in r.costs]
    rows.append(row(ctx.t("costs"), r.years[0].costs, tuple(y.costs for y in r.years[1:]), r.total_costs, r.pv_costs))
    rows.append(row(ctx.t("net"), r.years[0].net, tuple(y.net for y in r.years[1:]),
                    r.total_benefits - r.total_costs, r.npv))
    emph = (len(r.benefits), len(r.benefits) + len(r.costs) + 1, len(rows) - 1)
    caption = (f"{ctx.t('roi_pct')} {f.percent(r.roi_pct)} · {ctx.t('npv')} {f.money(r.npv)} · "
               f"{ctx.t('payback_months')} {f.payback(r.payback_months) or ctx.t('beyond_horizon')}")
    blocks: list[t.Block] = []
    if b.title:
        blocks.append(t.Heading(id=f"{bid}-h", priority=b.priority, text=_text(ctx, b.title), level=b.level))
    blocks.append(t.Table(id=bid, priority=b.priority, header=header, rows=tuple(rows),
                          align=_figures_align(len(header)), caption=caption,
                          emphasis_rows=emph, sources=_model_sources(ctx), notes=("model",)))
    return blocks


@component("calculation_table")
def calculation_table(ctx: LayoutContext, b: CalculationTableBlock, bid: str) -> list[t.Block]:
    """TEI-style calculation table per driver-based line: input rows A1…An with their
    sources and yearly values, the formula's result, the risk adjustment and the
    risk-adjusted result, in full currency units (a reader can redo every product)."""
    a, f = ctx.analysis, ctx.figures
    r = a.result
    lines = {ln.id: (ln, kind) for kind, group in (("benefit", r.benefits), ("cost", r.costs)) for ln in group}
    risk = {ln.id: ln.risk for ln in (*a.spec.roi_model.benefits, *a.spec.roi_model.costs)}
    wanted = [i for i in (b.select or list(a.calculations)) if i in a.calculations][: b.limit]
    if not wanted:
        return _nothing_to_show(ctx, b)
    n = r.horizon_years
    header = (ctx.t("ref"), ctx.t("metric"), ctx.t("source"), *(ctx.t("year", n=f.number(Decimal(y), 0))
                                                                 for y in range(1, n + 1)))
    blocks: list[t.Block] = []
    if b.title:
        blocks.append(t.Heading(id=f"{bid}-h", priority=b.priority, text=_text(ctx, b.title), level=b.level))
    for line_id in wanted:
        calc, (res, kind) = a.calculations[line_id], lines[line_id]
        rows = [(row.ref, row.label, row.source, *(_driver_value(ctx, v, row.unit) for v in row.shown))
                for row in calc.rows]
        rows.append((f"{calc.letter}t", res.label, calc.formula, *(f.money(v, compact=False) for v in calc.amounts)))
        arrow = "↓" if kind == "benefit" else "↑"
        rows.append(("", ctx.t("risk_adjustment"), f"{arrow}{f.percent(risk[line_id] * 100)}", *("",) * n))
        rows.append((f"{calc.letter}tr", ctx.t("risk_adjusted", label=res.label), "",
                     *(f.money(v, compact=False) for v in res.yearly)))
        caption = ctx.t("calc_note", years=f.number(Decimal(n), 0), total=f.money(res.total, compact=False),
                        pv=f.money(res.pv, compact=False), rate=f.percent(r.discount_rate * 100))
        sources = tuple(ctx.t("src.with_evidence", text=f"{row.ref} {row.label}: {row.source}", ids=", ".join(row.evidence))
                        if row.evidence else f"{row.ref} {row.label}: {row.source}" for row in calc.rows)
        blocks.append(t.Table(id=f"{bid}-{line_id}", priority=b.priority, header=header, rows=tuple(rows),
                              align=cast("tuple[Literal['left', 'right', 'center'], ...]", ("left", "left", "left") + ("right",) * n), caption=caption,
                              emphasis_rows=(len(rows) - 3, len(rows) - 1),
                              sources=(*sources, f"{line_id}: " + ctx.t("src.model", definition=_definition(ctx, "pv_benefits")))))
    return blocks


def _driver_value(ctx: LayoutContext, v: Decimal, unit: str) -> str:
    """A driver value as entered: percent with its own decimals, money in full, else a number."""
    f = ctx.figures
    decimals = max(0, -v.normalize().as_tuple().exponent)  # type: ignore[operator]
    if unit in ("percent", "%"):
        return money_format.format_percent(v, ctx.lang, f.native_digits, decimals=decimals)
    if unit == ctx.analysis.spec.study.currency:
        return money_format.format_money(v, f.currency, f.locale, native_digits=f.native_digits, decimals=decimals)
    return f.number(v, decimals)


@component("line_results")
def line_results(ctx: LayoutContext, b: LineResultsBlock, bid: str) -> list[t.Block]:
    """Each line's total and PV before and after its risk adjustment, side by side, with
    benefit and cost totals: how much the haircuts take off."""
    r, f = ctx.analysis.result, ctx.figures

    def money(v: Decimal) -> str:
        return f.money(v, compact=not b.full_amounts)

    rows: list[tuple[str, ...]] = []
    emph: list[int] = []
    for group, label in ((r.benefits, ctx.t("benefits")), (r.costs, ctx.t("costs"))):
        for ln in group:
            rows.append((ln.label, f.percent(ln.risk * 100), money(ln.unadjusted_total), money(ln.unadjusted_pv),
                         money(ln.total), money(ln.pv)))
        emph.append(len(rows))
        rows.append((label, "", money(sum((ln.unadjusted_total for ln in group), Decimal(0))),
                     money(sum((ln.unadjusted_pv for ln in group), Decimal(0))),
                     money(sum((ln.total for ln in group), Decimal(0))), money(sum((ln.pv for ln in group), Decimal(0)))))
    header = ("", ctx.t("risk"), ctx.t("unadjusted_total"), ctx.t("unadjusted_pv"), ctx.t("adjusted_total"),
              ctx.t("adjusted_pv"))
    blocks: list[t.Block] = []
    if b.title:
        blocks.append(t.Heading(id=f"{bid}-h", priority=b.priority, text=_text(ctx, b.title), level=b.level))
    blocks.append(t.Table(id=bid, priority=b.priority, header=header, rows=tuple(rows),
                          align=("left",) + ("right",) * 5, emphasis_rows=tuple(emph),
                          caption=ctx.t("model_note", rate=f.percent(r.discount_rate * 100)),
                          sources=_model_sources(ctx)))
    return blocks


@component("tei_notes")
def tei_notes(ctx: LayoutContext, b: TeiNotesBlock, bid: str) -> list[t.Block]:
    """Unquantified benefits and flexibility (``select``: either section), each with its
    evidence and its best usable quote, stated as outside the model's figures."""
    a = ctx.analysis
    usable = {q.id for q in a.spec.quotes if quote_is_usable(q, a.spec)}
    cases = {c.id: c for c in a.spec.case_studies}
    blocks: list[t.Block] = []
    for key in b.select or ["unquantified_benefits", "flexibility"]:
        notes = getattr(a.spec, key, None) or []
        if not notes:
            continue
        blocks.append(t.Heading(id=f"{bid}-{key}", priority=b.priority, text=ctx.t(key), level=b.level))
        blocks.append(t.Paragraph(id=f"{bid}-{key}-n", priority=b.priority, runs=(t.Run(ctx.t("tei_note"), italic=True),),
                                  style="small"))
        for note in notes[: b.limit]:
            blocks.append(t.Paragraph(id=f"{bid}-{note.id}", priority=b.priority,
                                      runs=(t.Run(note.title, bold=True), t.Run("  " + note.description)),
                                      sources=(f"{ctx.t(key)} {note.id}: " + ctx.t("src.evidence", ids=", ".join(note.evidence)),)))
            refs = [r for e in note.evidence for r in ([e] if e not in cases else cases[e].evidence)]
            ranked = rank_quotes(a.spec, [a.quote(r) for r in dict.fromkeys(refs) if r in usable], None, None)
            if ranked and not b.brief:
                blocks.append(quote_block(ctx, ranked[0], f"{bid}-{note.id}-q", b.priority, b.max_chars))
    return blocks  # nothing to show: the study states neither section


@component("risk_summary")
def risk_summary(ctx: LayoutContext, b: RiskSummaryBlock, bid: str) -> list[t.Block]:
    """Monte Carlo p10 / p50 / p90 of ROI, NPV and payback, P(ROI > 0), and the assumptions."""
    risk, f = ctx.analysis.risk, ctx.figures
    if risk is None:
        return _nothing_to_show(ctx, b)
    mc = risk.monte_carlo

    def row(label: str, p, show) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
        return (label, *(ctx.t("beyond_horizon") if v is None else show(v) for v in (p.p10, p.p50, p.p90)))

    rows = (row(ctx.t("roi_pct"), mc.roi_pct, f.percent), row(ctx.t("npv"), mc.npv, f.money),
            row(ctx.t("payback_months"), mc.payback_months, lambda v: f.payback(v) or ""),
            (ctx.t("p_roi_positive"), "", f.percent(mc.p_roi_positive * 100), ""))
    seed = money_format.to_native_digits(str(mc.seed), ctx.lang) if f.native_digits else str(mc.seed)
    caption = ctx.t("mc_note", iterations=f.number(Decimal(mc.iterations), 0), seed=seed,
                    inputs=", ".join(mc.inputs))
    blocks: list[t.Block] = []
    if b.title:
        blocks.append(t.Heading(id=f"{bid}-h", priority=b.priority, text=_text(ctx, b.title), level=b.level))
    blocks.append(t.Table(id=bid, priority=b.priority, header=("", ctx.t("p10"), ctx.t("p50"), ctx.t("p90")),
                          rows=rows, align=("left", "right", "right", "right"), caption=caption,
                          sources=(ctx.t("src.monte_carlo", iterations=ctx.figures.number(Decimal(mc.iterations), 0),
                                         seed=money_format.to_native_digits(str(mc.seed), ctx.lang)
                                         if ctx.figures.native_digits else mc.seed,
                                         distribution=ctx.t(f"dist.{mc.distribution}")),)))
    return blocks


@component("chart")
def chart(ctx: LayoutContext, b: ChartBlock, bid: str) -> list[t.Block]:
    f = ctx.figures
    own = _account_result(ctx, b)
    r = own or ctx.analysis.result
    sources = _model_sources(ctx) if own is None else (
        ctx.t("src.account_own", id=ctx.account.id if ctx.account else ""),)
    n = r.horizon_years
    title = _text(ctx, b.title)
    if b.kind == "bar":
        cats = (ctx.t("initial"), *(ctx.t("year", n=f.number(Decimal(y), 0)) for y in range(1, n + 1)))
        ben = tuple(y.benefits for y in r.years)
        cost = tuple(y.costs for y in r.years)
        block = t.Chart(id=bid, priority=b.priority, kind="bar", title=title, categories=cats,
                        series=(t.Series(ctx.t("benefits"), tuple(float(v) for v in ben)),
                                t.Series(ctx.t("costs"), tuple(float(v) for v in cost))),
                        value_labels=(tuple(f.money(v) for v in ben), tuple(f.money(v) for v in cost)),
                        axis_label=ctx.analysis.spec.study.currency, sources=sources, notes=("model",))
    elif b.kind == "waterfall":
        cats = (*(ln.label for ln in r.benefits), *(ln.label for ln in r.costs), ctx.t("npv"))
        vals = (*(ln.pv for ln in r.benefits), *(-ln.pv for ln in r.costs), r.npv)
        block = t.Chart(id=bid, priority=b.priority, kind="waterfall", title=title, categories=cats,
                        series=(t.Series(ctx.t("present_value"), tuple(float(v) for v in vals)),),
                        value_labels=(tuple(f.money(v) for v in vals),), axis_label=ctx.analysis.spec.study.currency,
                        sources=sources, notes=("model",))
    elif b.kind == "sensitivity":
        risk = ctx.analysis.risk
        if risk is None or own is not None:
            return _nothing_to_show(ctx, b)
        swings = risk.sensitivity[: b.limit]
        lows, highs = tuple(s.npv_low for s in swings), tuple(s.npv_high for s in swings)
        block = t.Chart(id=bid, priority=b.priority, kind="bar", title=title,
                        categories=tuple(f"{s.ref} {s.label}" for s in swings),
                        series=(t.Series(ctx.t("at_low"), tuple(float(v) for v in lows)),
                                t.Series(ctx.t("at_high"), tuple(float(v) for v in highs))),
                        value_labels=(tuple(f.money(v) for v in lows), tuple(f.money(v) for v in highs)),
                        axis_label=ctx.analysis.spec.study.currency,
                        caption=ctx.t("sens_note", npv=f.money(risk.base_npv)),
                        sources=tuple(ctx.t("src.range", ref=s.ref, label=s.label, low=f.number(s.low), high=f.number(s.high))
                                      for s in swings))
    else:
        reported = ctx.account_result.months_reported if own is not None and ctx.account_result else None
        points = [p for p in r.monthly_cumulative() if p[0] % 3 == 0 and (reported is None or p[0] <= reported)]
        block = t.Chart(id=bid, priority=b.priority, kind="payback", title=title,
                        categories=tuple(f.number(Decimal(m), 0) for m, _ in points),
                        series=(t.Series(ctx.t("cumulative"), tuple(float(v) for _, v in points)),),
                        value_labels=(tuple(f.money(v) for _, v in points),), axis_label=ctx.t("months"),
                        notes=("payback",),
                        marker=float(r.payback_months) if r.payback_months is not None else None,
                        marker_label=(f"{ctx.t('payback_months')} · {f.payback(r.payback_months)}"
                                      if r.payback_months is not None else ""),
                        sources=sources)
    return [block]


@component("methodology")
def methodology(ctx: LayoutContext, b: MethodologyBlock, bid: str) -> list[t.Block]:
    """The study's method in prose, then the numbered notes the document's figures cite
    (only the cited ones are printed: see layout/notes.py)."""
    a, f = ctx.analysis, ctx.figures
    s = a.spec
    date_text = ctx.date(s.vendor.reviews_as_of or s.study.as_of)
    prose = [s.methodology] if s.methodology and not b.brief else []
    if ctx.brand_legal:
        prose.append(ctx.brand_legal)
    prose += [x for x in (_text(ctx, i) for i in b.items) if x]
    notes = [("reviews", ctx.t("verified_reviews", n=f.number(Decimal(s.vendor.review_count), 0),
                               platform=s.vendor.review_platform, date=date_text)),
             ("model", ctx.t("model_note", rate=f.percent(a.result.discount_rate * 100))),
             ("payback", ctx.t("payback_note"))]
    for so, _ats in a.attributions:
        notes.append((f"so:{so.id}", f"{so.label}: " + ctx.t("attribution", method=ctx.t(f"method.{so.method}"))))
    blocks: list[t.Block] = []
    if prose:
        blocks.append(t.Paragraph(id=f"{bid}-text", priority=b.priority, runs=(t.Run(" ".join(prose)),), style="small"))
    blocks.append(t.Footnotes(id=bid, priority=b.priority, items=tuple(n for _, n in notes),
                              keys=tuple(k for k, _ in notes),
                              sources=(ctx.t("src.review_count", platform=s.vendor.review_platform,
                                             n=ctx.figures.number(Decimal(s.vendor.review_count), 0)),)))
    return blocks


@component("case_study")
def case_study(ctx: LayoutContext, b: CaseStudyBlock, bid: str) -> list[t.Block]:
    chosen = _ordered(ctx, list(ctx.analysis.spec.case_studies), b)[: b.limit]
    blocks: list[t.Block] = []
    for c in chosen:
        blocks.append(t.Heading(id=f"{bid}-{c.id}", priority=b.priority, text=c.title, level=b.level))
        blocks.append(t.Paragraph(id=f"{bid}-{c.id}-s", priority=b.priority, runs=(t.Run(c.summary),),
                                  sources=(ctx.t("src.case_study", id=c.id) + (f" ({c.url})" if c.url else ""),)))
        for part in ("challenge", "solution", "results"):
            text = getattr(c, part)
            if text:
                blocks.append(t.Heading(id=f"{bid}-{c.id}-{part}-h", priority=b.priority, text=ctx.t(part),
                                        level=min(b.level + 1, 3)))
                blocks.append(t.Paragraph(id=f"{bid}-{c.id}-{part}", priority=b.priority, runs=(t.Run(text),)))
        if c.metrics:
            blocks.append(t.StatTiles(id=f"{bid}-{c.id}-m", priority=b.priority + 1, tiles=tuple(
                t.StatTile(ctx.figures.value(m.value, m.unit), m.label) for m in c.metrics[:4]),
                sources=(ctx.t("src.case_metrics", id=c.id),)))
    return blocks


@component("attribution")
def attribution(ctx: LayoutContext, b: AttributionBlock, bid: str) -> list[t.Block]:
    f = ctx.figures
    blocks: list[t.Block] = []
    if not ctx.analysis.attributions:
        return _nothing_to_show(ctx, b)
    if b.title:
        blocks.append(t.Heading(id=f"{bid}-h", priority=b.priority, text=_text(ctx, b.title), level=b.level))
    for so, ats in ctx.analysis.attributions[: b.limit]:
        # Whole units and whole percents, largest-remainder rounded: the rows add up to the caption.
        amounts = apportion([at.amount for at in ats], Decimal(1))
        shares = apportion([at.share * 100 for at in ats], Decimal(1))
        rows = tuple((at.name, f.percent(share), f.money(amount, compact=False),
                      "—" if at.modelled_roi_pct is None else f.percent(at.modelled_roi_pct))
                     for at, share, amount in zip(ats, shares, amounts))
        blocks.append(t.Table(id=f"{bid}-{so.id}", priority=b.priority,
                              header=(ctx.t("contributor"), ctx.t("share"), ctx.t("attributed"), ctx.t("modelled_roi")),
                              rows=rows, align=("left", "right", "right", "right"),
                              caption=f"{so.label} ({f.money(so.outcome, compact=False)})", notes=(f"so:{so.id}",),
                              sources=(ctx.t("src.shared_outcome", id=so.id, label=ats[0].label),)))
    return blocks


@component("account_results")
def account_results(ctx: LayoutContext, b: AccountResultsBlock, bid: str) -> list[t.Block]:
    """The account's realised ROI beside the study benchmark (benchmark alone without data)."""
    r, f = ctx.analysis.result, ctx.figures
    bench = (f.percent(r.roi_pct), f.money(r.npv), f.payback(r.payback_months) or ctx.t("beyond_horizon"))
    header: tuple[str, ...] = ("", ctx.t("benchmark"))
    rows: list[tuple[str, ...]] = [(ctx.t("roi_pct"), bench[0]), (ctx.t("npv"), bench[1]),
                                   (ctx.t("payback_months"), bench[2])]
    sources = [ctx.t("src.benchmark_model")]
    if ctx.account_result is not None:
        ar = ctx.account_result.result
        mine = (f.percent(ar.roi_pct), f.money(ar.npv), f.payback(ar.payback_months) or ctx.t("beyond_horizon"))
        header = ("", ctx.t("your_results_to_date" if ctx.account_result.periods else "your_results"),
                  ctx.t("benchmark"))
        rows = [(label, m, bmk) for (label, bmk), m in zip(rows, mine)]
        sources.append(ctx.t("src.account_metrics", id=ctx.account.id if ctx.account else ""))
    return [t.Table(id=bid, priority=b.priority, header=header, rows=tuple(rows),
                    align=_figures_align(len(header)), notes=("model",),
                    sources=tuple(sources))]


@component("value_over_time")
def value_over_time(ctx: LayoutContext, b: ValueOverTimeBlock, bid: str) -> list[t.Block]:
    """The account's net value per period beside the study benchmark's, as a chart: per
    reported quarter or year for an account with actuals, per model year for a run-rate
    account; without account data, a plain sentence saying there is no realised data yet
    and the benchmark's own net per year, titled as the benchmark (never passed off as the
    account's)."""
    f = ctx.figures
    if ctx.account_result is None:
        bench = ctx.analysis.result
        cats = (ctx.t("initial"), *(ctx.t("year", n=f.number(Decimal(y), 0)) for y in range(1, bench.horizon_years + 1)))
        nets = tuple(y.net for y in bench.years)
        return [_no_realised(ctx, f"{bid}-none", b.priority),
                t.Chart(id=bid, priority=b.priority + 6, kind="bar", title=ctx.t("benchmark_net"), categories=cats,
                        series=(t.Series(ctx.t("benchmark"), tuple(float(v) for v in nets)),),
                        value_labels=(tuple(f.money(v) for v in nets),), axis_label=ctx.analysis.spec.study.currency,
                        notes=("model",), sources=_model_sources(ctx))]
    cats, mine, theirs = _over_time(ctx)
    return [t.Chart(id=bid, priority=b.priority, kind="bar", title=_text(ctx, b.title), categories=cats,
                    series=(t.Series(ctx.t("your_results"), tuple(float(v) for v in mine)),
                            t.Series(ctx.t("benchmark"), tuple(float(v) for v in theirs))),
                    value_labels=(tuple(f.money(v) for v in mine), tuple(f.money(v) for v in theirs)),
                    axis_label=ctx.analysis.spec.study.currency, notes=("model",),
                    sources=(ctx.t("src.chart_actuals" if ctx.account_result.periods else "src.chart_own",
                                   id=ctx.account.id if ctx.account else ""),))]


def _no_realised(ctx: LayoutContext, bid: str, priority: int) -> t.Paragraph:
    who = ctx.account.name if ctx.account else ""
    return t.Paragraph(id=bid, priority=priority, style="body",
                       runs=(t.Run(ctx.t("no_realised", account=who) if who else ctx.t("no_realised_study")),))


def _over_time(ctx: LayoutContext) -> tuple[tuple[str, ...], tuple[Decimal, ...], tuple[Decimal, ...]]:
    """Categories, the account's net and the benchmark's net: per reported period with
    actuals, per model year (Initial, Year 1…N) for a run-rate account."""
    assert ctx.account_result is not None
    periods = ctx.account_result.periods
    if periods:
        return (tuple(ctx.period(p.period) for p in periods), tuple(p.net for p in periods),
                tuple(p.benchmark for p in periods))
    f, bench, own = ctx.figures, ctx.analysis.result, ctx.account_result.result
    cats = (ctx.t("initial"), *(ctx.t("year", n=f.number(Decimal(y), 0)) for y in range(1, bench.horizon_years + 1)))
    return cats, tuple(y.net for y in own.years), tuple(y.net for y in bench.years)


@component("realised_table")
def realised_table(ctx: LayoutContext, b: RealisedTableBlock, bid: str) -> list[t.Block]:
    """Realised against the benchmark as a table, one row per period (reported quarter or
    year; model year for a run-rate account; the latest ``limit``) and a total to date
    over every period; without account data,
    the benchmark's own years under the benchmark's name (``value_over_time`` says there
    is no realised data)."""
    f = ctx.figures
    if ctx.account_result is None:
        r = ctx.analysis.result
        cats = (ctx.t("initial"), *(ctx.t("year", n=f.number(Decimal(y), 0)) for y in range(1, r.horizon_years + 1)))
        rows = [(c, f.money(y.benefits), f.money(y.costs), f.money(y.net)) for c, y in zip(cats, r.years)]
        rows.append((ctx.t("total"), f.money(r.total_benefits), f.money(r.total_costs),
                     f.money(r.total_benefits - r.total_costs)))
        keep: tuple[int, ...] = (0, 1, 2, 3) if b.breakdown else (0, 3)
        header = (ctx.t("period"), ctx.t("benefits"), ctx.t("costs"),
                  ctx.t("net_short") if b.breakdown else ctx.t("benchmark"))
        return _titled(ctx, b, bid, t.Table(
            id=bid, priority=b.priority, header=tuple(header[i] for i in keep),
            rows=tuple(tuple(row[i] for i in keep) for row in rows), align=_figures_align(len(keep)),
            caption=ctx.t("benchmark") if b.breakdown else "",
            emphasis_rows=(len(rows) - 1,), notes=("model",), sources=_model_sources(ctx)))
    periods = ctx.account_result.periods
    if periods:
        ben = [p.benefits for p in periods]
        cost = [p.costs for p in periods]
        source = "src.table_actuals"
    else:
        own = ctx.account_result.result
        ben = [y.benefits for y in own.years]
        cost = [y.costs for y in own.years]
        source = "src.table_own"
    cats, net, bench = _over_time(ctx)
    totals = (sum(ben, Decimal(0)), sum(cost, Decimal(0)), sum(net, Decimal(0)), sum(bench, Decimal(0)))
    latest = slice(-b.limit, None)  # the latest periods; the total still covers every one
    cols = (0, 1, 2, 3, 4) if b.breakdown else (0, 3, 4)  # period, [benefits, costs,] net, benchmark
    heads = (ctx.t("period"), ctx.t("benefits"), ctx.t("costs"),
             ctx.t("net_short") if b.breakdown else ctx.t("your_results"), ctx.t("benchmark"))
    table_rows: list[tuple[str, ...]] = [(c, f.money(bn), f.money(co), f.money(n), f.money(bm))
                                         for c, bn, co, n, bm in zip(cats, ben, cost, net, bench)]
    table_rows = table_rows[latest]
    table_rows.append((ctx.t("total_to_date"), *(f.money(v) for v in totals)))
    return _titled(ctx, b, bid, t.Table(
        id=bid, priority=b.priority, header=tuple(heads[i] for i in cols),
        rows=tuple(tuple(row[i] for i in cols) for row in table_rows), align=_figures_align(len(cols)),
        emphasis_rows=(len(table_rows) - 1,), notes=("model",),
        sources=(ctx.t(source, id=ctx.account.id if ctx.account else ""),)))


def _titled(ctx: LayoutContext, b: RealisedTableBlock, bid: str, block: t.Block) -> list[t.Block]:
    head = [t.Heading(id=f"{bid}-h", priority=b.priority, text=_text(ctx, b.title), level=b.level)] if b.title else []
    return [*head, block]


def _nothing_to_show(ctx: LayoutContext, b: AttributionBlock | UseCasesNotAdoptedBlock | ChartBlock
                     | CalculationTableBlock | RiskSummaryBlock) -> list[t.Block]:
    """A titled section whose component found nothing: no blocks, and a note for the manifest."""
    if b.title:
        ctx.note_empty_section(_text(ctx, b.title))
    return []


@component("use_cases_not_adopted")
def use_cases_not_adopted(ctx: LayoutContext, b: UseCasesNotAdoptedBlock, bid: str) -> list[t.Block]:
    adopted = set(ctx.account.adopted_use_cases) if ctx.account else set()
    todo = [u for u in ctx.analysis.spec.use_cases if u.id not in adopted][: b.limit]
    if not todo:
        return _nothing_to_show(ctx, b)
    head = [t.Heading(id=f"{bid}-h", priority=b.priority, text=_text(ctx, b.title), level=b.level)] if b.title else []
    return [*head, t.Cards(id=bid, priority=b.priority,
                           cards=tuple(t.Card(u.title, u.description, u.roi_type, ctx.t(u.roi_type)) for u in todo),
                           sources=tuple(ctx.t("src.use_case", id=u.id) for u in todo))]


@component("milestones")
def milestones(ctx: LayoutContext, b: MilestonesBlock, bid: str) -> list[t.Block]:
    """First milestones for a new account: the stage's leading use cases in 30-day steps,
    then the month similar customers reached payback (from the study's model)."""
    f, r = ctx.figures, ctx.analysis.result
    ucs = _ordered(ctx, list(ctx.analysis.spec.use_cases), b)[: b.limit]
    rows = [(ctx.t("days", a=f.number(Decimal(30 * i + 1), 0), b=f.number(Decimal(30 * (i + 1)), 0)), u.title)
            for i, u in enumerate(ucs)]
    sources = [ctx.t("src.use_case", id=u.id) for u in ucs]
    if r.payback_months is not None:
        month = f.number(r.payback_months.to_integral_value(rounding="ROUND_CEILING"), 0)
        rows.append((ctx.t("month_n", n=month), ctx.t("payback_milestone")))
        sources.append(ctx.t("src.payback", months=f.payback(r.payback_months),
                             definition=_definition(ctx, "payback_months")))
    return [t.Table(id=bid, priority=b.priority, header=(ctx.t("when"), ctx.t("milestone")), rows=tuple(rows),
                    align=("left", "left"), sources=tuple(sources))]


def expand(ctx: LayoutContext, spec: BlockSpec, bid: str) -> list[t.Block]:
    """The tree blocks of one layout block (its own id, else ``bid``)."""
    return COMPONENTS[spec.component](ctx, spec, spec.id or bid)


def expand_all(ctx: LayoutContext, specs: list[BlockSpec], prefix: str) -> tuple[t.Block, ...]:
    return tuple(b for j, spec in enumerate(specs) for b in expand(ctx, spec, f"{prefix}-{j}"))


@component("columns")
def columns(ctx: LayoutContext, b: ColumnsBlock, bid: str) -> list[t.Block]:
    cols = tuple(expand_all(ctx, inner, f"{bid}-{i}") for i, inner in enumerate(b.columns))
    weights = tuple(b.weights) if len(b.weights) == len(cols) else tuple(1.0 for _ in cols)
    return [t.Columns(id=bid, priority=b.priority, columns=cols, weights=weights)]
