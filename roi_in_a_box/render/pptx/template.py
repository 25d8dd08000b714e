"""Base presentations: python-pptx's default (made 16:9, brand fonts in the theme) or the
brand's company template (checked, its own slides removed), prepared once per process and
kept as bytes, so each deck starts from ``Presentation(BytesIO(bytes))``.
"""

from __future__ import annotations

import functools
import io
import threading
from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Emu
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from roi_in_a_box.caches import NamedCache
from roi_in_a_box.brand.model import Brand
from roi_in_a_box.render.pptx import theme as T
from roi_in_a_box.render.pptx.plan import SLIDE_H_PT, SLIDE_W_PT, Box, LayoutInfo, Look, ThemeInfo, emu

SLIDE_W, SLIDE_H = emu(SLIDE_W_PT), emu(SLIDE_H_PT)
_TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
_BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE)


@dataclass(frozen=True)
class Base:
    blob: bytes
    layouts: dict[str, LayoutInfo]  # empty for the default template: the planner uses its own grid
    width: int
    height: int
    warnings: tuple[str, ...]
    is_template: bool
    master: int = 0  # the slide master whose layouts decks use
    theme: ThemeInfo | None = None  # None for the default template: the kit styles every run


_cache: NamedCache[tuple, Base] = NamedCache("pptx.base_presentations", 17)
_lock = threading.Lock()


def base_for(brand: Brand) -> Base:
    """The prepared base presentation for ``brand`` (cached per process)."""
    latin = brand.body.by_script.get("latin")
    heading = brand.heading.by_script.get("latin") or latin
    fonts = (heading.name if heading else "", latin.name if latin else "")
    tpl = brand.template_pptx
    if tpl is not None:
        st = Path(tpl).stat()
        key: tuple = ("tpl", str(tpl), st.st_mtime_ns, st.st_size, brand.digest)
    else:
        key = ("default", fonts)
    hit = _cache.get(key)
    if hit is not None:
        return hit
    with _lock:
        hit = _cache.get(key)
        if hit is None:
            hit = _company(Path(tpl), brand) if tpl is not None else _default(fonts)
            _cache[key] = hit
    return hit


def _default(fonts: tuple[str, str]) -> Base:
    prs = Presentation()
    sx = SLIDE_W / prs.slide_width
    prs.slide_width, prs.slide_height = Emu(SLIDE_W), Emu(SLIDE_H)
    # python-pptx's default master and layouts are 4:3: stretch them to the 16:9 width
    for owner in (prs.slide_master, *prs.slide_layouts):
        for shape in owner.shapes:
            if shape.left is not None and shape.width is not None:
                shape.left, shape.width = int(shape.left * sx), int(shape.width * sx)
    _theme_fonts(prs, *fonts)
    prs.notes_master  # noqa: B018 - created once here, not in every document (its first notes page)
    buf = io.BytesIO()
    prs.save(buf)
    return Base(buf.getvalue(), {}, SLIDE_W, SLIDE_H, (), False)


def _theme_fonts(prs, major: str, minor: str) -> None:
    """Brand Latin fonts as the theme's heading/body fonts, for text people add later."""
    from lxml import etree

    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    for tag, name in (("majorFont", major), ("minorFont", minor)):
        if not name:
            continue
        for el in root.iterfind(f".//a:{tag}/a:latin", ns):
            el.set("typeface", name)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _company(path: Path, brand: Brand) -> Base:
    from roi_in_a_box.brand.template_prep import checked

    prepared = checked(path, "pptx")
    prs = Presentation(io.BytesIO(prepared.data))
    warnings: list[str] = [f"template {path.name}: {n}" for n in prepared.notes]
    remove_all_slides(prs)
    w, h = prs.slide_width, prs.slide_height
    if w is None or h is None or abs(w / h - 16 / 9) > 0.01:
        shape = "4:3" if w and h and abs(w / h - 4 / 3) < 0.01 else f"{(w or 0) / max(1, h or 1):.2f}:1"
        warnings.append(f"template {path.name}: slide size is {shape}, not 16:9; slides are laid out on its own "
                        "size (the 16:9 grid scaled to it)")
    masters = list(prs.slide_masters)
    index = 0
    wanted = brand.slides.master
    if wanted is not None:
        names = [m.name or f"master {i + 1}" for i, m in enumerate(masters)]
        if wanted in names:
            index = names.index(wanted)
        else:
            warnings.append(f"template {path.name}: no slide master named {wanted!r} (it has "
                            + ", ".join(repr(n) for n in names) + "); using the first")
    master = masters[index]
    theme = T.read_theme(master.part.part_related_by(RT.THEME).blob)
    sw, sh = int(w or SLIDE_W), int(h or SLIDE_H)
    layouts: dict[str, LayoutInfo] = {}
    order = sorted(master.slide_layouts, key=lambda lay: lay._element.get("type") == "titleOnly")
    for layout in order:  # layouts with a title only take their content area from a title + content one
        if layout.name not in layouts:
            layouts[layout.name] = _layout_info(layout, master, theme, sw, sh, prs.part._element,
                                                next((i.area for i in layouts.values() if i.kind == "content"), None),
                                                warnings)
    layouts = {lay.name: layouts[lay.name] for lay in master.slide_layouts if lay.name in layouts}
    fonts = tuple((f"{role}/{script}", theme.script_font(role, script))
                  for role in ("heading", "body") for script in ("bengali", "thai"))
    info = ThemeInfo(brand.template_wins("fonts"), brand.template_wins("colors"), fonts, tuple(T.theme_colours(theme)))
    prs.notes_master  # noqa: B018 - created once here, not in every document (its first notes page)
    buf = io.BytesIO()
    prs.save(buf)
    return Base(buf.getvalue(), layouts, sw, sh, tuple(warnings), True, index, info)


_EXTRA = {PP_PLACEHOLDER.FOOTER: "ftr", PP_PLACEHOLDER.SLIDE_NUMBER: "sldNum", PP_PLACEHOLDER.DATE: "dt"}


def _box(ph) -> Box | None:
    if ph.left is None or ph.width is None or ph.top is None or ph.height is None:
        return None
    return Box(int(ph.left), int(ph.top), int(ph.width), int(ph.height))


def _union(boxes: list[Box]) -> Box:
    x0, y0 = min(b.x for b in boxes), min(b.y for b in boxes)
    x1, y1 = max(b.x + b.w for b in boxes), max(b.y + b.h for b in boxes)
    return Box(x0, y0, x1 - x0, y1 - y0)


def _stretched(layout, master, content: list[Box], extras: list[tuple[str, int, Box]], sw: int,
               sh: int) -> list[Box]:
    """Body placeholders shorter than a sixth of the slide, stretched down to the master's body
    bottom (else the bottom margin), stopping above the footer placeholders and the layout's
    own artwork below them.  Google Slides and tools that fit placeholders to their sample
    text leave one-line body boxes (a 22 pt "Title and Content" body over a 310 pt master
    body): content laid out in them needs a continuation slide per line."""
    area = _union(content)
    if area.h >= sh // 6:
        return content
    mbody = next((_box(p) for p in master.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.BODY), None)
    limit = mbody.y + mbody.h if mbody is not None and mbody.y + mbody.h > area.y + area.h else sh - sh // 13
    below = [b for _, _, b in extras] + [b for b in (_box(s) for s in layout.shapes if not s.is_placeholder)
                                         if b is not None]
    for b in below:
        if b.y >= area.y + area.h and b.x < area.x + area.w and b.x + b.w > area.x:
            limit = min(limit, b.y - sh // 90)
    if limit - area.y <= area.h:
        return content
    return [Box(b.x, b.y, b.w, limit - b.y) if b.y + b.h == area.y + area.h else b for b in content]


def _layout_info(layout, master, theme: T.Theme, sw: int, sh: int, pres_el, content_area: Box | None,
                 warnings: list[str] | None = None) -> LayoutInfo:
    """The layout's placeholders by type, its kind, content area, inherited text looks and
    what lies behind its title, content and footer zones.  A layout with a title but no
    body takes ``content_area`` (the master's title + content layout's) when it lies below
    its title, else the master's body area below the title, else the slide below it."""
    title = None
    bodies: list[tuple[int, Box]] = []
    content: list[Box] = []
    extras: list[tuple[str, int, Box]] = []
    centre = subtitle = False
    body_type = ""  # the first body placeholder's type attribute, as the inheritance chain looks it up
    for ph in layout.placeholders:
        pt = ph.placeholder_format.type
        box = _box(ph)
        if box is None:
            continue
        if pt in _TITLE_TYPES and title is None:
            title = box
            centre = centre or pt == PP_PLACEHOLDER.CENTER_TITLE
        elif pt in _BODY_TYPES:
            subtitle = subtitle or pt == PP_PLACEHOLDER.SUBTITLE
            content.append(box)
            if ph.placeholder_format.idx > 0:
                if not bodies:
                    body_type = ph._element.ph.get("type", "obj")
                bodies.append((ph.placeholder_format.idx, box))
        elif pt in _EXTRA:
            extras.append((_EXTRA[pt], ph.placeholder_format.idx, box))
    hint = layout._element.get("type", "")
    if title is not None and content and not (centre or subtitle or hint in ("title", "secHead")):
        grown = _stretched(layout, master, content, extras, sw, sh)
        if grown != content:
            old, new = _union(content), _union(grown)
            if warnings is not None:
                warnings.append(f"slide layout {layout.name!r}: its content placeholder is only {old.h / 12700:.0f} pt "
                                f"tall; content is laid out in {new.h / 12700:.0f} pt below it, as far as the "
                                "master's body area reaches")
            resized = dict(zip(content, grown))
            bodies = [(idx, resized.get(b, b)) for idx, b in bodies]
            content = grown
    if title is not None and (centre or subtitle or hint == "title"):
        kind = "title"
    elif title is not None and hint == "secHead":
        kind = "section"
    elif title is not None and len(content) >= 2:
        kind = "two"
    elif title is not None and content:
        kind = "content"
    elif title is not None:
        kind = "title_only"
    elif not content:
        kind = "blank"
    else:
        kind = "other"
    area = _union(content) if content else None
    if area is None and title is not None and content_area is not None and content_area.y >= title.y + title.h - 12700:
        area = content_area
    if area is None and title is not None:  # title only: the master's body area below the title
        mbody = next((_box(p) for p in master.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.BODY), None)
        top = title.y + title.h
        if mbody is not None and mbody.y + mbody.h > top + sh // 6:
            y = max(mbody.y, top + sh // 60)
            area = Box(mbody.x, y, mbody.w, mbody.y + mbody.h - y)
        else:
            y = top + sh // 45
            bottom = min([b.y for _, _, b in extras if b.y > y] or [sh - sh // 13])
            area = Box(sw // 27, y, sw - 2 * (sw // 27), max(sh // 10, bottom - y - sh // 90))
    if area is not None:
        bottom = min([b.y for _, _, b in extras if b.y > area.y + area.h // 2] or [area.y + area.h])
        if bottom < area.y + area.h:  # never under the footer placeholders
            area = Box(area.x, area.y, area.w, bottom - area.y)
    looks: list[Look] = []
    for zone, t in (("title", "ctrTitle" if centre else "title"),
                    ("body", body_type or "body"),
                    ("ftr", "ftr"), ("sldNum", "sldNum"), ("dt", "dt")):
        look = T.inherited_look(layout, t, theme, pres_el)
        face = (theme.major if zone == "title" else theme.minor).get("latin", "")
        drawn = {"+mj-lt": theme.major.get("latin", ""), "+mn-lt": theme.minor.get("latin", "")}.get(
            look.typeface, look.typeface) if look.font_defined else face
        looks.append(Look(zone, look.size, look.color, look.color or T.Colours(theme, T.clr_map(
            master._element, layout._element)).scheme("tx1"), look.font_defined, face, drawn))
    zones: list[tuple[str, tuple[str, ...], str]] = []
    for zone, box in (("title", title), ("content", area), *((e, b) for e, _, b in extras)):
        if box is not None:
            d = T.backdrop(layout, (box.x, box.y, box.w, box.h), sw, sh, theme)
            zones.append((zone, d.colors, d.source))
    @functools.lru_cache(maxsize=512)
    def seen(box: Box) -> T.Backdrop:
        return T.backdrop(layout, (box.x, box.y, box.w, box.h), sw, sh, theme)

    def probe(box: Box) -> tuple[tuple[str, ...], str]:
        d = seen(box)
        return d.colors, d.source

    return LayoutInfo(layout.name, title, tuple(bodies), kind, area, tuple(extras), tuple(looks), tuple(zones),
                      probe, lambda box: seen(box).texture)


def remove_all_slides(prs) -> None:
    """Drop every slide: its ``p:sldId`` entry and the presentation part's relationship to it
    (the slide part, its notes and any media only it used are then unreachable and not saved);
    also drop section and custom-show lists that name slides."""
    sld_ids = prs.slides._sldIdLst
    for sld_id in list(sld_ids):
        rid = sld_id.rId
        sld_ids.remove(sld_id)
        prs.part.drop_rel(rid)
    root = prs.part._element
    for el in list(root):
        local = el.tag.rsplit("}", 1)[-1]
        if local == "custShowLst":
            root.remove(el)
        elif local == "extLst":
            for ext in list(el):
                if any(c.tag.rsplit("}", 1)[-1] == "sectionLst" for c in ext):
                    el.remove(ext)
            if len(el) == 0:
                root.remove(el)
