"""Vector charts (bar, waterfall, payback) and the ROI framework graphic.

Shapes are drawn with canvas path operators (vector, no raster); every label goes through
:func:`roi_in_a_box.render.pdf.text.draw_label` because ``reportlab.graphics`` strings are
not shaped (Bengali/Thai would break).  Numbers shown are the tree's ``value_labels``
(already formatted for the locale); raw values only set the geometry.
"""

from __future__ import annotations

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.flowables import Flowable

from roi_in_a_box.layout.tree import Chart, FrameworkGraphic
from roi_in_a_box.render.framework import Mark, Measure, framework_height, framework_marks
from roi_in_a_box.render.pdf.flowables import text_width
from roi_in_a_box.render.pdf.styles import Styles, mix, tint
from roi_in_a_box.render.pdf.text import draw_label

LABEL = 7.0  # size of value and category labels


class _Graphic(Flowable):
    """Base: a fixed-aspect drawing that fills the available width."""

    def __init__(self, styles: Styles, lang: str):
        super().__init__()
        self.s, self.p, self.lang = styles, styles.p, lang

    def label(self, x: float, y: float, text: str, size: float = LABEL, color: Color | None = None,
              align: str = "center", bold: bool = False, max_width: float | None = None,
              shrink: bool = True) -> float:
        if not text or not text.strip():
            return 0.0
        return draw_label(self.canv, x, y, text, size, color or self.p.muted, self.s.body_role, align=align,
                          bold=bold, max_width=max_width, lang=self.lang, shrink=shrink)


def _series_colors(p) -> list[Color]:
    return [p.primary, p.accent, p.secondary, p.muted, mix(p.primary, p.secondary, 0.5)]


class ChartFlowable(_Graphic):
    def __init__(self, chart: Chart, styles: Styles, lang: str):
        super().__init__(styles, lang)
        self.chart = chart

    def wrap(self, aw, ah):
        self.width = aw
        self.height = max(100.0, min(aw * 0.25, 136.0))
        return self.width, self.height

    # geometry shared by all kinds
    def _below(self) -> float:
        """Room under the plot for the figures of bars that go down (a negative bar's label
        sits under its end), so category labels stay clear of the bar and its figure."""
        ch = self.chart
        if ch.kind == "payback":
            return 0.0
        values = [v for s in ch.series for v in s.values]
        return LABEL + 2 if any(v < 0 for v in values) else 0.0

    def _frame(self, legend: bool) -> tuple[float, float, float, float]:
        top = 14.0 if (legend or self.chart.axis_label) else 6.0
        if legend and self.chart.kind == "bar":  # the figure over the tallest bar stays under the legend
            top += LABEL + 3
        bottom = (26.0 if (self.chart.kind == "payback" and self.chart.axis_label) else 16.0) + self._below()
        left = 0.0
        if self._ticks():  # room for the value axis's labels
            left = 6.0 + max(text_width(x, self.s.tiny, self.s.body_role, self.lang) * LABEL / self.s.tiny.fontSize
                             for x in self.chart.tick_labels)
        return left, bottom, self.width - left, self.height - top - bottom

    def _ticks(self) -> bool:
        ch = self.chart
        return len(ch.ticks) >= 2 and len(ch.tick_labels) == len(ch.ticks)

    def _legend(self, names: list[str], colors: list[Color]) -> None:
        x = self.width
        y = self.height - 7
        for name, color in reversed(list(zip(names, colors))):
            w = text_width(name, self.s.tiny, self.s.body_role, self.lang)
            x -= w
            self.label(x, y, name, 7, self.p.text, align="left")
            x -= 11
            self.canv.setFillColor(color)
            self.canv.roundRect(x, y - 0.5, 7, 7, 1.5, stroke=0, fill=1)
            x -= 12

    def _axis_label(self) -> None:
        if self.chart.axis_label and self.chart.kind != "payback":
            self.label(0, self.height - 7, self.chart.axis_label, 7, self.p.muted, align="left")

    def _vlabel(self, si: int, i: int) -> str:
        vl = self.chart.value_labels
        if si < len(vl) and i < len(vl[si]):
            return vl[si][i]
        return ""

    def _grid(self, x0, y0, w, h, ys) -> None:
        """Gridlines at the value axis's ticks, labelled (the tree's labels), else quarters."""
        c = self.canv
        c.setStrokeColor(self.p.grid)
        c.setLineWidth(0.5)
        if not self._ticks():
            for k in range(1, 4):
                c.line(x0, y0 + h * k / 4, x0 + w, y0 + h * k / 4)
            return
        for tick, text in zip(self.chart.ticks, self.chart.tick_labels):
            y = ys(tick)
            c.line(x0, y, x0 + w, y)
            self.label(x0 - 4, y - LABEL * 0.35, text, LABEL, self.p.muted, align="right")

    def draw(self):
        kind = self.chart.kind
        if kind == "waterfall":
            self._draw_waterfall()
        elif kind == "payback":
            self._draw_payback()
        else:
            self._draw_bar()

    def _scale(self, lo: float, hi: float, y0: float, h: float):
        if self._ticks() and self.chart.ticks[0] <= lo and hi <= self.chart.ticks[-1]:
            lo, hi = self.chart.ticks[0], self.chart.ticks[-1]  # the axis the layout chose for every format
            return lambda v: y0 + (v - lo) / (hi - lo) * h
        lo, hi = min(lo, 0.0), max(hi, 0.0)
        if hi == lo:
            hi = lo + 1.0
        pad_hi = (hi - lo) * 0.14 if hi > 0 else 0.0
        pad_lo = (hi - lo) * 0.14 if lo < 0 else 0.0
        lo, hi = lo - pad_lo, hi + pad_hi
        return lambda v: y0 + (v - lo) / (hi - lo) * h

    def _draw_bar(self) -> None:
        ch, c, p = self.chart, self.canv, self.p
        series = [s for s in ch.series if s.values]
        colors = _series_colors(p)
        legend = len(series) > 1
        x0, y0, w, h = self._frame(legend)
        n = max(len(ch.categories), max((len(s.values) for s in series), default=0), 1)
        vals = [v for s in series for v in s.values] or [0.0]
        ys = self._scale(min(vals), max(vals), y0, h)
        self._grid(x0, y0, w, h, ys)
        group = w / n
        m = max(len(series), 1)
        bar_w = min(group * 0.72 / m, 34.0)
        inner = 1.5 if m > 1 else 0.0
        zero = ys(0.0)
        placed: list[tuple[float, float, float, float]] = []
        for i in range(n):
            gx = x0 + group * i + (group - (bar_w * m + inner * (m - 1))) / 2
            for si, s in enumerate(series):
                if i >= len(s.values):
                    continue
                v = s.values[i]
                bx = gx + si * (bar_w + inner)
                top = ys(v)
                c.setFillColor(colors[si % len(colors)])
                if abs(top - zero) > 0.01:
                    c.rect(bx, min(zero, top), bar_w, abs(top - zero), stroke=0, fill=1)
                lab = self._vlabel(si, i)
                if lab:
                    ly = top + 3 if v >= 0 else top - LABEL - 1
                    self._figure(bx + bar_w / 2, ly, lab, v < 0, placed)
            if i < len(ch.categories):
                self.label(x0 + group * (i + 0.5), y0 - 10 - self._below(), ch.categories[i], LABEL, p.muted,
                           max_width=group - 4)
        c.setStrokeColor(mix(p.muted, white, 0.3))
        c.setLineWidth(0.8)
        c.line(x0, zero, x0 + w, zero)
        if legend:
            self._legend([s.name for s in series], colors[: len(series)])
        self._axis_label()

    def _figure(self, cx: float, y: float, text: str, down: bool, placed: list[tuple[float, float, float, float]]) -> None:
        """A bar's figure on one line at its size (a Thai "฿4.1 ล้าน" is wider than its bar:
        never shrunk or wrapped), moved a line further out while it would touch another."""
        half = text_width(text, self.s.tiny, self.s.body_role, self.lang) * 6.5 / self.s.tiny.fontSize / 2
        for _ in range(4):
            box = (cx - half - 1, cx + half + 1, y - 1.5, y + 6.5)
            if not any(a < box[1] and box[0] < b and c < box[3] and box[2] < d for a, b, c, d in placed):
                break
            y += -(LABEL + 0.5) if down else LABEL + 0.5
        placed.append((cx - half - 1, cx + half + 1, y - 1.5, y + 6.5))
        self.label(cx, y, text, 6.5, self.p.text)

    def _draw_waterfall(self) -> None:
        ch, c, p = self.chart, self.canv, self.p
        values = list(ch.series[0].values) if ch.series else []
        x0, y0, w, h = self._frame(False)
        n = max(len(values), 1)
        # levels: every step starts where the previous ended; the last bar is the total
        spans: list[tuple[float, float]] = []
        run = 0.0
        for i, v in enumerate(values):
            if i == len(values) - 1 and len(values) > 1:
                spans.append((0.0, v))
            else:
                spans.append((run, run + v))
                run += v
        flat = [x for s in spans for x in s] or [0.0]
        ys = self._scale(min(flat), max(flat), y0, h)
        self._grid(x0, y0, w, h, ys)
        group = w / n
        bar_w = min(group * 0.62, 46.0)
        prev_end = None
        for i, (a, b) in enumerate(spans):
            total = i == len(spans) - 1 and len(spans) > 1
            bx = x0 + group * i + (group - bar_w) / 2
            color = p.primary if total else (p.secondary if b >= a else p.accent)
            c.setFillColor(color)
            lo, hi = ys(min(a, b)), ys(max(a, b))
            c.rect(bx, lo, bar_w, max(hi - lo, 0.6), stroke=0, fill=1)
            if prev_end is not None:
                c.saveState()
                c.setStrokeColor(p.muted)
                c.setLineWidth(0.5)
                c.setDash(1.5, 1.5)
                c.line(prev_end[0], prev_end[1], bx, prev_end[1])
                c.restoreState()
            prev_end = (bx + bar_w, ys(b))
            lab = self._vlabel(0, i)
            if lab:
                ly = hi + 3 if b >= a else lo - LABEL - 1
                self.label(bx + bar_w / 2, ly, lab, 6.5, p.text, bold=total, max_width=group)
            if i < len(ch.categories):
                self.label(x0 + group * (i + 0.5), y0 - 10 - self._below(), ch.categories[i], LABEL,
                           p.text if total else p.muted, bold=total, max_width=group - 4)
        c.setStrokeColor(mix(p.muted, white, 0.3))
        c.setLineWidth(0.8)
        c.line(x0, ys(0.0), x0 + w, ys(0.0))
        self._axis_label()

    def _draw_payback(self) -> None:
        ch, c, p = self.chart, self.canv, self.p
        values = list(ch.series[0].values) if ch.series else []
        if not values:
            return
        x0, y0, w, h = self._frame(True)
        x0 += 6
        w -= 12
        cats = list(ch.categories)
        try:
            xs_raw = [float(cats[i]) for i in range(len(values))]
        except (ValueError, IndexError):
            xs_raw = [float(i) for i in range(len(values))]
        xmin, xmax = min(xs_raw), max(xs_raw)
        span = (xmax - xmin) or 1.0

        def xs(v: float) -> float:
            return x0 + (v - xmin) / span * w

        ys = self._scale(min(values), max(values), y0, h)
        self._grid(x0, y0, w, h, ys)
        zero = ys(0.0)
        pts = [(xs(a), ys(v)) for a, v in zip(xs_raw, values)]
        # area between the line and zero: accent tint below, secondary tint above
        for above, color in ((True, tint(p.secondary, 0.18)), (False, tint(p.accent, 0.22))):
            c.saveState()
            clip = c.beginPath()
            if above:
                clip.rect(x0, zero, w, self.height)
            else:
                clip.rect(x0, 0, w, zero)
            c.clipPath(clip, stroke=0, fill=0)
            area = c.beginPath()
            area.moveTo(pts[0][0], zero)
            for x, y in pts:
                area.lineTo(x, y)
            area.lineTo(pts[-1][0], zero)
            area.close()
            c.setFillColor(color)
            c.drawPath(area, stroke=0, fill=1)
            c.restoreState()
        c.setStrokeColor(p.text)
        c.setLineWidth(0.8)
        c.line(x0, zero, x0 + w, zero)
        c.setStrokeColor(p.primary)
        c.setLineWidth(1.8)
        c.setLineJoin(1)
        line = c.beginPath()
        line.moveTo(*pts[0])
        for pt in pts[1:]:
            line.lineTo(*pt)
        c.drawPath(line, stroke=1, fill=0)
        c.setFillColor(p.primary)
        for x, y in pts:
            c.circle(x, y, 1.8, stroke=0, fill=1)
        # Value labels from the last point leftwards, each only where it clears the one to
        # its right: a 36-month curve has more points than room for their figures.
        left_edge = float("inf")
        for i in reversed(range(len(pts))):
            lab = self._vlabel(0, i)
            if not lab:
                continue
            x, y = pts[i]
            half = text_width(lab, self.s.tiny, self.s.body_role, self.lang) * 6.5 / self.s.tiny.fontSize / 2
            if x + half + 2 > left_edge:
                continue
            self.label(x, y + 5 if values[i] >= 0 else y - LABEL - 3, lab, 6.5, p.text)
            left_edge = x - half
        for a, cat in zip(xs_raw, cats):
            self.label(xs(a), y0 - 10, cat, LABEL, p.muted, max_width=max(w / max(len(cats), 1) - 2, 12))
        if ch.marker is not None and xmin <= ch.marker <= xmax:
            mx = xs(ch.marker)
            c.saveState()
            c.setStrokeColor(p.accent)
            c.setLineWidth(0.8)
            c.setDash(2, 2)
            c.line(mx, y0, mx, y0 + h)
            c.restoreState()
            c.setFillColor(p.accent)
            c.setStrokeColor(white)
            c.setLineWidth(1.2)
            c.circle(mx, zero, 3.6, stroke=1, fill=1)
            if ch.marker_label:
                right = mx > x0 + w * 0.6  # near the right edge: the label ends at the line
                self.label(mx - 3 if right else mx + 3, y0 + h - LABEL, ch.marker_label, LABEL, p.accent,
                           align="right" if right else "left", bold=True)
        if ch.axis_label:
            self.label(x0 + w / 2, y0 - 21, ch.axis_label, 7, p.muted, align="center")
        if len(ch.series) > 0 and ch.series[0].name:
            self.label(x0 - 6, self.height - 7, ch.series[0].name, 7, p.muted, align="left")


# --------------------------------------------------------------------------- framework


def label_measure(styles: Styles, lang: str) -> Measure:
    """One-line label widths as this PDF sets them, for the framework's label sizing in
    every format (the same fonts, so the same sizes in Word and PowerPoint)."""

    def measure(text: str, size: float, bold: bool) -> float:
        style = ParagraphStyle("framework", parent=styles.tiny, fontSize=size, leading=size * 1.2)
        return text_width(text, style, styles.body_role, lang, bold=bold)

    return measure


class FrameworkFlowable(_Graphic):
    """The framework's marks (:mod:`roi_in_a_box.render.framework`, shared with Word and
    PowerPoint) drawn with canvas paths; labels set at their mark's size, wrapped, never shrunk."""

    def __init__(self, fw: FrameworkGraphic, styles: Styles, lang: str):
        super().__init__(styles, lang)
        self.fw = fw
        self._measure = label_measure(styles, lang)

    def wrap(self, aw, ah):
        self.width = aw
        self.height = framework_height(aw)
        return self.width, self.height

    def draw(self):
        c = self.canv
        for m in framework_marks(self.fw, self.s.brand.colors, self.width, self.height, self._measure):
            y = self.height - m.y - m.h  # marks are top-down, the canvas bottom-up
            c.saveState()
            if m.fill:
                c.setFillColor(HexColor("#" + m.fill))
            if m.line:
                c.setStrokeColor(HexColor("#" + m.line))
                c.setLineWidth(m.line_w)
                if m.dashed:
                    c.setDash(2.5, 1.5)
            if m.geometry == "line":
                self._arrow(m.x, self.height - m.y, m.x + m.w, self.height - m.y - m.h, m.line or "000000")
            elif m.geometry == "ellipse":
                c.ellipse(m.x, y, m.x + m.w, y + m.h, stroke=int(bool(m.line)), fill=int(bool(m.fill)))
            elif m.fill or m.line:
                if m.geometry == "roundRect":
                    c.roundRect(m.x, y, m.w, m.h, m.radius, stroke=int(bool(m.line)), fill=int(bool(m.fill)))
                else:
                    c.rect(m.x, y, m.w, m.h, stroke=int(bool(m.line)), fill=int(bool(m.fill)))
            c.restoreState()
            if m.text:
                self._text(m, y)

    def _arrow(self, x1: float, y1: float, x2: float, y2: float, color: str) -> None:
        """A straight line with a triangular head at (x2, y2) (DrawingML's ``triangle`` end)."""
        c = self.canv
        c.line(x1, y1, x2, y2)
        c.setDash()
        c.setFillColor(HexColor("#" + color))
        dx, dy = x2 - x1, y2 - y1
        n = max((dx * dx + dy * dy) ** 0.5, 1e-6)
        ux, uy = dx / n, dy / n
        head, half = 4.5, 2.6
        p = c.beginPath()
        p.moveTo(x2, y2)
        p.lineTo(x2 - head * ux - half * uy, y2 - head * uy + half * ux)
        p.lineTo(x2 - head * ux + half * uy, y2 - head * uy - half * ux)
        p.close()
        c.drawPath(p, stroke=0, fill=1)

    def _text(self, m: Mark, y: float) -> None:
        """The label in the mark's box: centred or left, at the top or the middle."""
        il, it, ir, ib = m.inset
        avail = m.w - il - ir
        one_line = self._measure(m.text, m.size, m.bold)
        lines = 1 if one_line <= avail else 2
        block = m.size * 1.2 * lines
        top = y + m.h - it if m.anchor == "t" else y + ib + (m.h - it - ib + block) / 2
        x = m.x + il if m.align == "l" else m.x + il + avail / 2
        self.label(x, top - m.size * 0.95, m.text, m.size, HexColor("#" + m.color), align="left" if m.align == "l"
                   else "center", bold=m.bold, max_width=avail, shrink=False)
