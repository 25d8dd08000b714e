"""Registering brand font families with ReportLab, once per process.

Loading a TTF costs ~10 ms and ReportLab keeps fonts in a process-wide registry, so each
family is registered once and remembered.  ``registerFontFamily`` maps ``<b>``/``<i>`` in
paragraph markup to the family's real bold and italic faces.
"""

from __future__ import annotations

import hashlib
import re
import threading

from reportlab.pdfbase import pdfmetrics

from roi_in_a_box.brand.fonts import check_truetype
from roi_in_a_box.brand.model import FontFamily
from roi_in_a_box.render.pdf.tounicode import MappedTTFont

_registered: dict[FontFamily, str] = {}
_lock = threading.Lock()


def register_family(fam: FontFamily) -> str:
    """Register ``fam``'s faces with ReportLab (first call only) and return the regular
    face's font name, for ``fontName=`` and ``<font name=...>``.

    Missing italic faces fall back to upright ones (no synthetic slant), or to the faces of
    the kit's ``italic_family`` for it.  Names carry a short hash of the file paths, so two
    kits that both call their font "Brand Sans" never collide.
    """
    name = _registered.get(fam)
    if name is not None:
        return name
    with _lock:
        name = _registered.get(fam)
        if name is not None:
            return name
        regular, bold, italic, bold_italic = _faces(fam)
        if fam.for_italic() is not fam:
            _, _, italic, bold_italic = _faces(fam.for_italic())
        pdfmetrics.registerFontFamily(regular, normal=regular, bold=bold, italic=italic,
                                      boldItalic=bold_italic)
        _registered[fam] = regular
        return regular


_face_names: dict[tuple[str, ...], tuple[str, str, str, str]] = {}


def _faces(fam: FontFamily) -> tuple[str, str, str, str]:
    """Register the four faces of ``fam`` (an italic it lacks is its upright face) once per
    set of files; their ReportLab names (regular, bold, italic, bold italic)."""
    paths = (fam.regular, fam.bold, fam.italic or fam.regular, fam.bold_italic or fam.bold)
    key = (fam.name, *map(str, paths))
    hit = _face_names.get(key)
    if hit is not None:
        return hit
    digest = hashlib.sha1("\0".join(map(str, paths)).encode()).hexdigest()[:6]
    base = re.sub(r"[^A-Za-z0-9]+", "", fam.name) or "Font"
    names = [f"{base}-{digest}-{face}" for face in ("R", "B", "I", "BI")]
    loaded: dict[str, str] = {}
    for face_name, path in zip(names, paths):
        if str(path) in loaded:  # same file for two styles: one embedded font
            continue
        check_truetype(path)
        pdfmetrics.registerFont(MappedTTFont(face_name, str(path)))
        loaded[str(path)] = face_name
    regular, bold, italic, bold_italic = (loaded[str(p)] for p in paths)
    hit = _face_names[key] = (regular, bold, italic, bold_italic)
    return hit
