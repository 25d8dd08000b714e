"""PPTX font embedding (render/pptx/font_embed.py), read back from the files as PowerPoint
stores them: ``p:embeddedFontLst`` in presentation.xml, one ``application/x-fontdata`` part
per face, each an uncompressed Embedded OpenType file (the header parsed here independently
of the engine) around a TrueType subset that fontTools parses; every run of every slide
shaped by HarfBuzz with the embedded face and with the full font (same glyphs, no .notdef);
licence bits; deterministic bytes; openxml-audit clean.

LibreOffice (the only consumer on this machine) does not read fonts embedded in PPTX files,
so no render test here shows them in use."""

from __future__ import annotations

import io
import json
import re
import struct
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from roi_in_a_box.brand.fonts import coverage
from roi_in_a_box.brand.model import FontFamily, FontRole
from roi_in_a_box.render.registry import renderer_for
from roi_in_a_box.text.scripts import BENGALI, THAI, script_of
from tests import seed_tree
from tests.sample_tree import HIND, LATO, SARABUN, sample_document
from tests.sample_tree import test_brand as make_brand
from tests.test_docx_fonts import AUDIT
from tests.test_font_closure import FACE_FILE, SPLITS, shape

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = {"en": "ledgerly_en", "bn": "ghatbox_bn", "th": "shiftsabai_th"}
FULL = {f.name: f for f in (LATO, HIND, SARABUN)}
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
TAGS = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "boldItalic": "BoldItalic"}


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> dict[str, Path]:
    return seed_tree.sample_and_seed_files(tmp_path_factory.mktemp("pptxfonts"), "pptx")


def read_eot(data: bytes) -> tuple[dict, bytes]:
    """(header fields, TrueType data) of an EOT file, per the W3C EOT submission (2008)."""
    size, font_size, version, flags = struct.unpack_from("<IIII", data)
    panose = data[16:26]
    charset, italic, weight, fs_type, magic = struct.unpack_from("<BBIHH", data, 26)
    pos = 26 + 10 + 16 + 8 + 4 + 16
    names = []
    for _ in range(4):
        pad, n = struct.unpack_from("<HH", data, pos)
        assert pad == 0
        names.append(data[pos + 4:pos + 4 + n].decode("utf-16-le"))
        pos += 4 + n
    pad, root = struct.unpack_from("<HH", data, pos)
    pos += 4 + root
    return ({"size": size, "font_size": font_size, "version": version, "flags": flags, "panose": panose,
             "charset": charset, "italic": italic, "weight": weight, "fs_type": fs_type, "magic": magic,
             "names": names, "header_end": pos, "length": len(data)}, data[pos:])


def embedded(path: Path) -> dict[str, dict[str, tuple[bytes, TTFont, dict]]]:
    """``{typeface: {face: (TrueType bytes, TTFont, EOT header)}}`` from presentation.xml."""
    z = zipfile.ZipFile(path)
    pres = etree.fromstring(z.read("ppt/presentation.xml"))
    rels = {r.get("Id"): r for r in etree.fromstring(z.read("ppt/_rels/presentation.xml.rels")).findall(f"{PR}Relationship")}
    out: dict[str, dict[str, tuple[bytes, TTFont, dict]]] = {}
    lst = pres.find(f"{P}embeddedFontLst")
    if lst is None:
        return out
    for ef in lst.findall(f"{P}embeddedFont"):
        typeface = ef.find(f"{P}font").get("typeface")
        for child in ef:
            if etree.QName(child).localname == "font":
                continue
            rel = rels[child.get(f"{R}id")]
            assert rel.get("Type") == "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
            data = z.read("ppt/" + rel.get("Target"))
            header, ttf = read_eot(data)
            font = TTFont(io.BytesIO(ttf))
            out.setdefault(typeface, {})[TAGS[etree.QName(child).localname]] = (ttf, font, header)
    return out


def runs(path: Path):
    """``(text, latin typeface, cs typeface, bold, italic)`` of every run on every slide."""
    z = zipfile.ZipFile(path)
    for name in z.namelist():
        if not re.match(r"ppt/slides/slide\d+\.xml$", name):
            continue
        for r in etree.fromstring(z.read(name)).iter(f"{A}r"):
            rpr = r.find(f"{A}rPr")
            text = "".join(t.text or "" for t in r.iter(f"{A}t"))
            if rpr is None or not text:
                continue
            latin, cs = rpr.find(f"{A}latin"), rpr.find(f"{A}cs")
            yield (text, latin.get("typeface") if latin is not None else None,
                   cs.get("typeface") if cs is not None else None, rpr.get("b") == "1", rpr.get("i") == "1")


def test_every_deck_embeds_its_fonts_as_powerpoint_does(decks):
    for name, path in decks.items():
        z = zipfile.ZipFile(path)
        pres = etree.fromstring(z.read("ppt/presentation.xml"))
        assert pres.get("embedTrueTypeFonts") == "1" and pres.get("saveSubsetFonts") == "1"
        tags = [etree.QName(c).localname for c in pres]
        assert tags.index("notesSz") < tags.index("embeddedFontLst") < tags.index("defaultTextStyle"), tags
        types = z.read("[Content_Types].xml").decode()
        assert 'Extension="fntdata" ContentType="application/x-fontdata"' in types
        parts = [n for n in z.namelist() if n.startswith("ppt/fonts/")]
        assert parts and all(re.fullmatch(r"ppt/fonts/font\d+\.fntdata", n) for n in parts)
        fonts = embedded(path)
        assert sum(len(f) for f in fonts.values()) == len(parts)
        lang = name.split("/")[0]
        want = {"Lato"} | ({"Hind Siliguri"} if lang == "bn" else {"Sarabun"} if lang == "th" else set())
        assert want <= set(fonts), (name, set(fonts))
        for typeface, faces in fonts.items():
            assert "Regular" in faces
            for face, (ttf, font, h) in faces.items():
                assert h["version"] == 0x00020001 and h["flags"] == 0 and h["magic"] == 0x504C
                assert h["size"] == h["length"]
                assert h["font_size"] == len(ttf) and h["header_end"] + len(ttf) == h["size"]
                assert h["names"][0] == font["name"].getDebugName(1) == typeface
                assert h["italic"] == (1 if "Italic" in face else 0)
                assert h["weight"] == font["OS/2"].usWeightClass and h["fs_type"] == font["OS/2"].fsType
                assert h["panose"] == bytes(getattr(font["OS/2"].panose, a) for a in (
                    "bFamilyType", "bSerifStyle", "bWeight", "bProportion", "bContrast", "bStrokeVariation",
                    "bArmStyle", "bLetterForm", "bMidline", "bXHeight"))
                assert "GSUB" in font and "glyf" in font
                full = getattr(FULL[typeface], FACE_FILE[face])
                assert len(ttf) < full.stat().st_size


def test_every_run_shapes_like_the_full_font(decks):
    checked = 0
    for name, path in sorted(decks.items()):
        fonts = embedded(path)
        problems = []
        for text, latin, cs, bold, italic in runs(path):
            for family in {latin, cs} - {None}:
                if family not in fonts:
                    continue
                faces = fonts[family]
                want = ("Bold" if bold else "") + ("Italic" if italic else "") or "Regular"
                face = want if want in faces else ("Bold" if bold and "Bold" in faces else "Regular")
                full_path = getattr(FULL[family], FACE_FILE[face])
                cov = coverage(full_path)
                pieces = re.findall(r"\S+", "".join(c if ord(c) in cov else " " for c in text))
                if family == cs and family != latin:
                    pieces = [p for p in pieces if any(script_of(c) in (BENGALI, THAI) for c in p)]
                else:
                    pieces = ["".join(c for c in p if script_of(c) not in (BENGALI, THAI)) for p in pieces]
                ttf = faces[face][0]
                full = full_path.read_bytes()
                for piece in filter(None, pieces):
                    for variant in {piece, "".join(SPLITS.get(c, c) for c in piece)}:
                        got, ref = shape(ttf, variant), shape(full, variant)
                        checked += 1
                        if any(g[0] == 0 for g in got) or [g[1:] for g in got] != [r[1:] for r in ref]:
                            problems.append(f"{family} {face}: {variant!r}")
        assert not problems, (name, problems[:5], len(problems))
    assert checked > 300


def test_bytes_are_reproducible(decks, tmp_path):
    r = renderer_for("pptx")
    one = r.render(sample_document("th"), make_brand(), tmp_path / "one.pptx").path.read_bytes()
    two = r.render(sample_document("th"), make_brand(), tmp_path / "two.pptx").path.read_bytes()
    assert one == two and b"ppt/fonts/font1.fntdata" in one


def test_restricted_font_is_skipped_with_a_warning(tmp_path):
    font = TTFont(str(LATO.regular))
    font["OS/2"].fsType = 0x0002
    restricted = tmp_path / "Restricted-Regular.ttf"
    font.save(str(restricted))
    fam = FontFamily(name="Restricted Sans", regular=restricted, bold=restricted)
    brand = make_brand()
    body = FontRole({**brand.body.by_script, "latin": fam}, brand.body.fallbacks)
    brand = replace(brand, body=body, heading=body)
    res = renderer_for("pptx").render(sample_document("en"), brand, tmp_path / "r.pptx")
    assert any("Restricted Sans" in w and "PPTX" in w and "0x0002" in w for w in res.warnings), res.warnings
    assert "Restricted Sans" not in embedded(res.path)


@pytest.mark.skipif(not Path(AUDIT).exists(), reason="openxml-audit not installed")
def test_openxml_audit_clean_with_fonts(decks):
    for name in ("bn/pre_sale/deck_insert", "th/service/qbr_slides"):
        proc = subprocess.run([AUDIT, "-o", "json", "-m", "0", str(decks[name])],
                              capture_output=True, text=True, timeout=120, check=False)
        assert json.loads(proc.stdout)[0]["errors"] == [], name
