"""Vector drawings in Word: marks as DrawingML shapes in one inline group (``wpg:wgp``).

Word and LibreOffice both draw a group of ``wps:wsp`` shapes natively (fills, outlines,
dashes, arrow heads, text boxes), so the framework stays a vector drawing whose colours and
labels are the file's own, not a picture of them.
"""

from __future__ import annotations

from collections.abc import Callable

from roi_in_a_box.render.framework import Mark

from .xml import esc

EMU_PER_PT = 12700
WPG = "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"
NSDECL_DRAWING = ('xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" '
                  'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"')


def _emu(pt: float) -> int:
    return int(round(pt * EMU_PER_PT))


def _xfrm(x: float, y: float, w: float, h: float, flip: str = "") -> str:
    return f'<a:xfrm{flip}><a:off x="{_emu(x)}" y="{_emu(y)}"/><a:ext cx="{_emu(w)}" cy="{_emu(h)}"/></a:xfrm>'


def _line(m: Mark) -> str:
    if not m.line:
        return "<a:ln><a:noFill/></a:ln>"
    dash = '<a:prstDash val="dash"/>' if m.dashed else ""
    head = '<a:tailEnd type="triangle" w="sm" len="sm"/>' if m.geometry == "line" else ""
    return f'<a:ln w="{_emu(m.line_w)}"><a:solidFill><a:srgbClr val="{m.line}"/></a:solidFill>{dash}{head}</a:ln>'


def _shape(m: Mark, sid: int, paragraph: Callable[[Mark], str]) -> str:
    name = esc(m.name)
    if m.geometry == "line":
        x0, y0, x1, y1 = m.x, m.y, m.x + m.w, m.y + m.h
        flip = (' flipH="1"' if x1 < x0 else "") + (' flipV="1"' if y1 < y0 else "")
        return (f'<wps:wsp><wps:cNvPr id="{sid}" name="{name}"/><wps:cNvCnPr/><wps:spPr>'
                f'{_xfrm(min(x0, x1), min(y0, y1), abs(m.w), abs(m.h), flip)}'
                f'<a:prstGeom prst="straightConnector1"><a:avLst/></a:prstGeom><a:noFill/>{_line(m)}</wps:spPr>'
                "<wps:bodyPr/></wps:wsp>")
    geom = f'<a:prstGeom prst="{m.geometry}">'
    if m.geometry == "roundRect":
        adj = int(min(0.5, m.radius / max(min(m.w, m.h), 0.01)) * 100000)
        geom += f'<a:avLst><a:gd name="adj" fmla="val {adj}"/></a:avLst></a:prstGeom>'
    else:
        geom += "<a:avLst/></a:prstGeom>"
    fill = f'<a:solidFill><a:srgbClr val="{m.fill}"/></a:solidFill>' if m.fill else "<a:noFill/>"
    text = (f"<wps:txbx><w:txbxContent>{paragraph(m)}</w:txbxContent></wps:txbx>" if m.text else "")
    il, it, ir, ib = (_emu(v) for v in m.inset)
    return (f'<wps:wsp><wps:cNvPr id="{sid}" name="{name}"/><wps:cNvSpPr/><wps:spPr>{_xfrm(m.x, m.y, m.w, m.h)}'
            f"{geom}{fill}{_line(m)}</wps:spPr>{text}"
            f'<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="{il}" tIns="{it}" rIns="{ir}" bIns="{ib}" '
            f'anchor="{m.anchor}" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp>')


def group_run(marks: tuple[Mark, ...], width: float, height: float, doc_id: int, alt: str,
              paragraph: Callable[[Mark], str]) -> str:
    """A ``w:r`` holding the marks as one inline group ``width`` x ``height`` pt;
    ``paragraph`` writes a mark's label as a ``w:p`` (the renderer's runs and fonts)."""
    cx, cy = _emu(width), _emu(height)
    shapes = "".join(_shape(m, doc_id * 1000 + i + 1, paragraph) for i, m in enumerate(marks))
    return (f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:docPr id="{doc_id}" name="Drawing {doc_id}" descr="{esc(alt)}"/><wp:cNvGraphicFramePr/>'
            f'<a:graphic><a:graphicData uri="{WPG}"><wpg:wgp {NSDECL_DRAWING}><wpg:cNvGrpSpPr/><wpg:grpSpPr>'
            f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/><a:chOff x="0" y="0"/>'
            f'<a:chExt cx="{cx}" cy="{cy}"/></a:xfrm></wpg:grpSpPr>{shapes}</wpg:wgp></a:graphicData></a:graphic>'
            "</wp:inline></w:drawing></w:r>")
