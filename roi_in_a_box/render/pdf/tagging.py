"""Tagged PDF, drawing side: the structure tree the renderer builds from the layout tree,
and the marked content the canvas writes while flowables draw.

The renderer makes a :class:`StructNode` for everything the layout tree says a block is
(a heading, a list item, a table cell...) in the tree's logical order, and ties each
flowable that draws content to its node with :func:`tag`.  :class:`TaggingCanvas` wraps
what a tagged flowable draws in ``/Role <</MCID n>> BDC ... EMC`` and records which node
owns MCID n on which page; everything drawn outside tagged flowables (page furniture,
panel backgrounds, rules, table fills, footers, the watermark) is inside ``/Artifact BMC
... EMC``.  ``render/pdf/archival.py`` then writes the structure tree objects from the
nodes.  Only leaves own content: a node entered while another is open closes it and the
outer one resumes under a fresh MCID, so sequences never nest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus.flowables import Flowable

from roi_in_a_box.render.pdf import tounicode  # noqa: F401 - its text-layer patch first, ours wraps it

ARTIFACT = "/Artifact BMC"
# Letters per script (the blocks of text/scripts.py), counted with C-speed regexes: every
# paragraph of every document asks.
_LETTERS = (("en", re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")), ("bn", re.compile(r"[\u0980-\u09ff]")),
            ("th", re.compile(r"[\u0e00-\u0e7f]")))


def text_lang(text: str, doc_lang: str) -> str:
    """The language of ``text`` as far as its letters tell: the document's own if most
    letters are in its script (so "en-GB" stays "en-GB"), else the script's language
    (an English product name in a Bengali study is "en", a Thai quote in an English one "th")."""
    counts = [(len(rx.findall(text)), lang) for lang, rx in _LETTERS]
    n, lang = max(counts)
    if not n:
        return doc_lang
    return doc_lang if lang == doc_lang.split("-")[0].lower() else lang


@dataclass(frozen=True)
class MarkRef:
    """Marked content ``mcid`` on page ``page`` (0-based)."""

    page: int
    mcid: int


@dataclass(frozen=True)
class LinkRef:
    """The ``index``-th link annotation drawn on page ``page`` (0-based), and what it says."""

    page: int
    index: int
    contents: str


@dataclass(eq=False)
class StructNode:
    """One structure element: a standard type (or a RoleMap name), its attributes and its
    kids in reading order (nodes, marked content, link annotations).

    ``once``: content drawn again later (a table header row repeated on the next page) is
    an artifact the second time.
    """

    role: str
    parent: StructNode | None = None
    kids: list[StructNode | MarkRef | LinkRef] = field(default_factory=list)
    alt: str = ""
    actual_text: str = ""
    lang: str = ""
    scope: str = ""  # TH: Column or Row
    id: str = ""  # Note: a unique ID (PDF/UA 7.9)
    once: bool = False
    links: dict[str, str] = field(default_factory=dict)  # url -> link text, for /Contents

    def add(self, role: str, **attrs: Any) -> StructNode:
        node = StructNode(role, self, **attrs)
        self.kids.append(node)
        return node

    def has_content(self) -> bool:
        return any(not isinstance(k, StructNode) or k.has_content() for k in self.kids)

    def walk(self):
        """This node and every node below it, depth first in reading order."""
        yield self
        for k in self.kids:
            if isinstance(k, StructNode):
                yield from k.walk()


def tag(flowable: Flowable, node: StructNode | None) -> Flowable:
    """Say that what ``flowable`` draws is ``node``'s content (``None``: an artifact)."""
    flowable._struct = node
    return flowable


def carry(source: Flowable, parts: list) -> list:
    """Pieces of a split flowable keep its node (the second half of a paragraph on the
    next page is still the same paragraph)."""
    node = source.__dict__.get("_struct", _UNSET)
    if node is not _UNSET:
        for p in parts:
            if isinstance(p, Flowable) and "_struct" not in p.__dict__:
                p._struct = node
    return parts


_UNSET = object()


class TaggingCanvas(Canvas):
    """A canvas that writes marked content around tagged flowables and artifacts around
    everything else, recording which node owns each MCID and each link annotation."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.marks: dict[int, list[StructNode]] = {}  # page -> node of each MCID
        self.links: dict[int, list[StructNode | None]] = {}  # page -> Link node of each annotation
        self._stack: list[StructNode | None] = []
        self._code: list[str]
        self._code.append(ARTIFACT)

    # ------------------------------------------------------------------ pages

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._code.append("EMC")
        self._stack = []
        super().showPage()

    def _startPage(self) -> None:  # noqa: N802 - ReportLab's name
        super()._startPage()
        self._code.append(ARTIFACT)

    def _drop_empty_page(self) -> None:
        if self._code == [ARTIFACT]:  # only our opener: no page was started after the last one
            self._code = []

    def save(self) -> None:
        self._drop_empty_page()
        super().save()

    def getpdfdata(self) -> bytes:  # noqa: N802 - ReportLab's name
        self._drop_empty_page()
        return super().getpdfdata()

    # ------------------------------------------------------------------ marked content

    def _open(self, node: StructNode | None) -> None:
        if node is None:
            self._code.append(ARTIFACT)
            return
        page = self._pageNumber - 1
        owners = self.marks.setdefault(page, [])
        node.kids.append(MarkRef(page, len(owners)))
        self._code.append(f"/{node.role} <</MCID {len(owners)}>> BDC")
        owners.append(node)

    def enter(self, node: StructNode | None) -> None:
        if node is not None and node.once and node.has_content():
            node = None
        self._code.append("EMC")
        self._stack.append(node)
        self._open(node)

    def leave(self) -> None:
        self._code.append("EMC")
        self._stack.pop()
        self._open(self._stack[-1] if self._stack else None)

    def linkURL(self, url, rect, relative=0, thickness=0, color=None, dashArray=None, kind="URI", **kw):  # noqa: N802
        """Every link annotation belongs to a Link element: the open node if it is one,
        else a new Link child of the open node."""
        owner = self._stack[-1] if self._stack else None
        page = self._pageNumber - 1
        on_page = self.links.setdefault(page, [])
        link = None
        if owner is not None:
            link = owner if owner.role == "Link" else owner.add("Link")
            text = owner.links.get(url, "") or (owner.parent.links.get(url, "") if owner.parent else "")
            link.kids.append(LinkRef(page, len(on_page), f"{text} ({url})" if text else url))
        on_page.append(link)
        return super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)


_draw_on = Flowable.drawOn


def _tagged_draw_on(self: Flowable, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N803
    node = self.__dict__.get("_struct", _UNSET)
    if node is _UNSET or not isinstance(canvas, TaggingCanvas):
        return _draw_on(self, canvas, x, y, _sW)
    canvas.enter(node)
    try:
        return _draw_on(self, canvas, x, y, _sW)
    finally:
        canvas.leave()


Flowable.drawOn = _tagged_draw_on

_split_on = Flowable.splitOn


def _tagged_split_on(self: Flowable, canv: Any, aW: float, aH: float) -> list:  # noqa: N803
    return carry(self, _split_on(self, canv, aW, aH))


Flowable.splitOn = _tagged_split_on


# --------------------------------------------------------------------------- language of a run
#
# Text in another language than its paragraph's (an English product name in a Bengali
# sentence, a Thai term in an English one) is drawn in that script's font (brand/fonts.py
# cuts runs by script), so the font says the language: such a run is wrapped in
# ``/Span <</Lang (xx)>> BDC ... EMC`` inside its paragraph's marked content.

_FONT_LANG: dict[str, str] = {}
_LATIN_LETTER = re.compile(r"[A-Za-z]")


def _font_lang(font_name: str) -> str:
    lang = _FONT_LANG.get(font_name)
    if lang is None:
        cmap = getattr(getattr(pdfmetrics.getFont(font_name), "face", None), "charToGlyph", {})
        lang = _FONT_LANG[font_name] = "bn" if 0x0995 in cmap else "th" if 0x0E01 in cmap else "en"
    return lang


_format_text = PDFTextObject._formatText


def _format_text_with_lang(self: PDFTextObject, text: str) -> str:
    code = _format_text(self, text)
    canv = self._canvas
    node = canv._stack[-1] if isinstance(canv, TaggingCanvas) and canv._stack else None
    if node is None or not node.lang:
        return code
    lang = _font_lang(self._fontname)
    if lang == node.lang.split("-")[0].lower() or (lang == "en" and not _LATIN_LETTER.search(text)):
        return code
    return f"/Span <</Lang ({lang})>> BDC {code} EMC"


PDFTextObject._formatText = _format_text_with_lang

