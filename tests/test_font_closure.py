"""Embedded font subsets can draw everything a viewer's shaper asks of them
(render/font_subset.py, used by DOCX and PPTX embedding).

Per document (every sample, every stage, and the seed-article documents): every embedded face
is read back from the package (de-obfuscated as ECMA-376 says, independently of the engine),
and every run is shaped by HarfBuzz with it and with the full font file: the glyph sequences
(outline extents, clusters, positions) must be identical and contain no .notdef.  Text is
also shaped in the decomposed forms LibreOffice passes to its shaper (Thai SARA AM as
NIKHAHIT + SARA AA, Bengali two-part vowels as their halves).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from roi_in_a_box.brand.fonts import coverage
from roi_in_a_box.render import font_subset
from roi_in_a_box.text.scripts import BENGALI, THAI, script_of
from tests import seed_tree
from tests.sample_tree import HIND, LATO, SARABUN
from tests.test_docx_fonts import _runs, embedded

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = {"en": "ledgerly_en", "bn": "ghatbox_bn", "th": "shiftsabai_th"}
FULL = {f.name: f for f in (LATO, HIND, SARABUN)}
FACE_FILE = {"Regular": "regular", "Bold": "bold", "Italic": "italic", "BoldItalic": "bold_italic"}
SPLITS = {"\u0e33": "\u0e4d\u0e32", "\u09cb": "\u09c7\u09be", "\u09cc": "\u09c7\u09d7"}


@pytest.fixture(scope="module")
def docx_files(tmp_path_factory) -> dict[str, Path]:
    return seed_tree.sample_and_seed_files(tmp_path_factory.mktemp("closure"), "docx")


def shape(data: bytes, text: str) -> list[tuple]:
    import uharfbuzz as hb

    font = hb.Font(hb.Face(hb.Blob(data)))
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(font, buf, {})
    out = []
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions):
        ext = font.get_glyph_extents(info.codepoint)
        out.append((info.codepoint, info.cluster, pos.x_advance, pos.x_offset, pos.y_offset,
                     ext and (ext.x_bearing, ext.y_bearing, ext.width, ext.height)))
    return out


def _segments(text: str, cov: frozenset[int], script_only: bool) -> list[str]:
    """Maximal pieces of ``text`` the full font covers (for a script font in a Bengali/Thai
    run: pieces that hold Bengali or Thai letters)."""
    pieces, cur = [], ""
    for ch in text:
        if ord(ch) in cov and not ch.isspace():
            cur += ch
        else:
            if cur:
                pieces.append(cur)
            cur = ""
    if cur:
        pieces.append(cur)
    if script_only:
        pieces = [p for p in pieces if any(script_of(c) in (BENGALI, THAI) for c in p)]
    return pieces


def _decomposed(text: str) -> str:
    return "".join(SPLITS.get(ch, ch) for ch in text)


def check_document(path: Path) -> tuple[int, list[str]]:
    """(pieces shaped, problems) for every run of the DOCX at ``path``."""
    fonts = embedded(path)
    problems: list[str] = []
    shaped = 0
    for text, ascii_font, cs_font, bold, italic in _runs(path):
        for family, script_only in ((ascii_font, False), (cs_font, cs_font != ascii_font)):
            if family not in fonts:
                continue
            faces = fonts[family]
            want = ("Bold" if bold else "") + ("Italic" if italic else "") or "Regular"
            face = want if want in faces else ("Bold" if bold and "Bold" in faces else "Regular")
            full_path = getattr(FULL[family], FACE_FILE[face])
            full = full_path.read_bytes()
            plain, _ = faces[face]
            for piece in _segments(text, coverage(full_path), script_only):
                for variant in {piece, _decomposed(piece), unicodedata.normalize("NFD", piece)}:
                    got, ref = shape(plain, variant), shape(full, variant)
                    shaped += 1
                    if any(g[0] == 0 for g in got):
                        problems.append(f"{family} {face}: .notdef in {variant!r}")
                    elif [g[1:] for g in got] != [r[1:] for r in ref]:
                        problems.append(f"{family} {face}: glyphs differ from the full font in {variant!r}")
    return shaped, problems


def test_every_document_shapes_like_the_full_fonts(docx_files):
    assert len(docx_files) >= 6 + (2 if seed_tree.available() else 0)
    total = 0
    for name, path in sorted(docx_files.items()):
        shaped, problems = check_document(path)
        assert not problems, (name, problems[:5], len(problems))
        total += shaped
    assert total > 500


def test_thai_and_bengali_splits_are_in_the_subsets(docx_files):
    """The characters LibreOffice's shaper asks for after splitting: U+0E4D and U+0E32 when
    ำ is drawn, U+09C7 and U+09D7 with ৌ, and U+25CC in every script face that has one (Sarabun has none)."""
    rules = {"th": ("Sarabun", {"\u0e33": "\u0e4d\u0e32"}), "bn": ("Hind Siliguri", {"\u09cc": "\u09c7\u09d7"})}
    seen = set()
    for name, path in docx_files.items():
        lang = name.split("/")[0]
        if lang not in rules:
            continue
        family, splits = rules[lang]
        drawn = "".join(t for t, *_ in _runs(path))
        for face, (_, font) in embedded(path)[family].items():
            cmap = font.getBestCmap()
            assert 0x25CC in cmap or 0x25CC not in coverage(FULL[family].regular), (name, face)
            for ch, parts in splits.items():
                if ch in drawn:
                    seen.add(ch)
                    assert all(ord(p) in cmap for p in parts), (name, face, ch)
    assert seen == {"\u0e33", "\u09cc"}


def test_closure_rules():
    got = font_subset.closure(map(ord, "จำ পৌঁছে য়"))
    for ch in "\u0e4d\u0e32\u09c7\u09d7\u25cc\u09af\u09bc":
        assert ord(ch) in got, hex(ord(ch))
    assert ord("\u09df") in got  # য + nukta present: the precomposed letter a shaper may compose
    assert 0x0E33 not in font_subset.closure([0x0E4D, 0x0E32])  # compatibility forms are not composed
    assert ord("\u09cb") in font_subset.closure([0x09C7, 0x09BE])
    assert font_subset.closure([]) == frozenset([0x25CC])


# ---------------------------------------------------------------- LibreOffice without the fonts


def _only_latin_fonts_conf(dest: Path) -> Path:
    """A fontconfig file listing only Lato's folder: no system fonts (fonts-noto-core has
    Bengali and Thai faces), so LibreOffice has the DOCX's embedded fonts or nothing."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    f"  <dir>{Path(LATO.regular).parent}</dir>\n  <cachedir>{dest.parent / 'cache'}</cachedir>\n"
                    "</fontconfig>\n", encoding="utf-8")
    return dest


def _convert(files: list[Path], outdir: Path, conf: Path) -> list[Path]:
    import os
    import subprocess

    from tests.lo_helpers import SOFFICE

    env = dict(os.environ, FONTCONFIG_FILE=str(conf), HOME=str(outdir / "home"))
    outdir.mkdir(parents=True, exist_ok=True)
    for f in files:  # one process each: LibreOffice keeps a document's embedded fonts for the next one
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{outdir / 'profile'}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(outdir), str(f)],
                       check=False, env=env, capture_output=True, timeout=300)
    pdfs = [outdir / (f.stem + ".pdf") for f in files]
    assert all(p.exists() and p.stat().st_size for p in pdfs), pdfs
    return pdfs


def _pages(pdf: Path) -> list[bytes]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    return [page.render(scale=100 / 72).to_pil().convert("L").tobytes() for page in doc]


@pytest.mark.office
@pytest.mark.needs("fc-list")
def test_libreoffice_without_script_fonts_draws_what_full_fonts_draw(docx_files, tmp_path):
    """The Bengali and Thai case studies, renewal summaries and seed documents converted by
    LibreOffice twice: with only a Latin font folder visible (the embedded subsets are all it
    has for Bengali and Thai) and with the full brand fonts installed.  Every page must be
    pixel-identical: a missing glyph (a lost ำ circle, a dotted circle) would differ."""
    from tests.lo_helpers import font_dirs, write_fonts_conf

    names = sorted(n for n in docx_files if n.split("/")[0] in ("bn", "th"))
    files = []
    for n in names:
        dest = tmp_path / "in" / (n.replace("/", "-") + ".docx")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(docx_files[n].read_bytes())
        files.append(dest)
    bare = _convert(files, tmp_path / "bare", _only_latin_fonts_conf(tmp_path / "bare-fc" / "fonts.conf"))
    full_conf = tmp_path / "full-fc" / "fonts.conf"
    full_conf.parent.mkdir(parents=True, exist_ok=True)
    write_fonts_conf(full_conf, font_dirs())
    full = _convert(files, tmp_path / "full", full_conf)
    for name, a, b in zip(names, bare, full):
        pa, pb = _pages(a), _pages(b)
        assert len(pa) == len(pb), name
        differing = [i for i, (x, y) in enumerate(zip(pa, pb)) if x != y]
        assert not differing, (name, differing)
