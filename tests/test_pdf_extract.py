"""Copy, search and extraction from the PDFs give the source text, measured with four readers.

For every string the PDF renderer draws (paragraphs and labels, recorded as they are drawn)
in every sample study's every stage, the hand-built sample trees, the seed-article documents,
a narrow column of whole seed paragraphs (many line breaks) and generated document trees
(tests/test_tree_fuzz.py's strategy), each reader's text of the document must contain the
string with the same code points (whitespace removed on both sides: readers break lines
where the text wrapped; a hyphen that ends a line, which pdftotext and PDFium drop, is
counted apart).  The percentages per reader and script are printed and written to
``$ROI_EXTRACT_REPORT`` (default: the test's temporary folder)/extraction.json.

All four readers must find 100% of the strings of the samples, sample trees, seed
documents and narrow columns, and 99% of the generated trees'.  pdfplumber reads in the
order the page draws its characters (``extract_text(use_text_flow=True)``): the renderer
draws each block's text in reading order, so that order is the source's.

pdfplumber's default ``extract_text()`` is measured beside them and held to a floor, not
100%: it ignores the drawing order (and marked content), sorting characters into lines by
their top edge across the whole page, within 3 points.  So the lines of side-by-side tiles,
cards and columns interleave, and inside one Bengali line a Latin word ("ROI") becomes a
line of its own above it: pdfminer puts a character's top at baseline + (1 + font
Descent) x size, and Lato's Descent (-0.213 em) and Hind Siliguri's (-0.501 em) differ by
more than 3 points from 10.5 pt up.  Neither can the PDF change without misstating the
fonts' metrics or moving the text.  Cropped to each block, the default finds every English
string and misses only lines of Bengali with a Latin word in them (tested; 94.2% of the
Bengali strings, 99.8% of the Thai, whose one miss has Bengali in it).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import SimpleDocTemplate

from roi_in_a_box.brand.kit import load_kit, resolve_kit
from roi_in_a_box.deliver.pipeline import build
from roi_in_a_box.model.study import load_study
from roi_in_a_box.render.pdf import renderer as pdf_renderer
from roi_in_a_box.render.pdf.fonts import register_family
from roi_in_a_box.render.pdf.renderer import PdfRenderer
from roi_in_a_box.render.pdf.text import make_paragraph
from tests import seed_tree
from tests.pdf_extractors import EXTRACTORS, by_block, recording, verbatim
from tests.sample_tree import LATO, sample_document
from tests.sample_tree import test_brand as make_brand

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("ledgerly_en", "ghatbox_bn", "shiftsabai_th")
MUST_BE_COMPLETE = ("pdftotext", "pdfplumber", "pypdfium2", "pypdf")
# pdfplumber's default (by position) reads side-by-side tiles, cards and columns as one line,
# so it cannot be 100%; measured 87.7% (en), 76.0% (bn), 71.9% (th).
PDFPLUMBER_BY_POSITION_FLOOR = {"en": 0.87, "bn": 0.75, "th": 0.71}


def _narrow_column(path: Path, lang: str) -> list[str]:
    """Whole seed paragraphs in a 150-point column: most words end a line."""
    brand = make_brand()
    style = ParagraphStyle("narrow", fontSize=11, leading=18)
    texts = seed_tree.paragraphs(lang)[:12]
    with recording() as drawn:
        doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=220, rightMargin=A4[0] - 370,
                                initialFontName=register_family(LATO), invariant=1)
        doc.build([make_paragraph(t, style, brand.body, lang) for t in texts])
    return list(drawn)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[tuple[str, Path, list[str]]]:
    """(name, PDF, strings drawn into it) for every document the test reads."""
    out = tmp_path_factory.mktemp("extract")
    docs: list[tuple[str, Path, list[str]]] = []
    original = pdf_renderer.PdfRenderer.render_bytes

    def render_bytes(self, doc, brand):  # type: ignore[no-untyped-def]
        with recording() as drawn:
            result = original(self, doc, brand)
        path = out / f"doc{len(docs)}.pdf"
        path.write_bytes(result[0])
        docs.append((f"{current[0]}/{doc.kind}", path, list(drawn)))
        return result

    current = [""]
    kit = load_kit(resolve_kit(None))
    pdf_renderer.PdfRenderer.render_bytes = render_bytes  # type: ignore[method-assign]
    try:
        for stem in SAMPLES:
            current[0] = stem
            build(load_study(ROOT / "sample_inputs" / f"{stem}.yaml"), kit, out / "built", formats=("pdf",), force=True)
        brand = make_brand()
        current[0] = "tree"
        for lang in ("en", "bn", "th"):
            PdfRenderer().render_bytes(sample_document(lang), brand)
        if seed_tree.available():
            current[0] = "seed"
            for lang in ("bn", "th"):
                PdfRenderer().render_bytes(seed_tree.seed_document(lang), brand)
        from tests.test_tree_fuzz import document

        current[0] = "generated"

        @settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "12")), deadline=None, derandomize=True,
                  suppress_health_check=list(HealthCheck), database=None)
        @given(doc=document)
        def generated(doc):  # type: ignore[no-untyped-def]
            from reportlab.platypus.doctemplate import LayoutError

            try:
                PdfRenderer().render_bytes(doc, brand)
            except LayoutError:  # a block taller than a page: nothing drawn, nothing recorded
                return

        generated()
    finally:
        pdf_renderer.PdfRenderer.render_bytes = original  # type: ignore[method-assign]
    if seed_tree.available():
        for lang in ("bn", "th"):
            path = out / f"narrow-{lang}.pdf"
            docs.append((f"narrow/{lang}", path, _narrow_column(path, lang)))
    return docs


@pytest.fixture(scope="module")
def results(corpus, tmp_path_factory) -> dict:
    """``{"totals": {reader: {script: {status: count}}}, "misses": {reader: [...]}}`` over the
    corpus; printed, and written as JSON."""
    totals: dict[str, dict[str, dict[str, int]]] = {}
    misses: dict[str, list[str]] = {}
    for name, path, drawn in corpus:
        for reader, rows in {**verbatim(path, drawn), "pdfplumber by block": by_block(path, drawn)}.items():
            for s, sc, status in rows:
                per = totals.setdefault(reader, {}).setdefault(sc, {"verbatim": 0, "hyphen": 0, "missing": 0})
                per[status] += 1
                if status != "verbatim":
                    misses.setdefault(reader, []).append(f"{status} {name}: {s!r}")
    dest = Path(os.environ.get("ROI_EXTRACT_REPORT", str(tmp_path_factory.mktemp("report"))))
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "extraction.json").write_text(json.dumps({"totals": totals, "misses": misses}, ensure_ascii=False,
                                                     indent=1), encoding="utf-8")
    lines = []
    for reader, per in totals.items():
        cells = []
        for sc, c in sorted(per.items()):
            n = sum(c.values())
            cells.append(f"{sc} {c['verbatim']}/{n} ({100 * c['verbatim'] / n:.1f}%"
                         + (f", {c['hyphen']} with a line-end hyphen dropped" if c["hyphen"] else "") + ")")
        lines.append(f"  {reader}: " + ", ".join(cells))
    print("\nverbatim strings per reader and script:", *lines, sep="\n")
    return {"totals": totals, "misses": misses}


def test_corpus_covers_every_sample_stage_and_script(corpus):
    names = {n for n, _, _ in corpus}
    for stem in SAMPLES:
        assert {f"{stem}/one_pager", f"{stem}/onboarding_brief", f"{stem}/renewal_packet"} <= names, names
    assert any(n.startswith("generated/") for n in names)
    drawn = [s for _, _, d in corpus for s in d]
    assert len(drawn) > 1000


@pytest.mark.needs("pdftotext")
@pytest.mark.parametrize("reader", MUST_BE_COMPLETE)
def test_every_drawn_string_extracts_verbatim(results, reader):
    """100% verbatim in the samples, sample trees, seed documents and narrow columns.  The
    generated trees: at least 99% (misses seen: a hyphen ending a line, which pdftotext and
    PDFium drop, in an over-long URL broken after it; a generated table cell read across
    its neighbour by pdftotext)."""
    totals = results["totals"][reader]
    assert set(totals) == {"en", "bn", "th"}
    misses = results["misses"].get(reader, [])
    assert not [m for m in misses if " generated/" not in m], misses[:10]
    drawn = sum(sum(c.values()) for c in totals.values())
    assert len(misses) <= 0.01 * drawn, misses[:10]


@pytest.mark.needs("pdftotext")
def test_pdfplumber_by_position_floor(results):
    for sc, c in results["totals"]["pdfplumber by position"].items():
        assert c["verbatim"] / sum(c.values()) >= PDFPLUMBER_BY_POSITION_FLOOR[sc], (sc, c)


@pytest.mark.needs("pdftotext")
def test_pdfplumber_by_position_reads_each_block_alone(results):
    """Cropped to the box a string was drawn in, pdfplumber's default reads every English and
    Thai string verbatim: inside a block its sorting by position gives the source order (each
    cluster is one character, so x order is logical order).  The strings it misses all have a
    Latin word in a Bengali line (set in Lato, whose Descent lifts it into a line of its own
    from 10.5 pt up; a generated string in the Thai count has Bengali in it too)."""
    totals = results["totals"]["pdfplumber by block"]
    misses = results["misses"].get("pdfplumber by block", [])
    assert totals["en"]["missing"] == 0, misses[:5]
    assert all(re.search("[A-Za-z]", m.split(": ", 1)[1]) and re.search("[\u0980-\u09ff]", m) for m in misses), misses
    assert totals["bn"]["missing"] <= 0.07 * sum(totals["bn"].values()), totals["bn"]


def test_readers_are_the_four_named():
    assert set(EXTRACTORS) == {"pdftotext", "pdfplumber", "pypdfium2", "pypdf"}


def test_cluster_glyphs_draw_what_the_shaped_glyphs_drew(tmp_path, monkeypatch):
    """The composite glyph of each cluster code draws the cluster's glyphs where HarfBuzz put
    them: pages rendered with cluster codes and with the plain shaped glyphs (clustering
    switched off) differ only in anti-aliasing (component offsets are rounded to font units)."""
    import pypdfium2 as pdfium
    from PIL import ImageChops

    from roi_in_a_box.render.pdf import text as pdf_text
    from roi_in_a_box.render.pdf import tounicode

    docs = {lang: sample_document(lang) for lang in ("en", "bn", "th")}
    if seed_tree.available():
        docs.update({f"seed-{lang}": seed_tree.seed_document(lang) for lang in ("bn", "th")})
    brand = make_brand()

    def pages(data: bytes) -> list:
        pdf = pdfium.PdfDocument(data)
        return [p.render(scale=2).to_pil().convert("L") for p in pdf]

    with_codes = {n: pages(PdfRenderer().render_bytes(d, brand)[0]) for n, d in docs.items()}
    monkeypatch.setattr(tounicode, "clustered", lambda word, shaped: shaped)
    pdf_text.clear_caches()
    try:
        plain = {n: pages(PdfRenderer().render_bytes(d, brand)[0]) for n, d in docs.items()}
    finally:
        pdf_text.clear_caches()
    for n in docs:
        assert len(with_codes[n]) == len(plain[n]), n
        for a, b in zip(with_codes[n], plain[n]):
            diff = ImageChops.difference(a, b)
            strong = sum(diff.histogram()[96:])  # pixels more than 96/255 apart
            assert strong <= 40, (n, strong)
