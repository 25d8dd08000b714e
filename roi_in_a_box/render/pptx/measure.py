"""Text measurement for slides: real font metrics, greedy word wrap, shrink-to-fit.

PowerPoint's ``normAutofit`` is only recomputed when a person edits the slide, and
python-pptx's ``fit_text`` fails on long unbreakable strings, so every font size in a
deck is decided here, before anything is written:

* widths come from HarfBuzz shaping of the brand's own TTF for each piece of text (the
  family :func:`roi_in_a_box.brand.fonts.font_runs` picks, bold face for bold text), so
  Bengali conjuncts and Thai marks are measured as drawn; em-widths are cached per
  ``(font file, token)`` and scale linearly with the size;
* lines break greedily after spaces, between Thai words (PyThaiNLP ``newmm``), and at
  ``\\n``; a token wider than the line is broken between grapheme clusters as a last resort
  (PowerPoint and LibreOffice do the same instead of overflowing); a link is never broken
  inside: wider than the line, it breaks after a ``/`` (:func:`link_lines`, written as line
  breaks so renderers cannot choose its hyphens), and a part still wider does not fit;
* line pitch is fixed per paragraph (written as exact ``a:spcPts`` line spacing) from the
  tallest font's ``hhea`` metrics, or for Bengali and Thai the ink of the shaped text if
  more, so the height of ``n`` lines is the same in every renderer and stacked marks do
  not touch the next line.

The test suite re-runs :func:`frame_height` on the read-back text of every shape.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from roi_in_a_box.caches import lru as registered_cache
from roi_in_a_box.caches import NamedCache
from roi_in_a_box.brand.fonts import font_runs
from roi_in_a_box.brand.model import FontFamily, FontRole
from roi_in_a_box.render import ink
from roi_in_a_box.text.scripts import BENGALI, LATIN, THAI, split_by_script, strip_control
from roi_in_a_box.text.languages import language
from roi_in_a_box.text.links import link_breaks
from roi_in_a_box.text.thai import thai_breaks

EMU_PER_PT = 12700
WIDTH_SAFETY = 0.96  # measure against 96% of the line width: renderers' break choices differ a little


# --------------------------------------------------------------------------- font metrics


@registered_cache("pptx.harfbuzz_fonts")
@lru_cache(maxsize=64)
def _hb_font(path: str):
    import uharfbuzz as hb

    blob = hb.Blob.from_file_path(path)
    face = hb.Face(blob)
    font = hb.Font(face)  # scale = units per em
    return font, face.upem


@registered_cache("pptx.em_widths")
@lru_cache(maxsize=200_000)
def em_width(path: str, text: str) -> float:
    """Advance width of ``text`` shaped with the font at ``path``, in ems."""
    import uharfbuzz as hb

    font, upem = _hb_font(path)
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(font, buf, {"kern": True, "liga": True})
    return sum(p.x_advance for p in buf.glyph_positions) / upem


def face_path(fam: FontFamily, bold: bool, italic: bool) -> str:
    if bold and italic:
        return str(fam.bold_italic or fam.bold)
    if bold:
        return str(fam.bold)
    if italic:
        return str(fam.italic or fam.regular)
    return str(fam.regular)


# --------------------------------------------------------------------------- runs and fonts


@dataclass(frozen=True)
class Piece:
    """One font run: what a single ``a:r`` carries."""

    text: str
    family: FontFamily
    script: str  # latin | bengali | thai
    bold: bool = False
    italic: bool = False
    link: str | None = None


def lang_script(lang: str) -> str:
    return language(lang).script


def clean(text: str) -> str:
    """Controls out (no glyph anywhere, invalid in XML), soft hyphens and tabs normalised."""
    return strip_control(text).replace("\u00ad", "").replace("\t", " ").replace("\r", "")


_PIECE_CACHE: NamedCache[int, tuple[FontRole, dict]] = NamedCache("pptx.pieces_per_role", 33)


def _pieces(text: str, role: FontRole, default: str) -> tuple[tuple[FontFamily, str, str], ...]:
    """Cached per role object (FontRole holds a dict, so it is not hashable)."""
    entry = _PIECE_CACHE.get(id(role))
    if entry is None or entry[0] is not role:
        entry = _PIECE_CACHE[id(role)] = (role, {})
    cache = entry[1]
    key = (text, default)
    hit = cache.get(key)
    if hit is not None:
        return hit
    if len(cache) > 50_000:
        cache.clear()
    out: list[tuple[FontFamily, str, str]] = []
    for fam, piece in font_runs(text, role, default):
        script = default
        for script_name, sub in split_by_script(piece):
            if script_name in (LATIN, BENGALI, THAI):
                script = script_name
                break
        out.append((fam, piece, script))
    cache[key] = res = tuple(out)
    return res


def pieces(text: str, role: FontRole, lang: str, *, bold: bool = False, italic: bool = False,
           link: str | None = None) -> list[Piece]:
    """``text`` cut into font runs (script runs first, then per-character coverage fallback).

    Text without letters ("212%") takes its paragraph's first script, else the language's.
    Italic is kept only for a family that has an italic face: PowerPoint and LibreOffice
    would slant the others (Hind Siliguri has none), so those pieces are set upright, in the
    kit's ``italic_family`` for the family if it names one.
    """
    text = clean(text)
    if not text:
        return []
    # Text with no letters ("212%") is drawn by viewers with the Latin typeface (digits and
    # punctuation are "weak" and, with no strong neighbour, fall back to the Latin class).
    default = LATIN
    out = []
    for fam, p, script in _pieces(text, role, default):
        fam = fam.for_italic() if italic else fam
        out.append(Piece(p, fam, script, bold, italic and fam.italic is not None, link))
    return out


# --------------------------------------------------------------------------- line breaking

def break_positions(text: str) -> list[int]:
    """Sorted offsets where a line may start: after whitespace, between Thai words."""
    out = {i for i in range(1, len(text)) if text[i - 1] in " \u3000" and text[i] not in " \u3000"}
    out.update(thai_breaks(text))
    return sorted(out)


UNFIT = 10_000  # the line count of a paragraph whose link cannot be set at this size


def link_lines(text: str, path: str, avail_em: float) -> list[str] | None:
    """A link too wide for one line, cut greedily where it may break (after a ``/`` of its
    path: :func:`roi_in_a_box.text.links.link_breaks`) into lines of at most ``avail_em``;
    None if a part is still wider."""
    cuts = link_breaks(text)
    lines: list[str] = []
    start = 0
    for a, b in zip([0, *cuts], [*cuts, len(text)]):
        if em_width(path, text[a:b]) > avail_em:
            return None
        if a > start and em_width(path, text[start:b]) > avail_em:
            lines.append(text[start:a])
            start = a
    lines.append(text[start:])
    return lines


def _clusters(text: str) -> list[str]:
    """Grapheme-ish clusters: a base with its marks, Bengali virama joins kept together."""
    out: list[str] = []
    for ch in text:
        if out and (unicodedata.category(ch)[0] == "M" or ch in "\u200c\u200d"
                    or out[-1].endswith(("\u09cd", "\u200d"))):
            out[-1] += ch
        else:
            out.append(ch)
    return out


@dataclass(frozen=True)
class Para:
    """A paragraph to measure: its pieces, size in points and exact line pitch in points."""

    pieces: tuple[Piece, ...]
    size: float
    line: float
    space_before: float = 0.0


def _segment_widths(para: Para) -> tuple[str, list[tuple[int, int, str, str]]]:
    """The paragraph text and its font segments ``(start, end, face path, text)``."""
    segs: list[tuple[int, int, str, str]] = []
    pos = 0
    parts: list[str] = []
    for p in para.pieces:
        path = face_path(p.family, p.bold, p.italic)
        segs.append((pos, pos + len(p.text), path, p.text))
        parts.append(p.text)
        pos += len(p.text)
    return "".join(parts), segs


def _width(segs: list[tuple[int, int, str, str]], a: int, b: int) -> float:
    """Em-width of text[a:b] (sum over the font segments it covers)."""
    w = 0.0
    for s, e, path, t in segs:
        if e <= a or s >= b:
            continue
        w += em_width(path, t[max(a, s) - s:min(b, e) - s])
    return w


@registered_cache("pptx.line_counts")
@lru_cache(maxsize=20_000)
def count_lines(para: Para, width_pt: float) -> int:
    """Lines ``para`` takes when wrapped greedily into ``width_pt`` (safety margin applied).

    Memoised: a paragraph (its pieces carry the font files) is measured at the same widths
    again and again while a deck is fitted, and across the decks of a batch; the glyph
    widths behind it are cached per font file too (``em_width``).
    """
    text, segs = _segment_widths(para)
    if not text:
        return 1
    avail = width_pt * WIDTH_SAFETY / para.size  # in ems
    links = _link_spans(para)
    lines = 0
    for line_text_start, line_text_end in _hard_lines(text):
        lines += _wrap(text, segs, line_text_start, line_text_end, avail, links)
    return min(lines, UNFIT)


def min_width(para: Para) -> float:
    """Width (pt) of the widest piece of ``para`` no line break may cut (a word, a Thai word,
    a figure such as "৯০.৮\u00a0লাখ৳", a link's part between slashes), with the safety
    margin: a column this wide never breaks inside one."""
    text, segs = _segment_widths(para)
    links = _link_spans(para)
    inside = {i for s0, (e0, _) in links.items() for i in range(s0 + 1, e0)}
    widest = 0.0
    for a, b in _hard_lines(text):
        cuts = [a + c for c in break_positions(text[a:b]) if a + c not in inside]
        for s, e in zip([a, *cuts], [*cuts, b]):
            core = s + len(text[s:e].rstrip(" \u3000"))
            link = next(((s0, e0, path) for s0, (e0, path) in links.items() if s0 < core and s < e0), None)
            if link is not None:
                t = text[link[0]:link[1]]
                bounds = link_breaks(t)
                widest = max(widest, *(em_width(link[2], t[x:y]) for x, y in zip([0, *bounds], [*bounds, len(t)])))
            else:
                widest = max(widest, _width(segs, s, core))
    return widest * para.size / WIDTH_SAFETY


def _link_spans(para: Para) -> dict[int, tuple[int, str]]:
    """Start offset -> (end offset, face path) of every link piece in ``para``."""
    out: dict[int, tuple[int, str]] = {}
    pos = 0
    for p in para.pieces:
        if p.link and p.text:
            out[pos] = (pos + len(p.text), face_path(p.family, p.bold, p.italic))
        pos += len(p.text)
    return out


def _hard_lines(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in "\n\v\u2028":
            out.append((start, i))
            start = i + 1
    out.append((start, len(text)))
    return out


def _wrap(text: str, segs, a: int, b: int, avail: float, links: dict[int, tuple[int, str]] | None = None) -> int:
    if a >= b:
        return 1
    links = links or {}
    inside = {i for s0, (e0, _) in links.items() for i in range(s0 + 1, e0)}
    cuts = [p for p in break_positions(text[a:b]) if a + p not in inside]
    bounds = [a, *(a + c for c in cuts), b]
    lines, cur = 1, 0.0
    for s, e in zip(bounds, bounds[1:]):
        tok = text[s:e]
        core_end = s + len(tok.rstrip(" \u3000"))
        w_core = _width(segs, s, core_end)
        w_all = w_core + (_width(segs, core_end, e) if core_end < e else 0.0)
        if cur > 0 and cur + w_core <= avail:
            cur += w_all
            continue
        if cur > 0:
            lines += 1
            cur = 0.0
        if w_core <= avail:
            cur = w_all
            continue
        link = next(((s0, e0, path) for s0, (e0, path) in links.items() if s0 < core_end and s < e0), None)
        if link is not None:  # a link breaks only after its "/", each part within the line
            parts = link_lines(text[link[0]:link[1]], link[2], avail)
            if parts is None:
                return UNFIT
            lines += len(parts) - 1
            cur = em_width(link[2], parts[-1]) + _width(segs, link[1], e)
            continue
        # last resort: break the token between clusters
        pos = s
        for cl in _clusters(text[s:core_end]):
            cw = _width(segs, pos, pos + len(cl))
            if cur > 0 and cur + cw > avail:
                lines += 1
                cur = 0.0
            cur += cw
            pos += len(cl)
        cur += w_all - w_core
    return lines


def line_pitch(pieces_: Sequence[Piece], size: float, factor: float = 1.0) -> float:
    """Exact line spacing (pt) for a paragraph: the tallest of its fonts' natural heights, or
    for Bengali and Thai, if more, the ink its shaped text reaches above and below the
    baseline (:mod:`roi_in_a_box.render.ink`), so stacked marks never touch the next line."""
    lf = max((ink.line_factor(str(p.family.regular)) for p in pieces_), default=1.2)
    pitch = round(size * max(lf, 1.15) * factor * 2) / 2
    if ink.stacked("".join(p.text for p in pieces_)):
        need = ink.needed_leading_faces(((face_path(p.family, p.bold, p.italic), p.text) for p in pieces_), size)
        pitch = max(pitch, math.ceil(need * 2) / 2)
    return pitch


def frame_height(paras: Sequence[Para], width_pt: float, insets_pt: tuple[float, float, float, float]) -> float:
    """Height (pt) of a text frame holding ``paras`` in a box ``width_pt`` wide.

    ``insets_pt`` = (left, top, right, bottom).
    """
    l, t, r, b = insets_pt
    inner = width_pt - l - r
    h = t + b
    for i, p in enumerate(paras):
        if i:
            h += p.space_before
        h += count_lines(p, inner) * p.line
    return h


def role_face(role: FontRole, script: str = LATIN) -> FontFamily:
    return role.by_script.get(script) or role.by_script[LATIN]


def path_key(p: Path | str) -> str:
    return str(p)
