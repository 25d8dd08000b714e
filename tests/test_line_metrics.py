"""Lines of stacked scripts never touch: Thai and Bengali titles, headings, tiles, quotes and
body text (whole seed paragraphs) rendered to PDF and read back with PDFium, which gives each
character's ink box (a cluster's composite glyph covers its marks) and baseline.  No ink box
of a line may touch an ink box of the next line at the same x."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import SimpleDocTemplate

from roi_in_a_box.layout.tree import Document, Heading, Page, Paragraph, Quote, Run, StatTile, StatTiles
from roi_in_a_box.render.pdf.fonts import register_family
from roi_in_a_box.render.pdf.renderer import PdfRenderer
from roi_in_a_box.render.pdf.text import make_paragraph
from tests import seed_tree
from tests.sample_tree import LATO
from tests.sample_tree import test_brand as make_brand

pytestmark = pytest.mark.skipif(not seed_tree.available(), reason="seed articles not found")


def lines(pdf: bytes) -> list[list[tuple[float, list[tuple[float, float, float, float]]]]]:
    """Per page, top to bottom: (baseline, ink boxes (left, bottom, right, top) of its characters).

    A character belongs to the line whose first baseline lies within 0.4 of its font size
    above its own origin: LibreOffice's PDFs draw a Thai or Bengali mark as a glyph of its
    own, its origin moved by the mark's offset, where ours draw each cluster as one glyph."""
    import pypdfium2 as pdfium
    from pypdfium2 import raw

    doc = pdfium.PdfDocument(pdf)
    pages = []
    for page in doc:
        tp = page.get_textpage()
        chars = []
        for i in range(tp.count_chars()):
            box = tp.get_charbox(i, loose=False)
            if box[2] - box[0] <= 0 or box[3] - box[1] <= 0:
                continue
            x, y = ctypes.c_double(), ctypes.c_double()
            raw.FPDFText_GetCharOrigin(tp.raw, i, ctypes.byref(x), ctypes.byref(y))
            chars.append((y.value, raw.FPDFText_GetFontSize(tp.raw, i), box))
        out: list[tuple[float, list[tuple[float, float, float, float]]]] = []
        for y, size, box in sorted(chars, key=lambda c: -c[0]):
            if out and out[-1][0] - y <= 0.4 * size:
                out[-1][1].append(box)
            else:
                out.append((round(y, 1), [box]))
        pages.append(out)
    return pages


def collisions(pdf: bytes) -> list[str]:
    """Ink boxes of a line that touch ink boxes of a line below at the same x."""
    found = []
    pages = lines(pdf)
    assert pages and any(pages)
    for n, page in enumerate(pages):
        for k, (base, boxes) in enumerate(page):
            for base2, below in page[k + 1:]:
                for a in boxes:
                    for b in below:
                        if b[0] < a[2] and b[2] > a[0] and b[3] >= a[1] and b[1] <= a[3]:
                            found.append(f"page {n + 1}: ink at y={base} touches ink at y={base2}: {a} / {b}")
    return found


def blocks_document(lang: str) -> Document:
    """A two-line title, a heading, tiles (wrapping labels), a long paragraph and a quote of
    seed text."""
    paras = seed_tree.paragraphs(lang)
    mid = [p for p in paras if 60 <= len(p) <= 140][:3]
    long = sorted(paras, key=len, reverse=True)[:2]
    return Document(kind="lines", title=mid[0], language=lang, max_pages=9, pages=(Page(title=mid[0], blocks=(
        Heading(id="t", text=mid[0], level=0),
        Heading(id="h", text=mid[1], level=1),
        StatTiles(id="s", tiles=tuple(StatTile("12%", m) for m in mid) + (StatTile("3", mid[0][:20]),)),
        Paragraph(id="p", runs=(Run(long[0]),)),
        Quote(id="q", text=long[1], attribution=mid[2]),
    )),))


@pytest.mark.parametrize("lang", ["th", "bn"])
def test_pdf_blocks_lines_do_not_touch(lang: str) -> None:
    pdf, _, _ = PdfRenderer().render_bytes(blocks_document(lang), make_brand())
    assert not collisions(pdf)


@pytest.mark.office
@pytest.mark.parametrize("fmt", ["docx", "pptx"])
def test_office_lines_do_not_touch_in_libreoffice(tmp_path: Path, fmt: str) -> None:
    """The same blocks and the seed documents (title, headings, tiles, quotes, body text at
    the styles' sizes, 8 to 24 pt; slides at their fitted sizes) written as DOCX and PPTX,
    converted by LibreOffice with the brand fonts installed, and read back with PDFium.  A
    Bengali or Thai paragraph's line height comes from its ink, so none touch (LibreOffice
    spaced Thai lines by the fonts' hhea height before: 13 collisions in the Thai samples)."""
    from roi_in_a_box.render.registry import renderer_for
    from tests.lo_helpers import convert_to_pdf

    brand = make_brand()
    files = []
    for lang in ("th", "bn"):
        for name, doc in (("blocks", blocks_document(lang)), ("seed", seed_tree.seed_document(lang))):
            files.append(renderer_for(fmt).render(doc, brand, tmp_path / f"{name}-{lang}.{fmt}").path)
    found = {pdf.name: collisions(pdf.read_bytes()) for pdf in convert_to_pdf(files, tmp_path / "lo")}
    assert not any(found.values()), {k: v[:3] for k, v in found.items() if v}


@pytest.mark.parametrize("lang", ["th", "bn"])
@pytest.mark.parametrize("size", [8.0, 12.0, 18.0, 30.0])
def test_pdf_paragraph_lines_do_not_touch_at_any_size(tmp_path: Path, lang: str, size: float) -> None:
    """Seed paragraphs at a tight 1.15 em style leading: the leading is raised as needed."""
    brand = make_brand()
    style = ParagraphStyle(f"s{size}", fontSize=size, leading=size * 1.15)
    path = tmp_path / "p.pdf"
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=150, rightMargin=150,
                            initialFontName=register_family(LATO), invariant=1)
    doc.build([make_paragraph(t, style, brand.body, lang, bold=size > 15) for t in seed_tree.paragraphs(lang)[3:6]])
    assert not collisions(path.read_bytes())
