"""Small layout flowables: panels (boxes around flowables), rows of equal-height panels,
pills (badges), vector stars and single-line labels that may contain stars.

All text goes through :mod:`roi_in_a_box.render.pdf.text` (escaping, fonts per script,
shaping); nothing here builds markup from data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.flowables import Flowable
from reportlab.platypus.tables import Table

from roi_in_a_box.caches import NamedCache
from roi_in_a_box.brand.fonts import find_missing
from roi_in_a_box.brand.model import FontRole
from roi_in_a_box.render.pdf.text import draw_label, make_paragraph

MIN_TEXT_PT = 7.0  # the accessibility report's floor for PDF text (deliver/accessibility.py)

STAR_FULL, STAR_EMPTY = "★", "☆"


_widths: NamedCache[tuple, float] = NamedCache("pdf.text_widths", 50_000)


def text_width(text: str, style: ParagraphStyle, role: FontRole, lang: str = "en", bold: bool = False) -> float:
    """Width of ``text`` set on one line in ``style`` (shaped, fonts per script).

    Memoised per process: labels such as "$150K" or "Year 1" recur in every document of a
    batch.  The key holds the role's font files, never object ids.
    """
    if not text.strip():
        return 0.0
    key = (text, style.fontName, style.fontSize, lang, bold, _role_key(role))
    w = _widths.get(key)
    if w is None:
        para = make_paragraph(text, style, role, lang, bold)
        para.wrap(1e6, 1e6)
        w = max(para.getActualLineWidths0(), default=0.0)
        _widths[key] = w
    return w


_role_keys: NamedCache[int, tuple[FontRole, tuple]] = NamedCache("pdf.role_keys", 257)


def _role_key(role: FontRole) -> tuple:
    hit = _role_keys.get(id(role))
    if hit is not None and hit[0] is role:
        return hit[1]
    key = (tuple(sorted(role.by_script.items(), key=lambda kv: kv[0])), role.fallbacks)
    _role_keys[id(role)] = (role, key)  # holds the role, so its id cannot be reused meanwhile
    return key


def star_path(canv, cx: float, cy: float, r: float) -> object:
    p = canv.beginPath()
    for i in range(10):
        rad = r if i % 2 == 0 else r * 0.42
        a = math.pi / 2 + i * math.pi / 5
        x, y = cx + rad * math.cos(a), cy + rad * math.sin(a)
        if i == 0:
            p.moveTo(x, y)
        else:
            p.lineTo(x, y)
    p.close()
    return p


def draw_star(canv, cx: float, cy: float, r: float, fill: float, color: Color, empty: Color) -> None:
    """A five-point star filled ``fill`` (0..1) from the left in ``color``, rest ``empty``."""
    canv.saveState()
    canv.setFillColor(empty)
    canv.drawPath(star_path(canv, cx, cy, r), stroke=0, fill=1)
    if fill > 0:
        if fill < 1:
            clip = canv.beginPath()
            clip.rect(cx - r, cy - r, 2 * r * fill, 2 * r)
            canv.clipPath(clip, stroke=0, fill=0)
        canv.setFillColor(color)
        canv.drawPath(star_path(canv, cx, cy, r), stroke=0, fill=1)
    canv.restoreState()


class Stars(Flowable):
    """``value`` of ``count`` stars as vector shapes (no font needs a star glyph)."""

    def __init__(self, value: float, color: Color, empty: Color, size: float = 9.0, count: int = 5):
        super().__init__()
        self.value, self.color, self.empty, self.size, self.count = value, color, empty, size, count

    def wrap(self, aw, ah):
        self.width, self.height = self.count * self.size * 1.15, self.size
        return self.width, self.height

    def draw(self):
        r = self.size / 2
        for i in range(self.count):
            fill = min(1.0, max(0.0, self.value - i))
            draw_star(self.canv, r + i * self.size * 1.15, r * 0.95, r, fill, self.color, self.empty)


class Label(Flowable):
    """One line of shaped text that may contain ★/☆: those the brand fonts lack are drawn
    as vector stars, the rest through :func:`draw_label`.  Shrinks (to 60%) to fit."""

    def __init__(self, text: str, style: ParagraphStyle, role: FontRole, lang: str, color: Color,
                 star_color: Color, star_empty: Color, bold: bool = False, align: str = "left"):
        super().__init__()
        self.text, self.style, self.role, self.lang = text, style, role, lang
        self.color, self.star_color, self.star_empty = color, star_color, star_empty
        self.bold, self.align = bold, align
        vector = {ch for ch in (STAR_FULL, STAR_EMPTY) if ch in text and find_missing(ch, role)}
        self.parts: list[tuple[str, str]] = []  # ("text"|"star"|"empty", text)
        buf = ""
        for ch in text:
            if ch in vector:
                if buf:
                    self.parts.append(("text", buf))
                    buf = ""
                self.parts.append(("star" if ch == STAR_FULL else "empty", ch))
            else:
                buf += ch
        if buf:
            self.parts.append(("text", buf))
        self._base = self._widths(style.fontSize)

    def _widths(self, size: float) -> list[float]:
        st = self.style if size == self.style.fontSize else ParagraphStyle(
            "label-fit", parent=self.style, fontSize=size)
        space = size * 0.26
        out = []
        for kind, t in self.parts:
            if kind == "text":
                w = text_width(t, st, self.role, self.lang, self.bold)
                w += space * (t[:1].isspace() + t[-1:].isspace())
                out.append(w)
            else:
                out.append(size * 0.95)
        return out

    def wrap(self, aw, ah):
        total = sum(self._base)
        self.size = self.style.fontSize
        self.widths = self._base
        if total > aw > 0:
            # shrunk to fit one line, but never below the smallest size the accessibility report allows
            self.size = max(self.style.fontSize * aw / total * 0.98, self.style.fontSize * 0.6, MIN_TEXT_PT)
            self.widths = self._widths(self.size)
        self.width = aw
        self.text_w = sum(self.widths)
        self.height = self.style.leading  # constant, so shrunk labels keep rows aligned
        return aw, self.height

    def draw(self):
        size, canv = self.size, self.canv
        x = {"left": 0.0, "center": (self.width - self.text_w) / 2, "right": self.width - self.text_w}[self.align]
        base = self.height / 2 - size * 0.35  # caps centred on the line box
        space = size * 0.26
        for (kind, t), w in zip(self.parts, self.widths):
            if kind == "text":
                lead = space if t[:1].isspace() else 0.0
                if t.strip():
                    draw_label(canv, x + lead, base, t.strip(), size, self.color, self.role,
                               bold=self.bold, lang=self.lang)
            else:
                r = size * 0.42
                draw_star(canv, x + w / 2, base + size * 0.35, r, 1.0 if kind == "star" else 0.0,
                          self.star_color, self.star_empty)
            x += w


class Pill(Flowable):
    """A rounded badge with a short label."""

    def __init__(self, text: str, style: ParagraphStyle, role: FontRole, lang: str, bg: Color,
                 fg: Color, outline: Color | None = None):
        super().__init__()
        self.text, self.style, self.role, self.lang = text, style, role, lang
        self.bg, self.fg, self.outline = bg, fg, outline
        self.text_w = text_width(text, style, role, lang, bold=True)
        self.pad_x = style.fontSize * 0.8

    def wrap(self, aw, ah):
        self.width = min(self.text_w + 2 * self.pad_x, max(aw, 1.0))
        self.height = self.style.fontSize * 1.9
        return self.width, self.height

    def draw(self):
        c = self.canv
        c.saveState()
        c.setFillColor(self.bg)
        if self.outline is not None:
            c.setStrokeColor(self.outline)
            c.setLineWidth(0.6)
        c.roundRect(0, 0, self.width, self.height, self.height / 2, stroke=int(self.outline is not None), fill=1)
        c.restoreState()
        size = self.style.fontSize
        draw_label(c, self.width / 2, self.height / 2 - size * 0.34, self.text, size, self.fg, self.role,
                   align="center", bold=True, max_width=self.width - self.pad_x, lang=self.lang)


class Rule(Flowable):
    """A short horizontal bar (heading accent) or a full-width hairline."""

    def __init__(self, color: Color, width: float | None = None, thickness: float = 0.6):
        super().__init__()
        self.color, self.bar_width, self.thickness = color, width, thickness

    def wrap(self, aw, ah):
        self.width = self.bar_width if self.bar_width is not None else aw
        self.height = self.thickness
        return self.width, self.height

    def draw(self):
        self.canv.setFillColor(self.color)
        self.canv.rect(0, 0, self.width, self.thickness, stroke=0, fill=1)


class Panel(Flowable):
    """Flowables stacked in a box: padding, optional background, border, left accent bar.

    Not splittable: panels hold short content (a tile, a card, a quote, a callout).
    ``stretch`` lets a :class:`Row` give all its panels the same height.
    """

    width: float
    height: float
    inner_h: float

    def __init__(self, content: Sequence[Flowable], padding: tuple[float, float, float, float] = (0, 0, 0, 0),
                 bg: Color | None = None, border: Color | None = None, radius: float = 0.0,
                 bar: Color | None = None, bar_width: float = 3.0, top_bar: Color | None = None,
                 border_width: float = 0.6):
        super().__init__()
        self.content = list(content)
        self.padding = padding
        self.bg, self.border, self.radius = bg, border, radius
        self.bar, self.bar_width, self.top_bar = bar, bar_width, top_bar
        self.border_width = border_width
        self.stretch_to: float | None = None

    def wrap(self, aw, ah):
        if getattr(self, "_wrapped_at", None) == aw:  # platypus wraps the same flowable repeatedly
            self.height = max(self.inner_h + self.padding[0] + self.padding[2], self.stretch_to or 0.0)
            return self.width, self.height
        self._wrapped_at = aw
        t, r, b, l = self.padding
        iw = max(aw - l - r, 1.0)
        self._placed: list[tuple[Flowable, float, float]] = []
        y = 0.0
        for i, f in enumerate(self.content):
            if i:
                y += max(f.getSpaceBefore(), self.content[i - 1].getSpaceAfter())
            w, h = f.wrap(iw, 1e6)
            self._placed.append((f, w, y + h))
            y += h
        self.inner_h = y
        self.width = aw
        self.height = max(y + t + b, self.stretch_to or 0.0)
        return self.width, self.height

    def draw(self):
        c = self.canv
        t, r, b, l = self.padding
        c.saveState()
        if self.bg is not None or self.border is not None:
            if self.bg is not None:
                c.setFillColor(self.bg)
            if self.border is not None:
                c.setStrokeColor(self.border)
                c.setLineWidth(self.border_width)
            if self.radius:
                c.roundRect(0, 0, self.width, self.height, self.radius, stroke=int(self.border is not None),
                            fill=int(self.bg is not None))
            else:
                c.rect(0, 0, self.width, self.height, stroke=int(self.border is not None),
                       fill=int(self.bg is not None))
        if self.bar is not None:
            c.setFillColor(self.bar)
            c.rect(0, 0, self.bar_width, self.height, stroke=0, fill=1)
        if self.top_bar is not None:
            c.setFillColor(self.top_bar)
            if self.radius:
                # a bar following the rounded top corners
                p = c.beginPath()
                p.roundRect(0, self.height - 2 * self.radius - 0.01, self.width, 2 * self.radius, self.radius)
                c.saveState()
                clip = c.beginPath()
                clip.rect(0, self.height - 3, self.width, 3)
                c.clipPath(clip, stroke=0, fill=0)
                c.drawPath(p, stroke=0, fill=1)
                c.restoreState()
            else:
                c.rect(0, self.height - 3, self.width, 3, stroke=0, fill=1)
        c.restoreState()
        top = self.height - t
        for f, w, bottom in self._placed:
            align = getattr(f, "hAlign", "LEFT")
            iw = self.width - l - r
            x = l + (iw - w if align == "RIGHT" else (iw - w) / 2 if align == "CENTER" else 0.0)
            f.drawOn(c, x, top - bottom)


class Row(Flowable):
    """Flowables side by side (relative ``weights``), top-aligned; panels stretched to the
    tallest so a row of cards or tiles has one baseline."""

    width: float
    height: float

    def __init__(self, items: Sequence[Flowable], gap: float, weights: Sequence[float] | None = None,
                 fixed: Sequence[float | None] | None = None):
        super().__init__()
        self.items = list(items)
        self.gap = gap
        self.weights = list(weights) if weights else [1.0] * len(self.items)
        self.fixed = list(fixed) if fixed else [None] * len(self.items)  # absolute widths

    def wrap(self, aw, ah):
        if getattr(self, "_wrapped_at", None) == aw:
            return self.width, self.height
        self._wrapped_at = aw
        n = len(self.items)
        total = sum(w for w, f in zip(self.weights, self.fixed) if f is None) or 1.0
        free = max(aw - self.gap * (n - 1) - sum(f for f in self.fixed if f is not None), 1.0)
        self.col_w = [f if f is not None else free * w / total for w, f in zip(self.weights, self.fixed)]
        sizes = []
        for f, w in zip(self.items, self.col_w):
            if isinstance(f, Panel):
                f.stretch_to = None
            sizes.append(f.wrap(w, 1e6))
        h = max((s[1] for s in sizes), default=0.0)
        for f in self.items:
            if isinstance(f, Panel):
                f.stretch_to = f.height = h
        self.sizes = [(s[0], h) if isinstance(f, Panel) else s for f, s in zip(self.items, sizes)]
        self.width, self.height = aw, h
        return aw, h

    def draw(self):
        x = 0.0
        for f, w, (fw, fh) in zip(self.items, self.col_w, self.sizes):
            f.drawOn(self.canv, x, self.height - fh)
            x += w + self.gap


class Inline(Flowable):
    """Flowables at their natural widths, left to right, centred vertically (stars + badge)."""

    def __init__(self, items: Sequence[Flowable], gap: float = 8.0):
        super().__init__()
        self.items = list(items)
        self.gap = gap

    def wrap(self, aw, ah):
        self.sizes = []
        x = 0.0
        for f in self.items:
            w, h = f.wrap(max(aw - x, 1.0), ah)
            self.sizes.append((w, h))
            x += w + self.gap
        self.width = aw
        self.height = max((h for _, h in self.sizes), default=0.0)
        return aw, self.height

    def draw(self):
        x = 0.0
        for f, (w, h) in zip(self.items, self.sizes):
            f.drawOn(self.canv, x, (self.height - h) / 2)
            x += w + self.gap


class ColumnsRow(Row):
    """Side-by-side columns that split across pages column by column.

    At a page end each column keeps what fits (splitting a paragraph or table if needed) and
    the rest continues side by side on the next page.  If some column could not start on
    this page, the whole row moves to the next page instead; if the row is taller than a
    whole frame and still cannot split, its columns flow one after another (never a layout
    failure).
    """

    def __init__(self, items: Sequence[Flowable], gap: float, weights: Sequence[float],
                 columns: Sequence[Sequence[Flowable]]):
        super().__init__(items, gap, weights)
        self.columns = [list(c) for c in columns]

    @classmethod
    def of(cls, columns: Sequence[Sequence[Flowable]], gap: float, weights: Sequence[float]) -> ColumnsRow:
        return cls([Panel(c) for c in columns], gap, weights, columns)

    def _forget(self) -> None:
        """Drop wrap memos: splitting below re-wraps and may unwrap the column contents."""
        self.__dict__.pop("_wrapped_at", None)
        for p in self.items:
            p.__dict__.pop("_wrapped_at", None)

    def split(self, aw, ah):
        try:
            return self._split(aw, ah)
        finally:
            self._forget()

    def _split(self, aw, ah):
        self._forget()
        self.wrap(aw, ah)
        heads: list[list[Flowable]] = []
        tails: list[list[Flowable]] = []
        for col, w in zip(self.columns, self.col_w):
            head: list[Flowable] = []
            tail: list[Flowable] = []
            used = 0.0
            for f in col:
                if tail:
                    tail.append(f)
                    continue
                space = max(f.getSpaceBefore(), head[-1].getSpaceAfter()) if head else 0.0
                room = ah - used - space
                f.__dict__.pop("_wrapped_at", None)
                fh = f.wrap(w, room)[1] if room > 0 else 1e9
                if fh <= room + 1e-6:
                    head.append(f)
                    used += space + fh
                    continue
                parts = f.split(w, room) if room > 0 else []
                if len(parts) >= 2:
                    head.append(parts[0])
                    tail.extend(parts[1:])
                else:
                    tail.append(f)
            heads.append(head)
            tails.append(tail)
        frame = getattr(self, "_frame", None)
        full = getattr(frame, "_aH", None)
        too_tall = full is not None and self.height > full
        starts = all(h or not c for h, c in zip(heads, self.columns))
        if starts and any(tails) and any(heads):
            head = ColumnsRow.of(heads, self.gap, self.weights)
            head.spaceBefore = self.getSpaceBefore()
            return [head, ColumnsRow.of(tails, self.gap, self.weights)]
        if not too_tall:
            return []
        out: list[Flowable] = []  # last resort: one column after another
        for col in self.columns:
            if out and col:
                col[0].spaceBefore = max(col[0].getSpaceBefore() or 0.0, self.gap)
            for f in col:
                f.__dict__.pop("_wrapped_at", None)
                out.append(f)
        return out


class KeptTable(Table):
    """A table that splits across pages only between rows and never leaves an orphan:
    at least ``keep`` body rows under the header at the foot of a page, and at least
    ``keep`` rows carried to the next one (else the whole table moves on)."""

    keep = 2

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        if len(parts) != 2:
            return parts
        hdr = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        total = len(self._cellvalues) - hdr
        first = len(parts[0]._cellvalues) - hdr
        if first < self.keep:
            return []
        if total - first >= self.keep:
            return parts
        take = total - self.keep  # give the next page enough rows
        if take < self.keep:
            return []
        height = sum(self._rowHeights[: hdr + take]) + 0.01
        return super().split(availWidth, height)
