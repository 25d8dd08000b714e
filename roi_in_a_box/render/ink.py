"""How far the ink of shaped text reaches above and below its baseline, marks included.

Line spacing set as a fixed multiple of the font size (1.2 em for a title) let the stacked
marks of a Thai line (a tone mark on an upper vowel, "ปั้") reach into the line above, and
Bengali vowel signs below the baseline touch the next line.  Lines cannot collide when the
distance between baselines is at least the highest ink above plus the lowest ink below, so
each renderer takes its leading from :func:`needed_leading` of the text it sets.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from roi_in_a_box.caches import lru as registered_cache
from roi_in_a_box.brand.fonts import font_runs
from roi_in_a_box.brand.model import FontRole
from roi_in_a_box.text.scripts import BENGALI, LATIN, THAI, script_of

GAP_EM = 0.06  # white space kept between the lowest ink of a line and the highest of the next
# pdftotext (poppler) reads lines more than about 1.5 em apart as separate blocks and then
# interleaves them with a neighbouring column, so PDF leading stops just below that.
MAX_LEADING_EM = 1.48


@lru_cache(maxsize=16)
def _hb_font(path: str):
    import uharfbuzz as hb

    face = hb.Face(hb.Blob(Path(path).read_bytes()))
    return hb.Font(face), face.upem


@registered_cache("ink.line_factors")
@lru_cache(maxsize=64)
def line_factor(path: str) -> float:
    """Natural line height of the font at ``path`` in ems (hhea ascent − descent + gap): what
    LibreOffice spaces single lines by."""
    from fontTools.ttLib import TTFont

    f = TTFont(path, lazy=True)
    hhea, upem = f["hhea"], f["head"].unitsPerEm
    return (hhea.ascent - hhea.descent + hhea.lineGap) / upem


@lru_cache(maxsize=8192)
def ink_em(path: str, text: str) -> tuple[float, float]:
    """(highest ink above the baseline, lowest ink below it) of ``text`` shaped with the font
    file ``path``, in ems (both >= 0)."""
    import uharfbuzz as hb

    font, upem = _hb_font(path)
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(font, buf, {})
    top = bottom = 0.0
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions):
        ext = font.get_glyph_extents(info.codepoint)
        if ext is None or not ext.height:
            continue
        top = max(top, pos.y_offset + ext.y_bearing)
        bottom = max(bottom, -(pos.y_offset + ext.y_bearing + ext.height))
    return top / upem, bottom / upem


def stacked(text: str) -> bool:
    """Whether ``text`` has Bengali or Thai letters (the scripts whose marks stack)."""
    return any(script_of(ch) in (BENGALI, THAI) for ch in text)


def needed_leading(text: str, role: FontRole, size: float, bold: bool = False, default_script: str = LATIN) -> float:
    """The smallest baseline-to-baseline distance (points) at which no two lines of ``text``
    set at ``size`` can touch: the highest ink over all its font runs plus the lowest, plus
    a small gap."""
    return needed_leading_faces(((str(fam.bold if bold else fam.regular), piece)
                                 for fam, piece in font_runs(text, role, default_script)), size)


def needed_leading_faces(pieces: Iterable[tuple[str, str]], size: float) -> float:
    """:func:`needed_leading` of text already cut into ``(font file, text)`` pieces, as the
    Word and PowerPoint writers hold it."""
    top = bottom = 0.0
    for path, piece in pieces:
        for word in piece.split():
            t, b = ink_em(path, word)
            top, bottom = max(top, t), max(bottom, b)
    return (top + bottom + GAP_EM) * size
