"""Stage 1 of the PPTX writer: neutral tree → typed slide plan (no python-pptx here).

Like Pandoc's PowerPoint writer (document → ``Presentation``/``Slide``/``Shape`` model →
zip), every decision is made here and the writer only executes it: which layout, where
each shape goes (EMU boxes on the slide grid), which blocks are dropped to fit, and every
font size, chosen by measuring the text with the brand's real fonts (see ``measure.py``).

Slide grid (no company template): 16:9, 13.333 × 7.5 in; title band at the top, content
box below it, footer line at the bottom.  With a company template the title box and the
content box come from the chosen layout's placeholders.

A slide's blocks are stacked vertically as rows; consecutive charts share a row, and so do
consecutive quotes/callouts; ``Columns`` split a row by their weights.  Each row has a
minimum, preferred and maximum height.  When even the minimum heights do not fit, the
optional block with the highest ``priority`` number is dropped (recorded in ``fitting``)
and the slide is planned again.  Within its box every text frame takes the largest size,
in 0.5 pt steps between the block's maximum and minimum, at which its wrapped text fits.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import cast

from roi_in_a_box.caches import NamedCache
from roi_in_a_box.brand.fonts import find_missing
from roi_in_a_box.brand.model import Brand, FontRole
from roi_in_a_box.brand.palette import framework_colors, mix_hex, on_hex
from roi_in_a_box.layout.alt_text import chart_alt, framework_alt
from roi_in_a_box.layout.i18n import label
from roi_in_a_box.render.framework import MIN_LABEL, framework_marks
from roi_in_a_box.layout.tree import (
    Block, Callout, Cards, Chart, Columns, Document, Footnotes, FrameworkGraphic, Heading, Image,
    Page, Paragraph, Quote, StatTiles, Table, iter_blocks,
)
from roi_in_a_box.render.base import Visitor
from roi_in_a_box.render.pptx import measure as M
from roi_in_a_box.render.pptx.split import split_block
from roi_in_a_box.render.pptx.theme_fonts import measuring_brand
from roi_in_a_box.text.languages import complex_scripts, language, script_tag
from roi_in_a_box.text.links import safe_link

EMU_PER_IN = 914400
PT = 12700  # EMU per point
SLIDE_W_PT, SLIDE_H_PT = 960.0, 540.0  # 13.333 × 7.5 in
GAP = 9.0  # pt between rows and tiles


def emu(pt: float) -> int:
    return int(round(pt * PT))


# --------------------------------------------------------------------------- plan types


@dataclass(frozen=True)
class Box:
    """A rectangle in EMU."""

    x: int
    y: int
    w: int
    h: int

    @classmethod
    def pt(cls, x: float, y: float, w: float, h: float) -> "Box":
        return cls(emu(x), emu(y), emu(w), emu(h))

    @property
    def pts(self) -> tuple[float, float, float, float]:
        return self.x / PT, self.y / PT, self.w / PT, self.h / PT


@dataclass(frozen=True)
class RunPlan:
    """One ``a:r``: text in one font, with the typefaces and language to write."""

    text: str
    latin: str
    cs: str = ""  # complex-script typeface (Bengali/Thai runs only)
    lang: str = "en-US"
    bold: bool = False
    italic: bool = False
    link: str | None = None
    color: str = "000000"  # "" = inherited from the template (no fill written); latin "" likewise
    alpha: int | None = None  # percent opacity, None = opaque
    field: str = ""  # "slidenum": a field PowerPoint keeps current wherever the slide goes


@dataclass(frozen=True)
class ParaPlan:
    runs: tuple[RunPlan, ...]
    size: float  # pt
    line: float  # exact line pitch, pt
    space_before: float = 0.0  # pt
    align: str = "l"  # l | ctr | r
    size_set: bool = True  # False: the run inherits its size from the template's placeholder


@dataclass(frozen=True)
class TextFrame:
    paras: tuple[ParaPlan, ...]
    insets: tuple[float, float, float, float] = (4.0, 3.0, 4.0, 3.0)  # l t r b, pt
    anchor: str = "t"  # t | ctr | b

    @property
    def text(self) -> str:
        return "\n".join("".join(r.text for r in p.runs) for p in self.paras)


@dataclass(frozen=True, kw_only=True)
class ShapePlan:
    kind: str
    box: Box
    name: str = ""


@dataclass(frozen=True, kw_only=True)
class TextShape(ShapePlan):
    """A text box, or an autoshape with text (``geometry``: rect, roundRect, ellipse)."""

    frame: TextFrame
    geometry: str = "rect"
    fill: str | None = None
    line: str | None = None
    line_w: float = 0.75
    dashed: bool = False
    radius: float = 6.0  # a roundRect's corner radius (pt)
    rotation: float = 0.0
    placeholder: str | int | None = None  # "title" or a placeholder idx of the layout


@dataclass(frozen=True, kw_only=True)
class LineShape(ShapePlan):
    """A straight connector from (x, y) to (x + w, y + h); ``arrow`` puts a head at the end."""

    color: str
    width: float = 1.5
    arrow: bool = True
    dashed: bool = False


@dataclass(frozen=True, kw_only=True)
class GroupPlan(ShapePlan):
    """Shapes that belong together: stat tiles, a quote, cards, the framework diagram."""

    children: tuple[ShapePlan, ...]
    alt: str = ""  # the framework diagram's description


@dataclass(frozen=True, kw_only=True)
class TablePlan(ShapePlan):
    col_widths: tuple[int, ...]
    row_heights: tuple[int, ...]
    cells: tuple[tuple[TextFrame, ...], ...]
    fills: tuple[tuple[str | None, ...], ...]


@dataclass(frozen=True)
class SeriesPlan:
    name: str
    values: tuple[float, ...]
    color: str
    invisible: bool = False
    labels: bool = True
    number_format: str = "General"


@dataclass(frozen=True, kw_only=True)
class ChartPlan(ShapePlan):
    """A native chart: ``chart_type`` clustered (bar), stacked (waterfall) or line (payback);
    ``alt`` states its data (the frame's description)."""

    chart_type: str
    categories: tuple[str, ...]
    series: tuple[SeriesPlan, ...]
    title: TextFrame | None
    axis_format: str
    font_size: float
    label_size: float  # data labels (one step under the axis text, never under the minimum)
    latin: str
    cs: str
    lang: str
    legend: bool
    text_color: str
    grid_color: str
    category_title: str = ""
    axis_ticks: tuple[float, ...] = ()  # the layout's value axis (min, ..., max at even steps)
    point_labels: tuple[tuple[str, ...], ...] = ()  # per series, per point: text labels ("" = none)
    alt: str = ""


@dataclass(frozen=True, kw_only=True)
class PicturePlan(ShapePlan):
    path: str
    alt: str = ""


@dataclass(frozen=True)
class SlidePlan:
    layout_name: str
    title: str
    shapes: tuple[ShapePlan, ...]
    notes: str


@dataclass(frozen=True)
class Look:
    """What a run in one placeholder gets from the template when it states nothing: the
    size and colour its styles define (``None``: they define none, so viewers disagree and
    we write them), whether they name a typeface, and the theme font for the role."""

    zone: str
    size: float | None
    color: str | None
    color_or_tx1: str  # the colour PowerPoint shows: the defined one, else the theme's tx1
    font_defined: bool
    theme_font: str
    drawn_font: str = ""  # the typeface viewers draw its runs in: the styles' own, else the theme's


@dataclass(frozen=True)
class LayoutInfo:
    """What the planner needs to know about a template layout (boxes in EMU)."""

    name: str
    title: Box | None = None
    bodies: tuple[tuple[int, Box], ...] = ()  # (placeholder idx, box) of body/object placeholders
    kind: str = ""  # title | content | two | section | title_only | blank | other (by placeholder types)
    area: Box | None = None  # where content goes: the bodies' union, else the master's body area
    extras: tuple[tuple[str, int, Box], ...] = ()  # footer (ftr), slide-number (sldNum), date (dt) placeholders
    looks: tuple[Look, ...] = ()  # what runs in its title, body, ftr and sldNum placeholders inherit
    backdrops: tuple[tuple[str, tuple[str, ...], str], ...] = ()  # (title|content|ftr|..., colours behind it, what)
    # what is behind any box on this layout (colours, what they are); None: use the zones above
    probe: Callable[[Box], tuple[tuple[str, ...], str]] | None = field(default=None, compare=False, repr=False)
    # how busy a picture behind the box is (luminance spread, 0: flat or no picture)
    texture: Callable[[Box], float] | None = field(default=None, compare=False, repr=False)

    def look(self, zone: str) -> Look | None:
        return next((k for k in self.looks if k.zone == zone), None)

    def backdrop(self, zone: str) -> tuple[tuple[str, ...], str] | None:
        return next(((c, src) for z, c, src in self.backdrops if z == zone), None)


@dataclass(frozen=True)
class ThemeInfo:
    """A company template's theme as the planner needs it: whether its fonts (and sizes) and
    its colours win over the kit's (brand.yaml ``kit_overrides``), its per-script typefaces
    (``role/script`` → face, '' = none) and its text colour candidates."""

    fonts: bool
    colors: bool
    script_fonts: tuple[tuple[str, str], ...] = ()
    text_colors: tuple[str, ...] = ("000000", "FFFFFF")

    def script_font(self, role: str, script: str) -> str:
        return dict(self.script_fonts).get(f"{role}/{script}", "")


@dataclass
class DeckPlan:
    slides: list[SlidePlan]
    width: int
    height: int
    warnings: list[str] = field(default_factory=list)
    fitting: list[str] = field(default_factory=list)


def walk(shapes: Sequence[ShapePlan]):
    """Every shape plan, groups first then their children."""
    for s in shapes:
        yield s
        if isinstance(s, GroupPlan):
            yield from walk(s.children)


# --------------------------------------------------------------------------- colours


def _hex(c: str) -> str:
    return c.lstrip("#").upper()


def tint(c: str, f: float) -> str:
    """Mix colour ``c`` with white; ``f`` = share of white."""
    h = _hex(c)
    rgb = [int(h[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(v + (255 - v) * f):02X}" for v in rgb)




# --------------------------------------------------------------------------- text fitting



@dataclass(frozen=True)
class PSpec:
    """A paragraph before sizing: spans ``(text, bold, italic, link)`` and its size relative
    to the frame's base size."""

    spans: tuple[tuple[str, bool, bool, str | None], ...]
    scale: float = 1.0
    color: str = "000000"
    align: str = "l"
    space_before: float = 0.0  # in units of this paragraph's size
    role: str = "body"  # body | heading
    alpha: int | None = None


def _size(base: float, scale: float) -> float:
    return max(1.0, round(base * scale * 2) / 2)


_MISSING: NamedCache[tuple, tuple[str, ...]] = NamedCache("pptx.missing_glyphs", 20_001)


def _missing_chars(text: str, role: FontRole) -> tuple[str, ...]:
    """``find_missing``'s characters, memoised per text and the role's font files (the same
    texts recur on every deck of a batch)."""
    key = (text, tuple((f.name, str(f.regular)) for f in role.families()))
    hit = _MISSING.get(key)
    if hit is None:
        hit = _MISSING[key] = tuple(m.char for m in find_missing(text, role, "pptx"))
    return hit


class Fitter:
    """Turns paragraph specs into sized, measured :class:`TextFrame` objects for one brand."""

    def __init__(self, brand: Brand, lang: str):
        self.brand = brand
        self.lang = lang
        latin = brand.body.by_script.get("latin")
        self.latin_name = latin.name if latin else "Calibri"
        self.heading_latin = (brand.heading.by_script.get("latin") or latin).name if latin else "Calibri"
        self._memo: dict = {}
        self.missing: list[str] = []
        self.min_pt = brand.slides.min_text_pt  # no slide text is set smaller

    def role(self, name: str) -> FontRole:
        return self.brand.heading if name == "heading" else self.brand.body

    def pieces(self, spec: PSpec) -> tuple[M.Piece, ...]:
        key = ("p", spec.spans, spec.role)
        hit = self._memo.get(key)
        if hit is None:
            role = self.role(spec.role)
            out: list[M.Piece] = []
            for text, bold, italic, link in spec.spans:
                link = safe_link(link)
                parts = [(text, link)]
                if link:  # leading/trailing spaces stay outside the link (no underlined gap)
                    core = text.strip()
                    i = text.find(core) if core else 0
                    parts = [(text[:i], None), (core, link), (text[i + len(core):], None)]
                for t, lk in parts:
                    if t:
                        out.extend(M.pieces(t, role, self.lang, bold=bold, italic=italic, link=lk))
                for char in _missing_chars(M.clean(text), role):
                    msg = f"U+{ord(char):04X} ({char}) has no glyph in any brand font"
                    if msg not in self.missing:
                        self.missing.append(msg)
            hit = self._memo[key] = tuple(out)
        return hit

    def measure_paras(self, specs: Sequence[PSpec], base: float) -> list[M.Para]:
        out = []
        base = max(base, self.min_pt)  # as ``fit`` sizes them: row heights must agree
        for s in specs:
            pcs = self.pieces(s)
            size = max(self.min_pt, _size(base, s.scale))
            out.append(M.Para(pcs, size, M.line_pitch(pcs, size), s.space_before * size))
        return out

    def height(self, specs: Sequence[PSpec], base: float, w: float, insets) -> float:
        return M.frame_height(self.measure_paras(specs, base), w, insets)

    def fit(self, specs: Sequence[PSpec], w: float, h: float, max_size: float, min_size: float,
            insets=(4.0, 3.0, 4.0, 3.0), anchor: str = "t", floor: float = 5.0,
            problems: list[str] | None = None, what: str = "") -> tuple[TextFrame, float]:
        """The largest base size (0.5 pt steps, ``max_size`` down to ``min_size``, then on to
        ``floor`` with a warning) at which ``specs`` fit ``w`` × ``h`` pt; never below the
        kit's minimum slide text size (text that does not fit there is reported)."""
        min_size, floor = max(min_size, self.min_pt), max(floor, self.min_pt)
        max_size = max(max_size, min_size)
        size = max_size
        while True:
            if self.height(specs, size, w, insets) <= h + 0.01:
                break
            if size <= floor:
                if problems is not None:
                    problems.append(f"{what}: text does not fit even at {floor} pt")
                break
            size = round((size - 0.5) * 2) / 2
            if size < min_size and problems is not None and size + 0.5 >= min_size:
                problems.append(f"{what}: text shrunk below {min_size} pt to fit")
        return self.frame(specs, size, insets, anchor, width=w - insets[0] - insets[2]), size

    def frame(self, specs: Sequence[PSpec], base: float, insets=(4.0, 3.0, 4.0, 3.0),
              anchor: str = "t", width: float | None = None) -> TextFrame:
        """The sized frame; given the text ``width``, a link wider than a line is written
        with line breaks after the ``/`` where the measure broke it, so no renderer breaks
        it elsewhere (at a hyphen)."""
        paras = []
        for s, mp in zip(specs, self.measure_paras(specs, base)):
            runs = []
            for p in mp.pieces:
                script = p.script
                text = p.text
                if p.link and width is not None:
                    path = M.face_path(p.family, p.bold, p.italic)
                    avail = width * M.WIDTH_SAFETY / mp.size
                    if M.em_width(path, text) > avail:
                        text = "\n".join(M.link_lines(text, path, avail) or [text])
                runs.append(RunPlan(
                    text=text,
                    latin=p.family.name if script == "latin" else self._latin_for(s.role),
                    cs=p.family.name if script in complex_scripts() else "",
                    lang=script_tag(script),
                    bold=p.bold, italic=p.italic, link=p.link, color=_hex(s.color), alpha=s.alpha,
                ))
            paras.append(ParaPlan(tuple(runs), mp.size, mp.line, mp.space_before, s.align))
        return TextFrame(tuple(paras), insets, anchor)

    def _latin_for(self, role: str) -> str:
        return self.heading_latin if role == "heading" else self.latin_name


def publication_date(iso: str, lang: str) -> str:
    """An ISO date as CLDR writes it in full in ``lang`` ("October 15, 2026", "১৫ অক্টোবর, 2026",
    "15 ตุลาคม ค.ศ. 2026")."""
    import datetime as dt

    from babel.dates import format_date

    from roi_in_a_box.model.money import babel_locale

    return str(format_date(dt.date.fromisoformat(iso), "long", locale=babel_locale(lang)))


def _as_field(frame: TextFrame, field: str) -> TextFrame:
    """``frame`` with every run written as a ``field`` (its text is the current value)."""
    return replace(frame, paras=tuple(replace(p, runs=tuple(replace(r, field=field) for r in p.runs))
                                      for p in frame.paras))


def spec(text: str, *, bold=False, italic=False, link=None, **kw) -> PSpec:
    return PSpec(((text, bold, italic, link),), **kw)


# --------------------------------------------------------------------------- rows


@dataclass
class Row:
    min_h: float
    pref_h: float
    max_h: float
    build: Callable[[float, float, float, float], list[ShapePlan]]
    blocks: tuple[Block, ...]


class SlidePlanner(Visitor):
    """Plans one document's slides for one brand and slide size."""

    def __init__(self, doc: Document, brand: Brand, width: int, height: int,
                 layouts: dict[str, LayoutInfo] | None = None, default_layout: str = "Title Only",
                 theme: ThemeInfo | None = None):
        self.doc = doc
        self.theme = theme
        self.brand = brand
        self.c = brand.colors
        self.fit = Fitter(brand, doc.language)
        # viewers set Bengali and Thai lines taller than our metrics: text grown to fill a box
        # leaves this share of it unused
        self.spare = 0.92 if doc.language.split("-")[0] in ("bn", "th") else 0.97
        self.roi_fill = framework_colors(brand.colors).roi  # shared with the PDF and Word drawings
        self.W, self.H = width / PT, height / PT
        self.layouts = layouts or {}
        self.default_layout = default_layout
        self.warnings: list[str] = []
        self.fitting: list[str] = []
        self.problems: list[str] = []
        self.margin = 36.0
        sx = self.W / SLIDE_W_PT
        self.title_box = (self.margin, 22.0, self.W - 2 * self.margin, 62.0)
        self.content_box = (self.margin, 100.0, self.W - 2 * self.margin, self.H - 100.0 - 40.0)
        self.footer_box = (self.margin, self.H - 32.0, self.W - 2 * self.margin, 20.0)
        self._sx = sx
        self._dropped_ids: set[int] = set()
        self._spill: list[Block] | None = None  # the page's blocks for its continuation slide
        self._unpaired: set[int] = set()  # blocks that would share a row but do not fit side by side
        self._cut: dict[int, tuple[Block, str]] = {}  # split blocks: (block, "head" | "rest"), by id
        self._fitters: dict[tuple[str, str], Fitter] = {}  # (role, typeface) → a fitter measuring in it
        self._body_fit: Fitter | None = None  # the slide's body placeholder text: measured in its typeface
        self._body_para: Block | None = None  # the paragraph that goes into that placeholder
        self._panelled: set[str] = set()  # layouts whose slides got a text panel (reported once each)
        self._undated: set[str] = set()  # layouts whose date placeholder stays empty (reported once each)

    # ------------------------------------------------------------------ document

    MAX_CONTINUATIONS = 8  # per page; past that the rest is left out and reported

    def plan(self) -> DeckPlan:
        slides: list[SlidePlan] = []
        for page in self.doc.pages:
            first = ""
            for part in range(self.MAX_CONTINUATIONS + 1):
                self._spill = []
                sp = self.plan_page(len(slides), page)
                slides.append(sp)
                first = first or sp.title
                if not self._spill:
                    break
                if part == self.MAX_CONTINUATIONS:  # never squeezed under the minimum: left out, and said so
                    ids = ", ".join(repr(b.id) for b in self._spill)
                    self.fitting.append(f"slide {len(slides)}: dropped {ids}: no room after "
                                        f"{self.MAX_CONTINUATIONS} continuation slides")
                    self._warn(f"slide {len(slides)}: {len(self._spill)} block(s) left out ({ids}): they need more "
                               f"than {self.MAX_CONTINUATIONS} continuation slides at {self.fit.min_pt:g} pt")
                    break
                # what did not fit at the minimum text size goes on a continuation slide
                title = label(self.doc.language, "continued", title=first) if first else ""
                self.fitting.append(f"slide {len(slides)}: {len(self._spill)} block(s) moved to a continuation slide")
                page = replace(page, blocks=tuple(self._spill), title=title,
                               layout_name="Title Only" if page.layout_name == "Title Slide" else page.layout_name)
        for p in self.problems + self.fit.missing + [m for f in self._fitters.values() for m in f.missing]:
            if p not in self.warnings:
                self.warnings.append(p)
        return DeckPlan(slides, emu(self.W), emu(self.H), self.warnings, self.fitting)

    # what each kind of page needs, best first: layouts are chosen by placeholder types,
    # the page's layout name is a hint that wins only when that layout has what is needed
    _WANTS = {"title": ("title", "content", "section", "title_only", "two"),
              "content": ("content", "title_only", "two", "section", "title")}

    def choose_layout(self, page: Page) -> LayoutInfo | None:
        if not self.layouts:
            return None
        need = "title" if page.layout_name == "Title Slide" else "content"
        wants = self._WANTS[need]
        named = self.layouts.get(page.layout_name) if page.layout_name else None
        if named is not None and named.kind in wants[:2]:
            return named
        for kind in wants:
            for info in self.layouts.values():
                if info.kind == kind:
                    if page.layout_name and named is None:
                        self._warn(f"slide layout {page.layout_name!r} not in the template; using a fallback, "
                                   f"{info.name!r} (placeholders: {info.kind.replace('_', ' ')})")
                    elif named is not None:
                        self._warn(f"slide layout {page.layout_name!r} has no {'title' if named.title is None else 'content'}"
                                   f" placeholder for a {need} slide; using {info.name!r} instead")
                    elif kind != wants[0]:
                        self._warn(f"the template has no {need.replace('_', ' ')} layout; using {info.name!r}")
                    return info
        first = next(iter(self.layouts.values()))
        self._warn(f"no layout of the template has a title placeholder; using {first.name!r} and drawing the title")
        return first

    def _warn(self, msg: str) -> None:
        if msg not in self.warnings:
            self.warnings.append(msg)

    def plan_page(self, index: int, page: Page) -> SlidePlan:
        layout = self.choose_layout(page)
        title_box, content_box = self.title_box, self.content_box
        if layout is not None:
            if layout.title is not None:
                title_box = layout.title.pts
            area = layout.area or Box.pt(*self.content_box)
            x0, y0, aw, ah = area.pts
            y1 = y0 + ah
            tops = [b.pts[1] for _, _, b in layout.extras if b.pts[1] > y0]
            if layout.kind == "title" and tops:  # the cover's lead and logo may run down to the footer placeholders
                y1 = max(y1, min(tops) - 6)
            if layout.title is None:
                title_box = (x0, y0, aw, min(62.0, ah / 4))
                y0 += title_box[3] + 8
            if not any(e == "ftr" for e, _, _ in layout.extras) and (self.doc.footer or self.brand.footer):
                y1 -= 24.0  # our footer line goes inside the content area, not over the master's art
            content_box = (x0, y0, aw, max(y1 - y0, 24.0))
        cover = (layout is None and index == 0 and page.layout_name == "Title Slide"
                 and all(isinstance(b, (Heading, Paragraph, Image)) for b in page.blocks))
        shapes: list[ShapePlan] = []
        if cover:  # no company template: a cover of our own rather than a bare title slide
            title_box, content_box = self._cover(shapes)
        blocks = list(page.blocks)
        # title: the page title, else the first level-0/1 heading; on a template's title slide
        # the document's own title (level 0: the account or product) is the slide's title, so
        # the cover does not spend a row on it under a generic page title
        title = page.title
        on_title_layout = layout is not None and layout.kind == "title" and index == 0
        for b in blocks:
            if isinstance(b, Heading) and (b.level == 0 if on_title_layout else
                                           b.level <= 1 and (not title or b.text == title)):
                title = b.text if on_title_layout else title or b.text
                blocks.remove(b)
                break
        logo: Image | None = None
        if blocks and isinstance(blocks[0], Image) and index == 0:
            logo = cast(Image, blocks.pop(0))
        tx, ty, tw, th = title_box
        logo_at = len(shapes)  # the logo goes after the title in reading order (shape order)
        if logo is not None and cover:  # the vendor's logo stands on its own above the footer
            lw, lh = self._image_size(logo, max_w=min(logo.width_pt * 1.6, 220.0), max_h=56.0)
            shapes.append(PicturePlan(kind="picture", box=Box.pt(tx, self.footer_box[1] - 24 - lh, lw, lh),
                                      path=logo.path, alt=logo.alt, name="Logo"))
        elif logo is not None and (layout is None or on_title_layout):  # beside the title: no row of its own
            lw, lh = self._image_size(logo, max_w=min(logo.width_pt, 160.0), max_h=th - 10)
            shapes.append(PicturePlan(kind="picture", box=Box.pt(tx + tw - lw, ty + (th - lh) / 2, lw, lh),
                                      path=logo.path, alt=logo.alt, name="Logo"))
            tw -= lw + 16
        elif logo is not None:
            blocks.insert(0, logo)
        if title:
            tlook = layout.look("title") if layout is not None and layout.title is not None else None
            top = min(tlook.size, 54.0) if tlook is not None and tlook.size and self.theme and self.theme.fonts \
                else (40 if cover else 30)
            fitter = self._fitter(layout, "title") if layout is not None and layout.title is not None else self.fit
            frame, _ = fitter.fit([spec(title, bold=True, color=self.c.primary, role="heading")],
                                    tw, th, top, 18, insets=(0, 2, 0, 2),
                                    anchor="b" if layout is None else "ctr",
                                    problems=self.problems, what=f"slide {index + 1} title")
            shapes.insert(logo_at, TextShape(kind="title", box=Box.pt(tx, ty, tw, th), frame=frame, name="Title",
                                             placeholder="title" if layout is not None and layout.title else None))
            if layout is None:
                shapes.append(TextShape(kind="rule", box=Box.pt(tx, ty + th + 6, 72, 3.5),
                                        frame=TextFrame(()), fill=_hex(self.c.accent), name="Title rule"))
        cx, cy, cw, ch = content_box
        body_idx = layout.bodies[0][0] if layout is not None and layout.bodies else None
        self._body_fit = self._fitter(layout, "body") if body_idx is not None else None
        content = self.stack(blocks, cx, cy, cw, ch, where=f"slide {index + 1}", spill=self._spill)
        if body_idx is not None:
            for i, s in enumerate(content):
                if isinstance(s, TextShape) and s.kind == "paragraph":
                    content[i] = replace(s, placeholder=body_idx)
                    break
        shapes.extend(content)
        self._footer(shapes, index, layout, content_box)
        if self.doc.watermark:
            w, h = self.W * 0.7, self.H * 0.3
            frame, _ = self.fit.fit([spec(self.doc.watermark, bold=True, color=self.c.muted, align="ctr",
                                          alpha=22)], w, h, 120, 24, insets=(0, 0, 0, 0), anchor="ctr")
            shapes.append(TextShape(kind="watermark", box=Box.pt((self.W - w) / 2, (self.H - h) / 2, w, h),
                                    frame=frame, rotation=-25.0, name="Watermark"))
        if layout is not None:
            panel = self._panel(content, layout, index)
            under: list[tuple[Box, str]] = []
            if panel is not None and panel.fill:
                shapes.insert(shapes.index(content[0]), panel)  # behind the content, in front of the layout
                under.append((panel.box, panel.fill))
            shapes = [self._on_template(sh, layout, index, list(under), body_idx) for sh in shapes]
        return SlidePlan(layout.name if layout is not None else self.default_layout, title, tuple(shapes),
                         self._notes(page, self._kept_blocks(page, shapes)))

    def _fitter(self, layout: LayoutInfo | None, zone: str) -> Fitter:
        """The fitter for text in the layout's ``zone`` placeholder: when the theme's fonts win,
        one that measures in the typeface viewers will draw there (``theme_fonts``)."""
        look = layout.look(zone) if layout is not None else None
        if look is None or not look.drawn_font or self.theme is None or not self.theme.fonts:
            return self.fit
        role = "heading" if zone == "title" else "body"
        key = (role, look.drawn_font)
        hit = self._fitters.get(key)
        if hit is None:
            notes: list[str] = []
            brand = measuring_brand(self.brand, {role: look.drawn_font}, notes)
            for n in notes:
                self._warn(n)
            hit = self._fitters[key] = self.fit if brand is self.brand else Fitter(brand, self.doc.language)
        return hit

    @property
    def _inherit(self) -> bool:
        return self.theme is not None and (self.theme.fonts or self.theme.colors)

    def _footer(self, shapes: list[ShapePlan], index: int, layout: LayoutInfo | None, content_box) -> None:
        """The footer line and slide number: into the layout's footer and slide-number
        placeholders when it has them, else our own boxes (with a template: inside the
        content area's bottom, kept free for them)."""
        footer = self.doc.footer or self.brand.footer
        extras = {e: b for e, _, b in layout.extras} if layout is not None else {}
        fx, fy, fw, fh = self.footer_box
        if layout is not None:
            cx, cy, cw, ch = content_box
            fx, fy, fw, fh = cx, cy + ch + 4, cw, 20.0
        if footer:
            if "ftr" in extras:
                bx, by, bw, bh = extras["ftr"].pts
                look = layout.look("ftr") if layout is not None else None
                top = max(self.fit.min_pt, min(look.size if look and look.size else 12.0, 14.0))
                frame, _ = self._fitter(layout, "ftr").fit([spec(footer, color=self.c.muted)], bw, bh, top, 6,
                                                           insets=(0, 0, 0, 0), problems=self.problems, what="footer")
                shapes.append(TextShape(kind="footer", box=extras["ftr"], frame=frame, name="Footer",
                                        placeholder="ftr"))
            else:
                frame, _ = self.fit.fit([spec(footer, color=self.c.muted)], fw - 60, fh, 9, 6,
                                        insets=(0, 2, 0, 2), problems=self.problems, what="footer")
                shapes.append(TextShape(kind="footer", box=Box.pt(fx, fy, fw - 60, fh), frame=frame, name="Footer"))
        why = self._unreadable(extras["dt"], layout, "dt") if "dt" in extras and layout is not None else ""
        if why and self.doc.date and layout is not None and layout.name not in self._undated:
            self._undated.add(layout.name)  # no panel over the master's art outside the content area
            self._warn(f"date placeholder of {layout.name!r} left empty: {why}")
        if "dt" in extras and self.doc.date and not why:  # the layout's date slot: when the study was published
            bx, by, bw, bh = extras["dt"].pts
            look = layout.look("dt") if layout is not None else None
            top = max(self.fit.min_pt, min(look.size if look and look.size else 12.0, 14.0))
            frame, _ = self._fitter(layout, "dt").fit(
                [spec(publication_date(self.doc.date, self.doc.language), color=self.c.muted)],
                bw, bh, top, 6, insets=(0, 0, 0, 0), problems=self.problems, what="date")
            shapes.append(TextShape(kind="footer", box=extras["dt"], frame=frame, name="Date", placeholder="dt"))
        if "sldNum" in extras:
            bx, by, bw, bh = extras["sldNum"].pts
            num, _ = self._fitter(layout, "sldNum").fit([spec(str(index + 1), color=self.c.muted, align="r")],
                                                        bw, bh, 12, 6, insets=(0, 0, 0, 0))
            shapes.append(TextShape(kind="footer", box=extras["sldNum"], frame=_as_field(num, "slidenum"),
                                    name="Slide number", placeholder="sldNum"))
        elif footer and "ftr" not in extras:  # a layout with a footer but no number slot numbers its own way
            # A slide-number field, not "3 / 6": reps paste these slides into their own decks.
            num, _ = self.fit.fit([spec(str(index + 1), color=self.c.muted, align="r")],
                                  56, fh, 9, 6, insets=(0, 2, 0, 2))
            shapes.append(TextShape(kind="footer", box=Box.pt(fx + fw - 56, fy, 56, fh), frame=_as_field(num, "slidenum"),
                                    name="Slide number"))

    # ------------------------------------------------------------------ text panels

    BUSY = 0.15  # luminance spread (theme._texture) from which a picture is too busy to set text on

    def _bare_text(self, s: ShapePlan) -> list[Box]:
        """The boxes of text that ``s`` sets straight on the slide (no fill of its own under it)."""
        if isinstance(s, ChartPlan):
            return [s.box]
        if isinstance(s, GroupPlan):
            return [b for c in s.children for b in self._bare_text(c)]
        if isinstance(s, TextShape) and s.frame.paras and not s.fill:
            return [s.box]
        return []

    def _unreadable(self, box: Box, layout: LayoutInfo, zone: str = "content") -> str:
        """Why text in ``box`` cannot be read on the layout's own background ('' if it can): a
        busy picture behind it, or no text colour of the theme reaching 4.5:1 there."""
        from roi_in_a_box.brand.kit import contrast_ratio

        behind, src = self._behind(box, layout, [], zone)
        texture = layout.texture(box) if layout.texture is not None else 0.0
        if texture >= self.BUSY:
            return f"{src} is busy behind it (luminance spread {texture:.2f})"
        pool = list(self.theme.text_colors if self.theme else ()) + [_hex(self.c.text), "FFFFFF", "000000"]
        if behind and max(min(contrast_ratio(c, b) for b in behind) for c in pool) < 4.5:
            return f"no theme colour reaches 4.5:1 on {src}"
        return ""

    def _panel(self, content: list[ShapePlan], layout: LayoutInfo, index: int) -> TextShape | None:
        """A panel in the theme's light (or dark) colour behind the slide's content, inside the
        content area, when text would sit on a busy picture or on a background no text colour
        of the theme reaches WCAG AA on; reported."""
        from roi_in_a_box.brand.kit import contrast_ratio

        boxes = [b for s in content for b in self._bare_text(s)]
        parts: list[Box] = []
        for b in boxes:  # a picture under part of a box is missed at its centre: a 2 × 3 grid of its parts
            mine = self._behind(b, layout, [], "content")[1]  # parts over something else are judged alone
            parts.append(b)
            parts += [q for q in (Box(b.x + i * b.w // 2, b.y + j * b.h // 3, b.w // 2, b.h // 3)
                                  for j in (0, 1, 2) for i in (0, 1))
                      if self._behind(q, layout, [], "content")[1] != mine]
        why = next((w for w in (self._unreadable(b, layout) for b in parts) if w), "")
        if not why:
            return None
        boxes += [s.box for s in content if isinstance(s, PicturePlan)]  # one panel holds the slide's content
        pad = 8.0 * PT
        x0, y0 = min(b.x for b in boxes) - pad, min(b.y for b in boxes) - pad
        x1, y1 = max(b.x + b.w for b in boxes) + pad, max(b.y + b.h for b in boxes) + pad
        if layout.area is not None:
            a = layout.area
            x0, y0, x1, y1 = max(x0, a.x), max(y0, a.y), min(x1, a.x + a.w), min(y1, a.y + a.h)
        light = self.theme.text_colors[1] if self.theme and len(self.theme.text_colors) > 1 else "FFFFFF"
        dark = self.theme.text_colors[0] if self.theme and self.theme.text_colors else "000000"
        text = _hex(self.c.text)
        fill = max((light, dark), key=lambda c: contrast_ratio(c, text))  # the kit's text stays readable on it
        self.fitting.append(f"slide {index + 1}: text set on a #{fill} panel: {why}")
        if layout.name not in self._panelled:  # once per layout: the reason is the layout's picture
            self._panelled.add(layout.name)
            self._warn(f"text panel: slides on {layout.name!r} get a #{fill} panel behind their text: {why}")
        return TextShape(kind="panel", box=Box(int(x0), int(y0), int(x1 - x0), int(y1 - y0)), frame=TextFrame(()),
                         geometry="roundRect", fill=fill, name="Text panel")

    # ------------------------------------------------------------------ template text

    _ZONE = {"title": "title", "ftr": "ftr", "sldNum": "sldNum", "dt": "dt"}

    def _on_template(self, s: ShapePlan, layout: LayoutInfo, index: int, under: list[tuple[Box, str]],
                     body_idx: int | None) -> ShapePlan:
        """Text on a template slide: placeholder runs inherit the theme's fonts, sizes and
        colours (``slides.style: template``); every colour drawn on the layout is checked
        against what is behind it and replaced by the theme's best contrasting colour."""
        if isinstance(s, GroupPlan):
            inner: list[tuple[Box, str]] = list(under)
            kids = []
            for c in s.children:
                kids.append(self._on_template(c, layout, index, inner, body_idx))
                if isinstance(c, TextShape) and c.fill:
                    inner.append((c.box, c.fill))
            return replace(s, children=tuple(kids))
        if isinstance(s, ChartPlan):
            behind, src = self._behind(s.box, layout, under, "content")
            what = f"chart text on {layout.name!r}"
            color = self._readable(s.text_color, behind, src, False, what)
            title = s.title
            if title is not None:
                title = replace(title, paras=tuple(replace(p, runs=tuple(
                    replace(r, color=self._readable(r.color, behind, src, p.size >= 18, what)) for r in p.runs))
                    for p in title.paras))
            return replace(s, text_color=color, title=title)
        if not isinstance(s, TextShape) or not s.frame.paras:
            if isinstance(s, TextShape) and s.fill:
                under.append((s.box, s.fill))
            return s
        if s.fill:
            under.append((s.box, s.fill))
            return s
        ph = s.placeholder
        zone = self._ZONE.get(ph, "body") if isinstance(ph, str) else ("body" if ph is not None else "")
        area = {"title": "title", "ftr": "ftr", "sldNum": "sldNum", "dt": "dt"}.get(zone, "content")
        behind, src = self._behind(s.box, layout, under, area)
        look = layout.look(zone) if zone else None
        what = f"{s.kind} text on {layout.name!r}"
        paras = []
        for para in s.frame.paras:
            large = para.size >= 18 or (para.size >= 14 and any(r.bold for r in para.runs))
            inherit = self._inherit and look is not None
            runs = []
            for r in para.runs:
                if inherit and look is not None and self.theme is not None:
                    colors, fonts = self.theme.colors, self.theme.fonts
                    color = self._readable(look.color_or_tx1 if colors else r.color, behind, src, large, what, colors)
                    script = "bengali" if r.lang.startswith("bn") else "thai" if r.lang.startswith("th") else ""
                    role = "heading" if zone == "title" else "body"
                    theme_cs = self.theme.script_font(role, script) if script and fonts else ""
                    latin = ("" if look.font_defined else look.theme_font or r.latin) if fonts else r.latin
                    runs.append(replace(r, color="" if colors and color == look.color else color, latin=latin,
                                        cs="" if theme_cs else r.cs))
                else:
                    runs.append(replace(r, color=self._readable(r.color, behind, src, large, what)))
            size_set = not (inherit and self.theme is not None and self.theme.fonts and look is not None
                            and look.size is not None and abs(para.size - look.size) < 0.01)
            paras.append(replace(para, runs=tuple(runs), size_set=size_set))
        return replace(s, frame=replace(s.frame, paras=tuple(paras)))

    def _behind(self, box: Box, layout: LayoutInfo, under: list[tuple[Box, str]], zone: str
                ) -> tuple[tuple[str, ...], str]:
        cx, cy = box.x + box.w / 2, box.y + box.h / 2
        for b, fill in reversed(under):
            if b.x <= cx <= b.x + b.w and b.y <= cy <= b.y + b.h:
                return (fill,), "its panel"
        if layout.probe is not None:
            return layout.probe(box)
        got = layout.backdrop(zone) or layout.backdrop("content")
        return got if got is not None else ((_hex(self.c.background),), "background")

    def _readable(self, color: str, behind: tuple[str, ...], src: str, large: bool, what: str,
                  theme_colour: bool = False) -> str:
        """``color`` if it meets WCAG AA against every colour ``behind`` it, else the theme's
        (then the kit's) colour that contrasts best (``theme_colour``: text that takes the
        theme's colour), or for the kit's colours the least move towards it that passes, so
        a coral marker stays a darker coral; every change, and a failure, is reported."""
        from roi_in_a_box.brand.kit import contrast_ratio

        need = 3.0 if large else 4.5
        if not color or not behind:
            return color

        def worst(c: str) -> float:
            return min(contrast_ratio(c, b) for b in behind)

        have = worst(color)
        if have >= need:
            return color
        pool = list(self.theme.text_colors if self.theme else ()) + [_hex(self.c.text), "FFFFFF", "000000"]
        best = max(pool, key=worst)
        # the least change that passes: the colour moved towards the best one (a coral marker
        # stays a darker coral), else the best colour itself
        if not theme_colour:
            best = next((m for m in (mix_hex(color, best, t / 10) for t in range(1, 10)) if worst(m) >= need), best)
        bg = "/".join(f"#{b}" for b in behind[:3]) + ("…" if len(behind) > 3 else "")
        if worst(best) >= need:
            self._warn(f"contrast: {what}: #{color} on {bg} ({src}) is {have:.1f}:1, under {need}:1; "
                       f"using #{best} ({worst(best):.1f}:1)")
        else:
            self._warn(f"contrast: {what}: #{color} on {bg} ({src}) is {have:.1f}:1 and no theme colour reaches "
                       f"{need}:1; using #{best} ({worst(best):.1f}:1)")
        return best

    def _cover(self, shapes: list[ShapePlan]) -> tuple[tuple[float, float, float, float], tuple[float, float, float, float]]:
        """Brand bands for a cover slide; returns its title and content boxes (title low
        on the slide, large, the lead under it, room for the logo above the footer)."""
        band = 0.32 * self.H
        shapes.append(TextShape(kind="rule", box=Box.pt(0, 0, self.W, band), frame=TextFrame(()),
                                fill=_hex(self.c.primary), name="Cover band"))
        shapes.append(TextShape(kind="rule", box=Box.pt(0, band, self.W, 6), frame=TextFrame(()),
                                fill=_hex(self.c.accent), name="Cover rule"))
        x, w = self.margin, self.W - 2 * self.margin
        if self.doc.author:  # who stands behind the study: the analyst firm, on the band
            frame, _ = self.fit.fit([spec(self.doc.author.upper() if self.doc.author.isascii() else self.doc.author,
                                          bold=True, color=tint(self.c.primary, 0.8), role="heading")],
                                    w, 24, 14, 9, insets=(0, 0, 0, 0), anchor="b")
            shapes.append(TextShape(kind="paragraph", box=Box.pt(x, band - 24 - 20, w, 24), frame=frame,
                                    name="Publisher"))
        title_top = band + 30
        title = (x, title_top, w, 96.0)
        top = title_top + 96.0 + 18
        content = (x, top, w, max(40.0, self.footer_box[1] - 96 - top))
        return title, content

    def _kept_blocks(self, page: Page, shapes) -> list[Block]:
        dropped = self._dropped_ids | {id(b) for b in iter_blocks(tuple(self._spill or ()))}
        return [b for b in iter_blocks(page.blocks) if id(b) not in dropped]

    def _notes(self, page: Page, blocks: list[Block]) -> str:
        sources: list[str] = []
        for b in blocks:
            for s in b.sources:
                s = M.clean(s)
                if s and s not in sources:
                    sources.append(s)
        parts = [M.clean(page.notes)] if page.notes else []
        if sources:
            parts.append(label(self.doc.language, "src.sources", items="; ".join(sources)))
        return "\n\n".join(parts)

    # ------------------------------------------------------------------ stacking

    def stack(self, blocks: Sequence[Block], x: float, y: float, w: float, h: float,
              where: str, spill: list[Block] | None = None) -> list[ShapePlan]:
        """Rows of ``blocks`` in the box; optional blocks are dropped while even the minimum
        heights do not fit; when none is left, given ``spill``, the rows that still do not fit
        go into it (for a continuation slide) instead of being squeezed below the minimum
        text size."""
        blocks = list(blocks)
        while True:
            if spill is not None:  # the slide's first paragraph goes into the body placeholder
                self._body_para = next((p for p in iter_blocks(tuple(blocks)) if isinstance(p, Paragraph)), None)
            rows = self.rows(blocks, w)
            gaps = GAP * max(0, len(rows) - 1)
            mn = sum(r.min_h for r in rows) + gaps
            if mn <= h:
                break
            optional = [b for b in blocks if b.priority > 0]
            paired = [r for r in rows if r.min_h > h and len(r.blocks) > 1]
            if spill is not None and not optional and paired:  # quotes too tall side by side: one under another
                self._unpaired.update(id(b) for r in paired for b in r.blocks)
                self.fitting.append(f"{where}: " + ", ".join(repr(b.id) for r in paired for b in r.blocks)
                                    + " set one under another to fit")
                continue
            wide = [r.blocks[0] for r in rows if r.min_h > h and isinstance(r.blocks[0], Columns)]
            if spill is not None and not optional and wide:  # columns too tall side by side: one under another
                flat: list[Block] = []
                for blk in blocks:
                    if isinstance(blk, Columns) and any(blk is c for c in wide):
                        flat.extend(x for col in blk.columns for x in col)
                    else:
                        flat.append(blk)
                self.fitting.append(f"{where}: columns {', '.join(repr(c.id) for c in wide)} stacked to fit")
                blocks = flat
                continue
            keep, used = 0, 0.0
            while keep < len(rows) and used + rows[keep].min_h + (GAP if keep else 0) <= h:
                used += rows[keep].min_h + (GAP if keep else 0)
                keep += 1
            if spill is not None and not optional and keep < len(rows) and len(rows[keep].blocks) == 1 \
                    and rows[keep].min_h > h and (keep == 0 or h - used - GAP >= h / 4):
                # one block taller than the whole area: its head here, the rest on the next slide
                big = rows[keep].blocks[0]
                parts = self._split(big, h - used - (GAP if keep else 0), w)
                if parts is not None:
                    head, rest = parts
                    self._cut[id(head)], self._cut[id(rest)] = (head, "head"), (rest, "rest")
                    later = [b for r in rows[keep + 1:] for b in r.blocks]
                    gone = {id(b) for b in later} | {id(big)}
                    spill.extend([rest, *later])
                    blocks = [head if b is big else b for b in blocks if id(b) not in gone or b is big]
                    self.fitting.append(f"{where}: {type(big).__name__} {big.id!r} split; the rest "
                                        "moved to a continuation slide")
                    continue
            if spill is not None and not optional and len(rows) > 1 and rows[0].min_h <= h:
                moved = [b for r in rows[keep:] for b in r.blocks]
                gone = {id(b) for b in moved}
                spill.extend(moved)
                blocks = [b for b in blocks if id(b) not in gone]
                continue
            if not optional:
                self.problems.append(f"{where}: content needs {mn:.0f} pt, box has {h:.0f} pt")
                break
            drop = max(optional, key=lambda b: (b.priority, blocks.index(b)))
            blocks.remove(drop)
            self._dropped_ids.add(id(drop))
            for inner in iter_blocks((drop,)):
                self._dropped_ids.add(id(inner))
            self.fitting.append(f"{where}: dropped {type(drop).__name__} {drop.id!r} (priority {drop.priority})")
        if not rows:
            return []
        pref = sum(r.pref_h for r in rows) + gaps
        if pref <= h:
            heights = [r.pref_h for r in rows]
            spare = h - pref
            flex = [i for i, r in enumerate(rows) if r.max_h > r.pref_h]
            while spare > 0.5 and flex:
                share = spare / len(flex)
                nxt = []
                for i in flex:
                    add = min(share, rows[i].max_h - heights[i])
                    heights[i] += add
                    spare -= add
                    if rows[i].max_h - heights[i] > 0.5:
                        nxt.append(i)
                flex = nxt
        elif mn <= h:
            t = (h - mn) / (pref - mn)
            heights = [r.min_h + t * (r.pref_h - r.min_h) for r in rows]
        else:
            k = (h - gaps) / max(1.0, mn - gaps)
            heights = [r.min_h * k for r in rows]
        out: list[ShapePlan] = []
        cy = y
        for r, rh in zip(rows, heights):
            out.extend(r.build(x, cy, w, rh))
            cy += rh + GAP
        return out

    def _split(self, b: Block, room: float, w: float) -> tuple[Block, Block] | None:
        """``b`` cut so that its head's row fits ``room`` at the minimum text size (with the
        share of a box viewers leave unused for Bengali and Thai lines)."""
        body = b is self._body_para  # the head goes into the body placeholder: measured in its typeface

        def fits(head: Block) -> bool:
            if body:
                self._body_para = head
            return self.row(head, w).min_h <= room * self.spare

        got = split_block(b, fits, language(self.doc.language).sentence_end)
        if body:
            self._body_para = got[0] if got is not None else b
        return got

    def _part(self, b: Block) -> str:
        """"head" or "rest" for a part of a split block, else ""."""
        got = self._cut.get(id(b))
        return got[1] if got is not None and got[0] is b else ""

    def rows(self, blocks: Sequence[Block], w: float) -> list[Row]:
        groups: list[list[Block]] = []
        for b in blocks:
            if groups and len(groups[-1]) < 3 and self._pairs(groups[-1][-1], b) and id(b) not in self._unpaired:
                groups[-1].append(b)
            else:
                groups.append([b])
        return [self.row(g[0], w) if len(g) == 1 else self.hrow(g, w) for g in groups]

    @staticmethod
    def _pairs(a: Block, b: Block) -> bool:
        side = (Quote, Callout)
        return (isinstance(a, Chart) and isinstance(b, Chart)) or (isinstance(a, side) and isinstance(b, side))

    def hrow(self, blocks: Sequence[Block], w: float, weights: Sequence[float] | None = None,
             gutter: float = 14.0) -> Row:
        weights = list(weights or [1.0] * len(blocks))
        total = sum(weights) or 1.0
        avail = w - gutter * (len(blocks) - 1)
        widths = [avail * wt / total for wt in weights]
        subs = [self.row(b, cw) for b, cw in zip(blocks, widths)]

        def build(x, y, _w, h):
            out: list[ShapePlan] = []
            cx = x
            for r, cw in zip(subs, widths):
                out.extend(r.build(cx, y, cw, min(h, max(r.max_h, r.min_h)) if r.max_h < h else h))
                cx += cw + gutter
            return out

        return Row(max(r.min_h for r in subs), max(r.pref_h for r in subs),
                   max(r.max_h for r in subs), build, tuple(blocks))

    def row(self, b: Block, w: float) -> Row:
        """The row for one block: ``visit_<block type>(block, width)``."""
        return self.visit(b, w)

    # ------------------------------------------------------------------ text rows

    def _text_row(self, b: Block, specs: list[PSpec], w: float, mx: float, mn: float, kind: str,
                  insets=(0.0, 2.0, 0.0, 2.0), grow: float = 0.0, fitter: Fitter | None = None) -> Row:
        """A text box; with ``grow``, it may take more height, set up to that size."""
        fit = fitter or self.fit
        pref = fit.height(specs, mx, w, insets)
        low = fit.height(specs, mn, w, insets)
        top = max(mx, grow)
        high = fit.height(specs, top, w, insets) if grow else pref

        def build(x, y, bw, h):
            room = max(h * self.spare, low) if grow else h
            frame, _ = fit.fit(specs, bw, room, top, mn, insets=insets, problems=self.problems,
                                    what=f"{kind} {b.id!r}")
            return [TextShape(kind=kind, box=Box.pt(x, y, bw, h), frame=frame, name=f"{kind} {b.id}")]

        return Row(low, pref, max(pref, high), build, (b,))

    def visit_heading(self, b: Heading, w: float) -> Row:
        mx = {0: 28.0, 1: 22.0, 2: 18.0}.get(b.level, 16.0)
        return self._text_row(b, [spec(b.text, bold=True, color=self.c.primary, role="heading")], w,
                              mx, mx * 0.7, "heading")

    def visit_paragraph(self, b: Paragraph, w: float) -> Row:
        mx, mn, grow = {"lead": (18.0, 12.0, 0.0), "body": (14.0, 10.0, 18.0), "small": (10.0, 7.0, 14.5)}[b.style]
        sp = PSpec(tuple((r.text, r.bold, r.italic, r.link) for r in b.runs),
                   color=self.c.text if b.style != "small" else self.c.muted)
        fitter = self._body_fit if self._body_fit is not None and b is self._body_para else self.fit
        return self._text_row(b, [sp], w, mx, mn, "paragraph", grow=grow, fitter=fitter)

    def visit_footnotes(self, b: Footnotes, w: float) -> Row:
        specs = [spec(f"{i}. {t}", color=self.c.muted, space_before=0.15 if i > 1 else 0.0)
                 for i, t in enumerate(b.items, 1)]
        return self._text_row(b, specs, w, 10.0, 7.0, "footnotes", grow=16.0)

    # ------------------------------------------------------------------ tiles and cards

    def _tiles_row(self, b: Block, items: list[list[PSpec]], w: float, mx: float, mn: float,
                   kind: str, fills: list[str], lines: list[str | None], min_h: float,
                   geometry: str = "roundRect", insets=(10.0, 8.0, 10.0, 8.0), anchor: str = "t",
                   grow: float = 0.0, pills: list[tuple[str, str, str] | None] | None = None) -> Row:
        """Tiles side by side; with ``grow`` they may take more height, set up to that size.
        ``pills`` (text, fill, text colour) per tile: an ROI-type pill at the tile's top left."""
        n = max(1, len(items))
        pill_h = 16.0
        if pills and any(pills):  # tall enough for one line of the pills' text (Thai lines are taller)
            pill_h = max([pill_h, *(self.fit.measure_paras([spec(p[0], bold=True)], 9.0)[0].line
                                    for p in pills if p)])
            insets = (insets[0], insets[1] + pill_h + 4, insets[2], insets[3])
        tw = (w - GAP * (n - 1)) / n
        pref = max(self.fit.height(s, mx, tw, insets) for s in items) if items else 0
        low = max(self.fit.height(s, mn, tw, insets) for s in items) if items else 0
        top = max(mx, grow)
        high = max(self.fit.height(s, top, tw, insets) for s in items) + 24 if items and grow else pref

        def build(x, y, bw, h):
            tw2 = (bw - GAP * (n - 1)) / n
            # one size for all tiles: the smallest any tile needs
            size = min(self.fit.fit(s, tw2, h, top, mn, insets=insets)[1] for s in items)
            children = []
            for i, s in enumerate(items):
                frame, size_i = self.fit.fit(s, tw2, h, size, mn, insets=insets, anchor=anchor,
                                             problems=self.problems, what=f"{kind} {b.id!r}")
                tx = x + i * (tw2 + GAP)
                children.append(TextShape(kind=f"{kind}_item", box=Box.pt(tx, y, tw2, h),
                                          frame=frame, geometry=geometry, fill=fills[i % len(fills)],
                                          line=lines[i % len(lines)], name=f"{kind} {b.id} {i + 1}"))
                pill = pills[i] if pills and i < len(pills) else None
                if pill:
                    text, fill, fg = pill
                    pw = min(tw2 - 2 * insets[0], self._one_line_width(text, 9.0) + 26)
                    pf, _ = self.fit.fit([spec(text, bold=True, color=fg, align="ctr")], pw, pill_h, 9.0, 9.0,
                                         insets=(6, 0, 6, 0), anchor="ctr", problems=self.problems,
                                         what=f"{kind} pill {b.id!r}")
                    children.append(TextShape(kind="roi_pill", box=Box.pt(tx + insets[0], y + insets[1] - pill_h - 4,
                                                                          pw, pill_h),
                                              frame=pf, geometry="roundRect", radius=pill_h / 2, fill=fill,
                                              name=f"{kind} {b.id} {i + 1} pill"))
            return [GroupPlan(kind=kind, box=Box.pt(x, y, bw, h), children=tuple(children), name=f"{kind} {b.id}")]

        return Row(max(low, min_h), max(pref, min_h), max(pref, high, min_h), build, (b,))

    def visit_stat_tiles(self, b: StatTiles, w: float) -> Row:
        items = []
        for t in b.tiles:
            s = [spec(t.value, bold=True, color="FFFFFF", scale=2.2, role="heading"),
                 spec(t.label, bold=True, color="FFFFFF", space_before=0.1)]
            if t.definition:
                s.append(spec(t.definition, color=tint(self.c.primary, 0.75), scale=0.78, space_before=0.3))
            items.append(s)
        fills = [_hex(self.c.primary), _hex(self.c.secondary)]
        return self._tiles_row(b, items, w, 14.0, 8.0, "stat_tiles", fills, [None], 60.0, anchor="ctr", grow=15.5)

    def visit_cards(self, b: Cards, w: float) -> Row:
        items = []
        pills: list[tuple[str, str, str] | None] = []
        for c in b.cards:  # the ROI type as the same pill as everywhere else
            fill = self.roi_fill.get(c.roi_type or "", _hex(self.c.muted))
            pills.append((c.badge, fill, on_hex(fill, self.c.text)) if c.badge else None)
            items.append([spec(c.title, bold=True, color=self.c.primary, scale=1.1, role="heading"),
                          spec(c.text, color=self.c.text, space_before=0.25)])
        return self._tiles_row(b, items, w, 13.0, 7.5, "cards", [tint(self.c.secondary, 0.88)], [None], 40.0,
                               grow=17.0, pills=pills)

    # ------------------------------------------------------------------ quote and callout

    def visit_quote(self, b: Quote, w: float) -> Row:
        """A quote card; for a value prop, its ROI-type pill, title and claim above the quote
        (one card, so the claim never parts from its proof).  Cards grow to fill the slide."""
        insets = (14.0, 6.0, 8.0, 6.0)
        specs = []
        if b.heading:
            specs.append(spec(b.heading, bold=True, color=self.c.primary, scale=1.1, role="heading"))
        if b.claim:
            specs.append(spec(b.claim, color=self.c.text, scale=0.95, space_before=0.2 if specs else 0.0))
        if b.text:
            # a quote cut over two slides opens on the first and closes on the second
            marks = language(self.doc.language).quotes
            part = self._part(b)
            quoted = (marks[0] if part != "rest" else "") + b.text + (marks[1] if part != "head" else "")
            specs.append(spec(quoted, italic=True, color=self.c.text, scale=1.05,
                              space_before=0.45 if specs else 0.0))
        if b.attribution:
            specs.append(spec(b.attribution, bold=True, color=self.c.text, scale=0.82, space_before=0.4))
        if b.detail:
            specs.append(spec(b.detail, color=self.c.muted, scale=0.78, space_before=0.1))
        pills: list[tuple[str, str, str]] = []  # (text, fill, text colour)
        if b.badge:
            fill = self.roi_fill.get(b.roi_type or "", _hex(self.c.muted))
            pills.append((b.badge, fill, on_hex(fill, self.c.text)))
        if b.label:
            pills.append((b.label, _hex(self.c.accent), "FFFFFF"))
        bh = 21.0 if pills else 0.0
        pref = self.fit.height(specs, 14.0, w, insets) + bh
        low = self.fit.height(specs, 8.0, w, insets) + bh
        high = self.fit.height(specs, 20.0, w, insets) + bh

        def build(x, y, bw, h):
            children: list[ShapePlan] = [
                TextShape(kind="quote_bar", box=Box.pt(x, y, 4.0, h), frame=TextFrame(()),
                          fill=_hex(self.c.accent), name=f"quote {b.id} bar")]
            px = x + 14
            for i, (text, fill, fg) in enumerate(pills):
                pw = min(bw - 14, self._one_line_width(text, 9.0) + 26)
                frame, _ = self.fit.fit([spec(text, bold=True, color=fg, align="ctr")], pw, bh - 2, 9.0, 9.0,
                                        insets=(6, 1, 6, 1), anchor="ctr", problems=self.problems,
                                        what=f"quote pill {b.id!r}")
                children.append(TextShape(kind="roi_pill" if b.badge and i == 0 else "quote_label",
                                          box=Box.pt(px, y, pw, bh - 2), frame=frame, geometry="roundRect",
                                          fill=fill, name=f"quote {b.id} pill {i + 1}"))
                px += pw + 6
            ty = y + bh
            room = max((h - (ty - y)) * self.spare, low - bh)  # the row's minimum always fits
            frame, _ = self.fit.fit(specs, bw, room, 20.0, 8.0, insets=insets,
                                    problems=self.problems, what=f"quote {b.id!r}")
            children.append(TextShape(kind="quote_text", box=Box.pt(x, ty, bw, h - (ty - y)), frame=frame,
                                      name=f"quote {b.id} text"))
            return [GroupPlan(kind="quote", box=Box.pt(x, y, bw, h), children=tuple(children),
                              name=f"quote {b.id}")]

        return Row(low, pref, max(pref, high * 1.3), build, (b,))  # the card (and its bar) may outgrow its text

    def _one_line_width(self, text: str, size: float) -> float:
        """The width of ``text`` set bold on one line, in every script it uses."""
        mp = self.fit.measure_paras([spec(text, bold=True)], size)[0]
        return sum(M.em_width(M.face_path(p.family, p.bold, p.italic), p.text) for p in mp.pieces) * mp.size \
            / M.WIDTH_SAFETY

    def visit_callout(self, b: Callout, w: float) -> Row:
        insets = (12.0, 8.0, 12.0, 8.0)
        specs = [spec(b.title, bold=True, color=self.c.primary, scale=1.1, role="heading")]
        if b.text:
            specs.append(spec(b.text, color=self.c.text, space_before=0.25))
        if b.link_text or b.link:
            specs.append(spec(b.link_text or b.link or "", bold=True, link=b.link, color=self.c.secondary,
                              space_before=0.25))
        pref = self.fit.height(specs, 14.0, w, insets)
        low = self.fit.height(specs, 8.0, w, insets)
        high = self.fit.height(specs, 19.0, w, insets)

        def build(x, y, bw, h):
            frame, _ = self.fit.fit(specs, bw, h, 19.0, 8.0, insets=insets, problems=self.problems,
                                    what=f"callout {b.id!r}")
            return [TextShape(kind="callout", box=Box.pt(x, y, bw, h), frame=frame, geometry="roundRect",
                              fill=tint(self.c.accent, 0.82), line=_hex(self.c.accent), name=f"callout {b.id}")]

        return Row(low, pref, high * 1.6, build, (b,))  # a panel may be taller than its text

    # ------------------------------------------------------------------ table

    def _table_specs(self, b: Table):
        ncol = max(1, len(b.header), *(len(r) for r in b.rows))
        aligns = [{"left": "l", "right": "r", "center": "ctr"}.get(a, "l") for a in b.align]
        aligns += ["l"] * (ncol - len(aligns))
        rows = []
        if b.header:
            rows.append([spec(t, bold=True, color="FFFFFF", align=aligns[i]) for i, t in
                         enumerate(list(b.header) + [""] * (ncol - len(b.header)))])
        for ri, r in enumerate(b.rows):
            strong = ri in b.emphasis_rows
            cells = list(r) + [""] * (ncol - len(r))
            rows.append([spec(t, bold=strong or i == 0, color=self.c.text, align=aligns[i])
                         for i, t in enumerate(cells)])
        return ncol, rows

    _CELL = (5.0, 2.5, 5.0, 2.5)

    def _table_layout(self, b: Table, w: float, size: float):
        rows, widths, heights, _ = self._table_columns(b, w, size)
        return rows, widths, heights

    def _table_columns(self, b: Table, w: float, size: float):
        """Rows, column widths, row heights, and whether every column holds its widest word."""
        ncol, rows = self._table_specs(b)
        # natural single-line widths decide the columns (first column gets what it needs)
        # and no column is narrower than its widest unbreakable piece (a figure such as
        # "৯০.৮ লাখ৳" or "฿6.9 ล้าน" is never cut into "৯০.৮ লাখ" | "৳")
        nat, least = [0.0] * ncol, [0.0] * ncol
        pad = self._CELL[0] + self._CELL[2] + 2
        for r in rows:
            for i, s in enumerate(r):
                mp = self.fit.measure_paras([s], size)[0]
                wid = sum(M.em_width(M.face_path(p.family, p.bold, p.italic), p.text) for p in mp.pieces) * mp.size
                nat[i] = max(nat[i], wid / M.WIDTH_SAFETY + pad)
                least[i] = max(least[i], M.min_width(mp) + pad)
        total = sum(nat) or 1.0
        if total <= w:
            extra = (w - total) / ncol
            widths = [n + extra for n in nat]
        elif sum(least) < w:  # what is left over the minimums goes by how much more each needs
            spare, want = w - sum(least), sum(n - m for n, m in zip(nat, least)) or 1.0
            widths = [m + spare * (n - m) / want for n, m in zip(nat, least)]
        else:
            widths = [w * n / total for n in nat]
        heights = [max(self.fit.height([s], size, widths[i], self._CELL) for i, s in enumerate(r)) for r in rows]
        return rows, widths, heights, sum(least) <= w

    def visit_table(self, b: Table, w: float) -> Row:
        cap = [spec(b.caption, italic=True, color=self.c.muted)] if b.caption else []

        def total(size):
            _, _, hs = self._table_layout(b, w, size)
            return sum(hs) + (self.fit.height(cap, min(size, 10.0), w, (0, 2, 0, 0)) if cap else 0)

        mx, mn, top = 13.0, 7.0, 17.0
        pref, low, high = total(mx), total(mn), 2.0 * total(top)

        def build(x, y, bw, h):
            size = top
            while size > mn and (total(size) > h + 0.01 or not self._table_columns(b, bw, size)[3]):
                size -= 0.5  # smaller until it fits, and until no column is narrower than a word in it
            rows, widths, heights = self._table_layout(b, bw, size)
            room = h - (self.fit.height(cap, min(size, 10.0), bw, (0, 2, 0, 0)) if cap else 0)
            stretch = min(2.0, room / sum(heights)) if sum(heights) else 1.0
            if stretch > 1.0:  # a short table on a tall slide: roomier rows rather than empty canvas
                heights = [rh * stretch for rh in heights]
            cells = tuple(tuple(self.fit.frame([s], size, self._CELL, "ctr") for s in r) for r in rows)
            fills = []
            for ri in range(len(rows)):
                if b.header and ri == 0:
                    fills.append(_hex(self.c.primary))
                    continue
                bi = ri - (1 if b.header else 0)
                if bi in b.emphasis_rows:
                    fills.append(tint(self.c.primary, 0.82))
                else:
                    fills.append("FFFFFF" if bi % 2 == 0 else tint(self.c.muted, 0.9))
            th = sum(heights)
            scale = bw / sum(widths)
            out: list[ShapePlan] = [TablePlan(
                kind="table", box=Box.pt(x, y, bw, th), name=f"table {b.id}",
                col_widths=tuple(emu(cw * scale) for cw in widths), row_heights=tuple(emu(rh) for rh in heights),
                cells=cells, fills=tuple(tuple(f for _ in r) for f, r in zip(fills, rows)))]
            if cap:
                ch = max(1.0, h - th)
                frame, _ = self.fit.fit(cap, bw, ch, min(size, 10.0), 6.0, insets=(0, 2, 0, 0),
                                        problems=self.problems, what=f"table caption {b.id!r}")
                out.append(TextShape(kind="caption", box=Box.pt(x, y + th, bw, ch), frame=frame,
                                     name=f"table {b.id} caption"))
            return out

        return Row(low, pref, high, build, (b,))

    # ------------------------------------------------------------------ charts

    def visit_chart(self, b: Chart, w: float) -> Row:
        cap = [spec(b.caption, italic=True, color=self.c.muted)] if b.caption else []
        cap_h = self.fit.height(cap, 9.0, w, (0, 2, 0, 0)) if cap else 0.0

        def build(x, y, bw, h):
            out: list[ShapePlan] = []
            ch = h
            if cap:
                frame, _ = self.fit.fit(cap, bw, cap_h, 9.0, 6.0, insets=(0, 2, 0, 0), problems=self.problems,
                                        what=f"chart caption {b.id!r}")
                ch = h - cap_h
                out.append(TextShape(kind="caption", box=Box.pt(x, y + ch, bw, cap_h), frame=frame,
                                     name=f"chart {b.id} caption"))
            out.insert(0, self.chart_plan(b, Box.pt(x, y, bw, ch)))
            return out

        return Row(110.0 + cap_h, 185.0 + cap_h, 400.0 + cap_h, build, (b,))

    def chart_plan(self, b: Chart, box: Box) -> ChartPlan:
        c = self.c
        h_pt = box.h / PT
        font = max(9.0 if h_pt >= 150 else 8.0, self.fit.min_pt)
        title = None
        if b.title:
            marker = [spec(b.marker_label, color=self.c.accent)] if b.marker_label else []
            title = self.fit.frame([spec(b.title, bold=True, color=self.c.primary, role="heading"), *marker],
                                   min(12.0, font + 3))
        ticks = b.ticks if len(b.ticks) >= 2 and len(b.tick_labels) == len(b.ticks) else ()
        # the axis prints the layout's tick labels when a number format can (";;;": none can,
        # e.g. Bengali digits); the points carry the layout's figures as text, in every
        # language, so a bar reads exactly what the table beside it reads
        fmt = axis_format(b) if ticks else number_format(b)
        palette = [_hex(c.primary), _hex(c.accent), _hex(c.secondary), _hex(c.muted)]
        series: list[SeriesPlan] = []
        chart_type = {"bar": "bar", "waterfall": "waterfall", "payback": "line"}[b.kind]
        row = tuple(M.clean(x) for x in b.value_labels[0]) if b.value_labels else ()
        point_labels: tuple[tuple[str, ...], ...] = ()
        if b.kind == "waterfall" and b.series:
            vals = b.series[0].values
            plan = waterfall_series(vals)
            if plan is None:
                chart_type = "bar"
                self.warnings.append(f"chart {b.id!r}: waterfall goes below zero; drawn as columns")
                series = [SeriesPlan(b.series[0].name, vals, _hex(c.secondary), number_format=fmt)]
                point_labels = (row,)
            else:
                base, up, down, tot = plan
                def parts(values):
                    return number_format(b, values).split(";")[:2]

                (up_pos, _), (_, down_neg), (tot_pos, tot_neg) = parts(up), parts(down), parts(tot)
                series = [
                    SeriesPlan("base", base, "FFFFFF", invisible=True, labels=False),
                    SeriesPlan("+", up, _hex(c.secondary), number_format=f"{up_pos};;;"),
                    SeriesPlan("−", down, _hex(c.accent), number_format=f"{down_neg};;;"),
                    SeriesPlan("=", tot, _hex(c.primary), number_format=f"{tot_pos};{tot_neg};;"),
                ]
                point_labels = ((), *(tuple(lab if i < len(part) and part[i] else "" for i, lab in enumerate(row))
                                      for part in (up, down, tot)))
        else:
            for i, s in enumerate(b.series):
                series.append(SeriesPlan(M.clean(s.name), tuple(s.values), palette[i % len(palette)],
                                         labels=b.kind == "bar", number_format=with_zero(number_format(b, s.values))))
            if b.kind == "bar":
                point_labels = tuple(tuple(M.clean(x) for x in r) for r in b.value_labels)
            elif row:  # a line: its start, lowest point and end carry the figures
                vals = b.series[0].values if b.series else ()
                keep = {0, len(row) - 1, min(range(len(vals)), key=lambda i: vals[i])} if vals else set()
                point_labels = (tuple(x if i in keep else "" for i, x in enumerate(row)),)
        mark = payback_point(b)
        if mark is not None:  # the payback marker: one point on the zero line, labelled
            idx, _ = mark
            series.append(SeriesPlan(M.clean(b.marker_label) or "payback",
                                     tuple(0.0 if i == idx else None for i in range(len(b.categories))),  # type: ignore[misc]
                                     _hex(c.accent), labels=True))
            point_labels = (*(point_labels or tuple(() for _ in b.series)),
                            tuple(M.clean(b.marker_label) if i == idx else "" for i in range(len(b.categories))))
        pieces = M.pieces(" ".join(b.categories) or "a", self.brand.body, self.doc.language)
        cs = next((p.family.name for p in pieces if p.script in complex_scripts()), "")
        if not cs:
            role = self.brand.body.by_script
            script = M.lang_script(self.doc.language)
            cs = role[script].name if script in role and script != "latin" else ""
        return ChartPlan(
            kind="chart", box=box, name=f"chart {b.id}", chart_type=chart_type,
            categories=tuple(M.clean(x) for x in b.categories), series=tuple(series), title=title,
            axis_format=fmt, font_size=font, label_size=max(self.fit.min_pt, font - 1), latin=self.fit.latin_name, cs=cs,
            lang=language(self.doc.language).ooxml_tag,
            legend=b.kind == "bar" and len(series) > 1, text_color=_hex(c.text), grid_color=tint(c.muted, 0.8),
            category_title=M.clean(b.axis_label) if b.kind == "payback" else "", alt=M.clean(chart_alt(b)),
            axis_ticks=tuple(ticks), point_labels=point_labels)

    # ------------------------------------------------------------------ framework

    def visit_framework_graphic(self, b: FrameworkGraphic, w: float) -> Row:
        cap = [spec(b.caption, italic=True, color=self.c.muted)] if b.caption else []
        cap_h = self.fit.height(cap, 9.0, w, (0, 2, 0, 0)) if cap else 0.0

        def build(x, y, bw, h):
            return [self.framework(b, x, y, bw, h - cap_h, cap, cap_h)]

        tall = max(150.0, w * 0.42)  # taller than that, the zones are mostly empty panels
        return Row(100.0 + cap_h, 150.0 + cap_h, tall + cap_h, build, (b,))

    def framework(self, b: FrameworkGraphic, x, y, w, h, cap, cap_h) -> GroupPlan:
        """The framework's shared marks (:mod:`roi_in_a_box.render.framework`) as native
        shapes over the whole slot."""
        fh, top = h, y  # the slot's height: the marks scale with it
        children: list[ShapePlan] = []
        from roi_in_a_box.render.pdf.charts import label_measure
        from roi_in_a_box.render.pdf.styles import styles_for

        measure = label_measure(styles_for(self.brand), self.doc.language)
        for m in framework_marks(b, self.brand.colors, w, fh, measure):
            box = Box.pt(x + m.x, top + m.y, m.w, m.h)
            if m.geometry == "line":
                children.append(LineShape(kind=m.kind, box=box, color=m.line or "000000", width=m.line_w,
                                          dashed=m.dashed, name=m.name))
                continue
            frame = TextFrame(())
            if m.text:
                frame, _ = self.fit.fit([spec(m.text, bold=m.bold, color=m.color, align=m.align, role="body")],
                                        m.w, m.h, m.size, MIN_LABEL, insets=m.inset, anchor=m.anchor,
                                        floor=MIN_LABEL, problems=self.problems, what=f"framework {m.name}")
            children.append(TextShape(kind=m.kind, box=box, frame=frame, geometry=m.geometry, fill=m.fill,
                                      line=m.line, line_w=m.line_w, dashed=m.dashed, radius=m.radius, name=m.name))
        if cap:
            frame, _ = self.fit.fit(cap, w, cap_h, 9.0, 6.0, insets=(0, 2, 0, 0), problems=self.problems,
                                    what=f"framework caption {b.id!r}")
            children.append(TextShape(kind="caption", box=Box.pt(x, top + fh, w, cap_h), frame=frame,
                                      name=f"framework {b.id} caption"))
        return GroupPlan(kind="framework", box=Box.pt(x, top, w, fh + cap_h), children=tuple(children),
                         name=f"framework {b.id}", alt=M.clean(framework_alt(b)))

    # ------------------------------------------------------------------ images, columns

    def _image_size(self, b: Image, max_w: float, max_h: float) -> tuple[float, float]:
        iw, ih = _image_px(b.path)
        w = min(b.width_pt, max_w)
        h = w * ih / iw if iw else w
        if h > max_h:
            w, h = w * max_h / h, max_h
        return w, h

    def visit_image(self, b: Image, w: float) -> Row:
        iw, ih = self._image_size(b, w, 400.0)

        def build(x, y, bw, h):
            pw, ph = self._image_size(b, bw, h)
            return [PicturePlan(kind="picture", box=Box.pt(x, y, pw, ph), path=b.path, alt=b.alt,
                                name=f"picture {b.id}")]

        return Row(min(ih, 30.0), ih, ih, build, (b,))

    def visit_columns(self, b: Columns, w: float) -> Row:
        n = len(b.columns)
        weights = list(b.weights) + [1.0] * (n - len(b.weights))
        gutter = 16.0
        total = sum(weights[:n]) or 1.0
        avail = w - gutter * (n - 1)
        widths = [avail * wt / total for wt in weights[:n]]
        mins, prefs, maxs = [], [], []
        for col, cw in zip(b.columns, widths):
            rows = self.rows(col, cw)
            g = GAP * max(0, len(rows) - 1)
            req = [r for r in rows if all(x.priority == 0 for x in r.blocks)]
            mins.append(sum(r.min_h for r in req) + GAP * max(0, len(req) - 1))
            prefs.append(sum(r.pref_h for r in rows) + g)
            maxs.append(sum(r.max_h for r in rows) + g)

        def build(x, y, bw, h):
            out: list[ShapePlan] = []
            cx = x
            for col, cw in zip(b.columns, widths):
                cw2 = cw * (bw - gutter * (n - 1)) / avail
                out.extend(self.stack(col, cx, y, cw2, h, where=f"columns {b.id!r}"))
                cx += cw2 + gutter
            return out

        return Row(max(mins or [0]), max(prefs or [0]), max(maxs or [0]), build, (b,))


_IMAGE_PX: NamedCache[str, tuple[int, int]] = NamedCache("pptx.image_sizes", 1024)


def _image_px(path: str) -> tuple[int, int]:
    hit = _IMAGE_PX.get(str(path))
    if hit is None:
        from PIL import Image as PILImage

        with PILImage.open(path) as im:
            hit = _IMAGE_PX[str(path)] = im.size
    return hit


# --------------------------------------------------------------------------- chart helpers


def waterfall_series(vals: Sequence[float]):
    """(base, up, down, total) series for a waterfall drawn as stacked columns, or None.

    The last value is a total (drawn from zero) when it equals the sum of the others.
    Returns None when the running total goes below zero (an invisible base cannot draw it).
    """
    n = len(vals)
    if n == 0:
        return None
    last_total = n > 1 and abs(vals[-1] - sum(vals[:-1])) <= 1e-6 * max(1.0, max(abs(v) for v in vals))
    base, up, down, tot = [0.0] * n, [0.0] * n, [0.0] * n, [0.0] * n
    cum = 0.0
    for i, v in enumerate(vals):
        if last_total and i == n - 1:
            tot[i] = v
            continue
        if v >= 0:
            base[i], up[i] = cum, v
            cum += v
        else:
            cum += v
            base[i], down[i] = cum, -v
        if cum < 0:
            return None
    return tuple(base), tuple(up), tuple(down), tuple(tot)


def number_format(b: Chart, values: Sequence[float] | None = None) -> str:
    """An Excel number format ("positive;negative") matching the study's formatted labels
    ("$620K" → ``"$"#,##0,"K"``), scaled for ``values`` (default: all the chart's values)."""
    labels = [lab for row in b.value_labels for lab in row if lab]
    vals = [abs(v) for v in values] if values is not None else [abs(v) for s in b.series for v in s.values]
    big = max(vals, default=0.0)
    prefix = ""
    for lab in labels:
        lab = lab.lstrip("−-+ ")
        p = ""
        for ch in lab:
            if ch.isdigit():
                break
            p += ch
        if p:
            prefix = p.strip()
            break
    if big >= 1e6:
        body = '#,##0.0,,"M"'
    elif big >= 1e4:
        body = '#,##0,"K"'
    else:
        body = "#,##0"
    prefix = prefix.replace('"', "")
    pos = (f'"{prefix}"' if prefix else "") + body
    return f'{pos};"−{prefix}"{body}'



def with_zero(fmt: str) -> str:
    """``"pos;neg"`` with zero shown as the bare currency and 0 ("$0", never "$0K")."""
    pos, _, neg = fmt.partition(";")
    prefix = pos.split("#")[0].split("0")[0]
    return f'[=0]{prefix}"0";[>0]{pos};{neg or pos}' if prefix else f"[=0]0;[>0]{pos};{neg or pos}"


def axis_format(b: Chart) -> str:
    """An Excel number format that prints exactly the layout's tick labels
    (``Chart.tick_labels``: one unit per axis, e.g. "$0.5M", "฿2\u00a0ล้าน"), or ";;;" (no
    labels) where no number format can: native digits, or a unit that is not a power of
    1,000 (Thai แสน)."""
    labels = [M.clean(x) for x in b.tick_labels]
    if not b.ticks or any(ch.isdigit() and not ch.isascii() for lab in labels for ch in lab):
        return ";;;"
    zero = next((lab for x, lab in zip(b.ticks, labels) if x == 0), "0")
    ref, big = max(((lab, abs(x)) for x, lab in zip(b.ticks, labels) if x != 0), key=lambda p: p[1], default=("", 0.0))
    m = re.fullmatch(r"[-\u2212]?(\D*?)(\d[\d,]*)(?:\.(\d+))?(\D*)", ref)
    if not m or not big:
        return ";;;"
    prefix, whole, frac, suffix = m.group(1), m.group(2), m.group(3) or "", m.group(4)
    shown = float(whole.replace(",", "") + (f".{frac}" if frac else ""))
    power = round(math.log10(big / shown)) if shown else -1
    if power not in (0, 3, 6, 9, 12):
        return ";;;"
    neg = next((lab for x, lab in zip(b.ticks, labels) if x < 0), "-")
    sign = neg[0] if neg[:1] in ("-", "\u2212") else "-"

    def excel(v: float) -> str:  # what the format below prints for v
        if v == 0:
            return zero
        number = f"{abs(v) / 10 ** power:,.{len(frac)}f}"
        return ("" if v > 0 else sign) + prefix + number + suffix

    if any(excel(x) != lab for x, lab in zip(b.ticks, labels)):
        return ";;;"
    body = "#,##0" + (f".{'0' * len(frac)}" if frac else "") + "," * (power // 3)
    pos = (f'"{prefix}"' if prefix else "") + body + (f'"{suffix}"' if suffix else "")
    return f'[=0]"{zero}";[>0]{pos};"{sign}"{pos}'


def payback_point(b: Chart) -> tuple[int, float] | None:
    """(category index nearest the payback month, that month) for a payback chart with a marker."""
    if b.kind != "payback" or b.marker is None or not b.categories:
        return None
    try:
        months = [float(c) for c in b.categories]
    except ValueError:
        return None
    idx = min(range(len(months)), key=lambda i: abs(months[i] - b.marker))  # type: ignore[operator]
    return idx, b.marker


def plan_document(doc: Document, brand: Brand, width: int = emu(SLIDE_W_PT), height: int = emu(SLIDE_H_PT),
                  layouts: dict[str, LayoutInfo] | None = None, default_layout: str = "Title Only") -> DeckPlan:
    """The slide plan for ``doc``: one :class:`SlidePlan` per page."""
    return SlidePlanner(doc, brand, width, height, layouts, default_layout).plan()


__all__ = [
    "Box", "RunPlan", "ParaPlan", "TextFrame", "ShapePlan", "TextShape", "LineShape", "GroupPlan", "TablePlan",
    "SeriesPlan", "ChartPlan", "PicturePlan", "SlidePlan", "LayoutInfo", "DeckPlan", "plan_document", "walk",
]
