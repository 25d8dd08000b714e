"""What every renderer shares: visitor dispatch over the neutral tree, and its result.

Like Sphinx translators, a renderer has one ``visit_<block_type>`` method per block
type (``visit_stat_tiles`` for ``StatTiles``); adding a block type adds one method per
renderer and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..brand.model import Brand
from ..layout.tree import Block, Document


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


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
    """A format writer: ``render(doc, brand, path)`` writes the file atomically (see ``build.atomic``)."""

    format: str = ""
    extension: str = ""

    def render(self, doc: Document, brand: Brand, path: Path) -> RenderResult:  # pragma: no cover - interface
        raise NotImplementedError
