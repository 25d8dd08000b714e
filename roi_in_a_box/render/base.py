"""What every renderer shares: the format contract, visitor dispatch over the neutral tree, and its result.

Like Sphinx translators, a renderer has one ``visit_<block_type>`` method per block
type (``visit_stat_tiles`` for ``StatTiles``); adding a block type adds one method per
renderer and nothing else.

Everything the rest of the program needs to know about a format is in its
:class:`FormatInfo` (one line in ``render/registry.py``): what a unit is called, whether the
layout engine fits its page count (then the renderer answers :meth:`Renderer.measure`),
whether its own page count is exact, and how it is previewed.  Nothing outside ``render/``
compares format names.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from ..brand.model import Brand
from ..layout.tree import Block, Document


_R = TypeVar("_R", bound="Renderer")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


Unit = Literal["page", "slide"]
Preview = Literal["pdf", "office", "none"]


@dataclass(frozen=True)
class FormatInfo:
    """A format's facts, known without importing its renderer (rendering libraries are slow to import)."""

    name: str  # the --format name, the file extension without its dot
    renderer: str  # "module:Class"
    unit: Unit = "page"  # what ``RenderResult.pages`` counts
    paged: bool = False  # the layout engine fits ``Document.max_pages`` through ``Renderer.measure``
    exact_pages: bool = True  # False: the reader paginates (Word); the measured count is the best estimate
    preview: Preview = "none"  # "pdf": the file is rasterised as is; "office": LibreOffice makes a PDF first

    @property
    def extension(self) -> str:
        return f".{self.name}"

    def units(self, n: int) -> str:
        """``n`` units in words: "1 page", "3 slides"."""
        return f"{n} {self.unit}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class Measurement:
    """One typesetting of a document for fitting: its page count, and the finished file
    when measuring was a full render (the pipeline then writes it instead of rendering again)."""

    pages: int
    data: bytes | None = None
    warnings: tuple[str, ...] = ()
    last_fill: float | None = None  # how far down its body the last page is filled (0..1), when known


@dataclass
class RenderResult:
    """What a renderer reports about the file it wrote."""

    path: Path
    pages: int  # pages or slides
    warnings: list[str] = field(default_factory=list)
    fitting: list[str] = field(default_factory=list)  # every change made to fit


class Visitor:
    """Dispatch ``visit(block)`` to ``visit_<snake_case type name>``."""

    _cache: dict[type, str] = {}

    def visit(self, block: Block, *args: Any, **kwargs: Any) -> Any:
        name = Visitor._cache.get(type(block))
        if name is None:
            name = Visitor._cache[type(block)] = "visit_" + _snake(type(block).__name__)
        method = getattr(self, name, None)
        if method is None:
            raise NotImplementedError(f"{type(self).__name__} cannot render {type(block).__name__}")
        return method(block, *args, **kwargs)


class Renderer(Visitor):
    """A format writer: ``render(doc, brand, path)`` writes the file (``deliver.atomic`` makes it atomic).

    Paged formats (``FormatInfo.paged``) also answer ``count_pages`` and ``measure``.
    ``renderer_for`` keeps one renderer per format and process (its configuration and
    caches); each document is written by :meth:`for_document`'s fresh copy, so no
    per-document state outlives its document (Sphinx's builder/translator split).
    """

    format: str = ""
    extension: str = ""

    def for_document(self: _R) -> _R:
        """A fresh writer for one document, with this renderer's configuration."""
        return copy.copy(self)

    def render(self, doc: Document, brand: Brand, path: Path) -> RenderResult:  # pragma: no cover - interface
        raise NotImplementedError

    def count_pages(self, doc: Document, brand: Brand) -> int:
        """Pages ``doc`` would take, without writing anything (paged formats only)."""
        raise NotImplementedError(f"{type(self).__name__} does not count pages")

    def measure(self, doc: Document, brand: Brand) -> Measurement:
        """The page count for fitting; a renderer whose measuring is a full render returns the file too."""
        return Measurement(self.count_pages(doc, brand))
