"""Text cleaning at the input boundary, and escaping for the terminal.

Every text value read from a user's file (spec, layouts, kit, accounts, review exports)
passes through :func:`clean_text` once, as it is read, so the checker, the layout and
all three renderers see the same code points.  Removed: C0/C1 control characters other
than tab and newline, code points XML 1.0 cannot carry (lone surrogates, U+FFFE/U+FFFF),
and the bidi embedding/override/isolate controls that can make text display in another
order than it is stored (the "Trojan Source" characters).  Everything else, including
zero-width joiners that Bengali and Thai need, is kept exactly.
"""

from __future__ import annotations

import re

# C0 except \t \n; DEL and C1; lone surrogates; non-characters XML refuses; bidi controls.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
_CR = re.compile("\r\n?")
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` with line ends made ``\\n`` and unsafe code points removed."""
    if "\r" not in text and not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub("", _CR.sub("\n", text))


def unsafe_chars(text: str) -> list[str]:
    """The distinct unsafe code points in ``text`` as ``U+XXXX`` (for warnings)."""
    return sorted({f"U+{ord(c):04X}" for c in _UNSAFE.findall(text)})


def for_terminal(text: str) -> str:
    """``text`` safe to print: control and bidi characters shown as ``\\xNN``/``\\uNNNN``."""
    if not _TERMINAL.search(text):
        return text
    return _TERMINAL.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text)
