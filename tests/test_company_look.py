"""A company template's theme wins in Word, and the PDF takes the company's look.

Against templates nobody on the project wrote (python-docx's default, pandoc's
reference.docx) and the ``meridian`` kit, all read back from the files' XML and pixels:

* DOCX: runs restate no typeface, size or colour (only the Bengali/Thai face, and colours
  on fills); the template's styles are kept byte for byte; the styles the engine adds point
  at the theme (``w:asciiTheme``, ``w:themeColor``); ``kit_overrides`` turns both back.
* PDF: the meridian one-pager carries the reference.docx header's logo picture (same
  pixels), its header text, its rule colour and the PowerPoint master's band colours;
  veraPDF still passes; explicit ``page_header`` fields win; a kit without templates keeps
  its plain look.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pikepdf
import pytest
from lxml import etree
from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))
from audit_policy import other_findings  # noqa: E402

from roi_in_a_box.brand.company_look import page_header, themed_brand  # noqa: E402
from roi_in_a_box.brand.kit import forget_kits, load_kit  # noqa: E402
from roi_in_a_box.deliver.pipeline import build  # noqa: E402
from roi_in_a_box.model.study import load_study  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
KIT = ROOT / "brand_kits" / "meridian"
SPECS = {"en": ROOT / "sample_inputs" / "ledgerly_en.yaml", "bn": ROOT / "sample_inputs" / "ghatbox_bn.yaml",
         "th": ROOT / "sample_inputs" / "shiftsabai_th.yaml"}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PANDOC = shutil.which("pandoc")
AUDIT = shutil.which("openxml-audit") or str(Path(sys.executable).with_name("openxml-audit"))
KIT_FACE = {"bn": "Hind Siliguri", "th": "Sarabun"}


def _kit(tmp: Path, reference: Path | None = None, extra: str = "", drop: tuple[str, ...] = ()) -> Path:
    """A copy of the meridian kit, with another reference.docx and extra brand.yaml lines."""
    kit = tmp / f"kit-{len(list(tmp.glob('kit-*')))}"
    shutil.copytree(KIT, kit)
    text = (kit / "brand.yaml").read_text(encoding="utf-8")
    if reference is not None:
        shutil.copy(reference, kit / "reference.docx")
    for field in drop:
        text = re.sub(rf"^{field}: .*\n", "", text, flags=re.M)
    (kit / "brand.yaml").write_text(text + extra, encoding="utf-8")
    forget_kits()
    return kit


def _docx(kit: Path, lang: str, out: Path) -> Path:
    report = build(load_study(SPECS[lang]), load_kit(kit), out, stages=("pre_sale",), formats=("docx",),
                   force=True)
    return next(report.out_dir / r.path for r in report.outputs if r.path.endswith(".docx"))


def _pdf(kit: Path, lang: str, out: Path) -> Path:
    report = build(load_study(SPECS[lang]), load_kit(kit), out, stages=("pre_sale",), formats=("pdf",),
                   force=True)
    return next(report.out_dir / r.path for r in report.outputs if r.path.endswith(".pdf"))


def _part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def _styles_by_name(root: etree._Element) -> dict[str, etree._Element]:
    out = {}
    for s in root.iter(f"{W}style"):
        n = s.find(f"{W}name")
        if n is not None:
            out.setdefault(n.get(f"{W}val").lower(), s)
    return out


def _rpr_xml(style: etree._Element) -> list[tuple[str, tuple]]:
    """A style's run properties as (element, attributes) pairs, layout whitespace aside."""
    rpr = style.find(f"{W}rPr")
    return [] if rpr is None else [(el.tag, tuple(sorted(el.attrib.items()))) for el in rpr]


def _templates(tmp: Path) -> dict[str, Path]:
    """Outside templates: python-docx's default and (when pandoc is installed) pandoc's."""
    found = {"python-docx": Path(docx.__file__).parent / "templates" / "default.docx"}
    if PANDOC:
        out = tmp / "pandoc-reference.docx"
        subprocess.run([PANDOC, "-o", str(out), "--print-default-data-file", "reference.docx"], check=True,
                       timeout=60)
        found["pandoc"] = out
    return found


@pytest.fixture(scope="module")
def outside(tmp_path_factory) -> dict[tuple[str, str], tuple[Path, Path]]:
    """(template, language) -> (the template file, the case study built with it)."""
    tmp = tmp_path_factory.mktemp("outside")
    built = {}
    for name, ref in _templates(tmp).items():
        kit = _kit(tmp, ref)
        for lang in ("en", "bn"):
            built[(name, lang)] = (ref, _docx(kit, lang, tmp / f"out-{name}-{lang}"))
    return built


def _runs(path: Path) -> list[etree._Element]:
    return list(_part(path, "word/document.xml").iter(f"{W}r"))


def test_runs_restate_no_typeface_size_or_colour(outside):
    for (name, lang), (_ref, out) in outside.items():
        runs = _runs(out)
        assert len(runs) > 100, name
        for r in runs:
            rpr = r.find(f"{W}rPr")
            if rpr is None or next(r.iterancestors(f"{W}txbxContent"), None) is not None:
                continue  # a drawing's labels (the ROI-types graphic) are sized to fit its shapes
            assert rpr.find(f"{W}sz") is None, (name, lang, etree.tostring(rpr))
            rf = rpr.find(f"{W}rFonts")
            if rf is not None:  # only the Bengali/Thai face, by name
                assert set(rf.attrib) == {f"{W}cs"}, (name, lang, etree.tostring(rf))
                assert lang != "en" and rf.get(f"{W}cs") == KIT_FACE[lang]
            if rpr.find(f"{W}color") is not None:  # only on a fill: pills, labels, table headers
                cell = next(r.iterancestors(f"{W}tc"), None)
                filled = rpr.find(f"{W}shd") is not None or (
                    cell is not None and cell.find(f"{W}tcPr/{W}shd") is not None)
                assert filled, (name, lang, etree.tostring(r))
        if lang == "bn":  # Bengali text names its face: these themes have no Bengali face the kit has
            faces = {r.find(f"{W}rPr/{W}rFonts").get(f"{W}cs") for r in runs
                     if r.find(f"{W}rPr/{W}rFonts") is not None}
            assert faces == {"Hind Siliguri"}, name


def test_template_styles_are_kept_and_added_styles_point_at_the_theme(outside):
    for (name, lang), (ref, out) in outside.items():
        mine = _styles_by_name(_part(out, "word/styles.xml"))
        theirs = _styles_by_name(_part(ref, "word/styles.xml"))
        kept = [n for n in ("normal", "title", "heading 1", "heading 2", "heading 3", "quote") if n in theirs]
        assert len(kept) >= 4, name
        for n in kept:
            assert _rpr_xml(mine[n]) == _rpr_xml(theirs[n]), (name, lang, n)
        value = mine["roi stat value"].find(f"{W}rPr")
        rf = value.find(f"{W}rFonts")
        assert rf.get(f"{W}asciiTheme") == "majorHAnsi" and rf.get(f"{W}ascii") is None, name
        color = value.find(f"{W}color")
        assert color.get(f"{W}themeColor") in ("accent1", None), name
        label = mine["roi stat label"].find(f"{W}rPr")
        body_fonts = label.find(f"{W}rFonts")
        assert body_fonts is None or set(body_fonts.attrib) == {f"{W}cs"}, name  # the template's Normal


def test_theme_colour_that_fails_contrast_is_not_taken(tmp_path):
    """python-docx's theme: accent1 4F81BD is 4.0:1 on white, too light for titles; accent2
    C0504D (4.6:1) becomes the secondary colour."""
    kit = _kit(tmp_path, Path(docx.__file__).parent / "templates" / "default.docx")
    brand, notes = themed_brand(load_kit(kit))
    assert brand.colors.primary == "#14325C"
    assert brand.colors.secondary == "#C0504D"
    assert any("accent1 #4F81BD" in n and "4.0" in n for n in notes)
    out = _docx(kit, "en", tmp_path / "out")
    lead = _styles_by_name(_part(out, "word/styles.xml"))["roi stat value"].find(f"{W}rPr/{W}color")
    assert lead.get(f"{W}val") == "14325C" and lead.get(f"{W}themeColor") is None  # the kit's, not accent1
    assert any("accent1 #4F81BD" in w for w in _warnings(out))


def _warnings(docx_path: Path) -> list[str]:
    manifest = json.loads((docx_path.parents[1] / "manifest.json").read_text(encoding="utf-8"))
    return [w for o in manifest["outputs"] for w in o.get("warnings", [])]


def test_kit_overrides_restore_the_kits_fonts_and_colours(tmp_path):
    ref = Path(docx.__file__).parent / "templates" / "default.docx"
    kit = _kit(tmp_path, ref, "kit_overrides: [fonts, colors]\n")
    out = _docx(kit, "bn", tmp_path / "out")
    faces = {(rf.get(f"{W}ascii"), rf.get(f"{W}cs")) for rf in _part(out, "word/document.xml").iter(f"{W}rFonts")}
    assert faces == {("Lato", "Hind Siliguri")}
    styles = _styles_by_name(_part(out, "word/styles.xml"))
    value = styles["roi stat value"].find(f"{W}rPr")
    assert value.find(f"{W}rFonts").get(f"{W}ascii") == "Lato"
    assert value.find(f"{W}color").get(f"{W}val") == "14325C" and value.find(f"{W}color").get(f"{W}themeColor") is None
    h1 = styles["heading 1"].find(f"{W}rPr/{W}rFonts")
    assert h1.get(f"{W}ascii") == "Lato" and h1.get(f"{W}asciiTheme") is None  # kit font over the theme


def test_kit_overrides_is_validated(tmp_path):
    from roi_in_a_box.spec.errors import InputError

    kit = _kit(tmp_path, extra="kit_overrides: [typeface]\n")
    with pytest.raises(InputError) as exc:
        load_kit(kit)
    assert "kit_overrides" in str(exc.value)


@pytest.mark.skipif(not Path(AUDIT).exists(), reason="openxml-audit not installed")
def test_openxml_audit_clean_in_every_language(outside, tmp_path):
    paths = [out for (_n, _l), (_r, out) in outside.items()]
    for lang in ("bn", "th"):
        paths.append(_docx(KIT, lang, tmp_path / lang))
    for path in paths:
        proc = subprocess.run([AUDIT, "-o", "json", "-m", "0", "--ooxml-security", str(path)],
                              capture_output=True, text=True, timeout=120, check=False)
        report = json.loads(proc.stdout)[0]
        for f in other_findings(report):  # only the study's own call-to-action link is external
            assert f["severity"] != "error" and f["description"].startswith("External relationship target: "), \
                (path, f)


# --------------------------------------------------------------------------- the PDF in the company's look

def _template_logo() -> Image.Image:
    with zipfile.ZipFile(KIT / "reference.docx") as z:
        return Image.open(io.BytesIO(z.read("word/media/image1.png"))).convert("RGBA")


def _page_images(pdf: Path) -> list[tuple[Image.Image, tuple[float, ...]]]:
    """Each image drawn on page 1 with its placement (x, y, width, height) from the content stream."""
    out = []
    with pikepdf.open(pdf) as doc:
        page = doc.pages[0]
        ctm_stack = [(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)]
        for operands, op in pikepdf.parse_content_stream(page):
            name = str(op)
            if name == "q":
                ctm_stack.append(ctm_stack[-1])
            elif name == "Q":
                ctm_stack.pop()
            elif name == "cm":
                a, b, c, d, e, f = (float(x) for x in operands)
                A_, B_, C_, D_, E_, F_ = ctm_stack[-1]
                ctm_stack[-1] = (a * A_ + b * C_, a * B_ + b * D_, c * A_ + d * C_, c * B_ + d * D_,
                                 e * A_ + f * C_ + E_, e * B_ + f * D_ + F_)
            elif name == "Do":
                xobj = page.Resources.XObject[operands[0]]
                if xobj.Subtype == "/Image":
                    img = pikepdf.PdfImage(xobj).as_pil_image()
                    m = ctm_stack[-1]
                    out.append((img, (m[4], m[5], m[0], m[3])))
    return out


@pytest.fixture(scope="module")
def meridian_pdfs(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("meridian-pdf")
    forget_kits()
    return {lang: _pdf(KIT, lang, tmp / lang) for lang in SPECS}


def _rgb_at(pdf: Path, x_frac: float, y_pt: float, tmp: Path) -> tuple[int, int, int]:
    """The colour of the page at ``x_frac`` of its width and ``y_pt`` points below its top edge."""
    stem = tmp / f"px-{pdf.parent.parent.name}"
    subprocess.run(["pdftoppm", "-r", "72", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                   check=True, timeout=60)
    with Image.open(f"{stem}.png") as im:
        return im.convert("RGB").getpixel((int(im.width * x_frac), int(y_pt)))


def _near(a, b, tol=6) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b))


@pytest.mark.needs("pdftoppm")
def test_meridian_pdf_carries_the_template_logo_header_and_band(meridian_pdfs, tmp_path):
    logo = _template_logo()
    for lang, pdf in meridian_pdfs.items():
        images = _page_images(pdf)
        same = [(img, where) for img, where in images
                if img.size == logo.size and img.convert("RGB").tobytes() == logo.convert("RGB").tobytes()]
        assert same, (lang, [i.size for i, _ in images])
        _, (x, y, w, h) = same[0]
        with pikepdf.open(pdf) as doc:
            page_w, page_h = (float(v) for v in doc.pages[0].MediaBox[2:])
        assert x < page_w / 2 and y > page_h - 60, (lang, x, y)  # top left, as in the Word header
        assert abs(w / h - logo.width / logo.height) < 0.01
        text = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "MERIDIAN FREIGHT GROUP | CUSTOMER VALUE RESEARCH" in text, lang
        assert _near(_rgb_at(pdf, 0.30, 2, tmp_path), (0x14, 0x32, 0x5C)), lang  # the master's navy band
        assert _near(_rgb_at(pdf, 0.88, 2, tmp_path), (0x0F, 0x7C, 0x7A)), lang  # its teal segment
        assert _near(_rgb_at(pdf, 0.97, 2, tmp_path), (0xE8, 0x6A, 0x50)), lang  # its coral segment
        assert _near(_rgb_at(pdf, 0.5, 42, tmp_path), (0x0F, 0x7C, 0x7A), tol=40), lang  # the header's rule


def test_plain_kit_pdf_has_no_company_header(tmp_path):
    from roi_in_a_box.brand.kit import resolve_kit

    pdf = _pdf(resolve_kit(None), "en", tmp_path)
    logo = _template_logo()
    assert not any(img.size == logo.size for img, _ in _page_images(pdf))
    assert page_header(load_kit(resolve_kit(None))) is None


def test_header_from_the_master_alone_and_explicit_fields_win(tmp_path):
    only_pptx = load_kit(_kit(tmp_path, drop=("reference_docx",)))
    look = page_header(only_pptx)
    assert look is not None and look.logo_position == "right"  # the master's wordmark sits top right
    assert look.logo is not None and Image.open(look.logo).size == _template_logo().size
    assert [b.color for b in look.bands] == ["#14325C", "#0F7C7A", "#E86A50"]
    assert look.text == "" and look.rule_color is None

    kit = _kit(tmp_path, extra='page_header: {logo_position: right, text: "MERIDIAN RESEARCH", '
                               'band_color: "#0F7C7A"}\n')
    look = page_header(load_kit(kit))
    assert look.logo_position == "right" and look.text == "MERIDIAN RESEARCH"
    assert [b.color for b in look.bands] == ["#0F7C7A"] and look.rule_color == "#0F7C7A"
    pdf = _pdf(kit, "en", tmp_path / "explicit")
    with pikepdf.open(pdf) as doc:
        page_w = float(doc.pages[0].MediaBox[2])
    placed = [where for img, where in _page_images(pdf) if img.size == _template_logo().size]
    assert placed and placed[0][0] > page_w / 2

    off = _kit(tmp_path, extra="page_header: {show: false}\n")
    assert page_header(load_kit(off)) is None


@pytest.mark.slow
@pytest.mark.needs("java")
def test_meridian_pdfs_pass_verapdf(meridian_pdfs):
    from verapdf import failures, validate

    assert failures(validate(list(meridian_pdfs.values()))) == []


def _pdf_fonts(pdf: Path) -> set[str]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {line.split()[0].split("+")[-1] for line in out.splitlines()[2:] if line.strip()}


def _heading_sarabun(tmp: Path, extra: str = "") -> Path:
    kit = _kit(tmp, extra=extra)
    y = kit / "brand.yaml"
    y.write_text(y.read_text(encoding="utf-8").replace("heading: {latin: lato", "heading: {latin: sarabun"),
                 encoding="utf-8")
    forget_kits()
    return kit


@pytest.mark.needs("pdffonts")
def test_pdf_headings_take_the_theme_major_font_when_the_kit_has_it(tmp_path):
    """The kit says Sarabun for headings, the templates' theme says Lato (a kit family): the PDF
    sets headings in Lato; with ``kit_overrides: [fonts]`` in Sarabun."""
    themed = _pdf_fonts(_pdf(_heading_sarabun(tmp_path), "en", tmp_path / "a"))
    assert not any(f.startswith("Sarabun") for f in themed) and "Lato-Bold" in themed
    kit = _heading_sarabun(tmp_path, "kit_overrides: [fonts]\n")
    assert any(f.startswith("Sarabun") for f in _pdf_fonts(_pdf(kit, "en", tmp_path / "b")))


def test_theme_font_the_kit_lacks_is_reported(tmp_path):
    kit = _kit(tmp_path, Path(docx.__file__).parent / "templates" / "default.docx")
    brand, notes = themed_brand(load_kit(kit))
    assert brand.heading.by_script["latin"].name == "Lato"
    assert any("'Calibri' (heading text) is not a family of the kit" in n for n in notes), notes
    assert any("'Cambria' (body text)" in n for n in notes), notes


def test_pdf_with_the_template_logo_is_byte_reproducible_across_processes(tmp_path):
    """The header logo is re-encoded into a per-process folder; the PDF must not depend on it."""
    digests = []
    for i in (1, 2):
        subprocess.run([sys.executable, "-m", "roi_in_a_box", "build", str(SPECS["en"]), "--stage", "pre_sale",
                        "--format", "pdf", "--brand", str(KIT), "--out", str(tmp_path / str(i))],
                       check=True, capture_output=True, timeout=300)
        pdf = next((tmp_path / str(i)).rglob("one_pager.pdf"))
        digests.append(pdf.read_bytes())
    assert digests[0] == digests[1]


@pytest.mark.needs("pdftoppm")
def test_pdf_title_has_the_word_title_styles_rule(meridian_pdfs, tmp_path):
    """meridian's reference.docx Title has a 2.25 pt coral (E86A50) bottom border: the PDF
    draws the same line across the text width under its title (below the header)."""
    coral = (0xE8, 0x6A, 0x50)
    for lang, pdf in meridian_pdfs.items():
        stem = tmp_path / f"title-{lang}"
        subprocess.run(["pdftoppm", "-r", "72", "-png", "-singlefile", str(pdf), str(stem)], check=True, timeout=60)
        with Image.open(f"{stem}.png") as im:
            im = im.convert("RGB")
            rows = [y for y in range(60, im.height // 2)
                    if sum(_near(im.getpixel((x, y)), coral, 20) for x in range(0, im.width, 2)) > im.width * 0.35]
        assert rows, lang


def test_the_templates_own_roi_table_style_draws_every_table(tmp_path):
    """A reference.docx that defines a table style named "ROI Table" gets it on every data
    table, header row included (no direct fill or white text over it)."""
    style = (b'<w:style w:type="table" w:customStyle="1" w:styleId="MeridianData"><w:name w:val="ROI Table"/>'
             b'<w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders>'
             b'<w:bottom w:val="single" w:sz="8" w:space="0" w:color="0F7C7A"/></w:tblBorders></w:tblPr>'
             b'<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:color w:val="0F7C7A"/></w:rPr></w:tblStylePr>'
             b'</w:style></w:styles>')
    ref = tmp_path / "reference.docx"
    with zipfile.ZipFile(KIT / "reference.docx") as zin, zipfile.ZipFile(ref, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/styles.xml":
                data = data.replace(b"</w:styles>", style)
            zout.writestr(info, data)
    out = _docx(_kit(tmp_path, ref), "en", tmp_path / "out")
    body = _part(out, "word/document.xml")
    styled = [t for t in body.iter(f"{W}tbl") if t.find(f"{W}tblPr/{W}tblStyle") is not None]
    assert styled and all(t.find(f"{W}tblPr/{W}tblStyle").get(f"{W}val") == "MeridianData" for t in styled)
    for t in styled:
        header = t.find(f"{W}tr")
        assert header.find(f".//{W}tcPr/{W}shd") is None
        assert header.find(f".//{W}rPr/{W}color") is None


def test_complex_script_face_is_the_themes_only_when_the_kit_has_it():
    from roi_in_a_box.brand.ooxml_theme import Theme, ThemeFonts
    from roi_in_a_box.render.docx.styles import complex_font

    brand = load_kit(KIT)
    role = brand.body  # Lato, Hind Siliguri, Sarabun
    stock = Theme({}, ThemeFonts("Lato", "", {"Beng": "Vrinda", "Thai": "Angsana New"}), ThemeFonts("Lato"))
    assert complex_font(stock, "heading", role, "bengali") == "Hind Siliguri"  # Office's Windows face: the kit's
    assert complex_font(stock, "heading", role, "thai") == "Sarabun"
    own = Theme({}, ThemeFonts("Lato", "Lato", {"Thai": "Hind Siliguri"}), ThemeFonts("Lato", "Lato"))
    assert complex_font(own, "heading", role, "thai") == "Hind Siliguri"  # the script's own entry, a kit family
    assert complex_font(own, "body", role, "bengali") == "Lato"  # else a:cs, a kit family
    assert complex_font(None, "body", role, "thai") == "Sarabun"


# --------------------------------------------------------------------------- the header's picture under concurrency


def test_a_picture_half_written_by_another_worker_does_not_cost_the_header_its_logo(tmp_path):
    """Batch workers forked from one process share its folder of re-encoded pictures.  The
    header's picture used to be written there only if no file had that name yet, so a file
    another worker was still writing was taken for it: it failed its check, and that
    worker's PDFs had no company logo from then on, silently (the look is cached)."""
    import hashlib

    from roi_in_a_box.brand import images

    with zipfile.ZipFile(KIT / "reference.docx") as z:
        raw = z.read("word/media/image1.png")
    partial = images._clean_dir() / f"template-{hashlib.sha256(raw).hexdigest()}.png"
    partial.write_bytes(raw[: len(raw) // 3])  # what a concurrent writer leaves half-way
    look = page_header(load_kit(_kit(tmp_path)))  # a fresh kit folder: not a cached look
    assert look is not None and look.logo is not None
    assert "logo: reference_docx header" in look.sources, look.sources  # not a fallback's picture
    with Image.open(look.logo) as im:
        assert im.size == _template_logo().size


def test_pictures_re_encoded_by_concurrent_threads_are_all_complete(tmp_path):
    """Threads (a Dask worker's) and forked workers re-encoding the same picture at once:
    with one shared temporary name, one of them found it renamed away (FileNotFoundError)
    or read a file another was rewriting."""
    import random
    import threading

    from roi_in_a_box.brand.images import check_image, clean_image

    rng = random.Random(tmp_path.name)
    src = tmp_path / "busy.png"
    Image.frombytes("RGB", (900, 600), bytes(rng.getrandbits(8) for _ in range(900 * 600 * 3))).save(src)
    start = threading.Barrier(4)
    got: list[object] = []

    def clean() -> None:
        start.wait()
        try:
            got.append(clean_image(src))
        except Exception as exc:  # noqa: BLE001 - the failure under test
            got.append(exc)

    threads = [threading.Thread(target=clean) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(isinstance(g, Path) for g in got), got
    assert len(set(got)) == 1 and check_image(got[0])[1:] == (900, 600)


def test_looks_are_cached_per_brand_not_per_kit_folder():
    """The themed brand and the header were cached by a few of the brand's fields (folder,
    digest, colours, templates): a brand differing in any other (its logo, fonts, footer)
    was handed the first one's, so what a render got depended on what ran before it."""
    from dataclasses import replace

    brand = load_kit(KIT)
    themed_brand(brand)
    page_header(brand)
    other = replace(brand, footer="Another footer", logo=None)
    assert themed_brand(other)[0].footer == "Another footer"
    assert themed_brand(other)[0].logo is None
