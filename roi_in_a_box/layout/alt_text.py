"""Alternative text for the non-text blocks, shared by every renderer.

A chart's alt text states its data (each series' values per category, the marker), so a
screen-reader user gets what a sighted reader gets; the framework graphic's lists the
ROI types per zone and which ones the study evidences.  The words come from the tree (all
localized already); only punctuation is added, so the text reads in the document's language.
"""

from __future__ import annotations

from collections.abc import Sequence

from roi_in_a_box.layout.tree import ROI_TYPES, Chart, FrameworkGraphic


def compact_number(v: float) -> str:
    """A raw value without a formatted label: 1.2M, 150K, 42 (charts always carry labels;
    this is the fallback for hand-made trees)."""
    a = abs(v)
    sign = "\u2212" if v < 0 else ""
    if a >= 1e6:
        s = f"{a / 1e6:.1f}".rstrip("0").rstrip(".") + "M"
    elif a >= 1e3:
        s = f"{a / 1e3:.0f}K"
    else:
        s = f"{a:.0f}"
    return sign + s


def chart_alt(chart: Chart) -> str:
    """"Title. Series: category value, category value. Marker label" from the chart's data."""
    parts = [chart.title] if chart.title else []
    if chart.axis_label:
        parts.append(chart.axis_label)
    for si, s in enumerate(chart.series):
        labels: Sequence[str] = chart.value_labels[si] if si < len(chart.value_labels) else ()
        pairs = [f"{cat}: {labels[i] if i < len(labels) else compact_number(v)}"
                 for i, (cat, v) in enumerate(zip(chart.categories, s.values))]
        if len(s.values) > len(chart.categories):  # values without a category still count
            pairs += [labels[i] if i < len(labels) else compact_number(v)
                      for i, v in enumerate(s.values) if i >= len(chart.categories)]
        parts.append(f"{s.name}: " + ", ".join(pairs) if s.name else ", ".join(pairs))
    if chart.marker_label:
        parts.append(chart.marker_label)
    return ". ".join(p for p in parts if p.strip()) or f"{chart.kind} chart"


def framework_alt(fg: FrameworkGraphic) -> str:
    """Each zone with its ROI types, evidenced ones marked ✓, then the study's zone."""
    labels = dict(fg.type_labels) or {rt: rt for rt in ROI_TYPES}  # a tree without labels: the type names
    zones = dict(fg.zone_labels)
    evidenced = set(fg.evidenced)
    types = ", ".join(f"{label} \u2713" if rt in evidenced else label for rt, label in labels.items())
    parts = [types]
    if fg.zone and fg.zone in zones:
        parts.append(f"\u2192 {zones[fg.zone]}")
    nxt = [labels[rt] for rt in fg.next_steps if rt in labels]
    if nxt:
        parts.append("+ " + ", ".join(nxt))
    if fg.caption:
        parts.append(fg.caption)
    return ". ".join(p for p in parts if p.strip())
