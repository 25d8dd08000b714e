"""The public templates kept in tests/public_templates: each has a recorded source and a
licence that lets us redistribute it, and the repairs they need are made when a kit uses them.
(The whole builds with them run in tests/test_template_corpus.py, the office lane.)"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import yaml

from roi_in_a_box.brand.template_prep import prepare_bytes

PUBLIC = Path(__file__).resolve().parent / "public_templates"
REDISTRIBUTABLE = {"CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "MIT", "Apache-2.0", "BSD-3-Clause", "OFL-1.1",
                   "public-domain"}


def test_every_public_template_has_a_source_and_a_licence():
    """Every file kept is in SOURCES.yaml with repository, commit, path, licence and the
    sha256 of exactly these bytes (unmodified, as the licences' attribution terms expect)."""
    manifest = yaml.safe_load((PUBLIC / "SOURCES.yaml").read_text(encoding="utf-8"))
    kept = {p.name for p in PUBLIC.iterdir() if p.name != "SOURCES.yaml"}
    assert kept == set(manifest), kept ^ set(manifest)
    for name, entry in manifest.items():
        assert entry["licence"] in REDISTRIBUTABLE, name
        assert re.fullmatch(r"[0-9a-f]{40}", entry["commit"]) and re.fullmatch(r"[\w.-]+/[\w.-]+", entry["repo"]), name
        for field in ("path", "licence_file", "attribution", "kind"):
            assert str(entry[field]).strip(), (name, field)
        assert hashlib.sha256((PUBLIC / name).read_bytes()).hexdigest() == entry["sha256"], name
    assert sum(n.endswith((".pptx", ".potx")) for n in kept) >= 3
    assert sum(n.endswith((".docx", ".dotx")) for n in kept) >= 2


def _styles(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/styles.xml")


def test_a_style_that_breaks_the_page_before_every_heading_is_neutralised():
    """OWASP's reference document starts every Heading 1 on a new page; a case study with
    one heading per page was 7 pages (refused: at most 6).  The prepared template keeps the
    style without the break, and says so."""
    src = (PUBLIC / "owasp-csvs.docx").read_bytes()
    assert b"<w:pageBreakBefore/>" in _styles(src)
    prepared = prepare_bytes(src, "docx")
    assert b"pageBreakBefore" not in _styles(prepared.data)
    assert b'w:styleId="Heading1"' in _styles(prepared.data)
    assert any("'heading 1' start a new page before every paragraph" in n for n in prepared.notes), prepared.notes


def test_web_divisions_nothing_refers_to_are_dropped():
    """Both OWASP reference documents carry the HTML divisions Word keeps from pasted web
    content (openxml-audit: 3 schema errors in every output); nothing that survives the
    discarded body refers to them, so they go, with a note."""
    for name in ("owasp-csvs.docx", "owasp-cyclonedx-guides.docx"):
        src = (PUBLIC / name).read_bytes()
        with zipfile.ZipFile(io.BytesIO(src)) as z:
            assert b"<w:divs>" in z.read("word/webSettings.xml"), name
        prepared = prepare_bytes(src, "docx")
        with zipfile.ZipFile(io.BytesIO(prepared.data)) as z:
            assert b"divs" not in z.read("word/webSettings.xml"), name
        assert any("HTML divisions in its web settings" in n for n in prepared.notes), (name, prepared.notes)


def test_a_presentation_without_presentation_properties_gets_them():
    """pptx-blueprint's template has neither viewProps nor presProps; openxml-audit reported
    the missing presProps (PowerPoint's repair dialog) in every deck built with it."""
    src = (PUBLIC / "pptx-blueprint-example01.pptx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(src)) as z:
        assert "ppt/presProps.xml" not in z.namelist()
    prepared = prepare_bytes(src, "pptx")
    with zipfile.ZipFile(io.BytesIO(prepared.data)) as z:
        names = z.namelist()
        rels = z.read("ppt/_rels/presentation.xml.rels")
        types = z.read("[Content_Types].xml")
    assert "ppt/presProps.xml" in names and b"relationships/presProps" in rels
    assert b'PartName="/ppt/presProps.xml"' in types
    assert any("no presentation properties part" in n for n in prepared.notes), prepared.notes
