"""Grids that wrap onto several rows (more stat tiles than fit across) in every format."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from pptx import Presentation
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).parent))
from sample_tree import test_brand as make_brand

from roi_in_a_box.layout import tree as t
from roi_in_a_box.render.registry import renderer_for

VALUES = [f"{i}{i}.{i}%" for i in range(9)]


def _doc() -> t.Document:
    tiles = t.StatTiles(id="s", tiles=tuple(t.StatTile(value=v, label=f"Label {i}") for i, v in enumerate(VALUES)))
    return t.Document(kind="grid", title="Grid", language="en", pages=(t.Page(blocks=(tiles,)),), max_pages=1)


def _text(path: Path) -> str:
    if path.suffix == ".pdf":
        return "\n".join(p.extract_text() for p in PdfReader(path).pages)
    if path.suffix == ".docx":
        d = DocxDocument(path)
        return "\n".join(p.text for tbl in d.tables for row in tbl.rows for c in row.cells for p in c.paragraphs)
    return "\n".join(sh.text_frame.text for s in Presentation(path).slides for sh in _walk(s.shapes)
                     if sh.has_text_frame)


def _walk(shapes):
    for sh in shapes:
        yield sh
        if sh.shape_type == 6:  # group
            yield from _walk(sh.shapes)


@pytest.mark.parametrize("fmt", ["pdf", "docx", "pptx"])
def test_nine_tiles_wrap_onto_rows_and_all_read_back(fmt, tmp_path):
    res = renderer_for(fmt).render(_doc(), make_brand(), tmp_path / f"grid.{fmt}")
    assert res.pages == 1
    text = _text(res.path)
    for v in VALUES:
        assert v in text


def test_pdf_tile_rows_stack_without_overlap(tmp_path):
    import pdfplumber

    res = renderer_for("pdf").render(_doc(), make_brand(), tmp_path / "grid.pdf")
    with pdfplumber.open(res.path) as pdf:
        words = {w["text"]: w for w in pdf.pages[0].extract_words()}
    first, last = words[VALUES[0]], words[VALUES[-1]]
    assert last["top"] > first["bottom"] + 20  # a second row, below the first
