"""The seams between pipeline stages: dispatch, renderer contract, caches, layering."""

from __future__ import annotations

import typing

from roi_in_a_box.layout import tree
from roi_in_a_box.render.base import _snake
from roi_in_a_box.render.pptx.plan import SlidePlanner
from roi_in_a_box.render.pptx.writer import PptxRenderer

BLOCK_TYPES = typing.get_args(tree.Block)


def test_pptx_planner_dispatches_its_own_visits():
    """One visit_<block> per block type on the planner; the writer has none to route through."""
    for cls in BLOCK_TYPES:
        name = "visit_" + _snake(cls.__name__)
        assert callable(getattr(SlidePlanner, name, None)), name
        assert name not in vars(PptxRenderer), name
    assert "visit" not in vars(SlidePlanner)  # the Visitor's own dispatch, not a patched one
