"""Base presentations: python-pptx's default (made 16:9, brand fonts in the theme) or the
brand's company template (checked, its own slides removed), prepared once per process and
kept as bytes, so each deck starts from ``Presentation(BytesIO(bytes))``.
"""

from __future__ import annotations

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
from roi_in_a_box.render.pptx.plan import SLIDE_H_PT, SLIDE_W_PT, Box, LayoutInfo, emu

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
            hit = _company(Path(tpl)) if tpl is not None else _default(fonts)
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


def _company(path: Path) -> Base:
    from roi_in_a_box.brand.template_prep import checked

    prepared = checked(path, "pptx")
    prs = Presentation(io.BytesIO(prepared.data))
    warnings: list[str] = [f"template {path.name}: {n}" for n in prepared.notes]
    remove_all_slides(prs)
    w, h = prs.slide_width, prs.slide_height
    if w is None or h is None or abs(w / h - 16 / 9) > 0.01:
        warnings.append(f"template {path.name}: slide size is not 16:9; slides are laid out on its own size")
    layouts: dict[str, LayoutInfo] = {}
    for layout in prs.slide_layouts:
        title = None
        bodies = []
        for ph in layout.placeholders:  # type: ignore[misc]  # (python-pptx types __iter__ as a plain function)
            pt = ph.placeholder_format.type
            if ph.left is None or ph.width is None:
                continue
            box = Box(int(ph.left), int(ph.top), int(ph.width), int(ph.height))
            if pt in _TITLE_TYPES and title is None:
                title = box
            elif pt in _BODY_TYPES and ph.placeholder_format.idx > 0:
                bodies.append((ph.placeholder_format.idx, box))
        layouts.setdefault(layout.name, LayoutInfo(layout.name, title, tuple(bodies)))
    prs.notes_master  # noqa: B018 - created once here, not in every document (its first notes page)
    buf = io.BytesIO()
    prs.save(buf)
    return Base(buf.getvalue(), layouts, int(w or SLIDE_W), int(h or SLIDE_H), tuple(warnings), True)


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
