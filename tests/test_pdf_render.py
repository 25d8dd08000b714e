"""The PDF renderer on the shared sample tree (every block type, en/bn/th).

Text read back from the PDF is the source text, ligatures, conjuncts and reordered Bengali
vowel signs included (render/pdf/tounicode.py), after Unicode normalisation ("ﬁ", "য়") and
whitespace removal; Bengali and Thai are also checked through fonts and by eye (pdftoppm).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).parent))
from sample_tree import HOSTILE, TEXT, sample_document
from sample_tree import test_brand as make_brand

from roi_in_a_box.layout.tree import Document, Image, Page, Paragraph, Run
from roi_in_a_box.render.pdf.renderer import TOO_LONG, PdfRenderer

LANGS = ("en", "bn", "th")
BRAND = make_brand()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, tuple[Path, int]]:
    out = tmp_path_factory.mktemp("pdf")
    r = PdfRenderer()
    result = {}
    for lang in LANGS:
        res = r.render(sample_document(lang), BRAND, out / f"{lang}.pdf")
        result[lang] = (res.path, res.pages)
        assert res.warnings == []
    return result


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def _is_pua(ch: str) -> bool:
    return 0xE000 <= ord(ch) <= 0xF8FF


def find(expected: str, text: str, start: int = 0) -> int:
    """End offset of the first match of ``expected`` (normalised) in ``text`` at or after
    ``start``, or -1."""
    exp = _norm(expected)
    at = text.find(exp, start)
    return -1 if at < 0 else at + len(exp)


def page_texts(path: Path) -> list[str]:
    return [_norm(p.extract_text()) for p in PdfReader(path).pages]


def test_page_count_matches_the_file_and_count_pages(rendered):
    r = PdfRenderer()
    for lang, (path, pages) in rendered.items():
        assert len(PdfReader(path).pages) == pages
        assert 2 <= pages <= 3  # two tree pages; the second is long (three charts)
        assert r.count_pages(sample_document(lang), BRAND) == pages


def test_modest_one_pager_fits_one_letter_page():
    doc = sample_document("en")
    one = dataclasses.replace(doc, pages=doc.pages[:1], max_pages=1)
    r = PdfRenderer()
    assert r.count_pages(one, BRAND) == 1
    assert r.fits(one, BRAND)


def test_english_text_in_reading_order(rendered):
    text = " ".join(page_texts(rendered["en"][0]))
    expected = [
        "Ledgerly cuts month-end close from 12 days to 4", "According to our research, 60% of companies",
        "Read the study.", "212%", "3-year ROI", "$1.4M", "Net present value", "7.5 months", "Payback",
        "G2 rating, 212 reviews", "Efficiency", "Automated reconciliation", "Audit readiness",
        "Cash visibility", "Close faster", "“We closed the books in four days", "VP Finance · Mid-market · Retail",
        "Winning zone", "Evidenced ROI types highlighted", "ROI model", "Benefits", "$620K", "−$180K",
        "Risk-adjusted; discounted at 10%", "Benefits vs costs by year", "$760K", "From benefits to NPV",
        "Reconciliation", "$1.4M", "Cumulative net cash flow", "Months", "Incentivized review",
        "Controller · Enterprise · Banking", "Book a 30-minute strategy session", "roi@example.com",
        "Based on 212 verified G2 reviews", "payback on undiscounted",
    ]
    pos = 0
    for item in expected:
        end = find(item, text, pos)
        assert end >= 0, f"{item!r} not found after offset {pos}: {text[pos:pos + 200]!r}"
        pos = end


def test_footer_and_page_numbers(rendered):
    texts = page_texts(rendered["en"][0])
    for n, t in enumerate(texts, 1):
        assert t.endswith(f"Northbeam Analyst Partners {n}") or find(f"Northbeam Analyst Partners {n}", t) >= 0


@pytest.mark.parametrize("lang", LANGS)
def test_hostile_markup_is_printed_literally(rendered, lang):
    text = " ".join(page_texts(rendered[lang][0]))
    assert "<img src='/etc/passwd'/>" in text
    assert find(HOSTILE, text) >= 0
    data = rendered[lang][0].read_bytes()
    assert b"/Subtype /Image" not in data  # nothing was loaded from the markup


@pytest.mark.parametrize("lang", LANGS)
def test_links_are_https_or_mailto_only(rendered, lang):
    uris = []
    for page in PdfReader(rendered[lang][0]).pages:
        for annot in page.get("/Annots") or []:
            a = annot.get_object()
            action = a.get("/A")
            if action is not None:
                uris.append(str(action.get_object().get("/URI")))
    assert sorted(uris) == ["https://example.com/study", "mailto:roi@example.com"]


def test_unsafe_links_lose_their_link_not_their_text(tmp_path):
    doc = Document(kind="t", title="t", language="en", pages=(Page(blocks=(Paragraph(runs=(
        Run("click ", link="javascript:alert(1)"), Run("here", link="file:///etc/passwd"),)),)),))
    path = PdfRenderer().render(doc, BRAND, tmp_path / "l.pdf").path
    reader = PdfReader(path)
    assert not reader.pages[0].get("/Annots")
    assert "click here" in _norm(reader.pages[0].extract_text())


@pytest.mark.parametrize("lang", LANGS)
def test_metadata(rendered, lang):
    reader = PdfReader(rendered[lang][0])
    doc = sample_document(lang)
    meta = reader.metadata
    assert meta.title == doc.title
    assert meta.author == doc.author
    assert meta.subject == doc.subject
    assert str(reader.trailer["/Root"]["/Lang"]) == lang


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("lang", LANGS)
def test_only_embedded_subset_fonts(rendered, lang):
    out = subprocess.run(["pdffonts", str(rendered[lang][0])], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        name, emb, sub, uni = row[0], row[-5], row[-4], row[-3]
        assert re.match(r"[A-Z]{6}\+", name), row
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
        assert "Helvetica" not in name
    names = " ".join(r[0] for r in rows)
    if lang == "bn":
        assert "HindSiliguri" in names
    if lang == "th":
        assert "Sarabun" in names


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf not installed")
@pytest.mark.parametrize("lang", LANGS)
def test_qpdf_check(rendered, lang):
    res = subprocess.run(["qpdf", "--check", str(rendered[lang][0])], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


@pytest.mark.parametrize("lang", LANGS)
def test_renders_are_byte_identical(rendered, lang, tmp_path):
    again = PdfRenderer().render(sample_document(lang), BRAND, tmp_path / "again.pdf").path
    assert again.read_bytes() == rendered[lang][0].read_bytes()


def test_watermark_on_every_page(tmp_path):
    doc = dataclasses.replace(sample_document("en"), watermark="DRAFT")
    res = PdfRenderer().render(doc, BRAND, tmp_path / "draft.pdf")
    texts = page_texts(res.path)
    assert len(texts) == res.pages
    assert all("DRAFT" in t for t in texts)
    if shutil.which("qpdf"):
        assert subprocess.run(["qpdf", "--check", str(res.path)], capture_output=True).returncode == 0
    assert not any("DRAFT" in t for t in page_texts(PdfRenderer().render(
        sample_document("en"), BRAND, tmp_path / "final.pdf").path))


def test_a4_and_margins(tmp_path):
    doc = sample_document("en", page_size="a4")
    res = PdfRenderer().render(doc, BRAND, tmp_path / "a4.pdf")
    box = PdfReader(res.path).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_logo_is_embedded_with_its_aspect_ratio(tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (400, 100), (31, 58, 95)).save(logo)
    res = PdfRenderer().render(sample_document("en", logo=logo), BRAND, tmp_path / "logo.pdf")
    page = PdfReader(res.path).pages[0]
    images = list(page.images)
    assert len(images) == 1
    assert images[0].image.size == (400, 100)


def test_missing_image_is_a_warning_not_a_crash(tmp_path):
    res = PdfRenderer().render(sample_document("en", logo=tmp_path / "nope.png"), BRAND, tmp_path / "x.pdf")
    assert res.warnings and "nope.png" in res.warnings[0]


def test_count_pages_writes_nothing(tmp_path):
    before = set(tmp_path.iterdir())
    assert PdfRenderer().count_pages(sample_document("th"), BRAND) >= 2
    assert set(tmp_path.iterdir()) == before
    assert TOO_LONG > 100


def test_empty_document_still_makes_a_valid_one_page_pdf(tmp_path):
    doc = Document(kind="t", title="", language="en", pages=())
    res = PdfRenderer().render(doc, BRAND, tmp_path / "empty.pdf")
    assert res.pages == 1 == len(PdfReader(res.path).pages)


def test_chart_without_data_is_left_out_with_a_warning(tmp_path):
    from roi_in_a_box.layout.tree import Chart

    doc = Document(kind="t", title="t", language="en", pages=(Page(blocks=(Chart(id="c", title="Empty"),)),))
    res = PdfRenderer().render(doc, BRAND, tmp_path / "c.pdf")
    assert res.warnings == ["c: no data; chart left out"]


def test_long_columns_continue_side_by_side_on_the_next_page(tmp_path):
    from roi_in_a_box.layout.tree import Columns, Heading, Quote

    para = Paragraph(runs=(Run("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 8),))
    cols = Columns(columns=((para,) * 8, (Quote(text="Short quote", attribution="Someone"),)), weights=(2, 1))
    doc = Document(kind="t", title="t", language="en",
                   pages=(Page(blocks=(Heading(text="Long columns", level=1), cols, Paragraph(runs=(Run("The end."),)))),))
    r = PdfRenderer()
    res = r.render(doc, BRAND, tmp_path / "cols.pdf")
    assert res.pages == 2 == r.count_pages(doc, BRAND)
    texts = page_texts(res.path)
    assert "Short quote" in texts[0] and "The end." in texts[1]


def test_ligatures_read_back_as_the_letters_they_stand_for(rendered):
    """Lato draws "ti", "tt" and "ft" as single glyphs; copy and search must still see the
    letters (ReportLab alone maps them to private-use characters, and poppler then drops
    the letters after them)."""
    raw = PdfReader(rendered["en"][0]).pages[0].extract_text()
    assert not any(_is_pua(ch) for ch in raw)
    for word in ("Attributable", "Transformational", "Competitive zone"):
        assert find(word, _norm(raw)) >= 0, word
    poppler = subprocess.run(["pdftotext", str(rendered["en"][0]), "-"], capture_output=True, text=True)
    if poppler.returncode == 0:
        assert "Transformational" in poppler.stdout and "Attributable" in poppler.stdout


def test_a_split_long_word_keeps_its_ligatures_across_a_page_break(tmp_path):
    """A word too long for its column is cut inside its shaped glyphs; when the paragraph
    then runs over a page break ReportLab joins the pieces and shapes them again.  The
    ligature glyphs must come back as letters, not as .notdef boxes (found by the
    generated-tree test: "h\ufffeps" for "https")."""
    from roi_in_a_box.layout.tree import Columns, FrameworkGraphic, Heading, Table

    url = "https://example.com/reconciliation-automation-platform-for-mid-market-finance-teams"
    frame = FrameworkGraphic(zone="winning")
    table = Table(header=("H0", "H1", "H2", "H3"), rows=(("", "", "", ""),) * 12)
    heads = Columns(columns=((Heading(text="According", level=0),), (Heading(text="According", level=0),),
                             (Heading(text="According " + url, level=0),)))
    doc = Document(kind="t", title="t", language="en", pages=(Page(blocks=(frame, table, frame, heads)),))
    res = PdfRenderer().render(doc, BRAND, tmp_path / "split.pdf")
    assert res.pages == 2
    text = "".join(re.sub(r"\s*\d+\s*$", "", t) for t in page_texts(res.path))
    assert "\ufffd" not in text and "\uffff" not in text
    assert "".join(url.split()) in "".join(text.split())


@pytest.mark.parametrize("lang", ["bn", "th"])
def test_complex_scripts_read_back_word_for_word(rendered, lang):
    """Every word of the title, paragraph and quote comes back from the PDF: conjuncts,
    stacked Thai marks, vowel signs drawn before their consonant ("ডি" is drawn "ি" + "ড")
    and rephs drawn after it ("র্ড") all read in source order."""
    words = [w for key in ("title", "para", "quote") for w in TEXT[lang][key].split()]
    extractions = {"pypdf": "".join(p.extract_text() for p in PdfReader(rendered[lang][0]).pages)}
    poppler = subprocess.run(["pdftotext", str(rendered[lang][0]), "-"], capture_output=True, text=True)
    if poppler.returncode == 0:  # poppler puts raised glyphs (Thai stacked marks) on lines of their own
        extractions["pdftotext"] = poppler.stdout
    for tool, raw in extractions.items():
        assert not [hex(ord(ch)) for ch in raw if _is_pua(ch) or ord(ch) >= 0xF0000], tool
        text = unicodedata.normalize("NFKD", re.sub(r"\s+", "", raw))
        missing = [w for w in words if unicodedata.normalize("NFKD", w) not in text]
        assert not missing, tool


def test_bytes_do_not_depend_on_what_the_process_rendered_before(tmp_path):
    """A PDF rendered after other documents equals one from a fresh process.  Glyphs
    without a character of their own used to be numbered in the order the process first
    shaped them, so a Bengali one-pager's bytes changed with what a batch built before."""
    words = "অ্যাট্রিবিউটেবল ক্ষেত্র দ্বন্দ্ব স্বয়ংক্রিয় প্রয়োজন নিশ্চিন্ত Shiftsabai attributable"
    primer = Document(kind="t", title="t", language="bn", pages=(Page(blocks=(Paragraph(runs=(Run(words),)),)),))
    PdfRenderer().render(primer, BRAND, tmp_path / "primer.pdf")
    warm = PdfRenderer().render(sample_document("bn"), BRAND, tmp_path / "warm.pdf").path
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from pathlib import Path;"
        "from sample_tree import sample_document, test_brand;"
        "from roi_in_a_box.render.pdf.renderer import PdfRenderer;"
        "PdfRenderer().render(sample_document('bn'), test_brand(), Path(sys.argv[2]))"
    )
    fresh = tmp_path / "fresh.pdf"
    subprocess.run([sys.executable, "-c", script, str(Path(__file__).parent), str(fresh)], check=True)
    assert fresh.read_bytes() == warm.read_bytes()


def test_payback_marker_says_what_it_marks(rendered):
    text = " ".join(page_texts(rendered["en"][0]))
    assert find("Payback · 7.5 months", text) >= 0


def test_an_image_is_decoded_and_compressed_once_per_process(monkeypatch) -> None:
    """The second document drawing the same logo reuses its decoded, compressed samples,
    and its bytes are the bytes a process that never saw the logo writes."""
    from roi_in_a_box.render.pdf import images

    doc = sample_document("en", logo=Path(__file__).resolve().parents[1] / "sample_inputs" / "logos" / "ledgerly.png")
    assert any(isinstance(b, Image) and b.path for p in doc.pages for b in p.blocks)
    images._READERS.clear()
    images._OBJECTS.clear()
    fresh = PdfRenderer().render_bytes(doc, BRAND)[0]
    loads: list[int] = []
    real = images._Loaded.loadImageFromSRC
    monkeypatch.setattr(images._Loaded, "loadImageFromSRC", lambda self, im: loads.append(1) or real(self, im))
    again = PdfRenderer().render_bytes(doc, BRAND)[0]
    assert loads == [] and again == fresh
    images._READERS.clear()
    images._OBJECTS.clear()
    assert PdfRenderer().render_bytes(doc, BRAND)[0] == fresh and len(loads) == 2  # the image and its alpha mask
