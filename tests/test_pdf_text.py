"""PDF text in Latin, Bengali and Thai: fonts, escaping, shaping and Thai line breaks.

Text extracted from these PDFs is not the source text (ReportLab writes shaped glyphs with
no ActualText: Thai marks and Bengali vowel order are lost), so checks on extracted Thai
normalise both sides and treat private-use glyphs as wildcards.  The rendered pages were
also inspected by eye (pdftoppm -r 110); keep doing that when ReportLab changes.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import shapeStr
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate, Spacer

from roi_in_a_box.brand.fonts import FontFileError, choose_family, find_missing, font_runs, fontpkg_family
from roi_in_a_box.brand.model import FontRole
from roi_in_a_box.layout.tree import Run
from roi_in_a_box.render.pdf.fonts import register_family
from roi_in_a_box.render.pdf.text import draw_label, make_paragraph, measure, runs_to_markup, thai_breaks
from roi_in_a_box.text.scripts import script_of, split_by_script, strip_control

SEEDS = Path("/work/shared/seeds")
BENGALI = (SEEDS / "000_84f62669aa76e972.txt").read_text(encoding="utf-8")
THAI = (SEEDS / "001_dccf3969ce1ec290.txt").read_text(encoding="utf-8")
HOSTILE = "Quote: <img src='/etc/passwd'/> and an unclosed <b> & \"quotes\""

LATO = fontpkg_family("fontpkg_lato", "Lato", "Lato-Regular.ttf", "Lato-Bold.ttf",
                      "Lato-Italic.ttf", "Lato-BoldItalic.ttf")
HIND = fontpkg_family("fontpkg_hind_siliguri", "Hind Siliguri", "HindSiliguri-Regular.ttf",
                      "HindSiliguri-Bold.ttf")
SARABUN = fontpkg_family("fontpkg_sarabun", "Sarabun", "Sarabun-Regular.ttf", "Sarabun-Bold.ttf",
                         "Sarabun-Italic.ttf", "Sarabun-BoldItalic.ttf")
ROLE = FontRole(by_script={"latin": LATO, "bengali": HIND, "thai": SARABUN})
BODY = ParagraphStyle("body", fontSize=11, leading=16)
COLUMN = 150.0  # points: a narrow column forces many line breaks


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def build_pdf(path: Path, flowables: list, width: float = COLUMN) -> Path:
    margin = (A4[0] - width) / 2
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=margin, rightMargin=margin,
                            topMargin=36, bottomMargin=36, initialFontName=register_family(LATO),
                            invariant=1)
    doc.build(flowables)
    return path


# --------------------------------------------------------------------------- scripts


def test_script_runs_keep_punctuation_and_digits_with_their_neighbours():
    assert split_by_script("ROI-এর") == [("latin", "ROI-"), ("bengali", "এর")]
    assert split_by_script("2023 সালের") == [("bengali", "2023 সালের")]
    assert split_by_script("ROI “আমাদের”") == [("latin", "ROI "), ("bengali", "“আমাদের”")]
    assert split_by_script("โดย CFO/CEO เพราะ") == [("thai", "โดย "), ("latin", "CFO/CEO "),
                                                  ("thai", "เพราะ")]
    assert split_by_script("212%") == [("common", "212%")]
    assert split_by_script("") == []
    assert [script_of(c) for c in "aé৳ไ5 ।Ж"] == ["latin", "latin", "bengali", "thai", "common",
                                                "common", "bengali", "other"]
    assert strip_control("a\x00b\x1bc\x85d\n\te") == "abcd\n\te"


def test_fonts_are_chosen_from_the_cmap():
    assert choose_family(ROLE, "thai", "ใหม่”") is SARABUN
    assert choose_family(ROLE, "latin", "CFO/CEO") is LATO
    assert choose_family(ROLE, "latin", "\U0001F600") is None
    # Lato has no triangle: that character alone moves to a font that has it
    runs = [(f.name, t) for f, t in font_runs("Revenue ▲ 12%", ROLE)]
    assert runs[0] == ("Lato", "Revenue ") and runs[1][1] == "▲" and runs[1][0] != "Lato"
    assert runs[2] == ("Lato", " 12%")
    with pytest.raises(FontFileError, match="not found"):
        fontpkg_family("fontpkg_lato", "Lato", "Nope.ttf", "Lato-Bold.ttf")



def test_variable_fonts_are_rejected(tmp_path):
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables._f_v_a_r import Axis, table__f_v_a_r

    from roi_in_a_box.brand.fonts import check_truetype

    font = TTFont(LATO.regular)
    fvar = font["fvar"] = table__f_v_a_r()
    axis = Axis()
    axis.axisTag, axis.minValue, axis.defaultValue, axis.maxValue, axis.axisNameID = "wght", 100, 400, 900, 256
    fvar.axes, fvar.instances = [axis], []
    path = tmp_path / "Variable[wght].ttf"
    font.save(path)
    with pytest.raises(FontFileError, match="variable font"):
        check_truetype(path)


def test_find_missing_reports_uncovered_characters():
    # verified absent from Lato, Hind Siliguri and Sarabun
    missing = find_missing("ok ★ 😀 ๆ ★ क", ROLE, "quote-3")
    assert [(m.char, m.codepoint, m.context) for m in missing] == [
        ("★", "U+2605", "quote-3"), ("😀", "U+1F600", "quote-3"), ("क", "U+0915", "quote-3")]
    assert find_missing(BENGALI + THAI, ROLE, "seeds") == []


# --------------------------------------------------------------------------- markup


def test_markup_escapes_data_and_drops_unsafe_links():
    markup = runs_to_markup([Run(HOSTILE), Run(" js", link="javascript:alert(1)"),
                             Run(" file", link="file:///etc/passwd"),
                             Run(" web", bold=True, link="https://example.com/?a=1&b=\"2\""),
                             Run(" mail", italic=True, link="mailto:a@example.com")], ROLE)
    assert "<img" not in markup and "&lt;img src=&#39;/etc/passwd&#39;/&gt;" in markup
    assert "javascript" not in markup and "file:" not in markup
    assert 'href="https://example.com/?a=1&amp;b=&quot;2&quot;"' in markup
    assert markup.count("<b>") == 1 and markup.count("<i>") == 1


def test_hostile_text_renders_literally_with_safe_links_only(tmp_path):
    runs = [Run(HOSTILE + " "), Run("bad", link="javascript:alert(1)"), Run(" good", link="https://example.com/")]
    pdf = build_pdf(tmp_path / "hostile.pdf", [make_paragraph(runs, BODY, ROLE)], width=400)
    with pdfplumber.open(pdf) as doc:
        text = doc.pages[0].extract_text()
    assert HOSTILE in text.replace("\n", " ")
    uris = [a.get_object()["/A"]["/URI"] for a in PdfReader(pdf).pages[0].get("/Annots", [])]
    assert uris == ["https://example.com/"]


# --------------------------------------------------------------------------- shaping


def line_fragments(para) -> list[list[tuple[str, str]]]:
    return [[(w.fontName, str(w.text)) for w in line.words] for line in para.blPara.lines]


def test_bengali_is_shaped_and_mixed_font_words_use_each_font():
    para = make_paragraph("কি CEO-দের", BODY, ROLE, "bn")
    para.wrap(400, 1000)
    (line,) = line_fragments(para)
    hind, lato = register_family(HIND), register_family(LATO)
    assert [name for name, _ in line] == [hind, lato, hind]
    # "কি" is one cluster code: a composite of the i vowel sign's glyph, drawn first, and
    # the consonant's, whose text reads "কি" (see tounicode.clustered)
    face = getFont(hind).face
    code = ord(line[0][1][0])
    comps, _ = face.cluster_glyphs[code]
    assert [gid for gid, _, _ in comps] == [face.charToGlyph[0x09BF], face.charToGlyph[0x0995]]
    assert getFont(hind).glyph_text[code] == "কি"
    assert line[1][1] == "CEO-"
    # the Bengali part of "CEO-দের" is shaped with its own face: the same glyphs as if alone
    alone = shapeStr("দের", hind, BODY.fontSize)

    def glyphs(s: str) -> list[int]:
        return [g for ch in s for g in ([c[0] for c in face.cluster_glyphs[ord(ch)][0]]
                                        if ord(ch) in face.cluster_glyphs else [face.charToGlyph[ord(ch)]])]

    assert glyphs(line[2][1]) == glyphs(alone)


def test_bold_and_italic_use_the_real_faces():
    para = make_paragraph([Run("Bold ", bold=True), Run("ফল", bold=True), Run(" it", italic=True)],
                          BODY, ROLE)
    para.wrap(400, 1000)
    names = [name for name, _ in line_fragments(para)[0]]
    assert names[0].startswith("Lato") and names[0].endswith("-B")
    assert names[1].startswith("HindSiliguri") and names[1].endswith("-B")
    assert names[2].endswith("-I")


# --------------------------------------------------------------------------- Thai breaks


def _normalise(text: str) -> str:
    """Thai as it survives extraction: no combining marks, no spaces, sara am as sara aa."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Mn")


def test_thai_lines_break_only_between_words(tmp_path):
    from pythainlp.tokenize import word_tokenize

    texts = paragraphs(THAI)[:8]
    pdf = build_pdf(tmp_path / "thai.pdf",
                    [x for t in texts for x in (make_paragraph(t, BODY, ROLE, "th"), Spacer(1, 8))])
    # allowed line ends: PyThaiNLP word ends and spaces, in normalised coordinates
    source, allowed = "", set()
    for text in texts:
        for token in word_tokenize(text, engine="newmm", keep_whitespace=True):
            source += _normalise(token)
            allowed.add(len(source))
    with pdfplumber.open(pdf) as doc:
        lines = [ln for page in doc.pages for ln in page.extract_text().split("\n")]
    pos, checked = 0, 0
    for line in map(_normalise, lines):
        if not line:
            continue
        # private-use characters are glyphs with no Unicode (a consonant variant, or stacked
        # marks, which normalising removed): match one character or none
        pattern = "".join(".??" if "\ue000" <= c <= "\uf8ff" else re.escape(c) for c in line)
        match = re.compile(pattern).match(source, pos)
        assert match, f"line {line!r} not found at {source[pos:pos + 40]!r}"
        pos = match.end()
        assert pos in allowed, f"line ends inside a word: {source[pos - 15:pos]}|{source[pos:pos + 15]}"
        checked += 1
    assert pos == len(source) and checked > 20


def test_thai_words_join_without_a_gap():
    phrase = "ผู้นำด้านรายได้ของบริษัทจะบอกเรา"
    assert len(thai_breaks(phrase)) >= 5
    para = make_paragraph(phrase, BODY, ROLE, "th")
    para.wrap(1000, 1000)
    shaped = shapeStr(phrase, register_family(SARABUN), BODY.fontSize)
    natural = sum(sd.x_advance for sd in shaped.__shapeData__) * BODY.fontSize / 1000
    assert para.getActualLineWidths0()[0] == pytest.approx(natural, abs=0.01)
    # and it breaks when the column is narrow, with no line overflowing
    para.wrap(60, 1000)
    assert len(para.blPara.lines) > 2
    assert all(line.extraSpace >= 0 for line in para.blPara.lines)


def test_split_paragraphs_keep_thai_words(tmp_path):
    """A Thai paragraph split across frames re-wraps from its prepared word list."""
    text = " ".join(paragraphs(THAI)[3:6])
    para = make_paragraph(text, BODY, ROLE, "th")
    first, rest = para.split(COLUMN, 5 * para.style.leading)  # (its leading, raised for stacked marks)
    assert len(first.blPara.lines) == 5
    rest.wrap(COLUMN * 1.5, 1e9)
    assert all(line.extraSpace >= 0 for line in rest.blPara.lines)
    assert measure(text, BODY, ROLE, COLUMN, "th") > measure(text, BODY, ROLE, COLUMN * 2, "th")


# --------------------------------------------------------------------------- whole PDFs


def pdffonts(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:]]


def test_mixed_pdf_embeds_subset_fonts_only(tmp_path):
    flow = []
    for text, lang in ((HOSTILE, "en"), *((t, "bn") for t in paragraphs(BENGALI)[:6]),
                       *((t, "th") for t in paragraphs(THAI)[:6])):
        flow += [make_paragraph(text, BODY, ROLE, lang), Spacer(1, 6)]
    pdf = build_pdf(tmp_path / "mixed.pdf", flow)
    fonts = pdffonts(pdf)
    assert fonts, "no fonts listed"
    for row in fonts:
        name, emb, sub, uni = row[0], row[-5], row[-4], row[-3]
        assert "Helvetica" not in name and "+" in name, row
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
    assert {r[0].split("+")[1].rsplit("-", 2)[0] for r in fonts} >= {"Lato", "HindSiliguri", "Sarabun"}


def test_labels_are_shaped_aligned_and_shrink_to_fit(tmp_path):
    pdf = tmp_path / "labels.pdf"
    canvas = Canvas(str(pdf), pagesize=(300, 200), invariant=1, initialFontName=register_family(LATO))
    w_left = draw_label(canvas, 20, 150, "ROI-এর ৳১২.৫ লাখ", 10, "#222222", ROLE, lang="bn")
    w_center = draw_label(canvas, 150, 120, "ผลตอบแทน 212%", 10, "#222222", ROLE, align="center")
    w_fit = draw_label(canvas, 280, 90, "ผลตอบแทนจากการลงทุนสามปี 212%", 10, "#222222", ROLE,
                       align="right", bold=True, max_width=100)
    canvas.save()
    assert 0 < w_left < 150 and 0 < w_center < 100 and 0 < w_fit <= 100
    with pdfplumber.open(pdf) as doc:
        chars = doc.pages[0].chars
    # centred label: its glyphs sit around x=150
    mid = [c for c in chars if 110 < 200 - c["bottom"] < 125]
    assert abs((min(c["x0"] for c in mid) + max(c["x1"] for c in mid)) / 2 - 150) < 1
    assert max(c["x1"] for c in chars if 200 - c["bottom"] < 95) <= 280.5
