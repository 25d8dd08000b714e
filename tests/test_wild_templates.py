"""Defects found in real-world templates from public repositories (issue #14), each
reproduced here with a small file built in the test from python-docx's or python-pptx's own
default template: the originals' licences do not let us keep them.  The sources are named
in each test."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pptx
from lxml import etree
from pptx import Presentation
from pptx.util import Pt

from roi_in_a_box.brand.kit import load_kit
from roi_in_a_box.brand.template_check import check_ooxml_template
from roi_in_a_box.brand.template_prep import prepare_bytes, problems

ROOT = Path(__file__).resolve().parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCX_DEFAULT = Path(docx.__file__).parent / "templates" / "default.docx"
PPTX_DEFAULT = Path(pptx.__file__).parent / "templates" / "default.pptx"
SETTINGS_RELS = "word/_rels/settings.xml.rels"


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def _parts(path_or_data) -> dict[str, bytes]:
    src = io.BytesIO(path_or_data) if isinstance(path_or_data, bytes) else path_or_data
    with zipfile.ZipFile(src) as z:
        return {n: z.read(n) for n in z.namelist()}


def _with_attached_template(target: str) -> bytes:
    parts = _parts(DOCX_DEFAULT)
    parts["word/settings.xml"] = parts["word/settings.xml"].replace(
        b"<w:defaultTabStop", b'<w:attachedTemplate r:id="rIdT"/><w:defaultTabStop', 1)
    assert b"rIdT" in parts["word/settings.xml"]
    parts[SETTINGS_RELS] = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        b'2006/relationships"><Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/attachedTemplate" Target="' + target.encode() + b'" TargetMode="External"/></Relationships>')
    return _zip(parts)


def test_attached_template_on_the_authors_disk_is_dropped_not_refused():
    """CalSol/training-docs ee4_reference.docx: Word recorded the .dotx it was made from as
    file:///C:\\Users\\...\\reference_template.dotx; the template was refused for it."""
    data = _with_attached_template("file:///C:\\Users\\Ducky\\Desktop\\reference_template.dotx")
    prepared = prepare_bytes(data, "docx")
    parts = _parts(prepared.data)
    assert b"attachedTemplate" not in parts["word/settings.xml"] and b"attachedTemplate" not in parts[SETTINGS_RELS]
    assert check_ooxml_template(io.BytesIO(prepared.data), "docx") == []
    assert any("a file on the author's computer" in n and "Ducky" in n for n in prepared.notes), prepared.notes


def test_attached_template_on_a_server_is_refused_with_what_to_do(tmp_path):
    """A template fetched from a server on open (phishing kits use this) is still refused,
    and the reason says how to remove it in Word."""
    bad = tmp_path / "linked.docx"
    bad.write_bytes(_with_attached_template("https://intranet.example/t.dotx"))
    found = problems(bad, "docx")
    assert any("attachedTemplate -> 'https://intranet.example/t.dotx'" in p and "Developer > Document Template" in p
               for p in found), found


def test_bibliography_sources_are_dropped():
    """ISO/TC 171 SC 2's and JAMIA's reference documents carry Word's bibliography source list
    (customXml/item1.xml, b:Sources Version="6"); openxml-audit reported the attribute in
    every output.  Only the discarded body's citations use it."""
    parts = _parts(DOCX_DEFAULT)
    parts["customXml/item1.xml"] = (b'<b:Sources SelectedStyle="\\APA.XSL" StyleName="APA" Version="6" '
                                    b'xmlns:b="http://schemas.openxmlformats.org/officeDocument/2006/bibliography" '
                                    b'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/bibliography"/>')
    parts["customXml/itemProps1.xml"] = (b'<ds:datastoreItem ds:itemID="{1}" xmlns:ds="http://schemas.openxmlformats.'
                                         b'org/officeDocument/2006/customXml"/>')
    parts["customXml/_rels/item1.xml.rels"] = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps" '
        b'Target="itemProps1.xml"/></Relationships>')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/customXml/itemProps1.xml" ContentType="application/vnd.openxmlformats-'
                     b'officedocument.customXmlProperties+xml"/></Types>')
    rels = "word/_rels/document.xml.rels"
    parts[rels] = parts[rels].replace(b"</Relationships>", b'<Relationship Id="rIdB" Type="http://schemas.'
                                      b'openxmlformats.org/officeDocument/2006/relationships/customXml" '
                                      b'Target="../customXml/item1.xml"/></Relationships>')
    prepared = prepare_bytes(_zip(parts), "docx")
    out = _parts(prepared.data)
    assert not [n for n in out if n.startswith("customXml/")]
    assert b"customXml" not in out[rels] and b"itemProps1" not in out["[Content_Types].xml"]
    assert any("bibliography source list" in n for n in prepared.notes), prepared.notes
    docx.Document(io.BytesIO(prepared.data))  # still a document python-docx opens


def test_styles_are_based_on_the_templates_own_normal(tmp_path):
    """Mrered/GongWen-Tamplate-Lite (a Chinese government document template) names Normal
    'a', Default Paragraph Font 'a0' and Normal Table 'a1', as a Chinese Word does; every
    style the engine added was based on 'Normal' (19 openxml-audit errors: 'references
    missing style')."""
    from roi_in_a_box.render.docx.styles import setup_styles

    parts = _parts(DOCX_DEFAULT)
    xml = parts["word/styles.xml"]
    for old, new in ((b"Normal", b"a"), (b"DefaultParagraphFont", b"a0"), (b"TableNormal", b"a1")):
        xml = re.sub(rb'(w:styleId|w:val)="' + old + rb'"', rb'\1="' + new + rb'"', xml)
        xml = xml.replace(b'<w:name w:val="a"/>', b'<w:name w:val="Normal"/>')
    parts["word/styles.xml"] = xml
    prepared = prepare_bytes(_zip(parts), "docx")
    document = docx.Document(io.BytesIO(prepared.data))
    styles = document.styles.element
    assert styles.find(f"{W}style[@{W}styleId='Normal']") is None
    setup_styles(document, load_kit(ROOT / "brand_kits" / "meridian"), "en", stock=False)
    ids = {s.get(f"{W}styleId") for s in styles.iter(f"{W}style")}
    refs = [(s.get(f"{W}styleId"), el.get(f"{W}val")) for s in styles.iter(f"{W}style")
            for el in s if el.tag in (f"{W}basedOn", f"{W}next")]
    assert refs and all(target in ids for _, target in refs), [r for r in refs if r[1] not in ids]
    heading = styles.find(f"{W}style[@{W}styleId='Heading1']")
    assert heading is not None and heading.find(f"{W}basedOn").get(f"{W}val") == "a"


def test_a_doctype_in_a_printer_settings_part_does_not_stop_the_relabelling():
    """shana/talks template.potx: PowerPoint for Mac keeps the printer settings as a property
    list with a DOCTYPE (ppt/printerSettings/printerSettings1.bin); the whole package was
    left unprepared, and python-pptx refused the .potx with a traceback."""
    parts = _parts(PPTX_DEFAULT)
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"presentationml.presentation.main+xml", b"presentationml.template.main+xml")
    parts["ppt/printerSettings/printerSettings1.bin"] = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
        b'"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0"><dict/></plist>')
    prepared = prepare_bytes(_zip(parts), "pptx")
    assert b"presentationml.presentation.main+xml" in _parts(prepared.data)["[Content_Types].xml"]
    Presentation(io.BytesIO(prepared.data))


def test_a_master_without_layouts_is_refused_with_what_to_do(tmp_path):
    """shana/talks template.potx has a slide master and no slide layouts at all; the build
    ended in a StopIteration traceback."""
    parts = _parts(PPTX_DEFAULT)
    for name in [n for n in parts if n.startswith("ppt/slideLayouts/")]:
        del parts[name]
    rels = "ppt/slideMasters/_rels/slideMaster1.xml.rels"
    parts[rels] = re.sub(rb"<Relationship [^>]*slideLayout[^>]*/>", b"", parts[rels])
    master = etree.fromstring(parts["ppt/slideMasters/slideMaster1.xml"])
    for lst in master.iter("{http://schemas.openxmlformats.org/presentationml/2006/main}sldLayoutIdLst"):
        lst.getparent().remove(lst)
    parts["ppt/slideMasters/slideMaster1.xml"] = etree.tostring(master)
    parts["[Content_Types].xml"] = re.sub(rb'<Override PartName="/ppt/slideLayouts/[^>]*/>', b"",
                                          parts["[Content_Types].xml"])
    bad = tmp_path / "no-layouts.pptx"
    bad.write_bytes(_zip(parts))
    found = problems(bad, "pptx")
    assert any("no slide layouts" in p and "Insert Layout" in p for p in found), found


def test_macro_enabled_refusal_says_how_to_save_without_macros(tmp_path):
    """chaebinkim25/Data-structure-2025-2 template.pptm, D-score/dbook1 template.dotm."""
    for suffix, kind, plain in ((".pptm", "pptx", ".pptx/.potx"), (".dotm", "docx", ".docx/.dotx")):
        src = PPTX_DEFAULT if kind == "pptx" else DOCX_DEFAULT
        path = tmp_path / f"t{suffix}"
        path.write_bytes(src.read_bytes())
        found = problems(path, kind)
        assert any(f"macro-enabled file type ({suffix}; File > Save As {plain}" in p for p in found), found


def test_one_line_body_placeholders_are_stretched_with_a_warning(tmp_path):
    """MTES-MCT/otelo-back's template (exported from Google Slides) has a 22 pt tall body
    placeholder on 'Title and Content' over a 310 pt master body: every content slide
    needed "content needs 187 pt, box has 24 pt", a 7-slide deck became 15 slides, and a
    chart got a negative height."""
    from roi_in_a_box.render.pptx.template import _company

    prs = Presentation(str(PPTX_DEFAULT))
    layout = prs.slide_layouts.get_by_name("Title and Content")
    body = next(ph for ph in layout.placeholders if ph.placeholder_format.idx == 1)
    top = body.top
    body.height = Pt(22)
    path = tmp_path / "short-body.pptx"
    prs.save(str(path))
    base = _company(path, load_kit(ROOT / "brand_kits" / "meridian"))
    info = base.layouts["Title and Content"]
    master_body = next(ph for ph in prs.slide_masters[0].placeholders if ph.placeholder_format.idx == 1)
    assert info.area is not None and info.area.y == top
    assert info.area.h > Pt(200) and info.area.y + info.area.h <= master_body.top + master_body.height
    assert dict(info.bodies)[1].h == info.area.h
    assert any("'Title and Content': its content placeholder is only 22 pt tall" in w for w in base.warnings), \
        base.warnings
    assert base.layouts["Two Content"].area.h > Pt(200)  # untouched: already tall
    assert not any("'Two Content'" in w for w in base.warnings)


def test_dangling_style_links_short_list_ids_and_math_settings_are_repaired():
    """BDO-Science/Markdown-Templates report_word.docx (a pandoc reference document saved by
    Word): token styles based on a missing 'VerbatimChar', 4-digit w:nsid, m:mathPr before
    w:rsids; 36 openxml-audit errors in every output."""
    parts = _parts(DOCX_DEFAULT)
    parts["word/styles.xml"] = parts["word/styles.xml"].replace(
        b"</w:styles>", b'<w:style w:type="character" w:customStyle="1" w:styleId="KeywordTok"><w:name w:val="KeywordTok"/>'
                        b'<w:basedOn w:val="VerbatimChar"/></w:style></w:styles>')
    parts["word/numbering.xml"] = (
        b'<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum '
        b'w:abstractNumId="0"><w:nsid w:val="1A2B"/><w:multiLevelType w:val="singleLevel"/></w:abstractNum>'
        b'</w:numbering>')
    math = b'<m:mathPr xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"><m:dispDef/></m:mathPr>'
    settings = re.sub(rb"<w:rsids>.*?</w:rsids>", b"", parts["word/settings.xml"], flags=re.S)
    parts["word/settings.xml"] = settings.replace(b"<w:themeFontLang", math + b'<w:rsids><w:rsidRoot w:val="00A1B2C3"/>'
                                                  b"</w:rsids><w:themeFontLang", 1)
    prepared = prepare_bytes(_zip(parts), "docx")
    out = _parts(prepared.data)
    assert b"VerbatimChar" not in out["word/styles.xml"] and b'w:styleId="KeywordTok"' in out["word/styles.xml"]
    assert b'<w:nsid w:val="00001A2B"/>' in out["word/numbering.xml"]
    assert out["word/settings.xml"].index(b"rsids") < out["word/settings.xml"].index(b"mathPr")
