"""Charts (and anything else drawn) as high-resolution PNG images for DOCX.

Why PDF -> PNG: the chart is drawn with ReportLab on an in-memory PDF canvas, its labels
through ``render.pdf.text.draw_label`` (HarfBuzz-shaped, per-script brand fonts, so a
Bengali or Thai category name is drawn correctly), and the page is rasterised with
pypdfium2.  ReportLab's own bitmap renderer (renderPM) is not usable here: its C
extension is gone from ReportLab 4+, the ``rlPyCairo`` backend is not installed, and it
could not shape Bengali/Thai anyway.  One drawing code path, correct text, ~10 ms a chart
at 200 dpi (drawing and rasterising; :mod:`roi_in_a_box.render.png` encodes in ~1 ms);
results are cached by content.

The value axis is the tree's (``Chart.ticks``/``tick_labels``, set by
:mod:`roi_in_a_box.layout.chart_axis`: the study's money format, locale digits, lakh/crore);
a tree without them gets round ticks labelled as compact numbers.  Every label is at least
``MIN_LABEL_PT`` at the size the picture is placed at.
"""

from __future__ import annotations

import io
import math
import threading
from collections import OrderedDict

from roi_in_a_box.brand.model import Brand
from roi_in_a_box.layout.tree import Chart
from roi_in_a_box.layout.alt_text import compact_number
from roi_in_a_box.layout.chart_axis import MIN_LABEL_PT, nice_ticks
from roi_in_a_box.render.png import encode_rgb

DPI = 200
_CACHE: OrderedDict[tuple, tuple[bytes, int, int]] = OrderedDict()
_CACHE_MAX = 256
_lock = threading.Lock()


def _brand_key(brand: Brand) -> tuple:
    role = brand.body
    return (brand.colors, tuple(sorted(role.by_script.items())), role.fallbacks)


def chart_png(chart: Chart, brand: Brand, lang: str, width_pt: float, height_pt: float,
              dpi: int = DPI) -> tuple[bytes, int, int]:
    """``(png bytes, pixel width, pixel height)`` for ``chart`` drawn at ``width_pt`` x ``height_pt``."""
    key = ("chart", chart, _brand_key(brand), lang, round(width_pt, 2), round(height_pt, 2), dpi)
    with _lock:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    pdf = _draw_pdf(chart, brand, lang, width_pt, height_pt)
    result = _rasterise(pdf, dpi)
    with _lock:
        _CACHE[key] = result
        while len(_CACHE) > _CACHE_MAX:
            _CACHE.popitem(last=False)
    return result


def _rasterise(pdf: bytes, dpi: int) -> tuple[bytes, int, int]:
    import pypdfium2 as pdfium

    with _lock:  # pdfium is not thread-safe
        doc = pdfium.PdfDocument(pdf)
        try:
            page = doc[0]
            bitmap = page.render(scale=dpi / 72.0, fill_color=(255, 255, 255, 255), rev_byteorder=True,
                                 may_draw_forms=False)
            pixels = bitmap.to_numpy()  # a view of pdfium's buffer: encoded before the bitmap goes
            if bitmap.mode in ("RGBA", "RGBX"):
                pixels = pixels[:, :, :3]
            elif bitmap.mode != "RGB":  # pragma: no cover - pdfium renders RGB(X) when asked for reversed bytes
                pixels = bitmap.to_pil().convert("RGB")
            png, width, height = encode_rgb(pixels), bitmap.width, bitmap.height
            page.close()
        finally:
            doc.close()
    return png, width, height


def _draw_pdf(chart: Chart, brand: Brand, lang: str, w: float, h: float) -> bytes:
    from reportlab.lib.colors import HexColor
    from reportlab.pdfgen.canvas import Canvas

    from roi_in_a_box.render.pdf.text import draw_label

    c = brand.colors
    role = brand.body
    buf = io.BytesIO()
    cv = Canvas(buf, pagesize=(w, h), invariant=1, pageCompression=0)  # only pdfium reads it: no deflate
    palette = [HexColor(x) for x in (c.primary, c.accent, c.secondary, c.muted)]
    text, muted = c.text, c.muted

    size = MIN_LABEL_PT

    def label(x: float, y: float, s: str, color: str = text, align: str = "center",
              bold: bool = False, max_width: float | None = None) -> None:
        if s:
            draw_label(cv, x, y, s, size, color, role, align=align, bold=bold, max_width=max_width, lang=lang)

    series = chart.series
    cats = chart.categories
    n = max(len(cats), max((len(s.values) for s in series), default=0), 1)
    ticks = list(chart.ticks)
    tick_labels = list(chart.tick_labels)
    if len(ticks) < 2 or len(tick_labels) != len(ticks):
        allv = [v for s in series for v in s.values] or [0.0]
        ticks = list(nice_ticks(min(allv), max(allv)))
        tick_labels = [compact_number(x) for x in ticks]
    legend_h = 16 if chart.kind == "bar" and len(series) > 1 else 0
    left = 8.0 + max(label_width(x, brand, lang, size) for x in tick_labels)
    unit_h = 12.0 if chart.axis_label and chart.kind != "payback" else 0.0  # the currency, above the axis
    # a bar that goes down has its figure under its end: room for it above the category labels
    below = size + 3 if chart.kind != "payback" and any(v < 0 for s in series for v in s.values) else 0.0
    right, top, bottom = 8.0, 12.0 + legend_h + unit_h, 28.0 + below + (12 if chart.axis_label and chart.kind == "payback" else 0)
    pw, ph = w - left - right, h - top - bottom
    x0, y0 = left, bottom

    if chart.kind == "waterfall" and series:
        vals = list(series[0].values)
        is_total = len(vals) > 1 and abs(vals[-1] - sum(vals[:-1])) <= 1e-6 * max(1.0, max(map(abs, vals)))
        spans, run = [], 0.0
        for i, v in enumerate(vals):
            if is_total and i == len(vals) - 1:
                spans.append((0.0, v))
            else:
                spans.append((run, run + v))
                run += v
        allv = [x for span in spans for x in span]
        if min(allv) < ticks[0] or max(allv) > ticks[-1]:  # a tree made elsewhere: ticks for the spans
            ticks = list(nice_ticks(min(allv), max(allv)))
            tick_labels = [compact_number(x) for x in ticks]
    lo, hi = ticks[0], ticks[-1]

    def Y(v: float) -> float:
        return y0 + (v - lo) / (hi - lo) * ph

    # grid and tick labels
    cv.setLineWidth(0.4)
    for t, tl in zip(ticks, tick_labels):
        cv.setStrokeColor(HexColor(c.muted), alpha=0.35)
        cv.line(x0, Y(t), x0 + pw, Y(t))
        label(x0 - 4, Y(t) - 2.8, tl, muted, "right")
    cv.setStrokeColor(HexColor(c.text))
    cv.setLineWidth(0.8)
    cv.line(x0, Y(0), x0 + pw, Y(0))

    slot = pw / n
    labels = chart.value_labels
    if chart.kind == "payback" and series:
        def X(i: int) -> float:
            return x0 + slot * (i + 0.5)
        vals = list(series[0].values)
        nums = []
        for cat in cats:
            try:
                nums.append(float(cat))
            except ValueError:
                nums = []
                break
        cv.setStrokeColor(palette[0])
        cv.setLineWidth(1.8)
        path = cv.beginPath()
        for i, v in enumerate(vals):
            (path.moveTo if i == 0 else path.lineTo)(X(i), Y(v))
        cv.drawPath(path, stroke=1, fill=0)
        cv.setFillColor(palette[0])
        for i, v in enumerate(vals):
            cv.circle(X(i), Y(v), 2.0, stroke=0, fill=1)
        if chart.marker is not None and len(nums) == len(vals) >= 2 and nums[-1] != nums[0]:
            mx = X(0) + (chart.marker - nums[0]) / (nums[-1] - nums[0]) * (X(len(vals) - 1) - X(0))
            cv.setStrokeColor(HexColor(c.accent))
            cv.setLineWidth(1.2)
            cv.setDash(3, 2)
            cv.line(mx, y0, mx, y0 + ph)
            cv.setDash()
            cv.setFillColor(HexColor(c.accent))
            cv.circle(mx, Y(0), 3.2, stroke=0, fill=1)
            right = mx > x0 + pw * 0.6  # near the right edge: the label ends at the line
            label(mx - 3 if right else mx + 3, y0 + ph - 9, chart.marker_label, c.accent,
                  "right" if right else "left", bold=True)
        step = max(1, math.ceil(len(vals) * size * 2.2 / pw))  # month labels that do not collide
        for i, cat in enumerate(cats[: len(vals)]):
            if i % step == 0:
                label(X(i), y0 - 12, cat, text, max_width=slot * step - 2)
        label(x0 + pw / 2, y0 - 25, chart.axis_label, muted)
    else:
        k = len(series) if chart.kind == "bar" else 1
        bw = slot * 0.72 / max(k, 1)
        placed: list[tuple[float, float, float, float]] = []  # value labels drawn so far (x0, x1, y0, y1)

        def figure(cx: float, y: float, text_: str, down: bool) -> None:
            """A bar's figure on one line at full size ("฿4.1 ล้าน" wider than its bar is
            never wrapped or shrunk), moved a line further out while it would touch another."""
            half = label_width(text_, brand, lang, size) / 2
            for _ in range(4):
                box = (cx - half - 1, cx + half + 1, y - 2, y + size)
                if not any(a < box[1] and box[0] < b and c < box[3] and box[2] < d for a, b, c, d in placed):
                    break
                y += -(size + 1.5) if down else size + 1.5
            placed.append((cx - half - 1, cx + half + 1, y - 2, y + size))
            label(cx, y, text_, text)
        for si, s in enumerate(series[:k]):
            for i, v in enumerate(s.values):
                bx = x0 + slot * i + slot * 0.14 + bw * si
                if chart.kind == "waterfall":
                    a, b = spans[i]
                    last_total = is_total and i == len(s.values) - 1
                    col = palette[0] if last_total else (HexColor(c.secondary) if v >= 0 else HexColor(c.accent))
                else:
                    a, b = 0.0, v
                    col = palette[si % len(palette)]
                cv.setFillColor(col)
                yb, yt = sorted((Y(a), Y(b)))
                cv.rect(bx, yb, bw, max(yt - yb, 0.6), stroke=0, fill=1)
                if si < len(labels) and i < len(labels[si]):
                    down = b < a  # the figure at the bar's end: under a bar that goes down
                    figure(bx + bw / 2, yb - size - 1.5 if down else yt + 2.5, labels[si][i], down)
        for i, cat in enumerate(cats):
            label(x0 + slot * (i + 0.5), y0 - 12 - below, cat, text, max_width=slot - 2)
        if chart.axis_label:
            label(4, y0 + ph + 8, chart.axis_label, muted, "left")
        if legend_h:
            lx = x0
            for si, s in enumerate(series):
                cv.setFillColor(palette[si % len(palette)])
                cv.rect(lx, h - 12, 8, 8, stroke=0, fill=1)
                used = draw_label(cv, lx + 11, h - 11, s.name, size, text, role, lang=lang)
                lx += 11 + used + 14
    cv.showPage()
    cv.save()
    return buf.getvalue()


def label_width(text: str, brand: Brand, lang: str, size: float) -> float:
    """Width (pt) of a one-line label in the brand's body faces."""
    from roi_in_a_box.render.pptx.measure import em_width, face_path, pieces

    return sum(em_width(face_path(p.family, False, False), p.text) for p in pieces(text, brand.body, lang)) * size
