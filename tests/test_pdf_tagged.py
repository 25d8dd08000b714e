"""Tagged PDF: every PDF the engine writes is one file valid as PDF/UA-1 and PDF/A-2a
(veraPDF, 0 failed rules), its structure tree follows the layout tree, and text
extractors read it in that order.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from hypothesis import HealthCheck, given, settings
from pdfminer.high_level import extract_text as pdfminer_text
from reportlab.platypus.doctemplate import LayoutError

sys.path.insert(0, str(Path(__file__).parent))
from sample_tree import sample_document
from sample_tree import test_brand as make_brand
from test_tree_fuzz import document as fuzz_document
from verapdf import failures, validate

from roi_in_a_box.brand.kit import load_kit, resolve_kit
from roi_in_a_box.deliver.pipeline import build
from roi_in_a_box.layout import tree as t
from roi_in_a_box.layout.alt_text import chart_alt
from roi_in_a_box.model.study import load_study
from roi_in_a_box.render.pdf.renderer import PdfRenderer

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "sample_inputs").glob("*.yaml"))
BRAND = make_brand()
LANGS = ("en", "bn", "th")


@pytest.fixture(scope="module")
def trees(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("tagged")
    logo = ROOT / "sample_inputs" / "logos" / "ledgerly.png"
    paths = {}
    for lang in LANGS:
        paths[lang] = PdfRenderer().render(sample_document(lang, logo=logo if logo.exists() else None), BRAND,
                                           out / f"{lang}.pdf").path
    return paths


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> list[Path]:
    """Every PDF of every sample study and stage."""
    out = tmp_path_factory.mktemp("samples")
    kit = load_kit(resolve_kit(None))
    paths = []
    for spec in SAMPLES:
        report = build(load_study(spec), kit, out, formats=("pdf",))
        paths += [report.out_dir / r.path for r in report.outputs]
    return paths


@pytest.mark.slow
@pytest.mark.needs("java")
def test_every_sample_pdf_is_pdf_ua_1_and_pdf_a_2a(samples, trees):
    paths = [*samples, *trees.values()]
    assert len(samples) >= 3 * len(SAMPLES)
    assert failures(validate(paths)) == []


@pytest.mark.slow
@pytest.mark.needs("java")
def test_generated_trees_are_pdf_ua_1_and_pdf_a_2a(tmp_path):
    """The generated-tree test's documents (same strategy, same examples), validated in one batch."""
    paths: list[Path] = []

    @settings(max_examples=12, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(doc=fuzz_document)
    def render(doc):
        path = tmp_path / f"fuzz-{len(paths)}.pdf"
        try:
            PdfRenderer().render(doc, BRAND, path)
        except LayoutError:
            return
        paths.append(path)

    render()
    assert len(paths) >= 8
    assert failures(validate(paths)) == []


# ---------------------------------------------------------------------- the structure tree


def _elements(elem, out: list, depth: int = 0) -> None:
    """(depth, role, element) depth first, in the tree's order."""
    out.append((depth, str(elem.S)[1:], elem))
    kids = elem.get("/K")
    if kids is None:
        return
    for k in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(k, pikepdf.Dictionary) and k.get("/Type", pikepdf.Name.StructElem) == pikepdf.Name.StructElem \
                and "/S" in k:
            _elements(k, out, depth + 1)


def _struct(path: Path) -> list:
    with pikepdf.open(path) as pdf:
        out: list = []
        _elements(pdf.Root.StructTreeRoot.K, out)
        return [(d, r) for d, r, _ in out]


def _expected_roles(doc: t.Document) -> list[str]:
    """What each block of the layout tree must be in the structure tree, in reading order
    (blocks under Document or a Sect; Columns are only layout)."""
    roles: list[str] = []
    last = 0
    for page in doc.pages:
        for b in t.iter_blocks(page.blocks):
            if isinstance(b, t.Heading):  # never skipping a level: at most one below the last
                last = 1 if b.level == 0 else min(b.level, last + 1)
                roles.append("Title" if b.level == 0 else f"H{last}")
            elif isinstance(b, t.Paragraph):
                roles.append("P")
            elif isinstance(b, (t.StatTiles, t.Cards)):
                roles.append("L")
            elif isinstance(b, t.Quote):
                roles.append("BlockQuote")
            elif isinstance(b, t.Table):
                roles += ["Table"] + (["P"] if b.caption else [])
            elif isinstance(b, t.Chart):
                roles += (["P"] if b.title else []) + ["Figure"] + (["P"] if b.caption else [])
            elif isinstance(b, t.FrameworkGraphic):
                roles += ["Figure"] + (["P"] if b.caption else [])
            elif isinstance(b, t.Image):
                roles += ["Figure"] if b.alt else []
            elif isinstance(b, (t.Callout, t.Footnotes)):
                roles.append("Div")
    return roles


@pytest.mark.parametrize("lang", LANGS)
def test_structure_follows_the_layout_tree(trees, lang):
    doc = sample_document(lang, logo=ROOT / "sample_inputs" / "logos" / "ledgerly.png")
    found = _struct(trees[lang])
    assert found[0] == (0, "Document")
    blocks = []  # the kids of Document, a Sect's kids in its place
    for i, (d, r) in enumerate(found):
        parent = next((pr for pd, pr in reversed(found[:i]) if pd == d - 1), None)
        if (d == 1 and r != "Sect") or (d == 2 and parent == "Sect"):
            blocks.append(r)
    assert blocks == _expected_roles(doc)
    # one Sect per top-level section heading, each starting with its heading
    levels = [b.level for p in doc.pages for b in t.iter_blocks(p.blocks) if isinstance(b, t.Heading) and b.level]
    top = min(levels)
    assert sum(r == "Sect" for _, r in found) == levels.count(top)
    roles = [r for _, r in found]
    for i, r in enumerate(roles):
        if r == "Sect":
            assert re.fullmatch(r"H[1-3]", roles[i + 1])
    assert {"L", "LI", "Lbl", "LBody", "TR", "TH", "TD", "Quote", "Note", "Link"} <= set(roles)


def _mcids_in_content(page: pikepdf.Page) -> tuple[list[int], int]:
    """MCIDs of the page's marked content in stream order, and painting operators outside
    any marked content (must be 0: everything is real content or an artifact)."""
    mcids, depth, loose = [], 0, 0
    for operands, op in pikepdf.parse_content_stream(page):
        name = str(op)
        if name in ("BDC", "BMC"):
            depth += 1
            if name == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                mcids.append(int(operands[1].MCID))
        elif name == "EMC":
            depth -= 1
        elif depth == 0 and name in ("Tj", "TJ", "f", "f*", "S", "B", "b", "Do", "sh", "re"):
            loose += 1
    assert depth == 0
    return mcids, loose


@pytest.mark.parametrize("lang", LANGS)
def test_marked_content_and_parent_tree_agree(trees, lang):
    with pikepdf.open(trees[lang]) as pdf:
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        parents = dict(zip(nums[::2], nums[1::2]))
        owned: dict[tuple[int, int], object] = {}
        for _, _, elem in (x for x in _walk(pdf)):
            for k in _kids(elem):
                if isinstance(k, int):
                    owned[(_page_index(pdf, elem.Pg), k)] = elem
                elif isinstance(k, pikepdf.Dictionary) and k.get("/Type") == pikepdf.Name.MCR:
                    owned[(_page_index(pdf, k.Pg), int(k.MCID))] = elem
        for i, page in enumerate(pdf.pages):
            mcids, loose = _mcids_in_content(page)
            assert loose == 0
            assert mcids == list(range(len(mcids)))  # each MCID once, in drawing order
            entry = parents[int(page.obj.StructParents)]
            assert len(entry) == len(mcids)
            for m in mcids:
                assert entry[m].objgen == owned[(i, m)].objgen  # the parent tree names the owner
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.StructTreeRoot.RoleMap.Title) == "/H1"


def _walk(pdf):
    out: list = []
    _elements(pdf.Root.StructTreeRoot.K, out)
    return out


def _kids(elem):
    k = elem.get("/K")
    return [] if k is None else list(k) if isinstance(k, pikepdf.Array) else [k]


def _page_index(pdf, page_obj) -> int:
    return next(i for i, p in enumerate(pdf.pages) if p.obj.objgen == page_obj.objgen)


def test_figures_say_what_the_chart_shows(trees):
    doc = sample_document("en")
    charts = [b for p in doc.pages for b in t.iter_blocks(p.blocks) if isinstance(b, t.Chart)]
    with pikepdf.open(trees["en"]) as pdf:
        alts = [str(e.Alt) for _, r, e in _walk(pdf) if r == "Figure"]
    assert all(a.strip() for a in alts)
    for chart in charts:
        alt = chart_alt(chart)
        assert alt in alts
        for s, labels in zip(chart.series, chart.value_labels):
            assert s.name in alt and all(label in alt for label in labels)


def test_tables_have_column_headers_and_notes_have_ids(trees):
    with pikepdf.open(trees["en"]) as pdf:
        elems = _walk(pdf)
        ths = [e for _, r, e in elems if r == "TH"]
        assert ths and all(str(e.A.Scope) == "/Column" for e in ths)
        ids = [str(e.ID) for _, r, e in elems if r == "Note"]
        assert ids and len(set(ids)) == len(ids)


@pytest.mark.needs("java")
def test_repeated_table_header_is_an_artifact(tmp_path):
    rows = tuple((f"Line {i}", f"${i},000") for i in range(120))
    doc = t.Document(kind="x", title="Long table", language="en", max_pages=9,
                     pages=(t.Page(blocks=(t.Table(header=("Item", "Amount"), rows=rows),)),))
    res = PdfRenderer().render(doc, BRAND, tmp_path / "long.pdf")
    assert res.pages >= 3
    with pikepdf.open(res.path) as pdf:
        ths = [e for _, r, e in _walk(pdf) if r == "TH"]
        assert len(ths) == 2 and all(isinstance(k, int) for e in ths for k in _kids(e))  # page 1 only
        tds = [e for _, r, e in _walk(pdf) if r == "TD"]
        assert len(tds) == 240
    assert failures(validate([res.path])) == []


@pytest.mark.parametrize("lang", LANGS)
def test_links_are_link_elements(trees, lang):
    with pikepdf.open(trees[lang]) as pdf:
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        parents = dict(zip(nums[::2], nums[1::2]))
        n = 0
        for page in pdf.pages:
            assert page.obj.Tabs == pikepdf.Name.S
            for a in page.obj.get("/Annots", []):
                n += 1
                assert int(a.F) & 4 and str(a.Contents).strip()
                link = parents[int(a.StructParent)]
                assert link.S == pikepdf.Name.Link
                assert any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == pikepdf.Name.OBJR
                           and k.Obj.objgen == a.objgen for k in _kids(link))
        assert n >= 1


def test_languages_of_the_document_and_of_other_language_text(trees):
    with pikepdf.open(trees["bn"]) as pdf:
        assert str(pdf.Root.Lang) == "bn"
        langs = {str(e.Lang) for _, _, e in _walk(pdf) if "/Lang" in e}
    assert "en" in langs  # Latin-script text inside the Bengali document ("ROI", the figures' labels)
    with pikepdf.open(trees["en"]) as pdf:
        assert str(pdf.Root.Lang) == "en"


@pytest.mark.needs("java")
def test_xmp_and_info_from_the_spec(tmp_path):
    doc = t.Document(kind="x", title="Ledgerly & co: <ROI>", language="th", authors=("Maren Okafor", "Theo L"),
                     author="Northbeam", date="2026-03-01", subject="S", keywords=("ROI", "x"),
                     pages=(t.Page(blocks=(t.Paragraph(runs=(t.Run("สวัสดี"),)),)),))
    path = PdfRenderer().render(doc, BRAND, tmp_path / "m.pdf").path
    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        assert meta["dc:title"] == "Ledgerly & co: <ROI>"
        assert meta["dc:creator"] == ["Maren Okafor, Theo L"]
        assert meta["dc:publisher"] == {"Northbeam"}
        assert meta["dc:language"] == {"th"}
        assert meta["xmp:CreateDate"].startswith("2026-03-01")
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "A"
        assert meta["pdfuaid:part"] == "1"
        assert str(pdf.docinfo.CreationDate).startswith("D:20260301")
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == pikepdf.Name.GTS_PDFA1 and intent.DestOutputProfile.N == 3
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    assert failures(validate([path])) == []


# ---------------------------------------------------------------------- reading order


def _in_order(texts: list[str], found: str) -> None:
    squash = "".join(found.split())
    at = 0
    for text in texts:
        piece = "".join(text.split())
        pos = squash.find(piece, at)
        assert pos >= 0, (text, squash[at:at + 200])
        at = pos + len(piece)


def _reading_texts(doc: t.Document) -> list[str]:
    return [b.text for p in doc.pages for b in t.iter_blocks(p.blocks) if isinstance(b, (t.Heading, t.Paragraph))]


@pytest.mark.needs("pdftotext")
def test_extractors_read_in_structure_order(trees):
    """poppler, pdfminer and PDFium read the English sample's headings and paragraphs in
    the structure tree's order (the layout tree's)."""
    path = trees["en"]
    texts = _reading_texts(sample_document("en"))
    poppler = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pdf = pypdfium2.PdfDocument(str(path))
    pdfium = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    for found in (poppler, pdfminer_text(str(path)), pdfium):
        _in_order(texts, re.sub(r"[\ufb00-\ufb06]", lambda m: {"\ufb01": "fi", "\ufb02": "fl"}.get(m[0], m[0]), found))
    with pikepdf.open(path) as pdf_:
        roles = [r for _, r, _ in _walk(pdf_) if r in ("Title", "H1", "H2", "H3", "P")]
    assert roles  # the order compared above is the tree's (test_structure_follows_the_layout_tree)


@pytest.mark.parametrize("lang,other", [("bn", "en"), ("th", "en")])
def test_runs_in_another_language_are_spans_with_lang(trees, lang, other):
    """'ROI' inside a Bengali or Thai sentence is marked as English where it is drawn."""
    with pikepdf.open(trees[lang]) as pdf:
        spans = []
        for page in pdf.pages:
            for operands, op in pikepdf.parse_content_stream(page):
                if str(op) == "BDC" and str(operands[0]) == "/Span" and "/Lang" in operands[1]:
                    spans.append(str(operands[1].Lang))
    assert other in spans
    with pikepdf.open(trees["en"]) as pdf:
        assert not any(str(op) == "BDC" and str(operands[0]) == "/Span" and "/Lang" in operands[1]
                       for page in pdf.pages for operands, op in pikepdf.parse_content_stream(page))
