"""Vector charts (bar, waterfall, payback) and the ROI framework graphic.

Shapes are drawn with canvas path operators (vector, no raster); every label goes through
:func:`roi_in_a_box.render.pdf.text.draw_label` because ``reportlab.graphics`` strings are
not shaped (Bengali/Thai would break).  Numbers shown are the tree's ``value_labels``
(already formatted for the locale); raw values only set the geometry.
"""

from __future__ import annotations

from reportlab.lib.colors import Color, white
from reportlab.platypus.flowables import Flowable

from roi_in_a_box.layout.tree import Chart, FrameworkGraphic
from roi_in_a_box.render.pdf.flowables import text_width
from roi_in_a_box.render.pdf.styles import Styles, mix, on_color, tint
from roi_in_a_box.render.pdf.text import draw_label

LABEL = 7.0  # size of value and category labels


class _Graphic(Flowable):
    """Base: a fixed-aspect drawing that fills the available width."""

    def __init__(self, styles: Styles, lang: str):
        super().__init__()
        self.s, self.p, self.lang = styles, styles.p, lang

    def label(self, x: float, y: float, text: str, size: float = LABEL, color: Color | None = None,
              align: str = "center", bold: bool = False, max_width: float | None = None) -> float:
        if not text or not text.strip():
            return 0.0
        return draw_label(self.canv, x, y, text, size, color or self.p.muted, self.s.body_role, align=align,
                          bold=bold, max_width=max_width, lang=self.lang)


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
    def _frame(self, legend: bool) -> tuple[float, float, float, float]:
        top = 14.0 if (legend or self.chart.axis_label) else 6.0
        bottom = 26.0 if (self.chart.kind == "payback" and self.chart.axis_label) else 16.0
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
                    self.label(bx + bar_w / 2, ly, lab, 6.5, p.text, max_width=bar_w + inner + 4)
            if i < len(ch.categories):
                self.label(x0 + group * (i + 0.5), y0 - 10, ch.categories[i], LABEL, p.muted,
                           max_width=group - 4)
        c.setStrokeColor(mix(p.muted, white, 0.3))
        c.setLineWidth(0.8)
        c.line(x0, zero, x0 + w, zero)
        if legend:
            self._legend([s.name for s in series], colors[: len(series)])
        self._axis_label()

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
                self.label(x0 + group * (i + 0.5), y0 - 10, ch.categories[i], LABEL,
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

_LANES = {  # type -> (band index, lane: 0 = centre, 1 = upper, -1 = lower)
    "indirect": (0, 0),
    "efficiency": (1, 1), "need": (1, -1),
    "attributable": (2, 1), "transformational": (2, -1),
}
_ZONES = ("instability", "competitive", "winning")
_ARROWS = (("indirect", "efficiency"), ("efficiency", "attributable"),
           ("indirect", "need"), ("need", "transformational"))


class FrameworkFlowable(_Graphic):
    """Three zones rising left to right as a staircase (instability → competitive →
    winning), the five ROI types as pills in their zones, arrows up the slope."""

    def __init__(self, fw: FrameworkGraphic, styles: Styles, lang: str):
        super().__init__(styles, lang)
        self.fw = fw

    def wrap(self, aw, ah):
        self.width = aw
        self.height = max(100.0, min(aw * 0.25, 136.0))
        return self.width, self.height

    def draw(self):
        c, p, fw = self.canv, self.p, self.fw
        labels: dict[str, str] = dict(fw.type_labels)
        zone_labels = dict(fw.zone_labels)
        gap = 4.0
        band_w = (self.width - 2 * gap) / 3
        foot = 20.0  # zone label strip at the bottom of each band
        tops = (self.height * 0.62, self.height * 0.81, self.height)
        pill_h = 20.0
        pill_w = min(band_w * 0.86, 124.0)
        centres: dict[str, tuple[float, float]] = {}
        for zi, zone in enumerate(_ZONES):
            bx = zi * (band_w + gap)
            here = zone == fw.zone
            c.setFillColor(tint(p.primary, 0.11) if here else tint(p.muted, 0.07))
            c.roundRect(bx, 0, band_w, tops[zi], 4, stroke=0, fill=1)
            if here:
                c.setFillColor(p.primary)
                c.rect(bx, 0, band_w, 2.5, stroke=0, fill=1)
            self.label(bx + band_w / 2, 7, zone_labels.get(zone, zone.title()), 9,
                       p.primary if here else p.muted, bold=here, max_width=band_w - 8)
        for t, (zi, lane) in _LANES.items():
            bx = zi * (band_w + gap)
            lo, hi = foot + 2, tops[zi] - 4
            mid = (lo + hi) / 2
            off = (hi - lo) / 4.2
            centres[t] = (bx + band_w / 2, mid + lane * off)
        # arrows under the pills
        for a, b in _ARROWS:
            (ax, ay), (bx_, by) = centres[a], centres[b]
            x1, y1 = ax + pill_w / 2 + 1, ay
            x2, y2 = bx_ - pill_w / 2 - 2, by
            nxt = b in fw.next_steps
            col = p.accent if nxt else mix(p.muted, white, 0.25)
            c.saveState()
            c.setStrokeColor(col)
            c.setFillColor(col)
            c.setLineWidth(1.0)
            if nxt:
                c.setDash(2.5, 1.5)
            mx = (x1 + x2) / 2
            path = c.beginPath()
            path.moveTo(x1, y1)
            path.curveTo(mx, y1, mx, y2, x2 - 3, y2)
            c.drawPath(path, stroke=1, fill=0)
            c.setDash()
            head = c.beginPath()
            head.moveTo(x2, y2)
            head.lineTo(x2 - 4.5, y2 + 2.6)
            head.lineTo(x2 - 4.5, y2 - 2.6)
            head.close()
            c.drawPath(head, stroke=0, fill=1)
            c.restoreState()
        for t, (cx, cy) in centres.items():
            ev = t in fw.evidenced
            nxt = t in fw.next_steps
            col = p.roi_color(t)
            x, y = cx - pill_w / 2, cy - pill_h / 2
            c.saveState()
            if ev:
                c.setFillColor(col)
                c.roundRect(x, y, pill_w, pill_h, pill_h / 2, stroke=0, fill=1)
                fg = on_color(col, p.text)
            else:
                c.setFillColor(white)
                c.setStrokeColor(p.accent if nxt else p.rule)
                c.setLineWidth(1.0 if nxt else 0.7)
                if nxt:
                    c.setDash(2.5, 1.5)
                c.roundRect(x, y, pill_w, pill_h, pill_h / 2, stroke=1, fill=1)
                fg = p.text if nxt else p.muted
            c.restoreState()
            dot = ev or nxt  # the label sits right of the dot, never over it
            self.label(cx + (pill_h * 0.45 if dot else 0), cy - 9 * 0.35, labels.get(t, t.title()), 9, fg,
                       bold=ev or nxt, max_width=pill_w - (pill_h * 1.3 if dot else 10))
            if ev:  # a check dot marks evidence without relying on colour alone
                c.setFillColor(white)
                c.circle(x + pill_h / 2, cy, 2.2, stroke=0, fill=1)
            elif nxt:
                c.setFillColor(p.accent)
                c.circle(x + pill_h / 2, cy, 2.2, stroke=0, fill=1)
        self.legend(band_w, tops[0])

    def legend(self, band_w: float, band_top: float) -> None:
        """What the dots mean, in the free corner above the lowest band."""
        c, p, fw = self.canv, self.p, self.fw
        marks = [(p.primary, True, fw.legend[0])] if fw.legend else []
        if len(fw.legend) > 1 and fw.next_steps:
            marks.append((p.accent, False, fw.legend[1]))
        y = self.height - 8
        for col, solid, text in marks:
            c.saveState()
            c.setFillColor(col)
            c.circle(5, y + 3, 3.2, stroke=0, fill=1)
            if solid:
                c.setFillColor(white)
                c.circle(5, y + 3, 1.4, stroke=0, fill=1)
            c.restoreState()
            self.label(12, y, text, 9, p.text, align="left", max_width=band_w - 14)
            y -= 13
            if y < band_top + 2:
                break
