"""The layout stage: templates are sandboxed, spec data stays data, quotes stay verbatim."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from roi_in_a_box.brand.kit import load_kit, resolve_kit
from roi_in_a_box.layout import tree as t
from roi_in_a_box.layout.engine import build_document
from roi_in_a_box.layout.quotes import ELLIPSIS, cut_quote, cut_quote_for, sentence_spans, sentences
from roi_in_a_box.layout.templating import SecurityError, render_text
from roi_in_a_box.model.study import load_study
from roi_in_a_box.spec.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
EN = ROOT / "sample_inputs" / "ledgerly_en.yaml"
SAMPLES = [ROOT / "sample_inputs" / n for n in ("ledgerly_en.yaml", "ghatbox_bn.yaml", "shiftsabai_th.yaml")]
LAYOUTS = sorted(p.stem for p in (ROOT / "layouts").glob("*.yaml") if p.stem != "stages")


@pytest.fixture(scope="module")
def brand():  # type: ignore[no-untyped-def]
    return load_kit(resolve_kit(None))


def _spec_copy(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    p = tmp_path / "spec.yaml"
    p.write_text(edit(EN.read_text("utf-8")), "utf-8")
    return p


@pytest.mark.parametrize("spec", SAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_builds_for_every_sample(spec: Path, layout: str, brand) -> None:  # type: ignore[no-untyped-def]
    doc, _ = build_document(load_study(spec), layout, brand)
    assert doc.pages and all(p.blocks for p in doc.pages)
    text = " ".join(t.block_text(b) for p in doc.pages for b in t.iter_blocks(p.blocks))
    assert "{{" not in text and "{%" not in text


def test_spec_text_is_never_compiled_as_a_template(tmp_path: Path, brand) -> None:  # type: ignore[no-untyped-def]
    hostile = '"Totals {{ 7*7 }} {% if 1 %}x{% endif %}"'
    spec = _spec_copy(tmp_path, lambda s: re.sub(r"(\n  title: )[^\n]+", lambda m: m.group(1) + hostile, s, count=1))
    doc, _ = build_document(load_study(spec), "one_pager", brand)
    assert doc.title == "Totals {{ 7*7 }} {% if 1 %}x{% endif %}"


@pytest.mark.parametrize("source", ["{{ 'a' * 10**9 }}", "{{ ''.__class__.__mro__ }}", "{{ 2 ** 100000 }}",
                                    "{{ study.__init__ }}"])
def test_sandbox_blocks_attacks(source: str) -> None:
    with pytest.raises(SecurityError) as info:
        render_text(source, {"study": {"title": "x"}})
    assert type(info.value) is SecurityError
    assert "a" * 100 not in str(info.value)


def test_layout_error_names_file_line_and_field(tmp_path: Path, brand, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad_layout.yaml"
    bad.write_text("name: bad\nformats: [pdf]\npages:\n  - blocks:\n      - {component: heading, text: 'ok'}\n"
                   "      - {component: paragraph, text: '{{ study.nope.deeper }}'}\n", "utf-8")
    with pytest.raises(InputError) as info:
        build_document(load_study(EN), str(bad), brand)
    p = info.value.problems[0]
    assert p.file == str(bad) and p.line == 6 and p.path == "pages[0].blocks[1]" and p.code == "layout-template"


def test_layout_unknown_component_is_located(tmp_path: Path, brand) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad_component.yaml"
    bad.write_text("name: bad\nformats: [pdf]\npages:\n  - blocks:\n      - {component: stat_tile}\n", "utf-8")
    with pytest.raises(InputError) as info:
        build_document(load_study(EN), str(bad), brand)
    p = info.value.problems[0]
    assert p.line == 5 and "stat_tiles" in p.expected


def test_quotes_cut_only_at_sentence_boundaries() -> None:
    text = "We closed in four days. The CFO trusts the numbers now! Audit took a week less."
    cut, was_cut = cut_quote(text, 60)
    assert was_cut and cut == "We closed in four days. The CFO trusts the numbers now! " + ELLIPSIS
    assert cut_quote(text, 500) == (text, False)
    first_only, _ = cut_quote(text, 10)  # never mid-sentence, even when the first is too long
    assert first_only == "We closed in four days. " + ELLIPSIS
    assert sentences("আমরা খুশি। খরচ কমেছে।") == ["আমরা খুশি।", "খরচ কমেছে।"]
    assert sentences("ลดเวลาได้มาก ทีมพอใจ") == ["ลดเวลาได้มาก", "ทีมพอใจ"]


def _is_sentence_cut(shown: str, original: str) -> bool:
    """``shown`` is whole sentences of ``original`` (each kept run verbatim, separators
    included) with an ellipsis wherever sentences were left out."""
    if shown == original:
        return True
    spans = sentence_spans(original)
    starts, ends = {a for a, _ in spans}, {b for _, b in spans}
    runs = [r for r in (p.strip(" ") for p in shown.split(ELLIPSIS)) if r]
    pos = 0
    for r in runs:
        at = original.find(r, pos)
        if at < 0 or at not in starts or at + len(r) not in ends:
            return False
        pos = at + len(r)
    return bool(runs) and ELLIPSIS in shown


def test_quotes_in_documents_are_verbatim_or_sentence_cuts(brand) -> None:  # type: ignore[no-untyped-def]
    for spec in SAMPLES:
        a = load_study(spec)
        originals = [q.text for q in a.spec.quotes]
        for layout in LAYOUTS:
            doc, _ = build_document(a, layout, brand)
            for page in doc.pages:
                for b in t.iter_blocks(page.blocks):
                    if isinstance(b, t.Quote) and b.text:
                        assert any(_is_sentence_cut(b.text, o) for o in originals), b.text


def test_quote_cut_keeps_the_sentences_carrying_the_claim() -> None:
    text = ("Balance sheet reconciliations used to be a box-ticking exercise. With Ledgerly we cleaned up "
            "$210k of stale suspense items in two quarters. The team likes the interface.")
    claim = "reviewers cite single catches worth $38,000 to $210,000."
    cut, was_cut = cut_quote_for(text, 100, claim)
    assert was_cut and "$210k of stale suspense items" in cut  # the figure survives, not the first sentence
    assert cut.startswith(ELLIPSIS) and cut.endswith(ELLIPSIS)
    assert _is_sentence_cut(cut, text)
    assert cut_quote_for(text, 500, claim) == (text, False)
    # Bengali: the danda ends sentences; the sentence with the claim's figure is kept
    bn = "আমরা খুশি। খরচ ১৮% কমেছে। দল ভালো।"
    cut_bn, _ = cut_quote_for(bn, 16, "খরচ ১৮% কম")
    assert "খরচ ১৮% কমেছে।" in cut_bn and _is_sentence_cut(cut_bn, bn)


def test_incentivized_quotes_skipped_unless_allowed_then_labelled(tmp_path: Path, brand) -> None:  # type: ignore[no-untyped-def]
    a = load_study(EN)
    doc, _ = build_document(a, "onboarding_brief", brand)
    quotes = [b for p in doc.pages for b in t.iter_blocks(p.blocks) if isinstance(b, t.Quote)]
    assert quotes and all(not b.label for b in quotes)
    gift = next(q for q in a.spec.quotes if q.incentivized)

    def allow(s: str) -> str:
        s = s.replace("  policy:\n", "  policy:\n    allow_incentivized_quotes: true\n", 1) if "  policy:\n" in s else \
            s.replace("\nvendor:", "\n  policy:\n    allow_incentivized_quotes: true\nvendor:", 1)
        return s
    spec = _spec_copy(tmp_path, allow)
    (tmp_path / "logos").mkdir()
    a2 = load_study(spec)
    assert a2.spec.study.policy.allow_incentivized_quotes
    from roi_in_a_box.layout.context import LayoutContext
    from roi_in_a_box.layout.components import expand
    from roi_in_a_box.layout.layout_file import QuotesBlock

    blocks = expand(LayoutContext(a2), QuotesBlock(component="quotes", select=[gift.id], limit=1), "q")
    assert blocks and blocks[0].label == "Incentivized review"


def test_every_figure_on_a_tile_is_traceable(brand) -> None:  # type: ignore[no-untyped-def]
    a = load_study(EN)
    doc, _ = build_document(a, "one_pager", brand)
    tiles = next(b for p in doc.pages for b in t.iter_blocks(p.blocks) if isinstance(b, t.StatTiles))
    assert len(tiles.sources) == len(tiles.tiles)
    for source in tiles.sources:
        assert "engine ROI model" in source or "evidence cs-" in source


def test_onboarding_stats_and_quotes_match_the_account(brand) -> None:  # type: ignore[no-untyped-def]
    from roi_in_a_box.model.account import Account

    a = load_study(EN)
    health = Account("acct-1", "Clinic Group", "mid_market", "Hospital and Health Care")
    doc, _ = build_document(a, "onboarding_brief", brand, stage="onboarding", account=health)
    blocks = [b for p in doc.pages for b in t.iter_blocks(p.blocks)]
    tiles = next(b for b in blocks if isinstance(b, t.StatTiles))
    assert "cs-cobalt-ridge" in tiles.sources[0]  # the health-care case study's stat leads
    quotes = [b for b in blocks if isinstance(b, t.Quote)]
    assert "Hospital and Health Care" in quotes[0].attribution
    retail = Account("acct-2", "Shop Co", "mid_market", "Retail")
    doc, _ = build_document(a, "onboarding_brief", brand, stage="onboarding", account=retail)
    tiles = next(b for p in doc.pages for b in t.iter_blocks(p.blocks) if isinstance(b, t.StatTiles))
    assert "cs-harborline" in tiles.sources[0]


def test_a_spec_without_headline_stats_still_shows_the_models_roi(brand) -> None:  # type: ignore[no-untyped-def]
    a = load_study(ROOT / "sample_inputs" / "minimal_en.yaml")
    assert not a.spec.headline_stats
    doc, _ = build_document(a, "one_pager", brand)
    tiles = next(b for p in doc.pages for b in t.iter_blocks(p.blocks) if isinstance(b, t.StatTiles))
    assert [tile.label for tile in tiles.tiles] == ["ROI", "Payback", "Net present value"]
    from roi_in_a_box.model.figures import Figures

    assert tiles.tiles[0].value == Figures(a.spec.study.language, a.spec.study.currency).percent(a.result.roi_pct)
    assert all("engine ROI model" in s for s in tiles.sources)


def test_stage_lead_with_puts_a_case_study_first(tmp_path: Path, brand) -> None:  # type: ignore[no-untyped-def]
    a = load_study(EN)
    ids = [c.id for c in a.spec.case_studies]
    assert len(ids) >= 2
    assert ids[0] == "cs-harborline"  # the sample's pre-sale stage leads with it; lead with the last instead
    spec = _spec_copy(tmp_path, lambda s: s.replace("lead_with: [stat-roi, vp-close-days, cs-harborline]",
                                                    f"lead_with: [stat-roi, vp-close-days, {ids[-1]}]"))
    doc, _ = build_document(load_study(spec), "case_study", brand, stage="pre_sale")
    first = next(b for p in doc.pages for b in t.iter_blocks(p.blocks) if b.id.startswith("p0-b") and "-cs-" in b.id)
    assert ids[-1] in first.id


def test_payback_beyond_the_horizon_says_so_on_its_tile(tmp_path: Path, brand) -> None:  # type: ignore[no-untyped-def]
    src = (ROOT / "sample_inputs" / "minimal_en.yaml").read_text("utf-8")
    spec = tmp_path / "spec.yaml"
    spec.write_text(src.replace("yearly: [100000, 110000, 120000]", "yearly: [1000, 1000, 1000]"), "utf-8")
    a = load_study(spec)
    assert a.result.payback_months is None
    doc, _ = build_document(a, "one_pager", brand)
    tiles = next(b for p in doc.pages for b in t.iter_blocks(p.blocks) if isinstance(b, t.StatTiles))
    assert [tile.value for tile in tiles.tiles if tile.label == "Payback"] == ["beyond horizon"]


@pytest.mark.parametrize("layout", ["qbr_slides", "renewal_packet"])
def test_your_results_tiles_and_chart_show_the_accounts_own_figures(layout: str, brand) -> None:  # type: ignore[no-untyped-def]
    """Under "Your results" the big numbers are the account's realised ROI, payback and NPV
    (its metrics through the study's model), not the study benchmark; without metrics, the
    benchmark, titled as such."""
    from decimal import Decimal

    from roi_in_a_box.model.account import Account, realised
    from roi_in_a_box.model.figures import Figures

    a = load_study(EN)
    m = a.spec.roi_model
    acct = Account("acct-9", "Clinic Group", "mid_market", "Retail",
                   benefits={b.id: Decimal(50_000) for b in m.benefits}, costs={c.id: Decimal(20_000) for c in m.costs},
                   initial_costs={m.costs[0].id: Decimal(30_000)})
    own = realised(a.spec, acct)
    assert own is not None and own.result.roi_pct != a.result.roi_pct
    f = Figures(a.spec.study.language, a.spec.study.currency)
    stage = "service" if layout == "qbr_slides" else "renewal"
    doc, _ = build_document(a, layout, brand, stage=stage, account=acct, account_result=own)
    blocks = [b for p in doc.pages for b in t.iter_blocks(p.blocks)]
    tiles = next(b for b in blocks if isinstance(b, t.StatTiles))
    assert tiles.tiles[0].value == f.percent(own.result.roi_pct)
    assert tiles.tiles[2].value == f.money(own.result.npv)
    assert all("acct-9" in s and "engine ROI model" in s for s in tiles.sources)
    for chart in (b for b in blocks if isinstance(b, t.Chart) and b.kind == "payback"):
        assert chart.series[0].values[-1] == pytest.approx(float(own.result.monthly_cumulative()[-1][1]))
        assert f.months(own.result.payback_months) in chart.marker_label
    doc, _ = build_document(a, layout, brand, stage=stage, account=Account("acct-0", "No Data Co"))
    tiles = next(b for p in doc.pages for b in t.iter_blocks(p.blocks) if isinstance(b, t.StatTiles))
    assert f.percent(a.result.roi_pct) in [tile.value for tile in tiles.tiles]  # the study's headline stats
    if layout == "qbr_slides":
        assert doc.pages[0].title == "Study benchmark"


def test_a_section_with_nothing_to_show_leaves_no_heading_and_no_slide(brand) -> None:  # type: ignore[no-untyped-def]
    """An account that adopted every use case: no bare "Use cases to adopt next" heading in
    its renewal summary, no empty slide in its QBR, and a note saying what was left out."""
    from roi_in_a_box.model.account import Account

    a = load_study(EN)
    everything = Account("acct-all", "All In Co", adopted_use_cases=tuple(u.id for u in a.spec.use_cases))
    for layout, stage in (("renewal_summary", "renewal"), ("renewal_packet", "renewal"), ("qbr_slides", "service")):
        doc, notes = build_document(a, layout, brand, stage=stage, account=everything)
        headings = [b.text for p in doc.pages for b in t.iter_blocks(p.blocks) if isinstance(b, t.Heading)]
        assert "Use cases to adopt next" not in headings, layout
        assert any("Use cases to adopt next" in n for n in notes), layout
        if layout == "qbr_slides":
            assert "Use cases to adopt next" not in [p.title for p in doc.pages]
        some, _ = build_document(a, layout, brand, stage=stage, account=Account("acct-none", "New Co"))
        assert "Use cases to adopt next" in [b.text for p in some.pages for b in t.iter_blocks(p.blocks)
                                             if isinstance(b, t.Heading)]


@pytest.mark.parametrize("layout", ["qbr_slides", "renewal_packet", "renewal_summary"])
def test_value_over_time_charts_the_account_against_the_benchmark_or_says_there_is_none(layout: str, brand) -> None:  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from roi_in_a_box.model.account import Account, realised

    a = load_study(EN)
    m = a.spec.roi_model
    acct = Account("acct-9", "Clinic Group", "mid_market", "Retail",
                   benefits={b.id: Decimal(50_000) for b in m.benefits}, costs={c.id: Decimal(20_000) for c in m.costs})
    own = realised(a.spec, acct)
    assert own is not None
    stage = "service" if layout == "qbr_slides" else "renewal"
    doc, _ = build_document(a, layout, brand, stage=stage, account=acct, account_result=own)
    charts = [b for p in doc.pages for b in t.iter_blocks(p.blocks) if isinstance(b, t.Chart) and b.kind == "bar"
              and len(b.series) == 2 and b.series[0].name == "Your results"]
    assert len(charts) == 1
    mine, bench = charts[0].series
    assert mine.values == tuple(float(y.net) for y in own.result.years)
    assert bench.values == tuple(float(y.net) for y in a.result.years) and bench.name == "Study benchmark"
    doc, _ = build_document(a, layout, brand, stage=stage, account=Account("acct-0", "No Data Co"))
    text = " ".join(t.block_text(b) for p in doc.pages for b in t.iter_blocks(p.blocks))
    assert "No realised data for No Data Co yet" in text
    assert not any(isinstance(b, t.Chart) and b.series and b.series[0].name == "Your results"
                   for p in doc.pages for b in t.iter_blocks(p.blocks))
