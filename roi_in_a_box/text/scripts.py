"""Which writing system each character belongs to, so each piece of text gets a font that can draw it.

No single font covers Latin, Bengali and Thai well (the Bengali and Thai brand fonts draw
their own script best, the Latin font has no Bengali or Thai at all), so every text run
is cut into script runs before fonts are chosen.  Called for every run: pure Python,
ASCII short-cut first.
"""

from __future__ import annotations

import re
import unicodedata

LATIN, BENGALI, THAI, COMMON, OTHER = "latin", "bengali", "thai", "common", "other"

# Latin letter blocks beyond ASCII: Latin-1 letters, Extended-A/B, IPA, Extended Additional,
# Extended-C/D/E, and the ff/fi/fl presentation ligatures.
_LATIN_RANGES = (
    (0x00C0, 0x024F), (0x0250, 0x02AF), (0x1E00, 0x1EFF), (0x2C60, 0x2C7F),
    (0xA720, 0xA7FF), (0xAB30, 0xAB6F), (0xFB00, 0xFB06),
)

# C0 and C1 controls and DEL, except tab and newline which carry layout meaning.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def script_of(ch: str) -> str:
    """``latin``, ``bengali``, ``thai``, ``common`` (digits, punctuation, spaces, symbols,
    combining marks) or ``other`` (letters of any other script).

    ``common`` characters have no font preference of their own: they go with their
    neighbours.  U+0964/U+0965 (danda) and U+0E3F (baht) are ``common`` in Unicode's Script
    property but are classed by their block here, so they stay with the script that uses them.
    """
    cp = ord(ch)
    if cp < 0x80:
        return LATIN if ("a" <= ch <= "z" or "A" <= ch <= "Z") else COMMON
    if 0x0980 <= cp <= 0x09FF or cp in (0x0964, 0x0965):
        return BENGALI
    if 0x0E00 <= cp <= 0x0E7F:
        return THAI
    cat = unicodedata.category(ch)
    if cat[0] != "L":
        return COMMON
    if cp in (0xAA, 0xBA) or any(lo <= cp <= hi for lo, hi in _LATIN_RANGES):
        return LATIN
    return OTHER


def split_by_script(text: str) -> list[tuple[str, str]]:
    """Cut ``text`` into ``(script, piece)`` runs that one font can draw.

    Common characters join a neighbouring run: between two runs of different scripts they
    stay with the preceding run up to and including the last whitespace, and the rest opens
    the next run ("ROI-এর" -> "ROI-" + "এর"; "ROI “আমাদের" -> "ROI " + "“আমাদের").  Leading
    common characters join the first script run.  Text with no letters at all is a single
    ``common`` run (the caller picks the document language's font for it).
    """
    runs: list[tuple[str, str]] = []
    cur_script = COMMON
    start = 0  # start of the current run
    pending = -1  # start of trailing common characters not yet assigned, or -1
    for i, ch in enumerate(text):
        s = script_of(ch)
        if s == COMMON:
            if pending < 0:
                pending = i
            continue
        if s != cur_script:
            if cur_script == COMMON:
                cur_script = s  # leading commons join the first script run
            else:
                cut = i if pending < 0 else _cut_point(text, pending, i)
                runs.append((cur_script, text[start:cut]))
                start, cur_script = cut, s
        pending = -1
    if start < len(text):
        runs.append((cur_script, text[start:]))
    return runs


def _cut_point(text: str, lo: int, hi: int) -> int:
    """Index just after the last whitespace in ``text[lo:hi]``, or ``hi`` if there is none."""
    for j in range(hi - 1, lo - 1, -1):
        if text[j].isspace():
            return j + 1
    return hi


def strip_control(text: str) -> str:
    """Remove C0/C1 control characters (except ``\\n`` and ``\\t``).

    They have no glyph in any font, would be reported as missing, and some break PDF text
    extraction or XML-based formats (DOCX/PPTX reject most of them outright).
    """
    return _CONTROL.sub("", text)
