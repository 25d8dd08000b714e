"""Documents made of whole paragraphs of the Bengali and Thai seed articles
(/work/shared/seeds, or $ROI_SEEDS): long real text for the font, text-layer and line tests.

Paragraphs are used as they are in the article (no normalisation): the longest become body
paragraphs and quotes, short ones headings and tile labels.
"""

from __future__ import annotations

import os
from pathlib import Path

from roi_in_a_box.layout.tree import Document, Heading, Page, Paragraph, Quote, Run, StatTile, StatTiles

SEEDS = Path(os.environ.get("ROI_SEEDS", "/work/shared/seeds"))
FILES = {"bn": "000_84f62669aa76e972.txt", "th": "001_dccf3969ce1ec290.txt"}


def available() -> bool:
    return all((SEEDS / f).exists() for f in FILES.values())


def paragraphs(lang: str) -> list[str]:
    """The article's non-empty lines (its paragraphs), as stored."""
    text = (SEEDS / FILES[lang]).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def seed_document(lang: str, n_long: int = 4) -> Document:
    """Two pages: a short paragraph as title, the ``n_long`` longest paragraphs as body text
    and quotes, short ones as headings and stat-tile labels."""
    paras = paragraphs(lang)
    long = sorted(paras, key=len, reverse=True)[:n_long]
    short = [p for p in paras if 12 <= len(p) <= 60][:6]
    tiles = StatTiles(id="tiles", tiles=tuple(StatTile(f"{120 + i}%", s) for i, s in enumerate(short[2:5])))
    page1 = Page(title=short[0], blocks=(
        Heading(id="title", text=short[0], level=0),
        Paragraph(id="p1", runs=(Run(long[0]),)),
        tiles,
        Quote(id="q1", text=long[1], attribution=short[1], detail="G2 · 2023-05-17"),
    ))
    page2 = Page(title=short[1], blocks=(
        Heading(id="h2", text=short[1], level=1),
        *(Paragraph(id=f"p{i}", runs=(Run(t),)) for i, t in enumerate(long[2:], 2)),
    ))
    return Document(kind="seed", title=short[0], language={"bn": "bn-BD", "th": "th-TH"}[lang],
                    pages=(page1, page2), max_pages=6)


def sample_and_seed_files(out: Path, fmt: str) -> dict[str, Path]:
    """Every sample's ``fmt`` documents (all stages) plus, where the seeds are there, a
    document of whole seed paragraphs per script: ``"lang/stage/layout"`` (``"lang/seed"``)
    -> file. The test documents the font tests read back."""
    from roi_in_a_box.brand.kit import load_kit, resolve_kit
    from roi_in_a_box.deliver.pipeline import build
    from roi_in_a_box.model.study import load_study
    from roi_in_a_box.render.registry import renderer_for
    from tests.sample_tree import test_brand

    root = Path(__file__).resolve().parents[1]
    kit = load_kit(resolve_kit(None))
    files: dict[str, Path] = {}
    for lang, stem in {"en": "ledgerly_en", "bn": "ghatbox_bn", "th": "shiftsabai_th"}.items():
        report = build(load_study(root / "sample_inputs" / f"{stem}.yaml"), kit, out, formats=(fmt,))
        for o in report.outputs:
            files[f"{lang}/{o.stage}/{o.layout}"] = report.out_dir / o.path
    if available():
        for lang in ("bn", "th"):
            files[f"{lang}/seed"] = renderer_for(fmt).render(seed_document(lang), test_brand(),
                                                             out / f"seed-{lang}.{fmt}").path
    return files
