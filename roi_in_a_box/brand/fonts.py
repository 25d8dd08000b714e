"""Font files from installed ``fontpkg-*`` packages, their character coverage, and font choice.

Fonts come only from Python packages (never the OS), so a build is the same on every
machine.  Which family draws a piece of text is decided from each file's cmap, because the
script fonts lack Latin or punctuation and the Latin font lacks Bengali and Thai.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .. import disk_cache
from ..caches import lru as registered_cache
from roi_in_a_box.brand.model import FontFamily, FontRole
from roi_in_a_box.text.scripts import LATIN, split_by_script


class FontFileError(ValueError):
    """A font file that the renderers cannot use (missing, CFF outlines, variable, collection)."""


def fontpkg_family(
    package: str,
    name: str,
    regular: str,
    bold: str,
    italic: str | None = None,
    bold_italic: str | None = None,
) -> FontFamily:
    """A family from the ``files/`` folder of an installed fontpkg package, e.g.
    ``fontpkg_family("fontpkg_lato", "Lato", "Lato-Regular.ttf", "Lato-Bold.ttf")``.

    Every file is checked now, so a bad brand kit fails at load time, not mid-render.
    """
    try:
        folder = resources.files(package) / "files"
    except ModuleNotFoundError as exc:
        raise FontFileError(f"font package {package!r} is not installed") from exc

    def resolve(file: str) -> Path:
        if Path(file).name != file:
            raise FontFileError(f"{file!r}: give a file name inside {package}/files, not a path")
        path = Path(str(folder / file))
        check_truetype(path)
        return path

    return FontFamily(name=name, regular=resolve(regular), bold=resolve(bold),
                      italic=resolve(italic) if italic else None,
                      bold_italic=resolve(bold_italic) if bold_italic else None)


@registered_cache("brand.checked_fonts")
@lru_cache(maxsize=256)
def check_truetype(path: Path) -> None:
    """Raise :class:`FontFileError` unless ``path`` is a static glyf-outline TrueType font.

    ReportLab rejects CFF (PostScript-outline ``.otf``) fonts, cannot pick a face out of a
    collection, and draws only the default instance of a variable font (no real bold).
    """
    if not path.is_file():
        raise FontFileError(f"{path}: font file not found")
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic == b"OTTO":
        raise FontFileError(f"{path}: CFF/PostScript outlines; ReportLab needs glyf TrueType (.ttf)")
    if magic == b"ttcf":
        raise FontFileError(f"{path}: a font collection; use a single-font .ttf")
    if magic not in (b"\x00\x01\x00\x00", b"true"):
        raise FontFileError(f"{path}: not a TrueType font")
    name = _font_key(path, "tables")
    tables = disk_cache.load("font-tables", name)
    if not (isinstance(tables, list) and all(isinstance(t, str) for t in tables)):
        from fontTools.ttLib import TTFont

        try:
            tables = sorted(TTFont(str(path), lazy=True).keys())
        except Exception as exc:  # fontTools raises many types for damaged files
            raise FontFileError(f"{path}: damaged TrueType file ({type(exc).__name__}: {exc})") from None
        disk_cache.store("font-tables", name, tables)
    if "glyf" not in tables:
        raise FontFileError(f"{path}: no glyf table; ReportLab needs glyf TrueType outlines")
    if "fvar" in tables:
        raise FontFileError(f"{path}: a variable font; use static instances (Regular, Bold, ...)")


@registered_cache("brand.font_coverage")
@lru_cache(maxsize=256)
def coverage(path: Path) -> frozenset[int]:
    """Code points that the font at ``path`` maps to a glyph (cached: read once per process,
    and kept in the user's cache folder by the file's hash)."""
    name = _font_key(path, "cmap")
    kept = disk_cache.load("font-coverage", name)
    if isinstance(kept, list) and all(isinstance(c, int) for c in kept):
        return frozenset(kept)
    from fontTools.ttLib import TTFont

    codes = frozenset(TTFont(str(path), lazy=True).getBestCmap())
    disk_cache.store("font-coverage", name, sorted(codes))
    return codes


def _font_key(path: Path, what: str) -> str:
    """What is read from a font file depends on its bytes, on fontTools and on this code."""
    return disk_cache.key(what, disk_cache.file_hash(path), disk_cache.version("fonttools"),
                          disk_cache.source_hash(__file__))


def _needs_glyph(ch: str) -> bool:
    """Whether ``ch`` must be in a font's cmap: whitespace and format characters (ZWJ,
    ZWNJ, soft hyphen, ...) are handled by the shaper or the layout even when absent."""
    return not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf")


def covers(fam: FontFamily, text: str) -> bool:
    """Whether ``fam`` has a glyph for every character of ``text`` that needs one."""
    cmap = coverage(fam.regular)
    return all(ord(ch) in cmap or not _needs_glyph(ch) for ch in text)


def candidates(role: FontRole, script: str) -> tuple[FontFamily, ...]:
    """Families to try for ``script``, best first: its primary, the Latin primary, the
    fallbacks, then the other scripts' primaries (the Thai font has a baht sign the Latin
    one lacks, etc.)."""
    ordered: dict[str, FontFamily] = {}
    for fam in (role.by_script.get(script), role.by_script.get(LATIN), *role.fallbacks,
                *role.by_script.values()):
        if fam is not None:
            ordered.setdefault(fam.name, fam)
    return tuple(ordered.values())


def choose_family(role: FontRole, script: str, text: str) -> FontFamily | None:
    """The first candidate family that covers all of ``text``, or ``None``."""
    for fam in candidates(role, script):
        if covers(fam, text):
            return fam
    return None


@dataclass(frozen=True)
class MissingGlyph:
    """A character that no font of a role can draw, and where it was found."""

    char: str
    codepoint: str  # "U+0E3F"
    context: str  # block id or other locator given by the caller

    def __str__(self) -> str:
        name = unicodedata.name(self.char, "unnamed")
        return f"{self.context}: {self.codepoint} {name} ({self.char!r}) has no glyph in any configured font"


def find_missing(text: str, role: FontRole, context: str = "") -> list[MissingGlyph]:
    """Each distinct character of ``text`` that no family of ``role`` can draw, in order of
    first appearance, so the build can report it instead of printing a box."""
    families = role.families()
    found: dict[str, MissingGlyph] = {}
    for ch in text:
        if ch in found or not _needs_glyph(ch):
            continue
        if not any(ord(ch) in coverage(f.regular) for f in families):
            found[ch] = MissingGlyph(ch, f"U+{ord(ch):04X}", context)
    return list(found.values())


def font_runs(text: str, role: FontRole, default_script: str = LATIN) -> list[tuple[FontFamily, str]]:
    """Cut ``text`` into ``(family, piece)`` runs, one family per piece.

    Script runs first (see :func:`split_by_script`).  A run its script's primary family
    cannot draw whole is cut character by character, each character going to the primary,
    else the previous piece's family, else :func:`choose_family`; so "Revenue ▲" keeps the
    brand's Latin font for the letters instead of moving the whole run to a font that has
    the triangle.  Uncovered characters stay with the primary; :func:`find_missing`
    reports them.  ``default_script`` is used for text without letters ("212%").
    """
    out: list[tuple[FontFamily, str]] = []
    for script, piece in split_by_script(text):
        if script == "common":
            script = default_script
        primary = candidates(role, script)[0]
        if covers(primary, piece):
            _append(out, primary, piece)
            continue
        for ch in piece:
            if covers(primary, ch):
                fam = primary
            elif out and covers(out[-1][0], ch):
                fam = out[-1][0]
            else:
                fam = choose_family(role, script, ch) or primary
            _append(out, fam, ch)
    return out


def _append(out: list[tuple[FontFamily, str]], fam: FontFamily, piece: str) -> None:
    if out and out[-1][0] is fam:
        out[-1] = (fam, out[-1][1] + piece)
    else:
        out.append((fam, piece))
