"""ReportLab's text operators for a run of text, made once per process and reused.

A third of a PDF's drawing time went into ``PDFTextObject._formatText``: for every drawn
line it walks the shaped glyphs one by one and writes their codes and kerning as
``[(..) -12 (..)] TJ``.  The operators depend only on the font, size, leading and rise,
the text and its HarfBuzz positions, and the codes this document's font subsets give its
characters, so a study-level line (a quote, a value prop) drawn in the next account's packet
gives the same operators whenever its characters have the same codes there.  The codes are
part of the key (the document's own assignment is made first, as ReportLab does), so a line
whose characters are numbered otherwise is written afresh: the bytes never depend on what
the process drew before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.textobject import PDFTextObject

from roi_in_a_box.caches import NamedCache

_Key = tuple[Any, ...]
_OPERATORS: NamedCache[_Key, tuple[str, int, float]] = NamedCache("pdf.text_operators", 4096)


def reusing(format_text: Callable[[PDFTextObject, str], str]) -> Callable[[PDFTextObject, str], str]:
    """``format_text`` (ReportLab's ``_formatText``) answered from :data:`_OPERATORS` for
    TrueType text, with the side effects ReportLab's own call has on the document."""

    def cached(self: PDFTextObject, text: str) -> str:
        font = pdfmetrics.getFont(self._fontname)
        if not font._dynamicFont:
            return format_text(self, text)
        doc = self._canvas._doc
        splits = font.splitString(text, doc)  # this document's codes: assigned here as in ReportLab's call
        state = font.state[doc]
        name = state.internalName or (state.namePrefix, len(doc.fontMapping))  # what the font is called here
        shape = getattr(text, "__shapeData__", None)
        key = (self._fontname, self._fontsize, self._leading, self._rise, self._curSubset, name, str(text),
               tuple(shape) if shape is not None and font.shapable else None, tuple(splits))
        hit = _OPERATORS.get(key)
        if hit is None:
            code = format_text(self, text)
            _OPERATORS[key] = (code, self._curSubset, self._rise)
            return code
        current = self._curSubset
        for subset, _ in splits:  # ReportLab names each subset it switches to (the first names the font)
            if subset != current:
                font.getSubsetInternalName(subset, doc)
                current = subset
        code, self._curSubset, self._rise = hit
        return code

    return cached
