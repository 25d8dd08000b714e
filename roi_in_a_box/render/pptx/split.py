"""Splitting one block that is taller than a whole slide's content area.

A company layout's content area can be small (LibreOffice's Midnightblue gives 128 pt of
height): a quote card or a table that needs more than that even at the kit's minimum text
size is cut in two here, the head for this slide and the rest for a continuation slide,
instead of being squeezed below the minimum.  Text is cut where a line may break (after a
space, between Thai words), tables between rows (the rest keeps the header), tiles, cards
and footnotes between items.  The text is never changed: the head and the rest together
hold exactly the block's code points.

``split_block`` gets a ``fits`` predicate from the planner (the block's row at the minimum
text size fits the room left) and returns the largest head that fits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
import re
from dataclasses import replace
from functools import partial

from roi_in_a_box.layout.tree import Block, Callout, Card, Cards, Footnotes, Paragraph, Quote, Run, StatTiles, Table
from roi_in_a_box.render.pptx.measure import break_positions

Parts = tuple[Block, Block]
Cut = Callable[[], Parts]  # one way to cut a block, made when tried


def split_block(b: Block, fits: Callable[[Block], bool], sentence_end: str = r"(?<=[.!?])\s+"
                ) -> Parts | None:
    """The largest head of ``b`` that ``fits`` and the rest, or ``None`` when even the
    smallest head does not fit or ``b`` cannot be cut.  Text is cut at the end of a sentence
    (``sentence_end``: the language's regex for the space after one) when one fits, else
    at the last line break that fits."""
    for group in _candidates(b, sentence_end):  # groups best first; within a group, heads grow
        got = _largest(group, fits)
        if got is not None:
            return got
    return None


def _largest(cands: Sequence[Cut], fits: Callable[[Block], bool]) -> Parts | None:
    """Binary search for the last candidate whose head fits (heads grow along ``cands``)."""
    lo, hi, best = 0, len(cands) - 1, None
    while lo <= hi:
        mid = (lo + hi) // 2
        parts = cands[mid]()
        if fits(parts[0]):
            best, lo = parts, mid + 1
        else:
            hi = mid - 1
    return best


def _cuts(text: str, sentence_end: str = "") -> list[int]:
    """Offsets where ``text`` may be cut between lines (never at its ends); with
    ``sentence_end``, only those after a sentence."""
    if sentence_end:
        return [m.end() for m in re.finditer(sentence_end, text) if 0 < m.end() < len(text)]
    return [c for c in break_positions(text) if 0 < c < len(text)]


def _cut_runs(runs: tuple[Run, ...], at: int) -> tuple[tuple[Run, ...], tuple[Run, ...]]:
    head: list[Run] = []
    tail: list[Run] = []
    pos = 0
    for r in runs:
        end = pos + len(r.text)
        if end <= at:
            head.append(r)
        elif pos >= at:
            tail.append(r)
        else:
            head.append(replace(r, text=r.text[:at - pos]))
            tail.append(replace(r, text=r.text[at - pos:]))
        pos = end
    return tuple(head), tuple(tail)


def _rest_id(b: Block) -> str:
    return b.id if b.id.endswith("+") else f"{b.id}+"  # the parts after the first: "id+"


def _at(cut: Callable[[int], Parts], points: Sequence[int]) -> list[Cut]:
    return [partial(cut, n) for n in points]


def _candidates(b: Block, sentence_end: str) -> list[list[Cut]]:
    ends = (sentence_end, "")  # sentence ends first, then any line break
    if isinstance(b, Paragraph):
        p = b

        def para(c: int) -> Parts:
            head, rest = _cut_runs(p.runs, c)
            return replace(p, runs=head), replace(p, id=_rest_id(p), runs=rest)

        return [_at(para, _cuts(p.text, e)) for e in ends]
    if isinstance(b, Quote):
        q = b

        def quote(c: int) -> Parts:
            # the head keeps what the quote proves (title, claim, pills); the rest ends with who said it
            return (replace(q, text=q.text[:c], attribution="", detail=""),
                    replace(q, id=_rest_id(q), text=q.text[c:], heading="", claim="", badge="", label="",
                            roi_type=None))

        return [_at(quote, _cuts(q.text, e)) for e in ends]
    if isinstance(b, Callout):
        k = b

        def callout(c: int) -> Parts:
            return replace(k, text=k.text[:c], link=None, link_text=""), replace(k, id=_rest_id(k), text=k.text[c:])

        return [_at(callout, _cuts(k.text, e)) for e in ends]
    if isinstance(b, Table):
        t = b

        def table(n: int) -> Parts:
            return (replace(t, rows=t.rows[:n], caption="", emphasis_rows=tuple(i for i in t.emphasis_rows if i < n)),
                    replace(t, id=_rest_id(t), rows=t.rows[n:],
                            emphasis_rows=tuple(i - n for i in t.emphasis_rows if i >= n)))

        return [_at(table, range(1, len(t.rows)))]
    if isinstance(b, Footnotes):
        f = b

        def notes(n: int) -> Parts:
            return (replace(f, items=f.items[:n], keys=f.keys[:n]),
                    replace(f, id=_rest_id(f), items=f.items[n:], keys=f.keys[n:]))

        return [_at(notes, range(1, len(f.items)))]
    if isinstance(b, StatTiles):
        s = b

        def tiles(n: int) -> Parts:
            return replace(s, tiles=s.tiles[:n]), replace(s, id=_rest_id(s), tiles=s.tiles[n:])

        return [_at(tiles, range(1, len(s.tiles)))]
    if isinstance(b, Cards) and b.cards:
        d = b
        first = d.cards[0]

        def cards(n: int) -> Parts:
            return replace(d, cards=d.cards[:n]), replace(d, id=_rest_id(d), cards=d.cards[n:])

        def card_text(c: int) -> Parts:  # one card alone too tall: its text over two slides
            head: Card = replace(first, text=first.text[:c])
            rest: Card = replace(first, text=first.text[c:], badge="", roi_type=None)
            return replace(d, cards=(head,)), replace(d, id=_rest_id(d), cards=(rest, *d.cards[1:]))

        return [_at(cards, range(1, len(d.cards))), *(_at(card_text, _cuts(first.text, e)) for e in ends)]
    return []
