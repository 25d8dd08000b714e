"""PPTX renderer: plan + python-pptx writer, read back with python-pptx, checked with
openxml-audit and rendered with LibreOffice."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.util import Emu

from roi_in_a_box.layout.i18n import label
from roi_in_a_box.layout.tree import Paragraph, Run
from roi_in_a_box.render.pptx import measure as M
from roi_in_a_box.render.pptx.writer import PptxRenderer
from tests import sample_tree
from tests.audit_policy import other_findings
from tests.sample_tree import HOSTILE, TEXT, sample_document


def brand():
    return sample_tree.test_brand()

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
LANGS = ("en", "bn", "th")
PT = 12700


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> dict[str, tuple[Path, object]]:
    out = tmp_path_factory.mktemp("pptx")
    r = PptxRenderer()
    res = {}
    for lang in LANGS:
        path = out / f"{lang}.pptx"
        res[lang] = (path, r.render(sample_document(lang), brand(), path))
    return res


def _shapes(shapes):
    for s in shapes:
        yield s
        if s.shape_type is not None and s.shape_type == 6:  # group
            yield from _shapes(s.shapes)


def _all_text(prs) -> str:
    parts = []
    for slide in prs.slides:
        for s in _shapes(slide.shapes):
            if s.has_text_frame:
                parts.append(s.text_frame.text)
            if getattr(s, "has_table", False) and s.has_table:
                parts.extend(c.text for row in s.table.rows for c in row.cells)
    return "\n".join(parts)


# --------------------------------------------------------------------------- content


@pytest.mark.parametrize("lang", LANGS)
def test_slides_texts_and_notes(decks, lang):
    path, result = decks[lang]
    prs = Presentation(str(path))
    assert len(prs.slides) == result.pages == 2
    assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))
    text = _all_text(prs)
    t = TEXT[lang]
    for needle in (t["title"], t["quote"], t["card"][0], t["card"][1], "Read the study.", "212%",
                   "Automated reconciliation" if lang == "en" else "Audit readiness", "$2.09M", "−$180K",
                   "Book a 30-minute strategy session", "roi@example.com", "Winning zone"):
        assert needle in text, needle
    assert HOSTILE in text  # literal, escaped by XML, not interpreted
    assert "\u200b" not in text
    assert prs.slides[0].shapes.title.text_frame.text == t["title"]
    notes = [s.notes_slide.notes_text_frame.text for s in prs.slides]
    assert label(lang, "src.sources", items="roi_model; g2:123") in notes[0]  # "Sources: …", "উৎস: …"
    assert notes[0].startswith("Sources: ROI model (3-year")
    assert "ROI model lines b1-b3" in notes[1]
    assert result.fitting == []


@pytest.mark.parametrize("lang", LANGS)
def test_native_charts(decks, lang):
    prs = Presentation(str(decks[lang][0]))
    charts = [s.chart for s in _shapes(prs.slides[1].shapes) if getattr(s, "has_chart", False) and s.has_chart]
    types = [c.chart_type for c in charts]
    assert types == [XL_CHART_TYPE.COLUMN_CLUSTERED, XL_CHART_TYPE.COLUMN_STACKED, XL_CHART_TYPE.LINE_MARKERS]
    bar, waterfall, payback = charts
    assert [s.name for s in bar.plots[0].series] == ["Benefits", "Costs"]
    assert tuple(bar.plots[0].series[0].values) == (0.0, 620000.0, 710000.0, 760000.0)
    assert tuple(bar.plots[0].categories) == ("Initial", "Year 1", "Year 2", "Year 3")
    # every bar and step carries the tree's own figure as text, the same string its table
    # prints ("−$150K", never a number format's "−$0.2M"), in every language
    def point_texts(series) -> list[str]:
        return ["".join(t.text or "" for t in dl.iter(qn("a:t"))) for dl in series._element.iter(qn("c:dLbl"))]

    assert point_texts(bar.plots[0].series[0]) == ["$0", "$620K", "$710K", "$760K"]
    steps = [t for s in waterfall.plots[0].series for t in point_texts(s)]
    assert sorted(steps) == sorted(["$900K", "$500K", "$200K", "−$150K", "−$50K", "$1.4M"])
    # waterfall: invisible base + up + down + total
    base, up, down, total = (tuple(s.values) for s in waterfall.plots[0].series)
    assert base == (0.0, 900000.0, 1400000.0, 1450000.0, 1400000.0, 0.0)
    assert up[:3] == (900000.0, 500000.0, 200000.0) and down[3:5] == (150000.0, 50000.0)
    assert total[-1] == 1400000.0
    assert waterfall.plots[0].series[0].format.fill.type == 5  # MSO_FILL.BACKGROUND (no fill)
    assert tuple(payback.plots[0].series[0].values)[-1] == 1050000.0
    # brand colours on series
    fill = bar.plots[0].series[0].format.fill
    assert str(fill.fore_color.rgb) == "1F3A5F"


def test_hyperlinks_safe(decks):
    prs = Presentation(str(decks["en"][0]))
    targets = {r.target_ref for s in prs.slides for r in s.part.rels.values() if r.is_external}
    assert targets == {"https://example.com/study", "mailto:roi@example.com"}


# --------------------------------------------------------------------------- fonts and languages


def _runs(prs):
    for slide in prs.slides:
        yield from slide._element.iter(f"{A}r")


@pytest.mark.parametrize("lang,script_font,tag,ch_range", [
    ("bn", "Hind Siliguri", "bn-BD", ("\u0980", "\u09ff")),
    ("th", "Sarabun", "th-TH", ("\u0e00", "\u0e7f")),
])
def test_run_fonts_and_lang(decks, lang, script_font, tag, ch_range):
    prs = Presentation(str(decks[lang][0]))
    seen_script = seen_latin = 0
    for r in _runs(prs):
        text = r.findtext(f"{A}t") or ""
        rpr = r.find(f"{A}rPr")
        names = [etree.QName(c).localname for c in rpr]
        assert "ea" not in names
        # schema order: fill, latin, cs, hlinkClick
        order = [n for n in names if n in ("solidFill", "latin", "cs", "hlinkClick")]
        assert order == sorted(order, key=["solidFill", "latin", "cs", "hlinkClick"].index)
        latin = rpr.find(f"{A}latin").get("typeface")
        assert latin == "Lato"
        if any(ch_range[0] <= ch <= ch_range[1] for ch in text):
            seen_script += 1
            assert rpr.find(f"{A}cs").get("typeface") == script_font, text
            assert rpr.get("lang") == tag
            assert not any("a" <= ch.lower() <= "z" for ch in text), text  # Latin letters in their own run
        elif any("a" <= ch.lower() <= "z" for ch in text):
            seen_latin += 1
            assert rpr.get("lang") == "en-US"
            assert rpr.find(f"{A}cs") is None
    assert seen_script >= 5 and seen_latin >= 5


# --------------------------------------------------------------------------- fitting


def _families():
    return {f.name: f for f in brand().body.families()}


def _paras(txBody, inherited: float | None = None) -> list[M.Para]:
    """The paragraphs as the planner measured them; a run that states no typeface or size
    (a template placeholder's) was measured in the brand font at the size it inherits."""
    fams = _families()
    paras = []
    for p in txBody.iter(f"{A}p"):
        pieces = []
        size = None
        for r in p.iter(f"{A}r"):
            rpr = r.find(f"{A}rPr")
            cs = rpr.find(f"{A}cs")
            latin = rpr.find(f"{A}latin")
            name = cs.get("typeface") if cs is not None else latin.get("typeface") if latin is not None else \
                brand().body.by_script["latin"].name
            size = int(rpr.get("sz")) / 100 if rpr.get("sz") else inherited
            pieces.append(M.Piece(r.findtext(f"{A}t"), fams[name], "latin", rpr.get("b") == "1",
                                  rpr.get("i") == "1"))
        ppr = p.find(f"{A}pPr")
        line = int(ppr.find(f"{A}lnSpc/{A}spcPts").get("val")) / 100
        before = int(ppr.find(f"{A}spcBef/{A}spcPts").get("val")) / 100
        if pieces:
            assert line >= size * 1.15 - 0.5  # exact spacing never squeezes lines
            paras.append(M.Para(tuple(pieces), size, line, before))
    return paras


def _inherited_size(slide, shape) -> float | None:
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    from roi_in_a_box.render.pptx.theme import inherited_look, read_theme

    layout = slide.slide_layout
    theme = read_theme(layout.slide_master.part.part_related_by(RT.THEME).blob)
    ph = shape._element.find(f".//{{{shape._element.nsmap['p']}}}ph")
    return inherited_look(layout, ph.get("type", "obj"), theme).size


def _check_frames(prs) -> int:
    checked = 0
    for slide in prs.slides:
        for s in _shapes(slide.shapes):
            if s.has_text_frame and s.text_frame.text.strip():
                inherited = None
                if s.is_placeholder:
                    kind = s._element.ph_type
                    if kind in (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER):
                        continue  # one line in the layout's own box, insets and anchor
                    inherited = _inherited_size(slide, s)
                body = s.text_frame._txBody
                bp = body.find(f"{A}bodyPr")
                assert bp.find(f"{A}noAutofit") is not None
                insets = tuple(int(bp.get(k)) / PT for k in ("lIns", "tIns", "rIns", "bIns"))
                need = M.frame_height(_paras(body, inherited), s.width / PT, insets)
                assert need <= s.height / PT + 0.5, (s.name, s.text_frame.text, need, s.height / PT)
                checked += 1
            if getattr(s, "has_table", False) and s.has_table:
                tbl = s.table
                for ri, row in enumerate(tbl.rows):
                    for ci, cell in enumerate(row.cells):
                        ins = tuple(x / PT for x in (cell.margin_left, cell.margin_top, cell.margin_right,
                                                      cell.margin_bottom))
                        need = M.frame_height(_paras(cell.text_frame._txBody), tbl.columns[ci].width / PT, ins)
                        assert need <= row.height / PT + 0.5, (cell.text, need, row.height / PT)
                        checked += 1
    return checked


@pytest.mark.parametrize("lang", LANGS)
def test_every_text_fits_its_shape(decks, lang):
    assert _check_frames(Presentation(str(decks[lang][0]))) > 40


def test_long_unbreakable_string_wraps_by_characters(tmp_path):
    doc = sample_document("en")
    long = "x" * 600 + " https://example.com/" + "a/" * 200
    page = dataclasses.replace(doc.pages[0], blocks=(Paragraph(id="long", runs=(Run(long),)),
                                                     *doc.pages[0].blocks[1:]))
    doc = dataclasses.replace(doc, pages=(page, doc.pages[1]))
    path = tmp_path / "long.pptx"
    PptxRenderer().render(doc, brand(), path)
    prs = Presentation(str(path))
    assert long in _all_text(prs)
    _check_frames(prs)


def test_measure_breaks_long_words_and_thai():
    fam = _families()["Lato"]
    para = M.Para((M.Piece("y" * 300, fam, "latin"),), 12.0, 14.5)
    assert M.count_lines(para, 200) >= 8
    thai = _families()["Sarabun"]
    para = M.Para((M.Piece(TEXT["th"]["para"], thai, "thai"),), 12.0, 16.0)
    assert 2 <= M.count_lines(para, 300) <= 6  # broken between words, no spaces needed


# --------------------------------------------------------------------------- bytes and validity


def test_reproducible_bytes(tmp_path, decks):
    again = tmp_path / "again.pptx"
    PptxRenderer().render(sample_document("bn"), brand(), again)
    assert again.read_bytes() == decks["bn"][0].read_bytes()


AUDIT = shutil.which("openxml-audit") or str(Path(sys.executable).parent / "openxml-audit")


@pytest.mark.skipif(not Path(AUDIT).exists(), reason="openxml-audit missing")
@pytest.mark.parametrize("lang", LANGS)
def test_openxml_audit_clean(decks, lang):
    exe = AUDIT
    out = subprocess.run([exe, "-o", "json", "--ooxml-security", str(decks[lang][0])],
                         capture_output=True, text=True, timeout=120)
    report = json.loads(out.stdout)[0]
    findings = other_findings(report)  # (the security scan's note on embedded fonts set aside)
    assert [f for f in findings if f["severity"] == "error"] == []
    for f in findings:  # only the document's own https:/mailto: links are external
        assert "https://example.com/study" in f["description"] or "mailto:roi@example.com" in f["description"], f
    # what is set aside is one note per embedded family, nothing else (tests/audit_policy.py)
    with zipfile.ZipFile(decks[lang][0]) as z:
        families = z.read("ppt/presentation.xml").count(b"<p:embeddedFont>")
    assert families >= 1 and len(report["errors"]) - len(findings) == families


# --------------------------------------------------------------------------- company template


def _make_template(path: Path) -> None:
    prs = Presentation()
    prs.slide_width, prs.slide_height = 12192000, 6858000
    s = prs.slides.add_slide(prs.slide_layouts[1])
    s.shapes.title.text = "TEMPLATE SAMPLE SLIDE"
    s.notes_slide.notes_text_frame.text = "template notes"
    s2 = prs.slides.add_slide(prs.slide_layouts[5])
    s2.shapes.title.text = "Second sample"
    prs.save(str(path))


def test_company_template(tmp_path):
    tpl = tmp_path / "company.pptx"
    _make_template(tpl)
    company = dataclasses.replace(brand(), template_pptx=tpl)
    doc = sample_document("en")
    pages = (dataclasses.replace(doc.pages[0], layout_name="Title Only"),
             dataclasses.replace(doc.pages[1], layout_name="No Such Layout"))
    doc = dataclasses.replace(doc, pages=pages)
    out = tmp_path / "deck.pptx"
    result = PptxRenderer().render(doc, company, out)
    assert any("No Such Layout" in w for w in result.warnings)
    prs = Presentation(str(out))
    assert len(prs.slides) == 2
    assert [s.slide_layout.name for s in prs.slides] == ["Title Only", "Title and Content"]
    assert prs.slides[0].shapes.title.text_frame.text == TEXT["en"]["title"]
    text = _all_text(prs)
    assert "TEMPLATE SAMPLE SLIDE" not in text
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        blob = b"".join(z.read(n) for n in names)
    assert b"TEMPLATE SAMPLE SLIDE" not in blob and b"template notes" not in blob
    assert len([n for n in names if n.startswith("ppt/slides/slide")]) == 2
    # placeholders either filled or removed: no empty prompts
    for slide in prs.slides:
        for ph in slide.placeholders:
            assert ph.text_frame.text.strip()
    _check_frames(prs)


def test_content_that_cannot_fit_at_the_minimum_size_continues_on_a_new_slide(tmp_path):
    """Nothing optional to drop: the rows that do not fit at 10 pt go to a continuation
    slide with the same title, marked, instead of being set smaller."""
    tpl = tmp_path / "company.pptx"
    _make_template(tpl)
    company = dataclasses.replace(brand(), template_pptx=tpl)
    doc = sample_document("en")
    page = doc.pages[0]
    page = dataclasses.replace(page, layout_name="Title Only",
                               blocks=tuple(dataclasses.replace(b, priority=0) for b in page.blocks))
    doc = dataclasses.replace(doc, pages=(page,))
    out = tmp_path / "deck.pptx"
    result = PptxRenderer().render(doc, company, out)
    prs = Presentation(str(out))
    assert len(prs.slides) >= 2
    assert any("moved to a continuation slide" in f for f in result.fitting), result.fitting
    assert prs.slides[1].shapes.title.text_frame.text == TEXT["en"]["title"] + " (continued)"
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.startswith("ppt/slides/slide") and name.endswith(".xml"):
                sizes = [int(v) for v in re.findall(rb' sz="(\d+)"', z.read(name))]
                assert sizes and min(sizes) >= 1000, (name, min(sizes))
    assert not any("does not fit" in w or "needs" in w for w in result.warnings), result.warnings
    _check_frames(prs)


def test_macro_template_rejected(tmp_path):
    tpl = tmp_path / "company.pptx"
    _make_template(tpl)
    bad = tmp_path / "bad.pptx"
    with zipfile.ZipFile(tpl) as src, zipfile.ZipFile(bad, "w") as dst:
        for n in src.namelist():
            dst.writestr(n, src.read(n))
        dst.writestr("ppt/vbaProject.bin", b"\0" * 16)
    company = dataclasses.replace(brand(), template_pptx=bad)
    from roi_in_a_box.brand.template_check import TemplateRejected

    with pytest.raises(TemplateRejected):
        PptxRenderer().render(sample_document("en"), company, tmp_path / "x.pptx")


def test_watermark_and_dropping(tmp_path):
    doc = sample_document("en")
    many = tuple(Paragraph(id=f"p{i}", runs=(Run("Filler paragraph " * 30),), priority=5 + i) for i in range(4))
    page = dataclasses.replace(doc.pages[1], blocks=(*doc.pages[1].blocks, *many))
    doc = dataclasses.replace(doc, pages=(doc.pages[0], page), watermark="DRAFT")
    path = tmp_path / "wm.pptx"
    result = PptxRenderer().render(doc, brand(), path)
    assert result.fitting and all("dropped" in f for f in result.fitting)
    prs = Presentation(str(path))
    assert sum(1 for s in prs.slides[0].shapes if s.has_text_frame and s.text_frame.text == "DRAFT") == 1
    _check_frames(prs)


# --------------------------------------------------------------------------- LibreOffice


@pytest.mark.office
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_renders(decks, tmp_path):
    from tests.lo_helpers import convert_to_pdf, pdf_fonts, pdf_to_pngs

    files = [decks[lang][0] for lang in LANGS]
    pdfs = convert_to_pdf(files, tmp_path / "pdf")
    for lang, pdf in zip(LANGS, pdfs):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        assert pages == decks[lang][1].pages
        fonts = pdf_fonts(pdf)
        assert "Lato" in fonts
        if lang == "bn":
            assert "HindSiliguri" in fonts
        if lang == "th":
            assert "Sarabun" in fonts
        pngs = pdf_to_pngs(pdf, tmp_path / "png", dpi=50)
        assert len(pngs) == pages


def test_slide_numbers_are_fields_that_follow_the_slide(decks):
    """A rep pastes slide 3 into a 40-slide deck: the number must be PowerPoint's field,
    not the text "3 / 6"."""
    for lang, (path, _) in decks.items():
        prs = Presentation(str(path))
        for i, slide in enumerate(prs.slides, start=1):
            fields = [f for f in slide.shapes._spTree.iter(f"{A}fld") if f.get("type") == "slidenum"]
            assert len(fields) == 1, (lang, i)
            assert fields[0].findtext(f"{A}t") == str(i)
            texts = [t.text or "" for t in slide.shapes._spTree.iter(f"{A}t")]
            assert f"{i} / {len(prs.slides)}" not in texts


def test_payback_chart_title_names_the_payback_point(decks):
    prs = Presentation(str(decks["en"][0]))
    titles = [s.chart.chart_title.text_frame.text for slide in prs.slides for s in _shapes(slide.shapes)
              if getattr(s, "has_chart", False) and s.chart.has_title]
    assert any("Payback · 7.5 months" in t for t in titles), titles


def test_title_slide_without_a_template_is_a_cover(tmp_path):
    """No company template: the first "Title Slide" gets brand bands, the publisher on the
    band, a large title below it and the logo above the footer; later slides do not."""
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (400, 100), (31, 58, 95)).save(logo)
    doc = sample_document("en", logo=logo)
    cover_blocks = tuple(b for b in doc.pages[0].blocks if type(b).__name__ in ("Image", "Heading", "Paragraph"))
    doc = dataclasses.replace(doc, pages=(
        dataclasses.replace(doc.pages[0], layout_name="Title Slide", blocks=cover_blocks),
        dataclasses.replace(doc.pages[0], layout_name="Title Slide"),  # not a cover: it holds figures
        *doc.pages[1:]))
    out = tmp_path / "cover.pptx"
    PptxRenderer().render(doc, brand(), out)
    prs = Presentation(str(out))
    first, second = (list(_shapes(s.shapes)) for s in list(prs.slides)[:2])
    named = {s.name: s for s in first}
    band, title = named["Cover band"], named["Title"]
    assert band.top == 0 and band.width == prs.slide_width
    assert title.top > band.top + band.height  # the title sits below the band
    assert named["Publisher"].text_frame.text == doc.author.upper()
    assert named["Publisher"].top + named["Publisher"].height <= band.top + band.height
    sizes = [r.font.size.pt for p in title.text_frame.paragraphs for r in p.runs]
    assert max(sizes) > 30  # cover titles are set larger than the 30 pt slide titles
    assert "Logo" in named and named["Logo"].top > title.top + title.height
    assert "Cover band" not in {s.name for s in second}
    _check_frames(prs)
