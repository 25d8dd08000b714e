"""No synthesized italic: text whose family has no italic face (Hind Siliguri) is set
upright in DOCX and PPTX, as in the PDF; families with an italic face (Lato, Sarabun) keep it.
Read back from the files: the DOCX Quote style and runs (w:i applies to the Latin font,
w:iCs to the complex-script font) and every PPTX run's i attribute with its typefaces."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from roi_in_a_box.render.docx import DocxRenderer
from roi_in_a_box.render.registry import renderer_for
from tests.sample_tree import sample_document
from tests.sample_tree import test_brand as make_brand

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.mark.parametrize("lang,cs_italic", [("bn", False), ("th", True)])
def test_docx_quote_is_italic_only_where_the_face_exists(tmp_path: Path, lang: str, cs_italic: bool) -> None:
    path = DocxRenderer().render(sample_document(lang), make_brand(), tmp_path / "q.docx").path
    z = zipfile.ZipFile(path)
    styles = etree.fromstring(z.read("word/styles.xml"))
    quote = styles.find(f"{W}style[@{W}styleId='Quote']")
    rpr = quote.find(f"{W}rPr")
    assert rpr.find(f"{W}i") is not None  # Lato has an italic
    assert (rpr.find(f"{W}iCs") is not None) is cs_italic
    doc = z.read("word/document.xml").decode()
    if not cs_italic:
        for run in re.findall(r"<w:r>.*?</w:r>", doc):
            if 'w:cs="Hind Siliguri"' in run and re.search("[\u0980-\u09ff]", run):
                assert "<w:iCs/>" not in run


@pytest.mark.parametrize("lang", ["bn", "th"])
def test_pptx_runs_are_italic_only_in_families_with_an_italic(tmp_path: Path, lang: str) -> None:
    path = renderer_for("pptx").render(sample_document(lang), make_brand(), tmp_path / "q.pptx").path
    z = zipfile.ZipFile(path)
    italic_by_family: dict[str, int] = {}
    for name in z.namelist():
        if not re.match(r"ppt/slides/slide\d+\.xml$", name):
            continue
        for r in etree.fromstring(z.read(name)).iter(f"{A}r"):
            rpr = r.find(f"{A}rPr")
            if rpr is None or rpr.get("i") != "1":
                continue
            cs, latin = rpr.find(f"{A}cs"), rpr.find(f"{A}latin")  # a:cs draws Bengali/Thai
            fam = (cs if cs is not None else latin).get("typeface")
            italic_by_family[fam] = italic_by_family.get(fam, 0) + 1
    assert "Hind Siliguri" not in italic_by_family, italic_by_family
    assert italic_by_family.get("Lato", 0) + italic_by_family.get("Sarabun", 0) > 0, italic_by_family
