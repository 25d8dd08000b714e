"""Thai word boundaries: where a line may break inside Thai text (which has no spaces).

Shared by the PDF and PPTX renderers (DOCX viewers segment Thai themselves).  PyThaiNLP's
dictionary segmenter (newmm) is imported on first use because loading it takes ~0.5 s.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..caches import lru as registered_cache

# Characters a line may not start with (repetition and abbreviation marks, following vowels,
# combining marks) or end with (leading vowels): guards against tokenizer slips.
_NO_BREAK_BEFORE = frozenset("ๆฯะาำๅ" "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a"
                             "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
_NO_BREAK_AFTER = frozenset("เแโใไ")
THAI_RUN = re.compile("[\u0e00-\u0e7f]{2,}")


@registered_cache("text.thai_word_ends")
@lru_cache(maxsize=16384)
def thai_word_ends(run: str) -> tuple[int, ...]:
    """Offsets inside a run of Thai letters where a word ends."""
    from pythainlp.tokenize import word_tokenize

    ends: list[int] = []
    pos = 0
    for token in word_tokenize(run, engine="newmm", keep_whitespace=True):
        pos += len(token)
        if 0 < pos < len(run) and run[pos] not in _NO_BREAK_BEFORE and run[pos - 1] not in _NO_BREAK_AFTER:
            ends.append(pos)
    return tuple(ends)


def thai_breaks(text: str) -> list[int]:
    """Offsets in ``text`` between two Thai words, where a line may break with no gap."""
    return [m.start() + e for m in THAI_RUN.finditer(text) for e in thai_word_ends(m.group())]
