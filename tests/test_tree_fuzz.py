"""Generated document trees (every block type, random counts, lengths, scripts and nesting)
render in every format without crashing, and their text reads back.

The sample tree and the sample studies exercise the shapes our layouts make today; this
exercises the ones a new layout or an unusual spec could make tomorrow (a grid that wraps,
an empty table cell, a one-category chart, a column inside a column).
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from docx.oxml.ns import qn
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pptx import Presentation
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).parent))
from reportlab.platypus.doctemplate import LayoutError
from sample_tree import HOSTILE, TEXT
from sample_tree import test_brand as make_brand

from roi_in_a_box.layout import tree as t
from roi_in_a_box.render.registry import renderer_for

BRAND = make_brand()
LONG = "https://example.com/reconciliation-automation-platform-for-mid-market-finance-teams"
WORDS = [w for lang in TEXT.values() for w in lang["para"].split()] + [HOSTILE, LONG, "$1.4M", "−$150K", "৳১২.৫", "฿7.5M"]
text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=40).map(" ".join)
short = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
roi_type = st.sampled_from(t.ROI_TYPES)


def _chart(kind: str, n: int, values: list[float]) -> t.Chart:
    cats = tuple(f"Y{i}" for i in range(n))
    vals = tuple(values[:n]) + (0.0,) * (n - len(values[:n]))
    series = (t.Series("Benefits", vals),) if kind != "bar" else (t.Series("Benefits", vals), t.Series("Costs", vals))
    labels = tuple(tuple(f"{v:,.0f}" for v in s.values) for s in series)
    marker = (n - 1) / 2 * 6 if kind == "payback" else None
    return t.Chart(id=f"c-{kind}", kind=kind, title="Chart", categories=cats, series=series, value_labels=labels,
                   marker=marker, marker_label="Payback" if marker is not None else "")


leaf = st.one_of(
    st.builds(t.Heading, text=short, level=st.integers(0, 3)),
    st.builds(t.Paragraph, runs=st.lists(st.builds(t.Run, text, bold=st.booleans(), italic=st.booleans()),
                                         min_size=1, max_size=3).map(tuple),
              style=st.sampled_from(["body", "lead", "small"])),
    st.builds(t.StatTiles, tiles=st.lists(st.builds(t.StatTile, value=st.sampled_from(["212%", "$1.4M", "৳১২.৫", "4.5"]),
                                                    label=short, definition=st.one_of(st.just(""), short)),
                                          min_size=1, max_size=7).map(tuple)),
    st.builds(t.Quote, text=text, attribution=short, detail=short, stars=st.one_of(st.none(), st.sampled_from([3.0, 4.5, 5.0])),
              label=st.one_of(st.just(""), st.just("Incentivized review")), heading=st.one_of(st.just(""), short)),
    st.builds(t.Cards, cards=st.lists(st.builds(t.Card, title=short, text=st.one_of(st.just(""), text),
                                                roi_type=st.one_of(st.none(), roi_type), badge=st.one_of(st.just(""), short)),
                                      min_size=1, max_size=6).map(tuple)),
    st.integers(1, 6).flatmap(lambda n: st.builds(
        t.Table, header=st.just(tuple(f"H{i}" for i in range(n))),
        rows=st.lists(st.lists(st.one_of(st.just(""), short), min_size=n, max_size=n).map(tuple),
                      min_size=1, max_size=30).map(tuple),
        caption=st.one_of(st.just(""), short), emphasis_rows=st.just((0,)))),
    st.builds(_chart, st.sampled_from(["bar", "waterfall", "payback"]), st.integers(1, 8),
              st.lists(st.floats(-2e9, 2e9, allow_nan=False), min_size=1, max_size=8)),
    st.builds(t.FrameworkGraphic, evidenced=st.lists(roi_type, max_size=5, unique=True).map(tuple),
              zone=st.sampled_from(["winning", "competitive", "instability", ""]),
              next_steps=st.lists(roi_type, max_size=2, unique=True).map(tuple)),
    st.builds(t.Callout, title=short, text=text, link=st.one_of(st.none(), st.just("https://example.com/x")),
              link_text=short),
    st.builds(t.Footnotes, items=st.lists(text, min_size=1, max_size=4).map(tuple)),
)
block = st.one_of(leaf, st.builds(t.Columns, columns=st.lists(st.lists(leaf, min_size=1, max_size=3).map(tuple),
                                                                    min_size=2, max_size=3).map(tuple)))
document = st.builds(
    lambda pages, lang, size: t.Document(kind="fuzz", title="Fuzz", language=lang, pages=pages, page_size=size,
                                         max_pages=9),
    st.lists(st.builds(t.Page, blocks=st.lists(block, min_size=1, max_size=4).map(tuple), title=short),
             min_size=1, max_size=2).map(tuple),
    st.sampled_from(["en", "bn", "th"]), st.sampled_from(["letter", "a4"]))


@pytest.mark.parametrize("fmt", ["pdf", "docx", "pptx"])
@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "15")), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(doc=document)
def test_generated_trees_render(fmt, doc, tmp_path):
    path = tmp_path / f"fuzz.{fmt}"
    try:
        result = renderer_for(fmt).render(doc, BRAND, path)
    except LayoutError:  # a block taller than any page: fitting drops it; nothing else may escape
        assert fmt == "pdf"
        event("a block taller than a page")
        return
    event(f"{sum(len(p.blocks) for p in doc.pages)} top-level blocks")
    assert result.pages >= 1
    found = _squash(_read_text(path))
    assert "\ufffd" not in found and "\uffff" not in found  # no glyph drawn as a box or read as nothing
    for b in (b for p in doc.pages for b in t.iter_blocks(p.blocks)):
        if isinstance(b, (t.Heading, t.Paragraph)):  # never cut
            assert _squash(b.text) in found
        elif isinstance(b, t.Quote) and fmt != "pptx":  # slides may cut a quote at a sentence end
            assert _squash(b.text) in found
        elif isinstance(b, t.Cards):
            for card in b.cards:
                assert _squash(card.title) in found


def _squash(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


def _read_text(path: Path) -> str:
    if path.suffix == ".pdf":
        # blocks may run on over a page break: drop each page's footer number between them
        return "".join(re.sub(r"\s*\d+\s*$", "", page.extract_text()) for page in PdfReader(path).pages)
    if path.suffix == ".docx":
        return "".join(el.text or "" for el in DocxDocument(path).element.body.iter(qn("w:t")))
    texts = []
    for slide in Presentation(path).slides:
        texts += [el.text or "" for el in slide.shapes._spTree.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/main}t")]
    return "".join(texts)
