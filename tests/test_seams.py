"""The seams between pipeline stages: dispatch, renderer contract, caches, layering."""

from __future__ import annotations

import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

from roi_in_a_box.brand.model import Brand
from roi_in_a_box.layout import tree
from roi_in_a_box.render import registry
from roi_in_a_box.render.base import FormatInfo, Renderer, RenderResult, _snake
from roi_in_a_box.render.pptx.plan import SlidePlanner
from roi_in_a_box.render.pptx.writer import PptxRenderer

ROOT = Path(__file__).resolve().parents[1]
BLOCK_TYPES = typing.get_args(tree.Block)


def test_pptx_planner_dispatches_its_own_visits():
    """One visit_<block> per block type on the planner; the writer has none to route through."""
    for cls in BLOCK_TYPES:
        name = "visit_" + _snake(cls.__name__)
        assert callable(getattr(SlidePlanner, name, None)), name
        assert name not in vars(PptxRenderer), name
    assert "visit" not in vars(SlidePlanner)  # the Visitor's own dispatch, not a patched one


# --------------------------------------------------------------------------- a new format


class MarkdownRenderer(Renderer):
    """A throwaway format: the tree as Markdown, one ``visit_<block>`` per block type."""

    def render(self, doc: tree.Document, brand: Brand, path: Path) -> RenderResult:
        lines = [f"<!-- {doc.language} -->"]
        for i, page in enumerate(doc.pages):
            if i:
                lines.append("\n---\n")
            lines += [self.visit(b) for b in page.blocks]
        Path(path).write_text("\n\n".join(lines) + "\n", "utf-8")
        return RenderResult(path=Path(path), pages=len(doc.pages), warnings=["markdown drops the design"])

    def visit_heading(self, b: tree.Heading) -> str:
        return "#" * max(1, b.level) + " " + b.text

    def visit_paragraph(self, b: tree.Paragraph) -> str:
        return b.text

    def visit_columns(self, b: tree.Columns) -> str:
        return "\n\n".join(self.visit(x) for col in b.columns for x in col)

    def _text(self, b: tree.Block) -> str:
        return tree.block_text(b)

    visit_stat_tiles = visit_quote = visit_cards = visit_table = visit_chart = _text
    visit_framework_graphic = visit_image = visit_callout = visit_footnotes = _text


@pytest.fixture
def markdown_format() -> Iterator[FormatInfo]:
    info = FormatInfo("md", f"{__name__}:MarkdownRenderer", unit="slide")
    registry.register(info)
    yield info
    registry._FORMATS.pop("md")
    registry.renderer_for.cache_clear()


def test_a_new_format_is_one_module_and_one_registration(markdown_format: FormatInfo, tmp_path: Path) -> None:
    """Registered from outside the package, the format builds through the pipeline, the
    CLI accepts it and reports in its unit, and previews say they have no previewer for it."""
    from roi_in_a_box.brand.kit import load_kit, resolve_kit
    from roi_in_a_box.cli import _formats
    from roi_in_a_box.deliver.pipeline import build
    from roi_in_a_box.model.study import load_study
    from roi_in_a_box.preview.thumbnails import make_previews

    assert _formats(["md"]) == ("md",)
    analysis = load_study(ROOT / "sample_inputs" / "ghatbox_bn.yaml")
    report = build(analysis, load_kit(resolve_kit(None)), tmp_path, stages=("pre_sale",), formats=("md",),
                   layout="one_pager")
    (rec,) = report.outputs
    assert (rec.stage, rec.layout, rec.format, rec.path) == ("pre_sale", "one_pager", "md", "pre_sale/one_pager.md")
    text = (report.out_dir / rec.path).read_text("utf-8")
    assert text.startswith("<!-- bn")
    assert f"# {analysis.spec.study.title}" in text  # the study's own Bengali title, verbatim
    assert rec.pages == text.count("\n---\n") + 1
    assert rec.warnings == ["markdown drops the design"]
    assert registry.unit_of(rec.format) == "slide"
    (pv,) = make_previews([report.out_dir / rec.path], tmp_path / "pv", office=False).values()
    assert pv.note == "no previewer for .md files"


def test_bundled_format_facts() -> None:
    """What the pipeline, previews and CLI ask each bundled format."""
    pdf, docx, pptx = (registry.format_info(f) for f in ("pdf", "docx", "pptx"))
    assert (pdf.paged, pdf.exact_pages, pdf.preview, pdf.unit) == (True, True, "pdf", "page")
    assert (docx.paged, docx.exact_pages, docx.preview, docx.unit) == (True, False, "office", "page")
    assert (pptx.paged, pptx.exact_pages, pptx.preview, pptx.unit) == (False, True, "office", "slide")
    assert pptx.units(1) == "1 slide" and pdf.units(3) == "3 pages"
    assert registry.lookup("xlsx") is None and registry.unit_of("xlsx") == "page"
    for name in registry.FORMATS:
        r = registry.renderer_for(name)
        assert isinstance(r, Renderer) and r.format == name


def test_docx_measures_pages_through_the_contract() -> None:
    """DOCX fitting asks its own renderer, which answers with the PDF typesetting's count (no file)."""
    from roi_in_a_box.brand.kit import load_kit, resolve_kit
    from roi_in_a_box.layout import engine
    from roi_in_a_box.model.study import load_study

    brand = load_kit(resolve_kit(None))
    doc, _ = engine.build_document(load_study(ROOT / "sample_inputs" / "ledgerly_en.yaml"), "case_study", brand,
                                   stage="pre_sale")
    m = registry.renderer_for("docx").measure(doc, brand)
    assert m.data is None and m.pages == registry.renderer_for("pdf").count_pages(doc, brand) >= 1
    full = registry.renderer_for("pdf").measure(doc, brand)
    assert full.pages == m.pages and full.data is not None and full.data.startswith(b"%PDF-")


# --------------------------------------------------------------------------- one writer per document


@pytest.mark.parametrize("fmt", registry.FORMATS)
def test_each_document_gets_a_fresh_writer(fmt: str, tmp_path: Path) -> None:
    """The per-process renderer keeps no per-document state: after two documents (two
    languages) it holds what it held before, and the second file does not depend on the first."""
    from roi_in_a_box.brand.kit import load_kit, resolve_kit
    from roi_in_a_box.layout import engine
    from roi_in_a_box.model.study import load_study

    brand = load_kit(resolve_kit(None))
    layout = {"pdf": "one_pager", "docx": "case_study", "pptx": "deck_insert"}[fmt]
    docs = [engine.build_document(load_study(ROOT / "sample_inputs" / n), layout, brand, stage="pre_sale")[0]
            for n in ("ghatbox_bn.yaml", "shiftsabai_th.yaml")]
    renderer = registry.renderer_for(fmt)
    before = dict(vars(renderer))
    renderer.render(docs[1], brand, tmp_path / f"alone.{fmt}")
    for i, d in enumerate(docs):
        renderer.render(d, brand, tmp_path / f"{i}.{fmt}")
    assert vars(renderer) == before
    assert (tmp_path / f"1.{fmt}").read_bytes() == (tmp_path / f"alone.{fmt}").read_bytes()


# --------------------------------------------------------------------------- named caches


def test_long_lived_caches_are_named_capped_and_clearable(tmp_path: Path) -> None:
    """Every module-level cache is in the registry with a cap; emptying them all changes
    the speed of the next document, never its bytes."""
    from roi_in_a_box import caches
    from roi_in_a_box.brand.kit import load_kit, resolve_kit
    from roi_in_a_box.deliver.pipeline import build
    from roi_in_a_box.model.study import load_study

    analysis = load_study(ROOT / "sample_inputs" / "shiftsabai_th.yaml")
    kit = load_kit(resolve_kit(None))
    first = build(analysis, kit, tmp_path / "a", stages=("pre_sale",))
    sizes = caches.sizes()
    for name in ("layout.glyph_coverage", "pdf.shaped_words", "pdf.paragraphs", "pdf.text_widths",
                 "pptx.charts", "pptx.notes_slides", "pptx.missing_glyphs", "pptx.image_sizes",
                 "docx.base_documents"):
        n, cap = sizes[name]
        assert cap is not None and 0 <= n <= cap, name
    assert sizes["pdf.paragraphs"][0] > 0 and sizes["pptx.missing_glyphs"][0] > 0
    caches.clear_all()
    assert all(n == 0 for n, _ in caches.sizes().values())
    again = build(analysis, kit, tmp_path / "b", stages=("pre_sale",))
    assert [o.sha256 for o in again.outputs] == [o.sha256 for o in first.outputs]


def test_a_full_cache_empties_itself() -> None:
    from roi_in_a_box.caches import NamedCache, _REGISTRY, set_cap

    c: NamedCache[int, int] = NamedCache("test.tiny", 3)
    try:
        for i in range(3):
            c[i] = i
        c[1] = 10  # replacing an entry is not growth
        assert dict(c) == {0: 0, 1: 10, 2: 2}
        c[3] = 3
        assert dict(c) == {3: 3}
        with pytest.raises(ValueError, match="registered twice"):
            NamedCache("test.tiny", 1)
        set_cap("test.tiny", 0)
        assert len(c) == 0 and c.cap == 0
    finally:
        del _REGISTRY["test.tiny"]


# --------------------------------------------------------------------------- languages and stages


def test_one_record_per_language_read_by_every_writer() -> None:
    from roi_in_a_box.layout.quotes import sentences
    from roi_in_a_box.model.money import _digit_table
    from roi_in_a_box.render.docx.styles import lang_info
    from roi_in_a_box.render.pptx.measure import lang_script
    from roi_in_a_box.reviews.importer import detect_language
    from roi_in_a_box.reviews.textproc import fold
    from roi_in_a_box.text.languages import LANGUAGES, language

    for code, lang in LANGUAGES.items():
        assert language(f"{code}-XX") is lang and lang_script(code) == lang.script
        assert lang_info(code)[0] == lang.script and lang_info(code)[2] in ("", lang.ooxml_tag)
        assert lang.to_native("2026") == "".join(lang.digits[int(c)] for c in "2026")
        assert fold(lang.to_native("40%")) == fold("40%")
    assert language("de").code == "en" and language("th-TH").ooxml_tag == "th-TH"
    assert _digit_table("bn") == str.maketrans("0123456789", LANGUAGES["bn"].digits)
    assert detect_language("আমাদের হিসাব") == "bn" and detect_language("บัญชีของเรา") == "th"
    assert detect_language("our books") == "en"
    # sentence ends: full stop, the Bengali danda, and the space between Thai sentences
    assert sentences("One. Two") == ["One.", "Two"]
    assert sentences("এক। দুই") == ["এক।", "দুই"]
    assert sentences("หนึ่ง สอง") == ["หนึ่ง", "สอง"]
    assert language("bn").quote("x") == "\u201cx\u201d"


def test_one_definition_of_the_stages() -> None:
    import typing

    from roi_in_a_box.deliver import recipes
    from roi_in_a_box.preview import gallery
    from roi_in_a_box.spec import schema, stages

    assert stages.STAGES == ("pre_sale", "onboarding", "service", "renewal")
    assert recipes.STAGES is stages.STAGES and gallery.STAGE_ORDER is stages.STAGES
    assert set(stages.TITLES) == set(stages.STAGES)
    assert schema.Stage is stages.Stage and typing.get_args(recipes.Stage) == stages.STAGES
    assert tuple(recipes.Recipes.model_fields) == stages.STAGES  # stages.yaml has one section per stage


# --------------------------------------------------------------------------- typed component specs


def test_a_field_the_component_does_not_read_gets_a_located_error(tmp_path: Path) -> None:
    from roi_in_a_box.layout.layout_file import load_layout
    from roi_in_a_box.spec.errors import InputError

    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nformats: [pdf]\npages:\n  - blocks:\n"
                   "      - {component: heading, text: x, grid: true}\n"
                   "      - {component: headin}\n"
                   "      - component: columns\n        columns:\n          - - {component: quotes, kind: bar}\n",
                   "utf-8")
    with pytest.raises(InputError) as info:
        load_layout(str(bad))
    got = [(p.line, p.column, p.path, p.found) for p in info.value.problems]
    assert got == [(5, 39, "pages[0].blocks[0].grid", "'grid'"), (6, 21, "pages[0].blocks[1].component", "'headin'"),
                   (9, 35, "pages[0].blocks[2].columns[0][0].kind", "'kind'")]
    first, tag, nested = info.value.problems
    assert "heading does not read it (value_props does)" in first.message
    assert "level" in first.expected and "text" in first.expected and "grid" not in first.expected
    assert "'heading'" in tag.expected and "quotes does not read it (chart does)" in nested.message


def test_every_bundled_layout_loads_and_the_docs_table_is_generated() -> None:
    import subprocess
    import sys

    from roi_in_a_box.layout.layout_file import load_layout

    for path in sorted((ROOT / "layouts").glob("*.yaml")):
        if path.stem != "stages":
            load_layout(path.stem)
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "component_table.py"), "--check"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
