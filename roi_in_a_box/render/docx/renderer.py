"""DOCX writer: the neutral tree -> a Word document with real styles, per-script fonts and
reproducible bytes.

Two stages per process, one per document:

* once per (template, brand, language): open the template (python-docx's stock one, or the
  brand's ``reference_docx`` after :func:`template_prep.checked`), set up
  styles (:mod:`.styles`), trim the stock template's unused parts and styles, and keep the
  result as bytes;
* per document: re-open those bytes (cheap: small parts), write the body as one XML string
  (blocks -> paragraphs/tables/drawings), parse it once, set section, header/footer and core
  properties, and save with fixed zip times.

Every run's text goes through ``strip_control`` and ``split_by_script``; each script run
gets ``w:rFonts`` (ascii/hAnsi = Latin family, cs = the run's Bengali/Thai family),
``w:b``+``w:bCs``, ``w:sz``+``w:szCs`` and ``w:lang w:bidi`` for Bengali/Thai.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import threading
from pathlib import Path

from roi_in_a_box.caches import NamedCache
from roi_in_a_box.brand.company_look import themed_brand
from roi_in_a_box.brand.model import Brand, FontFamily, FontRole
from roi_in_a_box.brand.ooxml_theme import read_theme, template_theme
from roi_in_a_box.brand.palette import framework_colors, on_hex
from roi_in_a_box.layout.alt_text import chart_alt, framework_alt
from roi_in_a_box.layout.chart_axis import aspect
from roi_in_a_box.layout.tree import (
    Block, Callout, Cards, Chart, Columns, Document, Footnotes, FrameworkGraphic, Heading, Image, Paragraph,
    Quote, StatTiles, Table,
)
from roi_in_a_box.render import ink
from roi_in_a_box.render.base import Measurement, Renderer, RenderResult
from roi_in_a_box.render.framework import Mark, framework_height, framework_marks
from roi_in_a_box.render.ooxml_package import reproducible_bytes, set_core_properties
from roi_in_a_box.text.links import safe_link
from roi_in_a_box.text.scripts import split_by_script, strip_control

from . import font_embed, page_model
from .drawing import group_run
from . import styles as st
from roi_in_a_box.brand.template_prep import checked
from .style_audit import reference_warnings
from .xml import NSDECL, esc, hexcolor, tint

PAGE_SIZES = {"letter": (612.0, 792.0), "a4": (595.28, 841.89), "16:9": (720.0, 405.0)}
EMU_PER_PT = 12700

_SPACER = ('<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="120" w:lineRule="exact"/></w:pPr></w:p>')

def _needed_spacers(out: list[str], spaced: tuple[str, ...]) -> list[str]:
    """``out`` without the spacer after a table where the next paragraph is a heading or a
    caption (``spaced``: it brings its own space).  The spacer keeps adjacent tables apart;
    before a caption or heading it is not needed, and LibreOffice then paginates a keep-with-next
    chain after it differently (a figure title left alone at a page foot, measured)."""
    return [x for k, x in enumerate(out)
            if not (x == _SPACER and k + 1 < len(out) and out[k + 1].startswith(spaced))]


_base_cache: NamedCache[tuple, tuple[bytes, st.StyleIds]] = NamedCache("docx.base_documents", 32)
_base_lock = threading.Lock()




def _template_key(brand: Brand) -> tuple:
    ref = brand.reference_docx
    if ref is None:
        return ("stock",)
    data = Path(ref).read_bytes()
    return ("ref", str(ref), hashlib.sha1(data).hexdigest())


def _brand_key(brand: Brand) -> tuple:
    """What the styles depend on: colours and each script's family (its name, whether it has
    an italic, and the family its italic is set in)."""
    def fams(role: FontRole) -> tuple:
        return tuple(sorted((k, v.name, v.for_italic().name, v.for_italic().italic is not None)
                            for k, v in role.by_script.items()))
    return (brand.colors, brand.kit_overrides, fams(brand.heading), fams(brand.body))


def base_key(brand: Brand, language: str) -> tuple:
    """What a document's styles, fonts and colours depend on: the template's content, the brand, the language."""
    return (_template_key(brand), _brand_key(brand), st.lang_info(language))


def base_document(brand: Brand, language: str, key: tuple | None = None) -> tuple[bytes, st.StyleIds]:
    """The styled, trimmed template as bytes, cached per :func:`base_key`."""
    key = key or base_key(brand, language)
    hit = _base_cache.get(key)
    if hit is not None:
        return hit
    import docx

    with _base_lock:
        hit = _base_cache.get(key)
        if hit is not None:
            return hit
        theme = None
        if brand.reference_docx is not None:
            data = checked(Path(brand.reference_docx), "docx").data
            theme = read_theme(data, "docx")
            document = docx.Document(io.BytesIO(data))
            _drop_styles_with_effects(document)
            stock = False
        else:
            document = docx.Document()
            _trim_stock(document)
            stock = True
        ids = st.setup_styles(document, brand, language, stock=stock, theme=theme)
        buf = io.BytesIO()
        document.save(buf)
        _base_cache[key] = (buf.getvalue(), ids)
        return _base_cache[key]



def _drop_parts(document, *reltypes: str) -> None:
    """Drop the main part's relationships of these types (their parts go with them)."""
    part = document.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype.endswith(reltypes):
            part.rels.pop(rid, None)


def _drop_styles_with_effects(document) -> None:
    """Word 2010's second copy of styles.xml (438 KB in the stock template; fails validation)."""
    _drop_parts(document, "/stylesWithEffects")


def _trim_stock(document) -> None:
    """Drop stock parts nobody needs: stylesWithEffects, customXml and the thumbnail (a
    picture of an empty page)."""
    _drop_parts(document, "/stylesWithEffects", "/customXml")
    pkg = document.part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            pkg.rels.pop(rid, None)


class DocxRenderer(Renderer):
    """``render(doc, brand, path)``: one DOCX per call; thread-compatible, not thread-safe per instance."""

    format = "docx"
    extension = ".docx"

    def __init__(self, chart_dpi: int = 200):
        self.chart_dpi = chart_dpi

    # ------------------------------------------------------------------ entry points

    def count_pages(self, doc: Document, brand: Brand) -> int:
        """Word and LibreOffice paginate the text themselves: the pages :mod:`.page_model`
        estimates for the file this tree becomes."""
        return self.measure(doc, brand).pages

    def measure(self, doc: Document, brand: Brand) -> Measurement:
        """The file itself, with the page model's count: the same count :meth:`count_pages`
        gives, so a fitting decision never depends on which of the two measured a tree."""
        writer = self.for_document()
        data = writer._package(doc, brand)
        estimate = page_model.estimate(data, brand)
        return Measurement(estimate.pages, data, tuple(writer.warnings),
                           last_fill=estimate.fills[-1] if estimate.fills else None)

    def render(self, doc: Document, brand: Brand, path: Path) -> RenderResult:
        writer = self.for_document()
        Path(path).write_bytes(writer._package(doc, brand))  # the build pipeline makes the write atomic
        return RenderResult(path=Path(path), pages=len(doc.pages), warnings=writer.warnings)

    def _package(self, doc: Document, brand: Brand) -> bytes:
        import docx

        brand, notes = themed_brand(brand)
        key = base_key(brand, doc.language)
        base, ids = base_document(brand, doc.language, key)
        # what blocks are written with (the font files too: their ink sets Bengali/Thai line
        # heights), as a string: its hash is kept, and every block lookup hashes it
        self.context = repr((key, brand.heading, brand.body))
        document = docx.Document(io.BytesIO(base))
        self._start(document, doc, brand, ids)
        self.warnings.extend(notes)
        section = document.sections[0]
        if brand.reference_docx is None:
            self._set_page(section, doc)
        elif None in (section.page_width, section.page_height, section.left_margin, section.right_margin,
                      section.top_margin, section.bottom_margin):  # pandoc's reference.docx: an empty sectPr
            self._set_page(section, doc)
            self.warnings.append("reference_docx has no page size or margins: the layout's page setup is used")
        self.width = (int(section.page_width or 0) - int(section.left_margin or 0)
                      - int(section.right_margin or 0)) // 635  # twips (all set by now)
        out: list[str] = []
        self.out = out
        for i, page in enumerate(doc.pages):
            self.pending_break = i > 0
            for block in title_first(page.blocks) if i == 0 else page.blocks:
                self.visit(block, self.width)
        body = document.element.body
        sect = body.find(_q("w:sectPr"))
        for old in list(body):  # a company reference.docx contributes styles and layout, not its text
            if old is not sect:
                body.remove(old)
        spaced = tuple(f'<w:p><w:pPr><w:pStyle w:val="{sid}"/>'
                       for sid in (ids.heading1, ids.heading2, ids.heading3, ids.caption))
        frag = _parse(f"<w:body {NSDECL}>{''.join(_needed_spacers(out, spaced))}</w:body>")
        for child in list(frag):
            if sect is not None:
                sect.addprevious(child)
            else:
                body.append(child)
        self._header_footer(section, doc, brand)
        set_core_properties(document.core_properties, title=doc.title, author=doc.author, subject=doc.subject,
                            keywords=", ".join(doc.keywords), language=doc.language)
        fonts = font_embed.embed_families(self._drawn_fonts(), italic=self._italic or brand.reference_docx is not None,
                                          warnings=self.warnings)
        deflated = font_embed.add_to_document(document, fonts)
        return reproducible_bytes(document.save, deflated)

    def _start(self, document, doc: Document, brand: Brand, ids: st.StyleIds) -> None:
        self.document = document
        self.part = document.part
        self.doc = doc
        self.brand = brand
        self.ids = ids
        self.warnings: list[str] = reference_warnings(brand.reference_docx) if brand.reference_docx else []
        self.script, self.latin_lang, self.bidi = st.lang_info(doc.language)
        # a company template's theme fonts win: runs name only the Bengali/Thai face
        self.theme = template_theme(brand.reference_docx, "docx") if brand.reference_docx else None
        self.theme_fonts = (self.theme is not None and brand.template_wins("fonts")
                            and bool(self.theme.major.latin and self.theme.minor.latin))
        self.pending_break = False
        self.pic_id = 0
        self._fonts: dict[tuple[str, str, bool], str] = {}
        self._drawn: dict[tuple[str, str, bool], set[str]] = {}  # (role, script, italic) -> characters, for embedding
        self._italic = False
        self._ink: list[tuple[tuple[str, ...], str, float]] = []  # (faces, text, size) set since the last paragraph
        self._style_lines: dict[str, tuple[float, float]] = {}
        self._level = 0  # the last heading's level: a value prop's title sits one below it
        c = brand.colors
        self.c_primary, self.c_text, self.c_muted = hexcolor(c.primary), hexcolor(c.text), hexcolor(c.muted)
        self.c_accent, self.c_secondary = hexcolor(c.accent), hexcolor(c.secondary)
        self.tint_primary = tint(c.primary, 0.88)
        self.tint_accent = tint(c.accent, 0.82)
        self.roi_fill = framework_colors(c).roi
        self.tint_muted = tint(c.muted, 0.9)

    def _set_page(self, section, doc: Document) -> None:
        from docx.shared import Pt

        w, h = PAGE_SIZES.get(doc.page_size, PAGE_SIZES["letter"])
        section.page_width, section.page_height = Pt(w), Pt(h)
        top, right, bottom, left = doc.margins_pt
        section.top_margin, section.right_margin = Pt(top), Pt(right)
        section.bottom_margin, section.left_margin = Pt(bottom), Pt(left)
        section.header_distance = Pt(min(top, 36) / 2)
        section.footer_distance = Pt(min(bottom, 36) / 2)

    # ------------------------------------------------------------------ study-level blocks, written once

    def visit(self, block: Block, width: int, top: bool = True) -> None:
        """Visit ``block``, or replay what visiting it wrote last time.

        A batch's study-level blocks (quotes, value props, methodology, use cases) are the
        same in every account's document; their XML, the characters they draw (for font
        embedding) and the state they leave depend only on the block, the width, the
        document's context (:func:`base_key`) and the little state they start from, so
        they are written once per process (:data:`_BLOCKS`).  Blocks that add package
        parts or relationships (pictures, charts, drawings, links) are written every time."""
        if not _replayable(block) or self._ink:
            super().visit(block, width, top)
            return
        key = (self.context, block, width, top, self.pending_break, self._level)
        hit = _BLOCKS.get(key)
        if hit is None:
            out, drawn, italic = self.out, self._drawn, self._italic
            self.out, self._drawn, self._italic = [], {}, False
            try:
                super().visit(block, width, top)
                hit = (tuple(self.out), tuple((k, frozenset(v)) for k, v in sorted(self._drawn.items())),
                       self._italic, self._level, self.pending_break)
            finally:
                self.out, self._drawn, self._italic = out, drawn, italic
            if self._ink:  # left runs for a paragraph after it (none does today): not replayable
                _BLOCKS.pop(key, None)
            else:
                _BLOCKS[key] = hit
        xml, chars, italic, self._level, self.pending_break = hit
        self.out.extend(xml)
        for k, v in chars:
            self._drawn.setdefault(k, set()).update(v)
        self._italic = self._italic or italic

    # ------------------------------------------------------------------ runs and paragraphs

    def _rfonts(self, role: str, script: str, italic: bool = False) -> str:
        key = (role, script, italic)
        s = self._fonts.get(key)
        if s is None:
            r = self.brand.heading if role == "heading" else self.brand.body
            if script not in ("bengali", "thai"):
                script = self.script
            if not self.theme_fonts:
                s = st.rfonts(st.family_name(r, "latin", italic), st.family_name(r, script, italic))
            elif script == "latin":
                s = ""  # the style's (the template's) fonts
            else:
                s = f'<w:rFonts w:cs="{esc(st.complex_font(self.theme, role, r, script, italic))}"/>'
            self._fonts[key] = s
        return s

    def _drawn_fonts(self) -> list[tuple[FontFamily, set[str]]]:
        """Which family draws which characters, for embedding (:mod:`.font_embed`).

        Word draws Bengali and Thai with the ``w:cs`` font and the rest with ``w:ascii``/
        ``w:hAnsi``; LibreOffice draws digits and punctuation with the font of the
        neighbouring script.  So the Latin family gets every character it has and, in Bengali
        and Thai runs (digits and punctuation included), the script family every character it
        has.  A character neither has (an arrow in a Latin run, say) goes to the family the
        PDF renderer would use for it (:func:`choose_family`: the fallbacks, the other
        scripts' families), which a reader's font fallback then finds among the embedded ones."""
        from roi_in_a_box.brand.fonts import choose_family, coverage

        out: dict[str, tuple[FontFamily, set[str]]] = {}

        def add(fam: FontFamily, ch: str) -> None:
            entry = out.get(fam.name)
            if entry is None:
                entry = out[fam.name] = (fam, set())
            entry[1].add(ch)

        for (role, script, italic), chars in sorted(self._drawn.items()):
            r = self.brand.heading if role == "heading" else self.brand.body
            complex_run = script in ("bengali", "thai") or (script not in ("latin", "bengali", "thai")
                                                            and self.script != "latin")
            run_script = (script if script in ("bengali", "thai") else self.script) if complex_run else "latin"
            latin = st.family(r, "latin", italic)
            cs = st.family(r, run_script, italic)
            latin_cov, cs_cov = coverage(latin.regular), coverage(cs.regular)
            for ch in sorted(chars):
                cp = ord(ch)
                placed = False
                if cp in latin_cov:
                    add(latin, ch)
                    placed = True
                if complex_run and cp in cs_cov:
                    add(cs, ch)
                    placed = True
                if not placed:
                    fam = choose_family(r, run_script, ch)
                    if fam is not None:
                        add(fam, ch)
        return list(out.values())

    def runs(self, text: str, *, bold: bool = False, italic: bool = False, size: float = 0, color: str = "",
             role: str = "body", shade: str = "", rstyle: str = "") -> str:
        """``w:r`` elements for ``text``: one per script run, complex-script properties included."""
        text = strip_control(text)
        if not text:
            return ""
        out = []
        self._italic = self._italic or italic
        for script, piece in split_by_script(text):
            drawn = self._drawn.get((role, script, italic))
            if drawn is None:
                drawn = self._drawn[(role, script, italic)] = set()
            drawn.update(piece)
            lang = ""
            bidi = st.SCRIPT_BIDI.get(script)
            if bidi:
                lang = f'<w:lang w:val="{self.latin_lang}" w:bidi="{bidi}"/>'
            r = self.brand.heading if role == "heading" else self.brand.body
            fam = st.family(r, script, italic)
            faces = (fam.italic or fam.regular, fam.bold_italic or fam.bold) if italic else (fam.regular, fam.bold)
            self._ink.append((tuple(str(f) for f in faces if f), piece, size))
            cs_script = script if script in ("bengali", "thai") else self.script
            props = st.rpr(self._rfonts(role, script, italic), bold=bold, italic=italic, color=color, size=size,
                           italic_faces=(st.has_italic(r, "latin"), st.has_italic(r, cs_script)))
            if shade:
                props += f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>'
            props += lang
            if rstyle:
                props = f'<w:rStyle w:val="{rstyle}"/>' + props
            content = esc(piece)
            if "\n" in content or "\t" in content:
                content = content.replace("\t", '</w:t><w:tab/><w:t xml:space="preserve">').replace(
                    "\n", '</w:t><w:br/><w:t xml:space="preserve">')
            out.append(f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{content}</w:t></w:r>')
        return "".join(out)

    def link(self, url: str | None, inner_text: str, **kw) -> str:
        safe = safe_link(url)
        if url and not safe:
            self.warnings.append(f"link dropped (only https: and mailto: are allowed): {url[:80]!r}")
        if not safe:
            return self.runs(inner_text, **kw)
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        rid = self.part.relate_to(safe, RT.HYPERLINK, is_external=True)
        return (f'<w:hyperlink r:id="{rid}" w:history="1">'
                f'{self.runs(inner_text, rstyle=self.ids.hyperlink, **kw)}</w:hyperlink>')

    def pill(self, label: str, roi_type: str | None) -> str:
        """An ROI-type pill: the label on its type's colour (the colours every format shares)."""
        fill = self.roi_fill.get(roi_type or "", self.c_muted)
        return self.runs(f"\u00a0{label}\u00a0", bold=True, color=on_hex(fill, self.c_text), shade=fill)

    def para(self, style: str, content: str, *, align: str = "", keep_next: bool = False, ppr_extra: str = "",
             top: bool = True) -> str:
        """A ``w:p``; ``top``: a top-level paragraph (takes a pending page break)."""
        ppr = f'<w:pStyle w:val="{style}"/>'
        if keep_next:
            ppr += "<w:keepNext/>"
        if top and self.pending_break:
            ppr += "<w:pageBreakBefore/>"
            self.pending_break = False
        ppr += ppr_extra
        ppr = self._stacked_spacing(style, ppr)
        if align in ("right", "center"):
            ppr += f'<w:jc w:val="{align}"/>'
        return f"<w:p><w:pPr>{ppr}</w:pPr>{content}</w:p>"

    def _stacked_spacing(self, style: str, ppr: str) -> str:
        """``ppr`` with an at-least line height for Bengali and Thai text (the runs set since
        the last paragraph): the ink its shaped text reaches above and below the baseline
        (:mod:`roi_in_a_box.render.ink`), never less than the style's own spacing of the
        fonts' natural height, so stacked marks never touch the next line."""
        pending, self._ink = self._ink, []
        if not ink.stacked("".join(text for _, text, _ in pending)):
            return ppr
        style_size, multiple = self._style_line(style)
        size = max((sz or style_size for _, _, sz in pending), default=style_size)
        faces = {f for fs, _, _ in pending for f in fs}
        need = ink.needed_leading_faces(((f, text) for fs, text, _ in pending for f in fs), size)
        natural = max((ink.line_factor(f) for f in faces), default=1.2) * size * multiple
        line = f'w:line="{math.ceil(max(need, natural) * 20)}" w:lineRule="atLeast"'
        if "<w:spacing " in ppr:  # one w:spacing per paragraph: the line goes into the one there
            head, _, tail = ppr.partition("<w:spacing ")
            tail = re.sub(r'w:line(Rule)?="[^"]*"\s*', "", tail, count=2)
            return f"{head}<w:spacing {line} {tail}"
        after = re.search(r"<w:(ind|contextualSpacing|mirrorIndents|suppressOverlap|jc|textDirection|"
                          r"textAlignment|outlineLvl|rPr)\b", ppr)  # what the schema puts after w:spacing
        at = after.start() if after else len(ppr)
        return f"{ppr[:at]}<w:spacing {line}/>{ppr[at:]}"

    def _style_line(self, style_id: str) -> tuple[float, float]:
        """(font size in points, line multiple) that paragraph style ``style_id`` gives,
        through its ``basedOn`` chain and the document defaults (10 pt and single if none)."""
        hit = self._style_lines.get(style_id)
        if hit is None:
            hit = self._style_lines[style_id] = style_line(self.document.styles.element, style_id)
        return hit

    def _break_for_table(self, top: bool) -> None:
        if top and self.pending_break:
            self.out.append('<w:p><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>'
                            '<w:r><w:br w:type="page"/></w:r></w:p>')
            self.pending_break = False

    # ------------------------------------------------------------------ tables

    def table(self, rows: list[list[str]], widths: list[int], *, style: str = "", borders: str = "",
              header_rows: int = 0, cell_mar: str = "", look: str = "04A0", top: bool = True) -> None:
        """Append a ``w:tbl``; ``rows`` hold complete ``w:tc`` strings."""
        self._break_for_table(top)
        tblpr = f'<w:tblStyle w:val="{style}"/>' if style else ""
        tblpr += f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        if borders:
            tblpr += f"<w:tblBorders>{borders}</w:tblBorders>"
        tblpr += '<w:tblLayout w:type="fixed"/>'
        if cell_mar:
            tblpr += f"<w:tblCellMar>{cell_mar}</w:tblCellMar>"
        tblpr += f'<w:tblLook w:val="{look}"/>'
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        trs = []
        for i, cells in enumerate(rows):
            trpr = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if i < header_rows else "<w:trPr><w:cantSplit/></w:trPr>"
            trs.append(f"<w:tr>{trpr}{''.join(cells)}</w:tr>")
        self.out.append(f"<w:tbl><w:tblPr>{tblpr}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(trs)}</w:tbl>")
        # Adjacent tables merge into one in Word and LibreOffice: always end with a small paragraph.
        self.out.append(_SPACER)

    @staticmethod
    def cell(width: int, content: str, *, fill: str = "", borders: str = "", valign: str = "", mar: str = "") -> str:
        tcpr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
        if borders:
            tcpr += f"<w:tcBorders>{borders}</w:tcBorders>"
        if fill:
            tcpr += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
        if mar:
            tcpr += f"<w:tcMar>{mar}</w:tcMar>"
        if valign:
            tcpr += f'<w:vAlign w:val="{valign}"/>'
        if not content.endswith("</w:p>"):  # a cell must end with a paragraph
            content += '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="120" w:lineRule="exact"/></w:pPr></w:p>'
        return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{content}</w:tc>"

    @staticmethod
    def _no_borders() -> str:
        return "".join(f'<w:{s} w:val="nil"/>' for s in ("top", "left", "bottom", "right", "insideH", "insideV"))

    def _nested(self, blocks, width: int) -> str:
        """Render ``blocks`` into a string (for a table cell) instead of the body."""
        saved, pending = self.out, self.pending_break
        self.out, self.pending_break = [], False
        try:
            for b in blocks:
                self.visit(b, width, top=False)
            return "".join(self.out)
        finally:
            self.out, self.pending_break = saved, pending

    # ------------------------------------------------------------------ images

    def picture(self, image_source, width_emu: int, height_emu: int, alt: str) -> str:
        rid, _ = self.part.get_or_add_image(image_source)
        self.pic_id += 1
        n = self.pic_id
        return (
            '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{width_emu}" cy="{height_emu}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:docPr id="{n}" name="Picture {n}" descr="{esc(strip_control(alt))}"/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:pic><pic:nvPicPr><pic:cNvPr id="{n}" name="image{n}.png"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width_emu}" cy="{height_emu}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
            '</wp:inline></w:drawing></w:r>'
        )

    # ------------------------------------------------------------------ blocks

    def visit_heading(self, b: Heading, width: int, top: bool = True) -> None:
        self.out.append(self.para(self.ids.heading(b.level), self.runs(b.text, role="heading"), top=top))
        self._level = b.level

    def visit_paragraph(self, b: Paragraph, width: int, top: bool = True) -> None:
        style = {"lead": self.ids.lead, "small": self.ids.small}.get(b.style, self.ids.normal)
        content = "".join(self.link(r.link, r.text, bold=r.bold, italic=r.italic) if r.link
                          else self.runs(r.text, bold=r.bold, italic=r.italic) for r in b.runs)
        self.out.append(self.para(style, content, top=top))

    def visit_stat_tiles(self, b: StatTiles, width: int, top: bool = True) -> None:
        n = max(len(b.tiles), 1)
        w = width // n
        white = 'w:val="single" w:sz="24" w:space="0" w:color="FFFFFF"'
        borders = "".join(f"<w:{s} {white}/>" for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
        cells = []
        for t in b.tiles:
            content = (self.para(self.ids.stat_value, self.runs(t.value, role="heading"), top=False)
                       + self.para(self.ids.stat_label, self.runs(t.label), top=False))
            if t.definition:
                content += self.para(self.ids.caption, self.runs(t.definition),
                                     ppr_extra='<w:spacing w:before="0" w:after="40"/>', top=False)
            cells.append(self.cell(w, content, fill=self.tint_primary))
        self.table([cells], [w] * len(cells), borders=borders, top=top,
                   cell_mar='<w:top w:w="60" w:type="dxa"/><w:left w:w="120" w:type="dxa"/>'
                            '<w:bottom w:w="60" w:type="dxa"/><w:right w:w="120" w:type="dxa"/>')

    def visit_quote(self, b: Quote, width: int, top: bool = True) -> None:
        if top and (b.badge or b.claim):
            # A value prop is one unbreakable row: Writer keeps a chain of keep-with-next
            # paragraphs only pairwise, so pill, title, claim and quote could part at a page end.
            zero = "".join(f'<w:{s} w:w="0" w:type="dxa"/>' for s in ("top", "left", "bottom", "right"))
            self.table([[self.cell(width, self._nested((b,), width))]], [width], borders=self._no_borders(),
                       top=top, cell_mar=zero)
            return
        out = self.out
        if b.badge:  # a value prop: its ROI-type pill, title and claim stay with the quote
            out.append(self.para(self.ids.caption, self.pill(b.badge, b.roi_type), keep_next=True, top=top,
                                 ppr_extra='<w:spacing w:before="120" w:after="20"/>'))
            top = False
        if b.heading:
            out.append(self.para(self.ids.heading(self._level + 1), self.runs(b.heading, role="heading"), keep_next=True,
                                 top=top))
            top = False
        if b.claim:
            out.append(self.para(self.ids.normal, self.runs(b.claim), keep_next=bool(b.text), top=top))
            top = False
        if not b.text:
            return
        self._italic = True  # the quote style is italic
        if b.label:
            out.append(self.para(self.ids.caption, self.runs(f" {b.label} ", bold=True, color=self.c_text,
                                                             shade=self.tint_accent),
                                 keep_next=True, ppr_extra='<w:spacing w:before="60" w:after="40"/>', top=top))
            top = False
        out.append(self.para(self.ids.quote, self.runs(b.text, italic=True), keep_next=bool(b.attribution or b.detail), top=top))
        line = " · ".join(x for x in (b.attribution, b.detail) if x)
        if line:
            out.append(self.para(self.ids.caption, self.runs("— " + line), ppr_extra='<w:ind w:left="200"/>',
                                 top=False))

    def visit_cards(self, b: Cards, width: int, top: bool = True) -> None:
        n = max(len(b.cards), 1)
        per_row = -(-n // -(-n // 3)) if width > 4000 else 1  # rows balanced, as in the PDF: 4 -> 2 + 2
        w = width // per_row
        line = tint(self.brand.colors.muted, 0.6)
        borders = (f'<w:top w:val="single" w:sz="12" w:space="0" w:color="{self.c_primary}"/>'
                   f'<w:bottom w:val="single" w:sz="4" w:space="0" w:color="{line}"/>')
        sep = 'w:val="single" w:sz="24" w:space="0" w:color="FFFFFF"'
        rows, row = [], []
        for card in b.cards:
            content = ""
            if card.badge:
                content += self.para(self.ids.caption, self.pill(card.badge, card.roi_type),
                                     ppr_extra='<w:spacing w:before="40" w:after="40"/>', top=False)
            content += self.para(self.ids.card_title, self.runs(card.title, role="heading"), top=False)
            content += self.para(self.ids.cell_text, self.runs(card.text), top=False)
            row.append(self.cell(w, content, fill=self.tint_muted, borders=borders))
            if len(row) == per_row:
                rows.append(row)
                row = []
        if row:
            row += [self.cell(w, "") for _ in range(per_row - len(row))]
            rows.append(row)
        self.table(rows, [w] * per_row, top=top,
                   borders="".join(f"<w:{s} {sep}/>" for s in ("top", "left", "bottom", "right", "insideH", "insideV")),
                   cell_mar='<w:top w:w="40" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>'
                            '<w:bottom w:w="80" w:type="dxa"/><w:right w:w="100" w:type="dxa"/>')

    def visit_table(self, b: Table, width: int, top: bool = True) -> None:
        ncols = max([len(b.header)] + [len(r) for r in b.rows] + [1])
        first = max(width * 28 // 100, width // ncols) if ncols > 2 else width // ncols
        rest = (width - first) // max(ncols - 1, 1) if ncols > 1 else 0
        widths = [first] + [rest] * (ncols - 1) if ncols > 1 else [width]
        align = list(b.align) + ["left"] * (ncols - len(b.align))
        rows = []
        own_style = "table" in self.ids.from_template  # its firstRow formatting draws the header
        if b.header:  # keep-with-next: the header with the first two rows, the last two rows together
            rows.append([self.cell(widths[i], self.para(self.ids.cell_text,
                                                        self.runs(h, bold=True, color="" if own_style else "FFFFFF"),
                                                        align=align[i], top=False, keep_next=True),
                                   fill="" if own_style else self.c_primary)
                         for i, h in enumerate(list(b.header) + [""] * (ncols - len(b.header)))])
        emph = set(b.emphasis_rows)
        n = len(b.rows)
        for ri, r in enumerate(b.rows):
            bold = ri in emph
            cells = list(r) + [""] * (ncols - len(r))
            keep = ri == 0 or ri == n - 2 or (ri == n - 1 and bool(b.caption))
            rows.append([self.cell(widths[i], self.para(self.ids.cell_text, self.runs(v, bold=bold),
                                                        align=align[i], top=False, keep_next=keep),
                                   fill=self.tint_primary if bold else "")
                         for i, v in enumerate(cells)])
        self.table(rows, widths, style=self.ids.table, header_rows=1 if b.header else 0, top=top)
        if b.caption:
            self.out.append(self.para(self.ids.caption, self.runs(b.caption), top=False))

    def visit_chart(self, b: Chart, width: int, top: bool = True) -> None:
        from .charts import chart_png

        if b.title:
            self.out.append(self.para(self.ids.figure_title, self.runs(b.title, role="heading"), top=top))
            top = False
        w_pt = width / 20.0
        h_pt = w_pt / aspect(w_pt)  # the slot's shape (layout/chart_axis.py), the same in every format
        png, px_w, px_h = chart_png(b, self.brand, self.doc.language, w_pt, h_pt, self.chart_dpi)
        cx = int(w_pt * EMU_PER_PT)
        cy = int(cx * px_h / px_w)
        self.out.append(self.para(self.ids.normal, self.picture(io.BytesIO(png), cx, cy, chart_alt(b)),
                                  keep_next=bool(b.caption), align="center", top=top,
                                  ppr_extra='<w:spacing w:after="40"/>'))
        if b.caption:
            self.out.append(self.para(self.ids.caption, self.runs(b.caption), top=False))

    def visit_framework_graphic(self, b: FrameworkGraphic, width: int, top: bool = True) -> None:
        """The framework's shared marks as DrawingML shapes in one group (a vector drawing:
        the same shapes, colours, dots and legend as the PDF and the slides); its alt text
        names the zones and the evidenced types."""
        w_pt = width / 20.0
        h_pt = framework_height(w_pt)
        from roi_in_a_box.render.pdf.charts import label_measure
        from roi_in_a_box.render.pdf.styles import styles_for

        measure = label_measure(styles_for(self.brand), self.doc.language)
        marks = framework_marks(b, self.brand.colors, w_pt, h_pt, measure)
        self.pic_id += 1
        run = group_run(marks, w_pt, h_pt, self.pic_id, strip_control(framework_alt(b)), self._mark_para)
        self.out.append(self.para(self.ids.normal, run, keep_next=bool(b.caption), align="center", top=top,
                                  ppr_extra='<w:spacing w:after="40"/>'))
        if b.caption:
            self.out.append(self.para(self.ids.caption, self.runs(b.caption), top=False))

    def _mark_para(self, m: Mark) -> str:
        """A drawing mark's label: one paragraph, no spacing, at the mark's size."""
        return self.para(self.ids.normal, self.runs(m.text, bold=m.bold, size=m.size, color=m.color), top=False,
                         align="center" if m.align == "ctr" else "",
                         ppr_extra='<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>')

    def visit_image(self, b: Image, width: int, top: bool = True) -> None:
        from PIL import Image as PILImage

        path = Path(b.path)
        with PILImage.open(path) as im:
            px_w, px_h = im.size
        w_pt = min(b.width_pt, width / 20.0)
        cx = int(w_pt * EMU_PER_PT)
        cy = int(cx * px_h / max(px_w, 1))
        self.out.append(self.para(self.ids.normal, self.picture(str(path), cx, cy, b.alt), top=top))

    def visit_callout(self, b: Callout, width: int, top: bool = True) -> None:
        content = ""
        if b.title:
            content += self.para(self.ids.card_title, self.runs(b.title, role="heading"), top=False)
        if b.text:
            content += self.para(self.ids.cell_text, self.runs(b.text), top=False,
                                 ppr_extra='<w:spacing w:after="60"/>')
        if b.link:
            content += self.para(self.ids.cell_text, self.link(b.link, b.link_text or b.link, bold=True), top=False)
        left = f'<w:left w:val="single" w:sz="36" w:space="0" w:color="{self.c_accent}"/>'
        self.table([[self.cell(width, content, fill=self.tint_accent, borders=left)]], [width], top=top,
                   cell_mar='<w:top w:w="100" w:type="dxa"/><w:left w:w="180" w:type="dxa"/>'
                            '<w:bottom w:w="100" w:type="dxa"/><w:right w:w="180" w:type="dxa"/>')

    def visit_footnotes(self, b: Footnotes, width: int, top: bool = True) -> None:
        for i, item in enumerate(b.items, 1):
            self.out.append(self.para(self.ids.caption, self.runs(f"{i}.\t{item}"), top=top,
                                      ppr_extra='<w:tabs><w:tab w:val="left" w:pos="280"/></w:tabs>'
                                                '<w:spacing w:before="0" w:after="40"/><w:ind w:left="280" w:hanging="280"/>'))
            top = False

    def visit_columns(self, b: Columns, width: int, top: bool = True) -> None:
        n = max(len(b.columns), 1)
        weights = list(b.weights) if len(b.weights) == n and sum(b.weights) > 0 else [1.0] * n
        total = sum(weights)
        gap = 200
        widths = [int(width * wt / total) for wt in weights]
        cells = []
        for i, (col, w) in enumerate(zip(b.columns, widths)):
            mar = (f'<w:left w:w="{0 if i == 0 else gap // 2}" w:type="dxa"/>'
                   f'<w:right w:w="{0 if i == n - 1 else gap // 2}" w:type="dxa"/>')
            inner = w - (0 if i == 0 else gap // 2) - (0 if i == n - 1 else gap // 2)
            cells.append(self.cell(w, self._nested(col, inner), mar=mar))
        self.table([cells], widths, borders=self._no_borders(), top=top,
                   cell_mar='<w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
                            '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/>')

    # ------------------------------------------------------------------ header and footer

    def _header_footer(self, section, doc: Document, brand: Brand) -> None:
        tab = f'<w:tabs><w:tab w:val="right" w:pos="{self.width}"/></w:tabs>'
        footer = section.footer
        has_template_footer = brand.reference_docx is not None and not footer.is_linked_to_previous and any(
            p.text.strip() for p in footer.paragraphs)
        text = doc.footer or brand.footer
        if not has_template_footer:
            el = footer._element
            for child in list(el):
                el.remove(child)
            page = '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
            self._drawn.setdefault(("body", "common", False), set()).update("0123456789")  # the page number
            xml = self.para(self.ids.footer, self.runs(text) + "<w:r><w:tab/></w:r>" + page, top=False,
                            ppr_extra=tab)
            for child in _parse(f"<w:ftr {NSDECL}>{xml}</w:ftr>"):
                el.append(child)
        if doc.watermark:
            header = section.header
            el = header._element
            if brand.reference_docx is None or header.is_linked_to_previous:
                for child in list(el):
                    el.remove(child)
            xml = self.para(self.ids.header, self.runs(doc.watermark, bold=True, size=9,
                                                       color=tint(brand.colors.muted, 0.35)),
                            align="center", top=False)
            for child in _parse(f"<w:hdr {NSDECL}>{xml}</w:hdr>"):
                el.append(child)


# (context, block, width, top, pending break, heading level) -> (XML strings, characters
# drawn per (role, script, italic), italic drawn, heading level and pending break after)
_BLOCKS: NamedCache[tuple, tuple] = NamedCache("docx.blocks", 512)


def _replayable(block: Block) -> bool:
    """Whether visiting ``block`` writes XML only (no picture, drawing or hyperlink part)."""
    if isinstance(block, (Chart, FrameworkGraphic, Image)):
        return False
    if isinstance(block, Paragraph):
        return not any(r.link for r in block.runs)
    if isinstance(block, Callout):
        return not block.link
    if isinstance(block, Columns):
        return all(_replayable(b) for col in block.columns for b in col)
    return True


def _q(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _parse(xml: str):
    from docx.oxml import parse_xml

    return parse_xml(xml)


def style_line(styles, style_id: str) -> tuple[float, float]:
    """(size in points, line multiple) of paragraph style ``style_id`` in the ``w:styles``
    element ``styles``: the first ``w:sz`` and auto ``w:spacing/@w:line`` up its ``basedOn``
    chain (depth-limited), then ``w:docDefaults``."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    by_id = {s.get(f"{w}styleId"): s for s in styles.iter(f"{w}style")}
    size: float | None = None
    multiple: float | None = None
    chain: list = []
    style = by_id.get(style_id)
    while style is not None and len(chain) < 20:
        chain.append(style)
        based = style.find(f"{w}basedOn")
        style = by_id.get(based.get(f"{w}val")) if based is not None else None
    defaults = styles.find(f"{w}docDefaults")
    for el in [*chain, *([defaults] if defaults is not None else [])]:
        sz = el.find(f".//{w}rPr/{w}sz")
        if size is None and sz is not None and (sz.get(f"{w}val") or "").isdigit():
            size = int(sz.get(f"{w}val")) / 2
        sp = el.find(f".//{w}pPr/{w}spacing")
        if multiple is None and sp is not None and (sp.get(f"{w}line") or "").isdigit():
            multiple = int(sp.get(f"{w}line")) / 240 if sp.get(f"{w}lineRule", "auto") == "auto" else 1.0
    return size or 10.0, multiple or 1.0


def title_first(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """A logo right before the document title goes right after it: the title is then the
    document's first paragraph, which pandoc, screen readers' outlines and Word's
    accessibility checker take as the title."""
    if len(blocks) > 1 and isinstance(blocks[0], Image) and isinstance(blocks[1], Heading) and blocks[1].level == 0:
        return (blocks[1], blocks[0], *blocks[2:])
    return blocks


def render_docx(doc: Document, brand: Brand, path: Path) -> RenderResult:
    """Convenience wrapper: ``DocxRenderer().render(doc, brand, path)``."""
    return DocxRenderer().render(doc, brand, path)
