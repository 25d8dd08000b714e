"""Layout engine: analysed study + layout file → neutral ``Document``, then fitting.

Fitting is format-neutral: a renderer supplies ``measure(doc) -> pages`` and the
engine drops the lowest-priority optional blocks (highest ``priority`` number, last
first) until the document fits, recording every change; required content that cannot
fit is an error, never a silent overflow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from jinja2 import TemplateError

from ..brand.fonts import find_missing
from ..brand.model import Brand
from ..model.account import Account, AccountResult
from ..model.study import Analysis
from ..spec.errors import InputError, Problem
from ..text.scripts import strip_control
from . import tree as t
from .components import COMPONENTS
from .context import LayoutContext
from .layout_file import BlockSpec, LayoutSpec, load_layout
from .templating import render_text


def expand(ctx: LayoutContext, spec: BlockSpec, bid: str) -> list[t.Block]:
    return COMPONENTS[spec.component](ctx, spec, spec.id or bid)


def expand_all(ctx: LayoutContext, specs: list[BlockSpec], prefix: str) -> tuple[t.Block, ...]:
    return tuple(b for j, spec in enumerate(specs) for b in expand(ctx, spec, f"{prefix}-{j}"))


def _layout_problem(layout: LayoutSpec, located, path: tuple, exc: Exception) -> Problem:  # type: ignore[no-untyped-def]
    line, col = located.where(path)
    return Problem(located.file, line, col, ".".join(str(p) for p in path),
                   f"layout template failed: {exc}", expected="a valid Jinja expression using study, vendor, "
                   "figures, labels, zone, stage, account", code="layout-template")


def build_document(analysis: Analysis, layout_name: str, brand: Brand, *, stage: str = "pre_sale",
                   account: Account | None = None, account_result: AccountResult | None = None,
                   vendor_logo: Path | None = None) -> tuple[t.Document, list[str]]:
    """Expand ``layout_name`` for the study; return the document and the fitting notes so far."""
    layout, located = load_layout(layout_name, analysis.loaded.path.parent)
    ctx = LayoutContext(analysis, stage=stage, account=account, account_result=account_result,
                        brand_logo=brand.logo, vendor_logo=vendor_logo, brand_legal=brand.legal)
    pages = []
    for i, page in enumerate(layout.pages):
        blocks: list[t.Block] = []
        for j, spec in enumerate(page.blocks):
            try:
                blocks += expand(ctx, spec, f"p{i}-b{j}")
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
                     footer=brand.footer, author=s.study.publisher, subject=f"{s.vendor.name} ROI study",
                     keywords=("ROI", s.vendor.name, s.vendor.category, stage))
    doc = sanitize(doc)
    check_glyphs(doc, brand, analysis.loaded.path)
    return doc, list(ctx.fitting)


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


def _clean_dc(obj):  # type: ignore[no-untyped-def]
    return replace(obj, **{k: _clean(v) for k, v in vars(obj).items() if isinstance(v, (str, tuple))})


def sanitize(doc: t.Document) -> t.Document:
    """Strip control characters from every text in the tree (data may contain them)."""
    pages = tuple(replace(p, blocks=tuple(_clean_dc(b) for b in p.blocks), title=strip_control(p.title),
                          notes=strip_control(p.notes)) for p in doc.pages)
    return replace(doc, pages=pages, title=strip_control(doc.title))


_COVERED: dict[tuple[str, str], bool] = {}


def check_glyphs(doc: t.Document, brand: Brand, spec_path: Path) -> None:
    """Refuse to draw boxes: every character must be drawable by some configured font."""
    problems = []
    for page in doc.pages:
        for block in t.iter_blocks(page.blocks):
            if isinstance(block, t.Columns):
                continue
            text = t.block_text(block)
            key = (brand.digest, text)
            if key not in _COVERED:  # batches repeat the same texts in every document
                _COVERED[key] = not find_missing(text, brand.body)
                if len(_COVERED) > 50_000:
                    _COVERED.clear()
                    _COVERED[key] = not find_missing(text, brand.body)
            if _COVERED[key]:
                continue
            for miss in find_missing(text, brand.body, block.id):
                problems.append(Problem(str(spec_path), 1, 1, f"block {block.id}",
                                        f"no font in brand kit '{brand.name}' can draw {miss.char!r} ({miss.codepoint})",
                                        found=miss.codepoint, expected="a kit font covering it (add a fallback family)",
                                        code="missing-glyph"))
    if problems:
        raise InputError(problems)


def fit(doc: t.Document, measure: Callable[[t.Document], int],
        finish: Callable[[t.Document], t.Document] = lambda d: d) -> tuple[t.Document, list[str], int]:
    """Drop optional blocks, least important first, until ``measure(doc) <= doc.max_pages``.

    ``finish`` turns each candidate into what is drawn (footnote numbering, which depends
    on what was kept) before it is measured; the document returned is finished.

    The drop order is fixed (highest priority number first; among equals, the later block
    first), so the fewest drops that fit are found by a galloping binary search: a handful
    of measurements instead of one per block, two when one drop is enough.  Returns the fitted document, the changes made
    (one line per dropped block) and its measured page count.
    """
    whole = finish(doc)
    pages = measure(whole)
    if pages <= doc.max_pages:
        return whole, [], pages
    order = _drop_order(doc)
    probes: dict[int, tuple[t.Document, int]] = {}
    last = [0]

    def probe(k: int) -> int:
        if k not in probes:
            d = finish(_without_all(doc, order[:k]))
            probes[k] = (d, measure(d))
            last[0] = k
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
        raise InputError([Problem(doc.kind, 1, 1, "max_pages", f"required content needs {n} pages", found=str(n),
                                  expected=f"at most {doc.max_pages} (shorten the spec's text or raise max_pages)",
                                  code="does-not-fit")])
    if last[0] != lo:  # measure the winner last: renderers may keep that typesetting as the output
        del probes[lo]
        probe(lo)
    fitted, pages = probes[lo]
    changes = [f"dropped block '{b.id}' ({type(b).__name__}, priority {b.priority}) to fit {doc.max_pages} page(s)"
               for b in order[:lo]]
    return fitted, changes, pages


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
            b = replace(b, columns=tuple(_drop(col, victims) for col in b.columns))
        out.append(b)
    return tuple(out)
