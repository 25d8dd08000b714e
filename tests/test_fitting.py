"""Format-neutral fitting: fewest drops, lowest priority first, errors when required content cannot fit."""

from __future__ import annotations

import pytest

from roi_in_a_box.layout import tree as t
from roi_in_a_box.layout.engine import balance, fit
from roi_in_a_box.spec.errors import InputError


def _doc(*priorities: int, max_pages: int = 1) -> t.Document:
    blocks = tuple(t.Paragraph(id=f"b{i}", priority=p, runs=(t.Run("x"),)) for i, p in enumerate(priorities))
    return t.Document(kind="test", title="T", language="en", pages=(t.Page(blocks=blocks),), max_pages=max_pages)


def _measure_by_count(per_page: int):  # type: ignore[no-untyped-def]
    calls: list[int] = []

    def measure(doc: t.Document) -> int:
        n = sum(len(p.blocks) for p in doc.pages)
        calls.append(n)
        return -(-n // per_page)
    return measure, calls


def test_fits_without_changes_in_one_measurement() -> None:
    measure, calls = _measure_by_count(10)
    doc, changes, pages = fit(_doc(0, 1, 2), measure)
    assert (changes, pages, len(calls)) == ([], 1, 1)


def test_drops_fewest_blocks_highest_priority_number_first() -> None:
    measure, calls = _measure_by_count(4)
    src = _doc(0, 3, 1, 5, 0, 3, 2)  # 7 blocks, 4 fit: drop 3 blocks
    doc, changes, pages = fit(src, measure)
    kept = [b.id for b in doc.pages[0].blocks]
    assert kept == ["b0", "b2", "b4", "b6"]  # dropped b3 (5), then b5 and b1 (3, later first)
    assert [c.split("'")[1] for c in changes] == ["b3", "b5", "b1"]
    assert pages == 1
    assert calls[-1] == 4  # the winner is measured last (renderers reuse that typesetting)
    assert len(calls) <= 5 + len(changes)  # the search, then one try per dropped block to give it back


def test_no_tree_is_measured_twice_but_the_winner() -> None:
    """One drop is enough: the whole (which overflowed) is not measured again when the
    dropped block is tried back, and only the winner is measured a second time, last."""
    seen: list[t.Document] = []

    def measure(doc: t.Document) -> int:
        seen.append(doc)
        return -(-sum(len(p.blocks) for p in doc.pages) // 2)
    doc, changes, _ = fit(_doc(0, 0, 1), measure)
    assert len(changes) == 1
    assert len(seen) == 3 and seen[-1] is doc and seen[1] is doc
    assert sum(len(p.blocks) for p in seen[0].pages) == 3


def test_a_dropped_block_that_fits_again_is_given_back() -> None:
    """Dropping by priority can free more room than the overflow needed: the smaller, less
    important block dropped first comes back once the larger one has made room."""
    sizes = {"b0": 3, "b1": 1, "b2": 2}

    def measure(doc: t.Document) -> int:  # 4 units a page
        return -(-sum(sizes[b.id] for p in doc.pages for b in p.blocks) // 4)
    doc, changes, pages = fit(_doc(0, 5, 4), measure)
    assert [b.id for b in doc.pages[0].blocks] == ["b0", "b1"]
    assert [c.split("'")[1] for c in changes] == ["b2"] and pages == 1


def test_a_nearly_empty_last_page_is_pulled_back_by_minor_blocks_only() -> None:
    """Balancing: a last page under a quarter full goes when giving up blocks of priority 4
    and up empties it (reported as balancing); a fuller last page, or one only more important
    blocks could empty, stays as it is."""
    measure, _ = _measure_by_count(4)
    src = _doc(0, 0, 0, 1, 5, max_pages=3)  # 5 blocks at 4 a page: the last page holds one
    doc, changes, pages = balance(src, 2, 0.2, measure)  # type: ignore[misc]
    assert pages == 1 and [b.id for b in doc.pages[0].blocks] == ["b0", "b1", "b2", "b3"]
    assert changes == ["dropped block 'b4' (Paragraph, priority 5) to balance the last page (20% full)"]
    assert doc.max_pages == 3  # the budget is the layout's, not the balanced count
    assert balance(src, 2, 0.3, measure) is None  # not nearly empty: nothing is given up
    assert balance(_doc(0, 0, 0, 0, 2, max_pages=3), 2, 0.2, measure) is None  # only an important block would do
    assert balance(_doc(0, 0, 0, 0, 0, max_pages=3), 2, 0.1, measure) is None  # nothing optional at all
    assert balance(src, 1, 0.1, measure) is None  # one page: nothing to balance


def test_required_content_that_cannot_fit_is_an_error() -> None:
    measure, _ = _measure_by_count(2)
    with pytest.raises(InputError) as info:
        fit(_doc(0, 0, 0, 1), measure)
    assert info.value.problems[0].code == "does-not-fit"


def test_columns_content_can_be_dropped() -> None:
    inner = t.Paragraph(id="inner", priority=4, runs=(t.Run("x"),))
    cols = t.Columns(id="cols", columns=((inner,), (t.Paragraph(id="keep", runs=(t.Run("y"),)),)))
    doc = t.Document(kind="k", title="T", language="en", pages=(t.Page(blocks=(cols,)),), max_pages=1)

    def measure(d: t.Document) -> int:
        return 1 + sum(1 for p in d.pages for b in t.iter_blocks(p.blocks) if b.id == "inner")
    fitted, changes, _ = fit(doc, measure)
    assert [b.id for b in t.iter_blocks(fitted.pages[0].blocks)] == ["cols", "keep"]


def test_an_optional_heading_goes_with_the_block_it_introduces() -> None:
    head = t.Heading(id="h", priority=3, text="Shared outcomes", level=2)
    table = t.Table(id="tbl", priority=3, header=("a",), rows=(("1",),))
    keep = t.Heading(id="keep", text="Methodology")
    doc = t.Document(kind="k", title="T", language="en", pages=(t.Page(blocks=(head, table, keep)),), max_pages=1)

    def measure(d: t.Document) -> int:  # fits once the table is gone
        return 2 if any(b.id == "tbl" for p in d.pages for b in p.blocks) else 1
    fitted, changes, _ = fit(doc, measure)
    assert [b.id for b in fitted.pages[0].blocks] == ["keep"]
    assert [c.split("'")[1] for c in changes] == ["tbl"]


def test_a_pdf_that_needs_fitting_is_drawn_once(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Fitting counts pages (layout without drawing); the chosen tree is drawn and written
    once: a layout that overflowed last time is not drawn in full while it is measured."""
    from pathlib import Path

    from roi_in_a_box.brand.kit import load_kit, resolve_kit
    from roi_in_a_box.deliver.pipeline import Job, render_one
    from roi_in_a_box.model.study import load_study
    from roi_in_a_box.render.pdf.renderer import PdfRenderer

    analysis = load_study(Path(__file__).resolve().parents[1] / "sample_inputs" / "ledgerly_en.yaml")
    brand = load_kit(resolve_kit(None))
    job = Job("pre_sale", "one_pager", "pdf", tmp_path / "one.pdf")
    first = render_one(analysis, job, brand, check=False)
    assert first.fitting, "the one-pager sample must overflow for this test to mean anything"
    drawn: list[int] = []
    real = PdfRenderer.render_bytes

    def counting(self, doc, brand):  # type: ignore[no-untyped-def]
        drawn.append(1)
        return real(self, doc, brand)
    monkeypatch.setattr(PdfRenderer, "render_bytes", counting)
    again = render_one(analysis, job, brand, check=False)
    assert len(drawn) == 1
    assert (again.sha256, again.pages, again.fitting) == (first.sha256, first.pages, first.fitting)


def test_columns_whose_every_block_is_dropped_go_too() -> None:
    cols = t.Columns(id="cols", columns=((t.Paragraph(id="a", priority=4, runs=(t.Run("x"),)),),
                                         (t.Paragraph(id="b", priority=4, runs=(t.Run("y"),)),)))
    keep = t.Paragraph(id="keep", runs=(t.Run("z"),))
    doc = t.Document(kind="k", title="T", language="en", pages=(t.Page(blocks=(keep, cols)),), max_pages=1)

    def measure(d: t.Document) -> int:
        return 1 + sum(1 for p in d.pages for b in t.iter_blocks(p.blocks) if b.id in ("a", "b"))
    fitted, _, _ = fit(doc, measure)
    assert [b.id for b in t.iter_blocks(fitted.pages[0].blocks)] == ["keep"]
