"""The shared framework drawing's marks (PDF, DOCX and PPTX draw the same ones)."""

from __future__ import annotations

import pytest

from roi_in_a_box.brand.model import Colors
from roi_in_a_box.layout.tree import FrameworkGraphic
from roi_in_a_box.render.framework import MIN_LABEL, framework_marks

COLORS = Colors(primary="#6B2D5C", secondary="#B5523B", accent="#F0B429", text="#231F20", muted="#595959",
                background="#FFFDF8")
FW = FrameworkGraphic(
    id="framework",
    type_labels=(("attributable", "Attributable"), ("transformational", "Transformational"),
                 ("efficiency", "Efficiency"), ("need", "Need"), ("indirect", "Indirect")),
    zone_labels=(("winning", "Winning zone"), ("competitive", "Competitive zone"), ("instability", "Instability zone")),
    evidenced=("efficiency", "need", "attributable", "transformational"), zone="winning")


@pytest.mark.parametrize("em", [0.44, 0.47, 0.49])  # Lato-like to Sarabun Bold-like widths (em per character)
def test_every_type_label_fits_its_pill_on_one_line_in_a_one_pager_slot(em: float) -> None:
    """At 305.6 pt (the one-pager's framework slot) the pills already fill their zones, so
    at 9 pt a wide face's "Transformational" (70.9 pt in Harbor's Sarabun Bold) once wrapped
    to "Transformationa / l": the label takes the pill end's inset instead."""
    def measure(text: str, size: float, bold: bool) -> float:
        return len(text) * size * em

    marks = [m for m in framework_marks(FW, COLORS, 305.6, 84.0, measure) if m.kind == "roi_type"]
    assert len(marks) == 5
    for m in marks:
        assert m.size >= MIN_LABEL
        assert m.w - m.inset[0] - m.inset[2] >= measure(m.text, m.size, m.bold), (m.text, m.w, m.inset)
        assert m.inset[2] >= 3.0  # the text never touches the pill's round end
