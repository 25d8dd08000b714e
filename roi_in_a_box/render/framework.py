"""The ROI-types framework as one drawing for every format.

The PDF, Word and PowerPoint renderers all draw the framework from the marks computed
here (boxes in points, origin top left, colours as ``RRGGBB`` from :mod:`brand.palette`),
so the three files show the same staircase of zones, the same pills, evidence dots,
arrows and legend, in the same colours, with labels of at least :data:`MIN_LABEL` pt.
Each renderer only translates a mark into its own primitives (canvas paths, DrawingML
shapes in a group, native slide shapes) and sets the label text inside the mark's box.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from roi_in_a_box.brand.model import Colors
from roi_in_a_box.brand.palette import framework_colors, on_hex
from roi_in_a_box.layout.tree import FrameworkGraphic, RoiType

MIN_LABEL = 9.0  # no framework label is set smaller (pt)
ZONES = ("instability", "competitive", "winning")  # left to right, rising
MEMBERS = {"instability": ("indirect",), "competitive": ("efficiency", "need"),
           "winning": ("attributable", "transformational")}
ARROWS = (("indirect", "efficiency"), ("indirect", "need"), ("efficiency", "attributable"),
          ("need", "transformational"))
_STEPS = (0.62, 0.81, 1.0)  # zone heights as a share of the drawing's height

Geometry = Literal["rect", "roundRect", "ellipse", "line"]


@dataclass(frozen=True)
class Mark:
    """One shape of the drawing.  A ``line`` runs from (x, y) to (x + w, y + h) with an
    arrow head at its end; other marks fill their box and may carry a one-paragraph label."""

    kind: str  # zone | zone_bar | arrow | roi_type | evidence | evidence_dot | legend_dot | legend
    name: str
    x: float
    y: float
    w: float
    h: float
    geometry: Geometry = "rect"
    radius: float = 0.0  # corner radius of a roundRect (pt)
    fill: str | None = None
    line: str | None = None
    line_w: float = 0.75
    dashed: bool = False
    text: str = ""
    size: float = MIN_LABEL
    bold: bool = False
    color: str = ""  # the label's colour
    align: Literal["l", "ctr"] = "ctr"
    anchor: Literal["t", "ctr"] = "ctr"
    inset: tuple[float, float, float, float] = (2.0, 1.0, 2.0, 1.0)  # label insets l, t, r, b


def _pad(h: float, k: float) -> float:
    """A pill's left text inset: clear of its dot (centred half a pill height in)."""
    return h * 0.5 + min(7.0 * k, h * 0.35) / 2 + 3


def framework_height(width: float) -> float:
    """The drawing's height for a slot ``width`` pt wide (the same in every format)."""
    return max(84.0, min(width * 0.22, 150.0))


Measure = Callable[[str, float, bool], float]  # (text, size, bold) -> width on one line (pt)


def framework_marks(fw: FrameworkGraphic, colors: Colors, width: float, height: float,
                    measure: Measure | None = None) -> tuple[Mark, ...]:
    """Every mark of the framework in a ``width`` x ``height`` pt box, back to front.

    A taller box (a slide's) scales the pills, dots and labels with it, up to 1.8 times,
    and from 1.3 times on sets what proves each evidenced type (``fw.evidence``) under its pill.
    With ``measure``, the type labels take the largest size (down to :data:`MIN_LABEL`)
    at which the longest fits its pill on one line, so no word is ever broken."""
    fc = framework_colors(colors)
    k = max(1.0, min(height / framework_height(width), 1.8, width / 420.0))
    text, muted, primary, accent = (h.lstrip("#").upper() for h in (colors.text, colors.muted, colors.primary,
                                                                     colors.accent))
    labels: dict[str, str] = dict(fw.type_labels)
    zone_labels = dict(fw.zone_labels)
    gap = 6.0
    band_w = (width - 2 * gap) / 3
    label_h = 18.0 * k
    marks: list[Mark] = []
    boxes: dict[str, tuple[float, float, float, float]] = {}
    proof: dict[str, str] = dict(fw.evidence) if k >= 1.3 else {}  # what proves each type (slides)
    proof_size = max(MIN_LABEL, 7.5 * k)
    proof_h: dict[str, float] = {}
    for i, zone in enumerate(ZONES):
        zh = height * _STEPS[i]
        zx, zy = i * (band_w + gap), height - zh
        here = zone == fw.zone
        marks.append(Mark("zone", f"zone {zone}", zx, zy, band_w, zh, "roundRect", 4.0,
                          fill=fc.zone_current if here else fc.zone_other, text=zone_labels.get(zone, zone.title()),
                          size=9.5 * k, bold=here, color=primary if here else muted, anchor="t",
                          inset=(4.0, 4.0 * k, 4.0, 0.0)))
        if here:
            marks.append(Mark("zone_bar", f"zone {zone} mark", zx, height - 3.0, band_w, 3.0, fill=primary))
        mem = MEMBERS[zone]
        top, bottom = zy + label_h + 4, height - 8.0
        sep = 6.0 * k
        ph = min(26.0 * k, (bottom - top - sep * (len(mem) - 1)) / len(mem))
        pw = min(band_w - 10.0, 150.0 * k)
        extra = {t: proof_size * 2.6 + 2 for t in mem if proof.get(t)}
        if ph * len(mem) + sum(extra.values()) + sep * (len(mem) - 1) > bottom - top:
            extra = {}  # no room under the pills: the pills alone
        proof_h.update(extra)
        y = top + (bottom - top - ph * len(mem) - sum(extra.values()) - sep * (len(mem) - 1)) / 2
        for t in mem:
            boxes[t] = (zx + (band_w - pw) / 2, y, pw, ph)
            y += ph + extra.get(t, 0.0) + sep
    for a, b in ARROWS:  # under the pills
        ax, ay, aw, ah = boxes[a]
        bx, by, _, bh = boxes[b]
        nxt = b in fw.next_steps
        x1, y1, x2, y2 = ax + aw + 1, ay + ah / 2, bx - 2, by + bh / 2
        marks.append(Mark("arrow", f"arrow {a}-{b}", x1, y1, x2 - x1, y2 - y1, "line",
                          line=accent if nxt else fc.arrow, line_w=1.0, dashed=nxt))
    types: tuple[RoiType, ...] = ("indirect", "efficiency", "need", "attributable", "transformational")
    type_size = (MIN_LABEL + 0.5) * k
    right = 6.0  # the label's inset from the pill's round end
    if measure is not None:
        inner = min(boxes[t][2] - _pad(boxes[t][3], k) - 6.0 for t in types)
        longest = max(measure(labels.get(t, t), type_size, True) for t in types)
        while type_size > MIN_LABEL and longest > inner:
            type_size = max(MIN_LABEL, type_size - 0.5)
            longest = max(measure(labels.get(t, t), type_size, True) for t in types)
        grow = min(longest - inner, band_w - 4.0 - boxes[types[0]][2])  # still too long: wider pills
        if grow > 0:
            boxes = {t: (x - grow / 2, y, w + grow, h) for t, (x, y, w, h) in boxes.items()}
        short = longest - inner - max(grow, 0.0)  # the pills fill their bands: the label takes the end's inset
        if short > 0:
            right = max(3.0, right - short - 0.5)
    for t in types:
        x, y, w, h = boxes[t]
        ev, nxt = t in fw.evidenced, t in fw.next_steps
        fill = fc.roi[t] if ev else "FFFFFF"
        dot = min(7.0 * k, h * 0.35)
        pad = _pad(h, k) if ev or nxt else 6.0
        marks.append(Mark("roi_type", f"type {t}", x, y, w, h, "roundRect", h / 2, fill=fill,
                          line=None if ev else (accent if nxt else fc.outline), line_w=1.25 if nxt else 0.75,
                          dashed=nxt, text=labels.get(t, t.title()), size=type_size, bold=ev or nxt,
                          color=on_hex(fill, text) if ev else (text if nxt else muted),
                          inset=(pad, 1.0, right, 1.0)))
        if t in proof_h:  # what proves the type, under its pill
            marks.append(Mark("evidence", f"evidence {t}", x, y + h + 2, w, proof_h[t] - 2, text=proof[t],
                              size=proof_size, color=text, anchor="t", inset=(2.0, 1.0, 2.0, 0.0)))
        if ev or nxt:  # the evidence dot: white on the type's colour; a next step's in the accent
            marks.append(Mark("evidence_dot", f"dot {t}", x + h / 2 - dot / 2, y + (h - dot) / 2, dot, dot, "ellipse",
                              fill="FFFFFF" if ev else accent))
    legend = [(primary, True, fw.legend[0])] if fw.legend else []
    if len(fw.legend) > 1 and fw.next_steps:
        legend.append((accent, False, fw.legend[1]))
    y = 2.0
    free = height * (1 - _STEPS[0]) - 2.0  # the corner above the lowest zone
    row, d = 13.0 * k, 8.0 * k
    for col, solid, words in legend:
        if y + row > free:
            break
        marks.append(Mark("legend_dot", "legend dot", 1.0, y + (row - d) / 2, d, d, "ellipse", fill=col))
        if solid:  # the same white dot the evidenced pills carry
            marks.append(Mark("legend_dot", "legend dot mark", 1.0 + d / 4, y + (row - d) / 2 + d / 4, d / 2, d / 2,
                              "ellipse", fill="FFFFFF"))
        marks.append(Mark("legend", "legend", d + 5.0, y, band_w - d - 5.0, row, text=words, size=MIN_LABEL * k,
                          color=text, align="l", inset=(0.0, 0.0, 0.0, 0.0)))
        y += row + 2.0
    return tuple(marks)
