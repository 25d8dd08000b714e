"""Font subsets for embedding in Office files (DOCX and PPTX share this module): which
characters a subset must keep, the licence check, and a bounded cache of subsets.

A viewer shapes the document's text with the embedded subset, and its shaper asks for more
than the characters stored in the file: LibreOffice decomposes Thai SARA AM (U+0E33) into
NIKHAHIT + SARA AA and Bengali two-part vowels (U+09CB, U+09CC) into their halves, may
compose a consonant + nukta into its precomposed letter, and draws a dotted circle (U+25CC)
under a mark it cannot attach.  A subset cut to the stored characters lacked U+0E4D and
U+09D7: every "ำ" lost its circle and "ৌ" showed dotted circles.  :func:`closure` adds all
of these before HarfBuzz subsets (which keeps every glyph GSUB reaches from them).
"""

from __future__ import annotations

import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from collections.abc import Iterable

from roi_in_a_box.brand.fonts import coverage
from roi_in_a_box.brand.model import FontFamily
from roi_in_a_box.caches import lru as registered_cache

CACHE_SIZE = 48  # subsets kept (each up to a few hundred KB for a Bengali face)
FACES = ("Regular", "Bold", "Italic", "BoldItalic")

# fsType bits (OpenType OS/2): usage permissions in bits 0-3, then two flags.
_FS_RESTRICTED, _FS_PREVIEW_PRINT, _FS_EDITABLE = 0x0002, 0x0004, 0x0008
FS_NO_SUBSETTING, _FS_BITMAP_ONLY = 0x0100, 0x0200

DOTTED_CIRCLE = 0x25CC
JOINERS = (0x200C, 0x200D)  # ZWNJ, ZWJ: LibreOffice drew a gap for "ঙ্গ" from a subset without them
# Splits shapers make that are not (only) Unicode decompositions: Thai and Lao AM are
# compatibility decompositions, which NFD does not give; the Bengali, Oriya, Tamil,
# Malayalam and Sinhala two-part vowels are canonical ones, listed so the rule is visible.
SHAPER_SPLITS: dict[int, tuple[int, ...]] = {
    0x0E33: (0x0E4D, 0x0E32), 0x0EB3: (0x0ECD, 0x0EB2),
    0x09CB: (0x09C7, 0x09BE), 0x09CC: (0x09C7, 0x09D7),
    0x0B4B: (0x0B47, 0x0B3E), 0x0B4C: (0x0B47, 0x0B57), 0x0BCA: (0x0BC6, 0x0BBE),
    0x0BCB: (0x0BC7, 0x0BBE), 0x0BCC: (0x0BC6, 0x0BD7), 0x0D4A: (0x0D46, 0x0D3E),
    0x0D4B: (0x0D47, 0x0D3E), 0x0D4C: (0x0D46, 0x0D57),
}


def closure(cps: Iterable[int]) -> frozenset[int]:
    """``cps`` plus every character a shaper may ask the font for while drawing them: their
    canonical and compatibility decompositions, the shaper splits above, the precomposed
    letters of the 256-code blocks they touch whose parts are all present (a shaper may
    compose "য" + nukta into "য়"), U+25CC, and for Indic and South-East Asian text the
    zero-width (non-)joiners."""
    out = set(cps)
    todo = list(out)
    while todo:
        cp = todo.pop()
        parts = [ord(c) for form in ("NFD", "NFKD") for c in unicodedata.normalize(form, chr(cp))]
        for part in (*parts, *SHAPER_SPLITS.get(cp, ())):
            if part not in out:
                out.add(part)
                todo.append(part)
    for block in {cp >> 8 for cp in out if cp > 0x7F}:
        for cp in range(block << 8, (block + 1) << 8):
            nfd = unicodedata.normalize("NFD", chr(cp))
            if cp not in out and len(nfd) > 1 and all(ord(c) in out for c in nfd):
                out.add(cp)
    out.add(DOTTED_CIRCLE)
    if any(0x0900 <= cp < 0x1000 for cp in out):
        out.update(JOINERS)
    return frozenset(out)


@registered_cache("font_subset.closures")
@lru_cache(maxsize=256)
def _closure(drawn: frozenset[int]) -> frozenset[int]:
    """:func:`closure`, once per rounded-up character set (a batch's documents share few)."""
    return closure(drawn)


# ---------------------------------------------------------------- font facts


@dataclass(frozen=True)
class FontInfo:
    """What a font table says about a family, read from its regular face."""

    fs_type: int
    panose: str  # 20 hex digits
    family: str  # ST_FontFamily: roman, swiss, modern, script, decorative, auto
    pitch: str  # fixed or variable
    sig: tuple[str, ...]  # usb0..usb3, csb0, csb1 as 8 hex digits
    panose_bytes: bytes  # the 10 PANOSE digits
    weight: int  # OS/2 usWeightClass
    italic: bool  # OS/2 fsSelection bit 0
    charset: int  # 1: DEFAULT_CHARSET (the font is not limited to one Windows code page)


@cache
def font_info(path: Path) -> FontInfo:
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    os2 = font["OS/2"]
    p = os2.panose
    digits = (p.bFamilyType, p.bSerifStyle, p.bWeight, p.bProportion, p.bContrast, p.bStrokeVariation,
              p.bArmStyle, p.bLetterForm, p.bMidline, p.bXHeight)
    if p.bFamilyType == 2 and 11 <= p.bSerifStyle <= 15:
        family = "swiss"
    elif p.bFamilyType == 2 and 2 <= p.bSerifStyle <= 10:
        family = "roman"
    else:
        family = {3: "script", 4: "decorative"}.get(p.bFamilyType) or {
            8: "swiss", 10: "script", 12: "decorative"}.get(os2.sFamilyClass >> 8) or (
            "roman" if 1 <= (os2.sFamilyClass >> 8) <= 7 else "auto")
    if p.bFamilyType == 2 and p.bProportion == 9:
        family = "modern"
    pitch = "fixed" if font["post"].isFixedPitch else "variable"
    ranges = (os2.ulUnicodeRange1, os2.ulUnicodeRange2, os2.ulUnicodeRange3, os2.ulUnicodeRange4,
              getattr(os2, "ulCodePageRange1", 0), getattr(os2, "ulCodePageRange2", 0))
    return FontInfo(fs_type=os2.fsType, panose="".join(f"{d:02X}" for d in digits), family=family,
                    pitch=pitch, sig=tuple(f"{v & 0xFFFFFFFF:08X}" for v in ranges),
                    panose_bytes=bytes(digits), weight=os2.usWeightClass, italic=bool(os2.fsSelection & 1),
                    charset=1)


def embedding_allowed(fs_type: int) -> bool:
    """Installable (0), editable or preview & print: yes; restricted licence or bitmap-only: no."""
    if fs_type & _FS_BITMAP_ONLY:
        return False
    return not (fs_type & _FS_RESTRICTED and not fs_type & (_FS_PREVIEW_PRINT | _FS_EDITABLE))


# ---------------------------------------------------------------- subsets


def subset_font(data: bytes, codepoints: Iterable[int]) -> bytes | None:
    """``data`` cut down to ``codepoints`` (plus what GSUB reaches from them), or ``None``.

    Glyph ids are kept (the dropped glyphs stay as empty slots): LibreOffice, when the
    reader has the same family installed, shapes with the installed font and draws with the
    embedded one, so a renumbered subset drew nothing for Thai text and for ``÷`` (measured:
    every Thai glyph of the case study blank; about 3 KB more per document)."""
    import uharfbuzz as hb

    try:
        inp = hb.SubsetInput()
        inp.unicode_set.update(codepoints)
        inp.flags = hb.SubsetFlags.RETAIN_GIDS
        out = hb.subset(hb.Face(hb.Blob(data)), inp)
        blob = bytes(out.blob.data) if out is not None else b""
    except Exception:  # noqa: BLE001 - any failure: the caller embeds the whole font
        return None
    return blob if len(blob) > 32 else None


class LRU:
    """A small thread-safe least-recently-used map."""

    def __init__(self, size: int):
        self.size = size
        self.data: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self.lock:
            hit = self.data.get(key)
            if hit is not None:
                self.data.move_to_end(key)
            return hit

    def put(self, key: Any, value: Any) -> None:
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.data.clear()


_cache = LRU(CACHE_SIZE)


def face_subset(path: Path, chars: frozenset[int]) -> tuple[bytes, bool]:
    """(TrueType bytes, is a subset) of the face file ``path`` for ``chars`` (code points it
    has, already closed): the whole font when subsetting fails or is not allowed."""
    ck = (str(path), chars)
    hit = _cache.get(ck)
    if hit is None:
        data = Path(path).read_bytes()
        sub = None if font_info(path).fs_type & FS_NO_SUBSETTING else subset_font(data, chars)
        hit = (sub or data, sub is not None)
        _cache.put(ck, hit)
    return hit


# Whole blocks added when a document draws any character of them, so that the documents of a
# batch (account names, figures) share subsets instead of each missing the cache for a letter.
_ASCII_LETTERS = frozenset(range(0x41, 0x5B)) | frozenset(range(0x61, 0x7B))
_ROUND_UP = (
    (_ASCII_LETTERS, _ASCII_LETTERS),  # (a Bengali font drawing digits needs no Latin letters)
    (range(0x20, 0x7F), frozenset(range(0x20, 0x7F)) - _ASCII_LETTERS),  # ASCII digits, punctuation
    (range(0x0980, 0x0A00), (*range(0x09E6, 0x09F0), 0x0964, 0x0965)),  # Bengali: its digits, dandas
    (range(0x0E00, 0x0E80), range(0x0E50, 0x0E5A)),  # Thai: its digits
)


def round_up(cps: frozenset[int]) -> frozenset[int]:
    extra: set[int] = set()
    for block, add in _ROUND_UP:
        if any(cp in block for cp in cps):
            extra.update(add)
    return cps | extra


@dataclass(frozen=True)
class FacePlan:
    face: str  # "Regular", "Bold", "Italic" or "BoldItalic"
    path: Path
    chars: frozenset[int]  # closed, rounded up, and only what the face has


@dataclass(frozen=True)
class FamilyPlan:
    family: FontFamily
    info: FontInfo
    faces: tuple[FacePlan, ...]


def plan_families(used: Iterable[tuple[FontFamily, set[str] | frozenset[str]]], *, faces: Iterable[str],
                  warnings: list[str], fmt: str) -> list[FamilyPlan]:
    """Which faces of each family in ``used`` (family, characters drawn with it) to embed,
    with which characters.

    Every face in ``faces`` that the family has gets the family's characters, rounded up
    (all ASCII letters once one is drawn, all ASCII digits and punctuation once one is
    drawn, Bengali and Thai digits with their script) so that the documents of a batch,
    which differ in a few letters of a name or a figure, share cached subsets; then closed
    (:func:`closure`); then cut to what the face has.  A family or face whose licence
    forbids embedding is left out with a warning naming ``fmt``.
    """
    wanted = [f for f in FACES if f in set(faces)]
    out = []
    for fam, chars in used:
        info = font_info(fam.regular)
        if not embedding_allowed(info.fs_type):
            warnings.append(f"font {fam.name!r} not embedded in the {fmt}: its licence (OS/2 fsType "
                            f"0x{info.fs_type:04X}) does not allow embedding")
            continue
        drawn = round_up(frozenset(ord(c) for c in chars)) & coverage(fam.regular)
        if not drawn:
            continue
        cps = _closure(drawn)
        plans = []
        paths = {"Regular": fam.regular, "Bold": fam.bold, "Italic": fam.italic, "BoldItalic": fam.bold_italic}
        for face in wanted:
            path = paths[face]
            if path is None:
                continue
            fs = font_info(path).fs_type
            if not embedding_allowed(fs):
                warnings.append(f"font {fam.name!r} {face} not embedded in the {fmt}: its licence "
                                f"(OS/2 fsType 0x{fs:04X}) does not allow embedding")
                continue
            plans.append(FacePlan(face, path, cps & coverage(path)))
        if plans:
            out.append(FamilyPlan(fam, info, tuple(plans)))
    return out


__all__ = ["FACES", "FacePlan", "FamilyPlan", "FontInfo", "closure", "embedding_allowed", "face_subset",
           "font_info", "plan_families", "round_up", "subset_font"]
