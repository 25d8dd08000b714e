"""Format name → its facts and renderer, imported lazily (each rendering library costs 60–160 ms to import).

A new format is one renderer module plus one line here (or one :func:`register` call).
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from .base import FormatInfo, Renderer

_FORMATS: dict[str, FormatInfo] = {f.name: f for f in (
    FormatInfo("pdf", "roi_in_a_box.render.pdf.renderer:PdfRenderer", paged=True, preview="pdf"),
    FormatInfo("docx", "roi_in_a_box.render.docx.renderer:DocxRenderer", paged=True, exact_pages=False,
               preview="office"),
    FormatInfo("pptx", "roi_in_a_box.render.pptx.writer:PptxRenderer", unit="slide", preview="office"),
)}
FORMATS = tuple(_FORMATS)  # the bundled formats


def register(info: FormatInfo) -> None:
    """Add (or replace) a format: from here on every command can build it."""
    _FORMATS[info.name] = info
    renderer_for.cache_clear()


def formats() -> tuple[str, ...]:
    """Every format name known now, bundled ones first."""
    return tuple(_FORMATS)


def format_info(fmt: str) -> FormatInfo:
    """The facts of ``fmt`` (a KeyError names an unknown format)."""
    return _FORMATS[fmt]


def lookup(fmt: str) -> FormatInfo | None:
    """The facts of ``fmt``, or None for a format this process does not know (an old manifest)."""
    return _FORMATS.get(fmt.lower())


def unit_of(fmt: str) -> str:
    """What one page of ``fmt`` is called ("page" for an unknown format)."""
    info = lookup(fmt)
    return info.unit if info else "page"


@cache
def renderer_for(fmt: str) -> Renderer:
    """One renderer instance per format and process, so its caches persist across documents."""
    module, cls = _FORMATS[fmt].renderer.split(":")
    return getattr(import_module(module), cls)()
