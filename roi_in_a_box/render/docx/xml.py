"""Small XML-string helpers shared by the DOCX modules (the body is written as strings, then
parsed once: much faster than building python-docx objects run by run)."""

from __future__ import annotations

import re

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)

# Characters XML 1.0 cannot carry at all (after strip_control has removed C0/C1 controls).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def esc(text: str) -> str:
    """Escape text for element content and double-quoted attributes; drop XML-illegal characters."""
    return _XML_ILLEGAL.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def hexcolor(value: str) -> str:
    """``#1F3A5F`` -> ``1F3A5F``."""
    return value.lstrip("#").upper()


def tint(value: str, amount: float) -> str:
    """Mix a ``#RRGGBB`` colour with white: ``amount`` 0 = colour, 1 = white."""
    h = value.lstrip("#")
    rgb = [int(h[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(c + (255 - c) * amount):02X}" for c in rgb)


def half_points(pt: float) -> int:
    return int(round(pt * 2))


def twips(pt: float) -> int:
    return int(round(pt * 20))
