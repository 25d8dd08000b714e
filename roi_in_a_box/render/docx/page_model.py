"""DOCX page model: how LibreOffice (and Word) paginate the body we write.

Word documents are paginated by the reader, so fitting a case study into its page budget
needs an estimate of the reader's layout.  The PDF typesetter is the wrong one: its styles
and blocks differ from the DOCX's.  This model reads the file we wrote (``document.xml``
and ``styles.xml``) and lays it out as LibreOffice Writer does, calibrated against
LibreOffice's own pagination of every sample and stage (``tests/test_docx_page_model.py``):

* paragraphs: style chain (docDefaults, table style, paragraph style, direct formatting),
  spacing before and after (added, not collapsed), indents; each line as tall as its
  fonts' ascent plus descent (the fonts' ``OS/2`` typo or ``hhea`` metrics, as LibreOffice
  reads them) times the proportional line spacing, or the exact pitch; lines broken
  greedily on HarfBuzz advance widths of the brand's own faces, between Thai words too;
* inline pictures and drawings at their ``wp:extent`` size (a drawing's text boxes are set
  inside it), their line stretched by proportional spacing over 100% of the paragraph
  mark's font height;
* tables: row height is the tallest cell (its paragraphs and nested tables) plus cell
  margins and borders; rows never split (we write ``w:cantSplit``); header rows repeat;
* pagination: explicit page breaks, ``w:keepNext`` as Writer applies it (see
  :func:`paginate`), lines of a paragraph split at page ends with two lines at least on
  either side.

It answers the number of pages and how full each page is.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from lxml import etree

from roi_in_a_box.brand.model import Brand, FontFamily
from roi_in_a_box.caches import NamedCache, lru as registered_cache
from roi_in_a_box.render.pptx.measure import break_positions, em_width, face_path
from roi_in_a_box.text.scripts import BENGALI, THAI, split_by_script

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
EMU_PER_PT = 12700
DEFAULT_CELL_MAR = (0.0, 5.4, 0.0, 5.4)  # top, left, bottom, right (pt): Word's TableNormal
ORPHANS = 2  # Writer keeps two lines of a paragraph together at a page end, and two carried over


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _on(el: Any) -> bool:
    """A ``w:ST_OnOff`` element: present and not ``w:val="0"/"false"/"off"``."""
    return el.get(_w("val"), "1") not in ("0", "false", "off")


def _int(el: Any, attr: str, default: float = 0.0) -> float:
    v = el.get(_w(attr)) if el is not None else None
    try:
        return float(v) if v is not None else default
    except ValueError:
        return default


# --------------------------------------------------------------------------- fonts


@registered_cache("docx.page_model.vmetrics")
@lru_cache(maxsize=64)
def _vmetrics(path: str) -> tuple[float, float]:
    """(ascent, descent) in ems as LibreOffice reads them: OS/2 typo metrics when the font
    says to use them (USE_TYPO_METRICS), else hhea; the line gap goes to the ascent."""
    from fontTools.ttLib import TTFont

    f = TTFont(path, lazy=True)
    upem = f["head"].unitsPerEm
    os2 = f["OS/2"] if "OS/2" in f else None
    if os2 is not None and os2.fsSelection & (1 << 7):
        asc, desc, gap = os2.sTypoAscender, -os2.sTypoDescender, os2.sTypoLineGap
    else:
        h = f["hhea"]
        asc, desc, gap = h.ascent, -h.descent, h.lineGap
    return (asc + max(gap, 0)) / upem, desc / upem


class Fonts:
    """The brand's families by the names the DOCX's ``w:rFonts`` give."""

    def __init__(self, brand: Brand):
        self.by_name: dict[str, FontFamily] = {}
        for role in (brand.body, brand.heading):
            for fam in (*role.by_script.values(), *role.fallbacks):
                self.by_name.setdefault(fam.name, fam)
        self.default = brand.body.by_script["latin"]

    def face(self, name: str, bold: bool, italic: bool) -> str:
        return face_path(self.by_name.get(name, self.default), bold, italic)


# --------------------------------------------------------------------------- styles


@dataclass
class PProps:
    before: float = 0.0  # twips
    after: float = 0.0
    line: float = 240.0
    rule: str = "auto"
    ind_left: float = 0.0
    ind_right: float = 0.0
    first: float = 0.0  # first-line indent (negative: hanging)
    keep_next: bool = False
    keep_lines: bool = False
    break_before: bool = False
    border_top: float = 0.0  # pt: a paragraph border's width plus its distance from the text
    border_bottom: float = 0.0
    contextual: bool = False  # no space between paragraphs of the same style


@dataclass
class RProps:
    size: float = 20.0  # half-points
    size_cs: float = 20.0
    bold: bool = False
    bold_cs: bool = False
    italic: bool = False
    italic_cs: bool = False
    ascii: str = ""
    cs: str = ""


def _apply_ppr(p: PProps, el: Any) -> None:
    if el is None:
        return
    sp = el.find(_w("spacing"))
    if sp is not None:
        p.before = _int(sp, "before", p.before)
        p.after = _int(sp, "after", p.after)
        p.line = _int(sp, "line", p.line)
        p.rule = sp.get(_w("lineRule"), p.rule if sp.get(_w("line")) is None else "auto")
    ind = el.find(_w("ind"))
    if ind is not None:
        p.ind_left = _int(ind, "left", _int(ind, "start", p.ind_left))
        p.ind_right = _int(ind, "right", _int(ind, "end", p.ind_right))
        if ind.get(_w("hanging")) is not None:
            p.first = -_int(ind, "hanging")
        elif ind.get(_w("firstLine")) is not None:
            p.first = _int(ind, "firstLine")
    for tag, name in (("keepNext", "keep_next"), ("keepLines", "keep_lines"), ("pageBreakBefore", "break_before"),
                      ("contextualSpacing", "contextual")):
        k = el.find(_w(tag))
        if k is not None:
            setattr(p, name, _on(k))
    bdr = el.find(_w("pBdr"))
    if bdr is not None:
        for side in ("top", "bottom"):
            b = bdr.find(_w(side))
            if b is not None:
                width = 0.0 if b.get(_w("val")) in ("nil", "none") else _int(b, "sz") / 8.0 + _int(b, "space")
                setattr(p, f"border_{side}", width)


def _apply_rpr(r: RProps, el: Any) -> None:
    if el is None:
        return
    fonts = el.find(_w("rFonts"))
    if fonts is not None:
        r.ascii = fonts.get(_w("ascii"), r.ascii)
        r.cs = fonts.get(_w("cs"), r.cs)
    for tag, name in (("b", "bold"), ("bCs", "bold_cs"), ("i", "italic"), ("iCs", "italic_cs")):
        k = el.find(_w(tag))
        if k is not None:
            setattr(r, name, _on(k))
    sz, szcs = el.find(_w("sz")), el.find(_w("szCs"))
    if sz is not None:
        r.size = _int(sz, "val", r.size)
    if szcs is not None:
        r.size_cs = _int(szcs, "val", r.size_cs)


class Styles:
    """``styles.xml``: each style's pPr/rPr (and a table style's cell margins), by id."""

    def __init__(self, root: Any):
        self.styles: dict[str, Any] = {}
        self.default_para = ""
        for el in root.findall(_w("style")):
            sid = el.get(_w("styleId"))
            if sid:
                self.styles[sid] = el
                if el.get(_w("type")) == "paragraph" and _on_attr(el.get(_w("default"))):
                    self.default_para = sid
        d = root.find(_w("docDefaults"))
        self.ppr_default = d.find(f"{_w('pPrDefault')}/{_w('pPr')}") if d is not None else None
        self.rpr_default = d.find(f"{_w('rPrDefault')}/{_w('rPr')}") if d is not None else None
        self._resolved: dict[tuple[str, str], tuple[PProps, RProps]] = {}

    def chain(self, sid: str) -> list[Any]:
        """The style and its bases, base first."""
        out: list[Any] = []
        seen = set()
        while sid and sid in self.styles and sid not in seen:
            seen.add(sid)
            el = self.styles[sid]
            out.append(el)
            based = el.find(_w("basedOn"))
            sid = based.get(_w("val")) if based is not None else ""
        return out[::-1]

    def resolved(self, sid: str, table_style: str) -> tuple[PProps, RProps]:
        """Fresh copies of the paragraph and run properties that docDefaults, the table
        style and paragraph style ``sid`` give (worked out once per pair)."""
        hit = self._resolved.get((sid, table_style))
        if hit is None:
            props, base_r = PProps(), RProps()
            _apply_ppr(props, self.ppr_default)
            _apply_rpr(base_r, self.rpr_default)
            for el in (*self.chain(table_style), *self.chain(sid)):
                _apply_ppr(props, el.find(_w("pPr")))
                _apply_rpr(base_r, el.find(_w("rPr")))
            hit = self._resolved[(sid, table_style)] = (props, base_r)
        return replace(hit[0]), replace(hit[1])

    def cell_margins(self, sid: str) -> dict[str, float]:
        out: dict[str, float] = {}
        for el in self.chain(sid):
            mar = el.find(f"{_w('tblPr')}/{_w('tblCellMar')}")
            out.update(_margins(mar))
        return out


def _on_attr(v: str | None) -> bool:
    return v in ("1", "true", "on")


def _margins(mar: Any) -> dict[str, float]:
    """``w:tblCellMar``/``w:tcMar`` -> {side: points}."""
    out: dict[str, float] = {}
    if mar is None:
        return out
    for side, alt in (("top", "top"), ("left", "start"), ("bottom", "bottom"), ("right", "end")):
        el = mar.find(_w(side))
        if el is None:
            el = mar.find(_w(alt))
        if el is not None:
            out[side] = _int(el, "w") / 20.0
    return out


# --------------------------------------------------------------------------- blocks


@dataclass
class Para:
    """A laid-out paragraph: its lines' heights and spacing (points)."""

    lines: list[float]
    before: float
    after: float
    keep_next: bool = False
    keep_lines: bool = False
    break_before: bool = False
    break_after: bool = False  # a ``w:br w:type="page"`` ends it

    @property
    def height(self) -> float:
        return self.before + sum(self.lines) + self.after


@dataclass
class Row:
    height: float
    keep_next: bool = False
    header: bool = False


@dataclass
class TableBox:
    rows: list[Row]


    @property
    def height(self) -> float:
        return sum(r.height for r in self.rows)


Box = Para | TableBox


@dataclass
class Estimate:
    """Pages LibreOffice sets the body on and how full each is (0..1 of the body height)."""

    fills: list[float] = field(default_factory=list)
    placed: list[tuple[str, int, float]] = field(default_factory=list)  # (kind, page, top) per paragraph or row

    @property
    def pages(self) -> int:
        return max(len(self.fills), 1)

    @property
    def last_fill(self) -> float:
        return self.fills[-1] if self.fills else 0.0

    @property
    def extent(self) -> float:
        """Pages in fractional units: 2.4 = two full pages and 40% of a third."""
        return len(self.fills) - 1 + self.last_fill if self.fills else 0.0


class Model:
    """Lays out one package's body."""

    def __init__(self, styles: Styles, fonts: Fonts, key: tuple = ()):
        self.styles = styles
        self.fonts = fonts
        self.key = key  # what the styles and fonts are (:func:`estimate`): part of each box's cache key

    # ---------------------------------------------------------------- paragraphs

    def para(self, p: Any, width: float, table_style: str = "") -> Para:
        """Lay out ``w:p`` in ``width`` points (once per process for the same XML)."""
        return self._cached(p, width, table_style, self._para)  # type: ignore[return-value]

    def table(self, tbl: Any, width: float) -> TableBox:
        return self._cached(tbl, width, "", lambda el, w, _: self._table(el, w))  # type: ignore[return-value]

    def _cached(self, el: Any, width: float, table_style: str, make: Any) -> Box:
        """A paragraph's or table's box, looked up first in :data:`_BOXES` by its XML: a
        batch's study-level blocks (and the study-level cells of an account's tables) are
        the same in every account's file, so each is laid out once per process."""
        key = (self.key, width, table_style, hashlib.sha1(etree.tostring(el)).digest())
        box = _BOXES.get(key)
        if box is None:
            box = _BOXES[key] = make(el, width, table_style)
        return box

    def _para(self, p: Any, width: float, table_style: str = "") -> Para:
        ppr_el = p.find(_w("pPr"))
        style_el = ppr_el.find(_w("pStyle")) if ppr_el is not None else None
        sid = style_el.get(_w("val")) if style_el is not None else self.styles.default_para
        props, base_r = self.styles.resolved(sid, table_style)
        _apply_ppr(props, ppr_el)
        avail = width - (props.ind_left + props.ind_right) / 20.0
        first_avail = avail - props.first / 20.0
        segs: list[tuple[str, str, float, float, float]] = []  # text, face, size, asc, desc
        mark = self._run_props(base_r, ppr_el.find(_w("rPr")) if ppr_el is not None else None)
        page_break = False
        for r in _runs(p):
            rp = self._run_props(base_r, r.find(_w("rPr")))
            for child in r:
                tag = etree.QName(child).localname
                if tag == "t":
                    segs.extend(self._text_segs(child.text or "", rp))
                elif tag == "tab":
                    segs.append(("\t", "", 0.0, 0.0, 0.0))
                elif tag == "br":
                    if child.get(_w("type")) == "page":
                        page_break = True
                    else:
                        segs.append(("\n", "", 0.0, 0.0, 0.0))
                elif tag == "drawing":
                    ext = child.find(f".//{{{WP}}}extent")
                    if ext is not None:
                        w_pt = float(ext.get("cx", "0")) / EMU_PER_PT
                        h_pt = float(ext.get("cy", "0")) / EMU_PER_PT
                        segs.append(("\ufffc", f"img:{w_pt}", 0.0, h_pt, 0.0))
        lines = self._lines(segs, first_avail, avail, mark, props)
        if lines:
            lines[0] += props.border_top
            lines[-1] += props.border_bottom
        return Para(lines=lines, before=props.before / 20.0, after=props.after / 20.0, keep_next=props.keep_next,
                    keep_lines=props.keep_lines, break_before=props.break_before, break_after=page_break)

    def _run_props(self, base: RProps, rpr: Any) -> RProps:
        r = RProps(**base.__dict__)
        if rpr is not None:
            rs = rpr.find(_w("rStyle"))
            if rs is not None:
                for el in self.styles.chain(rs.get(_w("val"), "")):
                    _apply_rpr(r, el.find(_w("rPr")))
            _apply_rpr(r, rpr)
        return r

    def _text_segs(self, text: str, rp: RProps) -> list[tuple[str, str, float, float, float]]:
        out = []
        for script, piece in split_by_script(text):
            cs = script in (BENGALI, THAI)
            name = (rp.cs if cs else rp.ascii) or rp.ascii
            bold = rp.bold_cs if cs else rp.bold
            italic = rp.italic_cs if cs else rp.italic
            size = (rp.size_cs if cs else rp.size) / 2.0
            face = self.fonts.face(name, bold, italic)
            asc, desc = _vmetrics(face)
            out.append((piece, face, size, asc * size, desc * size))
        return out

    def _lines(self, segs: list[tuple[str, str, float, float, float]], first_avail: float, avail: float,
               mark: RProps, props: PProps) -> list[float]:
        """Greedy line breaking over the segments; each line's height from what it holds."""
        face = self.fonts.face(mark.ascii, mark.bold, mark.italic)
        m_asc, m_desc = _vmetrics(face)
        mark_size = mark.size / 2.0
        lines: list[tuple[float, float, float]] = []  # (ascent, descent, picture height) per line
        cur_w, asc, desc, pic, has = 0.0, 0.0, 0.0, 0.0, False
        limit = first_avail

        def end_line() -> None:
            nonlocal cur_w, asc, desc, pic, has, limit
            lines.append((asc, desc, pic) if has and asc + desc > 0 else (m_asc * mark_size, m_desc * mark_size, pic))
            cur_w, asc, desc, pic, has = 0.0, 0.0, 0.0, 0.0, False
            limit = avail

        for text, seg_face, size, s_asc, s_desc in segs:
            if text == "\n":
                end_line()
                continue
            if text == "\t":
                cur_w = (int(cur_w / 36.0) + 1) * 36.0 if cur_w > 0 else max(-props.first / 20.0, 36.0)
                continue
            if seg_face.startswith("img:"):
                w_pt = float(seg_face[4:])
                if has and cur_w + w_pt > limit:
                    end_line()
                cur_w += w_pt
                pic, has = max(pic, s_asc), True
                continue
            for token in _tokens(text):
                core = token.rstrip(" ")
                w_core = _width(seg_face, core) * size
                w_all = w_core + (_width(seg_face, token[len(core):]) * size if len(core) < len(token) else 0.0)
                if has and cur_w + w_core > limit:
                    end_line()
                while w_core > limit and len(core) > 1:  # a word wider than the line breaks anywhere
                    cut = _fit_prefix(seg_face, size, core, limit - cur_w)
                    asc, desc, has = max(asc, s_asc), max(desc, s_desc), True
                    end_line()
                    core = core[cut:]
                    w_core = _width(seg_face, core) * size
                    w_all = w_core
                cur_w += w_all
                asc, desc, has = max(asc, s_asc), max(desc, s_desc), True
        if has or not lines:
            end_line()
        # Writer sets a line holding a picture as tall as the picture plus what proportional
        # spacing over 100% adds to the line's font height (measured: 264 adds 1.2 pt under a
        # 10 pt Lato paragraph mark, 276 adds 1.9 pt under 10.5 pt), in the body and in cells
        stretch = props.line / 240.0 - 1.0 if props.rule == "auto" and props.line > 240 else 0.0
        return [max(_pitch(a, d, props), p + (a + d) * stretch) if p else _pitch(a, d, props) for a, d, p in lines]

    # ---------------------------------------------------------------- tables

    def _table(self, tbl: Any, width: float) -> TableBox:
        tblpr = tbl.find(_w("tblPr"))
        style_el = tblpr.find(_w("tblStyle")) if tblpr is not None else None
        tstyle = style_el.get(_w("val"), "") if style_el is not None else ""
        mar = {"top": DEFAULT_CELL_MAR[0], "left": DEFAULT_CELL_MAR[1], "bottom": DEFAULT_CELL_MAR[2],
               "right": DEFAULT_CELL_MAR[3]}
        mar.update(self.styles.cell_margins(tstyle))
        if tblpr is not None:
            mar.update(_margins(tblpr.find(_w("tblCellMar"))))
        borders = _borders(tblpr.find(_w("tblBorders")) if tblpr is not None else None)
        for el in self.styles.chain(tstyle):
            for k, v in _borders(el.find(f"{_w('tblPr')}/{_w('tblBorders')}")).items():
                borders.setdefault(k, v)
        rows: list[Row] = []
        trs = tbl.findall(_w("tr"))
        for ri, tr in enumerate(trs):
            tallest = 0.0
            keep = True  # Writer keeps a row with the next when all its paragraphs keep with the next
            for tc in tr.findall(_w("tc")):
                tcpr = tc.find(_w("tcPr"))
                cw = _int(tcpr.find(_w("tcW")) if tcpr is not None else None, "w") / 20.0
                cm = dict(mar)
                if tcpr is not None:
                    cm.update(_margins(tcpr.find(_w("tcMar"))))
                inner = max(cw - cm["left"] - cm["right"], 1.0)
                h, prev_after = 0.0, 0.0
                for child in tc:
                    if child.tag == _w("p"):
                        para = self.para(child, inner, tstyle)
                        h += max(para.before - prev_after, 0.0) + sum(para.lines) + para.after
                        prev_after = para.after
                        keep = keep and para.keep_next
                    elif child.tag == _w("tbl"):
                        h += self.table(child, inner).height
                        prev_after = 0.0
                tallest = max(tallest, h + cm["top"] + cm["bottom"])
            edge = borders.get("top" if ri == 0 else "insideH", 0.0)
            if ri == len(trs) - 1:
                edge += borders.get("bottom", 0.0)
            trpr = tr.find(_w("trPr"))
            header = trpr is not None and trpr.find(_w("tblHeader")) is not None
            rows.append(Row(tallest + edge, keep_next=keep and ri + 1 < len(trs), header=header))
        return TableBox(rows)

    # ---------------------------------------------------------------- body

    def boxes(self, body: Any, width: float) -> list[Box]:
        out: list[Box] = []
        for child in body:
            if child.tag == _w("p"):
                out.append(self.para(child, width))
            elif child.tag == _w("tbl"):
                out.append(self.table(child, width))
        return out


# A box depends only on its element's XML (kept as its SHA-1: a few bytes an entry), the
# width, the table style, the styles and the fonts (the model's key); boxes are never
# changed once made, so a cached one is shared.
_BOXES: NamedCache[tuple[tuple, float, str, bytes], Box] = NamedCache("docx.page_model.boxes", 2048)


def _runs(el: Any) -> Any:
    """The paragraph's own runs, in order (inside hyperlinks, fields, insertions...), not the
    runs of a drawing's text boxes (``w:txbxContent``): those are set inside the drawing,
    whose ``wp:extent`` is its whole height."""
    for child in el:
        if child.tag == _w("r"):
            yield child
        elif child.tag not in (_w("pPr"), _w("rPr"), _w("txbxContent")):
            yield from _runs(child)


def _borders(el: Any) -> dict[str, float]:
    """Border widths (pt) of a ``w:tblBorders``; ``nil``/``none`` count as 0."""
    out: dict[str, float] = {}
    if el is None:
        return out
    for side in ("top", "bottom", "insideH"):
        b = el.find(_w(side))
        if b is not None:
            out[side] = 0.0 if b.get(_w("val")) in ("nil", "none") else _int(b, "sz") / 8.0
    return out


def _pitch(asc: float, desc: float, props: PProps) -> float:
    natural = asc + desc
    if props.rule == "exact":
        return props.line / 20.0
    if props.rule == "atLeast":
        return max(natural, props.line / 20.0)
    return natural * props.line / 240.0


def _tokens(text: str) -> list[str]:
    """``text`` cut where a line may break (after spaces, between Thai words)."""
    cuts = [0, *break_positions(text), len(text)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]


@registered_cache("docx.page_model.widths")
@lru_cache(maxsize=100_000)
def _width(face: str, text: str) -> float:
    return em_width(face, text) if text else 0.0


def _fit_prefix(face: str, size: float, text: str, room: float) -> int:
    """How many characters of ``text`` fit in ``room`` points (at least one)."""
    n = 1
    while n < len(text) and _width(face, text[:n + 1]) * size <= room:
        n += 1
    return n


# --------------------------------------------------------------------------- pagination


@dataclass(frozen=True)
class _Item:
    """One thing the page flow places: a paragraph, a table row, a table's end or a page break."""

    kind: str  # "para" | "row" | "header" | "end" | "break"
    height: float = 0.0
    keep_next: bool = False
    first: float = 0.0  # what must come along when a previous item keeps with this one
    lines: tuple[float, ...] = ()  # a splittable paragraph's lines
    before: float = 0.0
    after: float = 0.0


def _flatten(boxes: list[Box]) -> list[_Item]:
    out: list[_Item] = []
    for b in boxes:
        if isinstance(b, Para):
            if b.break_before:
                out.append(_Item("break"))
            split = not b.keep_lines and len(b.lines) >= 2 * ORPHANS
            out.append(_Item("para", b.height, b.keep_next, b.before + sum(b.lines[:ORPHANS]) if split else b.height,
                             tuple(b.lines) if split else (), b.before, b.after))
            if b.break_after:
                out.append(_Item("break"))
        else:
            for k, r in enumerate(b.rows):
                # Rows whose paragraphs keep with the next stay with the next row, transitively
                # (unlike paragraphs); a header row never stands alone.
                first, m = r.height, k
                while m + 1 < len(b.rows) and (b.rows[m].keep_next or b.rows[m].header):
                    m += 1
                    first += b.rows[m].height
                out.append(_Item("header" if r.header else "row", r.height, False, first))
            out.append(_Item("end"))
    return out


def paginate(boxes: list[Box], body_h: float) -> Estimate:
    """Flow ``boxes`` onto pages ``body_h`` points tall, as Writer does (measured on its
    output): the space between two paragraphs is the larger of the first's space after
    and the second's space before; a page started by the flow drops the space before.

    Keep-with-next, as Writer applies it: a paragraph that keeps with the next and does
    not fit whole moves to the next page with the run of keep-with-next paragraphs before
    it; anything else that does not fit takes only the one paragraph before it along (when
    that one keeps with it).  Table rows that keep with the next move as one block, a
    header row with the row after it; header rows repeat on every page of their table.
    """
    items = _flatten(boxes)
    fills: list[float] = []
    placed: list[tuple[str, int, float]] = [("", 0, 0.0)] * len(items)
    y, prev_after = 0.0, 0.0
    headers: list[int] = []  # the current table's header rows
    starts: dict[int, tuple[float, float]] = {}  # on this page: item -> (y, prev_after) before it

    def new_page() -> None:
        nonlocal y, prev_after
        fills.append(min(y / body_h, 1.0))
        y, prev_after = 0.0, 0.0
        starts.clear()

    i = 0
    while i < len(items):
        it = items[i]
        if it.kind == "break":
            if y > 0:
                new_page()
            i += 1
            continue
        if it.kind == "end":
            headers = []
            i += 1
            continue
        if it.kind == "row" and y == 0 and headers and i - 1 not in headers:
            y = sum(items[j].height for j in headers)  # the repeated header
        gap = 0.0 if y == 0 else max(it.before - prev_after, 0.0)
        whole = gap + it.height - it.before
        need = gap + it.first - it.before if it.kind != "para" else (
            whole if it.keep_next or not it.lines else gap + sum(it.lines[:ORPHANS]))
        hang = it.after if need == whole and not it.keep_next else 0.0  # the last space after may hang below
        if y > 0 and y + need - hang > body_h:  # it moves on, with what keeps with it
            back = i
            while back - 1 in starts and items[back - 1].keep_next and starts[back - 1][0] > 0:
                back -= 1
                if not it.keep_next:
                    break
            if back < i:
                y, prev_after = starts[back]
                i = back
            new_page()
            continue
        starts[i] = (y, prev_after)
        placed[i] = (it.kind, len(fills), y)
        if y + whole - it.after <= body_h or not it.lines:
            y += whole
            while y - it.after > body_h:  # taller than a page: Writer splits it anyway
                fills.append(1.0)
                y -= body_h
                starts.clear()
            y = min(y, body_h)
        else:  # lines over the page end, two at least on each side (Writer's orphans and widows)
            y += gap
            rest = list(it.lines)
            while rest:
                fit = 0
                while fit < len(rest) and y + sum(rest[:fit + 1]) <= body_h:
                    fit += 1
                if fit == len(rest):
                    y += sum(rest)
                    break
                fit = min(fit, len(rest) - ORPHANS)  # widows: at least ORPHANS lines go on
                if fit >= ORPHANS or (y == 0 and fit > 0):
                    y += sum(rest[:fit])
                    rest = rest[fit:]
                new_page()
            y = min(y + it.after, body_h)
        prev_after = it.after
        if it.kind == "header":
            headers.append(i)
        i += 1
    fills.append(min(y / body_h, 1.0))
    return Estimate(fills=fills, placed=placed)


# --------------------------------------------------------------------------- entry point


_STYLES: NamedCache[bytes, Styles] = NamedCache("docx.page_model.styles", 16)  # by styles.xml's SHA-1


def estimate(docx: bytes, brand: Brand) -> Estimate:
    """Pages and fill of the DOCX package ``docx`` (our own output) as LibreOffice sets it."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        document = etree.fromstring(z.read("word/document.xml"))
        styles_xml = z.read("word/styles.xml")
    body = document.find(_w("body"))
    sect = body.find(_w("sectPr"))
    pg = sect.find(_w("pgSz")) if sect is not None else None
    mar = sect.find(_w("pgMar")) if sect is not None else None
    page_w, page_h = _int(pg, "w", 12240) / 20.0, _int(pg, "h", 15840) / 20.0
    top, bottom = _int(mar, "top", 1440) / 20.0, _int(mar, "bottom", 1440) / 20.0
    left, right = _int(mar, "left", 1440) / 20.0, _int(mar, "right", 1440) / 20.0
    fonts = Fonts(brand)
    # a string (its hash is kept): every box lookup hashes it
    key = (hashlib.sha1(styles_xml).digest(), repr((sorted(fonts.by_name.items()), fonts.default)))
    styles = _STYLES.get(key[0])
    if styles is None:
        styles = _STYLES[key[0]] = Styles(etree.fromstring(styles_xml))
    model = Model(styles, fonts, key)
    return paginate(model.boxes(body, page_w - left - right), page_h - abs(top) - abs(bottom))
