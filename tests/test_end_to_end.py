"""Every sample, every stage: build, then read each document back as its users' tools would."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pypdf import PdfReader

from roi_in_a_box.brand.kit import load_kit, resolve_kit
from roi_in_a_box.deliver.pipeline import build
from roi_in_a_box.layout.i18n import label
from roi_in_a_box.model.study import load_study

from .audit_policy import other_findings
from .lo_helpers import SOFFICE, convert_to_pdf

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = [ROOT / "sample_inputs" / n for n in ("ledgerly_en.yaml", "ghatbox_bn.yaml", "shiftsabai_th.yaml")]
EXPECTED = {("pre_sale", "one_pager", "pdf"), ("pre_sale", "case_study", "docx"), ("pre_sale", "deck_insert", "pptx"),
            ("onboarding", "onboarding_brief", "pdf"), ("service", "qbr_slides", "pptx"),
            ("renewal", "renewal_packet", "pdf"), ("renewal", "renewal_summary", "docx")}


@pytest.fixture(scope="module")
def built(tmp_path_factory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("e2e")
    kit = load_kit(resolve_kit(None))
    return {p.stem: (load_study(p), build(load_study(p), kit, out)) for p in SAMPLES}


@pytest.mark.parametrize("name", [p.stem for p in SAMPLES])
def test_every_stage_document_is_built_and_reads_back(built, name: str) -> None:  # type: ignore[no-untyped-def]
    analysis, report = built[name]
    got = {(o.stage, o.layout, o.format) for o in report.outputs}
    assert got == EXPECTED
    vendor = analysis.spec.vendor.name
    for o in report.outputs:
        path = report.out_dir / o.path
        if o.format == "pdf":
            reader = PdfReader(path)
            assert len(reader.pages) == o.pages
            assert (reader.metadata or {}).get("/Title") == reader.metadata.get("/Title")  # readable metadata
            assert o.pages <= (1 if o.layout == "one_pager" else 2)
        elif o.format == "docx":
            document = docx.Document(str(path))
            text = "\n".join(p.text for p in document.paragraphs)
            assert analysis.spec.study.title in text or vendor in text
            styles = {p.style.name for p in document.paragraphs}
            assert {"Title", "Heading 1"} <= styles
        else:
            deck = Presentation(str(path))
            assert len(deck.slides) == o.pages
            assert deck.slide_width * 9 == deck.slide_height * 16
            heading = label(analysis.spec.study.language, "src.sources", items="")  # "Sources: ", "উৎস: "
            assert all(s.has_notes_slide and heading in s.notes_slide.notes_text_frame.text
                       for s in list(deck.slides)[1:])


@pytest.mark.parametrize("name", [p.stem for p in SAMPLES])
def test_manifest_matches_disk(built, name: str) -> None:  # type: ignore[no-untyped-def]
    _, report = built[name]
    manifest = json.loads(report.manifest.read_text("utf-8"))
    on_disk = sorted(p.relative_to(report.out_dir).as_posix() for p in report.out_dir.rglob("*.*")
                     if p.name != "manifest.json")
    assert sorted(o["path"] for o in manifest["outputs"]) == on_disk
    assert manifest["roi"]["zone"] in ("winning", "competitive", "instability")


def test_deck_chart_is_native_and_carries_the_model(built) -> None:  # type: ignore[no-untyped-def]
    analysis, report = built["ledgerly_en"]
    deck = Presentation(str(report.out_dir / "pre_sale" / "deck_insert.pptx"))
    all_charts = [sh.chart for s in deck.slides for sh in s.shapes if getattr(sh, "has_chart", False) and sh.has_chart]
    charts = {c.chart_type: c for c in all_charts}
    assert set(charts) == {XL_CHART_TYPE.COLUMN_CLUSTERED, XL_CHART_TYPE.LINE_MARKERS}
    benefits = [float(y.benefits) for y in analysis.result.years]
    bars = [{s.name: list(s.values) for s in c.plots[0].series} for c in all_charts
            if c.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED]
    [series] = [b for b in bars if "Benefits" in b]
    assert series["Benefits"] == pytest.approx(benefits)
    [sensitivity] = [b for b in bars if "Input at its low end" in b]  # the risk slide: NPV by input
    assert sensitivity["Input at its low end"] == pytest.approx([float(s.npv_low) for s in analysis.risk.sensitivity])
    line, marker = charts[XL_CHART_TYPE.LINE_MARKERS].plots[0].series  # headline slide: cumulative net cash flow
    assert list(line.values) == pytest.approx([float(v) for _, v in analysis.result.monthly_cumulative()][::3])
    assert [v for v in marker.values if v is not None] == [0.0]  # the payback marker, on the zero line


@pytest.mark.office
@pytest.mark.skipif(SOFFICE is None or shutil.which("pdfinfo") is None, reason="LibreOffice/poppler not installed")
def test_libreoffice_opens_every_docx_and_pptx(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    files = [r.out_dir / o.path for _, r in built.values() for o in r.outputs if o.format in ("docx", "pptx")]
    pdfs = convert_to_pdf(files, tmp_path / "lo")
    for src, pdf in zip(files, pdfs):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        if src.suffix == ".pptx":
            assert pages == len(Presentation(str(src)).slides), src
        else:
            assert 1 <= pages <= 6, (src, pages)  # the case study's max_pages


def test_hostile_spec_text_renders_literally_in_every_format(tmp_path: Path) -> None:
    """Markup, entities and control characters in spec data reach the reader as plain text."""
    import re

    hostile = "<img src='/etc/passwd'/> <b>bold & \"quoted\" {{ 7*7 }}"
    src = SAMPLES[0].read_text("utf-8")
    src = re.sub(r"(\n  title: )[^\n]+", lambda m: m.group(1) + '"Ledgerly \\x07' + hostile.replace('"', '\\"') + '"',
                 src, count=1)
    spec = tmp_path / "hostile.yaml"
    spec.write_text(src, "utf-8")
    shutil.copytree(ROOT / "sample_inputs" / "logos", tmp_path / "logos")
    analysis = load_study(spec)
    report = build(analysis, load_kit(resolve_kit(None)), tmp_path / "out", stages=("pre_sale",))
    expected = "Ledgerly " + hostile
    for o in report.outputs:
        path = report.out_dir / o.path
        if o.format == "pdf":
            text = "".join(p.extract_text() for p in PdfReader(path).pages)
            assert "/etc/passwd" in text and "<b>bold" in text
            assert "\x07" not in text
        elif o.format == "docx":
            titles = [p.text for p in docx.Document(str(path)).paragraphs if p.style.name == "Title"]
            assert titles == [expected]
        else:
            first = Presentation(str(path)).slides[0]
            texts = [sh.text_frame.text for sh in first.shapes if sh.has_text_frame]
            assert expected in texts


@pytest.mark.skipif(shutil.which("pdffonts") is None or shutil.which("qpdf") is None, reason="poppler/qpdf missing")
def test_every_pdf_embeds_subset_fonts_only_and_passes_qpdf(built) -> None:  # type: ignore[no-untyped-def]
    for _, report in built.values():
        for o in report.outputs:
            if o.format != "pdf":
                continue
            path = report.out_dir / o.path
            rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
            fonts = rows.splitlines()[2:]
            assert fonts and all(" yes yes yes " in f for f in fonts), rows  # embedded, subset, unicode map
            assert not any("Helvetica" in f for f in fonts)
            check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
            assert check.returncode == 0, check.stdout


def test_openxml_audit_finds_nothing_in_any_built_docx_or_pptx(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import json
    import sys

    audit = shutil.which("openxml-audit") or str(Path(sys.executable).parent / "openxml-audit")
    files = [r.out_dir / o.path for _, r in built.values() for o in r.outputs if o.format in ("docx", "pptx")]
    for i, f in enumerate(files):
        shutil.copy(f, tmp_path / f"{i}-{f.name}")
    out = subprocess.run([audit, "-o", "json", "--ooxml-security", "-r", str(tmp_path)], capture_output=True,
                         text=True, timeout=300)
    reports = json.loads(out.stdout)
    assert len(reports) == len(files)
    for report in reports:
        errors = [f for f in other_findings(report) if f["severity"] == "error"]
        assert errors == [], errors[:3]
        for f in other_findings(report):  # the only findings allowed: the study's own https:/mailto: links
            assert "https://" in f["description"] or "mailto:" in f["description"], f


@pytest.mark.parametrize("name", [p.stem for p in SAMPLES])
def test_no_docx_section_heading_is_left_without_its_content(built, name: str) -> None:  # type: ignore[no-untyped-def]
    """Fitting drops an optional block together with the heading that introduces it."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn

    _, report = built[name]
    for o in (o for o in report.outputs if o.format == "docx"):
        body = docx.Document(str(report.out_dir / o.path))
        items = [el for el in body.element.body if el.tag in (qn("w:p"), qn("w:tbl"))]

        def level(el, styles=body.styles) -> int | None:  # type: ignore[no-untyped-def]
            if el.tag != qn("w:p") or el.style is None:
                return None
            name_ = styles.get_by_id(el.style, WD_STYLE_TYPE.PARAGRAPH).name
            return int(name_.split()[-1]) if name_.startswith("Heading ") else None
        for i, el in enumerate(items):
            lv = level(el)
            if lv is None:
                continue
            nxt = items[i + 1] if i + 1 < len(items) else None
            assert nxt is not None, f"{o.path}: ends with a heading"
            nlv = level(nxt)
            assert nlv is None or nlv > lv, f"{o.path}: heading {el.xpath('string(.)')!r} has no content"


AUDIT = shutil.which("openxml-audit") or str(Path(__import__("sys").executable).with_name("openxml-audit"))


@pytest.mark.skipif(not Path(AUDIT).exists(), reason="openxml-audit not installed")
def test_every_built_docx_and_pptx_passes_the_open_xml_validator(built) -> None:  # type: ignore[no-untyped-def]
    """Every stage's Word and PowerPoint file with the default kit (cover slide, native
    charts, embedded fonts): no schema findings; the only notes are the study's own links."""
    files = [r.out_dir / o.path for _, r in built.values() for o in r.outputs if o.format in ("docx", "pptx")]
    assert len(files) == 12  # 3 samples x (case study, deck insert, QBR slides, renewal summary)
    for path in files:
        proc = subprocess.run([AUDIT, "-o", "json", "-m", "0", "--ooxml-security", str(path)],
                              capture_output=True, text=True, timeout=120, check=False)
        report = json.loads(proc.stdout)[0]
        for f in other_findings(report):  # (the security scan's note on embedded PPTX fonts set aside)
            assert f["severity"] != "error", (path, f)
            assert f["description"].startswith(("External relationship target: https:",
                                                "External relationship target: mailto:")), (path, f)
