"""The brand's derived colours that every format must share (one visual system).

The ROI-type colours and the framework graphic's zone fills are computed here once, as
``RRGGBB`` hex, so the PDF, Word and PowerPoint renderers draw the same graphic in the
same colours and tests can compare what each file holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Colors

ROI_TYPES = ("attributable", "transformational", "efficiency", "need", "indirect")


def _rgb(h: str) -> tuple[int, int, int]:
    h = h.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def mix_hex(a: str, b: str, t: float) -> str:
    """``a`` moved ``t`` (0..1) of the way towards ``b``, as ``RRGGBB``."""
    ra, rb = _rgb(a), _rgb(b)
    return "".join(f"{round(x + (y - x) * t):02X}" for x, y in zip(ra, rb))


def tint_hex(c: str, amount: float) -> str:
    """``amount`` of ``c`` on white (0.1 = a 10% wash)."""
    return mix_hex("FFFFFF", c, amount)


@dataclass(frozen=True)
class FrameworkColors:
    roi: dict[str, str]  # fill per ROI type (pills, framework boxes)
    zone_current: str  # the band of the zone the evidence stands in
    zone_other: str
    outline: str  # the outline of a type without evidence
    arrow: str  # the arrows up the slope (a next step's arrow takes the accent)


def framework_colors(c: Colors) -> FrameworkColors:
    """ROI types by zone: winning = primary/secondary, competitive = accent and a deeper
    accent, instability = muted.  Deterministic from the brand only."""
    roi = dict(zip(ROI_TYPES, (c.primary.lstrip("#").upper(), c.secondary.lstrip("#").upper(),
                               c.accent.lstrip("#").upper(), mix_hex(c.accent, c.text, 0.35),
                               c.muted.lstrip("#").upper())))
    return FrameworkColors(roi=roi, zone_current=tint_hex(c.primary, 0.11), zone_other=tint_hex(c.muted, 0.07),
                           outline=tint_hex(c.muted, 0.28), arrow=mix_hex(c.muted, "FFFFFF", 0.25))


def _lum(h: str) -> float:
    def lin(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = _rgb(h)
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def on_hex(bg: str, dark: str) -> str:
    """White or ``dark``, whichever reads better on ``bg`` (WCAG contrast)."""
    lb = _lum(bg)
    white = 1.05 / (lb + 0.05)
    other = (max(lb, _lum(dark)) + 0.05) / (min(lb, _lum(dark)) + 0.05)
    return "FFFFFF" if white >= other else dark.lstrip("#").upper()
