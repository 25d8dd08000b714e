"""The DOCX page model's pagination rules on hand-made boxes (what LibreOffice was seen to
do with our files; tests/test_docx_page_model.py checks the whole against LibreOffice)."""

from __future__ import annotations

from roi_in_a_box.render.docx.page_model import Estimate, Para, Row, TableBox, paginate


def _p(lines: int, pitch: float = 10.0, before: float = 0.0, after: float = 0.0, keep: bool = False) -> Para:
    return Para(lines=[pitch] * lines, before=before, after=after, keep_next=keep)


def test_spacing_between_paragraphs_is_the_larger_and_a_new_page_drops_space_before() -> None:
    e = paginate([_p(1, after=6), _p(1, before=12), _p(1, before=12)], 100)
    # where each one's space starts: 10 + 6 after; 12 before counts 6 beyond that; then 12
    assert [round(y, 1) for _, _, y in e.placed] == [0.0, 16.0, 32.0] and e.fills == [0.54]
    e = paginate([_p(9), _p(1, before=12)], 100)  # the second does not fit: top of page 2, no space before
    assert e.placed[1][1:] == (1, 0.0) and e.fills == [0.9, 0.1]


def test_the_last_space_after_may_hang_below_the_page() -> None:
    assert paginate([_p(10, after=8)], 100).pages == 1


def test_a_keep_with_next_run_moves_with_a_kept_paragraph_that_does_not_fit() -> None:
    boxes = [_p(6), _p(1, keep=True), _p(1, keep=True), _p(3, keep=True), _p(1)]
    e = paginate(boxes, 100)
    assert [page for _, page, _ in e.placed] == [0, 1, 1, 1, 1]  # heading, claim and quote go together


def test_a_paragraph_that_does_not_fit_takes_only_one_kept_paragraph_along() -> None:
    boxes = [_p(5), _p(1, keep=True), _p(1, keep=True), _p(1, keep=True), Para(lines=[30.0], before=0, after=0)]
    e = paginate(boxes, 100)
    assert [page for _, page, _ in e.placed] == [0, 0, 0, 1, 1]


def test_two_lines_at_least_on_each_side_of_a_page_break() -> None:
    assert [p for _, p, _ in paginate([_p(8), _p(3)], 100).placed] == [0, 1]  # 3 lines: 2 + 1 would widow one
    e = paginate([_p(7), _p(6)], 100)  # 3 fit, 6 lines: 3 + 3
    assert e.placed[1][1] == 0 and e.fills == [1.0, 0.3]


def test_table_rows_keep_in_blocks_and_the_header_repeats() -> None:
    rows = [Row(10, keep_next=True, header=True), Row(10, keep_next=True), Row(10), Row(10), Row(10)]
    e = paginate([_p(8), TableBox(rows)], 100)  # header + two rows do not fit under the paragraph
    assert [p for k, p, _ in e.placed if k] == [0, 1, 1, 1, 1, 1]
    e = paginate([_p(4), TableBox([Row(10, header=True)] + [Row(20) for _ in range(5)])], 100)
    placed = [x for x in e.placed if x[0]]
    assert [p for _, p, _ in placed] == [0, 0, 0, 0, 1, 1, 1]
    assert placed[4][2] == 10.0  # the first row carried over sits under the repeated header


def test_an_estimate_reads_its_extent_in_fractional_pages() -> None:
    assert Estimate(fills=[1.0, 0.5]).pages == 2 and Estimate(fills=[1.0, 0.5]).extent == 1.5
