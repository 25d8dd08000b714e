"""One chart style for every format: the value axis (ticks that fit the data, labelled in
the study's currency the way its locale writes money) and the sizes every renderer keeps.

The layout decides the axis once, so a PDF, a Word picture and a PowerPoint chart of the
same data show the same ticks with the same labels: "$0", "$200K", "$400K" in English
(never "$0K"; one unit per axis, "$0.5M", "$1.0M"), "০৳", "৫০ লাখ৳", "১ কোটি৳" in Bengali
(the locale's digits and lakh/crore), "฿2\u00a0ล้าน" in Thai (CLDR's Thai words), Thai digits
only where the study asks for them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from . import tree as t

MIN_LABEL_PT = 8.0  # no chart label (tick, category, value, legend, marker) is smaller
ASPECT_WIDE = 2.8  # width : height of a chart that spans the text column
ASPECT_NARROW = 1.9  # ... of a chart in a column of a two-column row (narrower than NARROW_PT)
NARROW_PT = 320.0


def aspect(width_pt: float) -> float:
    """Width : height for a chart slot ``width_pt`` wide."""
    return ASPECT_NARROW if width_pt < NARROW_PT else ASPECT_WIDE


def nice_ticks(lo: float, hi: float, n: int = 4) -> tuple[float, ...]:
    """About ``n`` round steps from a tick at or below ``min(lo, 0)`` to one at or above
    ``max(hi, 0)``: the axis covers the data and zero with at most one step to spare."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi - lo < 1e-6:  # flat data: a unit axis rather than a zero-height one
        hi = lo + 1.0
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.floor(lo / step + 1e-9) * step
    ticks = [first]
    while ticks[-1] < hi - step * 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return tuple(0.0 if abs(x) < step * 1e-9 else x for x in ticks)


def value_range(chart: t.Chart) -> tuple[float, float]:
    """The lowest and highest value drawn: a waterfall's running totals, else the values."""
    if chart.kind == "waterfall" and chart.series:
        run, ends = 0.0, [0.0]
        vals = chart.series[0].values
        for i, v in enumerate(vals):
            total = i == len(vals) - 1 and len(vals) > 1 and abs(v - sum(vals[:-1])) <= 1e-6 * max(1.0, abs(v))
            run = v if total else run + v
            ends.append(run)
        return min(ends), max(ends)
    every = [v for s in chart.series for v in s.values] or [0.0]
    return min(every), max(every)


AxisLabels = Callable[[list[Decimal]], tuple[str, ...]]


def with_axis(chart: t.Chart, money: AxisLabels) -> t.Chart:
    """``chart`` with its value-axis ticks and their labels (``money`` labels all the ticks
    at once, so they share one unit: "$0.5M", "$1.0M", never "$500K" beside "$1M")."""
    if chart.ticks or not chart.series:
        return chart
    ticks = nice_ticks(*value_range(chart))
    return replace(chart, ticks=ticks, tick_labels=tuple(money([Decimal(repr(x)) for x in ticks])))


def on_every_chart(doc: t.Document, money: AxisLabels) -> t.Document:
    """``doc`` with every chart's axis set (:func:`with_axis`), columns included."""
    def visit(b: t.Block) -> t.Block:
        if isinstance(b, t.Chart):
            return with_axis(b, money)
        if isinstance(b, t.Columns):
            return replace(b, columns=tuple(tuple(visit(x) for x in col) for col in b.columns))
        return b

    return replace(doc, pages=tuple(replace(p, blocks=tuple(visit(b) for b in p.blocks)) for p in doc.pages))
