"""Company templates nobody on the project wrote, generated at test time (never committed).

The corpus: pandoc's default reference.pptx and reference.docx (``pandoc
--print-default-data-file``), python-pptx's and python-docx's default templates (from the
installed packages), LibreOffice's bundled Impress templates converted to .pptx by
``soffice``, and .potx/.dotx variants made from them.  Each is put in a copy of the
``meridian`` kit and built (pre_sale and service): no traceback, outputs that
openxml-audit passes with 0 errors, and decks LibreOffice opens with the planned slide
count.  ``TEMPLATE_CORPUS=all`` uses every LibreOffice template (23), otherwise a sample
that covers their kinds (decorated, dark, many masters, 4:3).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pptx
import pytest
from pptx import Presentation

from roi_in_a_box.brand.kit import forget_kits, load_kit
from roi_in_a_box.deliver.pipeline import build
from roi_in_a_box.model.study import load_study
from roi_in_a_box.spec.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
KIT = ROOT / "brand_kits" / "meridian"
EN = ROOT / "sample_inputs" / "ledgerly_en.yaml"
LO_TEMPLATES = Path("/usr/lib/libreoffice/share/template/common/presnt")
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
    (kit / "brand.yaml").write_text(text + f"{field}: company{template.suffix}\n", encoding="utf-8")
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
