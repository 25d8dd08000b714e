"""Styles in a company reference.docx that would hide what the engine writes with them.

A Title style marked ``w:vanish`` (hidden text), set at 1 pt, or coloured like the page
makes the study title invisible without any error; we warn, naming the style and why.
Checked once per template file (the result is cached with the prepared template).
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from lxml import etree

from ..template_prep import prepare

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# the style names the renderer writes with (see styles.py); matched by name, as the renderer does
USED_STYLES = ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Quote", "Caption",
               "List Bullet", "Footer", "Header")
MIN_HALF_POINTS = 8  # below 4 pt nobody reads it


def reference_warnings(path: Path) -> list[str]:
    """Notes from preparing the template plus a warning per style that would hide content."""
    st = Path(path).stat()
    return list(_warnings(str(path), st.st_mtime_ns, st.st_size))


@lru_cache(maxsize=16)
def _warnings(path: str, _mtime: int, _size: int) -> tuple[str, ...]:
    import zipfile

    prepared = prepare(Path(path), "docx")
    out = [f"reference_docx {Path(path).name}: {n}" for n in prepared.notes]
    with zipfile.ZipFile(io.BytesIO(prepared.data)) as z:
        names = set(z.namelist())
        styles = etree.fromstring(z.read("word/styles.xml")) if "word/styles.xml" in names else None
        document = etree.fromstring(z.read("word/document.xml")) if "word/document.xml" in names else None
    if styles is None:
        return tuple(out)
    page = "FFFFFF"
    bg = document.find(f"{_W}background") if document is not None else None
    if bg is not None and (bg.get(f"{_W}color") or "auto").lower() != "auto":
        page = bg.get(f"{_W}color", "FFFFFF").upper()
    by_id = {s.get(f"{_W}styleId"): s for s in styles.iter(f"{_W}style")}
    for s in styles.iter(f"{_W}style"):
        name_el = s.find(f"{_W}name")
        name = name_el.get(f"{_W}val") if name_el is not None else ""
        if name.lower() not in {u.lower() for u in USED_STYLES}:
            continue
        for why in hiding(s, by_id, page):
            out.append(f"reference_docx {Path(path).name}: style {name!r} would hide text ({why}); "
                       "fix the style in the template")
    return tuple(out)


def _prop(style, by_id, tag: str):
    """The style's own run property ``tag``, else its ``basedOn`` chain's (depth-limited)."""
    seen = 0
    while style is not None and seen < 20:
        el = style.find(f"{_W}rPr/{_W}{tag}")
        if el is not None:
            return el
        based = style.find(f"{_W}basedOn")
        style = by_id.get(based.get(f"{_W}val")) if based is not None else None
        seen += 1
    return None


def hiding(style, by_id, page: str) -> list[str]:
    reasons = []
    vanish = _prop(style, by_id, "vanish")
    if vanish is not None and vanish.get(f"{_W}val", "true").lower() not in ("0", "false", "off"):
        reasons.append("hidden text, w:vanish")
    sz = _prop(style, by_id, "sz")
    if sz is not None and (sz.get(f"{_W}val") or "").isdigit() and int(sz.get(f"{_W}val")) < MIN_HALF_POINTS:
        reasons.append(f"{int(sz.get(f'{_W}val')) / 2:g} pt")
    color = _prop(style, by_id, "color")
    if color is not None and (color.get(f"{_W}val") or "").upper() == page:
        reasons.append(f"text colour #{page} on a #{page} page")
    return reasons
