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


# --------------------------------------------------------------------------- a kit's italic_family

SERIF_BN = Path("/usr/share/fonts/truetype/noto")  # fonts-noto-core (tools/system-packages.txt)
needs_serif = pytest.mark.needs(str(SERIF_BN / "NotoSerifBengali-Regular.ttf"))


def _alt_brand():
    """The test brand with Hind Siliguri's italic text set in Noto Serif Bengali (upright:
    it has no italic either)."""
    from dataclasses import replace

    from roi_in_a_box.brand.model import FontFamily, FontRole
    from tests.sample_tree import HIND, LATO, SARABUN

    serif = FontFamily("Noto Serif Bengali", SERIF_BN / "NotoSerifBengali-Regular.ttf",
                       SERIF_BN / "NotoSerifBengali-Bold.ttf")
    hind = replace(HIND, italic_family=serif)
    role = FontRole({"latin": LATO, "bengali": hind, "thai": SARABUN}, fallbacks=(hind, SARABUN))
    return replace(make_brand(), heading=role, body=role)


@needs_serif
def test_kit_italic_family_sets_bengali_quotes_in_docx(tmp_path: Path) -> None:
    path = DocxRenderer().render(sample_document("bn"), _alt_brand(), tmp_path / "q.docx").path
    z = zipfile.ZipFile(path)
    styles = etree.fromstring(z.read("word/styles.xml"))
    quote = styles.find(f"{W}style[@{W}styleId='Quote']")
    assert quote.find(f"{W}rPr/{W}rFonts").get(f"{W}cs") == "Noto Serif Bengali"
    assert quote.find(f"{W}rPr/{W}iCs") is None
    doc = etree.fromstring(z.read("word/document.xml"))
    by_style: dict[str, set[str]] = {}
    for p in doc.iter(f"{W}p"):
        ps = p.find(f"{W}pPr/{W}pStyle")
        for r in p.iter(f"{W}r"):
            text = "".join(t.text or "" for t in r.iter(f"{W}t"))
            rf = r.find(f"{W}rPr/{W}rFonts")
            if rf is not None and re.search("[\u0980-\u09ff]", text):
                by_style.setdefault(ps.get(f"{W}val") if ps is not None else "", set()).add(rf.get(f"{W}cs"))
                assert r.find(f"{W}rPr/{W}iCs") is None  # neither family has an italic: upright
    assert by_style.pop("Quote") == {"Noto Serif Bengali"}, by_style
    assert by_style and all(v == {"Hind Siliguri"} for v in by_style.values()), by_style  # all other text
    table = z.read("word/fontTable.xml").decode()
    embedded = re.search(r'<w:font w:name="Noto Serif Bengali">(.*?)</w:font>', table, re.S)
    assert embedded and "w:embedRegular" in embedded.group(1), table[:2000]


@needs_serif
def test_kit_italic_family_sets_bengali_quotes_in_pptx(tmp_path: Path) -> None:
    path = renderer_for("pptx").render(sample_document("bn"), _alt_brand(), tmp_path / "q.pptx").path
    z = zipfile.ZipFile(path)
    faces: dict[str, set[str | None]] = {}
    for name in z.namelist():
        if not re.match(r"ppt/slides/slide\d+\.xml$", name):
            continue
        for r in etree.fromstring(z.read(name)).iter(f"{A}r"):
            rpr, t = r.find(f"{A}rPr"), r.find(f"{A}t")
            cs = rpr.find(f"{A}cs") if rpr is not None else None
            if cs is not None and t is not None and re.search("[\u0980-\u09ff]", t.text or ""):
                faces.setdefault(cs.get("typeface"), set()).add(rpr.get("i"))
    assert faces.get("Noto Serif Bengali") == {"0"}, faces  # the quotes: upright, in the named family
    assert faces.get("Hind Siliguri") == {"0"}, faces  # the rest
    assert b'typeface="Noto Serif Bengali"' in z.read("ppt/presentation.xml").split(b"<p:embeddedFontLst>")[1]


@needs_serif
def test_kit_italic_family_sets_italic_runs_in_pdf() -> None:
    import pdfplumber

    from roi_in_a_box.layout.tree import Document, Page
    from roi_in_a_box.layout.tree import Paragraph as Para
    from roi_in_a_box.layout.tree import Run
    from roi_in_a_box.render.pdf.renderer import PdfRenderer

    doc = Document(kind="t", title="t", language="bn-BD", pages=(Page(title="t", blocks=(
        Para(id="p", runs=(Run("সোজা লেখা "), Run("তির্যক লেখা", italic=True))),)),))
    pdf, _, _ = PdfRenderer().render_bytes(doc, _alt_brand())
    import io

    with pdfplumber.open(io.BytesIO(pdf)) as p:
        fonts = {c["fontname"].split("+")[-1] for c in p.pages[0].chars if "\u0980" <= c["text"][:1] <= "\u09ff"}
    assert any(f.startswith("NotoSerifBengali") for f in fonts), fonts
    assert any(f.startswith("HindSiliguri") for f in fonts), fonts


def _kit(tmp_path: Path, hind_extra: str) -> Path:
    import shutil

    from tests.sample_tree import HIND, LATO

    kit = tmp_path / "kit"
    (kit / "fonts").mkdir(parents=True)
    for f in (LATO.regular, LATO.bold, HIND.regular, HIND.bold, SERIF_BN / "NotoSerifBengali-Regular.ttf",
              SERIF_BN / "NotoSerifBengali-Bold.ttf"):
        shutil.copy(f, kit / "fonts" / Path(f).name)
    (kit / "brand.yaml").write_text(f"""name: Test
colors: {{primary: "#1F3A5F", secondary: "#2E7D6B", accent: "#E0A526", text: "#1A1A1A", muted: "#595959",
         background: "#FFFFFF"}}
families:
  lato: {{family: Lato, source: kit, regular: Lato-Regular.ttf, bold: Lato-Bold.ttf}}
  hind:
    family: Hind Siliguri
    source: kit
    regular: HindSiliguri-Regular.ttf
    bold: HindSiliguri-Bold.ttf
{hind_extra}
  serif: {{family: Noto Serif Bengali, source: kit, regular: NotoSerifBengali-Regular.ttf,
          bold: NotoSerifBengali-Bold.ttf}}
fonts:
  heading: {{latin: lato, bengali: hind}}
  body: {{latin: lato, bengali: hind}}
""", encoding="utf-8")
    return kit


@needs_serif
def test_kit_names_the_italic_family(tmp_path: Path) -> None:
    from roi_in_a_box.brand.kit import load_kit

    brand = load_kit(_kit(tmp_path, "    italic_family: serif"))
    hind = brand.body.by_script["bengali"]
    assert hind.italic_family is not None and hind.italic_family.name == "Noto Serif Bengali"
    assert hind.for_italic() is hind.italic_family
    assert "Noto Serif Bengali" in {f.name for f in brand.body.families()}
    assert brand.body.by_script["latin"].italic_family is None


@needs_serif
@pytest.mark.parametrize("extra,message", [
    ("    italic_family: nosuch", "unknown font family"),
    ("    italic_family: hind", "unknown font family"),
    ("    italic: HindSiliguri-Regular.ttf\n    italic_family: serif", "has an italic face of its own"),
])
def test_kit_italic_family_errors_are_located(tmp_path: Path, extra: str, message: str) -> None:
    from roi_in_a_box.brand.kit import load_kit
    from roi_in_a_box.spec.errors import InputError

    with pytest.raises(InputError) as err:
        load_kit(_kit(tmp_path, extra))
    problems = [p for p in err.value.problems if message in p.message]
    assert problems and problems[0].path.endswith("italic_family") and problems[0].line > 1, err.value.problems
