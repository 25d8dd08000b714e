"""PPTX tables in Bengali and Thai: columns never cut a figure or a word ("৯০.৮ লাখ৳",
"฿6.9 ล้าน" stay whole), and the row heights the planner measures from shaped text in the
cell's font (line pitch from the ink) are the heights LibreOffice draws, so no cell
overflows its row: LibreOffice grows a row whose text does not fit, and the test reads
every row's fill back from its PDF of the deck."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation

from roi_in_a_box.brand.kit import load_kit, resolve_kit
from roi_in_a_box.deliver.accounts import load_accounts
from roi_in_a_box.deliver.pipeline import Job, render_one, vendor_logo
from roi_in_a_box.model.study import load_study
from roi_in_a_box.render.pptx import measure as M

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = {"bn": "ghatbox_bn", "th": "shiftsabai_th"}
BRAND = load_kit(resolve_kit(None))
PAD = 5.0 + 5.0  # the planner's cell insets, left and right


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> dict[str, list[Path]]:  # type: ignore[no-untyped-def]
    """The pre-sale insert and the QBR of each sample, and the QBR of its first account
    (a realised-over-time table with a row per quarter)."""
    out = tmp_path_factory.mktemp("tables")
    files: dict[str, list[Path]] = {}
    for lang, sample in SAMPLES.items():
        a = load_study(ROOT / "sample_inputs" / f"{sample}.yaml")
        good, _ = load_accounts(ROOT / "sample_inputs" / "accounts" / f"{sample}.yaml", a.spec)
        jobs = [(Job("pre_sale", "deck_insert", "pptx", out / f"{lang}_deck.pptx"), None),
                (Job("service", "qbr_slides", "pptx", out / f"{lang}_qbr.pptx"), None),
                (Job("service", "qbr_slides", "pptx", out / f"{lang}_account_qbr.pptx"), good[0][1])]
        for job, account in jobs:
            render_one(a, job, BRAND, account=account, logo=vendor_logo(a), check=False)
        files[lang] = [job.path for job, _ in jobs]
    return files


def _tables(path: Path):  # type: ignore[no-untyped-def]
    for number, slide in enumerate(Presentation(str(path)).slides):
        for shape in slide.shapes:
            if shape.has_table:
                yield number, shape


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_no_column_cuts_a_figure_or_a_word(decks, lang: str) -> None:  # type: ignore[no-untyped-def]
    seen = 0
    for path in decks[lang]:
        for _, shape in _tables(path):
            for row in shape.table.rows:
                for col, cell in zip(shape.table.columns, row.cells):
                    for para in cell.text_frame.paragraphs:
                        if not para.runs:
                            continue
                        run = para.runs[0]
                        pieces = tuple(M.pieces(para.text, BRAND.body, lang, bold=bool(run.font.bold)))
                        size = run.font.size.pt
                        widest = M.min_width(M.Para(pieces, size, M.line_pitch(pieces, size)))
                        assert widest <= col.width / 12700 - PAD + 0.01, (path.name, para.text, widest, col.width / 12700)
                        seen += 1
    assert seen > 40


@pytest.mark.office
def test_row_heights_are_the_heights_libreoffice_draws(decks, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pdfplumber

    from tests.lo_helpers import convert_to_pdf

    paths = [p for ps in decks.values() for p in ps]
    pdfs = convert_to_pdf(paths, tmp_path)  # the brand's fonts visible to LibreOffice
    rows = 0
    for path, pdf in zip(paths, pdfs):
        with pdfplumber.open(str(pdf)) as doc:
            for number, shape in _tables(path):
                page = doc.pages[number]
                x0, y0, w = shape.left / 12700, shape.top / 12700, shape.width / 12700
                planned = [r.height / 12700 for r in shape.table.rows]
                fills = [r for r in page.rects if x0 - 1 <= r["x0"] and r["x1"] <= x0 + w + 1
                         and y0 - 1 <= r["top"] <= y0 + sum(planned) + 200]
                tops = sorted({round(r["top"], 1) for r in fills})
                bottom = max(r["bottom"] for r in fills)
                drawn = [b - a for a, b in zip(tops, [*tops[1:], bottom])]
                assert len(drawn) == len(planned), (path.name, number, tops)
                for p, d in zip(planned, drawn):  # a row LibreOffice had to grow is an overflowing cell
                    assert abs(p - d) <= 0.5, (path.name, number + 1, [round(x, 1) for x in planned],
                                               [round(x, 1) for x in drawn])
                rows += len(planned)
    assert rows > 20
