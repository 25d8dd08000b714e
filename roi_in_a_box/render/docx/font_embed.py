"""Embed the brand fonts a DOCX uses, subset to its characters and obfuscated (ECMA-376 Part 1
§17.8: font embedding and obfuscation §17.8.1, the font table's elements §17.8.3).

Word and LibreOffice then draw the document in the brand's fonts (Bengali and Thai included)
on machines that do not have them installed.

* **Subset** each face with the HarfBuzz subsetter (uharfbuzz) to the characters the
  document draws in that family: by code points, keeping GSUB/GPOS/GDEF, so HarfBuzz closes
  over the layout rules and Bengali conjuncts and Thai marks still shape.  A face whose
  subsetting fails is embedded whole; a face whose ``OS/2.fsType`` forbids embedding
  (restricted licence, bitmap-only) is skipped with a warning; "no subsetting" embeds it whole.
* **Obfuscate** as ``.odttf``: a GUID derived from the subset's bytes (so the same inputs
  give the same bytes), and the first 32 bytes of the font XORed with the GUID's 16 bytes
  taken in reverse order of the GUID string's hex digits.
* **Package**: parts ``/word/fonts/fontN.odttf`` (content type ``obfuscatedFont``) related
  from the font table, one ``w:font`` per family with ``w:embedRegular`` ... ``w:embedBoldItalic``
  (``r:id``, ``w:fontKey``), and ``w:embedTrueTypeFonts`` + ``w:saveSubsetFonts`` in settings.

The embed elements carry no (optional) ``w:subsetted`` attribute: recent LibreOffice
releases ignore an embedded font marked subsetted that has fewer than 26 non-empty glyphs
(the italic face of a short quote, say).

Subsets are cached per (face file, characters it has) in a bounded LRU, together with the
obfuscated bytes and their raw deflate stream (the zip writer reuses it), so a batch of
documents pays for subsetting and compression once per distinct character set; character
sets are rounded up (:func:`embed_families`) so that a batch has few of them.
"""

from __future__ import annotations

import hashlib
import threading
import uuid
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from roi_in_a_box.brand.fonts import coverage
from roi_in_a_box.brand.model import FontFamily

OBFUSCATED_FONT_CT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
RT_FONT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
RT_FONT_TABLE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
FONT_TABLE_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
FACES = ("Regular", "Bold", "Italic", "BoldItalic")  # w:embed<face>, in CT_Font's order
DEFLATE_LEVEL = 6  # what zipfile uses for the other parts
CACHE_SIZE = 48  # subsets kept (each up to a few hundred KB for a Bengali face)
_NAMESPACE = uuid.UUID("8f4b2c1e-5d0a-4e57-9a51-6b2d0c7f3e10")  # fixed: keys depend on bytes only

# fsType bits (OpenType OS/2): usage permissions in bits 0-3, then two flags.
_FS_RESTRICTED, _FS_PREVIEW_PRINT, _FS_EDITABLE = 0x0002, 0x0004, 0x0008
_FS_NO_SUBSETTING, _FS_BITMAP_ONLY = 0x0100, 0x0200


@dataclass(frozen=True)
class EmbeddedFace:
    """One obfuscated face, ready to be a package part."""

    face: str  # "Regular", "Bold", "Italic" or "BoldItalic"
    data: bytes  # the .odttf bytes
    key: str  # "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}", the w:fontKey
    deflated: bytes  # raw deflate stream of ``data`` (for the zip writer)
    subset: bool  # False: the whole font (subsetting failed or is not allowed)


@dataclass(frozen=True)
class EmbeddedFamily:
    name: str  # the family name the runs use (w:rFonts) = w:font/@w:name
    faces: tuple[EmbeddedFace, ...]
    info: "FontInfo"


@dataclass(frozen=True)
class FontInfo:
    """What the font table says about a family, read from its regular face."""

    fs_type: int
    panose: str  # 20 hex digits
    family: str  # ST_FontFamily: roman, swiss, modern, script, decorative, auto
    pitch: str  # fixed or variable
    sig: tuple[str, ...]  # usb0..usb3, csb0, csb1 as 8 hex digits


# ---------------------------------------------------------------- font facts


@lru_cache(maxsize=None)
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
                    pitch=pitch, sig=tuple(f"{v & 0xFFFFFFFF:08X}" for v in ranges))


def embedding_allowed(fs_type: int) -> bool:
    """Installable (0), editable or preview & print: yes; restricted licence or bitmap-only: no."""
    if fs_type & _FS_BITMAP_ONLY:
        return False
    return not (fs_type & _FS_RESTRICTED and not fs_type & (_FS_PREVIEW_PRINT | _FS_EDITABLE))


# ---------------------------------------------------------------- subset and obfuscate


def subset_font(data: bytes, codepoints: Iterable[int]) -> bytes | None:
    """``data`` cut down to ``codepoints`` (plus what GSUB reaches from them), or ``None``."""
    import uharfbuzz as hb

    try:
        inp = hb.SubsetInput()
        inp.unicode_set.update(codepoints)
        out = hb.subset(hb.Face(hb.Blob(data)), inp)
        blob = bytes(out.blob.data) if out is not None else b""
    except Exception:  # noqa: BLE001 - any failure: the caller embeds the whole font
        return None
    return blob if len(blob) > 32 else None


def font_key(data: bytes) -> str:
    """A GUID string for ``data``, the same for the same bytes."""
    return "{" + str(uuid.uuid5(_NAMESPACE, hashlib.sha256(data).hexdigest())).upper() + "}"


def _key_bytes(key: str) -> bytes:
    digits = key.strip("{}").replace("-", "")
    if len(digits) != 32:
        raise ValueError(f"not a GUID: {key!r}")
    return bytes.fromhex(digits)[::-1]


def obfuscate(data: bytes, key: str) -> bytes:
    """XOR the first 32 bytes of ``data`` with the key bytes (GUID bytes, reversed), twice over.
    The same call de-obfuscates."""
    k = _key_bytes(key)
    head = bytes(b ^ k[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def _raw_deflate(data: bytes) -> bytes:
    c = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


class _LRU:
    def __init__(self, size: int):
        self.size = size
        self.data: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            hit = self.data.get(key)
            if hit is not None:
                self.data.move_to_end(key)
            return hit

    def put(self, key, value) -> None:
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.data.clear()


_cache = _LRU(CACHE_SIZE)


def embedded_face(path: Path, face: str, chars: frozenset[int]) -> EmbeddedFace:
    """The obfuscated subset of the face file ``path`` for ``chars`` (code points it has)."""
    ck = (str(path), chars)
    hit = _cache.get(ck)
    if hit is None:
        data = Path(path).read_bytes()
        sub = None if font_info(path).fs_type & _FS_NO_SUBSETTING else subset_font(data, chars)
        plain = sub or data
        key = font_key(plain)
        odttf = obfuscate(plain, key)
        hit = (odttf, key, _raw_deflate(odttf), sub is not None)
        _cache.put(ck, hit)
    odttf, key, deflated, is_subset = hit
    return EmbeddedFace(face=face, data=odttf, key=key, deflated=deflated, subset=is_subset)


# Whole blocks added when a document draws any character of them, so that the documents of a
# batch (account names, figures) share subsets instead of each missing the cache for a letter.
_ASCII_LETTERS = frozenset(range(0x41, 0x5B)) | frozenset(range(0x61, 0x7B))
_ROUND_UP = (
    (_ASCII_LETTERS, _ASCII_LETTERS),  # (a Bengali font drawing digits needs no Latin letters)
    (range(0x20, 0x7F), frozenset(range(0x20, 0x7F)) - _ASCII_LETTERS),  # ASCII digits, punctuation
    (range(0x0980, 0x0A00), (*range(0x09E6, 0x09F0), 0x0964, 0x0965)),  # Bengali: its digits, dandas
    (range(0x0E00, 0x0E80), range(0x0E50, 0x0E5A)),  # Thai: its digits
)


def _round_up(cps: frozenset[int]) -> frozenset[int]:
    extra: set[int] = set()
    for block, add in _ROUND_UP:
        if any(cp in block for cp in cps):
            extra.update(add)
    return cps | extra


def embed_families(used: Iterable[tuple[FontFamily, set[str] | frozenset[str]]], *, italic: bool,
                   warnings: list[str]) -> list[EmbeddedFamily]:
    """One :class:`EmbeddedFamily` per family in ``used`` (family, characters drawn with it).

    Every face gets the family's characters: regular and bold always, italic and bold italic
    when the family has them and ``italic`` (the document has italic text).  The characters
    are rounded up (all ASCII letters once one is drawn, all ASCII digits and punctuation
    once one is drawn, Bengali and Thai digits with their script) and those the face has no
    glyph for are left out, so that the documents of a batch, which differ in a few letters
    of a name or a figure, share cached subsets (a few KB more per face).
    """
    out = []
    for fam, chars in used:
        info = font_info(fam.regular)
        if not embedding_allowed(info.fs_type):
            warnings.append(f"font {fam.name!r} not embedded in the DOCX: its licence (OS/2 fsType "
                            f"0x{info.fs_type:04X}) does not allow embedding")
            continue
        cps = _round_up(frozenset(ord(c) for c in chars)) & coverage(fam.regular)
        if not cps:
            continue
        files: list[tuple[str, Path | None]] = [("Regular", fam.regular), ("Bold", fam.bold)]
        if italic:
            files += [("Italic", fam.italic), ("BoldItalic", fam.bold_italic)]
        faces = []
        for face, path in files:
            if path is None:
                continue
            fs = font_info(path).fs_type
            if not embedding_allowed(fs):
                warnings.append(f"font {fam.name!r} {face} not embedded in the DOCX: its licence "
                                f"(OS/2 fsType 0x{fs:04X}) does not allow embedding")
                continue
            faces.append(embedded_face(path, face, cps & coverage(path)))
        if faces:
            out.append(EmbeddedFamily(name=fam.name, faces=tuple(faces), info=info))
    return out


# ---------------------------------------------------------------- the package


_SETTINGS_BEFORE = tuple(W + t for t in (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts"))


def _set_settings_flags(settings_el) -> None:
    """``w:embedTrueTypeFonts`` and ``w:saveSubsetFonts``, in CT_Settings' element order."""
    from lxml import etree

    for name in ("embedTrueTypeFonts", "saveSubsetFonts"):
        tag = W + name
        if settings_el.find(tag) is not None:
            continue
        rank = _SETTINGS_BEFORE.index(tag)
        anchor = None
        for child in settings_el:
            if child.tag in _SETTINGS_BEFORE and _SETTINGS_BEFORE.index(child.tag) < rank:
                anchor = child
            elif child.tag not in _SETTINGS_BEFORE:
                break
        el = etree.Element(tag)
        if anchor is None:
            settings_el.insert(0, el)
        else:
            anchor.addnext(el)


def _font_table_part(document):
    """The font table part of ``document`` (created when the template has none)."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    main = document.part
    for rel in main.rels.values():
        if rel.reltype == RT_FONT_TABLE and not rel.is_external:
            return rel.target_part
    blob = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>')
    part = Part(PackURI("/word/fontTable.xml"), FONT_TABLE_CT, blob, main.package)
    main.relate_to(part, RT_FONT_TABLE)
    return part


def add_to_document(document, families: list[EmbeddedFamily]) -> dict[str, bytes]:
    """Add ``families`` to a python-docx ``document``: font parts, font table entries and the
    settings flags.  Returns ``{zip member name: raw deflate stream}`` for the zip writer."""
    if not families:
        return {}
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from lxml import etree

    table = _font_table_part(document)
    if hasattr(table, "_element"):  # an XmlPart (not python-docx 1.2's default, but be safe)
        root = table._element
    else:
        root = etree.fromstring(table.blob)
    taken = {str(p.partname) for p in document.part.package.iter_parts()}
    n = 0
    deflated: dict[str, bytes] = {}
    by_name = {el.get(W + "name"): el for el in root.findall(W + "font")}
    for fam in families:
        el = by_name.get(fam.name)
        if el is None:
            el = etree.SubElement(root, W + "font")
            el.set(W + "name", fam.name)
            by_name[fam.name] = el
        for child in list(el):  # our description replaces the template's, embedding included
            rid = child.get(R + "id")
            if rid:
                table.rels.pop(rid, None)
            el.remove(child)
        info = fam.info
        etree.SubElement(el, W + "panose1").set(W + "val", info.panose)
        etree.SubElement(el, W + "charset").set(W + "val", "00")
        etree.SubElement(el, W + "family").set(W + "val", info.family)
        etree.SubElement(el, W + "pitch").set(W + "val", info.pitch)
        sig = etree.SubElement(el, W + "sig")
        for attr, v in zip(("usb0", "usb1", "usb2", "usb3", "csb0", "csb1"), info.sig):
            sig.set(W + attr, v)
        for face in sorted(fam.faces, key=lambda f: FACES.index(f.face)):
            while True:
                n += 1
                partname = f"/word/fonts/font{n}.odttf"
                if partname not in taken:
                    break
            taken.add(partname)
            part = Part(PackURI(partname), OBFUSCATED_FONT_CT, face.data, document.part.package)
            rid = table.relate_to(part, RT_FONT)
            emb = etree.SubElement(el, W + "embed" + face.face)
            emb.set(R + "id", rid)
            emb.set(W + "fontKey", face.key)
            deflated[partname.lstrip("/")] = face.deflated
    if not hasattr(table, "_element"):
        table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    _set_settings_flags(document.settings.element)
    return deflated


def deobfuscate(data: bytes, key: str) -> bytes:
    """The TrueType bytes of an ``.odttf`` part (for tests and tools)."""
    return obfuscate(data, key)


__all__ = ["EmbeddedFace", "EmbeddedFamily", "FontInfo", "add_to_document", "deobfuscate", "embed_families",
           "embedded_face", "embedding_allowed", "font_info", "font_key", "obfuscate", "subset_font"]
