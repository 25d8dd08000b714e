"""Errors found after layout point at the field that caused them: blocks carry the origin
of what they show, so a missing glyph or an unfittable required block is reported at the
spec field (or the layout block), not at spec:1:1."""

from __future__ import annotations

import pytest

from roi_in_a_box.brand.kit import load_kit, resolve_kit
from roi_in_a_box.layout import tree as t
from roi_in_a_box.layout.engine import build_document, fit
from roi_in_a_box.model.study import load_study
from roi_in_a_box.spec.errors import InputError
from tests.hostile_helpers import assert_clean_failure, layout_with, run_cli, sample_copy

SNOWMAN = "\u2603"


def _claim_line(spec_text: str) -> int:
    return next(i for i, ln in enumerate(spec_text.splitlines(), start=1) if ln.strip().startswith("claim:"))


def test_missing_glyph_points_at_the_spec_field(tmp_path):
    spec = sample_copy(tmp_path, lambda s: s.replace("claim: ", f"claim: {SNOWMAN} ", 1))
    line = _claim_line(spec.read_text("utf-8"))
    with pytest.raises(InputError) as err:
        build_document(load_study(spec), "case_study", load_kit(resolve_kit(None)))
    problem = err.value.problems[0]
    assert (problem.file, problem.line, problem.path) == (str(spec), line, "value_props[0].claim")
    assert "U+2603" in problem.found
    run = run_cli("build", spec, "--layout", "case_study", "--format", "pdf", "--out", tmp_path / "out", cwd=tmp_path)
    assert_clean_failure(run, 1, f"{spec}:{line}:")


def test_missing_glyph_in_layout_text_points_at_the_layout_block(tmp_path):
    layout = layout_with(tmp_path, f"Made by {SNOWMAN}")
    spec = sample_copy(tmp_path)
    with pytest.raises(InputError) as err:
        build_document(load_study(spec), str(layout), load_kit(resolve_kit(None)))
    problem = err.value.problems[0]
    assert problem.file == str(layout) and problem.path == "pages[0].blocks[1]" and problem.line == 6


def test_blocks_carry_origins(tmp_path):
    doc, _ = build_document(load_study(sample_copy(tmp_path)), "case_study", load_kit(resolve_kit(None)))
    blocks = [b for p in doc.pages for b in t.iter_blocks(p.blocks)]
    assert all(b.origin is not None for b in blocks)
    quotes = [b for b in blocks if isinstance(b, t.Quote)]
    assert quotes and all(b.origin and b.origin.field.startswith("quotes[") for b in quotes)


def test_unfittable_required_block_points_at_its_origin():
    origin = t.Origin("spec.yaml", 40, 5, "value_props[2].claim")
    doc = t.Document(kind="one_pager", title="T", language="en", max_pages=1, pages=(t.Page(blocks=(
        t.Paragraph(id="short", runs=(t.Run("x"),), origin=t.Origin("layout.yaml", 3, 1, "pages[0].blocks[0]")),
        t.Paragraph(id="long", runs=(t.Run("y" * 500),), origin=origin))),))
    with pytest.raises(InputError) as err:
        fit(doc, lambda d: 3)
    p = err.value.problems[0]
    assert (p.file, p.line, p.column, p.path, p.code) == ("spec.yaml", 40, 5, "value_props[2].claim", "does-not-fit")
    assert "needs 3 pages" in p.message and "block long" in p.message
