"""Searchable, copyable text for shaped glyphs: ToUnicode maps that give each glyph the
characters it was shaped from, in reading order.

ReportLab 5.1 gives every shaped glyph that has no character of its own (Lato's "ti" and
"tt" ligatures, Bengali conjuncts, Thai mark variants) a private-use code point, and its
ToUnicode map sends that code back to the private-use character.  Copying "orchestration"
out of a one-pager then gave "orchestra\ue001on", search did not find it, and which
private-use number a glyph got depended on what the process shaped before, so the same
document's bytes changed with build order.

Here every shaping result is read back against its source text (HarfBuzz clusters say
which characters each glyph came from), each font remembers the text of its glyphs, and
the ToUnicode map writes that text (one code may map to several characters).  Glyphs drawn
in another order than they are read (a Bengali vowel sign before its consonant, a reph
after it) are drawn under codes of their own whose texts spell the source in drawing
order (:func:`reading_order`), so extractors that read in drawing order get the words.
"""

from __future__ import annotations

import copy
import hashlib
import threading
import unicodedata
from typing import Any

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.textobject import PDFTextObject

from roi_in_a_box import patches

_PUA = range(0xE000, 0xF900)
# Vowel signs stored after their consonant but drawn before it (Devanagari i; Bengali i,
# e, ai), which shapers put first in a cluster.
_PREBASE = frozenset("\u093f\u09bf\u09c7\u09c8")
_SPUA = range(0xF0000, 0xFFFFE)  # supplementary private use: codes for glyphs read in another order
_current = threading.local()


class MappedTTFont(TTFont):
    """A TTFont that remembers the source text of its shaped glyphs (code point → text)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.glyph_text: dict[int, str] = {}
        self.clones: dict[tuple[int, str], int] = {}  # (glyph id, text) -> its reading-order code

    def hbFont(self, fontSize: float = 10) -> Any:  # noqa: N802 - ReportLab's name
        font = super().hbFont(fontSize)
        self.hbAddPrivate = self._add_private
        return font

    def _add_private(self, name: str, gid: int, advance: int) -> int:
        """A private-use code point for a glyph without a character.

        Unlike ReportLab's (the next free one, so a glyph's number depended on what the
        process shaped before), the code is U+E000 + glyph id where that is free, and the
        width is the glyph's own advance in PDF units (ReportLab stores the shaped advance
        in font units: for a 2048-unit font the /Widths entry is twice the glyph, and
        extractors then drop the characters that seem to overlap it, e.g. "on" after
        Lato's "ti")."""
        face = self.face
        unis: dict[str, int] = self._TTFont__hbUnis
        uchar = unis.get(name)
        if uchar is None:
            uchar = _PUA.start + gid
            if uchar not in _PUA or uchar in face.charToGlyph:
                uchar = self._TTFont__addPrivate(name, gid, advance)  # ReportLab's next free one
            else:
                unis[name] = uchar
                face.charToGlyph[uchar] = gid
                face.glyphToChar.setdefault(gid, []).append(uchar)
            face.charWidths[uchar] = face._pdfScale(face.hmetrics[gid][0])
        return uchar

    def addObjects(self, doc: Any) -> None:  # noqa: N802 - ReportLab's name
        _current.font = self
        try:
            super().addObjects(doc)
        finally:
            _current.font = None


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, with shaped glyphs mapped to their source text."""
    font = getattr(_current, "font", None)
    texts = font.glyph_text if font is not None else {}
    lines = [f"<{i:02X}> <{_utf16_hex(texts[v]) if v in texts else f'{v:04X}'}>" for i, v in enumerate(subset)]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>", "endcodespacerange", f"{len(subset)} beginbfchar",
        *lines, "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])


ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def unshaped(word: list) -> list:
    """``word`` with every private-use glyph code put back as the source text it was
    recorded for.

    ReportLab splits an over-long word inside its shaped string and, when the paragraph is
    split across frames, joins the pieces and shapes them again: HarfBuzz would then see
    our private-use codes, which no cmap maps, and draw .notdef boxes ("h□ps" for Lato's
    "tt").  Read back in drawing order, the recorded texts spell the source, so shaping
    the restored text draws the same glyphs again."""
    if isinstance(word, ttfonts.ShapedFragWord):  # ReportLab keeps shaped words as they are
        return word
    out = None
    for i, item in enumerate(word[1:], 1):
        frag, s = item
        if hasattr(frag, "cbDefn") or not any(ord(ch) in _PUA or ord(ch) in _SPUA for ch in s):
            continue
        table = getattr(pdfmetrics.getFont(frag.fontName), "glyph_text", None)
        if not table:
            continue
        text = "".join(table.get(ord(ch), ch) for ch in s)
        if text != s:
            if out is None:
                out = copy.copy(word)  # keeps its class: ReportLab's word classes carry meaning (_HSFrag: a space follows)
            out[i] = (frag, text)
    return word if out is None else out


def record(source: list, shaped: list) -> None:
    """Note, per font, the source text of every private-use glyph in ``shaped`` (a frag
    word that ReportLab's shaper made from ``source``).

    Glyphs with a character of their own first claim that character in the source (the
    nearest one at or after their cluster: a Bengali vowel sign drawn first belongs to
    the consonant after it; two-part vowels and "ำ" match by their compatibility decomposition).  Every source
    character left over belongs to the private-use glyph whose cluster holds it.  Such
    glyphs keep the first text found for them; glyphs with their own character are never
    remapped, since that would change them in every other word too.
    """
    text = "".join(s for f, s in source[1:] if not hasattr(f, "cbDefn"))
    real: list[tuple[str, int]] = []
    private: list[tuple[Any, int, int]] = []  # (font, code point, cluster)
    for frag, s in shaped[1:]:
        data = getattr(s, "__shapeData__", None)
        if data is None or hasattr(frag, "cbDefn"):
            continue
        font = pdfmetrics.getFont(frag.fontName)
        for ch, d in zip(s, data):
            if ord(ch) in _PUA:
                private.append((font, ord(ch), d.cluster))
            else:
                real.append((ch, d.cluster))
    if not private:
        return
    left: list[list[str]] = [[ch] for ch in text]
    for ch, cluster in real:
        for piece in unicodedata.normalize("NFKD", ch):  # "য়" drawn for "য" + nukta
            _claim(left, text, piece, cluster)
    clusters = sorted({c for _, _, c in private})
    owned: dict[int, str] = {}
    for pos, chars in enumerate(left):
        if chars:
            owner = max((c for c in clusters if c <= pos), default=clusters[0])
            owned[owner] = owned.get(owner, "") + "".join(chars)
    for cluster, piece in owned.items():
        glyphs = [(font, cp) for font, cp, c in private if c == cluster]
        for (font, cp), part in zip(glyphs, _split(piece, len(glyphs))):
            table = getattr(font, "glyph_text", None)
            if table is not None and part:
                table.setdefault(cp, part)


def _split(piece: str, n: int) -> list[str]:
    """Share one cluster's text among its ``n`` private-use glyphs (in drawing order): a
    vowel sign drawn before its consonant goes to the first glyph ("ক্ষে" drawn as "ে" +
    "ক্ষ"), one character each if the counts match, else all to the first."""
    if n <= 1 or len(piece) == n:
        return [piece] if n <= 1 else list(piece)
    pre = next((ch for ch in piece if ch in _PREBASE), None)
    if pre is not None and len(piece) > 1:
        return [pre, *_split(piece.replace(pre, "", 1), n - 1)]
    return [piece] + [""] * (n - 1)


def _claim(left: list[list[str]], text: str, ch: str, cluster: int) -> None:
    """Remove ``ch`` from the source position nearest at or after ``cluster`` (a
    no-break space counts as a space; "ো" splits into "ে" and "া" when a glyph takes one)."""
    best: tuple[tuple[bool, int], int, list[str]] | None = None
    for pos, chars in enumerate(left):
        if ch in chars or (ch == " " and "\xa0" in chars):
            after = list(chars)
            after.remove(ch if ch in chars else "\xa0")
        elif chars == [text[pos]] and ch in (parts := unicodedata.normalize("NFKD", text[pos])) and len(parts) > 1:
            after = list(parts)
            after.remove(ch)
        else:
            continue
        rank = (pos < cluster, abs(pos - cluster))
        if best is None or rank < best[0]:
            best = (rank, pos, after)
    if best is not None:
        left[best[1]] = best[2]


def reading_order(source: list, shaped: list) -> None:
    """Make a vowel sign drawn before its consonant read after it.

    "ডি" is drawn "ি" + "ড"; extractors read glyphs in drawing order, so it came back
    "িড".  The glyphs keep their places, but each of the span (sign, consonant glyphs)
    is drawn under a code of its own whose text is rotated one step: the sign's code
    reads "ড", the consonant's reads "ি", and the span reads "ডি".  Codes come from a
    hash of (glyph, text), so they do not depend on what was shaped before.
    """
    text = "".join(s for f, s in source[1:] if not hasattr(f, "cbDefn"))
    for k in range(1, len(shaped)):
        frag, s = shaped[k][0], shaped[k][1]
        data = getattr(s, "__shapeData__", None)
        font = pdfmetrics.getFont(frag.fontName) if data is not None and not hasattr(frag, "cbDefn") else None
        table = getattr(font, "glyph_text", None)
        if table is None:
            continue
        chars = list(s)
        reads = [table.get(ord(ch), ch) for ch in chars]
        i, changed = 0, False
        while i < len(chars):
            end = _span(text, reads, data, i)
            order = None
            if end is not None:  # two glyphs: exactly the source's text; more: their own, rotated
                order = ([text[data[i].cluster:_sign_at(text, reads[i], data[i].cluster)], reads[i]]
                         if end - i == 2 else reads[i + 1:end] + [reads[i]])
            if order is None:  # else any cluster drawn in another order, e.g. a reph after its consonant
                end = next((j for j in range(i, len(chars)) if data[j].cluster != data[i].cluster), len(chars))
                later = [d.cluster for d in data[end:] if d.cluster > data[i].cluster]
                order = _permuted(reads[i:end], text[data[i].cluster:min(later, default=len(text))])
            if order is None:
                i += 1
                continue
            for n, piece in zip(range(i, end), order):
                if piece != reads[n]:
                    chars[n] = chr(_clone(font, font.face.charToGlyph[ord(chars[n])], piece))
                    changed = True
            i = end
        if changed:
            shaped[k] = (frag, ttfonts.ShapedStr("".join(chars), shapeData=data))


def _permuted(reads: list[str], source: str) -> list[str] | None:
    """``reads`` reordered to spell ``source``, if they are its pieces out of order."""
    if len(reads) < 2 or "".join(reads) == source or sorted("".join(reads)) != sorted(source):
        return None

    def spell(rest: str, left: list[str]) -> list[str] | None:
        if not rest:
            return [] if not left else None
        for n, piece in enumerate(left):
            if piece and rest.startswith(piece):
                tail = spell(rest[len(piece):], left[:n] + left[n + 1:])
                if tail is not None:
                    return [piece, *tail]
        return None

    return spell(source, reads)


def _span(text: str, reads: list[str], data: list, i: int) -> int | None:
    """End of the span that glyph ``i`` (a pre-base vowel sign) is drawn in front of: the
    glyphs of its cluster whose text is the source before the sign, or None."""
    sign, cluster = reads[i], data[i].cluster
    if sign not in _PREBASE or i + 1 >= len(reads) or data[i + 1].cluster != cluster:
        return None
    at = _sign_at(text, sign, cluster)
    if at is None:
        return None
    before, read, end = _nfd(text[cluster:at]), "", i + 1
    while end < len(reads) and data[end].cluster == cluster and len(read) < len(before):
        read += _nfd(reads[end])  # "য়" may be one glyph for "য" + nukta
        end += 1
    return end if read == before and before else None


def _sign_at(text: str, sign: str, start: int) -> int | None:
    """Where ``sign`` (alone or as the first part of a two-part vowel) is in ``text``."""
    return next((p for p in range(start, len(text)) if _nfd(text[p]).startswith(sign)), None)


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFKD", text)


def _clone(font: MappedTTFont, gid: int, piece: str) -> int:
    """A supplementary private-use code drawing glyph ``gid`` and reading ``piece``."""
    key = (gid, piece)
    code = font.clones.get(key)
    if code is None:
        face = font.face
        digest = int.from_bytes(hashlib.sha1(f"{gid}:{piece}".encode()).digest()[:4], "big")
        code = _SPUA.start + digest % len(_SPUA)
        while code in face.charToGlyph:  # taken by another (glyph, text): the next free one
            code = _SPUA.start + (code - _SPUA.start + 1) % len(_SPUA)
        face.charToGlyph[code] = gid
        face.charWidths[code] = face._pdfScale(face.hmetrics[gid][0])
        font.glyph_text[code] = piece
        font.clones[key] = code
    return code


# --------------------------------------------------------------------------- raised marks
#
# A Thai tone mark stacked on an upper vowel ("ขึ้น") is drawn with a text rise, and
# extractors put raised glyphs on a line of their own ("ขึน" then "้"); marks moved sideways
# are sorted by position ("ท่ี" for "ที่").  A run holding positioned glyphs is wrapped in
# a marked-content span whose ActualText is the run's reading text (its glyphs' texts in
# order), which extractors read instead of the glyphs.

_format_text = PDFTextObject._formatText


def _format_text_with_actual_text(self: PDFTextObject, text: str) -> str:
    code = _format_text(self, text)
    data = getattr(text, "__shapeData__", None)
    if not data or not any(d.y_offset or d.x_offset for d in data):
        return code
    table = getattr(pdfmetrics.getFont(self._fontname), "glyph_text", None)
    if table is None:
        return code
    reading = "".join(table.get(ord(ch), ch) for ch in text)
    return f"/Span <</ActualText <FEFF{_utf16_hex(reading)}>>> BDC {code} EMC"


patches.install("reportlab-format-text", _format_text_with_actual_text)
