"""Embed the brand fonts a PPTX draws with, the way PowerPoint stores them (ECMA-376 Part 1
§19.2.1.9 embeddedFont, §19.2.1.10 embeddedFontLst).

python-pptx has no API for this.  What PowerPoint writes, and this writes:

* ``p:embeddedFontLst`` in ``presentation.xml`` (after ``p:notesSz``): one ``p:embeddedFont``
  per family, ``p:font typeface=...`` then ``p:regular``/``p:bold``/``p:italic``/``p:boldItalic``
  with the ``r:id`` of a font part, and ``embedTrueTypeFonts="1" saveSubsetFonts="1"`` on
  ``p:presentation``;
* one part per face drawn, ``/ppt/fonts/fontN.fntdata`` (``application/x-fontdata``), holding the
  face as an Embedded OpenType file (EOT version 0x00020001, no compression, no XOR): the
  header PowerPoint reads (sizes, PANOSE, charset, italic, weight, fsType, magic 0x504C,
  Unicode and code-page ranges, head checksum adjustment, family/style/version/full names in
  UTF-16LE) followed by the TrueType data.

The faces are subset with :mod:`roi_in_a_box.render.font_subset` (shared with DOCX: the same
closure over what a shaper asks for, the licence check with a warning, the cache).  Which
characters each family draws is read from the slides and charts as written: per run, Bengali
and Thai letters go to the ``a:cs`` typeface and the rest to ``a:latin``; digits and
punctuation in a run with an ``a:cs`` typeface go to both (viewers draw them with the
neighbouring script's font).
"""

from __future__ import annotations

import io
import re
import struct

from lxml import etree

from roi_in_a_box.brand.model import Brand, FontFamily
from roi_in_a_box.render.font_subset import LRU, FACES, face_subset, font_info, plan_families
from roi_in_a_box.text.scripts import BENGALI, THAI, script_of

FONTDATA_CT = "application/x-fontdata"
RT_FONT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
EOT_VERSION = 0x00020001
EOT_MAGIC = 0x504C
_FACE_TAGS = {"Regular": "regular", "Bold": "bold", "Italic": "italic", "BoldItalic": "boldItalic"}
# CT_Presentation children that come after p:embeddedFontLst
_AFTER = tuple(P + t for t in ("custShowLst", "photoAlbum", "custDataLst", "kinsoku", "defaultTextStyle",
                               "modifyVerifier", "extLst"))
_eot_cache = LRU(48)


def eot(ttf: bytes) -> bytes:
    """``ttf`` wrapped as an uncompressed Embedded OpenType file (version 0x00020001)."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(ttf), lazy=True)
    os2, head, names = font["OS/2"], font["head"], font["name"]

    def name(n: int) -> bytes:
        rec = names.getName(n, 3, 1, 0x409) or names.getName(n, 1, 0, 0)
        return (rec.toUnicode() if rec is not None else "").encode("utf-16-le")

    p = os2.panose
    panose = bytes((p.bFamilyType, p.bSerifStyle, p.bWeight, p.bProportion, p.bContrast, p.bStrokeVariation,
                    p.bArmStyle, p.bLetterForm, p.bMidline, p.bXHeight))
    strings = b""
    for n in (1, 2, 5, 4):  # family, style, version, full name; each after a zero padding word
        s = name(n)
        strings += struct.pack("<HH", 0, len(s)) + s
    strings += struct.pack("<HH", 0, 0)  # padding, empty root string
    body = (panose + struct.pack("<BBIHH", 1, 1 if os2.fsSelection & 1 else 0, os2.usWeightClass, os2.fsType,
                                  EOT_MAGIC)
            + struct.pack("<6I", os2.ulUnicodeRange1, os2.ulUnicodeRange2, os2.ulUnicodeRange3, os2.ulUnicodeRange4,
                          getattr(os2, "ulCodePageRange1", 0), getattr(os2, "ulCodePageRange2", 0))
            + struct.pack("<I", head.checkSumAdjustment & 0xFFFFFFFF) + b"\0" * 16 + strings)
    fixed = struct.pack("<II", EOT_VERSION, 0)  # version, flags: no compression, no XOR
    size = 8 + len(fixed) + len(body) + len(ttf)
    return struct.pack("<II", size, len(ttf)) + fixed + body + ttf


def unwrap(data: bytes) -> bytes:
    """The TrueType data of an uncompressed EOT file (for tests and tools)."""
    size, font_size, _version, flags = struct.unpack_from("<IIII", data)
    if size != len(data) or flags & 0x4 or flags & 0x10000000:
        raise ValueError("not an uncompressed, unobfuscated EOT file")
    return data[size - font_size:]


def _families(brand: Brand) -> dict[str, FontFamily]:
    return {f.name: f for role in (brand.heading, brand.body) for f in role.families()}


def drawn_faces(blobs: list[bytes]) -> dict[tuple[str, str], set[str]]:
    """``{(typeface, face): characters}`` drawn in the slide and chart parts ``blobs``."""
    out: dict[tuple[str, str], set[str]] = {}
    for blob in blobs:
        root = etree.fromstring(blob)
        for run in root.iter(A + "r", A + "fld"):
            rpr = run.find(A + "rPr")
            text = "".join(t.text or "" for t in run.iter(A + "t"))
            if rpr is None or not text:
                continue
            face = ("Bold" if rpr.get("b") == "1" else "") + ("Italic" if rpr.get("i") == "1" else "") or "Regular"
            latin, cs = rpr.find(A + "latin"), rpr.find(A + "cs")
            for ch in text:
                complex_ch = script_of(ch) in (BENGALI, THAI)
                if latin is not None and not complex_ch:
                    out.setdefault((latin.get("typeface"), face), set()).add(ch)
                if cs is not None and (complex_ch or not ch.isalpha()):
                    out.setdefault((cs.get("typeface"), face), set()).add(ch)
    return out


def embed(prs, brand: Brand, warnings: list[str]) -> None:
    """Add the faces the presentation ``prs`` draws with to it (python-pptx objects)."""
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI

    package = prs.part.package
    blobs = [p.blob for p in package.iter_parts()
             if re.match(r"/ppt/(slides/slide|charts/chart)\d+\.xml$", str(p.partname))]
    drawn = drawn_faces(blobs)
    fams = _families(brand)
    used: dict[str, set[str]] = {}
    faces_used: dict[str, set[str]] = {}
    for (typeface, face), chars in drawn.items():
        if typeface in fams:
            used.setdefault(typeface, set()).update(chars)
            faces_used.setdefault(typeface, set()).add(face)
    plans = plan_families([(fams[n], used[n]) for n in sorted(used)], faces=FACES, warnings=warnings, fmt="PPTX")
    if not plans:
        return
    pres = prs.part._element
    lst = pres.find(P + "embeddedFontLst")
    if lst is not None:
        pres.remove(lst)
    lst = etree.Element(P + "embeddedFontLst")
    anchor = next((c for c in pres if c.tag in _AFTER), None)
    if anchor is None:
        pres.append(lst)
    else:
        anchor.addprevious(lst)
    n = 0
    for plan in plans:
        faces = [f for f in plan.faces if f.face in faces_used[plan.family.name] or f.face == "Regular"]
        ef = etree.SubElement(lst, P + "embeddedFont")
        info = font_info(plan.family.regular)
        font_el = etree.SubElement(ef, P + "font", typeface=plan.family.name)
        font_el.set("pitchFamily", str(_pitch_family(info.family, info.pitch)))
        font_el.set("charset", "0")
        for f in faces:
            key = (str(f.path), f.chars)
            data = _eot_cache.get(key)
            if data is None:
                data = eot(face_subset(f.path, f.chars)[0])
                _eot_cache.put(key, data)
            n += 1
            part = Part(PackURI(f"/ppt/fonts/font{n}.fntdata"), FONTDATA_CT, package, data)
            rid = prs.part.relate_to(part, RT_FONT)
            etree.SubElement(ef, P + _FACE_TAGS[f.face]).set(R + "id", rid)
    pres.set("embedTrueTypeFonts", "1")
    pres.set("saveSubsetFonts", "1")


def _pitch_family(family: str, pitch: str) -> int:
    """The Windows LOGFONT pitch-and-family byte PowerPoint writes."""
    fam = {"roman": 0x10, "swiss": 0x20, "modern": 0x30, "script": 0x40, "decorative": 0x50}.get(family, 0)
    return fam | (1 if pitch == "fixed" else 2)


__all__ = ["FONTDATA_CT", "drawn_faces", "embed", "eot", "unwrap"]
