"""Searchable, copyable text for shaped glyphs: ToUnicode maps that give each glyph the
characters it was shaped from, in reading order.

ReportLab 5.1 gives every shaped glyph that has no character of its own (Lato's "ti" and
"tt" ligatures, Bengali conjuncts, Thai mark variants) a private-use code point, and its
ToUnicode map sends that code back to the private-use character.  Copying "orchestration"
out of a one-pager then gave "orchestra\ue001on", search did not find it, and which
private-use number a glyph got depended on what the process shaped before, so the same
document's bytes changed with build order.

Here every shaped cluster that is not a plain character is drawn as one code of its own
(:func:`clustered`): its glyph, made when the font subset is written, is a TrueType
composite of the cluster's glyphs at their HarfBuzz positions, and its ToUnicode entry is
the cluster's source text.  Ligatures then read as their letters, Bengali vowel signs drawn
before their consonant and rephs drawn after it read in logical order, Thai SARA AM drawn as
NIKHAHIT + SARA AA reads "ำ", whatever order an extractor sorts glyphs in.  Codes are
hashes of (glyphs, positions, text), so they do not depend on what was shaped before.
"""

from __future__ import annotations

import copy
import hashlib
import threading
import unicodedata
from itertools import pairwise
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.textobject import PDFTextObject

from roi_in_a_box import disk_cache, patches
from roi_in_a_box.render.pdf.text_operators import reusing

_PUA = range(0xE000, 0xF900)
_SPUA = range(0xF0000, 0xFFFFE)  # supplementary private use: cluster codes
_current = threading.local()


class MappedTTFont(TTFont):
    """A TTFont that remembers the source text of its shaped glyphs (code point → text)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.glyph_text: dict[int, str] = {}  # code -> the text it reads
        self.clusters_by_key: dict[tuple, int] = {}  # (components, advance, text) -> cluster code
        self.face.cluster_glyphs = {}  # cluster code -> (components, advance): made into glyphs by makeSubset

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


patches.install("reportlab-tounicode-cmap", _to_unicode_cmap)


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


# --------------------------------------------------------------------------- raised marks
#
# A Thai tone mark stacked on an upper vowel ("ขึ้น") is drawn with a text rise, and
# extractors put raised glyphs on a line of their own ("ขึน" then "้"); marks moved sideways
# are sorted by position ("ท่ี" for "ที่").  A run holding positioned glyphs is wrapped in
# a marked-content span whose ActualText is the run's reading text (its glyphs' texts in
# order), which extractors read instead of the glyphs.

_format_text = reusing(PDFTextObject._formatText)


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


# --------------------------------------------------------------------------- one code per cluster
#
# Extractors disagree on everything except one thing: a character code whose ToUnicode entry
# is a string comes out as that string, where the code is drawn.  pdfminer and pypdf ignore
# ActualText; pdftotext and pdfminer sort characters by their x position, so a Bengali vowel
# sign drawn before its consonant, a reph drawn after it, or a Thai mark moved sideways came
# out in drawing order whatever the ToUnicode map said.  So every shaped cluster that is not
# a plain character (several glyphs, a glyph moved by GPOS, a ligature, a glyph standing for
# other characters) is drawn as ONE code of its own, whose glyph is a TrueType composite of
# the cluster's glyphs at their HarfBuzz positions and whose ToUnicode text is the cluster's
# source text.  Clusters are in reading order for left-to-right scripts, so every reader gets
# the source.  Line breaks fall between frag words, never inside a cluster.

_JOINING = "\u094d\u09cd\u200c\u200d"  # viramas and joiners bind the next letter
_SYNTH = -1  # charToGlyph value of a cluster code: its glyph is made when the subset is written


def _units(text: str, glyphs: list[tuple[int, Any]]) -> list[tuple[int, int]]:
    """Glyph index ranges ``[start, end)`` that draw a piece of text of their own: a cut
    before glyph j only where every later glyph comes from later text than every earlier
    one, the glyph has an advance (marks stay with their base), and the text there does not
    start with a mark or follow a virama or joiner."""
    n = len(glyphs)
    if not n:
        return []
    suffix_min = [0] * (n + 1)
    suffix_min[n] = len(text)
    for j in range(n - 1, -1, -1):
        suffix_min[j] = min(glyphs[j][1].cluster, suffix_min[j + 1])
    cuts = [0]
    prefix_max = -1
    for j in range(n):
        if j:
            b = suffix_min[j]
            if (prefix_max < b and glyphs[j][1].x_advance != 0 and 0 < b < len(text)
                    and not unicodedata.category(text[b]).startswith("M") and text[b - 1] not in _JOINING):
                cuts.append(j)
        prefix_max = max(prefix_max, glyphs[j][1].cluster)
    cuts.append(n)
    return list(pairwise(cuts))


def clustered(source: list, shaped: list) -> list:
    """``shaped`` (a frag word ReportLab's shaper made from ``source``) with every cluster
    that is not a plain character drawn as one cluster code (see above)."""
    text = "".join(s for f, s in source[1:] if not hasattr(f, "cbDefn"))
    flat: list[tuple[int, Any, int, str]] = []  # (item index, shape data, position in item, char)
    for k in range(1, len(shaped)):
        frag, s = shaped[k][0], shaped[k][1]
        data = getattr(s, "__shapeData__", None)
        if data is None or hasattr(frag, "cbDefn"):
            continue
        flat.extend((k, d, i, ch) for i, (ch, d) in enumerate(zip(s, data)))
    if not flat:
        return shaped
    out_chars: dict[int, list[str]] = {}
    out_data: dict[int, list[Any]] = {}
    units = _units(text, [(k, d) for k, d, _, _ in flat])
    starts = [min(flat[j][1].cluster for j in range(a, b)) for a, b in units]
    for u, (a, b) in enumerate(units):
        k = flat[a][0]
        piece = text[starts[u]:starts[u + 1] if u + 1 < len(units) else len(text)]
        first = flat[a][1]
        font = pdfmetrics.getFont(shaped[k][0].fontName)
        plain = b - a == 1 and piece == flat[a][3] and not first.x_offset and not first.y_offset
        if plain or not piece or not isinstance(font, MappedTTFont) or any(flat[j][0] != k for j in range(a, b)):
            for j in range(a, b):  # (a cluster across two frags, a style change inside it: as shaped)
                out_chars.setdefault(flat[j][0], []).append(flat[j][3])
                out_data.setdefault(flat[j][0], []).append(flat[j][1])
            continue
        code, width = font.cluster_code([(flat[j][3], flat[j][1]) for j in range(a, b)], piece)
        adv = sum(flat[j][1].x_advance for j in range(a, b))
        out_chars.setdefault(k, []).append(chr(code))
        out_data.setdefault(k, []).append(ttfonts.ShapeData(first.cluster, adv, 0, 0, 0, width))
    new = copy.copy(shaped)
    for k in range(1, len(shaped)):
        if k in out_chars:
            new[k] = (shaped[k][0], ttfonts.ShapedStr("".join(out_chars[k]), shapeData=out_data[k]))
    return new


def _cluster_code(self: MappedTTFont, glyphs: list[tuple[str, Any]], piece: str) -> tuple[int, float]:
    """The code (and its width in PDF units) drawing ``glyphs`` (char, shape data) as one
    composite glyph that reads ``piece``; the same glyphs and text always get the same code."""
    face = self.face
    upem = face.unitsPerEm
    comps = []
    pen = 0
    for ch, d in glyphs:
        gid = face.charToGlyph[ord(ch)]
        comps.append((gid, round((pen + d.x_offset) * upem / 1000), round(d.y_offset * upem / 1000)))
        pen += d.x_advance
    last_gid = comps[-1][0]
    natural = sum(d.x_advance for _, d in glyphs[:-1]) + face._pdfScale(face.hmetrics[last_gid][0])
    advance = round(natural * upem / 1000)
    key = (tuple(comps), advance, piece)
    code = self.clusters_by_key.get(key)
    if code is None:
        digest = int.from_bytes(hashlib.sha1(repr(key).encode()).digest()[:4], "big")
        code = _SPUA.start + digest % len(_SPUA)
        while code in face.charToGlyph:
            code = _SPUA.start + (code - _SPUA.start + 1) % len(_SPUA)
        face.charToGlyph[code] = _SYNTH
        face.charWidths[code] = face._pdfScale(advance)
        self.glyph_text[code] = piece
        self.clusters_by_key[key] = code
        face.cluster_glyphs[code] = (tuple(comps), advance)
    return code, face.charWidths[code]


MappedTTFont.cluster_code = _cluster_code
_make_subset = ttfonts.TTFontFile.makeSubset
_TMP = 0x7F000000  # temporary codes that pull a cluster's component glyphs into ReportLab's subset


def _make_subset_with_clusters(self: Any, subset: list[int]) -> bytes:
    """ReportLab's subset, with a composite glyph for every cluster code in ``subset``."""
    clusters = getattr(self, "cluster_glyphs", None) or {}
    wanted = [code for code in subset if code in clusters]
    if not wanted:
        return _make_subset(self, subset)
    key = (self.filename, tuple(subset), tuple(clusters[code] for code in wanted),
           tuple(self.charToGlyph.get(code, 0) for code in subset if code not in clusters))
    hit = _SUBSETS.get(key)
    if hit is None:
        hit = _kept_subset(self, key, subset, clusters, wanted)
        if len(_SUBSETS) >= _SUBSETS_MAX:
            _SUBSETS.clear()
        _SUBSETS[key] = hit
    return hit


# Batches write the same subsets (the same clusters in the same order) document after
# document; building one with fontTools costs tens of milliseconds.
_SUBSETS: dict[tuple, bytes] = {}
_SUBSETS_MAX = 256


def _kept_subset(self: Any, key: tuple, subset: list[int], clusters: dict, wanted: list[int]) -> bytes:
    """The subset from the user's cache folder when this font file, these glyphs and this
    code made it before (fontTools is then not even imported), else built and kept."""
    try:
        font_hash = disk_cache.file_hash(Path(self.filename))
    except (OSError, TypeError):
        return _composite_subset(self, subset, clusters, wanted)
    name = disk_cache.key("pdf-subset", font_hash, key[1:], disk_cache.source_hash(__file__),
                          disk_cache.version("fonttools"), disk_cache.version("reportlab"))
    data = disk_cache.load_bytes("pdf-subset", name)
    if data is None:
        data = _composite_subset(self, subset, clusters, wanted)
        disk_cache.store_bytes("pdf-subset", name, data)
    return data


def _composite_subset(self: Any, subset: list[int], clusters: dict, wanted: list[int]) -> bytes:
    import io

    from fontTools.ttLib import TTFont as FTFont
    from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

    gids = sorted({gid for code in wanted for gid, _, _ in clusters[code][0]})
    extra = [_TMP + gid for gid in gids]
    saved = {code: self.charToGlyph.pop(code) for code in wanted}
    for gid in gids:
        self.charToGlyph[_TMP + gid] = gid
    try:
        data = _make_subset(self, list(subset) + extra)
    finally:
        for gid in gids:
            del self.charToGlyph[_TMP + gid]
        self.charToGlyph.update(saved)
    font = FTFont(io.BytesIO(data), recalcTimestamp=False)
    cmap_table = font["cmap"].tables[0]
    by_pos = dict(cmap_table.cmap)
    name_of = {gid: by_pos[len(subset) + i] for i, gid in enumerate(gids)}
    glyf, hmtx = font["glyf"], font["hmtx"]
    for pos, code in enumerate(subset):
        if code not in clusters:
            continue
        comps, advance = clusters[code]
        g = Glyph()
        g.numberOfContours = -1
        g.components = []
        for gid, dx, dy in comps:
            c = GlyphComponent()
            c.glyphName, c.x, c.y, c.flags = name_of[gid], dx, dy, 0x0004  # ROUND_XY_TO_GRID
            g.components.append(c)
        name = f"cluster{pos}"
        glyf[name] = g  # (appends the name to the glyph order)
        g.recalcBounds(glyf)
        hmtx[name] = (advance, getattr(g, "xMin", 0))
        by_pos[pos] = name
    font.setGlyphOrder(list(glyf.glyphOrder))
    cmap_table.cmap = {pos: by_pos[pos] for pos in range(len(subset)) if pos in by_pos}
    out = io.BytesIO()
    font.save(out, reorderTables=False)
    return out.getvalue()


patches.install("reportlab-make-subset", _make_subset_with_clusters)
