"""Footnote numbering: every note printed is cited, every citation resolves.

Components cite notes by key (``Block.notes``, ``StatTile.note``) and the methodology
block holds the keyed notes.  After fitting has decided what stays, ``number_notes``
numbers the notes in the order they are first cited, drops notes nothing cites any more,
writes the superscript markers into the citing text (tile definitions, captions,
paragraphs) and clears the keys, so it is applied exactly once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from . import tree as t

_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def marker(n: int) -> str:
    return str(n).translate(_SUP)


def _cited(block: t.Block) -> list[str]:
    keys = list(block.notes)
    if isinstance(block, t.StatTiles):
        keys += [tile.note for tile in block.tiles if tile.note]
    return keys


def number_notes(doc: t.Document) -> t.Document:
    """``doc`` with its note citations resolved to numbered superscript markers."""
    notes = {k: item for b in _all(doc) if isinstance(b, t.Footnotes) for k, item in zip(b.keys, b.items) if k}
    order: dict[str, int] = {}
    for b in _all(doc):
        for k in _cited(b):
            if k in notes and k not in order:
                order[k] = len(order) + 1
    pages = tuple(replace(p, blocks=tuple(_mark(b, order) for b in p.blocks)) for p in doc.pages)
    return replace(doc, pages=pages)


def _all(doc: t.Document) -> Iterator[t.Block]:
    for p in doc.pages:
        yield from t.iter_blocks(p.blocks)


def _marks(keys: Iterable[str], order: dict[str, int]) -> str:
    nums = sorted({order[k] for k in keys if k in order})
    return "\u2009" + ",".join(marker(n) for n in nums) if nums else ""


def _mark(b: t.Block, order: dict[str, int]) -> t.Block:
    m = _marks(b.notes, order)
    if isinstance(b, t.Columns):
        return replace(b, columns=tuple(tuple(_mark(x, order) for x in col) for col in b.columns))
    if isinstance(b, t.Footnotes):
        if not b.keys:
            return b
        keyed = sorted((order[k], item) for k, item in zip(b.keys, b.items) if k in order)
        return replace(b, items=tuple(item for _, item in keyed), keys=())  # item i is note i
    if isinstance(b, t.StatTiles):
        tiles = tuple(replace(tile, note="", definition=(tile.definition + _marks((tile.note,), order)).strip())
                      if tile.note else tile for tile in b.tiles)
        return replace(b, tiles=tiles, notes=())
    if not m:
        return replace(b, notes=()) if b.notes else b
    if isinstance(b, t.Chart) and not b.caption:
        return replace(b, title=(b.title + m).strip(), notes=())
    if isinstance(b, t.Table) and not b.caption and b.header:  # no caption: the marker goes on the last heading
        return replace(b, header=(*b.header[:-1], b.header[-1] + m), notes=())
    if isinstance(b, (t.Table, t.Chart, t.FrameworkGraphic)):
        return replace(b, caption=(b.caption + m).strip(), notes=())
    if isinstance(b, t.Paragraph):
        return replace(b, runs=(*b.runs, t.Run(m)), notes=())
    if isinstance(b, t.Callout):
        return replace(b, text=b.text + m, notes=())
    return replace(b, notes=())
