"""Accessible Word and PowerPoint, and the accessibility report every build writes into
its manifest (deliver/accessibility.py): every sample document of every stage passes it,
and each check fails when what it looks for is missing."""

from __future__ import annotations

import json
from dataclasses import replace
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation

sys.path.insert(0, str(Path(__file__).parent))
from sample_tree import sample_document
from sample_tree import test_brand as make_brand

from roi_in_a_box.brand.kit import load_kit, resolve_kit
from roi_in_a_box.deliver.accessibility import CHECKS, report
from roi_in_a_box.deliver.accessibility import _contrast as contrast_check
from roi_in_a_box.deliver.pipeline import build
from roi_in_a_box.layout import tree as t
from roi_in_a_box.layout.alt_text import chart_alt
from roi_in_a_box.model.study import load_study
from roi_in_a_box.render.registry import renderer_for

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = [ROOT / "sample_inputs" / n for n in ("ledgerly_en.yaml", "ghatbox_bn.yaml", "shiftsabai_th.yaml")]
BRAND = make_brand()
AUDIT = shutil.which("openxml-audit") or str(Path(sys.executable).with_name("openxml-audit"))
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("a11y")
    kit = load_kit(resolve_kit(None))
    reports = [build(load_study(p), kit, out) for p in SAMPLES]
    return [(r.out_dir, json.loads(r.manifest.read_text("utf-8"))) for r in reports]


def test_every_sample_document_passes_the_report(built):
    n = 0
    for out_dir, manifest in built:
        for rec in manifest["outputs"]:
            assert [c["check"] for c in rec["accessibility"]] == list(CHECKS)
            assert [c for c in rec["accessibility"] if not c["ok"]] == [], rec["path"]
            n += 1
    assert n == 7 * len(SAMPLES)


def _files(built, suffix: str) -> list[Path]:
    return [out_dir / rec["path"] for out_dir, m in built for rec in m["outputs"] if rec["path"].endswith(suffix)]


def test_every_picture_and_chart_in_slides_is_described_and_every_slide_titled(built):
    charts = 0
    for path in _files(built, ".pptx"):
        prs = Presentation(path)
        for slide in prs.slides:
            assert slide.shapes.title is not None and slide.shapes.title.text_frame.text.strip()
            assert next(iter(slide.shapes)).shape_id == slide.shapes.title.shape_id  # read first
            for shape in slide.shapes:
                c_nv = shape._element.find(f".//{P}cNvPr")
                if shape.shape_type == 13 or getattr(shape, "has_chart", False):
                    assert (c_nv.get("descr") or "").strip(), (path.name, shape.name)
                    charts += getattr(shape, "has_chart", False)
        assert prs.core_properties.language
    assert charts >= 3 * len(SAMPLES)


def test_chart_descriptions_state_the_data(tmp_path):
    doc = sample_document("en")
    chart = next(b for p in doc.pages for b in t.iter_blocks(p.blocks) if isinstance(b, t.Chart))
    path = renderer_for("pptx").render(doc, BRAND, tmp_path / "s.pptx").path
    descrs = [el.get("descr") for s in Presentation(path).slides for el in s.shapes._spTree.iter(f"{P}cNvPr")]
    assert chart_alt(chart) in descrs
    for labels in chart.value_labels:
        assert all(label in chart_alt(chart) for label in labels)


def test_word_title_first_and_pictures_described(built):
    for path in _files(built, ".docx"):
        with zipfile.ZipFile(path) as z:
            body = etree.fromstring(z.read("word/document.xml"))
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        first = body.find(f"{w}body/{w}p/{w}pPr/{w}pStyle")
        assert first is not None and first.get(f"{w}val") == "Title", path.name
        pics = list(body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"))
        assert pics and all((p.get("descr") or "").strip() for p in pics)
        header_rows = list(body.iter(f"{w}tblHeader"))
        assert header_rows


@pytest.mark.skipif(not Path(AUDIT).exists(), reason="openxml-audit not installed")
def test_openxml_audit_clean(built):
    for path in _files(built, ".pptx")[:2] + _files(built, ".docx")[:2]:
        proc = subprocess.run([AUDIT, "-o", "json", "-m", "0", str(path)], capture_output=True, text=True,
                              timeout=120, check=False)
        result = json.loads(proc.stdout)[0]
        assert result["error_count"] == 0, (path.name, result["errors"])


# ---------------------------------------------------------------------- the checks can fail


def _failing(path: Path, fmt: str) -> set[str]:
    return {c["check"] for c in report(path, fmt, BRAND) if not c["ok"]}


@pytest.mark.parametrize("fmt", ["pdf", "docx", "pptx"])
def test_report_finds_missing_alt_text_and_skipped_headings(tmp_path, fmt):
    logo = ROOT / "sample_inputs" / "logos" / "ledgerly.png"
    good = t.Document(kind="x", title="Fine", language="en", pages=(t.Page(title="Fine", blocks=(
        t.Heading(text="Fine", level=0), t.Image(path=str(logo), alt="Ledgerly"),
        t.Heading(text="Section", level=1), t.Paragraph(runs=(t.Run("Text."),)))),))
    path = renderer_for(fmt).render(good, BRAND, tmp_path / f"good.{fmt}").path
    assert _failing(path, fmt) == set()
    bad = t.Document(kind="x", title="", language="en", pages=(t.Page(blocks=(
        t.Paragraph(runs=(t.Run("Intro."),)), t.Image(path=str(logo), alt=""),
        t.Heading(text="Deep", level=3), t.Paragraph(runs=(t.Run("Text."),), style="small"))),))
    path = renderer_for(fmt).render(bad, BRAND, tmp_path / f"bad.{fmt}").path
    failing = _failing(path, fmt)
    assert "title" in failing
    if fmt != "pdf":  # PDF: an image without alt text is an artifact (decoration), as PDF/UA asks
        assert "alt text" in failing
    if fmt == "docx":  # PDF headings never skip (levels are closed up); slides have titles, not headings
        assert "heading order" in failing


def test_report_finds_low_contrast():
    low = replace(BRAND, colors=replace(BRAND.colors, muted="#BBBBBB"))
    check = contrast_check(low)
    assert not check.ok and "muted on background" in check.detail
    assert contrast_check(BRAND).ok


def test_check_prints_the_report():
    from typer.testing import CliRunner

    from roi_in_a_box.cli import app

    result = CliRunner().invoke(app, ["check", "--json", "--accessibility", str(SAMPLES[1])])
    assert result.exit_code == 0, result.output
    reports = json.loads(result.output)["accessibility"]
    assert len(reports) == 7 and all(c["ok"] for checks in reports.values() for c in checks)
    assert {name.rsplit(".", 1)[1] for name in reports} == {"pdf", "docx", "pptx"}
    text = CliRunner().invoke(app, ["check", "--accessibility", str(SAMPLES[1])]).output
    assert "7/7 accessibility checks pass" in text
