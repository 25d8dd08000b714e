"""ReportLab text for any mix of Latin, Bengali and Thai: safe markup, per-script fonts,
HarfBuzz shaping, and Thai line breaking between words.

Three ReportLab 5.1 behaviours are worked around here (see /work/shared/notes):

* Paragraph markup is a small HTML: data must be escaped or ``<img src=...>`` in a quote
  reads local files and an unclosed ``<b>`` raises.  :func:`runs_to_markup` escapes
  everything and emits only ``<font>``, ``<b>``, ``<i>``, ``<br/>`` and safe ``<a>`` tags.
* A "word" (text between spaces) is shaped with its first font's face, so "CEO-দের" shows
  boxes, and lines break only at spaces, so Thai (no spaces between words) breaks only at
  phrase ends or mid-word.  :class:`ScriptParagraph` re-cuts ReportLab's word list before
  line breaking: each Thai word becomes its own word joined to the next with zero width,
  and every word is shaped one font at a time.
* ``canvas.drawString`` does not shape: :func:`draw_label` draws through a Paragraph.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from itertools import groupby
from typing import Any

import reportlab
from reportlab.lib.colors import Color, toColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfbase.ttfonts import makeShapedFragWord, shapeFragWord
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.paragraph import Paragraph, _getFragWords, _processed_frags

from roi_in_a_box import patches
from roi_in_a_box.caches import NamedCache
from roi_in_a_box.brand.fonts import font_runs
from roi_in_a_box.brand.model import FontFamily, FontRole
from roi_in_a_box.layout.tree import Run
from roi_in_a_box.render import ink
from roi_in_a_box.render.pdf import tounicode
from roi_in_a_box.render.pdf.fonts import register_family
from roi_in_a_box.text.links import SAFE_LINK_SCHEMES, link_breaks, safe_link
from roi_in_a_box.text.scripts import BENGALI, LATIN, THAI, script_of, strip_control
from roi_in_a_box.text.languages import language
from roi_in_a_box.text.thai import thai_breaks

# ScriptParagraph relies on private helpers and the frag-word format of paragraph.py
# (``[width, (frag, text), ...]``; ``_HSFrag`` = "a space follows").  Re-check it, and the
# visual test in tests/test_pdf_text.py, before moving off this version.
if reportlab.Version != "5.1.0":  # pragma: no cover
    raise ImportError(f"roi_in_a_box.render.pdf.text is written for reportlab 5.1.0, not {reportlab.Version}")

# ReportLab 5.1 shapes with discretionary ligatures on (dlig); Lato's draw "st" and "ck" as
# historical ligatures, which no one wants in a business document.  Kerning and standard
# ligatures stay on.  Paragraphs that ReportLab shapes itself get the same features.
SHAPING_FEATURES = {"kern": True, "liga": True, "dlig": False}


def _shape(word: list, features: dict[str, bool] | None = None, force: bool = False) -> list:
    word = tounicode.unshaped(word)
    shaped = shapeFragWord(word, features or SHAPING_FEATURES, force)
    if shaped is not word:
        shaped = tounicode.clustered(word, shaped)
    return shaped


patches.install("reportlab-shape-frag-word", _shape)

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
_LABEL_MIN_SCALE = 0.75  # labels shrink at most to 75% before wrapping


# --------------------------------------------------------------------------- markup


def _escape(text: str) -> str:
    """Escape data for ReportLab's paragraph parser (which also reads attribute quotes)."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def _clean(text: str) -> str:
    """Drop characters that must not reach the layout: controls (no glyph anywhere), and
    soft hyphens (ReportLab's soft-hyphen splitting does not work on shaped text)."""
    return strip_control(text).replace("\u00ad", "").replace("\t", " ")




def default_script(text: str, lang: str) -> str:
    """Script for text without letters ("212%"): the paragraph's first script, else the
    language's, so figures match the surrounding text's font."""
    for ch in text:
        s = script_of(ch)
        if s in (LATIN, BENGALI, THAI):
            return s
    return language(lang).script


def runs_to_markup(runs: Sequence[Run], role: FontRole, bold: bool = False, lang: str = "en") -> str:
    """ReportLab paragraph markup for ``runs``: escaped text in one ``<font>`` per font run,
    ``<b>``/``<i>`` from the run (or ``bold`` for all), ``\\n`` as ``<br/>``, and links for
    https:/mailto: only (other links keep their text and lose the link)."""
    fallback = default_script("".join(r.text for r in runs), lang)
    out: list[str] = []
    for run in runs:
        text = _clean(run.text)
        if not text:
            continue
        # <b>/<i> must sit inside <font>: ReportLab resolves bold/italic faces from the
        # font in effect when they open.
        open_tags = ("<b>" if run.bold or bold else "") + ("<i>" if run.italic else "")
        close_tags = ("</i>" if run.italic else "") + ("</b>" if run.bold or bold else "")
        inner = "".join(
            f'<font name="{register_family(fam)}">{open_tags}{_escape(piece)}{close_tags}</font>'
            for fam, piece in font_runs(text, role, fallback)
        ).replace("\n", "<br/>")
        link = safe_link(run.link)
        if link:
            inner = f'<a href="{_escape(link)}">{inner}</a>'
        out.append(inner)
    return "".join(out)


# --------------------------------------------------------------------------- paragraph

FragPair = tuple[Any, str]  # (ReportLab frag, text) as in paragraph.py frag words


def _cut_at(pairs: list[FragPair], cuts: list[int]) -> list[list[FragPair]]:
    """Cut a word's ``(frag, text)`` pairs at character offsets ``cuts`` (sorted, inside)."""
    pieces: list[list[FragPair]] = []
    cur: list[FragPair] = []
    base = ci = 0
    for frag, text in pairs:
        last = 0
        while ci < len(cuts) and cuts[ci] < base + len(text):
            local = cuts[ci] - base
            if local > last:
                cur.append((frag, text[last:local]))
            if cur:
                pieces.append(cur)
                cur = []
            last = local
            ci += 1
        if last < len(text):
            cur.append((frag, text[last:]))
        base += len(text)
    pieces.append(cur)
    return pieces


def _shape_word(cls: type, pairs: list[FragPair]) -> list:
    """A frag word of class ``cls`` shaped one font at a time.

    ReportLab shapes a whole word with its first frag's face; grouping by font gives each
    part its own face.  The result is marked as shaped so ReportLab does not shape it again.
    """
    width = 0.0
    shaped: list = []
    for (font, size), grouped in groupby(pairs, key=lambda pair: (pair[0].fontName, pair[0].fontSize)):
        group = list(grouped)
        w, parts = _shaped_group(font, size, group)
        width += w
        shaped.extend(parts)
    return makeShapedFragWord(cls([]))([width, *shaped])


# Shaping is a pure function of font, size and text; the frags only carry style.  Batches
# repeat the same words in every document, so results are cached with frags replaced by
# their index in the group and put back on the way out.
_SHAPE_CACHE: NamedCache[tuple, tuple[float, tuple[tuple[int, Any], ...]]] = NamedCache("pdf.shaped_words", 50_000)


def _shaped_group(font: str, size: float, group: list[FragPair]) -> tuple[float, list]:
    key = (font, size, tuple(t for _, t in group))
    hit = _SHAPE_CACHE.get(key)
    if hit is None:
        result = _shape([sum(stringWidth(t, f.fontName, f.fontSize) for f, t in group), *group])
        index = {id(f): i for i, (f, _) in enumerate(group)}
        hit = (result[0], tuple((index[id(f)], text) for f, text in result[1:]))
        _SHAPE_CACHE[key] = hit
    return hit[0], [(group[i][0], text) for i, text in hit[1]]


def url_breaks(text: str) -> list[int]:
    """Where a word that is a URL may break (:func:`roi_in_a_box.text.links.link_breaks`:
    after a ``/`` of its path, not at its hyphens); [] for any other word."""
    return link_breaks(text) if text.lower().startswith(SAFE_LINK_SCHEMES) else []


def _prepare_words(words: list[list], width: float | None = None) -> list[list]:
    """Split each word at Thai word boundaries, and a URL wider than the line (``width``)
    after its slashes (pieces joined with zero width: only the last piece keeps the word's
    "space follows" class), and shape every piece per font."""
    out: list[list] = []
    for w in words:
        pairs = [(f, t) for f, t in w[1:]]
        if any(hasattr(f, "cbDefn") for f, _ in pairs) or not any(t for _, t in pairs):
            out.append(w)  # images, anchors, <br/>: ReportLab handles them
            continue
        text = "".join(t for _, t in pairs)
        cuts = thai_breaks(text)
        if width is not None and w[0] > width:
            cuts = sorted({*cuts, *url_breaks(text)})
        pieces = _cut_at(pairs, cuts)
        for k, piece in enumerate(pieces):
            out.append(_shape_word(type(w) if k == len(pieces) - 1 else list, piece))
    return out


class ScriptParagraph(Paragraph):
    """A Paragraph that breaks Thai between words with no visible gap and shapes mixed-font
    words correctly.

    ReportLab's line breaker treats every entry of its frag-word list as a breakable unit
    and adds a space after a word only if its class is ``_HSFrag``.  So the word list is
    rebuilt once, before the first line breaking, with Thai words as separate entries that
    are not ``_HSFrag``.  ReportLab accepts such pre-processed lists (that is how split
    paragraphs carry their words to the next frame), so ``split`` and re-wrapping keep them.
    """

    _memo: _Memo | None = None  # set by make_paragraph; split-off paragraphs have none
    source_text = ""  # the text it sets, as drawn (set by make_paragraph; "" for split-off parts)

    def breakLines(self, width):  # noqa: N802 - ReportLab's name
        memo = self._memo
        key = tuple(width) if isinstance(width, (list, tuple)) else width
        if memo is not None and (hit := memo.lines.get(key)) is not None:
            self.frags = hit[0]
            return hit[1]
        if not _processed_frags(self.frags):
            first = width[0] if isinstance(width, (list, tuple)) else width
            self.frags = _prepare_words(_getFragWords(self.frags, first), first)
        lines = super().breakLines(width)
        if memo is not None:
            memo.lines[key] = (self.frags, lines)
        return lines

    def minWidth(self) -> float:  # noqa: N802 - ReportLab's name
        """Widest unbreakable piece (a Thai word, not a whole Thai phrase)."""
        if not _processed_frags(self.frags):
            self.frags = _prepare_words(_getFragWords(self.frags))
        return max((w[0] for w in self.frags), default=0.0)


def _as_runs(runs_or_text: Sequence[Run] | str) -> Sequence[Run]:
    return (Run(runs_or_text),) if isinstance(runs_or_text, str) else runs_or_text


def _base_family(role: FontRole, script: str) -> FontFamily:
    return role.by_script.get(script) or role.by_script[LATIN]


_SHAPING_STYLES: NamedCache[tuple[ParagraphStyle, FontFamily], ParagraphStyle] = NamedCache("pdf.shaping_styles", 4_096)


def _shaping_style(style: ParagraphStyle, role: FontRole, script: str) -> ParagraphStyle:
    """``style`` itself if it already shapes with a TrueType font and normal word wrap, else
    a child style that does (ReportLab shapes only when the style's own font is shapable).
    Children are kept, so the same style object keys the paragraph memo every time."""
    font = getFont(style.fontName)
    if style.shaping and getattr(font, "shapable", False) and not style.wordWrap:
        return style
    family = _base_family(role, script)
    child = _SHAPING_STYLES.get((style, family))
    if child is None:
        child = _SHAPING_STYLES[(style, family)] = ParagraphStyle(
            style.name + "+shaped", parent=style, shaping=1, wordWrap=None, fontName=register_family(family))
    return child


_LEADING_STYLES: dict[tuple[ParagraphStyle, float], ParagraphStyle] = {}


def _leading_style(style: ParagraphStyle, needed: float) -> ParagraphStyle:
    """``style``, or a child with its leading raised to ``needed`` (rounded up to a quarter
    point, so paragraphs share a few children) when stacked marks would reach the next line."""
    leading = min(math.ceil(needed * 4) / 4, ink.MAX_LEADING_EM * style.fontSize)
    if style.leading >= leading:
        return style
    child = _LEADING_STYLES.get((style, leading))
    if child is None:
        child = _LEADING_STYLES[(style, leading)] = ParagraphStyle(style.name + f"+lead{leading}", parent=style,
                                                                   leading=leading)
    return child


class _Memo:
    """What ReportLab works out for one (markup, style): the parsed frags, and per wrap
    width the Thai-cut, shaped word list and its lines.  Batches and fitting set the same
    paragraphs at the same widths over and over; parsing and line breaking are most of a
    PDF's cost, and both are pure functions of markup, style and width."""

    __slots__ = ("frags", "lines", "style")

    def __init__(self, style: ParagraphStyle, frags: list):
        self.style, self.frags = style, frags
        self.lines: dict[Any, tuple[list, Any]] = {}


# paragraphs: one study needs a few hundred; accounts add a few each
_MEMO: NamedCache[tuple[str, ParagraphStyle], _Memo] = NamedCache("pdf.paragraphs", 4_000)


def clear_caches() -> None:
    """Forget memoised paragraphs and shaped words (fonts stay registered): what a process
    pays for text it has never set, which the benchmark reports beside the warm figure."""
    _MEMO.clear()
    _SHAPE_CACHE.clear()
    _PREPARED.clear()


# What make_paragraph works out from its arguments before ReportLab sees them (markup with
# per-script fonts, the shaping and leading style, the text as drawn): character by
# character, and the same for every account of a batch.  Keyed by the role's identity,
# kept alive in the value so the id cannot be reused.
_PREPARED: NamedCache[tuple[Any, ...], tuple[FontRole, str, ParagraphStyle, str]] = NamedCache(
    "pdf.paragraph_inputs", 8_000)


def _prepared(runs: Sequence[Run], style: ParagraphStyle, role: FontRole, lang: str,
              bold: bool) -> tuple[str, ParagraphStyle, str]:
    key = (tuple(runs), style, id(role), lang, bold)
    hit = _PREPARED.get(key)
    if hit is not None and hit[0] is role:
        return hit[1], hit[2], hit[3]
    markup = runs_to_markup(runs, role, bold=bold, lang=lang)
    text = "".join(r.text for r in runs)
    script = default_script(text, lang)
    style = _shaping_style(style, role, script)
    if ink.stacked(text):
        style = _leading_style(style, ink.needed_leading(_clean(text), role, style.fontSize, bold, script))
    source = _clean(text)
    _PREPARED[key] = (role, markup, style, source)
    return markup, style, source


def make_paragraph(runs_or_text: Sequence[Run] | str, style: ParagraphStyle, role: FontRole,
                   lang: str = "en", bold: bool = False) -> ScriptParagraph:
    """A shaped :class:`ScriptParagraph` for plain text or runs, fonts chosen per script."""
    markup, style, source = _prepared(_as_runs(runs_or_text), style, role, lang, bold)
    memo = _MEMO.get((markup, style))
    if memo is None:
        para = ScriptParagraph(markup, style)
        memo = _MEMO[(markup, style)] = _Memo(para.style, para.frags)
    else:
        para = ScriptParagraph(markup, memo.style, frags=memo.frags)
    para._memo = memo
    para.source_text = source
    return para


def measure(runs_or_text: Sequence[Run] | str, style: ParagraphStyle, role: FontRole,
            width: float, lang: str = "en") -> float:
    """Height in points of the text set in ``width`` (for fitting decisions)."""
    return make_paragraph(runs_or_text, style, role, lang).wrap(width, 1e9)[1]


@lru_cache(maxsize=512)
def _label_style(font_name: str, font_size: float, color: str, align: str) -> ParagraphStyle:
    return ParagraphStyle(f"label-{font_size}-{align}", fontName=font_name, fontSize=font_size,
                          leading=font_size * 1.2, textColor=toColor(color),
                          alignment=_ALIGN[align], shaping=1)


def draw_label(canvas: Canvas, x: float, y: float, text: str, font_size: float,
               color: Color | str, role: FontRole, align: str = "left", bold: bool = False,
               max_width: float | None = None, lang: str = "en", shrink: bool = True) -> float:
    """Draw a one-line label with its first baseline at ``y``; ``x`` is its left edge,
    centre or right edge per ``align``.  Returns the width used.

    Too long for ``max_width``: the size shrinks to at most 75% (unless ``shrink`` is
    false), then the label wraps onto more lines below ``y`` (never cut: labels carry figures).
    """
    if align not in _ALIGN:
        raise ValueError(f"align must be left, center or right, not {align!r}")
    color_key = color.hexval() if isinstance(color, Color) else str(color)
    font_name = register_family(_base_family(role, default_script(text, lang)))
    size = font_size

    def build(avail: float) -> tuple[ScriptParagraph, float, float]:
        para = make_paragraph(text, _label_style(font_name, size, color_key, align), role, lang, bold)
        _, height = para.wrap(avail, 1e9)
        return para, max(para.getActualLineWidths0(), default=0.0), height

    para, used, height = build(1e6)
    if max_width is not None and used > max_width and shrink:
        size = max(font_size * max_width / used, font_size * _LABEL_MIN_SCALE)
        para, used, height = build(1e6)
    if max_width is not None and used > max_width:
        para, used, height = build(max_width)
    box = used + 0.01  # a hair of slack so re-wrapping at the measured width keeps the lines
    _, height = para.wrap(box, 1e9)
    left = x if align == "left" else x - box / 2 if align == "center" else x - box
    para.drawOn(canvas, left, y - (height - para.blPara.lines[0].fontSize))
    return used
