"""Generate the binary files of the example company brand kit ``brand_kits/meridian``.

Meridian Freight Group is a fictional logistics company.  This script draws its logo
(``logo.png``, Pillow + the Lato font from fontpkg-lato) and builds its company templates:

* ``template.pptx`` (python-pptx + lxml): 16:9, one slide master with a navy top band, the
  wordmark, an accent rule under the title and a confidentiality footer; four layouts named
  "Title Slide", "Title and Content", "Title Only" and "Blank"; theme colours and fonts
  (Lato, complex-script Sarabun); and one sample slide, which renderers must not carry over.
* ``reference.docx`` (python-docx + lxml): US Letter, margins 1 in top/bottom and 0.9 in
  left/right; Normal, Title, Heading 1-3, Quote and Caption in the company colours and Lato;
  a header with the logo and company name, a footer line with a page number; and some
  instruction text in the body, which renderers must drop.

Deterministic: fixed core-property times and zip entry times
(:func:`roi_in_a_box.render.ooxml_package.write_reproducible`), so running it twice gives
identical bytes.  No macros, no external relationships (checked before writing).

    python tools/make_meridian_templates.py [--out brand_kits/meridian]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from pathlib import Path

from lxml import etree
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from roi_in_a_box.brand.template_check import check_ooxml_template
from roi_in_a_box.render.ooxml_package import set_core_properties, write_reproducible

# --------------------------------------------------------------------------- company identity

COMPANY = "Meridian Freight Group"
NAVY, TEAL, CORAL = "14325C", "0F7C7A", "E86A50"
INK, MUTED, RULE, MIST = "1B2430", "56606E", "C9D1DB", "EEF2F6"
FONT, CS_FONT = "Lato", "Sarabun"
STAMP = dt.datetime(2024, 1, 15, 9, 0, 0)  # fixed "created/modified" of both templates
SAMPLE_SLIDE_TITLE = "TEMPLATE SAMPLE SLIDE: Q3 network update"
SAMPLE_SLIDE_BODY = "Replace this sample text. Meridian template sample body, not for customer decks."
REFERENCE_BODY = "REFERENCE BODY TEXT: how to use the Meridian Word template."

EMU_PT = 12700
W_PT, H_PT = 960.0, 540.0  # 13.333 x 7.5 in


def _rgb(hex6: str) -> tuple[int, int, int]:
    return tuple(int(hex6[i:i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def _lato(style: str) -> Path:
    import fontpkg_lato

    return Path(fontpkg_lato.__file__).parent / "files" / f"Lato-{style}.ttf"


# --------------------------------------------------------------------------- logo (Pillow)


def _emblem(s: int, on_dark: bool) -> Image.Image:
    """A rounded square with three meridian arcs and a coral dot (the 'route' mark), s x s px."""
    mask = Image.new("L", (s, s), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, s - 1, s - 1), radius=s // 5, fill=255)
    tile = Image.new("RGBA", (s, s), (255, 255, 255, 255) if on_dark else _rgb(NAVY) + (255,))
    draw = ImageDraw.Draw(tile)
    line = _rgb(NAVY) if on_dark else (255, 255, 255)
    w = max(2, s // 14)
    for i in range(3):  # arcs sweeping from lower left to upper right, like lanes on a globe
        r = int(s * (0.62 + 0.30 * i))
        cx, cy = -int(s * 0.10), s + int(r * 0.30)
        draw.arc((cx - r, cy - r, cx + r, cy + r), start=270, end=360,
                 fill=_rgb(TEAL) if i == 1 else line, width=w)
    d = s // 5
    cx, cy = int(s * 0.72), int(s * 0.26)
    draw.ellipse((cx - d // 2, cy - d // 2, cx + d // 2, cy + d // 2), fill=_rgb(CORAL))
    out = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    out.paste(tile, (0, 0), mask)
    return out


def make_logo(on_dark: bool = False, scale: int = 4) -> bytes:
    """The horizontal logo as PNG bytes (transparent background)."""
    W, H = 760 * scale, 200 * scale
    img = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    s = 168 * scale
    img.alpha_composite(_emblem(s, on_dark), (16 * scale, (H - s) // 2))
    word = ImageFont.truetype(str(_lato("Black")) if _lato("Black").exists() else str(_lato("Bold")), 92 * scale)
    sub = ImageFont.truetype(str(_lato("Bold")), 34 * scale)
    ink = (255, 255, 255) if on_dark else _rgb(NAVY)
    sub_ink = (255, 255, 255) if on_dark else _rgb(TEAL)
    x0 = 16 * scale + s + 40 * scale

    def spaced(text: str, font, y: int, fill, tracking: float) -> None:
        x = x0
        for ch in text:
            draw.text((x, y), ch, font=font, fill=fill)
            x += font.getlength(ch) + tracking
    spaced("MERIDIAN", word, 12 * scale, ink, 6 * scale)
    spaced("FREIGHT GROUP", sub, 128 * scale, sub_ink, 10.5 * scale)
    img = img.resize((W // scale, H // scale), Image.LANCZOS)
    bbox = img.getbbox()
    if bbox:
        img = img.crop((max(0, bbox[0] - 4), max(0, bbox[1] - 4), min(img.width, bbox[2] + 4),
                        min(img.height, bbox[3] + 4)))
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


# --------------------------------------------------------------------------- PPTX helpers

NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
NSDECL = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())


def E(v: float) -> int:
    return round(v * EMU_PT)


def _xfrm(x: float, y: float, w: float, h: float) -> str:
    return f'<a:xfrm><a:off x="{E(x)}" y="{E(y)}"/><a:ext cx="{E(w)}" cy="{E(h)}"/></a:xfrm>'


def _shape(sid: int, name: str, x, y, w, h, fill: str | None, geom: str = "rect", adj: str = "",
           alpha: int | None = None, line: str | None = None, line_w: float = 0.75, rot: int = 0) -> str:
    fill_xml = "<a:noFill/>"
    if fill:
        a = f'<a:alpha val="{alpha * 1000}"/>' if alpha is not None else ""
        fill_xml = f'<a:solidFill><a:srgbClr val="{fill}">{a}</a:srgbClr></a:solidFill>'
    ln = (f'<a:ln w="{E(line_w)}"><a:solidFill><a:srgbClr val="{line}"/></a:solidFill></a:ln>' if line
          else "<a:ln><a:noFill/></a:ln>")
    xfrm = _xfrm(x, y, w, h)
    if rot:
        xfrm = xfrm.replace("<a:xfrm>", f'<a:xfrm rot="{rot * 60000}">')
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{name}"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
            f'<p:spPr>{xfrm}<a:prstGeom prst="{geom}"><a:avLst>{adj}</a:avLst></a:prstGeom>{fill_xml}{ln}'
            '</p:spPr><p:txBody><a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:endParaRPr lang="en-US"/>'
            '</a:p></p:txBody></p:sp>')


def _text(sid: int, name: str, x, y, w, h, text: str, size: float, color: str, bold: bool = False,
          align: str = "l", spacing: int = 0, field: str | None = None, anchor: str = "ctr") -> str:
    rpr = (f'<a:rPr lang="en-US" sz="{int(size * 100)}" b="{1 if bold else 0}" spc="{spacing}" dirty="0">'
           f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'
           f'<a:latin typeface="+mn-lt"/><a:cs typeface="+mn-cs"/></a:rPr>')
    if field:
        run = f'<a:fld id="{{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}}" type="{field}">{rpr}<a:t>{text}</a:t></a:fld>'
    else:
        run = f"<a:r>{rpr}<a:t>{text}</a:t></a:r>"
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{name}"/><p:cNvSpPr txBox="1"/><p:nvPr userDrawn="1"/>'
            f'</p:nvSpPr><p:spPr>{_xfrm(x, y, w, h)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/>'
            f'</p:spPr><p:txBody><a:bodyPr wrap="none" lIns="0" tIns="0" rIns="0" bIns="0" rtlCol="0" anchor="{anchor}">'
            f'<a:noAutofit/></a:bodyPr><a:lstStyle/><a:p><a:pPr algn="{align}"/>{run}'
            f'<a:endParaRPr lang="en-US" sz="{int(size * 100)}" dirty="0"/></a:p></p:txBody></p:sp>')


def _pic(sid: int, name: str, rid: str, x, y, w, h, descr: str) -> str:
    return (f'<p:pic><p:nvPicPr><p:cNvPr id="{sid}" name="{name}" descr="{descr}"/><p:cNvPicPr>'
            '<a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr userDrawn="1"/></p:nvPicPr>'
            f'<p:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>'
            f'<p:spPr>{_xfrm(x, y, w, h)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>')


def _ph(sid: int, name: str, ph: str, box: tuple | None, prompt: str | None, body_pr: str = "",
        lst: str = "", levels: int = 1, autofit: bool = False) -> str:
    xfrm = _xfrm(*box) if box else ""
    paras = '<a:p><a:endParaRPr lang="en-US"/></a:p>'
    if prompt is not None:
        texts = (prompt, "Second level", "Third level", "Fourth level")[:levels]
        paras = "".join((f'<a:p><a:pPr lvl="{i}"/>' if i else "<a:p>") + f'<a:r><a:rPr lang="en-US"/><a:t>{t}</a:t>'
                        '</a:r></a:p>' for i, t in enumerate(texts))
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{name}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
            f'<p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:spPr>{xfrm}</p:spPr>'
            f'<p:txBody><a:bodyPr{body_pr}>{"<a:normAutofit/>" if autofit else ""}</a:bodyPr>'
            f'<a:lstStyle>{lst}</a:lstStyle>{paras}</p:txBody></p:sp>')


def _sp_tree(shapes: list[str]) -> etree._Element:
    xml = (f'<p:spTree {NSDECL}><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
           '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/>'
           f'<a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>{"".join(shapes)}</p:spTree>')
    return etree.fromstring(xml)


def _replace_tree(c_sld, shapes: list[str]) -> None:
    old = c_sld.find(f"{{{NS['p']}}}spTree")
    old.addprevious(_sp_tree(shapes))
    c_sld.remove(old)


def _bg(c_sld, color: str) -> None:
    old = c_sld.find(f"{{{NS['p']}}}bg")
    if old is not None:
        c_sld.remove(old)
    c_sld.insert(0, etree.fromstring(f'<p:bg {NSDECL}><p:bgPr><a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'
                                     '<a:effectLst/></p:bgPr></p:bg>'))


# Shared geometry (points): content goes in the body area, the footer band below it holds
# the footer placeholder (left, where decks put the kit's footer line), the confidentiality
# notice (centre), the date (unused) and the slide number (right).
MARGIN = 36.0
TITLE_BOX = (MARGIN, 30.0, 740.0, 56.0)
BODY_BOX = (MARGIN, 104.0, W_PT - 2 * MARGIN, 392.0)
FOOT_Y = 503.0
DT_BOX, FTR_BOX, NUM_BOX = (640.0, 510.0, 150.0, 18.0), (MARGIN, 510.0, 288.0, 18.0), (864.0, 510.0, 60.0, 18.0)


def _theme(prs) -> None:
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    a = NS["a"]
    root.set("name", "Meridian")
    scheme = root.find(f".//{{{a}}}clrScheme")
    scheme.set("name", "Meridian")
    colors = {"dk1": INK, "lt1": "FFFFFF", "dk2": NAVY, "lt2": MIST, "accent1": NAVY, "accent2": TEAL,
              "accent3": CORAL, "accent4": "4F7CAC", "accent5": "8FA9C4", "accent6": "F2B134",
              "hlink": TEAL, "folHlink": "6B4E9B"}
    for el in scheme:
        tag = etree.QName(el).localname
        if tag in colors:
            for c in list(el):
                el.remove(c)
            etree.SubElement(el, f"{{{a}}}srgbClr", val=colors[tag])
    fonts = root.find(f".//{{{a}}}fontScheme")
    fonts.set("name", "Meridian")
    for tag in ("majorFont", "minorFont"):
        f = fonts.find(f"{{{a}}}{tag}")
        f.find(f"{{{a}}}latin").set("typeface", FONT)
        f.find(f"{{{a}}}cs").set("typeface", CS_FONT)
        for script in f.findall(f"{{{a}}}font"):
            if script.get("script") == "Thai":
                script.set("typeface", CS_FONT)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _text_styles(master_el) -> None:
    a, p = NS["a"], NS["p"]
    tx = master_el.find(f"{{{p}}}txStyles")
    title = tx.find(f"{{{p}}}titleStyle/{{{a}}}lvl1pPr")
    title.set("algn", "l")
    d = title.find(f"{{{a}}}defRPr")
    d.set("sz", "2800")
    d.set("b", "1")
    for c in list(d):
        d.remove(c)
    for xml in (f'<a:solidFill {NSDECL}><a:schemeClr val="tx2"/></a:solidFill>',
                f'<a:latin {NSDECL} typeface="+mj-lt"/>', f'<a:ea {NSDECL} typeface="+mj-ea"/>',
                f'<a:cs {NSDECL} typeface="+mj-cs"/>'):
        d.append(etree.fromstring(xml))
    sizes = {1: 2000, 2: 1800, 3: 1600, 4: 1400, 5: 1400}
    for lvl, sz in sizes.items():
        pp = tx.find(f"{{{p}}}bodyStyle/{{{a}}}lvl{lvl}pPr")
        if pp is None:
            continue
        bu = pp.find(f"{{{a}}}buFont")
        if bu is not None:  # bullet colour: teal (schema order: buClr before buFont)
            old = pp.find(f"{{{a}}}buClr")
            if old is not None:
                pp.remove(old)
            bu.addprevious(etree.fromstring(f'<a:buClr {NSDECL}><a:schemeClr val="accent2"/></a:buClr>'))
        d = pp.find(f"{{{a}}}defRPr")
        d.set("sz", str(sz))


def _master(prs, logo_rid: str) -> None:
    master = prs.slide_master
    el = master._element
    c_sld = el.find(f"{{{NS['p']}}}cSld")
    _bg(c_sld, "FFFFFF")
    lw = 112.0
    lh = lw * 0.263  # the logo's aspect ratio (set precisely in build_pptx)
    shapes = [
        _shape(7, "Brand band", 0, 0, W_PT, 10, NAVY),
        _shape(8, "Brand band accent", W_PT - 168, 0, 112, 10, TEAL),
        _shape(9, "Brand band accent 2", W_PT - 56, 0, 56, 10, CORAL),
        _ph(2, "Title Placeholder 1", '<p:ph type="title"/>', TITLE_BOX, "Click to edit Master title style",
            body_pr=' vert="horz" lIns="0" tIns="0" rIns="0" bIns="0" rtlCol="0" anchor="b"', autofit=True),
        _ph(3, "Text Placeholder 2", '<p:ph type="body" idx="1"/>', BODY_BOX, "Click to edit Master text styles",
            body_pr=' vert="horz" lIns="0" tIns="0" rIns="0" bIns="0" rtlCol="0"', levels=4),
        # coral bar left of the title (the renderer centres slide titles in the placeholder)
        _shape(10, "Title accent bar", MARGIN - 16, TITLE_BOX[1] + 14, 5.0, TITLE_BOX[3] - 28, CORAL),
        _pic(11, "Meridian wordmark", logo_rid, W_PT - MARGIN - lw, 36.0, lw, lh, f"{COMPANY} logo"),
        _shape(12, "Footer rule", MARGIN, FOOT_Y, W_PT - 2 * MARGIN, 0.75, RULE),
        # baseline-aligned with the 9 pt footer placeholder beside it
        _text(13, "Confidentiality notice", 330.0, 511.5, 300.0, 14.0,
              "CONFIDENTIAL · PREPARED FOR CUSTOMER USE", 7.5, MUTED, bold=True, align="ctr", spacing=60,
              anchor="t"),
        _ph(4, "Date Placeholder 3", '<p:ph type="dt" sz="half" idx="2"/>', DT_BOX, None,
            body_pr=' vert="horz" lIns="0" tIns="0" rIns="0" bIns="0" rtlCol="0" anchor="ctr"',
            lst=f'<a:lvl1pPr algn="l"><a:defRPr sz="900"><a:solidFill><a:srgbClr val="{MUTED}"/></a:solidFill>'
                '</a:defRPr></a:lvl1pPr>'),
        _ph(5, "Footer Placeholder 4", '<p:ph type="ftr" sz="quarter" idx="3"/>', FTR_BOX, None,
            body_pr=' vert="horz" lIns="0" tIns="0" rIns="0" bIns="0" rtlCol="0" anchor="ctr"',
            lst=f'<a:lvl1pPr algn="l"><a:defRPr sz="900"><a:solidFill><a:srgbClr val="{MUTED}"/></a:solidFill>'
                '</a:defRPr></a:lvl1pPr>'),
        _ph(6, "Slide Number Placeholder 5", '<p:ph type="sldNum" sz="quarter" idx="4"/>', NUM_BOX, None,
            body_pr=' vert="horz" lIns="0" tIns="0" rIns="0" bIns="0" rtlCol="0" anchor="ctr"',
            lst=f'<a:lvl1pPr algn="r"><a:defRPr sz="900"><a:solidFill><a:srgbClr val="{MUTED}"/></a:solidFill>'
                '</a:defRPr></a:lvl1pPr>'),
    ]
    _replace_tree(c_sld, shapes)
    _text_styles(el)


def _footer_phs(start: int) -> list[str]:
    return [_ph(start, "Date Placeholder", '<p:ph type="dt" sz="half" idx="10"/>', None, None),
            _ph(start + 1, "Footer Placeholder", '<p:ph type="ftr" sz="quarter" idx="11"/>', None, None),
            _ph(start + 2, "Slide Number Placeholder", '<p:ph type="sldNum" sz="quarter" idx="12"/>', None, None)]


def _layouts(prs, white_logo: bytes) -> None:
    by_name = {l.name: l for l in prs.slide_layouts}
    keep = ["Title Slide", "Title and Content", "Title Only", "Blank"]
    for layout in list(prs.slide_layouts):
        if layout.name not in keep:
            prs.slide_layouts.remove(layout)
    p = NS["p"]

    # Title Slide: its own look (navy hero panel), master shapes hidden
    ts = by_name["Title Slide"]
    ts._element.set("showMasterSp", "0")
    _, rid = ts.part.get_or_add_image_part(io.BytesIO(white_logo))
    with Image.open(io.BytesIO(white_logo)) as im:
        ratio = im.height / im.width
    c_sld = ts._element.find(f"{{{p}}}cSld")
    c_sld.set("name", "Title Slide")
    panel_h = 196.0
    chevrons = []
    for i, (color, alpha) in enumerate(((TEAL, None), (TEAL, 55), ("FFFFFF", 18))):
        chevrons.append(_shape(20 + i, f"Lane chevron {i + 1}", 690.0 + 70 * i, 48.0, 84.0, 100.0, color,
                               geom="chevron", adj='<a:gd name="adj" fmla="val 42000"/>', alpha=alpha))
    shapes = [
        _shape(10, "Hero panel", 0, 0, W_PT, panel_h, NAVY),
        *chevrons,
        _shape(24, "Hero stripe coral", 0, panel_h, 320.0, 6.0, CORAL),
        _shape(25, "Hero stripe teal", 320.0, panel_h, W_PT - 320.0, 6.0, TEAL),
        _pic(26, "Meridian wordmark (reversed)", rid, MARGIN, 40.0, 190.0, 190.0 * ratio, f"{COMPANY} logo"),
        _text(27, "Tagline", MARGIN, 150.0, 400.0, 18.0, "CUSTOMER VALUE RESEARCH", 9.0, "FFFFFF", bold=True,
              spacing=200),
        _ph(2, "Title 1", '<p:ph type="ctrTitle"/>', (MARGIN, 228.0, 820.0, 104.0), "Click to edit title",
            body_pr=' lIns="0" tIns="0" rIns="0" bIns="0" anchor="b"', autofit=True,
            lst='<a:lvl1pPr algn="l"><a:defRPr sz="3600" b="1"/></a:lvl1pPr>'),
        _ph(3, "Subtitle 2", '<p:ph type="subTitle" idx="1"/>', (MARGIN, 346.0, 820.0, 60.0),
            "Click to edit subtitle", body_pr=' lIns="0" tIns="0" rIns="0" bIns="0"',
            lst=f'<a:lvl1pPr marL="0" indent="0" algn="l"><a:buNone/><a:defRPr sz="1800">'
                f'<a:solidFill><a:srgbClr val="{MUTED}"/></a:solidFill></a:defRPr></a:lvl1pPr>'),
        _shape(28, "Footer rule", MARGIN, FOOT_Y, W_PT - 2 * MARGIN, 0.75, RULE),
        *_footer_phs(30),
    ]
    _replace_tree(c_sld, shapes)

    tc = by_name["Title and Content"]
    tc._element.find(f"{{{p}}}cSld").set("name", "Title and Content")
    _replace_tree(tc._element.find(f"{{{p}}}cSld"), [
        _ph(2, "Title 1", '<p:ph type="title"/>', TITLE_BOX, "Click to edit title"),
        _ph(3, "Content Placeholder 2", '<p:ph idx="1"/>', BODY_BOX, "Click to edit text", levels=3),
        *_footer_phs(4),
    ])

    to = by_name["Title Only"]
    to._element.find(f"{{{p}}}cSld").set("name", "Title Only")
    _replace_tree(to._element.find(f"{{{p}}}cSld"), [
        _ph(2, "Title 1", '<p:ph type="title"/>', TITLE_BOX, "Click to edit title"),
        *_footer_phs(3),
    ])

    bl = by_name["Blank"]
    bl._element.find(f"{{{p}}}cSld").set("name", "Blank")
    _replace_tree(bl._element.find(f"{{{p}}}cSld"), _footer_phs(2))


def build_pptx(path: Path, logo: bytes, white_logo: bytes) -> None:
    from pptx import Presentation
    from pptx.util import Emu

    prs = Presentation()
    _drop_stale_parts(prs.part, prs.part.package)
    prs.slide_width, prs.slide_height = Emu(E(W_PT)), Emu(E(H_PT))
    _theme(prs)
    _, rid = prs.slide_master.part.get_or_add_image_part(io.BytesIO(logo))
    _master(prs, rid)
    with Image.open(io.BytesIO(logo)) as im:  # exact logo height for its aspect ratio
        ratio = im.height / im.width
    for pic in prs.slide_master._element.iter(f"{{{NS['p']}}}pic"):
        ext = pic.find(f".//{{{NS['a']}}}ext")
        ext.set("cy", str(int(int(ext.get("cx")) * ratio)))
    _layouts(prs, white_logo)

    # one sample slide, as a real company template ships; renderers must drop it
    layout = next(l for l in prs.slide_layouts if l.name == "Title and Content")
    slide = prs.slides.add_slide(layout)
    slide.shapes.title.text = SAMPLE_SLIDE_TITLE
    body = next(ph for ph in slide.placeholders if ph.placeholder_format.idx == 1)
    body.text_frame.text = SAMPLE_SLIDE_BODY
    p2 = body.text_frame.add_paragraph()
    p2.text = "Lanes on time: 97.4% · Dwell time down 11% · Claims ratio 0.3%"
    p2.level = 1
    slide.notes_slide.notes_text_frame.text = "Sample speaker notes from the Meridian template."

    set_core_properties(prs.core_properties, title=f"{COMPANY} presentation template", author=COMPANY,
                        subject="Corporate slide template", keywords="Meridian, template", language="en-US",
                        when=STAMP)
    write_reproducible(prs.save, path)


# --------------------------------------------------------------------------- DOCX


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _style_fonts_colour(style, size: float, color: str, bold: bool = False, italic: bool = False,
                        caps: bool = False, spacing: float | None = None) -> None:
    from docx.shared import Pt, RGBColor

    f = style.font
    f.name = FONT  # ascii/hAnsi; theme font attributes removed below
    f.size = Pt(size)
    f.bold = bold
    f.italic = italic
    f.all_caps = caps
    f.color.rgb = RGBColor.from_string(color)
    rpr = style.element.get_or_add_rPr()
    rf = rpr.find(_w("rFonts"))
    for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rf.attrib.pop(_w(a), None)
    rf.set(_w("eastAsia"), FONT)
    color_el = rpr.find(_w("color"))
    for a in ("themeColor", "themeShade", "themeTint"):
        color_el.attrib.pop(_w(a), None)
    if spacing is not None:
        style.paragraph_format.space_before = Pt(spacing)


def _ppr(style):
    return style.element.get_or_add_pPr()


def _border(style, side: str, color: str, size: int, space: int = 4) -> None:
    from docx.oxml import parse_xml

    ppr = _ppr(style)
    bdr = ppr.find(_w("pBdr"))
    if bdr is None:
        bdr = parse_xml(f'<w:pBdr xmlns:w="{W_NS}"/>')
        # schema order: pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr
        after = None
        for tag in ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
                    "suppressLineNumbers"):
            found = ppr.find(_w(tag))
            if found is not None:
                after = found
        if after is not None:
            after.addnext(bdr)
        else:
            ppr.insert(0, bdr)
    bdr.append(parse_xml(f'<w:{side} xmlns:w="{W_NS}" w:val="single" w:sz="{size}" w:space="{space}" '
                         f'w:color="{color}"/>'))


def _docx_theme(document) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    part = document.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    a = NS["a"]
    for tag in ("majorFont", "minorFont"):
        f = root.find(f".//{{{a}}}{tag}")
        f.find(f"{{{a}}}latin").set("typeface", FONT)
    root.find(f".//{{{a}}}fontScheme").set("name", "Meridian")
    scheme = root.find(f".//{{{a}}}clrScheme")
    scheme.set("name", "Meridian")
    colors = {"dk2": NAVY, "lt2": MIST, "accent1": NAVY, "accent2": TEAL, "accent3": CORAL, "hlink": TEAL}
    for el in scheme:
        tag = etree.QName(el).localname
        if tag in colors:
            for c in list(el):
                el.remove(c)
            etree.SubElement(el, f"{{{a}}}srgbClr", val=colors[tag])
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop_stale_parts(part, package) -> None:
    """Drop stock parts a real template would not carry: stylesWithEffects (a second, now stale
    copy of the styles), customXml, printer settings and the stock thumbnail (a blank 4:3 page)."""
    for rid, rel in list(part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml", "/printerSettings")):
            part.rels.pop(rid)
    rels = package.rels if hasattr(package, "rels") else package._rels
    for rid, rel in list(rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            rels.pop(rid)


def build_docx(path: Path, logo: bytes) -> None:
    import docx
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.oxml import parse_xml
    from docx.shared import Inches, Pt

    d = docx.Document()
    _drop_stale_parts(d.part, d.part.package)
    _docx_theme(d)
    sec = d.sections[0]
    sec.page_width, sec.page_height = Inches(8.5), Inches(11)
    sec.top_margin = sec.bottom_margin = Inches(1)
    sec.left_margin = sec.right_margin = Inches(0.9)
    sec.header_distance = sec.footer_distance = Inches(0.45)
    text_w = sec.page_width - sec.left_margin - sec.right_margin

    # document defaults: Lato 10.5 pt, no theme fonts
    rpr_default = d.styles.element.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")
    rf = rpr_default.find(_w("rFonts"))
    for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rf.attrib.pop(_w(a), None)
    for a in ("ascii", "hAnsi", "eastAsia"):
        rf.set(_w(a), FONT)

    st = d.styles
    normal = st["Normal"]
    _style_fonts_colour(normal, 10.5, INK)
    pf = normal.paragraph_format
    pf.space_after, pf.line_spacing = Pt(8), 1.15

    title = st["Title"]
    _style_fonts_colour(title, 28, NAVY, bold=True)
    title.paragraph_format.space_after = Pt(14)
    for b in list(_ppr(title).findall(_w("pBdr"))):
        _ppr(title).remove(b)
    _border(title, "bottom", CORAL, 18, 8)
    spacing_el = _ppr(title).find(_w("spacing"))
    if spacing_el is not None:
        spacing_el.set(_w("line"), "240")
        spacing_el.set(_w("lineRule"), "auto")

    h1 = st["Heading 1"]
    _style_fonts_colour(h1, 16, NAVY, bold=True, spacing=20)
    h1.paragraph_format.space_after = Pt(6)
    _border(h1, "bottom", RULE, 6, 3)
    h2 = st["Heading 2"]
    _style_fonts_colour(h2, 13, TEAL, bold=True, spacing=14)
    h2.paragraph_format.space_after = Pt(4)
    h3 = st["Heading 3"]
    _style_fonts_colour(h3, 10.5, NAVY, bold=True, caps=True, spacing=12)
    h3.paragraph_format.space_after = Pt(3)
    h3.element.get_or_add_rPr().append(parse_xml(f'<w:spacing xmlns:w="{W_NS}" w:val="12"/>'))
    # letter spacing appended last: put the rPr children back in schema order
    _order_rpr(h3.element.get_or_add_rPr())

    quote = st["Quote"]
    _style_fonts_colour(quote, 12, NAVY, italic=True)
    qpf = quote.paragraph_format
    qpf.left_indent, qpf.right_indent = Inches(0.3), Inches(0.3)
    qpf.space_before, qpf.space_after = Pt(8), Pt(10)
    _border(quote, "left", TEAL, 24, 10)
    cap = st["Caption"]
    _style_fonts_colour(cap, 8.5, MUTED)
    cap.paragraph_format.space_after = Pt(10)

    for style in ("Header", "Footer"):
        try:
            s = st[style]
        except KeyError:
            from docx.enum.style import WD_STYLE_TYPE

            s = st.add_style(style, WD_STYLE_TYPE.PARAGRAPH)
            s.base_style = normal
        _style_fonts_colour(s, 8, MUTED)
        s.paragraph_format.space_after = Pt(0)
        tabs = s.paragraph_format.tab_stops  # stock stops are for 6.5 in of text: use this page's width
        tabs.clear_all()
        tabs.add_tab_stop(text_w // 2, WD_TAB_ALIGNMENT.CENTER)
        tabs.add_tab_stop(text_w, WD_TAB_ALIGNMENT.RIGHT)

    # header: logo left, company + document type right, teal rule
    header = sec.header
    header.is_linked_to_previous = False
    hp = header.paragraphs[0]
    hp.style = st["Header"]
    hp.add_run().add_picture(io.BytesIO(logo), height=Inches(0.32))
    for doc_pr in hp._p.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"):
        doc_pr.set("id", "9001")  # drawing ids are per document: keep clear of the body's 1, 2, ...
    hp.add_run("\t\t")
    r = hp.add_run(f"{COMPANY.upper()}  |  CUSTOMER VALUE RESEARCH")
    r.font.bold = True
    r.font.size = Pt(7.5)
    hp.paragraph_format.space_after = Pt(0)
    bdr = parse_xml(f'<w:pBdr xmlns:w="{W_NS}"><w:bottom w:val="single" w:sz="8" w:space="6" '
                    f'w:color="{TEAL}"/></w:pBdr>')
    ppr = hp._p.get_or_add_pPr()
    ppr.find(_w("pStyle")).addnext(bdr)

    # footer: address line left, page number right, hairline above
    footer = sec.footer
    footer.is_linked_to_previous = False
    fp = footer.paragraphs[0]
    fp.style = st["Footer"]
    fp.add_run(f"{COMPANY} · 400 Harbour Way, Baltimore, MD 21230 · meridianfreight.example · Confidential")
    fp.paragraph_format.tab_stops.add_tab_stop(text_w // 2, WD_TAB_ALIGNMENT.CLEAR)  # long line: right tab only
    fp.add_run("\tPage ")
    fp._p.append(parse_xml(f'<w:fldSimple xmlns:w="{W_NS}" w:instr=" PAGE "><w:r><w:t>1</w:t></w:r>'
                           '</w:fldSimple>'))
    fbdr = parse_xml(f'<w:pBdr xmlns:w="{W_NS}"><w:top w:val="single" w:sz="4" w:space="6" '
                     f'w:color="{RULE}"/></w:pBdr>')
    fppr = fp._p.get_or_add_pPr()
    fppr.find(_w("pStyle")).addnext(fbdr)

    # instruction text in the body (renderers drop it; people opening the template read it)
    for p in d.paragraphs:  # the stock document's empty paragraph
        p._p.getparent().remove(p._p)
    d.add_paragraph("Meridian Document Template", style="Title")
    d.add_paragraph(REFERENCE_BODY, style="Normal")
    d.add_paragraph("Using the styles", style="Heading 1")
    d.add_paragraph("Use Title once per document, Heading 1 for sections and Heading 2 for sub-sections. "
                    "Body text is Lato 10.5 pt in Meridian Ink.", style="Normal")
    d.add_paragraph("Section sub-heading", style="Heading 2")
    d.add_paragraph("Minor heading", style="Heading 3")
    d.add_paragraph("“Quotes from customers use the Quote style with a teal rule.”", style="Quote")
    d.add_paragraph("Figure 1. Captions are set in Caption, muted grey.", style="Caption")
    set_core_properties(d.core_properties, title=f"{COMPANY} document template", author=COMPANY,
                        subject="Corporate Word template", keywords="Meridian, template", language="en-US",
                        when=STAMP)
    write_reproducible(d.save, path)


_RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
              "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
              "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
              "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"]


def _order_rpr(rpr) -> None:
    rank = {f"{{{W_NS}}}{t}": i for i, t in enumerate(_RPR_ORDER)}
    kids = sorted(rpr, key=lambda c: rank.get(c.tag, len(rank)))
    for c in kids:
        rpr.remove(c)
    for c in kids:
        rpr.append(c)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "brand_kits" / "meridian")
    args = ap.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    logo = make_logo()
    white = make_logo(on_dark=True)
    (out / "logo.png").write_bytes(logo)
    build_pptx(out / "template.pptx", logo, white)
    build_docx(out / "reference.docx", logo)
    for name, kind in (("template.pptx", "pptx"), ("reference.docx", "docx")):
        problems = check_ooxml_template(out / name, kind)
        if problems:
            raise SystemExit(f"{name}: {problems}")
    print(f"wrote {out}/logo.png, template.pptx, reference.docx")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
