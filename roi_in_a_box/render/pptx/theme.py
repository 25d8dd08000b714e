"""What a company template's theme and masters say text and backgrounds look like.

PowerPoint resolves a placeholder's text through a chain (layout placeholder ``lstStyle`` →
master placeholder ``lstStyle`` → the master's ``txStyles`` → the presentation's
``defaultTextStyle``) and colours through the master's colour map into the theme's colour
scheme.  This module walks the same chain, so the planner knows the size and colour a run
will inherit when it writes none, and works out what is behind a box on a layout (the
decoration shape under it, else the layout's or master's background: a solid fill, the
stops of a gradient, or the pixels of a picture sampled with Pillow) for contrast checks.
"""

from __future__ import annotations

import colorsys
import functools
import io
from dataclasses import dataclass, field

from lxml import etree

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
_SCHEME = ("dk1", "lt1", "dk2", "lt2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6",
           "hlink", "folHlink")
_DEFAULT_MAP = {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}
SCRIPT_CODES = {"bengali": "Beng", "thai": "Thai"}


@dataclass(frozen=True)
class Theme:
    """The theme part: colour scheme (``RRGGBB``), and heading (major) / body (minor) fonts:
    ``latin``, ``cs`` and per-script typefaces (``Beng``, ``Thai`` ...)."""

    colors: dict[str, str]
    major: dict[str, str]
    minor: dict[str, str]
    bg_fills: tuple = ()  # a:bgFillStyleLst children (for p:bgRef idx 1001+)
    fills: tuple = ()  # a:fillStyleLst children (for p:bgRef idx 1-999)

    def script_font(self, role: str, script: str) -> str:
        """The typeface the theme names for ``script`` ('' when it has none): only a
        per-script entry counts, the generic ``a:cs`` face is often one without that script."""
        fonts = self.major if role == "heading" else self.minor
        return fonts.get(SCRIPT_CODES.get(script, script), "")


def read_theme(blob: bytes) -> Theme:
    root = etree.fromstring(blob)
    colors: dict[str, str] = {}
    scheme = root.find(f"{A}themeElements/{A}clrScheme")
    for name in _SCHEME:
        el = scheme.find(f"{A}{name}") if scheme is not None else None
        if el is not None and len(el):
            c = el[0]
            colors[name] = (c.get("lastClr") or c.get("val") or "000000").upper()
    colors.setdefault("dk1", "000000")
    colors.setdefault("lt1", "FFFFFF")
    fonts: dict[str, dict[str, str]] = {}
    for tag in ("majorFont", "minorFont"):
        got: dict[str, str] = {}
        el = root.find(f"{A}themeElements/{A}fontScheme/{A}{tag}")
        if el is not None:
            for child in el:
                local = etree.QName(child).localname
                face = child.get("typeface") or ""
                if local in ("latin", "ea", "cs"):
                    got[local] = face
                elif local == "font" and child.get("script"):
                    got[child.get("script")] = face
        fonts[tag] = got
    fmt = root.find(f"{A}themeElements/{A}fmtScheme")
    bg = tuple(fmt.find(f"{A}bgFillStyleLst")) if fmt is not None and fmt.find(f"{A}bgFillStyleLst") is not None else ()
    fl = tuple(fmt.find(f"{A}fillStyleLst")) if fmt is not None and fmt.find(f"{A}fillStyleLst") is not None else ()
    return Theme(colors, fonts["majorFont"], fonts["minorFont"], bg, fl)


# --------------------------------------------------------------------------- colours


def _rgb(h: str) -> tuple[float, float, float]:
    return int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255


def _hex(rgb) -> str:
    return "".join(f"{max(0, min(255, round(v * 255))):02X}" for v in rgb)


def _modify(h: str, el) -> str:
    """Apply DrawingML colour modifiers (lumMod/lumOff, tint, shade) of ``el`` to ``h``."""
    rgb: tuple[float, ...] = _rgb(h)
    for m in el:
        name, v = etree.QName(m).localname, int(m.get("val", "100000")) / 100000
        if name in ("lumMod", "lumOff"):
            hh, ll, ss = colorsys.rgb_to_hls(rgb[0], rgb[1], rgb[2])
            ll = ll * v if name == "lumMod" else ll + v
            rgb = colorsys.hls_to_rgb(hh, max(0.0, min(1.0, ll)), ss)
        elif name == "tint":
            rgb = tuple(c + (1 - c) * (1 - v) for c in rgb)
        elif name == "shade":
            rgb = tuple(c * v for c in rgb)
    return _hex(rgb)


@dataclass
class Colours:
    """Resolves colour elements for one master (its colour map) and theme."""

    theme: Theme
    clr_map: dict[str, str] = field(default_factory=lambda: dict(_DEFAULT_MAP))
    ph_clr: str | None = None

    def scheme(self, name: str) -> str:
        name = self.clr_map.get(name, name)
        return self.theme.colors.get(name, "000000")

    def of(self, el) -> str | None:
        """The ``RRGGBB`` of a colour element (srgbClr, schemeClr, sysClr, prstClr)."""
        local = etree.QName(el).localname
        if local == "srgbClr":
            base = (el.get("val") or "000000").upper()
        elif local == "schemeClr":
            val = el.get("val", "tx1")
            base = self.ph_clr if val == "phClr" and self.ph_clr else self.scheme(val)
        elif local == "sysClr":
            base = (el.get("lastClr") or "000000").upper()
        elif local == "prstClr":
            base = {"black": "000000", "white": "FFFFFF"}.get(el.get("val", ""), "808080")
        else:
            return None
        return _modify(base, el)

    def fill(self, el) -> list[str] | None:
        """Colours of a fill element: one for solid, the stops for a gradient; ``None`` for a
        picture (sampled separately) or no fill."""
        local = etree.QName(el).localname
        if local == "solidFill" and len(el):
            c = self.of(el[0])
            return [c] if c else None
        if local == "gradFill":
            stops = [self.of(gs[0]) for gs in el.iter(f"{A}gs") if len(gs)]
            return [s for s in stops if s] or None
        if local == "pattFill":
            out = [self.of(c[0]) for c in el if len(c)]
            return [s for s in out if s] or None
        return None


def clr_map(master_el, layout_el=None) -> dict[str, str]:
    m = master_el.find(f"{P}clrMap")
    out = dict(_DEFAULT_MAP)
    if m is not None:
        out.update(m.attrib)
    if layout_el is not None:
        ov = layout_el.find(f"{P}clrMapOvr/{A}overrideClrMapping")
        if ov is not None:
            out.update(ov.attrib)
    return out


# --------------------------------------------------------------------------- backgrounds


@dataclass(frozen=True)
class Backdrop:
    """What lies behind a box: colours to check text against (the worst one counts) and
    where they came from."""

    colors: tuple[str, ...]
    source: str
    texture: float = 0.0  # a picture's spread of luminance over the box (0: uniform; see ``_texture``)


def _clamp(box: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(min(1.0, max(0.0, v)) for v in box)


@functools.lru_cache(maxsize=16)
def _decoded(blob: bytes):
    """The picture as RGB at most 256 px wide (enough to sample), or None if Pillow cannot read it."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(blob)) as src:
            rgb = src.convert("RGBA").convert("RGB")  # (palette pictures with transparency go via RGBA)
            rgb.thumbnail((256, 256))
            return rgb
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def _picture_colours(blob: bytes, crop: tuple[float, ...]) -> tuple[str, ...]:
    """Mean colours of a 4 × 4 grid over ``crop`` (fractions of the picture)."""
    from PIL import Image

    rgb = _decoded(blob)
    if rgb is None:
        return ()
    w, h = rgb.size
    x0, y0, x1, y1 = crop
    box = (int(x0 * w), int(y0 * h), max(int(x0 * w) + 1, int(x1 * w)), max(int(y0 * h) + 1, int(y1 * h)))
    small = rgb.crop(box).resize((4, 4), Image.Resampling.BOX)
    return tuple(sorted({f"{r:02X}{g:02X}{b:02X}" for r, g, b in _pixels(small)}))


def _texture(blob: bytes, crop: tuple[float, ...]) -> float:
    """How busy the picture is over ``crop``: the standard deviation of WCAG relative
    luminance over a 16 × 16 grid (0 for a flat area; a photograph of sweets is about 0.2),
    which the 4 × 4 means behind the contrast check average away."""
    from PIL import Image

    from roi_in_a_box.brand.kit import relative_luminance

    rgb = _decoded(blob)
    if rgb is None:
        return 0.0
    w, h = rgb.size
    x0, y0, x1, y1 = crop
    box = (int(x0 * w), int(y0 * h), max(int(x0 * w) + 1, int(x1 * w)), max(int(y0 * h) + 1, int(y1 * h)))
    lum = [relative_luminance(f"{r:02X}{g:02X}{b:02X}")
           for r, g, b in _pixels(rgb.crop(box).resize((16, 16), Image.Resampling.BOX))]
    mean = sum(lum) / len(lum)
    return (sum((v - mean) ** 2 for v in lum) / len(lum)) ** 0.5


def _pixels(im) -> list[tuple[int, int, int]]:
    return [im.getpixel((x, y)) for y in range(im.size[1]) for x in range(im.size[0])]


def _bg_of(owner_el, part, colours: Colours, theme: Theme, crop) -> Backdrop | None:
    bg = owner_el.find(f"{P}cSld/{P}bg")
    if bg is None:
        return None
    pr = bg.find(f"{P}bgPr")
    if pr is not None and len(pr):
        fill = pr[0]
    else:
        ref = bg.find(f"{P}bgRef")
        if ref is None:
            return None
        idx = int(ref.get("idx", "0"))
        colours = Colours(colours.theme, colours.clr_map, colours.of(ref[0]) if len(ref) else None)
        lst = theme.bg_fills if idx > 1000 else theme.fills
        i = (idx - 1001 if idx > 1000 else idx - 1)
        if not (0 <= i < len(lst)):
            return Backdrop((colours.ph_clr,), "background") if colours.ph_clr else None
        fill = lst[i]
    if etree.QName(fill).localname == "blipFill":
        blip = fill.find(f"{A}blip")
        rid = blip.get(R_EMBED) if blip is not None else None
        if rid and part is not None:
            try:
                blob = part.related_part(rid).blob
            except KeyError:
                blob = b""
            got = _picture_colours(blob, crop) if blob else ()
            if got:
                return Backdrop(got, "background picture", _texture(blob, crop))
        return None
    cs = colours.fill(fill)
    if etree.QName(fill).localname == "noFill":
        return Backdrop(("FFFFFF",), "background (none: white)")
    return Backdrop(tuple(cs), "background " + etree.QName(fill).localname) if cs else None


def _xfrm(sp) -> tuple[int, int, int, int] | None:
    x = sp.find(f"{P}spPr/{A}xfrm")
    if x is None:
        x = sp.find(f"{P}grpSpPr/{A}xfrm")
    if x is None:
        return None
    off, ext = x.find(f"{A}off"), x.find(f"{A}ext")
    if off is None or ext is None:
        return None
    return int(off.get("x", 0)), int(off.get("y", 0)), int(ext.get("cx", 0)), int(ext.get("cy", 0))


def backdrop(layout, box: tuple[int, int, int, int], slide_w: int, slide_h: int, theme: Theme) -> Backdrop:
    """What is behind ``box`` (EMU) on slides of ``layout`` (a python-pptx layout): the
    topmost filled decoration shape (layout's, then master's) under the box's centre, else
    the layout's background, else the master's, else white."""
    master = layout.slide_master
    colours = Colours(theme, clr_map(master._element, layout._element))
    bx, by, bw, bh = box
    cx, cy = bx + bw / 2, by + bh / 2
    for owner in (layout, master):
        tree = owner._element.find(f"{P}cSld/{P}spTree")
        if tree is None:
            continue
        for sp in reversed(list(tree)):
            local = etree.QName(sp).localname
            if local not in ("sp", "pic") or sp.find(f".//{P}nvPr/{P}ph") is not None:
                continue
            xf = _xfrm(sp)
            if xf is None or not (xf[0] <= cx <= xf[0] + xf[2] and xf[1] <= cy <= xf[1] + xf[3]):
                continue
            if local == "pic":
                blip = sp.find(f"{P}blipFill/{A}blip")
                rid = blip.get(R_EMBED) if blip is not None else None
                if rid:
                    crop = _clamp(((bx - xf[0]) / max(1, xf[2]), (by - xf[1]) / max(1, xf[3]),
                                   (bx + bw - xf[0]) / max(1, xf[2]), (by + bh - xf[1]) / max(1, xf[3])))
                    try:
                        got = _picture_colours(owner.part.related_part(rid).blob, crop)
                    except KeyError:
                        got = ()
                    if got:
                        return Backdrop(got, f"picture {sp.find(f'{P}nvPicPr/{P}cNvPr').get('name', '')!r}",
                                        _texture(owner.part.related_part(rid).blob, crop))
                continue
            fill = next((c for c in sp.find(f"{P}spPr") if etree.QName(c).localname in
                         ("solidFill", "gradFill", "pattFill")), None) if sp.find(f"{P}spPr") is not None else None
            cs = colours.fill(fill) if fill is not None else None
            if cs:
                name = sp.find(f"{P}nvSpPr/{P}cNvPr").get("name", "") if sp.find(f"{P}nvSpPr/{P}cNvPr") is not None else ""
                return Backdrop(tuple(cs), f"decoration shape {name!r}" if name else "decoration shape")
    crop = _clamp((bx / slide_w, by / slide_h, (bx + bw) / slide_w, (by + bh) / slide_h))
    for owner in (layout, master):
        found = _bg_of(owner._element, owner.part, colours, theme, crop)
        if found is not None:
            return found
    return Backdrop(("FFFFFF",), "background (none: white)")


# --------------------------------------------------------------------------- inherited text


@dataclass(frozen=True)
class TextLook:
    """Size (pt, None = unknown) and colour (``RRGGBB``) that a level-1 run inherits."""

    size: float | None
    color: str | None
    font_defined: bool = False
    typeface: str = ""  # the first a:latin typeface the chain names ("+mj-lt": the theme's major font)


def _lvl1(el):
    return el.find(f"{A}lvl1pPr/{A}defRPr") if el is not None else None


def inherited_look(layout, ph_type: str, theme: Theme, presentation_el=None) -> TextLook:
    """What a run in the layout's placeholder of ``ph_type`` (title, body, ftr, sldNum, dt,
    subTitle) inherits, walking PowerPoint's chain."""
    master = layout.slide_master
    colours = Colours(theme, clr_map(master._element, layout._element))
    style = {"title": "titleStyle", "ctrTitle": "titleStyle"}.get(ph_type, "bodyStyle")
    if ph_type in ("ftr", "sldNum", "dt"):
        style = "otherStyle"
    master_type = {"ctrTitle": "title", "subTitle": "body", "obj": "body"}.get(ph_type, ph_type)
    chain = []
    for owner, t in ((layout, ph_type), (master, master_type)):
        for sp in owner._element.iter(f"{P}sp"):
            ph = sp.find(f"{P}nvSpPr/{P}nvPr/{P}ph")
            if ph is not None and ph.get("type", "obj" if owner is layout else "body") == t:
                chain.append(_lvl1(sp.find(f"{P}txBody/{A}lstStyle")))
                break
    chain.append(_lvl1(master._element.find(f"{P}txStyles/{P}{style}")))
    if presentation_el is not None:
        chain.append(_lvl1(presentation_el.find(f"{P}defaultTextStyle")))
    size: float | None = None
    color: str | None = None
    font = False
    typeface = ""
    for d in chain:
        if d is None:
            continue
        if size is None and d.get("sz"):
            size = int(d.get("sz")) / 100
        latin = d.find(f"{A}latin")
        if latin is not None and not font:
            typeface = latin.get("typeface", "")
        font = font or latin is not None
        if color is None:
            f = d.find(f"{A}solidFill")
            if f is not None and len(f):
                color = colours.of(f[0])
    return TextLook(size, color, font, typeface)


def theme_colours(theme: Theme) -> list[str]:
    """The theme's text colour candidates, in PowerPoint's order of preference."""
    return [theme.colors[n] for n in ("dk1", "lt1", "dk2", "lt2") if n in theme.colors]
