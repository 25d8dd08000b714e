"""Format name → renderer, imported lazily (each rendering library costs 60–160 ms to import)."""

from __future__ import annotations

from functools import cache
from importlib import import_module

from .base import Renderer

RENDERERS = {
    "pdf": ("roi_in_a_box.render.pdf.renderer", "PdfRenderer"),
    "docx": ("roi_in_a_box.render.docx.renderer", "DocxRenderer"),
    "pptx": ("roi_in_a_box.render.pptx.writer", "PptxRenderer"),
}
FORMATS = tuple(RENDERERS)


@cache
def renderer_for(fmt: str) -> Renderer:
    """One renderer instance per format and process, so its caches persist across documents."""
    module, cls = RENDERERS[fmt]
    return getattr(import_module(module), cls)()
