"""Layout engine: analysed study + layout file → neutral ``Document``, then fitting.

Fitting is format-neutral: a renderer supplies ``measure(doc) -> pages`` and the
engine drops the lowest-priority optional blocks (highest ``priority`` number, last
first) until the document fits, recording every change; required content that cannot
fit is an error, never a silent overflow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from ..brand.fonts import find_missing
from ..brand.model import Brand
from ..caches import NamedCache
from ..model.account import Account, AccountResult
from ..model.study import Analysis
from ..spec.errors import InputError, Problem
from ..spec.yaml_source import Located, PathKey, dotted
from ..text.scripts import strip_control
from . import chart_axis
from . import tree as t
from .components import expand
from .context import LayoutContext
from .layout_file import LayoutSpec, load_layout
from .templating import render_text


def _layout_problem(layout: LayoutSpec, located: Located, path: tuple[str | int, ...], exc: Exception) -> Problem:
    line, col = located.where(path)
    return Problem(located.file, line, col, dotted(path),
                   f"layout template failed: {exc}", expected="a valid Jinja expression using study, vendor, "
                   "figures, labels, zone, stage, account", code="layout-template")


def build_document(analysis: Analysis, layout_name: str, brand: Brand, *, stage: str = "pre_sale",
                   account: Account | None = None, account_result: AccountResult | None = None,
                   vendor_logo: Path | None = None) -> tuple[t.Document, list[str]]:
    """Expand ``layout_name`` for the study; return the document and the fitting notes so far."""
    layout, located = load_layout(layout_name, analysis.loaded.path.parent)
    ctx = LayoutContext(analysis, stage=stage, account=account, account_result=account_result,
                        brand_logo=brand.logo, vendor_logo=vendor_logo,
                        brand_legal=brand.legal_for(analysis.spec.study.language))
    pages = []
    for i, page in enumerate(layout.pages):
        blocks: list[t.Block] = []
        for j, spec in enumerate(page.blocks):
            made = _layout_origin(located, ("pages", i, "blocks", j))
            try:
                blocks += [_with_origin(b, made) for b in expand(ctx, spec, f"p{i}-b{j}")]
            except TemplateError as exc:
                raise InputError([_layout_problem(layout, located, ("pages", i, "blocks", j), exc)]) from None
        try:
            title = render_text(page.title, ctx.template_context())
            notes = render_text(page.notes, ctx.template_context())
        except TemplateError as exc:
            raise InputError([_layout_problem(layout, located, ("pages", i, "title"), exc)]) from None
        blocks, empty = _without_empty_sections(blocks)
        for h in empty:
            ctx.note_empty_section(h.text)
        if blocks:
            pages.append(t.Page(blocks=tuple(blocks), title=title, layout_name=page.slide_layout, notes=notes))
    s = analysis.spec
    try:
        title = render_text(layout.title, ctx.template_context())
    except TemplateError as exc:
        raise InputError([_layout_problem(layout, located, ("title",), exc)]) from None
    doc = t.Document(kind=layout.name, title=title, language=s.study.language, pages=tuple(pages),
                     page_size=layout.page_size, margins_pt=tuple(layout.margins),  # type: ignore[arg-type]
                     max_pages=layout.max_pages, watermark=ctx.t("draft") if analysis.draft else "",
                     footer=brand.footer_for(s.study.language), author=s.study.publisher,
                     authors=tuple(s.study.analysts), date=s.study.published.isoformat(), subject=f"{s.vendor.name} ROI study",
                     keywords=("ROI", s.vendor.name, s.vendor.category, stage))
    doc = chart_axis.on_every_chart(sanitize(doc), ctx.figures.money_axis)
    check_glyphs(doc, brand, analysis.loaded.located)
    return doc, list(ctx.fitting)


def _layout_origin(located: Located, path: PathKey) -> t.Origin:
    line, column = located.where(path)
    return t.Origin(located.file, line, column, dotted(path))


def _with_origin(block: t.Block, origin: t.Origin) -> t.Block:
    """``block`` (and the blocks inside its columns) with ``origin`` where none was set."""
    if isinstance(block, t.Columns):
        block = replace(block, columns=tuple(tuple(_with_origin(b, origin) for b in col) for col in block.columns))
    return block if block.origin is not None else replace(block, origin=origin)


def _without_empty_sections(blocks: list[t.Block]) -> tuple[list[t.Block], list[t.Heading]]:
    """Drop section headings (level 1-3) with nothing under them: a component that found
    nothing to show (every use case adopted, no shared outcomes) leaves no bare heading, and a
    slide left with no content is not made at all."""
    kept: list[t.Block] = []
    dropped: list[t.Heading] = []
    for b in reversed(blocks):
        if isinstance(b, t.Heading) and b.level >= 1:
            after = kept[-1] if kept else None
            if after is None or (isinstance(after, t.Heading) and after.level <= b.level):
                dropped.append(b)
                continue
        kept.append(b)
    return kept[::-1], dropped[::-1]


def _clean(value: object) -> object:
    if isinstance(value, str):
        return strip_control(value)
    if isinstance(value, tuple):
        return tuple(_clean(v) for v in value)
    if isinstance(value, (t.Run, t.StatTile, t.Card, t.Series)) or isinstance(value, t.BlockBase):
        return _clean_dc(value)
    return value


def _clean_dc(obj: Any) -> Any:
    """The same dataclass with its text fields cleaned (any of the tree's dataclasses)."""
    return replace(obj, **{k: _clean(v) for k, v in vars(obj).items() if isinstance(v, (str, tuple))})


def sanitize(doc: t.Document) -> t.Document:
    """Strip control characters from every text in the tree (data may contain them)."""
    pages = tuple(replace(p, blocks=tuple(_clean_dc(b) for b in p.blocks), title=strip_control(p.title),
                          notes=strip_control(p.notes)) for p in doc.pages)
    return replace(doc, pages=pages, title=strip_control(doc.title))


_COVERED: NamedCache[tuple[str, str], bool] = NamedCache("layout.glyph_coverage", 50_001)


def check_glyphs(doc: t.Document, brand: Brand, located: Located) -> None:
    """Refuse to draw boxes: every character must be drawable by some configured font.

    Each missing character is reported where it was written: the spec field holding it,
    else the block's origin (a layout's own text), else the spec's first line.
    """
    problems = []
    for page in doc.pages:
        for block in t.iter_blocks(page.blocks):
            if isinstance(block, t.Columns):
                continue
            text = t.block_text(block)
            key = (brand.digest, text)
            if key not in _COVERED:  # batches repeat the same texts in every document
                _COVERED[key] = not find_missing(text, brand.body)
            if _COVERED[key]:
                continue
            for miss in find_missing(text, brand.body, block.id):
                file, line, col, field = _where_written(located, miss.char, block)
                problems.append(Problem(file, line, col, field,
                                        f"no font in brand kit '{brand.name}' can draw {miss.char!r} ({miss.codepoint})"
                                        f" (block {block.id})",
                                        found=miss.codepoint, expected="a kit font covering it (add a fallback family)",
                                        code="missing-glyph"))
    if problems:
        raise InputError(list(dict.fromkeys(problems)))


def _where_written(located: Located, char: str, block: t.Block) -> tuple[str, int, int, str]:
    """The spec field containing ``char`` (preferring the block's own field), else the block's origin."""
    own = block.origin.field if block.origin and block.origin.file == located.file else None
    found = [path for path, value in _strings(located.data, ()) if char in value]
    if found:
        path = next((p for p in found if own and dotted(p).startswith(own)), found[0])
        line, col = located.where(path)
        return located.file, line, col, dotted(path)
    if block.origin is not None:
        o = block.origin
        return o.file, o.line, o.column, o.field
    return located.file, 1, 1, f"block {block.id}"


def _strings(node: object, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, (*path, i))


NEARLY_EMPTY = 0.25  # a last page filled less than this is pulled back when low-importance blocks allow
BALANCE_PRIORITY = 4  # only blocks this optional (methodology, notes, extras) are given up to balance


def balance(doc: t.Document, pages: int, last_fill: float | None, measure: Callable[[t.Document], int],
            finish: Callable[[t.Document], t.Document] = lambda d: d) -> tuple[t.Document, list[str], int] | None:
    """``doc`` (unfitted) on one page fewer when its fitted typesetting took ``pages`` pages
    and left the last one nearly empty (``last_fill`` under :data:`NEARLY_EMPTY`): the fewest
    of its least important blocks (priority :data:`BALANCE_PRIORITY` and up) are given up, each
    reported.  None when that cannot pull the last page back (the document stays as it is)."""
    if pages < 2 or last_fill is None or last_fill >= NEARLY_EMPTY:
        return None
    try:
        fitted, changes, n = fit(replace(doc, max_pages=pages - 1), measure, finish, min_priority=BALANCE_PRIORITY)
    except InputError:
        return None
    if n >= pages:
        return None
    return (replace(fitted, max_pages=doc.max_pages),
            [c.replace(f"to fit {pages - 1} page(s)", f"to balance the last page ({last_fill:.0%} full)") for c in changes],
            n)


def fit(doc: t.Document, measure: Callable[[t.Document], int],
        finish: Callable[[t.Document], t.Document] = lambda d: d,
        min_priority: int = 1) -> tuple[t.Document, list[str], int]:
    """Drop optional blocks, least important first, until ``measure(doc) <= doc.max_pages``.

    ``finish`` turns each candidate into what is drawn (footnote numbering, which depends
    on what was kept) before it is measured; the document returned is finished.

    The drop order is fixed (highest priority number first; among equals, the later block
    first), so the fewest drops that fit are found by a galloping binary search: a handful
    of measurements instead of one per block, two when one drop is enough; then each dropped
    block is tried back once.  Returns the fitted document, the changes made
    (one line per dropped block) and its measured page count.
    """
    whole = finish(doc)
    pages = measure(whole)
    if pages <= doc.max_pages:
        return whole, [], pages
    order = [b for b in _drop_order(doc) if b.priority >= min_priority]
    probes: dict[int, tuple[t.Document, int]] = {0: (whole, pages)}  # blocks dropped -> (tree, pages)

    def probe(k: int) -> int:
        if k not in probes:
            d = finish(_without_all(doc, order[:k]))
            probes[k] = (d, measure(d))
        return probes[k][1]

    # Galloping search: overflows are usually small, so try 1, 2, 4 ... drops first, then
    # bisect the last gap.  The answer, if any, lies in [lo, hi].
    lo, hi, step = 1, len(order), 1
    while step < len(order) and probe(step) > doc.max_pages:
        lo, step = step + 1, step * 2
    hi = min(step, len(order))
    while lo < hi:
        mid = (lo + hi) // 2
        if probe(mid) <= doc.max_pages:
            hi = mid
        else:
            lo = mid + 1
    if not order or probe(lo) > doc.max_pages:
        n = probes[lo][1] if order else pages
        raise InputError([_does_not_fit(doc, n)])
    # The drop order is by priority, not size: a large block given up early can free more
    # room than the overflow needed.  Give back, most important first, every dropped block
    # that still fits, so nothing is dropped while its room is free.
    victims = list(order[:lo])
    fitted, pages = probes[lo]
    measured_last = False
    for b in reversed(order[:lo]):
        trial = [v for v in victims if v is not b]
        if len(trial) in probes and all(a is o for a, o in zip(trial, order)):
            continue  # that prefix was measured: it does not fit
        d = finish(_without_all(doc, trial))
        n = measure(d)
        measured_last = n <= doc.max_pages
        if measured_last:
            victims, fitted, pages = trial, d, n
    if not measured_last:  # measure the winner last: renderers may keep that typesetting as the output
        pages = measure(fitted)
    changes = [f"dropped block '{b.id}' ({type(b).__name__}, priority {b.priority}) to fit {doc.max_pages} page(s)"
               for b in order[:lo] if any(b is v for v in victims)]
    return fitted, changes, pages


def _does_not_fit(doc: t.Document, pages: int) -> Problem:
    """Located at the longest required block's origin: the text most worth shortening."""
    required = [b for page in doc.pages for b in t.iter_blocks(page.blocks)
                if not b.optional and not isinstance(b, t.Columns) and b.origin is not None]
    expected = f"at most {doc.max_pages} (shorten the spec's text or raise max_pages)"
    if not required:
        return Problem(doc.kind, 1, 1, "max_pages", f"required content needs {pages} pages", found=str(pages),
                       expected=expected, code="does-not-fit")
    longest = max(required, key=lambda b: len(t.block_text(b)))
    o = longest.origin
    assert o is not None
    return Problem(o.file, o.line, o.column, o.field,
                   f"required content of layout '{doc.kind}' needs {pages} pages; the longest required text "
                   f"({len(t.block_text(longest)):,} characters, block {longest.id}) comes from here",
                   found=str(pages), expected=expected, code="does-not-fit")


def _drop_order(doc: t.Document) -> list[t.Block]:
    """Optional blocks in the order they are given up: highest priority number, then latest."""
    found = [(b.priority, i, b) for i, b in enumerate(
        b for page in doc.pages for b in t.iter_blocks(page.blocks) if b.priority > 0)]
    return [b for _, _, b in sorted(found, key=lambda x: (-x[0], -x[1]))]


def _without_all(doc: t.Document, victims: list[t.Block]) -> t.Document:
    ids = {id(v) for v in victims}
    pages = tuple(replace(p, blocks=_drop(p.blocks, ids)) for p in doc.pages)
    return replace(doc, pages=tuple(p for p in pages if p.blocks))


def _drop(blocks: tuple[t.Block, ...], victims: set[int]) -> tuple[t.Block, ...]:
    """``blocks`` without the victims; an optional heading goes with the block it introduces."""
    out = []
    for i, b in enumerate(blocks):
        if id(b) in victims:
            continue
        if isinstance(b, t.Heading) and b.optional and i + 1 < len(blocks) and id(blocks[i + 1]) in victims:
            continue
        if isinstance(b, t.Columns):
            # a column given up entirely goes with its weight, so the others widen into its room
            # (a title beside an optional logo takes the full measure without it)
            kept = [(c, w) for c, w in ((_drop(col, victims), b.weights[j] if j < len(b.weights) else 1.0)
                                        for j, col in enumerate(b.columns)) if c]
            if not kept:  # every column given up: no empty row of cells is left behind
                continue
            b = replace(b, columns=tuple(c for c, _ in kept), weights=tuple(w for _, w in kept))
        out.append(b)
    return tuple(out)
