"""Choosing and cutting verified quotes without ever editing them.

A layout may only pick among quotes, or cut one at a sentence boundary and show the
cut with an ellipsis.  Sentence ends: Latin ``. ! ?``, the Bengali danda ``।``, and
in Thai (which has no full stop) the space that separates sentences.
"""

from __future__ import annotations

from ..spec.rules import quote_is_usable, quote_label
from ..spec.schema import Quote, StudySpec
from ..text.languages import SENTENCE_END

ELLIPSIS = "…"
_SENTENCE_END = SENTENCE_END  # every language's rule (text/languages.py)


def sentences(text: str) -> list[str]:
    """Split verbatim text into sentences, keeping each sentence's own characters."""
    parts = [p for p in _SENTENCE_END.split(text.strip()) if p]
    return parts or [text]


def cut_quote(text: str, max_chars: int) -> tuple[str, bool]:
    """The longest run of whole leading sentences within ``max_chars`` (at least one).

    Returns the text and whether it was cut; a cut ends with an ellipsis.
    """
    if max_chars <= 0 or len(text) <= max_chars:
        return text, False
    parts = sentences(text)
    kept = parts[0]
    joiner = " "
    for part in parts[1:]:
        if len(kept) + len(joiner) + len(part) + 1 > max_chars:
            break
        kept = kept + joiner + part
    if kept == text.strip():
        return text, False
    return kept + " " + ELLIPSIS, True


def rank_quotes(spec: StudySpec, candidates: list[Quote], segment: str | None = None,
                industry: str | None = None) -> list[Quote]:
    """Usable quotes, best first: matching segment/industry, verified, stars, recency."""
    def key(q: Quote) -> tuple[int, int, int, float, int]:
        return (0 if industry and q.reviewer.industry.casefold() == industry.casefold() else 1,
                0 if segment and q.reviewer.segment == segment else 1,
                1 if quote_label(q) else 0, -float(q.stars), -q.review_date.toordinal())
    return sorted((q for q in candidates if quote_is_usable(q, spec)), key=key)
