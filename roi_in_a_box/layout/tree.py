"""The neutral document tree: the only thing renderers ever read.

A ``Document`` is a sequence of ``Page`` objects (a page in PDF/DOCX, a slide in
PPTX) made of typed, immutable blocks.  All text is final, plain Unicode (no
markup): renderers escape it for their own format.  All figures are already
formatted for the study's locale; charts also carry the raw numbers.

Adding a block type means: a dataclass here, added to ``Block`` and ``block_text``, plus one
``visit_<snake_name>`` method in each renderer (see ``render/base.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, Union

RoiType = Literal["attributable", "transformational", "efficiency", "need", "indirect"]
Align = Literal["left", "right", "center"]
ROI_TYPES: tuple[RoiType, ...] = ("attributable", "transformational", "efficiency", "need", "indirect")


@dataclass(frozen=True)
class Run:
    """A piece of text with one set of inline properties."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None  # https: or mailto: only (checked when the tree is built)


@dataclass(frozen=True)
class Origin:
    """Where a block's content was written, so errors found after layout can point there:
    the spec field it shows, or else the layout block that made it."""

    file: str
    line: int
    column: int
    field: str


@dataclass(frozen=True)
class BlockBase:
    """Fields every block has.

    ``priority``: lower numbers are kept longest when fitting (0 = required).
    ``sources``: where each claim in the block comes from (speaker notes, footnotes).
    ``origin``: where its content was written (renderers ignore it).
    """

    id: str = ""
    priority: int = 0
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # keys of the footnotes this block cites (numbered by layout/notes.py)
    origin: Origin | None = None

    @property
    def optional(self) -> bool:
        return self.priority > 0


@dataclass(frozen=True)
class Heading(BlockBase):
    text: str = ""
    level: int = 1  # 0 = document title, 1..3 = section levels


@dataclass(frozen=True)
class Paragraph(BlockBase):
    runs: tuple[Run, ...] = ()
    style: Literal["body", "lead", "small"] = "body"

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class StatTile:
    value: str  # formatted, e.g. "212%" or "৳১২.৫ লাখ"
    label: str
    definition: str = ""  # e.g. "ROI on risk-adjusted present values, 3 years"
    note: str = ""  # key of the footnote this tile cites


@dataclass(frozen=True)
class StatTiles(BlockBase):
    tiles: tuple[StatTile, ...] = ()


@dataclass(frozen=True)
class Quote(BlockBase):
    """A verbatim review quote; ``text`` may only be a sentence-boundary cut ending in an ellipsis."""

    text: str = ""
    attribution: str = ""  # "VP Finance · Mid-market · Retail"
    detail: str = ""  # "G2 · 2024-03-02 · ★★★★★"
    stars: float | None = None
    label: str = ""  # "Incentivized review" etc.; empty for verified, non-incentivized
    heading: str = ""  # the value prop the quote proves, if any
    claim: str = ""  # that value prop's claim, printed between its title and the quote
    roi_type: RoiType | None = None  # the value prop's ROI type, drawn as a pill
    badge: str = ""  # localized ROI type label


@dataclass(frozen=True)
class Card:
    title: str
    text: str
    roi_type: RoiType | None = None
    badge: str = ""  # localized ROI type label


@dataclass(frozen=True)
class Cards(BlockBase):
    """Use-case or value-prop cards laid out in a row or grid."""

    cards: tuple[Card, ...] = ()


@dataclass(frozen=True)
class Table(BlockBase):
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    align: tuple[Align, ...] = ()
    caption: str = ""
    emphasis_rows: tuple[int, ...] = ()  # indexes of total rows, drawn bold


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Chart(BlockBase):
    """A chart with raw numbers (for native charts) and formatted labels (for drawn ones).

    kinds: ``bar`` (clustered columns), ``waterfall`` (benefits up, costs down, net),
    ``payback`` (cumulative net cash flow line over months).
    """

    kind: Literal["bar", "waterfall", "payback"] = "bar"
    title: str = ""
    categories: tuple[str, ...] = ()
    series: tuple[Series, ...] = ()
    value_labels: tuple[tuple[str, ...], ...] = ()  # same shape as series values
    axis_label: str = ""
    caption: str = ""
    marker: float | None = None  # payback month for ``payback`` charts
    marker_label: str = ""  # what the marker means, e.g. "Payback · 4.5 months"
    ticks: tuple[float, ...] = ()  # value-axis ticks, low to high (layout/chart_axis.py)
    tick_labels: tuple[str, ...] = ()  # each tick in the study's money format ("$0", "৫০ লাখ৳")


@dataclass(frozen=True)
class FrameworkGraphic(BlockBase):
    """The five ROI types in their three zones, with the study's evidenced types highlighted."""

    type_labels: tuple[tuple[RoiType, str], ...] = ()  # localized label per type
    zone_labels: tuple[tuple[str, str], ...] = ()  # (zone key, localized label)
    evidenced: tuple[RoiType, ...] = ()
    zone: str = ""  # winning | competitive | instability
    next_steps: tuple[RoiType, ...] = ()
    caption: str = ""
    legend: tuple[str, ...] = ()  # what the evidence dot and the next-step dot mean
    evidence: tuple[tuple[RoiType, str], ...] = ()  # per evidenced type: the value props that prove it


@dataclass(frozen=True)
class Image(BlockBase):
    path: str = ""  # absolute path to a checked PNG/JPEG
    width_pt: float = 120.0
    alt: str = ""


@dataclass(frozen=True)
class Callout(BlockBase):
    title: str = ""
    text: str = ""
    link: str | None = None
    link_text: str = ""


@dataclass(frozen=True)
class Footnotes(BlockBase):
    items: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()  # one per item: what citing blocks refer to ("" = always shown)


@dataclass(frozen=True)
class Columns(BlockBase):
    columns: tuple[tuple["Block", ...], ...] = ()
    weights: tuple[float, ...] = ()


Block = Union[
    Heading, Paragraph, StatTiles, Quote, Cards, Table, Chart, FrameworkGraphic, Image, Callout,
    Footnotes, Columns,
]


@dataclass(frozen=True)
class Page:
    """A page (PDF/DOCX) or a slide (PPTX).

    ``layout_name`` names a slide layout of a company template (PPTX only).
    ``notes`` become speaker notes; renderers for paged formats ignore it.
    """

    blocks: tuple[Block, ...]
    title: str = ""
    layout_name: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Document:
    kind: str  # layout name, e.g. "one_pager"
    title: str
    language: str  # BCP 47
    pages: tuple[Page, ...]
    page_size: Literal["letter", "a4", "16:9"] = "letter"
    margins_pt: tuple[float, float, float, float] = (36.0, 36.0, 36.0, 36.0)  # top right bottom left
    max_pages: int = 2
    watermark: str = ""  # non-empty for draft builds
    footer: str = ""
    author: str = ""  # the publisher
    authors: tuple[str, ...] = ()  # the analysts (PDF metadata)
    date: str = ""  # ISO date of publication: PDF creation and modification dates, so builds repeat
    subject: str = ""
    keywords: tuple[str, ...] = field(default_factory=tuple)


def iter_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Yield every block, descending into columns."""
    for b in blocks:
        yield b
        if isinstance(b, Columns):
            for col in b.columns:
                yield from iter_blocks(col)


def block_text(b: Block) -> str:
    """All the visible text of a block, for coverage checks and tests."""
    if isinstance(b, Heading):
        return b.text
    if isinstance(b, Paragraph):
        return b.text
    if isinstance(b, StatTiles):
        return " ".join(f"{t.value} {t.label} {t.definition}" for t in b.tiles)
    if isinstance(b, Quote):
        return " ".join((b.heading, b.badge, b.claim, b.text, b.attribution, b.detail, b.label))
    if isinstance(b, Cards):
        return " ".join(f"{c.title} {c.text} {c.badge}" for c in b.cards)
    if isinstance(b, Table):
        return " ".join((*b.header, *(c for r in b.rows for c in r), b.caption))
    if isinstance(b, Chart):
        return " ".join((b.title, *b.categories, *(s.name for s in b.series), b.axis_label, b.caption))
    if isinstance(b, FrameworkGraphic):
        return " ".join((*(l for _, l in b.type_labels), *(l for _, l in b.zone_labels), b.caption, *b.legend))
    if isinstance(b, Image):
        return b.alt
    if isinstance(b, Callout):
        return " ".join((b.title, b.text, b.link_text))
    if isinstance(b, Footnotes):
        return " ".join(b.items)
    if isinstance(b, Columns):
        return " ".join(block_text(x) for col in b.columns for x in col)
    raise TypeError(type(b))
