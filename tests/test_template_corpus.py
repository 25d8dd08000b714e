"""Company templates nobody on the project wrote, generated at test time (never committed).

The corpus: pandoc's default reference.pptx and reference.docx (``pandoc
--print-default-data-file``), python-pptx's and python-docx's default templates (from the
installed packages), LibreOffice's bundled Impress templates converted to .pptx by
``soffice``, public company, organisation and university templates kept in
``tests/public_templates`` (sources and licences in its ``SOURCES.yaml``), and .potx/.dotx
variants made from them.  Each is put in a copy of the
``meridian`` kit and built (pre_sale and service): no traceback, outputs that
openxml-audit passes with 0 errors, and decks LibreOffice opens with the planned slide
count.  ``TEMPLATE_CORPUS=all`` uses every LibreOffice template (23), otherwise a sample
that covers their kinds (decorated, dark, many masters, 4:3).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pptx
import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from roi_in_a_box.brand.kit import forget_kits, load_kit
from roi_in_a_box.deliver.pipeline import build
from roi_in_a_box.model.study import load_study
from roi_in_a_box.spec.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
KIT = ROOT / "brand_kits" / "meridian"
EN = ROOT / "sample_inputs" / "ledgerly_en.yaml"
LO_TEMPLATES = Path("/usr/lib/libreoffice/share/template/common/presnt")
PUBLIC = Path(__file__).resolve().parent / "public_templates"
LO_SAMPLE = ("Beehive", "Midnightblue", "Candy", "Vintage", "Blue_Curve")
AUDIT = shutil.which("openxml-audit") or str(Path(sys.executable).with_name("openxml-audit"))
# LibreOffice converts the Impress templates; pandoc prints its reference files.
pytestmark = [pytest.mark.office, pytest.mark.slow, pytest.mark.needs("pandoc")]
PANDOC = shutil.which("pandoc")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PRESENTATION = b"presentationml.presentation.main+xml"
DOCUMENT = b"wordprocessingml.document.main+xml"


def _rewrite(src: Path, dest: Path, mutate) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, mutate(info.filename, zin.read(info.filename)))
    dest.write_bytes(buf.getvalue())
    return dest


def _as_template(src: Path, dest: Path) -> Path:
    def mutate(name, data):
        if name == "[Content_Types].xml":
            return data.replace(PRESENTATION, b"presentationml.template.main+xml").replace(
                DOCUMENT, b"wordprocessingml.template.main+xml")
        return data
    return _rewrite(src, dest, mutate)


def _renamed(src: Path, dest: Path) -> Path:
    from roi_in_a_box.render.pptx.template import remove_all_slides

    prs = Presentation(str(src))
    remove_all_slides(prs)
    prs.slide_layouts.remove(prs.slide_layouts.get_by_name("Title Slide"))
    for i, layout in enumerate(prs.slide_layouts):
        layout.name = f"Folie {i + 1}"
    prs.save(str(dest))
    return dest


def _named_masters(src: Path, dest: Path) -> Path:
    prs = Presentation(str(src))
    for i, master in enumerate(prs.slide_masters):
        master._element.cSld.set("name", ("First", "Second", "Third")[i])
    prs.save(str(dest))
    return dest


SLIDES_RULES = {"made-masters.pptx": "slides: {master: Second}\n"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("corpus")
    files: dict[str, Path] = {}
    if PANDOC:
        for name in ("reference.pptx", "reference.docx"):
            out = d / f"pandoc-{name}"
            subprocess.run([PANDOC, "-o", str(out), "--print-default-data-file", name], check=True, timeout=60)
            files[out.name] = out
    for mod, name in ((pptx, "default.pptx"), (docx, "default.docx")):
        src = Path(mod.__file__).parent / "templates" / name
        files[f"{mod.__name__}-{name}"] = shutil.copy(src, d / f"{mod.__name__}-{name}")
    if SOFFICE and LO_TEMPLATES.is_dir():
        wanted = sorted(LO_TEMPLATES.glob("*.otp"))
        if os.environ.get("TEMPLATE_CORPUS") != "all":
            wanted = [p for p in wanted if p.stem in LO_SAMPLE]
        lo = d / "lo"
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{d / 'lo-profile'}", "--headless", "--norestore",
                        "--convert-to", "pptx", "--outdir", str(lo), *map(str, wanted)],
                       capture_output=True, timeout=600, check=False)
        for p in wanted:
            if (lo / f"{p.stem}.pptx").exists():
                files[f"lo-{p.stem}.pptx"] = lo / f"{p.stem}.pptx"
    for src in sorted(PUBLIC.iterdir()):
        if src.suffix in (".pptx", ".potx", ".docx", ".dotx"):
            files[f"public-{src.name}"] = src
    if "pandoc-reference.pptx" in files:  # layouts known only by their placeholders: names in German, no title slide
        files["made-renamed.pptx"] = _renamed(files["pandoc-reference.pptx"], d / "made-renamed.pptx")
    if "lo-Midnightblue.pptx" in files:  # three masters; the kit names the second
        files["made-masters.pptx"] = _named_masters(files["lo-Midnightblue.pptx"], d / "made-masters.pptx")
    for name in list(files):  # .potx / .dotx variants of the plain defaults
        if name.startswith("pandoc-"):
            ext = ".potx" if name.endswith(".pptx") else ".dotx"
            files[name[:-5] + ext] = _as_template(files[name], d / (name[:-5] + ext))
    return files


def _kit(tmp: Path, template: Path) -> Path:
    kit = tmp / ("kit-" + template.name.replace(".", "-"))
    shutil.copytree(KIT, kit)
    (kit / "template.pptx").unlink()
    (kit / "reference.docx").unlink()
    text = (kit / "brand.yaml").read_text(encoding="utf-8")
    text = text.replace("template_pptx: template.pptx\n", "").replace("reference_docx: reference.docx\n", "")
    field = "template_pptx" if template.suffix in (".pptx", ".potx") else "reference_docx"
    shutil.copy(template, kit / f"company{template.suffix}")
    (kit / "brand.yaml").write_text(text + f"{field}: company{template.suffix}\n" + SLIDES_RULES.get(template.name, ""),
                                    encoding="utf-8")
    forget_kits()
    return kit


@pytest.fixture(scope="module")
def builds(corpus, tmp_path_factory) -> dict[str, tuple[list[Path], list[str]]]:
    tmp = tmp_path_factory.mktemp("builds")
    out: dict[str, tuple[list[Path], list[str]]] = {}
    study = load_study(EN)
    for name, path in corpus.items():
        fmt = "pptx" if path.suffix in (".pptx", ".potx") else "docx"
        kit = _kit(tmp, path)
        report = build(study, load_kit(kit), tmp / f"out-{kit.name}", stages=("pre_sale", "service"),
                       formats=(fmt,), force=True)
        paths = [report.out_dir / r.path for r in report.outputs]
        out[name] = (paths, [w for r in report.outputs for w in r.warnings])
    return out


def test_corpus_is_made_of_outside_templates(corpus):
    assert any(n.startswith("pandoc-") for n in corpus) or PANDOC is None
    assert {"pptx-default.pptx", "docx-default.docx"} <= set(corpus)
    if SOFFICE and LO_TEMPLATES.is_dir():
        assert sum(n.startswith("lo-") for n in corpus) >= len(LO_SAMPLE)


def test_every_template_builds(builds, corpus):
    for name, (paths, _warnings) in builds.items():
        fmt = ".pptx" if corpus[name].suffix in (".pptx", ".potx") else ".docx"
        # pre_sale has a deck (PPTX) / a case study (DOCX); service has QBR slides (PPTX only)
        assert paths and all(p.exists() and p.suffix == fmt for p in paths), name


def test_template_files_are_relabelled_and_reported(builds):
    if PANDOC is None:
        pytest.skip("pandoc not installed")
    for name in ("pandoc-reference.potx", "pandoc-reference.dotx"):
        paths, warnings = builds[name]
        assert any("template (." in w and "used as a plain" in w for w in warnings), (name, warnings)
        with zipfile.ZipFile(paths[0]) as z:
            ct = z.read("[Content_Types].xml")
        assert b"template.main+xml" not in ct and (PRESENTATION in ct or DOCUMENT in ct)


def test_pandoc_reference_docx_body_is_discarded_not_refused(builds, corpus):
    if PANDOC is None:
        pytest.skip("pandoc not installed")
    paths, warnings = builds["pandoc-reference.docx"]
    d = docx.Document(str(paths[0]))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "Ledgerly" in text
    for sample in ("Heading 1", "Block Text.", "Footnote Text.", "DefinitionTerm"):  # pandoc's sample body
        assert sample not in text
    with zipfile.ZipFile(paths[0]) as z:
        xml = b"".join(z.read(n) for n in z.namelist() if n.endswith((".xml", ".rels")))
    assert b"example.com" not in xml
    assert any("external link(s) they held" in w for w in warnings)


def test_external_link_that_would_survive_is_still_refused(corpus, tmp_path):
    if PANDOC is None:
        pytest.skip("pandoc not installed")
    rel = (b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           b'attachedTemplate" Target="http://intranet.example/t.dotx" TargetMode="External"/></Relationships>')

    def mutate(name, data):
        return data.replace(b"</Relationships>", rel) if name == "word/_rels/settings.xml.rels" else data

    src = corpus["pandoc-reference.docx"]
    with zipfile.ZipFile(src) as z:
        names = z.namelist()
    bad = tmp_path / "linked.docx"
    if "word/_rels/settings.xml.rels" in names:
        _rewrite(src, bad, mutate)
    else:
        buf = io.BytesIO()
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buf, "w") as zout:
            for n in names:
                zout.writestr(n, zin.read(n))
            zout.writestr("word/_rels/settings.xml.rels", b'<?xml version="1.0" encoding="UTF-8"?>'
                          b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                          + rel)
        bad.write_bytes(buf.getvalue())
    with pytest.raises(InputError) as err:
        load_kit(_kit(tmp_path, bad))
    assert "attachedTemplate" in str(err.value) and "intranet.example" in str(err.value)


def test_hidden_title_style_is_warned_about(corpus, tmp_path):
    src = corpus["docx-default.docx"]
    d = docx.Document(str(src))
    d.styles["Title"].font.hidden = True
    hidden = tmp_path / "hidden-title.docx"
    d.save(str(hidden))
    report = build(load_study(EN), load_kit(_kit(tmp_path, hidden)), tmp_path / "out", stages=("pre_sale",),
                   formats=("docx",), force=True)
    warnings = [w for r in report.outputs for w in r.warnings]
    assert any("style 'Title' would hide text (hidden text, w:vanish)" in w for w in warnings), warnings


def test_missing_view_props_are_added(builds, corpus):
    lo = [n for n in corpus if n.startswith("lo-")]
    if not lo:
        pytest.skip("no LibreOffice templates")
    for name in lo:
        with zipfile.ZipFile(corpus[name]) as z:
            had = "ppt/viewProps.xml" in z.namelist()
        paths, warnings = builds[name]
        for p in paths:
            with zipfile.ZipFile(p) as z:
                assert "ppt/viewProps.xml" in z.namelist(), (name, p.name)
        assert had or any("view properties" in w for w in warnings), (name, warnings)


@pytest.mark.skipif(not Path(AUDIT).exists(), reason="openxml-audit not installed")
def test_openxml_audit_zero_errors(builds):
    for name, (paths, _w) in builds.items():
        for path in paths:
            proc = subprocess.run([AUDIT, "-o", "json", "-m", "0", str(path)],
                                  capture_output=True, text=True, timeout=180, check=False)
            report = json.loads(proc.stdout)[0]
            assert report["error_count"] == 0, (name, path.name, report["errors"][:5])


@pytest.mark.skipif(SOFFICE is None, reason="soffice not installed")
def test_libreoffice_opens_every_deck_with_its_slide_count(builds, tmp_path):
    from tests.lo_helpers import convert_to_pdf

    decks = {}
    for name, (paths, _w) in builds.items():
        for p in paths:
            if p.suffix == ".pptx":
                copy = tmp_path / "in" / f"{name.replace('.', '-')}-{p.parent.name}-{p.stem}.pptx"
                copy.parent.mkdir(exist_ok=True)
                shutil.copy(p, copy)
                decks[copy] = len(Presentation(str(p)).slides)
    pdfs = convert_to_pdf(list(decks), tmp_path / "pdf", timeout=900)
    from pypdf import PdfReader

    for (deck, slides), pdf in zip(decks.items(), pdfs):
        assert len(PdfReader(str(pdf)).pages) == slides, deck.name


# --------------------------------------------------------------------------- PPTX: the template's look wins

P_NS = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
A_NS = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
PT = 12700


def _decks(builds):
    for name, (paths, warnings) in builds.items():
        for p in paths:
            if p.suffix == ".pptx":
                yield name, p, warnings


def _deck_slides(builds):
    """Every slide of every built deck, with what the contrast checks need alongside it:
    the deck's name, the deck's "no theme colour reaches" warnings, the slide's layout and the
    theme of its master."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    from roi_in_a_box.render.pptx.theme import read_theme

    for name, deck, warnings in _decks(builds):
        prs = Presentation(str(deck))
        unfixable = [w for w in warnings if "no theme colour reaches" in w]
        for slide in prs.slides:
            layout = slide.slide_layout
            yield name, deck, prs, unfixable, slide, layout, read_theme(
                layout.slide_master.part.part_related_by(RT.THEME).blob)


def _ph_type(sp) -> str | None:
    ph = sp.find(f".//{P_NS}nvPr/{P_NS}ph")
    return None if ph is None else ph.get("type", "obj")


def _rect(ph):
    return ph.left, ph.top, ph.left + ph.width, ph.top + ph.height


def _inside(r, box) -> bool:
    return r[0] >= box[0] - PT and r[1] >= box[1] - PT and r[2] <= box[2] + PT and r[3] <= box[3] + PT


def _title_and_content(layout) -> bool:
    types = [ph.placeholder_format.type for ph in layout.placeholders]
    bodies = [t for t in types if t in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE)]
    return (PP_PLACEHOLDER.TITLE in types and len(bodies) == 1 and PP_PLACEHOLDER.SUBTITLE not in types
            and layout._element.get("type") not in ("title", "secHead"))


def _content_area(layout):
    """Measured from the layout's XML alone: the union of its body/object placeholders;
    for a layout with a title only, the master's body placeholder below the title (else
    the slide under the title); never under the footer/number/date placeholders."""
    kinds = {ph.placeholder_format.type: ph for ph in layout.placeholders}
    prs = layout.part.package.presentation_part.presentation
    slide_w, slide_h = prs.slide_width, prs.slide_height
    bodies = [_rect(ph) for ph in layout.placeholders
              if ph.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE)]
    extras = [_rect(ph) for ph in layout.placeholders if ph.placeholder_format.type in
              (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.DATE)]
    title = kinds.get(PP_PLACEHOLDER.TITLE) or kinds.get(PP_PLACEHOLDER.CENTER_TITLE)
    if bodies:
        x0, y0 = min(b[0] for b in bodies), min(b[1] for b in bodies)
        x1, y1 = max(b[2] for b in bodies), max(b[3] for b in bodies)
    else:
        master_body = [_rect(ph) for ph in layout.slide_master.placeholders
                       if ph.placeholder_format.type == PP_PLACEHOLDER.BODY]
        top = _rect(title)[3] if title is not None else 0
        sibling = next((_content_area(lay)[:4] for lay in layout.slide_master.slide_layouts
                        if _title_and_content(lay)), None)
        if sibling is not None and sibling[1] >= top - PT:  # a title-only layout: its master's content area
            x0, y0, x1, y1 = sibling
        elif master_body and master_body[0][3] > top + slide_h // 6:
            x0, y0, x1, y1 = master_body[0]
            y0 = max(y0, top)
        else:
            x0, y0, x1, y1 = 0, top, slide_w, slide_h
    return x0, y0, x1, y1, extras


def test_content_shapes_stay_inside_the_layout_content_area(builds):
    """Every shape of a content slide that is not one of the layout's placeholders lies
    inside the layout's content area (1 pt slack), and none covers a footer placeholder."""
    checked = 0
    for name, deck, _w in _decks(builds):
        prs = Presentation(str(deck))
        for n, slide in enumerate(prs.slides, 1):
            x0, y0, x1, y1, extras = _content_area(slide.slide_layout)
            if any(ph.placeholder_format.type in (PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.SUBTITLE)
                   for ph in slide.slide_layout.placeholders):
                y1 = max([y1] + [e[1] for e in extras])  # a cover's lead and logo may run down to the footer
            cover_title = next((_rect(ph) for ph in slide.slide_layout.placeholders
                                if ph.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
                                and n == 1), None)
            title = slide.shapes.title
            for shape in slide.shapes:
                if shape.is_placeholder:
                    continue
                r = (shape.left, shape.top, shape.left + shape.width, shape.top + shape.height)
                if shape.name == "Logo" and cover_title is not None and title is not None and \
                        _inside(r, cover_title):  # a cover's logo beside its (narrowed) title
                    assert r[0] >= title.left + title.width - PT, (name, deck.name, n, "logo over the title")
                    checked += 1
                    continue
                assert r[0] >= x0 - PT and r[1] >= y0 - PT and r[2] <= x1 + PT and r[3] <= y1 + PT, \
                    (name, deck.name, n, shape.name, [v / PT for v in r], [v / PT for v in (x0, y0, x1, y1)])
                for e in extras:
                    assert r[3] <= e[1] + PT or r[1] >= e[3] - PT or r[2] <= e[0] + PT or r[0] >= e[2] - PT, \
                        (name, deck.name, n, shape.name, "covers a footer placeholder")
                checked += 1
    assert checked > 100


def test_footer_and_number_go_into_the_layout_placeholders(builds):
    for name, deck, _w in _decks(builds):
        prs = Presentation(str(deck))
        for slide in prs.slides:
            types = {ph.placeholder_format.type for ph in slide.slide_layout.placeholders}
            mine = {ph.placeholder_format.type: ph for ph in slide.placeholders}
            if PP_PLACEHOLDER.FOOTER in types:
                assert "Meridian Freight Group" in mine[PP_PLACEHOLDER.FOOTER].text_frame.text, (name, deck.name)
                assert not any(s.name == "Footer" and not s.is_placeholder for s in slide.shapes)
            if PP_PLACEHOLDER.SLIDE_NUMBER in types:
                fld = mine[PP_PLACEHOLDER.SLIDE_NUMBER]._element.find(f".//{A_NS}fld")
                assert fld is not None and fld.get("type") == "slidenum", (name, deck.name)
            # the study's publication date (2026-10-15), written out, unless unreadable where the layout puts it
            if PP_PLACEHOLDER.DATE in types and f"date placeholder of {slide.slide_layout.name!r} left empty" \
                    not in " ".join(_w):
                assert mine[PP_PLACEHOLDER.DATE].text_frame.text == "October 15, 2026", (name, deck.name)


def _theme_latin(slide, role: str) -> str:
    from roi_in_a_box.render.pptx.theme import read_theme
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    theme = read_theme(slide.slide_layout.slide_master.part.part_related_by(RT.THEME).blob)
    return (theme.major if role == "title" else theme.minor).get("latin", "")


def test_title_and_footer_runs_inherit_the_theme(builds):
    """Title, body and footer placeholder runs state no typeface but the theme's, and no
    colour but the one the template defines (none: the theme's text colour, tx1, written
    out so every viewer agrees) or a reported contrast fix."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    from roi_in_a_box.render.pptx.theme import Colours, clr_map, inherited_look, read_theme

    seen = 0
    for name, deck, warnings in _decks(builds):
        prs = Presentation(str(deck))
        fixed = " ".join(w for w in warnings if w.startswith("contrast:"))
        for slide in prs.slides:
            layout = slide.slide_layout
            theme = read_theme(layout.slide_master.part.part_related_by(RT.THEME).blob)
            tx1 = Colours(theme, clr_map(layout.slide_master._element, layout._element)).scheme("tx1")
            for ph in slide.placeholders:
                t = ph.placeholder_format.type
                role = "title" if t in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE) else "body"
                defined = inherited_look(layout, _ph_type(ph._element) or "obj", theme, prs.part._element).color
                for rpr in ph._element.iter(f"{A_NS}rPr"):
                    latin = rpr.find(f"{A_NS}latin")
                    assert latin is None or latin.get("typeface") == _theme_latin(slide, role), (name, deck.name)
                    fill = rpr.find(f"{A_NS}solidFill/{A_NS}srgbClr")
                    if fill is not None:
                        val = fill.get("val")
                        assert f"using #{val}" in fixed or (defined is None and val == tx1), (name, deck.name, val)
                    seen += 1
    assert seen > 50


def test_kit_style_overrides_the_theme(corpus, tmp_path):
    if "lo-Beehive.pptx" not in corpus:
        pytest.skip("no LibreOffice templates")
    kit = _kit(tmp_path, corpus["lo-Beehive.pptx"])
    with (kit / "brand.yaml").open("a", encoding="utf-8") as f:
        f.write("kit_overrides: [fonts, colors]\n")
    forget_kits()
    report = build(load_study(EN), load_kit(kit), tmp_path / "out", stages=("pre_sale",), formats=("pptx",),
                   force=True)
    prs = Presentation(str(report.out_dir / report.outputs[0].path))
    title = prs.slides[1].shapes.title._element
    assert title.find(f".//{A_NS}rPr/{A_NS}latin").get("typeface") == "Lato"
    assert title.find(f".//{A_NS}rPr").get("sz") is not None


def test_layouts_are_chosen_by_placeholder_types(builds):
    if "made-renamed.pptx" not in builds:
        pytest.skip("pandoc not installed")
    paths, warnings = builds["made-renamed.pptx"]
    assert any("no title layout" in w or "has no title" in w or "not in the template" in w for w in warnings), warnings
    for p in paths:
        prs = Presentation(str(p))
        for slide in prs.slides:
            assert slide.shapes.title is not None and slide.shapes.title.text.strip()
            assert slide.slide_layout._element.get("type") in ("obj", "titleOnly", "secHead", "twoObj"), \
                slide.slide_layout.name


def test_kit_names_the_master(builds):
    if "made-masters.pptx" not in builds:
        pytest.skip("no LibreOffice templates")
    paths, _w = builds["made-masters.pptx"]
    for p in paths:
        prs = Presentation(str(p))
        assert {s.slide_layout.slide_master.name for s in prs.slides} == {"Second"}


def test_four_by_three_template_is_scaled_with_a_warning(builds):
    paths, warnings = builds["pptx-default.pptx"]
    assert any("4:3" in w for w in warnings), warnings
    prs = Presentation(str(paths[0]))
    assert (prs.slide_width, prs.slide_height) == (9144000, 6858000)


def test_no_slide_text_under_the_minimum_size(builds):
    """Every run at 10 pt or more, and every text fits its box there: a block taller than a
    small content area (Midnightblue's is 128 pt) goes on over continuation slides."""
    for name, deck, warnings in _decks(builds):
        assert not [w for w in warnings if "does not fit even at" in w or "shrunk below" in w], (name, warnings)
        with zipfile.ZipFile(deck) as z:
            for part in z.namelist():
                if part.startswith(("ppt/slides/slide", "ppt/charts/chart")) and part.endswith(".xml"):
                    for sz in re.findall(rb'<a:(?:rPr|defRPr|endParaRPr)[^>]* sz="(\d+)"', z.read(part)):
                        assert int(sz) >= 1000, (name, deck.name, part, int(sz))


def _ratio(a: str, b: str) -> float:
    from roi_in_a_box.brand.kit import contrast_ratio

    return contrast_ratio(a, b)


def test_text_colours_contrast_with_the_measured_background(builds):
    """Every run colour on the slide background (not on a panel of ours) passes WCAG AA
    against what the layout shows behind it (solid, gradient stops, sampled picture), or
    the deck's warnings say it could not."""
    from roi_in_a_box.render.pptx.theme import backdrop, inherited_look

    checked = 0
    for name, deck, prs, unfixable, slide, layout, theme in _deck_slides(builds):
        panels = []
        for sp in slide.shapes._spTree.iter(f"{P_NS}sp"):
            fill = sp.find(f"{P_NS}spPr/{A_NS}solidFill")
            x = sp.find(f"{P_NS}spPr/{A_NS}xfrm")
            box = None
            if x is not None:
                off, ext = x.find(f"{A_NS}off"), x.find(f"{A_NS}ext")
                box = (int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy")))
            if fill is not None:
                if box is not None:
                    panels.append(box)
                continue
            if box is None:  # a placeholder at the layout's position
                ph = next((p for p in layout.placeholders if _ph_type(p._element) == _ph_type(sp)), None)
                if ph is None:
                    continue
                box = (ph.left, ph.top, ph.width, ph.height)
            cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
            if any(p[0] <= cx <= p[0] + p[2] and p[1] <= cy <= p[1] + p[3] for p in panels):
                continue
            behind = backdrop(layout, box, prs.slide_width, prs.slide_height, theme).colors
            for r in sp.iter(f"{A_NS}r"):
                rpr = r.find(f"{A_NS}rPr")
                c = rpr.find(f"{A_NS}solidFill/{A_NS}srgbClr") if rpr is not None else None
                if c is not None:
                    color = c.get("val")
                elif _ph_type(sp) is not None:
                    look = inherited_look(layout, _ph_type(sp), theme)
                    if look.color is None:
                        continue
                    color = look.color
                else:
                    continue
                size = int(rpr.get("sz", "1800")) / 100 if rpr is not None else 18
                need = 3.0 if size >= 18 or (size >= 14 and rpr is not None and rpr.get("b") == "1") else 4.5
                worst = min(_ratio(color, b) for b in behind)
                assert worst >= need - 0.05 or any(f"#{color}" in w for w in unfixable), \
                    (name, deck.name, slide.slide_layout.name, color, behind, worst)
                checked += 1
    assert checked > 100


@pytest.mark.parametrize("sample,tag,face", [("ghatbox_bn.yaml", "bn-BD", "Hind Siliguri"),
                                             ("shiftsabai_th.yaml", "th-TH", "Sarabun")])
def test_bengali_and_thai_runs_keep_a_script_font(corpus, tmp_path, sample, tag, face):
    """The theme of LibreOffice's templates names no Bengali or Thai font: placeholder runs
    in those scripts still name the kit's (a:cs), while their Latin typeface is the theme's."""
    if "lo-Beehive.pptx" not in corpus:
        pytest.skip("no LibreOffice templates")
    kit = _kit(tmp_path, corpus["lo-Beehive.pptx"])
    report = build(load_study(ROOT / "sample_inputs" / sample), load_kit(kit), tmp_path / "out",
                   stages=("pre_sale",), formats=("pptx",), force=True)
    prs = Presentation(str(report.out_dir / report.outputs[0].path))
    seen = 0
    for slide in prs.slides:
        for ph in slide.placeholders:
            for rpr in ph._element.iter(f"{A_NS}rPr"):
                if rpr.get("lang") == tag and rpr.getparent().tag == f"{A_NS}r":
                    assert rpr.find(f"{A_NS}cs").get("typeface") == face
                    latin = rpr.find(f"{A_NS}latin")
                    assert latin is None or latin.get("typeface") == _theme_latin(slide, "title" if ph == slide.shapes.title else "body")
                    seen += 1
    assert seen >= 5


def test_chart_text_contrasts_with_the_measured_background(builds):
    """Chart titles, axis and legend text (not data labels, which sit on their bars) pass
    AA against what the layout shows behind the chart."""
    from roi_in_a_box.render.pptx.theme import backdrop

    c_ns = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    checked = 0
    for name, deck, prs, unfixable, slide, layout, theme in _deck_slides(builds):
        for shape in slide.shapes:
            if not getattr(shape, "has_chart", False) or not shape.has_chart:
                continue
            behind = backdrop(layout, (shape.left, shape.top, shape.width, shape.height),
                              prs.slide_width, prs.slide_height, theme).colors
            cx, cy = shape.left + shape.width / 2, shape.top + shape.height / 2
            for panel in slide.shapes:  # a text panel on a busy picture: the chart text is on it
                if panel.name == "Text panel" and panel.left <= cx <= panel.left + panel.width \
                        and panel.top <= cy <= panel.top + panel.height:
                    behind = (str(panel.fill.fore_color.rgb),)
            root = shape.chart._chartSpace
            # the elements themselves: lxml keeps one proxy per node while it is referenced
            # (ids of proxies let go of can be reused, so a set of id()s can match a stranger)
            labels = {e for d in root.iter(f"{c_ns}dLbls") for e in d.iter()}
            for fill in root.iter(f"{A_NS}solidFill"):
                parent = fill.getparent()
                if fill in labels or parent.tag not in (f"{A_NS}defRPr", f"{A_NS}rPr"):
                    continue
                color = fill.find(f"{A_NS}srgbClr").get("val")
                worst = min(_ratio(color, b) for b in behind)
                assert worst >= 4.45 or any(f"#{color}" in w for w in unfixable), \
                    (name, deck.name, layout.name, color, behind, worst)
                checked += 1
    assert checked > 12  # chart titles and axis text of every corpus deck with a chart


def test_table_columns_hold_their_widest_word(builds):
    """No table column is narrower than a word in it (measured as the planner measures, in the
    kit's font at the run's size): on the 4:3 Coreoz template the risk table's numeric columns
    were squeezed in proportion to the long row labels, and "$431.9K" and "months" broke
    mid-word in every viewer."""
    from roi_in_a_box.render.pptx import measure as M

    fam = load_kit(KIT).body.by_script["latin"]
    checked = 0
    for name, deck, _w in _decks(builds):
        for n, slide in enumerate(Presentation(str(deck)).slides, 1):
            for shape in slide.shapes:
                if not shape.has_table:
                    continue
                table = shape.table
                for ci, col in enumerate(table.columns):
                    room = col.width / PT - 10  # the cell's left and right insets
                    for row in table.rows:
                        for para in row.cells[ci].text_frame.paragraphs:
                            for run in para.runs:
                                face = M.face_path(fam, bool(run.font.bold), False)
                                cuts = [0, *M.break_positions(run.text), len(run.text)]
                                widest = max(M.em_width(face, run.text[a:z].strip()) for a, z in zip(cuts, cuts[1:]))
                                assert widest * run.font.size.pt <= room + 0.5, (name, deck.name, n, run.text)
                                checked += 1
    assert checked > 50


def test_continuation_titles_name_the_page_once(builds):
    """A page continued twice (Midnightblue's methodology) is "Methodology (continued)" on
    both slides, not "Methodology (continued) (continued)"."""
    from roi_in_a_box.layout.i18n import label

    suffix = label("en", "continued", title="").strip()
    seen = 0
    for name, deck, _w in _decks(builds):
        for slide in Presentation(str(deck)).slides:
            title = slide.shapes.title.text if slide.shapes.title is not None else ""
            assert title.count(suffix) <= 1, (name, deck.name, title)
            seen += suffix in title
    assert seen  # the corpus has continued pages (Midnightblue, Vintage, pandoc's)
