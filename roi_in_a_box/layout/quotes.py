"""Choosing and cutting verified quotes without ever editing them.

A layout may only pick among quotes, or cut one at a sentence boundary and show the
cut with an ellipsis.  Sentence ends: Latin ``. ! ?``, the Bengali danda ``।``, and
in Thai (which has no full stop) the space that separates sentences.
"""

from __future__ import annotations

import re

from ..spec.rules import quote_is_usable, quote_label
from ..spec.schema import Quote, StudySpec
from ..text.languages import SENTENCE_END

ELLIPSIS = "…"
_SENTENCE_END = SENTENCE_END  # every language's rule (text/languages.py)


def sentences(text: str) -> list[str]:
    """Split verbatim text into sentences, keeping each sentence's own characters."""
    parts = [p for p in _SENTENCE_END.split(text.strip()) if p]
    return parts or [text]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in ``text``: slicing gives its exact characters, and the
    characters between two adjacent spans are the original separator."""
    spans, pos = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text.rstrip()):
        spans.append((pos, len(text.rstrip())))
    return spans or [(0, len(text))]


_FIGURE = re.compile(r"\d[\d,.\u09E6-\u09EF\u0E50-\u0E59]*|[\u09E6-\u09EF\u0E50-\u0E59][\d,.\u09E6-\u09EF\u0E50-\u0E59]*")
_WORD = re.compile(r"\w{4,}")


def _digits(s: str) -> str:
    """Figures compared by their digits only: "$210,000" and "$210k" share "210"."""
    return "".join(str(int(ch)) if ch.isdigit() else "" for ch in s).rstrip("0") or "0"


def claim_score(sentence: str, claim: str) -> float:
    """How much of the claim a sentence carries: shared figures weigh most, then shared terms."""
    figs = {_digits(x) for x in _FIGURE.findall(claim)}
    own = {_digits(x) for x in _FIGURE.findall(sentence)}
    score = 3.0 * len(figs & own) + (0.5 if own else 0.0)
    terms = {w.casefold() for w in _WORD.findall(claim)}
    words = {w.casefold() for w in _WORD.findall(sentence)}
    stems = {w[:5] for w in terms}
    return score + sum(1.0 for w in words if w in terms or w[:5] in stems)


def cut_quote_for(text: str, max_chars: int, claim: str) -> tuple[str, bool]:
    """Cut a quote for the claim it proves: keep the sentences that carry the claim's figures
    and terms (best first, while they fit), in their original order; every gap left by the
    cut shows as an ellipsis.  At least one sentence is kept; a sentence is never shortened."""
    if max_chars <= 0 or len(text) <= max_chars:
        return text, False
    spans = sentence_spans(text)
    ranked = sorted(range(len(spans)), key=lambda i: (-claim_score(text[slice(*spans[i])], claim), i))
    chosen: list[int] = []
    for i in ranked:
        trial = sorted([*chosen, i])
        if not chosen or len(_join(text, spans, trial)) <= max_chars:
            chosen = trial
    out = _join(text, spans, chosen)
    return out, out != text


def _join(text: str, spans: list[tuple[int, int]], keep: list[int]) -> str:
    """The kept sentences with their original separators; an ellipsis wherever one is missing."""
    parts: list[str] = []
    if keep and keep[0] > 0:
        parts.append(ELLIPSIS + " ")
    for n, i in enumerate(keep):
        if n and keep[n - 1] == i - 1:
            parts.append(text[spans[i - 1][1]:spans[i][0]])
        elif n:
            parts.append(" " + ELLIPSIS + " ")
        parts.append(text[slice(*spans[i])])
    if keep and keep[-1] < len(spans) - 1:
        parts.append(" " + ELLIPSIS)
    return "".join(parts)


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
