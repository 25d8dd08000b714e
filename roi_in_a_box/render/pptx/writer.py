"""Stage 2 of the PPTX writer: execute a slide plan with python-pptx.

Nothing is decided here that the plan did not decide: positions, sizes, colours, font
sizes, typefaces and languages come from ``plan.py``.  Text is written as raw DrawingML
(``a:p``/``a:r``) so each run gets, in schema order, its fill, ``a:latin``, ``a:cs``
(Bengali/Thai runs) and ``a:hlinkClick``, and ``lang`` bn-BD/th-TH/en-US; line spacing is
exact (``a:spcPts``) and autofit is off, so the measured heights hold in every viewer.
"""

from __future__ import annotations

import io
from copy import deepcopy
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast
from xml.sax.saxutils import escape

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR
from pptx.opc import serialized
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.parts.chart import ChartPart
from pptx.parts.embeddedpackage import EmbeddedXlsxPart
from pptx.parts.slide import NotesSlidePart
from pptx.util import Pt, lazyproperty
from xlsxwriter import Workbook

from roi_in_a_box import patches
from roi_in_a_box.caches import NamedCache
from roi_in_a_box.brand.model import Brand
from roi_in_a_box.layout.tree import Document
from roi_in_a_box.render.base import Renderer, RenderResult
from roi_in_a_box.render.pptx import font_embed
from roi_in_a_box.render.ooxml_package import FIXED_CORE_TIME, set_core_properties, write_reproducible
from roi_in_a_box.render.pptx.plan import (
    ChartPlan,
    DeckPlan,
    GroupPlan,
    LineShape,
    PicturePlan,
    ShapePlan,
    SlidePlan,
    SlidePlanner,
    TablePlan,
    TextFrame,
    TextShape,
    emu,
)
from roi_in_a_box.render.pptx.template import Base, base_for

_ANCHOR = {"t": MSO_ANCHOR.TOP, "ctr": MSO_ANCHOR.MIDDLE, "b": MSO_ANCHOR.BOTTOM}
_GEOM = {"rect": MSO_SHAPE.RECTANGLE, "roundRect": MSO_SHAPE.ROUNDED_RECTANGLE, "ellipse": MSO_SHAPE.OVAL}
_TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_Q = {n: qn(f"a:{n}") for n in ("bodyPr", "noAutofit", "p", "pPr", "lnSpc", "spcPts", "spcBef", "spcAft", "buNone",
                                "br", "rPr", "r", "fld", "solidFill", "srgbClr", "alpha", "latin", "cs", "hlinkClick", "t",
                                "endParaRPr")}


# The GUID PowerPoint requires on a text field; fixed, so the bytes are reproducible.
FIELD_ID = "{5C1D6E2A-7B3F-4E8D-9A61-0F2B4C8D3E17}"


# --------------------------------------------------------------------------- chart workbooks


class _FixedWorkbookWriter(CategoryWorkbookWriter):
    """XlsxWriter stamps the current time into the embedded workbook: fix it."""

    @contextmanager
    def _open_worksheet(self, xlsx_file):
        workbook = Workbook(xlsx_file, {"in_memory": True})
        workbook.set_properties({"created": FIXED_CORE_TIME})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


_XLSX: NamedCache[tuple, bytes] = NamedCache("pptx.chart_workbooks", 257)
_CHARTS: NamedCache[str, tuple[bytes, bytes]] = NamedCache("pptx.charts", 257)  # chart (as planned, less its box) → its XML and workbook


class _ChartData(CategoryChartData):
    key: tuple | None = None  # what the workbook holds, when the caller knows it

    @lazyproperty
    def _workbook_writer(self):
        return _FixedWorkbookWriter(self)

    @property
    def xlsx_blob(self):
        """The embedded workbook, memoised by its content (it is reproducible: fixed times)."""
        if self.key is None:
            return self._workbook_writer.xlsx_blob
        blob = _XLSX.get(self.key)
        if blob is None:
            blob = _XLSX[self.key] = self._workbook_writer.xlsx_blob
        return blob


def _point_texts(ser, texts: tuple[str, ...], size: float, color: str, position) -> None:
    """Text data labels on the points that have one (the locale's own figures, or the
    payback marker's label)."""
    for i, text in enumerate(texts):
        if not text:
            continue
        dl = ser.points[i].data_label
        tf = dl.text_frame
        tf.text = text
        run = tf.paragraphs[0].runs[0]
        run.font.size = Pt(size)
        run.font.bold = True
        run.font.color.rgb = RGBColor.from_string(color)
        dl.position = position


# --------------------------------------------------------------------------- text


def _srgb(parent, color: str, alpha: int | None = None):
    fill = etree.SubElement(parent, _Q["solidFill"])
    clr = etree.SubElement(fill, _Q["srgbClr"], val=color)
    if alpha is not None:
        etree.SubElement(clr, _Q["alpha"], val=str(int(alpha * 1000)))
    return fill


def write_paragraphs(txBody, frame: TextFrame, part, body_pr: bool = True) -> None:
    """Replace ``txBody``'s paragraphs with ``frame``'s (and set its bodyPr unless told not to)."""
    if body_pr:
        bp = txBody.find(_Q["bodyPr"])
        for k in list(bp.attrib):
            del bp.attrib[k]
        for c in list(bp):
            bp.remove(c)
        l, t, r, b = frame.insets
        bp.set("wrap", "square")
        bp.set("lIns", str(emu(l)))
        bp.set("tIns", str(emu(t)))
        bp.set("rIns", str(emu(r)))
        bp.set("bIns", str(emu(b)))
        bp.set("rtlCol", "0")
        bp.set("anchor", frame.anchor)
        etree.SubElement(bp, _Q["noAutofit"])
    for p in txBody.findall(_Q["p"]):
        txBody.remove(p)
    links: dict[str, str] = {}
    for para in frame.paras or (None,):
        p = etree.SubElement(txBody, _Q["p"])
        if para is None:
            continue
        ppr = etree.SubElement(p, _Q["pPr"], marL="0", indent="0", algn=para.align)
        etree.SubElement(etree.SubElement(ppr, _Q["lnSpc"]), _Q["spcPts"], val=str(int(round(para.line * 100))))
        etree.SubElement(etree.SubElement(ppr, _Q["spcBef"]), _Q["spcPts"],
                         val=str(int(round(para.space_before * 100))))
        etree.SubElement(etree.SubElement(ppr, _Q["spcAft"]), _Q["spcPts"], val="0")
        etree.SubElement(ppr, _Q["buNone"])
        sz = {"sz": str(int(round(para.size * 100)))} if para.size_set else {}  # else the placeholder's size
        lang = "en-US"
        for run in para.runs:
            lines = run.text.split("\n")
            for li, text in enumerate(lines):
                if li:
                    br = etree.SubElement(p, _Q["br"])
                    etree.SubElement(br, _Q["rPr"], lang=run.lang, **sz)
                if not text:
                    continue
                r = etree.SubElement(p, _Q["fld"], id=FIELD_ID, type=run.field) if run.field else \
                    etree.SubElement(p, _Q["r"])
                rpr = etree.SubElement(r, _Q["rPr"], lang=run.lang, **sz, b="1" if run.bold else "0",
                                       i="1" if run.italic else "0", dirty="0")
                if run.color:  # "" = the template's colour
                    _srgb(rpr, run.color, run.alpha)
                if run.latin:  # "" = the theme's font
                    etree.SubElement(rpr, _Q["latin"], typeface=run.latin)
                if run.cs:
                    etree.SubElement(rpr, _Q["cs"], typeface=run.cs)
                if run.link and part is not None:
                    rid = links.get(run.link)
                    if rid is None:
                        rid = links[run.link] = part.relate_to(run.link, RT.HYPERLINK, is_external=True)
                    etree.SubElement(rpr, _Q["hlinkClick"], {_R_ID: rid})
                etree.SubElement(r, _Q["t"]).text = text
            lang = run.lang
        etree.SubElement(p, _Q["endParaRPr"], lang=lang, **sz, dirty="0")


# --------------------------------------------------------------------------- shapes as XML
#
# Text boxes, autoshapes, groups and connectors are written as one XML string per top-level
# shape (parsed once) instead of through python-pptx's shape proxies: the XML is what
# python-pptx's add_textbox/add_shape/add_group_shape/add_connector plus the property
# setters used before made, element for element.

_NS = nsdecls("a", "p", "r")
_ATTR_ESC = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
_TEXT_ESC = {"\r": "&#13;"}
_BASENAME = {"rect": "Rectangle", "roundRect": "Rounded Rectangle", "ellipse": "Oval"}
_STYLE_CXN = ('<p:style><a:lnRef idx="2"><a:schemeClr val="accent1"/></a:lnRef><a:fillRef idx="0">'
              '<a:schemeClr val="accent1"/></a:fillRef><a:effectRef idx="1"><a:schemeClr val="accent1"/>'
              '</a:effectRef><a:fontRef idx="minor"><a:schemeClr val="tx1"/></a:fontRef></p:style>')


def _a(v: str) -> str:
    return escape(v, _ATTR_ESC)


def _paras_xml(out: list, frame: TextFrame, part, links: dict) -> None:
    """``write_paragraphs`` (with bodyPr) as XML text appended to ``out``."""
    l, t, r, b = frame.insets
    out.append(f'<p:txBody><a:bodyPr wrap="square" lIns="{emu(l)}" tIns="{emu(t)}" rIns="{emu(r)}" '
               f'bIns="{emu(b)}" rtlCol="0" anchor="{_a(frame.anchor)}"><a:noAutofit/></a:bodyPr><a:lstStyle/>')
    if not frame.paras:
        out.append("<a:p/>")
    for para in frame.paras:
        sz = str(int(round(para.size * 100)))
        out.append(f'<a:p><a:pPr marL="0" indent="0" algn="{_a(para.align)}"><a:lnSpc><a:spcPts '
                   f'val="{int(round(para.line * 100))}"/></a:lnSpc><a:spcBef><a:spcPts '
                   f'val="{int(round(para.space_before * 100))}"/></a:spcBef><a:spcAft><a:spcPts val="0"/>'
                   '</a:spcAft><a:buNone/></a:pPr>')
        lang = "en-US"
        for run in para.runs:
            rlang = _a(run.lang)
            for li, text in enumerate(run.text.split("\n")):
                if li:
                    out.append(f'<a:br><a:rPr lang="{rlang}" sz="{sz}"/></a:br>')
                if not text:
                    continue
                tag = "a:fld" if run.field else "a:r"
                field = f' id="{FIELD_ID}" type="{_a(run.field)}"' if run.field else ""
                out.append(f'<{tag}{field}><a:rPr lang="{rlang}" sz="{sz}" b="{"1" if run.bold else "0"}" '
                           f'i="{"1" if run.italic else "0"}" dirty="0"><a:solidFill><a:srgbClr val="{_a(run.color)}"')
                if run.alpha is not None:
                    out.append(f'><a:alpha val="{int(run.alpha * 1000)}"/></a:srgbClr>')
                else:
                    out.append("/>")
                out.append(f'</a:solidFill><a:latin typeface="{_a(run.latin)}"/>')
                if run.cs:
                    out.append(f'<a:cs typeface="{_a(run.cs)}"/>')
                if run.link and part is not None:
                    rid = links.get(run.link)
                    if rid is None:
                        rid = links[run.link] = part.relate_to(run.link, RT.HYPERLINK, is_external=True)
                    out.append(f'<a:hlinkClick r:id="{_a(rid)}"/>')
                out.append(f"</a:rPr><a:t>{escape(text, _TEXT_ESC)}</a:t></{tag}>")
            lang = run.lang
        out.append(f'<a:endParaRPr lang="{_a(lang)}" sz="{sz}" dirty="0"/></a:p>')
    out.append("</p:txBody>")


def _xfrm(b, rot: float = 0.0, flip: str = "") -> str:
    r = f' rot="{int(round(rot * 60000)) % 21600000}"' if rot else ""
    return f'<a:xfrm{flip}{r}><a:off x="{b.x}" y="{b.y}"/><a:ext cx="{b.w}" cy="{b.h}"/></a:xfrm>'


def _shape_xml(out: list, s: ShapePlan, part, ids: list, links: dict, root: bool) -> None:
    """Append the XML of a text/auto shape, group or connector (``ids[0]``: the next shape id)."""
    ns = f" {_NS}" if root else ""
    sid = ids[0]
    ids[0] += 1
    b = s.box
    if isinstance(s, TextShape):
        if s.fill is None and s.line is None and s.geometry == "rect":
            name = s.name or f"TextBox {sid - 1}"
            out.append(f'<p:sp{ns}><p:nvSpPr><p:cNvPr id="{sid}" name="{_a(name)}"/><p:cNvSpPr txBox="1"/><p:nvPr/>'
                       f'</p:nvSpPr><p:spPr>{_xfrm(b, s.rotation)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
                       "<a:noFill/></p:spPr>")
        else:
            prst = s.geometry if s.geometry in _BASENAME else "rect"
            name = s.name or f"{_BASENAME[prst]} {sid - 1}"
            out.append(f'<p:sp{ns}><p:nvSpPr><p:cNvPr id="{sid}" name="{_a(name)}"/><p:cNvSpPr/><p:nvPr/>'
                       f'</p:nvSpPr><p:spPr>{_xfrm(b, s.rotation)}<a:prstGeom prst="{prst}">')
            if prst == "roundRect":
                adj = int(min(0.5, s.radius * 12700 / max(1, min(b.w, b.h))) * 100000.0)
                out.append(f'<a:avLst><a:gd name="adj" fmla="val {adj}"/></a:avLst></a:prstGeom>')
            else:
                out.append("<a:avLst/></a:prstGeom>")
            out.append(f'<a:solidFill><a:srgbClr val="{_a(s.fill)}"/></a:solidFill>' if s.fill else "<a:noFill/>")
            if s.line:
                dash = '<a:prstDash val="dash"/>' if s.dashed else ""
                out.append(f'<a:ln w="{int(s.line_w * 12700)}"><a:solidFill><a:srgbClr val="{_a(s.line)}"/>'
                           f"</a:solidFill>{dash}</a:ln>")
            else:
                out.append("<a:ln><a:noFill/></a:ln>")
            out.append("</p:spPr>")
        _paras_xml(out, s.frame, part, links)
        out.append("</p:sp>")
    elif isinstance(s, GroupPlan):
        descr = f' descr="{_a(s.alt)}"' if s.alt else ""
        out.append(f'<p:grpSp{ns}><p:nvGrpSpPr><p:cNvPr id="{sid}" name="{_a(s.name or f"Group {sid - 1}")}"{descr}/>'
                   f'<p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="{b.x}" y="{b.y}"/>'
                   f'<a:ext cx="{b.w}" cy="{b.h}"/><a:chOff x="{b.x}" y="{b.y}"/><a:chExt cx="{b.w}" cy="{b.h}"/>'
                   "</a:xfrm></p:grpSpPr>")
        for child in s.children:
            _shape_xml(out, child, part, ids, links, False)
        out.append("</p:grpSp>")
    elif isinstance(s, LineShape):
        x0, y0, x1, y1 = b.x, b.y, b.x + b.w, b.y + b.h
        flip = (' flipH="1"' if x1 < x0 else "") + (' flipV="1"' if y1 < y0 else "")
        box = type(b)(min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0))
        arrow = '<a:tailEnd type="triangle" w="med" len="med"/>' if s.arrow else ""
        if s.dashed:
            arrow = '<a:prstDash val="dash"/>' + arrow
        out.append(f'<p:cxnSp{ns}><p:nvCxnSpPr><p:cNvPr id="{sid}" name="{_a(s.name or f"Connector {sid - 1}")}"/>'
                   f'<p:cNvCxnSpPr/><p:nvPr/></p:nvCxnSpPr><p:spPr>{_xfrm(box, flip=flip)}<a:prstGeom prst="line">'
                   f'<a:avLst/></a:prstGeom><a:ln w="{int(s.width * 12700)}"><a:solidFill><a:srgbClr '
                   f'val="{_a(s.color)}"/></a:solidFill>{arrow}</a:ln></p:spPr>{_STYLE_CXN}</p:cxnSp>')
    else:  # pragma: no cover
        raise TypeError(type(s))


def _notes_part(slide_part, cache: dict):
    """The slide's notes slide, made from a per-base copy of python-pptx's first one (the
    notes master's placeholders cloned once, not per slide)."""
    package = slide_part.package
    master = package.presentation_part.notes_master_part
    xml = cache.get("xml")
    if xml is None:
        nsp = NotesSlidePart.new(package, slide_part)
        cache["xml"] = etree.tostring(nsp._element)
    else:
        nsp = NotesSlidePart(package.next_partname("/ppt/notesSlides/notesSlide%d.xml"), CT.PML_NOTES_SLIDE,
                             package, parse_xml(xml))
        nsp.relate_to(master, RT.NOTES_MASTER)
        nsp.relate_to(slide_part, RT.SLIDE)
    slide_part.relate_to(nsp, RT.NOTES_SLIDE)
    return nsp


_NOTES: NamedCache[bytes, dict] = NamedCache("pptx.notes_slides", 17)


# --------------------------------------------------------------------------- opening the base


class _UnzippedBase:
    """A base presentation's members, unzipped once per process (``Presentation()`` of it
    reads these instead of inflating the same zip for every deck)."""

    def __init__(self, blobs: dict):
        self.blobs = blobs


class _DictPkgReader(serialized._PhysPkgReader):
    def __init__(self, blobs: dict):
        self._blobs = blobs

    def __contains__(self, pack_uri: object) -> bool:
        return pack_uri in self._blobs

    def __getitem__(self, pack_uri):
        if pack_uri not in self._blobs:
            raise KeyError(f"no member '{pack_uri}' in package")
        return self._blobs[pack_uri]


_zip_factory = serialized._PhysPkgReader.__dict__["factory"].__func__


def _factory(cls, pkg_file):
    if isinstance(pkg_file, _UnzippedBase):
        return _DictPkgReader(pkg_file.blobs)
    return _zip_factory(cls, pkg_file)


patches.install("pptx-package-reader", classmethod(_factory))
_UNZIPPED: NamedCache[bytes, _UnzippedBase] = NamedCache("pptx.unzipped_bases", 17)


def _open_base(blob: bytes):
    base = _UNZIPPED.get(blob)
    if base is None:
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            base = _UnzippedBase({PackURI(f"/{name}"): z.read(name) for name in z.namelist()})
        _UNZIPPED[blob] = base
    return Presentation(cast(Any, base))  # read through the patched package reader


class _Partnames:
    """``Package.next_partname`` for the parts a deck adds many of (notes slides, charts and
    their workbooks), without walking every part of the package on each call: the names in
    use are collected once per template and the same choice is made (python-pptx's rule:
    the highest free number up to count + 1)."""

    CACHED = ("/ppt/notesSlides/notesSlide%d.xml", "/ppt/charts/chart%d.xml",
              "/ppt/embeddings/Microsoft_Excel_Sheet%d.xlsx")

    def __init__(self, package):
        self.package = package
        self.original = package.next_partname
        self.used: dict[str, set[str]] = {}

    def __call__(self, tmpl: str) -> PackURI:
        if tmpl not in self.CACHED:
            return self.original(tmpl)
        names = self.used.get(tmpl)
        if names is None:
            prefix = tmpl[: (tmpl % 42).find("42")]
            names = self.used[tmpl] = {p.partname for p in self.package.iter_parts()
                                       if p.partname.startswith(prefix)}
        for n in range(len(names) + 1, 0, -1):
            candidate = tmpl % n
            if candidate not in names:
                names.add(candidate)
                return PackURI(candidate)
        raise RuntimeError("no free part name")  # pragma: no cover  # base presentation → its notes-slide XML


# --------------------------------------------------------------------------- placeholders

_EXTRA = {"ftr": PP_PLACEHOLDER.FOOTER, "sldNum": PP_PLACEHOLDER.SLIDE_NUMBER, "dt": PP_PLACEHOLDER.DATE}


def _clone_placeholder(slide, ph_type):
    """A copy of the layout's footer/slide-number/date placeholder on ``slide`` (position,
    insets and look inherited from the layout), or ``None`` when the layout has none."""
    src = next((ph for ph in slide.slide_layout.placeholders if ph.placeholder_format.type == ph_type), None)
    if src is None:
        return None
    el = deepcopy(src._element)
    sppr = el.find(qn("p:spPr"))
    for c in list(sppr):
        sppr.remove(c)
    tree = slide.shapes._spTree
    el.find(qn("p:nvSpPr")).find(qn("p:cNvPr")).set("id", str(tree.max_shape_id + 1))
    tree.insert_element_before(el, "p:extLst")
    return slide.shapes._shape_factory(el)


# --------------------------------------------------------------------------- renderer


class PptxRenderer(Renderer):
    """Neutral document → .pptx (native charts, tables and shapes; speaker notes with sources)."""

    format = "pptx"
    extension = ".pptx"

    def render(self, doc: Document, brand: Brand, path: Path) -> RenderResult:
        base = base_for(brand)
        plan = self.plan(doc, brand, base)
        prs = _open_base(base.blob)
        package = prs.part.package
        package.next_partname = _Partnames(package)
        warnings = list(base.warnings) + list(plan.warnings)
        self.write(prs, plan, base.blob, base.master)
        font_embed.embed(prs, brand, warnings)
        set_core_properties(prs.core_properties, title=doc.title, author=doc.author, subject=doc.subject,
                            keywords=", ".join(doc.keywords), language=doc.language)
        path = Path(path)
        write_reproducible(prs.save, path)
        return RenderResult(path=path, pages=len(plan.slides), warnings=warnings, fitting=list(plan.fitting))

    def plan(self, doc: Document, brand: Brand, base: Base | None = None) -> DeckPlan:
        """The slide plan alone (for tests and previews); the planner visits the blocks itself."""
        base = base or base_for(brand)
        return SlidePlanner(doc, brand, base.width, base.height, base.layouts or None, theme=base.theme).plan()

    # ------------------------------------------------------------------ execution

    def write(self, prs, plan: DeckPlan, base_key: bytes | None = None, master: int = 0) -> None:
        layouts: dict[str, Any] = {}
        for layout in list(prs.slide_masters)[master].slide_layouts:
            layouts.setdefault(layout.name, layout)
        first = next(iter(layouts.values()))
        if base_key is None:
            notes: dict[Any, Any] | None = {}
        else:
            notes = _NOTES.get(base_key)
            if notes is None:
                notes = _NOTES[base_key] = {}
        for sp in plan.slides:
            layout = layouts.get(sp.layout_name) or layouts.get("Title Only") or layouts.get("Blank") or first
            slide = prs.slides.add_slide(layout)
            self.write_slide(slide, sp, notes)

    def write_slide(self, slide, sp: SlidePlan, notes: dict | None = None) -> None:
        placeholders = {}
        for ph in slide.placeholders:
            pf = ph.placeholder_format
            placeholders["title" if pf.type in _TITLE_TYPES else pf.idx] = ph
        used: set = set()
        for s in sp.shapes:  # footer and slide-number placeholders: python-pptx does not copy them
            if isinstance(s, TextShape) and s.placeholder in _EXTRA and s.placeholder not in placeholders:
                placeholders[s.placeholder] = _clone_placeholder(slide, _EXTRA[s.placeholder])
        shapes = slide.shapes
        part = slide.part
        tree = shapes._spTree
        ids = [tree.max_shape_id + 1]
        links: dict[str, str] = {}
        for shape in sp.shapes:
            if isinstance(shape, (GroupPlan, LineShape)) or (
                    isinstance(shape, TextShape) and self._placeholder_key(shape, placeholders) is None):
                out: list[str] = []
                _shape_xml(out, shape, part, ids, links, True)
                el = parse_xml("".join(out))
                if shape.kind == "panel":  # a text panel goes behind everything, the placeholders included
                    tree.insert(2, el)  # after the group's nvGrpSpPr and grpSpPr
                else:
                    tree.insert_element_before(el, "p:extLst")
            else:
                self.add(shapes, shape, part, placeholders, used)
                ids[0] = tree.max_shape_id + 1
        for key, ph in placeholders.items():  # no empty "Click to add text" prompts
            if key not in used:
                ph._element.getparent().remove(ph._element)
        if sp.notes:
            _notes_part(part, {} if notes is None else notes).notes_slide.notes_text_frame.text = sp.notes

    @staticmethod
    def _placeholder_key(s: TextShape, placeholders):
        key = "title" if s.kind == "title" else s.placeholder
        return key if key is not None and placeholders.get(key) is not None else None

    def add(self, shapes, s: ShapePlan, part, placeholders, used) -> None:
        if isinstance(s, TextShape):
            self.add_text(shapes, s, part, placeholders, used)
        elif isinstance(s, TablePlan):
            self.add_table(shapes, s, part)
        elif isinstance(s, ChartPlan):
            self.add_chart(shapes, s, part)
        elif isinstance(s, PicturePlan):
            b = s.box
            pic = shapes.add_picture(s.path, b.x, b.y, b.w, b.h)
            pic.name = s.name
            # python-pptx describes a picture by its file name: the alt text, or nothing
            pic._element.nvPicPr.cNvPr.set("descr", s.alt)
        else:  # pragma: no cover
            raise TypeError(type(s))

    def add_text(self, shapes, s: TextShape, part, placeholders, used) -> None:
        b = s.box
        key = "title" if s.kind == "title" else s.placeholder
        ph = placeholders.get(key) if key is not None else None
        if ph is not None and key in _EXTRA:  # keeps the layout's position, insets and anchor
            used.add(key)
            ph.name = s.name or ph.name
            write_paragraphs(ph.text_frame._txBody, s.frame, part, body_pr=False)
            return
        if ph is not None:
            used.add(key)
            ph.left, ph.top, ph.width, ph.height = b.x, b.y, b.w, b.h
            shape = ph
        elif s.fill is None and s.line is None and s.geometry == "rect":
            shape = shapes.add_textbox(b.x, b.y, b.w, b.h)
        else:
            shape = shapes.add_shape(_GEOM.get(s.geometry, MSO_SHAPE.RECTANGLE), b.x, b.y, b.w, b.h)
            if s.geometry == "roundRect":
                shape.adjustments[0] = min(0.5, 6.0 * 12700 / max(1, min(b.w, b.h)))
            if s.fill:
                shape.fill.solid()
                shape.fill.fore_color.rgb = RGBColor.from_string(s.fill)
            else:
                shape.fill.background()
            if s.line:
                shape.line.color.rgb = RGBColor.from_string(s.line)
                shape.line.width = Pt(s.line_w)
                if s.dashed:
                    shape.line.dash_style = MSO_LINE_DASH_STYLE.DASH
            else:
                shape.line.fill.background()
            style = shape._element.find(qn("p:style"))  # theme style refs (shadow, font colour): all explicit here
            if style is not None:
                shape._element.remove(style)
        shape.name = s.name or shape.name
        if s.rotation:
            shape.rotation = s.rotation
        if s.frame.paras or shape.has_text_frame:
            write_paragraphs(shape.text_frame._txBody, s.frame, part)

    def add_table(self, shapes, s: TablePlan, part) -> None:
        b = s.box
        nrows, ncols = len(s.row_heights), len(s.col_widths)
        gf = shapes.add_table(nrows, ncols, b.x, b.y, b.w, b.h)
        gf.name = s.name
        table = gf.table
        for i, w in enumerate(s.col_widths):
            table.columns[i].width = w
        for i, h in enumerate(s.row_heights):
            table.rows[i].height = h
        for ri in range(nrows):
            for ci in range(ncols):
                cell = table.cell(ri, ci)
                frame = s.cells[ri][ci]
                fill = s.fills[ri][ci]
                if fill:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = RGBColor.from_string(fill)
                l, t, r, bm = frame.insets
                cell.margin_left, cell.margin_top, cell.margin_right, cell.margin_bottom = \
                    emu(l), emu(t), emu(r), emu(bm)
                cell.vertical_anchor = _ANCHOR[frame.anchor]
                write_paragraphs(cell.text_frame._txBody, frame, part, body_pr=False)

    def add_chart(self, shapes, s: ChartPlan, part) -> None:
        b = s.box
        key = repr((s.chart_type, s.categories, s.series, s.title, s.axis_format, s.font_size, s.label_size, s.latin, s.cs,
                    s.lang, s.legend, s.text_color, s.grid_color, s.category_title, s.axis_ticks, s.point_labels))
        hit = _CHARTS.get(key)
        if hit is not None:
            # the same chart again (the next deck of a batch): its finished XML and workbook,
            # made into parts in the order python-pptx's add_chart makes them
            xml, xlsx = hit
            package = part.package
            chart_part = ChartPart.load(package.next_partname(ChartPart.partname_template), CT.DML_CHART,
                                        package, xml)
            chart_part.relate_to(EmbeddedXlsxPart.new(xlsx, package), RT.PACKAGE)
            rid = part.relate_to(chart_part, RT.CHART)
            gf = shapes._shape_factory(shapes._add_chart_graphicFrame(rid, b.x, b.y, b.w, b.h))
            gf.name = s.name
            gf._element.nvGraphicFramePr.cNvPr.set("descr", s.alt)
            return
        chart_part = self._add_chart(shapes, s, part).chart_part
        _CHARTS[key] = (chart_part.blob, chart_part.chart_workbook.xlsx_part.blob)

    def _add_chart(self, shapes, s: ChartPlan, part):
        b = s.box
        cd = _ChartData(number_format=s.axis_format)
        cd.categories = s.categories
        for ser in s.series:
            cd.add_series(ser.name, ser.values, number_format=ser.number_format)
        cd.key = (s.axis_format, tuple(s.categories),
                  tuple((ser.name, tuple(map(repr, ser.values)), ser.number_format) for ser in s.series))
        ctype = {"bar": XL_CHART_TYPE.COLUMN_CLUSTERED, "waterfall": XL_CHART_TYPE.COLUMN_STACKED,
                 "line": XL_CHART_TYPE.LINE_MARKERS}[s.chart_type]
        gf = shapes.add_chart(ctype, b.x, b.y, b.w, b.h, cd)
        gf.name = s.name
        gf._element.nvGraphicFramePr.cNvPr.set("descr", s.alt)
        chart = gf.chart
        # python-pptx's chart XML uses negative axis ids; the schema says unsignedInt, and
        # LibreOffice reads ids of 2**31 and above as signed, loses which axes cross, and
        # then draws category labels at zero (on a negative bar) whatever tickLblPos says
        for el in chart._chartSpace.iter(qn("c:axId"), qn("c:crossAx")):
            v = int(el.get("val"))
            if v < 0:
                el.set("val", str(v + 2 ** 31))
        font = chart.font
        font.size = Pt(s.font_size)
        font.color.rgb = RGBColor.from_string(s.text_color)
        font.name = s.latin
        defrpr = font._rPr
        defrpr.set("lang", s.lang)
        if s.cs:
            etree.SubElement(defrpr, qn("a:cs"), typeface=s.cs)
        if s.title is not None:
            chart.has_title = True
            ct = chart.chart_title
            write_paragraphs(ct.text_frame._txBody, s.title, None, body_pr=False)
        else:
            chart.has_title = False
        chart.has_legend = s.legend
        if s.legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
        plot = chart.plots[0]
        if s.chart_type != "line":
            plot.gap_width = 60 if s.chart_type == "bar" else 40
        va = chart.value_axis
        va.has_major_gridlines = True
        va.major_gridlines.format.line.color.rgb = RGBColor.from_string(s.grid_color)
        va.major_gridlines.format.line.width = Pt(0.5)
        va.format.line.fill.background()
        va.tick_labels.number_format = s.axis_format
        va.tick_labels.number_format_is_linked = False
        if s.axis_ticks:  # the layout's axis: the same ticks as the PDF and Word charts
            va.minimum_scale, va.maximum_scale = s.axis_ticks[0], s.axis_ticks[-1]
            va.major_unit = s.axis_ticks[1] - s.axis_ticks[0]
        elif s.chart_type == "waterfall":
            va.minimum_scale = 0
        ca = chart.category_axis
        ca.format.line.color.rgb = RGBColor.from_string(s.grid_color)
        ca.tick_labels.font.size = Pt(s.font_size)
        ca.tick_label_position = XL_TICK_LABEL_POSITION.LOW  # below negative values too
        if s.category_title:
            ca.has_title = True
            tf = ca.axis_title.text_frame
            tf.text = s.category_title
            f = tf.paragraphs[0].runs[0].font
            f.size, f.bold = Pt(s.font_size), False
            f.color.rgb = RGBColor.from_string(s.text_color)
        for k, (ser_plan, ser) in enumerate(zip(s.series, plot.series)):
            texts = s.point_labels[k] if k < len(s.point_labels) else ()
            if s.chart_type == "line" and None in ser_plan.values:  # the payback marker
                ser.format.line.fill.background()
                ser.marker.style = XL_MARKER_STYLE.DIAMOND
                ser.marker.size = 11
                ser.marker.format.fill.solid()
                ser.marker.format.fill.fore_color.rgb = RGBColor.from_string(ser_plan.color)
                ser.marker.format.line.color.rgb = RGBColor.from_string("FFFFFF")
                # the diamond carries the accent; its label is text, in the chart's checked text colour
                _point_texts(ser, texts, s.font_size, s.text_color, XL_LABEL_POSITION.ABOVE)
                continue
            if texts and s.chart_type != "line":
                if s.chart_type == "waterfall":  # stacked columns: the figure inside its step
                    light = sum(int(ser_plan.color[i:i + 2], 16) for i in (0, 2, 4)) > 450
                    _point_texts(ser, texts, s.label_size, s.text_color if light else "FFFFFF",
                                 XL_LABEL_POSITION.CENTER)
                else:
                    _point_texts(ser, texts, s.label_size, s.text_color, XL_LABEL_POSITION.OUTSIDE_END)
                ser.format.fill.solid()
                ser.format.fill.fore_color.rgb = RGBColor.from_string(ser_plan.color)
                continue
            if s.chart_type == "line":
                if texts:  # the start, the lowest point and the end carry their figures
                    _point_texts(ser, texts, s.label_size, s.text_color, XL_LABEL_POSITION.ABOVE)
                ser.format.line.color.rgb = RGBColor.from_string(ser_plan.color)
                ser.format.line.width = Pt(2.25)
                ser.smooth = False
                ser.marker.style = XL_MARKER_STYLE.CIRCLE
                ser.marker.size = 5
                ser.marker.format.fill.solid()
                ser.marker.format.fill.fore_color.rgb = RGBColor.from_string(ser_plan.color)
                ser.marker.format.line.color.rgb = RGBColor.from_string(ser_plan.color)
                continue
            if ser_plan.invisible:
                ser.format.fill.background()
                ser.format.line.fill.background()
            else:
                ser.format.fill.solid()
                ser.format.fill.fore_color.rgb = RGBColor.from_string(ser_plan.color)
            if ser_plan.labels and not ser_plan.invisible:
                dl = ser.data_labels
                dl.show_value = True
                dl.number_format = ser_plan.number_format
                dl.number_format_is_linked = False
                dl.font.size = Pt(s.label_size)
                dl.position = XL_LABEL_POSITION.OUTSIDE_END if s.chart_type == "bar" else XL_LABEL_POSITION.CENTER
                if s.chart_type == "waterfall":
                    light = sum(int(ser_plan.color[i:i + 2], 16) for i in (0, 2, 4)) > 450
                    dl.font.color.rgb = RGBColor.from_string(s.text_color if light else "FFFFFF")
        return gf
