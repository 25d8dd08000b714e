"""DOCX font embedding (render/docx/font_embed.py), read back from the files: the obfuscated
parts, their font keys and font table entries, the settings flags, that each de-obfuscated
subset is a TrueType font covering every character the document draws with it, byte
reproducibility, the licence check, and LibreOffice drawing the Bengali and Thai case studies
in the brand fonts on a machine that does not have them installed."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from roi_in_a_box.brand.fonts import coverage
from roi_in_a_box.brand.kit import load_kit, resolve_kit
from roi_in_a_box.brand.model import FontFamily, FontRole
from roi_in_a_box.deliver.pipeline import build
from roi_in_a_box.model.study import load_study
from roi_in_a_box.render import font_subset, ooxml_package
from roi_in_a_box.render.docx import DocxRenderer, font_embed
from tests.sample_tree import LATO, sample_document
from tests.sample_tree import test_brand as make_brand

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = {"en": "ledgerly_en", "bn": "ghatbox_bn", "th": "shiftsabai_th"}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
GUID = re.compile(r"^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$")
SCRIPT_RANGES = {"bn": (0x0980, 0x09FF), "th": (0x0E00, 0x0E7F)}
SCRIPT_FAMILY = {"en": "Lato", "bn": "Hind Siliguri", "th": "Sarabun"}


@pytest.fixture(scope="module")
def kit():
    return load_kit(resolve_kit(None))


@pytest.fixture(scope="module")
def case_studies(tmp_path_factory, kit) -> dict[str, Path]:
    """The pre-sale case study of each sample study, built as the CLI builds it."""
    out = tmp_path_factory.mktemp("docxfonts")
    paths = {}
    for lang, stem in SAMPLES.items():
        report = build(load_study(ROOT / "sample_inputs" / f"{stem}.yaml"), kit, out, stages=("pre_sale",),
                       formats=("docx",))
        (rec,) = [o for o in report.outputs if o.layout == "case_study"]
        assert rec.warnings == [] or not any("not embedded" in w for w in rec.warnings)
        paths[lang] = report.out_dir / rec.path
    return paths


def _families(kit) -> dict[str, FontFamily]:
    return {f.name: f for role in (kit.heading, kit.body) for f in role.families()}


def embedded(path: Path) -> dict[str, dict[str, tuple[bytes, TTFont]]]:
    """``{family name: {face: (plain TTF bytes, TTFont)}}`` read back from the package: font
    table entry -> relationship -> part, de-obfuscated with the entry's font key."""
    z = zipfile.ZipFile(path)
    table = etree.fromstring(z.read("word/fontTable.xml"))
    if "word/_rels/fontTable.xml.rels" not in z.namelist():
        assert table.find(f"{W}font/{W}embedRegular") is None
        return {}
    rels = {r.get("Id"): r for r in etree.fromstring(z.read("word/_rels/fontTable.xml.rels")).findall(f"{PR}Relationship")}
    out: dict[str, dict[str, tuple[bytes, TTFont]]] = {}
    for font in table.findall(f"{W}font"):
        for face in ("Regular", "Bold", "Italic", "BoldItalic"):
            el = font.find(f"{W}embed{face}")
            if el is None:
                continue
            rel = rels[el.get(f"{R}id")]
            assert rel.get("Type") == font_embed.RT_FONT
            key = el.get(f"{W}fontKey")
            assert GUID.match(key), key
            data = z.read("word/" + rel.get("Target"))
            plain = _deobfuscate(data, key)
            assert plain[:4] in (b"\x00\x01\x00\x00", b"true")
            assert data[:32] != plain[:32] and data[32:] == plain[32:]
            out.setdefault(font.get(f"{W}name"), {})[face] = (plain, TTFont(io.BytesIO(plain)))
    return out


def _deobfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 Part 1 §17.8.1, written out independently of font_embed: the key is the GUID's
    16 bytes in reverse order of its hex digits; the first 32 bytes are XORed with it twice."""
    hexdigits = key.strip("{}").replace("-", "")
    k = [int(hexdigits[i:i + 2], 16) for i in range(0, 32, 2)][::-1]
    return bytes(b ^ k[i % 16] for i, b in enumerate(data[:32])) + data[32:]


def _runs(path: Path):
    """``(text, ascii family, cs family, bold, italic)`` of every text run in body, headers and footers."""
    z = zipfile.ZipFile(path)
    for name in z.namelist():
        if not re.match(r"word/(document|header\d*|footer\d*)\.xml$", name):
            continue
        for r in etree.fromstring(z.read(name)).iter(f"{W}r"):
            text = "".join(t.text or "" for t in r.iter(f"{W}t"))
            rf = r.find(f"{W}rPr/{W}rFonts")
            if not text or rf is None:
                continue
            rpr = r.find(f"{W}rPr")
            yield (text, rf.get(f"{W}ascii"), rf.get(f"{W}cs"), rpr.find(f"{W}b") is not None,
                   rpr.find(f"{W}i") is not None)


# ---------------------------------------------------------------- the package


@pytest.mark.parametrize("lang", list(SAMPLES))
def test_font_parts_table_and_settings(case_studies, lang):
    path = case_studies[lang]
    z = zipfile.ZipFile(path)
    assert z.testzip() is None
    parts = sorted(n for n in z.namelist() if n.startswith("word/fonts/"))
    assert parts and all(re.fullmatch(r"word/fonts/font\d+\.odttf", n) for n in parts)
    types = etree.fromstring(z.read("[Content_Types].xml"))
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.findall(f"{CT}Override")}
    assert all(overrides["/" + n] == font_embed.OBFUSCATED_FONT_CT for n in parts)
    # every part is referenced from exactly one font table entry
    fonts = embedded(path)
    assert sum(len(faces) for faces in fonts.values()) == len(parts)
    assert set(fonts) == {"Lato", SCRIPT_FAMILY[lang]}
    for name, faces in fonts.items():
        assert {"Regular", "Bold"} <= set(faces)
        for face, (_, font) in faces.items():
            assert font["name"].getDebugName(1) == name  # the family the runs name
            assert font["OS/2"].fsType & 0x020F in (0, 0x0004, 0x0008)
            for table in ("GSUB", "GPOS"):  # layout kept for shaping
                assert table in font, (name, face, table)
    table = etree.fromstring(z.read("word/fontTable.xml"))
    for font in table.findall(f"{W}font"):
        if font.get(f"{W}name") in fonts:
            kids = [etree.QName(c).localname for c in font]
            assert kids[:5] == ["panose1", "charset", "family", "pitch", "sig"]
            assert kids[5:] == [k for k in ("embedRegular", "embedBold", "embedItalic", "embedBoldItalic") if k in kids]
    settings = etree.fromstring(z.read("word/settings.xml"))
    tags = [etree.QName(c).localname for c in settings]
    assert "embedTrueTypeFonts" in tags and "saveSubsetFonts" in tags
    assert tags.index("embedTrueTypeFonts") < tags.index("saveSubsetFonts") < tags.index("defaultTabStop")


@pytest.mark.parametrize("lang", list(SAMPLES))
def test_subsets_cover_the_text_drawn_in_them(case_studies, kit, lang):
    """Each embedded face has every character the document draws in its family (that the
    full font has), and the script family every Bengali/Thai character of the document."""
    fonts = embedded(case_studies[lang])
    full = _families(kit)
    cmaps = {name: {face: set(font.getBestCmap()) for face, (_, font) in faces.items()} for name, faces in fonts.items()}
    script_chars: set[str] = set()
    checked = 0
    for text, ascii_font, cs_font, bold, italic in _runs(case_studies[lang]):
        face = ("Bold" if bold else "") + ("Italic" if italic else "") or "Regular"
        for family in {ascii_font, cs_font}:
            if family not in cmaps:
                continue
            have = cmaps[family].get(face) or cmaps[family]["Regular"]
            full_cov = coverage(full[family].regular)
            missing = {c for c in text if ord(c) in full_cov and ord(c) not in have and not c.isspace()}
            if family == cs_font and family != ascii_font:  # the script family: its script's characters
                lo, hi = SCRIPT_RANGES.get(lang, (1, 0))
                missing = {c for c in missing if lo <= ord(c) <= hi}
            assert not missing, (family, face, sorted(missing), text)
            checked += 1
        if lang in SCRIPT_RANGES:
            lo, hi = SCRIPT_RANGES[lang]
            script_chars |= {c for c in text if lo <= ord(c) <= hi}
    assert checked > 50
    if lang in SCRIPT_RANGES:  # every Bengali/Thai character of the document, in every face of the script font
        assert len(script_chars) > 30
        for face, cmap in cmaps[SCRIPT_FAMILY[lang]].items():
            drawable = {c for c in script_chars if ord(c) in coverage(full[SCRIPT_FAMILY[lang]].regular)}
            assert {ord(c) for c in drawable} <= cmap, (face, sorted(c for c in drawable if ord(c) not in cmap))


@pytest.mark.parametrize("lang", list(SAMPLES))
def test_subsets_are_small(case_studies, kit, lang):
    full = _families(kit)
    for name, faces in embedded(case_studies[lang]).items():
        for face, (plain, font) in faces.items():
            src = {"Regular": full[name].regular, "Bold": full[name].bold, "Italic": full[name].italic,
                   "BoldItalic": full[name].bold_italic}[face]
            # Bengali keeps most of its font: the GSUB closure of the letters used reaches most conjuncts
            limit = {"Lato": 0.1, "Sarabun": 0.35, "Hind Siliguri": 0.8}[name]
            assert len(plain) < src.stat().st_size * limit, (name, face, len(plain))
            whole = TTFont(str(src), lazy=True)
            kept = sum(1 for g in font.getGlyphOrder() if font["glyf"][g].numberOfContours != 0)
            assert kept < len(whole.getGlyphOrder()), (name, face, kept)  # outlines dropped, ids kept


@pytest.mark.parametrize("lang", list(SAMPLES))
def test_subsets_keep_the_glyph_ids_of_the_whole_font(case_studies, kit, lang):
    """LibreOffice with the family installed shapes with the installed font and draws with the
    embedded subset: every character must map to the same glyph id in both (a renumbered
    subset drew the Thai case study blank)."""
    full = _families(kit)
    for name, faces in embedded(case_studies[lang]).items():
        for face, (_, font) in faces.items():
            src = {"Regular": full[name].regular, "Bold": full[name].bold, "Italic": full[name].italic,
                   "BoldItalic": full[name].bold_italic}[face]
            whole = TTFont(str(src), lazy=True)
            ids, whole_ids = font.getReverseGlyphMap(), whole.getReverseGlyphMap()
            cmap, whole_cmap = font.getBestCmap(), whole.getBestCmap()
            assert len(cmap) > 20
            for cp, glyph in cmap.items():
                assert ids[glyph] == whole_ids[whole_cmap[cp]], (name, face, hex(cp))


def test_bengali_subset_shapes_like_the_full_font(case_studies, kit):
    """The subset keeps the GSUB closure: a Bengali paragraph shapes to the same glyphs (by
    outline extents) and positions with the subset as with the full font."""
    import uharfbuzz as hb

    plain, _ = embedded(case_studies["bn"])["Hind Siliguri"]["Regular"]
    text = next(t for t, _, cs, b, i in _runs(case_studies["bn"]) if cs == "Hind Siliguri" and "্" in t and not b)
    full = _families(kit)["Hind Siliguri"].regular.read_bytes()

    def shape(data: bytes) -> list[tuple]:
        font = hb.Font(hb.Face(hb.Blob(data)))
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        hb.shape(font, buf, {})
        out = []
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions):
            ext = font.get_glyph_extents(info.codepoint)
            out.append((info.codepoint != 0, info.cluster, pos.x_advance, pos.x_offset, pos.y_offset,
                        ext and (ext.x_bearing, ext.y_bearing, ext.width, ext.height)))
        return out

    got = shape(plain)
    assert len(got) > 10 and all(g[0] for g in got)  # no .notdef
    assert got == shape(full)


def test_bytes_reproducible(case_studies, kit, tmp_path):
    """Same inputs, same bytes: a second build, a build with the subset cache cold, and one
    written without the cached deflate streams."""
    study = load_study(ROOT / "sample_inputs" / "ghatbox_bn.yaml")
    report = build(study, kit, tmp_path / "a", stages=("pre_sale",), formats=("docx",))
    again = report.out_dir / [o for o in report.outputs if o.layout == "case_study"][0].path
    assert again.read_bytes() == case_studies["bn"].read_bytes()
    font_embed._cache.clear()
    r = DocxRenderer()
    one = r.render(sample_document("th"), make_brand(), tmp_path / "one.docx").path.read_bytes()
    two = r.render(sample_document("th"), make_brand(), tmp_path / "two.docx").path.read_bytes()
    saved = ooxml_package._PRECOMPRESSED_OK
    ooxml_package._PRECOMPRESSED_OK = False
    try:
        three = r.render(sample_document("th"), make_brand(), tmp_path / "three.docx").path.read_bytes()
    finally:
        ooxml_package._PRECOMPRESSED_OK = saved
    assert one == two == three
    assert b"word/fonts/font1.odttf" in one


# ---------------------------------------------------------------- unit-level


def test_obfuscation_key_layout():
    data = bytes(range(64))
    key = "{62E79491-959F-41E9-B76B-6B32631DEA5C}"
    ob = font_embed.obfuscate(data, key)
    rev = bytes.fromhex("62E79491959F41E9B76B6B32631DEA5C")[::-1]
    assert ob[:16] == bytes(a ^ b for a, b in zip(data[:16], rev))
    assert ob[16:32] == bytes(a ^ b for a, b in zip(data[16:32], rev))
    assert ob[32:] == data[32:]
    assert font_embed.deobfuscate(ob, key) == data
    assert GUID.match(font_embed.font_key(data)) and font_embed.font_key(data) == font_embed.font_key(bytes(data))


def test_restricted_font_is_not_embedded(tmp_path):
    font = TTFont(str(LATO.regular))
    font["OS/2"].fsType = 0x0002  # restricted licence embedding
    restricted = tmp_path / "Restricted-Regular.ttf"
    font.save(str(restricted))
    fam = FontFamily(name="Restricted Sans", regular=restricted, bold=restricted)
    brand = make_brand()
    body = FontRole({**brand.body.by_script, "latin": fam}, brand.body.fallbacks)
    brand = replace(brand, body=body, heading=body)
    res = DocxRenderer().render(sample_document("en"), brand, tmp_path / "r.docx")
    assert any("Restricted Sans" in w and "0x0002" in w for w in res.warnings), res.warnings
    fonts = embedded(res.path)
    assert "Restricted Sans" not in fonts
    assert font_embed.embedding_allowed(0) and font_embed.embedding_allowed(0x0004)
    assert font_embed.embedding_allowed(0x0008) and not font_embed.embedding_allowed(0x0002)
    assert not font_embed.embedding_allowed(0x0200)


def test_subsetting_failure_embeds_the_whole_font(tmp_path, monkeypatch):
    monkeypatch.setattr(font_subset, "subset_font", lambda data, cps: None)
    font_embed._cache.clear()
    font_subset._cache.clear()
    try:
        res = DocxRenderer().render(sample_document("en"), make_brand(), tmp_path / "full.docx")
        plain, _ = embedded(res.path)["Lato"]["Regular"]
        assert plain == LATO.regular.read_bytes()
    finally:
        font_embed._cache.clear()
        font_subset._cache.clear()


def test_cache_is_bounded_and_keyed_by_characters():
    font_embed._cache.clear()
    a = font_embed.embedded_face(LATO.regular, "Regular", frozenset(map(ord, "abc")))
    b = font_embed.embedded_face(LATO.regular, "Regular", frozenset(map(ord, "abc")))
    c = font_embed.embedded_face(LATO.regular, "Regular", frozenset(map(ord, "abcd")))
    assert a.data is b.data and a.data != c.data and a.key != c.key
    for i in range(font_embed.CACHE_SIZE + 5):
        font_embed.embedded_face(LATO.regular, "Regular", frozenset([ord("a") + i]))
    assert len(font_embed._cache.data) == font_embed.CACHE_SIZE
    font_embed._cache.clear()


# ---------------------------------------------------------------- validators and LibreOffice

AUDIT = shutil.which("openxml-audit") or str(Path(__import__("sys").executable).with_name("openxml-audit"))


@pytest.mark.skipif(not Path(AUDIT).exists(), reason="openxml-audit not installed")
@pytest.mark.parametrize("lang", ["bn", "th"])
def test_openxml_audit_clean_with_fonts(case_studies, lang):
    proc = subprocess.run([AUDIT, "-o", "json", "-m", "0", str(case_studies[lang])],
                          capture_output=True, text=True, timeout=120)
    findings = json.loads(proc.stdout)[0]["errors"]
    assert findings == [], findings


def _system_has(family: str) -> bool:
    fc = shutil.which("fc-list")
    if fc is None:
        return False
    out = subprocess.run([fc, ":", "family"], capture_output=True, text=True).stdout
    return family.lower() in out.lower()


def _without_embedded_fonts(src: Path, dest: Path) -> Path:
    """A copy of ``src`` whose font table embeds nothing (the negative control)."""
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as o:
        for info in z.infolist():
            data = z.read(info.filename)
            if info.filename == "word/fontTable.xml":
                data = re.sub(rb"<w:embed(Regular|Bold|Italic|BoldItalic) [^>]*/>", b"", data)
            o.writestr(info, data)
    return dest


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdffonts") is None,
                    reason="LibreOffice (soffice) or pdffonts missing")
@pytest.mark.office
@pytest.mark.parametrize("lang,expected", [("bn", ("HindSiliguri", "Lato")), ("th", ("Sarabun", "Lato"))])
def test_libreoffice_uses_the_embedded_fonts(case_studies, tmp_path, lang, expected):
    """With the brand fonts not installed, LibreOffice finds them only in the document: the
    PDF lists them; the same document without the embedding does not (one soffice process
    per file, since embedded fonts stay registered for the process's lifetime)."""
    from tests.lo_helpers import convert_to_pdf, pdf_fonts

    if any(_system_has(f) for f in ("Hind Siliguri", "Sarabun", "Lato")):
        pytest.skip("a brand font is installed on this system: LibreOffice would not need the embedded one")
    src = tmp_path / f"case_study_{lang}.docx"
    shutil.copyfile(case_studies[lang], src)
    bare = _without_embedded_fonts(src, tmp_path / f"case_study_{lang}_bare.docx")
    (pdf,) = convert_to_pdf([src], tmp_path / "with", dirs=[])
    (bare_pdf,) = convert_to_pdf([bare], tmp_path / "without", dirs=[])
    fonts, bare_fonts = pdf_fonts(pdf), pdf_fonts(bare_pdf)
    for name in expected:
        assert re.search(rf"\+{name}-(Regular|Bold)\b", fonts), (name, fonts)
        assert name not in bare_fonts, (name, bare_fonts)
    assert "DejaVu" not in fonts, fonts  # nothing fell back to a system font
