"""What a kit's company templates say the company looks like, for formats that have no
template of their own (the PDF) and for the styles the DOCX renderer adds.

* :func:`themed_brand`: the brand with the template theme's colours (``accent1``-``3`` as
  primary, secondary and accent) unless ``kit_overrides`` lists ``colors``, and its major/
  minor Latin fonts as heading/body fonts where the kit has those families, unless it lists
  ``fonts``.  A theme colour that would fail WCAG AA as text on the kit's background is not
  taken, nor a font the kit has no files for (a warning says so).
* :func:`page_header`: the PDF page header, read from the reference.docx's default header
  (logo picture, its side, the header text, the rule under it) and the PowerPoint master
  (the band along the top edge: its coloured segments; the master's logo picture and its
  side when the Word header has none), then overridden field by field by ``page_header``
  in brand.yaml.

Pictures taken from a template are checked and re-encoded like every other logo
(:mod:`.images`) before any renderer sees them.
"""

from __future__ import annotations

import hashlib
import posixpath
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from .images import ImageError, _clean_dir, check_image, clean_image
from .kit import MIN_CONTRAST, contrast_ratio
from .model import Brand
from .ooxml_theme import A, Theme, package_parts, parse_xml, rels_target, template_theme

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
# kit colour role -> theme slot (the convention Office's own themes follow)
THEME_SLOTS = {"primary": "accent1", "secondary": "accent2", "accent": "accent3"}


@dataclass(frozen=True)
class Band:
    """A coloured segment of the top band, as fractions of the page width."""

    x: float
    width: float
    color: str  # "#RRGGBB"


@dataclass(frozen=True)
class PageHeaderLook:
    logo: Path | None  # a re-encoded PNG/JPEG
    logo_position: str  # "left" or "right"
    text: str
    rule_color: str | None
    bands: tuple[Band, ...]
    sources: tuple[str, ...]  # where each part came from, for the manifest and the docs' claims


_lock = threading.Lock()
_themed: dict[tuple, tuple[Brand, tuple[str, ...]]] = {}
_headers: dict[tuple, PageHeaderLook | None] = {}  # also the title rules, under ("title", ...)


def _key(brand: Brand) -> tuple:
    return (str(brand.root), brand.digest, brand.colors, brand.kit_overrides, brand.page_header,
            str(brand.reference_docx), str(brand.template_pptx))


def _theme(brand: Brand):
    if brand.reference_docx is not None:
        return template_theme(brand.reference_docx, "docx")
    if brand.template_pptx is not None:
        return template_theme(brand.template_pptx, "pptx")
    return None


def themed_brand(brand: Brand) -> tuple[Brand, tuple[str, ...]]:
    """``brand`` with the template theme's colours where the template wins, and warnings."""
    if brand.reference_docx is None and brand.template_pptx is None:
        return brand, ()
    key = _key(brand)
    with _lock:
        hit = _themed.get(key)
        if hit is not None:
            return hit
        theme = _theme(brand)
        notes: list[str] = []
        changes: dict[str, str] = {}
        if theme is not None and brand.template_wins("colors"):
            for role, slot in THEME_SLOTS.items():
                value = theme.color(slot)
                if value is None or value.upper() == getattr(brand.colors, role).upper():
                    continue
                ratio = contrast_ratio(value, brand.colors.background)
                if role == "primary" and ratio < MIN_CONTRAST:  # primary is title text
                    notes.append(f"template theme colour {slot} {value} is {ratio:.2f}:1 on the kit background "
                                 f"{brand.colors.background}, under WCAG AA {MIN_CONTRAST}:1; the kit's {role} "
                                 f"{getattr(brand.colors, role)} is used instead")
                    continue
                changes[role] = value
        themed = replace(brand, colors=replace(brand.colors, **changes)) if changes else brand
        if theme is not None and brand.template_wins("fonts"):
            themed = _theme_fonts(themed, theme, notes)
        out = (themed, tuple(notes))
        _themed[key] = out
        return out


def _theme_fonts(brand: Brand, theme: Theme, notes: list[str]) -> Brand:
    """The theme's major (heading) and minor (body) Latin fonts, where the kit has that family
    (the PDF draws with the kit's files); a theme font the kit lacks is reported."""
    kit_families = {f.name: f for role in (brand.heading, brand.body) for f in role.families()}
    roles = {}
    for name, fonts in (("heading", theme.major), ("body", theme.minor)):
        role = getattr(brand, name)
        face = fonts.latin
        if not face or face == role.by_script["latin"].name:
            continue
        if face in kit_families:
            roles[name] = replace(role, by_script={**role.by_script, "latin": kit_families[face]})
        else:
            notes.append(f"template theme font '{face}' ({name} text) is not a family of the kit: Word draws it where "
                         f"it is installed; the PDF and embedded fonts use the kit's "
                         f"'{role.by_script['latin'].name}' (add '{face}' to the kit's families)")
    return replace(brand, **roles) if roles else brand


def theme_slot(theme: Theme, hex_rgb: str) -> str | None:
    """The theme slot (``accent1``-``3``) that holds this colour (for ``w:themeColor``), if any."""
    for slot in THEME_SLOTS.values():
        value = theme.color(slot)
        if value is not None and value.lstrip("#").upper() == hex_rgb.lstrip("#").upper():
            return slot
    return None


# ---------------------------------------------------------------------- the page header

def _image(parts_data: bytes, name: str | None) -> Path | None:
    """The picture ``name`` of a template package, checked and re-encoded, or None."""
    import io
    import zipfile

    if name is None:
        return None
    with zipfile.ZipFile(io.BytesIO(parts_data)) as z:
        if name not in z.namelist() or z.getinfo(name).file_size > 10 * 1024 * 1024:
            return None
        raw = z.read(name)
    raw_path = _clean_dir() / f"template-{hashlib.sha256(raw).hexdigest()}{posixpath.splitext(name)[1].lower()}"
    if not raw_path.exists():
        raw_path.write_bytes(raw)
    try:
        check_image(raw_path)
        return clean_image(raw_path)
    except (ImageError, OSError):
        return None


def _docx_header(data: bytes) -> dict:
    """Logo, side, text and rule colour of the reference.docx's default page header."""
    parts = package_parts(data)
    doc = parts.get("word/document.xml")
    if doc is None:
        return {}
    root = parse_xml(doc)
    refs = root.findall(f".//{_W}sectPr/{_W}headerReference")
    ref = next((r for r in refs if r.get(f"{_W}type") == "default"), refs[0] if refs else None)
    if ref is None:
        return {}
    name = rels_target(parts, "word/document.xml", rid=ref.get(f"{_R}id"))
    if name is None or name not in parts:
        return {}
    hdr = parse_xml(parts[name])
    out: dict = {}
    text_seen = False
    for el in hdr.iter(f"{_W}t", f"{A}blip", f"{_W}bottom"):
        if el.tag == f"{_W}t" and (el.text or "").strip():
            text_seen = True
        elif el.tag == f"{A}blip" and "logo" not in out:
            out["logo"] = _image(data, rels_target(parts, name, rid=el.get(f"{_R}embed")))
            out["logo_position"] = "right" if text_seen else "left"
        elif el.tag == f"{_W}bottom" and el.getparent().tag == f"{_W}pBdr":
            color = el.get(f"{_W}color", "")
            if len(color) == 6 and "rule_color" not in out:
                out["rule_color"] = "#" + color.upper()
    text = " ".join("".join(t.text or "" for t in p.iter(f"{_W}t")).strip() for p in hdr.iter(f"{_W}p"))
    out["text"] = " ".join(text.split())
    return {k: v for k, v in out.items() if v}


def _pptx_master(data: bytes) -> dict:
    """The first master's top band segments and its logo picture (the first picture)."""
    parts = package_parts(data)
    pres = parts.get("ppt/presentation.xml")
    master = rels_target(parts, "ppt/presentation.xml", type_suffix="/slideMaster") if pres else None
    if master is None or master not in parts:
        return {}
    size = parse_xml(pres).find(f"{_P}sldSz") if pres else None
    sw = int(size.get("cx", "12192000")) if size is not None else 12192000
    sh = int(size.get("cy", "6858000")) if size is not None else 6858000
    root = parse_xml(parts[master])
    tree = root.find(f"{_P}cSld/{_P}spTree")
    out: dict = {}
    if tree is None:
        return out
    bands = []
    for sp in tree.findall(f"{_P}sp"):
        if sp.find(f"{_P}nvSpPr/{_P}nvPr/{_P}ph") is not None:
            continue
        off, ext = sp.find(f"{_P}spPr/{A}xfrm/{A}off"), sp.find(f"{_P}spPr/{A}xfrm/{A}ext")
        fill = sp.find(f"{_P}spPr/{A}solidFill/{A}srgbClr")
        if off is None or ext is None or fill is None:
            continue
        y, h = int(off.get("y", "0")), int(ext.get("cy", "0"))
        if y == 0 and 0 < h <= sh * 0.05:  # a thin strip along the top edge
            bands.append(Band(int(off.get("x", "0")) / sw, int(ext.get("cx", "0")) / sw,
                              "#" + (fill.get("val") or "000000").upper()))
    out["bands"] = tuple(sorted(bands, key=lambda b: b.x))
    pic = tree.find(f"{_P}pic")
    if pic is not None:
        blip = pic.find(f"{_P}blipFill/{A}blip")
        off, ext = pic.find(f"{_P}spPr/{A}xfrm/{A}off"), pic.find(f"{_P}spPr/{A}xfrm/{A}ext")
        if blip is not None:
            out["logo"] = _image(data, rels_target(parts, master, rid=blip.get(f"{_R}embed")))
            if off is not None and ext is not None:
                centre = int(off.get("x", "0")) + int(ext.get("cx", "0")) / 2
                out["logo_position"] = "right" if centre > sw / 2 else "left"
    return {k: v for k, v in out.items() if v}


def title_rule(brand: Brand) -> tuple[str, float] | None:
    """The reference.docx ``Title`` style's bottom border as (``#RRGGBB``, width in points):
    the PDF draws the same rule under its title, so the two documents open alike."""
    if brand.reference_docx is None:
        return None
    key = ("title", *_key(brand))
    with _lock:
        if key in _headers:
            return _headers[key]  # type: ignore[return-value]
        from .template_prep import checked

        found = None
        styles = package_parts(checked(brand.reference_docx, "docx").data).get("word/styles.xml")
        if styles is not None:
            for st in parse_xml(styles).iter(f"{_W}style"):
                name = st.find(f"{_W}name")
                if st.get(f"{_W}type") != "paragraph" or name is None or name.get(f"{_W}val", "").lower() != "title":
                    continue
                bottom = st.find(f"{_W}pPr/{_W}pBdr/{_W}bottom")
                if bottom is not None and bottom.get(f"{_W}val") not in (None, "nil", "none"):
                    color = bottom.get(f"{_W}color", "")
                    size = bottom.get(f"{_W}sz", "4")
                    if len(color) == 6 and size.isdigit():
                        found = ("#" + color.upper(), min(int(size), 96) / 8)  # w:sz: eighths of a point
                break
        _headers[key] = found  # type: ignore[assignment]
        return found


def page_header(brand: Brand) -> PageHeaderLook | None:
    """The PDF page header the kit's templates and ``page_header`` describe, or ``None``
    (no templates and no ``page_header``, or ``page_header: {show: false}``)."""
    explicit = brand.page_header
    if explicit is not None and not explicit.show:
        return None
    if explicit is None and brand.reference_docx is None and brand.template_pptx is None:
        return None
    key = _key(brand)
    with _lock:
        if key in _headers:
            return _headers[key]
        from .template_prep import checked

        found: dict = {}
        sources: list[str] = []
        if brand.reference_docx is not None:
            got = _docx_header(checked(brand.reference_docx, "docx").data)
            found.update(got)
            sources += [f"{k}: reference_docx header" for k in got]
        if brand.template_pptx is not None:
            got = _pptx_master(checked(brand.template_pptx, "pptx").data)
            for k, v in got.items():
                if k not in found:
                    found[k] = v
                    sources.append(f"{k}: template_pptx master")
        if explicit is not None:
            for k in ("logo_position", "text", "rule_color"):
                if getattr(explicit, k) is not None:
                    found[k] = getattr(explicit, k)
                    sources.append(f"{k}: brand.yaml page_header")
            if explicit.band_color is not None:
                found["bands"] = (Band(0.0, 1.0, explicit.band_color),)
                sources.append("bands: brand.yaml page_header")
        if "logo" not in found and brand.logo is not None:
            found["logo"] = brand.logo
            sources.append("logo: kit logo")
        look = PageHeaderLook(found.get("logo"), found.get("logo_position", "left"), found.get("text", ""),
                              found.get("rule_color"), found.get("bands", ()), tuple(sources))
        _headers[key] = look
        return look
