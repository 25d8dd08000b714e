"""A company template's DrawingML theme: its colour scheme and its major/minor fonts.

Word and PowerPoint keep the same ``a:theme`` part (``word/theme/theme1.xml``, or the
first slide master's theme in a presentation).  The DOCX renderer points the styles it
adds at these (``w:themeColor``, ``w:asciiTheme``) so the template's theme wins; the PDF
takes its colours from them (:mod:`.company_look`).  Only files that passed
:func:`template_prep.checked` are read here.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml import etree

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
SLOTS = ("dk1", "lt1", "dk2", "lt2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6",
         "hlink", "folHlink")
# ISO 15924 codes of the supplemental theme fonts, per script the engine writes
SCRIPT_CODES = {"bengali": "Beng", "thai": "Thai"}


@dataclass(frozen=True)
class ThemeFonts:
    """One of the theme's two font sets (major = headings, minor = body)."""

    latin: str = ""
    cs: str = ""  # the complex-script face (``a:cs``); empty when the theme names none
    scripts: dict[str, str] = field(default_factory=dict)  # ``a:font script="Beng"`` entries


@dataclass(frozen=True)
class Theme:
    colors: dict[str, str]  # slot (dk1, accent1 ...) -> "#RRGGBB"
    major: ThemeFonts
    minor: ThemeFonts

    def color(self, slot: str) -> str | None:
        return self.colors.get(slot)


@lru_cache(maxsize=1)
def _parser() -> etree.XMLParser:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def parse_xml(data: bytes) -> etree._Element:
    """A template part's XML, parsed without entities, DTDs or network (lxml is imported
    on first use: a kit without an Office template never needs it)."""
    from lxml import etree

    return etree.fromstring(data, _parser())


def rels_target(parts: dict[str, bytes], part: str, rid: str | None = None, type_suffix: str = "") -> str | None:
    """The package name a relationship of ``part`` points to (by id, or the first of a type)."""
    d, f = posixpath.split(part)
    rels = parts.get(posixpath.join(d, "_rels", f + ".rels"))
    if rels is None:
        return None
    for rel in parse_xml(rels).iter(f"{_REL}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        if (rid is not None and rel.get("Id") == rid) or (rid is None and rel.get("Type", "").endswith(type_suffix)):
            return posixpath.normpath(posixpath.join(d, rel.get("Target", "")))
    return None


def package_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n.endswith((".xml", ".rels"))}


def _fonts(el) -> ThemeFonts:
    if el is None:
        return ThemeFonts()

    def face(tag: str) -> str:
        f = el.find(f"{A}{tag}")
        return (f.get("typeface") or "").strip() if f is not None else ""

    scripts = {f.get("script", ""): (f.get("typeface") or "").strip() for f in el.findall(f"{A}font")}
    return ThemeFonts(face("latin"), face("cs"), {k: v for k, v in scripts.items() if k and v})


def parse_theme(xml: bytes) -> Theme:
    root = parse_xml(xml)
    colors: dict[str, str] = {}
    scheme = root.find(f"{A}themeElements/{A}clrScheme")
    if scheme is not None:
        for slot in SLOTS:
            el = scheme.find(f"{A}{slot}")
            if el is None or not len(el):
                continue
            value = el[0].get("lastClr") if el[0].tag == f"{A}sysClr" else el[0].get("val")
            if value and len(value) == 6:
                colors[slot] = "#" + value.upper()
    fs = root.find(f"{A}themeElements/{A}fontScheme")
    major = _fonts(fs.find(f"{A}majorFont") if fs is not None else None)
    minor = _fonts(fs.find(f"{A}minorFont") if fs is not None else None)
    return Theme(colors, major, minor)


def theme_part(parts: dict[str, bytes], kind: str) -> str | None:
    """The theme that applies: the document's (DOCX) or the first slide master's (PPTX)."""
    if kind == "docx":
        return rels_target(parts, "word/document.xml", type_suffix="/theme")
    master = rels_target(parts, "ppt/presentation.xml", type_suffix="/slideMaster")
    return rels_target(parts, master, type_suffix="/theme") if master else None


def read_theme(data: bytes, kind: str) -> Theme | None:
    """The theme of a prepared template package, or ``None`` when it has none."""
    parts = package_parts(data)
    name = theme_part(parts, kind)
    if name is None or name not in parts:
        return None
    return parse_theme(parts[name])


def template_theme(path: Path, kind: str) -> Theme | None:
    """The theme of a kit's template file (checked and prepared first)."""
    st = Path(path).stat()
    return _template_theme(Path(path), kind, st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=16)
def _template_theme(path: Path, kind: str, _mtime_ns: int, _size: int) -> Theme | None:
    from .template_prep import checked

    return read_theme(checked(path, kind).data, kind)
