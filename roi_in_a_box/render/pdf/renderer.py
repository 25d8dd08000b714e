"""PDF writer: the neutral document tree to a branded, byte-reproducible PDF (ReportLab platypus).

``PdfRenderer().render(doc, brand, path)`` writes the file atomically and returns a
:class:`RenderResult`; ``PdfRenderer().count_pages(doc, brand)`` lays the document out
without writing anything, for fitting to ``doc.max_pages``.

One ``visit_<block>`` per block type returns a list of flowables; ``ctx`` carries the
width available to the block (columns narrow it), the language and warnings.  Each tree
``Page`` starts a new PDF page.  All text goes through ``render/pdf/text.py`` (escaping,
per-script fonts, shaping, Thai breaks).  Fonts are embedded subsets only: the canvas'
initial font and every table's font are the brand body font, never Helvetica.
"""

from __future__ import annotations

import io
from contextvars import ContextVar
import math
from dataclasses import dataclass, field
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.colors import white
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Image as RLImage
from reportlab.platypus import PageBreak, Spacer, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate, LayoutError, PageTemplate
from reportlab.platypus.flowables import Flowable
from reportlab.platypus.frames import Frame

from roi_in_a_box.brand.company_look import PageHeaderLook, page_header, themed_brand, title_rule
from roi_in_a_box.brand.images import ImageError, check_image
from roi_in_a_box.brand.model import Brand
from roi_in_a_box.layout.alt_text import chart_alt, framework_alt
from roi_in_a_box.layout.tree import (
    Callout, Cards, Chart, Columns, Document, Footnotes, FrameworkGraphic, Heading, Image, Paragraph,
    Quote, Run, StatTiles, Table as TableBlock, iter_blocks,
)
from roi_in_a_box.render.base import Measurement, Renderer, RenderResult
from roi_in_a_box.render.pdf import archival, images
from roi_in_a_box.render.pdf.charts import ChartFlowable, FrameworkFlowable
from roi_in_a_box.render.pdf.flowables import (
    ColumnsRow, Inline, KeptTable, Label, Panel, Pill, Row, Rule, Stars, text_width,
)
from roi_in_a_box.render.pdf.styles import (
    GAP, GAP_L, GAP_S, GAP_XS, RADIUS, Styles, hex_color, on_color, styles_for, tint,
)
from roi_in_a_box.render.pdf.tagging import StructNode, TaggingCanvas, tag, text_lang
from roi_in_a_box.render.pdf.text import draw_label, make_paragraph
from roi_in_a_box.text.languages import language
from roi_in_a_box.text.links import safe_link

PAGE_SIZES = {"letter": letter, "a4": A4}
# Binary (Flate only) streams: ASCII85 makes PDFs 25% larger and costs ~10% of render time.
rl_config.useA85 = 0
FOOTER_H = 22.0  # footer strip inside the bottom margin box: rule + one line
# the company page header (brand/company_look.py): band, logo row, rule; distances from the top edge
BAND_H = 6.0
HEADER_LOGO_TOP = 16.0
HEADER_LOGO_H = 20.0
HEADER_RULE = HEADER_LOGO_TOP + HEADER_LOGO_H + 6.0
HEADER_GAP = 12.0  # between the rule and the first line of content
COLUMN_GAP = 16.0
CREATOR = "roi-in-a-box"
TOO_LONG = 10_000  # count_pages() answer when some block cannot be laid out at all


@dataclass
class Ctx:
    """What a block is rendered into: its width, the language, warnings, and the structure
    element its content belongs under (tagged PDF)."""

    width: float
    lang: str
    warnings: list[str] = field(default_factory=list)
    parent: StructNode = field(default_factory=lambda: StructNode("Document"))

    def narrower(self, width: float) -> "Ctx":
        return Ctx(width, self.lang, self.warnings, self.parent)

    def under(self, parent: StructNode) -> "Ctx":
        return Ctx(self.width, self.lang, self.warnings, parent)


def _set_space_before(f: Flowable, space: float) -> None:
    f.spaceBefore = max(space, f.getSpaceBefore() or 0.0)


def _no_draw(*_args, **_kwargs) -> None:
    return None


class _CountFrame(Frame):
    """A frame that places flowables (wrap, split, advance) without drawing them: page
    counting needs the layout, not the ink."""

    def _add(self, flowable, canv, trySplit=0):
        flowable.drawOn = _no_draw  # instance attribute shadows the class method
        try:
            return super()._add(flowable, canv, trySplit)
        finally:
            flowable.__dict__.pop("drawOn", None)

    add = _add  # Frame aliases add = _add at class level


# How far down its body the last page of this context's latest typesetting is filled (0..1):
# measure() reports it; kept out of the shared renderer, which holds no per-document state.
_LAST_FILL: ContextVar[float | None] = ContextVar("pdf_last_fill", default=None)


def _per_row(n: int, width: float, min_width: float) -> int:
    """Items per row of a grid: as many as fit at ``min_width``, rows balanced (5 -> 3 + 2)."""
    fit = max(1, int((width + GAP_S) // (min_width + GAP_S)))
    rows = -(-n // fit)
    return max(1, -(-n // max(rows, 1)))


def _shared_widths(natural: list[float], width: float, padding: float) -> list[float]:
    """Column widths for a table whose natural widths exceed ``width`` (as HTML's auto
    layout): every column keeps a minimum (``padding`` plus about two words), and the space
    above the minimums is shared in proportion to what each column would still like."""
    if sum(natural) <= width:
        return [w * width / sum(natural) for w in natural]
    floor = [min(w, padding + 36.0) for w in natural]
    if sum(floor) >= width:  # too many columns for the space: equal shares of what there is
        return [width / len(natural)] * len(natural)
    want = [w - f for w, f in zip(natural, floor)]
    share = (width - sum(floor)) / sum(want)
    return [f + x * share for f, x in zip(floor, want)]


class _Template(BaseDocTemplate):
    """Page template with one frame and the page furniture (brand bar, footer, watermark)."""

    def __init__(self, target, doc: Document, st: Styles, page_counter: list[int], draw: bool = True,
                 header: PageHeaderLook | None = None):
        size = PAGE_SIZES.get(doc.page_size, letter)
        top, right, bottom, left = doc.margins_pt
        if header is not None:  # the content starts below the company header
            top = max(top, HEADER_RULE + HEADER_GAP)
        super().__init__(
            target, pagesize=size, leftMargin=left, rightMargin=right, topMargin=top, bottomMargin=bottom,
            title=doc.title, author=doc.author or None, subject=doc.subject or None,
            keywords=list(doc.keywords), creator=CREATOR, lang=doc.language or None, invariant=1,
            initialFontName=st.body_font, initialFontSize=9.5, displayDocTitle=1,
        )
        self._st, self._tree, self._counter, self._draw = st, doc, page_counter, draw
        self._header = header
        frame = (Frame if draw else _CountFrame)(left, bottom + FOOTER_H, size[0] - left - right, size[1] - top - bottom - FOOTER_H,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._furniture,
                                            onPageEnd=self._page_end, pagesize=size)])

    def _furniture(self, canv, _doc) -> None:
        p = self._st.p
        w, h = self.pagesize
        n = canv.getPageNumber()
        self._counter[0] = max(self._counter[0], n)
        if not self._draw:
            return
        canv.saveState()
        if self._header is not None:
            self._company_header(canv)
        else:
            canv.setFillColor(p.primary)  # a thin brand bar along the top edge
            canv.rect(0, h - 5, w, 5, stroke=0, fill=1)
        y_rule = self.bottomMargin + FOOTER_H - GAP_S
        canv.setStrokeColor(p.rule)
        canv.setLineWidth(0.5)
        canv.line(self.leftMargin, y_rule, w - self.rightMargin, y_rule)
        canv.restoreState()

    def _company_header(self, canv) -> None:
        """The company templates' header on every page: the master's band along the top edge
        (its coloured segments), the logo on the Word header's side, the header text on the
        other side, the header's rule under both.  All of it is an artifact (page furniture)."""
        hd, st, p = self._header, self._st, self._st.p
        assert hd is not None
        w, h = self.pagesize
        for band in hd.bands or ():
            canv.setFillColor(hex_color(band.color))
            canv.rect(band.x * w, h - BAND_H, band.width * w, BAND_H, stroke=0, fill=1)
        left, right = self.leftMargin, w - self.rightMargin
        logo_w = 0.0
        if hd.logo is not None:
            try:
                _, iw, ih = check_image(hd.logo)
            except (ImageError, OSError):
                iw = ih = 0
            if iw and ih:
                logo_w = HEADER_LOGO_H * iw / ih
                x = left if hd.logo_position == "left" else right - logo_w
                # by content, not file name: the re-encoded file lives in a per-process folder,
                # and ReportLab names a file's XObject after its path (bytes would differ per run)
                canv.drawImage(ImageReader(str(hd.logo)), x, h - HEADER_LOGO_TOP - HEADER_LOGO_H, logo_w,
                               HEADER_LOGO_H, mask="auto")
        if hd.text:
            at_right = hd.logo_position == "left"
            draw_label(canv, right if at_right else left, h - HEADER_LOGO_TOP - HEADER_LOGO_H / 2 - 2.5, hd.text,
                       7.5, p.muted, st.body_role, align="right" if at_right else "left", bold=True,
                       max_width=self.width - logo_w - 24, lang=self._tree.language)
        if hd.rule_color:
            canv.setStrokeColor(hex_color(hd.rule_color))
            canv.setLineWidth(1)
            canv.line(left, h - HEADER_RULE, right, h - HEADER_RULE)

    def _page_end(self, canv, _doc) -> None:
        """Footer text after the content (so text extraction reads it last), then the watermark."""
        if not self._draw:
            return
        st, p, tree = self._st, self._st.p, self._tree
        w = self.pagesize[0]
        n = canv.getPageNumber()
        base = self.bottomMargin + 2
        if tree.footer:
            draw_label(canv, self.leftMargin, base, tree.footer, 7, p.muted, st.body_role, align="left",
                       max_width=self.width - 48, lang=tree.language)
        draw_label(canv, w - self.rightMargin, base, str(n), 7.5, p.muted, st.body_role,
                   align="right", bold=True, lang=tree.language)
        self._watermark(canv)

    def _watermark(self, canv) -> None:
        text = self._tree.watermark
        if not text.strip():
            return
        st = self._st
        w, h = self.pagesize
        canv.saveState()
        # Multiply: the light watermark tints paper and panels but never covers dark text
        # (text colours set an opaque fill alpha, so transparency would not survive).
        canv.setBlendMode("Multiply")
        canv.translate(w / 2, h / 2)
        canv.rotate(math.degrees(math.atan2(h, w)))
        size = 96.0
        draw_label(canv, 0, -size * 0.35, text, size, tint(st.p.muted, 0.16), st.heading_role, align="center",
                   bold=True, max_width=math.hypot(w, h) * 0.62, lang=self._tree.language)
        canv.restoreState()


class PdfRenderer(Renderer):
    format = "pdf"
    extension = ".pdf"
    tagged = True  # False only for bench/run.py, which reports what tagging costs
    # per-document state of the writer (set on the copy that for_document() makes)
    _root: StructNode  # the structure tree being built
    _canvas: Canvas  # the canvas the document was drawn on (MCIDs and links per page)
    _tagging: bool
    _notes: int  # footnotes so far (unique Note IDs)
    _top: int  # the document's top section heading level
    _section: StructNode  # where blocks go: Document or the current Sect
    _heading: int  # the last heading's structure level
    _st: Styles  # the document's styles, set on its for_document() copy
    _title_rule: tuple[str, float] | None  # colour and width of the line under the title

    # ------------------------------------------------------------------ entry points

    def render(self, doc: Document, brand: Brand, path: Path) -> RenderResult:
        """Write ``doc`` as a PDF at ``path`` (the build pipeline makes the write atomic)."""
        data, pages, warnings = self.render_bytes(doc, brand)
        Path(path).write_bytes(data)
        return RenderResult(path=Path(path), pages=pages, warnings=warnings)

    def render_bytes(self, doc: Document, brand: Brand) -> tuple[bytes, int, list[str]]:
        """The PDF as bytes, its page count and warnings (no file): tagged, PDF/UA-1 and
        PDF/A-2a (``render/pdf/archival.py``)."""
        buf = io.BytesIO()
        pages, warnings, writer = self._build(doc, brand, buf, save=True)
        if not self.tagged:
            return buf.getvalue(), pages, warnings
        meta = archival.Metadata(
            title=doc.title, language=doc.language, authors=doc.authors, publisher=doc.author,
            subject=doc.subject, keywords=doc.keywords, date=doc.date, creator=CREATOR)
        assert isinstance(writer._canvas, TaggingCanvas)
        data = archival.finish(buf.getvalue(), writer._root, writer._canvas, meta)
        return data, pages, warnings

    def count_pages(self, doc: Document, brand: Brand) -> int:
        """Pages ``doc`` would take, laid out exactly as :meth:`render` does but without
        drawing or serialising anything (about a third of the cost of a render).  A block too large for any
        page gives ``TOO_LONG``, so fitting keeps removing optional blocks."""
        try:
            pages, _, _ = self._build(doc, brand, io.BytesIO(), save=False)
        except LayoutError:
            return TOO_LONG
        return pages

    def measure(self, doc: Document, brand: Brand) -> Measurement:
        """For PDF output the last typesetting of fitting *is* the file: keep its bytes."""
        data, pages, warnings = self.render_bytes(doc, brand)
        return Measurement(pages, data, tuple(warnings), last_fill=_LAST_FILL.get())

    def fits(self, doc: Document, brand: Brand) -> bool:
        return self.count_pages(doc, brand) <= doc.max_pages

    def _build(self, doc: Document, brand: Brand, target, save: bool) -> tuple[int, list[str], PdfRenderer]:
        """Lay out (and with ``save`` draw) ``doc``: pages, warnings, and the document's writer
        (its structure tree and canvas, for the tagged file)."""
        brand, notes = themed_brand(brand)
        st = styles_for(brand)
        counter = [0]
        template = _Template(target, doc, st, counter, draw=save, header=page_header(brand))
        template._doSave = int(save)
        writer = self.for_document()
        writer._st = st
        writer._title_rule = title_rule(brand)
        writer._root = StructNode("Document", lang=doc.language)
        writer._tagging = save and self.tagged
        writer._notes = 0
        ctx = Ctx(template.width, doc.language or "en", warnings=list(notes), parent=writer._root)
        story = writer.story(doc, ctx) or [Spacer(1, 1)]  # a PDF needs at least one page
        template.build(story, canvasmaker=TaggingCanvas if writer._tagging else Canvas)
        writer._canvas = template.canv
        frame = getattr(template, "frame", None)  # the last page's frame: how far down it was filled
        _LAST_FILL.set(min(max((frame._y2 - frame._y) / frame._height, 0.0), 1.0)
                       if frame is not None and frame._height else None)
        return max(counter[0], 1), ctx.warnings, writer  # an empty story still makes one (blank) page

    def story(self, doc: Document, ctx: Ctx) -> list[Flowable]:
        story: list[Flowable] = []
        levels = [b.level for page in doc.pages for b in iter_blocks(page.blocks)
                  if isinstance(b, Heading) and b.level > 0]
        self._top, self._section, self._heading = min(levels, default=1), ctx.parent, 0
        for i, page in enumerate(doc.pages):
            if i:
                story.append(PageBreak())
            story.extend(self.blocks(page.blocks, ctx))
        return story

    def blocks(self, blocks, ctx: Ctx) -> list[Flowable]:
        """Flowables for ``blocks``.  Each heading of the document's top section level opens
        a Sect of the structure tree that holds everything up to the next one, in reading
        order (across pages and columns: columns are only layout); the title stays above."""
        out: list[Flowable] = []
        for block in blocks:
            if isinstance(block, Heading) and block.level in (0, self._top):
                self._section = self._root if block.level == 0 else self._root.add("Sect")
            self._append(out, self.visit(block, ctx if isinstance(block, Columns) else ctx.under(self._section)))
        return out

    @staticmethod
    def _append(out: list[Flowable], flowables: list[Flowable]) -> None:
        if not flowables:
            return
        if out:
            _set_space_before(flowables[0], GAP)
        out.extend(flowables)

    # ------------------------------------------------------------------ helpers

    def _para(self, text_or_runs, style, ctx: Ctx, heading: bool = False, bold: bool = False,
              node: StructNode | None = None):
        """A paragraph; with ``node``, its content is that structure element's."""
        role = self._st.heading_role if heading else self._st.body_role
        para = make_paragraph(text_or_runs, style, role, ctx.lang, bold)
        if node is not None:
            tag(para, node)
        return para

    def _node(self, parent: StructNode, role: str, text: str, ctx: Ctx, **attrs) -> StructNode:
        """A structure element under ``parent`` with the language of its ``text`` (worked
        out only when the file is written: fitting lays documents out many times)."""
        return parent.add(role, lang=text_lang(text, ctx.lang) if self._tagging else "", **attrs)

    # ------------------------------------------------------------------ blocks

    def visit_heading(self, b: Heading, ctx: Ctx) -> list[Flowable]:
        st = self._st
        # headings never skip a level (PDF/UA): a level-3 heading right after the title is an H2
        level = 1 if b.level <= 0 else min(b.level, 3, self._heading + 1)
        self._heading = level
        role = "Title" if b.level <= 0 else f"H{level}"
        para = self._para(b.text, st.heading_style(b.level), ctx, heading=True, bold=b.level <= 2,
                          node=self._node(ctx.parent, role, b.text, ctx))
        if b.level == 0:
            para.spaceAfter = GAP_XS
            if self._title_rule is None:
                return [para]
            color, width = self._title_rule  # the company Word template's Title border
            rule = Rule(hex_color(color), None, width)
            rule.spaceBefore, rule.spaceAfter = GAP_XS, GAP_S
            para.keepWithNext = 1
            return [para, rule]
        if b.level == 1:
            rule = Rule(st.p.accent, 24, 2)
            rule.spaceBefore = GAP_XS + 1
            head = Panel([para, rule])
            head.spaceBefore, head.keepWithNext = GAP_L, 1
            return [head]
        para.spaceBefore = GAP
        para.keepWithNext = 1
        return [para]

    def visit_paragraph(self, b: Paragraph, ctx: Ctx) -> list[Flowable]:
        st = self._st
        style = {"lead": st.lead, "small": st.small}.get(b.style, st.body)
        node = self._node(ctx.parent, "P", b.text, ctx)
        node.links = {link: r.text for r in b.runs if (link := safe_link(r.link))}
        return [self._para(b.runs, style, ctx, node=node)]

    def visit_stat_tiles(self, b: StatTiles, ctx: Ctx) -> list[Flowable]:
        st, p = self._st, self._st.p
        if not b.tiles:
            return []
        per_row = _per_row(len(b.tiles), ctx.width, 96)
        rows: list[Flowable] = []
        items = ctx.parent.add("L")
        for start in range(0, len(b.tiles), per_row):
            panels = []
            for t in b.tiles[start:start + per_row]:
                item = items.add("LI")
                value = Label(t.value, st.tile_value, st.heading_role, ctx.lang, p.primary,
                              p.accent, tint(p.muted, 0.3), bold=True)
                content: list[Flowable] = [tag(value, self._node(item, "Lbl", t.value, ctx))]
                body = item.add("LBody")
                if t.label:
                    lab = self._para(t.label, st.tile_label, ctx, bold=True, node=self._node(body, "P", t.label, ctx))
                    lab.spaceBefore = GAP_XS
                    content.append(lab)
                if t.definition:
                    d = self._para(t.definition, st.tile_def, ctx, node=self._node(body, "P", t.definition, ctx))
                    d.spaceBefore = 2
                    content.append(d)
                panels.append(Panel(content, padding=(9, 10, 9, 12), bg=p.wash, radius=RADIUS,
                                    bar=None))
            while len(panels) < per_row and start:  # keep tile widths equal on the last row
                panels.append(Panel([]))
            row = Row(panels, GAP_S)
            if rows:
                row.spaceBefore = GAP_S
            rows.append(row)
        return rows

    def visit_quote(self, b: Quote, ctx: Ctx) -> list[Flowable]:
        st, p = self._st, self._st.p
        content: list[Flowable] = []
        quote = ctx.parent.add("BlockQuote")
        if b.badge:
            color = p.roi_color(b.roi_type)
            content.append(tag(Pill(b.badge, st.tiny, st.body_role, ctx.lang, color, on_color(color, p.text)), None))
        if b.heading:
            head = self._para(b.heading, st.quote_head, ctx, heading=True, bold=True,
                              node=self._node(quote, "P", b.heading, ctx))
            head.spaceBefore = GAP_XS if content else 0
            content.append(head)
        if b.claim:
            claim = self._para(b.claim, st.claim, ctx, node=self._node(quote, "P", b.claim, ctx))
            claim.spaceBefore = 2
            content.append(claim)
        if not b.text:
            return [Panel(content)] if content else []
        meta: list[Flowable] = []
        if b.stars is not None and ctx.width > 300:  # cards: the detail line gives the stars
            meta.append(tag(Stars(b.stars, p.accent, tint(p.muted, 0.3), size=8.5), None))
        if b.label:
            meta.append(tag(Pill(b.label, st.tiny, st.body_role, ctx.lang, tint(p.muted, 0.14), p.text),
                            self._node(quote, "P", b.label, ctx)))
        if meta:
            line = Inline(meta, GAP_S)
            line.spaceBefore = GAP_XS
            content.append(line)
        narrow = ctx.width <= 300  # a card in a grid: set tighter, so a one-pager keeps more
        body = self._para(language(ctx.lang).quote(b.text), st.quote_narrow if narrow else st.quote, ctx,
                          node=self._node(quote, "Quote", b.text, ctx))
        body.spaceBefore = (GAP_XS + 2 if narrow else GAP_S) if content else 0
        content.append(body)
        if b.attribution:
            a = self._para(b.attribution, st.attribution, ctx, bold=True,
                           node=self._node(quote, "P", b.attribution, ctx))
            a.spaceBefore = GAP_XS + 2 if narrow else GAP_S
            content.append(a)
        if b.detail:
            d = Label(b.detail, st.detail, st.body_role, ctx.lang, p.muted, p.accent, tint(p.muted, 0.3))
            vector_stars = any(kind != "text" for kind, _ in d.parts)  # drawn as shapes: no text of their own
            tag(d, self._node(quote, "P", b.detail, ctx, actual_text=b.detail if vector_stars else ""))
            d.spaceBefore = 1
            content.append(d)
        return [Panel(content, padding=(2, 0, 2, 14), bar=p.accent, bar_width=2.5)]

    def visit_cards(self, b: Cards, ctx: Ctx) -> list[Flowable]:
        st, p = self._st, self._st.p
        if not b.cards:
            return []
        per_row = _per_row(len(b.cards), ctx.width, 150)
        rows: list[Flowable] = []
        items = ctx.parent.add("L")
        for start in range(0, len(b.cards), per_row):
            panels = []
            for card in b.cards[start:start + per_row]:
                content: list[Flowable] = []
                item = items.add("LI")
                color = p.roi_color(card.roi_type)
                if card.badge:
                    pill = Pill(card.badge, st.tiny, st.body_role, ctx.lang, color, on_color(color, p.text))
                    content.append(tag(pill, self._node(item, "Lbl", card.badge, ctx)))
                body = item.add("LBody")
                compact = not card.text  # title-only cards (one-pagers): pill beside the title, so more fit
                title = self._para(card.title, st.card_title, ctx, heading=True, bold=True,
                                   node=self._node(body, "P", card.title, ctx))
                if compact and content:
                    pill_w, _ = content[0].wrap(ctx.width, 100)
                    content = [Row([content[0], title], GAP_XS + 2, fixed=[pill_w, None])]
                else:
                    title.spaceBefore = GAP_S - 2 if content else 0
                    content.append(title)
                if card.text:
                    text = self._para(card.text, st.card_text, ctx, node=self._node(body, "P", card.text, ctx))
                    text.spaceBefore = 2
                    content.append(text)
                padding = (4, 8, 4, 8) if compact else (10, 10, 11, 10)
                panels.append(Panel(content, padding=padding, bg=white, border=p.rule,
                                    radius=RADIUS, top_bar=None))
            while len(panels) < per_row and start:
                panels.append(Panel([]))
            row = Row(panels, GAP_S)
            if rows:
                row.spaceBefore = GAP_S // 2 if not b.cards[0].text else GAP_S
            rows.append(row)
        return rows

    def visit_table(self, b: TableBlock, ctx: Ctx) -> list[Flowable]:
        st, p = self._st, self._st.p
        ncols = max([len(b.header), *(len(r) for r in b.rows)], default=0)
        if not ncols:
            return []
        aligns = [b.align[i] if i < len(b.align) else ("left" if i == 0 else "right") for i in range(ncols)]
        pad = 6.0
        data: list[list] = []
        natural = [0.0] * ncols
        emph = set(b.emphasis_rows)
        table_node = ctx.parent.add("Table")
        if b.header:
            row = []
            tr = table_node.add("TR")
            for i in range(ncols):
                text = b.header[i] if i < len(b.header) else ""
                style = st.cell[(aligns[i], True, True)]
                th = self._node(tr, "TH", text, ctx, scope="Column", once=True)  # repeated rows: artifacts
                row.append(self._para(text, style, ctx, heading=True, bold=True, node=th) if text else "")
                natural[i] = max(natural[i], text_width(text, style, st.heading_role, ctx.lang, True))
            data.append(row)
        for ri, r in enumerate(b.rows):
            bold = ri in emph
            row = []
            tr = table_node.add("TR")
            for i in range(ncols):
                text = r[i] if i < len(r) else ""
                style = st.cell[(aligns[i], False, bold)]
                td = self._node(tr, "TD", text, ctx)
                row.append(self._para(text, style, ctx, bold=bold, node=td) if text else "")
                natural[i] = max(natural[i], text_width(text, style, st.body_role, ctx.lang, bold))
            data.append(row)
        # first column takes what is left; the others their natural width (+ padding)
        widths = [w + 2 * pad + 2 for w in natural]
        rest = sum(widths[1:])
        if ncols > 1 and rest < ctx.width * 0.8:
            extra = (ctx.width - max(widths[0], ctx.width * 0.22) - rest) / (ncols - 1)
            widths = [0.0] + [w + max(extra, 0) * 0.6 for w in widths[1:]]
            widths[0] = ctx.width - sum(widths[1:])
        else:
            widths = _shared_widths(widths, ctx.width, 2 * pad + 2)
        hdr = 1 if b.header else 0
        cmds = [
            ("FONTNAME", (0, 0), (-1, -1), st.body_font),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), 4.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ("LINEBELOW", (0, -1), (-1, -1), 0.8, p.primary),
        ]
        if hdr:
            cmds += [("BACKGROUND", (0, 0), (-1, 0), p.primary),
                     ("TOPPADDING", (0, 0), (-1, 0), 5.5), ("BOTTOMPADDING", (0, 0), (-1, 0), 5.5)]
        if len(data) > hdr:
            cmds.append(("ROWBACKGROUNDS", (0, hdr), (-1, -1), [white, p.zebra]))
        for ri in sorted(emph):
            at = ri + hdr
            if at < len(data):
                cmds += [("LINEABOVE", (0, at), (-1, at), 0.8, p.text),
                         ("BACKGROUND", (0, at), (-1, at), tint(p.primary, 0.1))]
        table = KeptTable(data, colWidths=widths, repeatRows=hdr, hAlign="LEFT", style=TableStyle(cmds))
        out: list[Flowable] = [table]
        if b.caption:
            cap = self._para(b.caption, st.caption, ctx, node=self._node(ctx.parent, "P", b.caption, ctx))
            cap.spaceBefore = GAP_XS + 2
            out.append(cap)
        return out

    def visit_chart(self, b: Chart, ctx: Ctx) -> list[Flowable]:
        st = self._st
        if not any(s.values for s in b.series):
            ctx.warnings.append(f"{b.id or 'chart'}: no data; chart left out")
            return []
        content: list[Flowable] = []
        if b.title:
            content.append(self._para(b.title, st.chart_title, ctx, heading=True, bold=True,
                                      node=self._node(ctx.parent, "P", b.title, ctx)))
        chart = tag(ChartFlowable(b, st, ctx.lang), self._node(ctx.parent, "Figure", b.title, ctx, alt=chart_alt(b)))
        chart.spaceBefore = GAP_S if content else 0
        content.append(chart)
        if b.caption:
            cap = self._para(b.caption, st.caption, ctx, node=self._node(ctx.parent, "P", b.caption, ctx))
            cap.spaceBefore = GAP_XS
            content.append(cap)
        return [Panel(content)]

    def visit_framework_graphic(self, b: FrameworkGraphic, ctx: Ctx) -> list[Flowable]:
        st = self._st
        figure = self._node(ctx.parent, "Figure", b.caption, ctx, alt=framework_alt(b))
        content: list[Flowable] = [tag(FrameworkFlowable(b, st, ctx.lang), figure)]
        if b.caption:
            cap = self._para(b.caption, st.caption, ctx, node=self._node(ctx.parent, "P", b.caption, ctx))
            cap.spaceBefore = GAP_XS + 2
            content.append(cap)
        return [Panel(content)]

    def visit_image(self, b: Image, ctx: Ctx) -> list[Flowable]:
        if not b.path:
            return []
        try:
            _, w, h = check_image(Path(b.path))
        except (ImageError, OSError) as exc:
            ctx.warnings.append(f"{b.id or 'image'}: {b.path}: {exc}; image left out")
            return []
        width = min(b.width_pt, ctx.width)
        img = RLImage(b.path, width=width, height=width * h / w)
        img._img = images.reader(Path(b.path))  # decoded once per process (ReportLab would decode it per document)
        img.hAlign = "LEFT"
        # an image without alt text is decoration (an artifact), as PDF/UA asks
        return [tag(img, self._node(ctx.parent, "Figure", b.alt, ctx, alt=b.alt) if b.alt.strip() else None)]

    def visit_callout(self, b: Callout, ctx: Ctx) -> list[Flowable]:
        st, p = self._st, self._st.p
        content: list[Flowable] = []
        box = ctx.parent.add("Div")
        if b.title:
            content.append(self._para(b.title, st.callout_title, ctx, heading=True, bold=True,
                                      node=self._node(box, "P", b.title, ctx)))
        if b.text:
            t = self._para(b.text, st.callout_text, ctx, node=self._node(box, "P", b.text, ctx))
            t.spaceBefore = GAP_XS
            content.append(t)
        if b.link or b.link_text:
            label = b.link_text or b.link or ""
            safe = safe_link(b.link)
            node = self._node(box, "P", label, ctx)
            if safe:
                node = node.add("Link", links={safe: label})
            link = self._para((Run("\u2192 "), Run(label, bold=True, link=b.link)), st.callout_link, ctx, node=node)
            link.spaceBefore = GAP_S
            content.append(link)
        if not content:
            return []
        return [Panel(content, padding=(14, 16, 15, 18), bg=tint(p.primary, 0.07), radius=6,
                      bar=None)]

    def visit_footnotes(self, b: Footnotes, ctx: Ctx) -> list[Flowable]:
        st, p = self._st, self._st.p
        if not b.items:
            return []
        out: list[Flowable] = [Rule(p.rule, None, 0.5)]
        notes = ctx.parent.add("Div")
        for i, item in enumerate(b.items, 1):
            self._notes += 1
            note = notes.add("Note", id=f"note-{self._notes}")
            num = self._para(str(i), st.footnote, ctx, bold=True, node=note.add("Lbl"))
            row = Row([num, self._para(item, st.footnote, ctx, node=self._node(note, "P", item, ctx))], 2,
                      fixed=[10, None])
            row.spaceBefore = GAP_S if i == 1 else 2
            out.append(row)
        return out

    def visit_columns(self, b: Columns, ctx: Ctx) -> list[Flowable]:
        cols = [c for c in b.columns]
        if not cols:
            return []
        weights = [b.weights[i] if i < len(b.weights) and b.weights[i] > 0 else 1.0 for i in range(len(cols))]
        free = ctx.width - COLUMN_GAP * (len(cols) - 1)
        total = sum(weights)
        contents = [self.blocks(col, ctx.narrower(free * w / total)) for col, w in zip(cols, weights)]
        return [ColumnsRow.of(contents, COLUMN_GAP, weights)]


__all__ = ["TOO_LONG", "Ctx", "PdfRenderer"]
