"""The PDF design system for one brand: type scale, colours, spacing, cached per brand.

Everything here depends only on the brand, never on a document, so it is built once per
brand per process (a batch renders thousands of documents with the same few brands).

Spacing follows a 4 pt grid: ``GAP`` (12) between blocks, ``GAP_S`` (8) inside blocks,
``GAP_XS`` (4) between tightly related lines; section heads get 20 above.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from reportlab.lib.colors import Color, white
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from roi_in_a_box.caches import NamedCache
from roi_in_a_box.brand.model import Brand, FontRole
from roi_in_a_box.brand.palette import framework_colors
from roi_in_a_box.render.pdf.fonts import register_family
from roi_in_a_box.text.scripts import LATIN

GAP_XS = 4.0
GAP_S = 8.0
GAP = 12.0
GAP_L = 20.0
RADIUS = 4.0

ALIGN = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER}


def hex_color(h: str) -> Color:
    h = h.lstrip("#")
    return Color(int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255)


def mix(a: Color, b: Color, t: float) -> Color:
    """``a`` moved ``t`` (0..1) of the way towards ``b``."""
    return Color(a.red + (b.red - a.red) * t, a.green + (b.green - a.green) * t,
                 a.blue + (b.blue - a.blue) * t)


def tint(c: Color, amount: float) -> Color:
    """A light tint: ``amount`` of ``c`` on white (0.06 = a 6% wash)."""
    return mix(white, c, amount)


def _luminance(c: Color) -> float:
    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * lin(c.red) + 0.7152 * lin(c.green) + 0.0722 * lin(c.blue)


def contrast(a: Color, b: Color) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def on_color(bg: Color, dark: Color) -> Color:
    """White or the brand's text colour, whichever reads better on ``bg``."""
    return white if contrast(white, bg) >= contrast(dark, bg) else dark


@dataclass
class Palette:
    primary: Color
    secondary: Color
    accent: Color
    text: Color
    muted: Color
    background: Color
    rule: Color  # hairlines
    wash: Color  # very light primary tint for panels
    zebra: Color
    grid: Color  # chart gridlines
    roi: dict[str, Color]  # colour per ROI type

    def roi_color(self, roi_type: str | None) -> Color:
        return self.roi.get(roi_type or "", self.muted)


def _palette(brand: Brand) -> Palette:
    c = brand.colors
    primary, secondary, accent = hex_color(c.primary), hex_color(c.secondary), hex_color(c.accent)
    text, muted, bg = hex_color(c.text), hex_color(c.muted), hex_color(c.background)
    # ROI type colours: shared with the other formats (brand/palette.py).
    roi = {k: hex_color("#" + v) for k, v in framework_colors(c).roi.items()}
    return Palette(primary, secondary, accent, text, muted, bg,
                   rule=tint(muted, 0.28), wash=tint(primary, 0.06), zebra=tint(primary, 0.045),
                   grid=tint(muted, 0.2), roi=roi)


class Styles:
    """Paragraph styles and colours for one brand."""

    def __init__(self, brand: Brand) -> None:
        self.brand = brand
        self.p = p = _palette(brand)
        self.body_role: FontRole = brand.body
        self.heading_role: FontRole = brand.heading
        # The other families are registered when text first needs them (text.py): an
        # English document never loads the Bengali and Thai faces (~25 ms each, cold).
        self.body_font = register_family(brand.body.by_script[LATIN])
        self.heading_font = register_family(brand.heading.by_script[LATIN])
        bf, hf = self.body_font, self.heading_font

        def st(name: str, font: str, size: float, leading: float, color: Color, **kw) -> ParagraphStyle:
            return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, textColor=color,
                                  shaping=1, linkUnderline=1, underlineWidth=0.5,
                                  underlineOffset=-0.15 * size, **kw)

        self.title = st("title", hf, 24, 29, p.primary)
        self.h1 = st("h1", hf, 13.5, 17, p.primary)
        self.h2 = st("h2", hf, 11, 14, p.text)
        self.h3 = st("h3", hf, 9.5, 12, p.muted)
        self.body = st("body", bf, 9.5, 13.5, p.text)
        self.lead = st("lead", bf, 11.5, 16, mix(p.text, p.primary, 0.35))
        self.small = st("small", bf, 8, 11, p.muted)
        self.tiny = st("tiny", bf, 7, 9.5, p.muted)
        self.tile_value = st("tile_value", hf, 22, 25, p.primary)
        self.tile_label = st("tile_label", bf, 8.5, 11, p.text)
        self.tile_def = st("tile_def", bf, 7, 9.5, p.muted)
        self.quote = st("quote", bf, 10.5, 15, p.text)
        self.quote_narrow = st("quote_narrow", bf, 9, 12.5, p.text)  # quote cards side by side
        self.quote_head = st("quote_head", hf, 10, 12.5, p.text)
        self.claim = st("claim", bf, 8.5, 11.5, p.text)
        self.attribution = st("attribution", bf, 8, 10.5, p.text)
        self.detail = st("detail", bf, 7.5, 10, p.muted)
        self.card_title = st("card_title", hf, 10, 13, p.text)
        self.card_text = st("card_text", bf, 8.5, 12, p.text)
        self.callout_title = st("callout_title", hf, 11.5, 15, p.primary)
        self.callout_text = st("callout_text", bf, 9.5, 13.5, p.text)
        self.callout_link = st("callout_link", bf, 9.5, 13.5, p.secondary)
        self.caption = st("caption", bf, 7.5, 10, p.muted)
        self.chart_title = st("chart_title", hf, 9.5, 12.5, p.text)
        self.footnote = st("footnote", bf, 7, 9.5, p.muted)
        self.cell: dict[tuple[str, bool, bool], ParagraphStyle] = {}
        for align in ALIGN:
            for head in (False, True):
                for bold in (False, True):
                    self.cell[(align, head, bold)] = st(
                        f"cell-{align}-{head}-{bold}", hf if head else bf, 8 if head else 8.5,
                        10.5 if head else 11, on_color(p.primary, p.text) if head else p.text,
                        alignment=ALIGN[align])

    def heading_style(self, level: int) -> ParagraphStyle:
        return (self.title, self.h1, self.h2, self.h3)[max(0, min(level, 3))]


def brand_key(brand: Brand) -> tuple:
    """A hashable identity for what the styles depend on (Brand itself holds dicts)."""
    def role(r: FontRole) -> tuple:
        return tuple(sorted(r.by_script.items(), key=lambda kv: kv[0])), r.fallbacks
    return brand.colors, role(brand.heading), role(brand.body)


_styles: NamedCache[tuple, Styles] = NamedCache("pdf.styles", 64)
_lock = threading.Lock()


def styles_for(brand: Brand) -> Styles:
    key = brand_key(brand)
    s = _styles.get(key)
    if s is None:
        with _lock:
            s = _styles.get(key)
            if s is None:
                s = _styles[key] = Styles(brand)
    return s
