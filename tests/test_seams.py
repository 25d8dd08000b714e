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
    """DOCX fitting asks its own renderer, which answers with the file and the page model's
    count of it (render/docx/page_model.py), not with the PDF typesetting's."""
    from roi_in_a_box.render.docx import page_model
    from roi_in_a_box.brand.kit import load_kit, resolve_kit
    from roi_in_a_box.layout import engine
    from roi_in_a_box.model.study import load_study

    brand = load_kit(resolve_kit(None))
    doc, _ = engine.build_document(load_study(ROOT / "sample_inputs" / "ledgerly_en.yaml"), "case_study", brand,
                                   stage="pre_sale")
    m = registry.renderer_for("docx").measure(doc, brand)
    assert m.data is not None and m.data.startswith(b"PK")
    estimate = page_model.estimate(m.data, brand)
    assert m.pages == estimate.pages == registry.renderer_for("docx").count_pages(doc, brand) >= 1
    full = registry.renderer_for("pdf").measure(doc, brand)
    assert full.data is not None and full.data.startswith(b"%PDF-")


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


# --------------------------------------------------------------------------- import contract

# A package may import only packages of a lower rank (and itself): the pipeline spec → model →
# layout → render → deliver, the foundations below it and the front ends above it.
RANK = {
    "(root)": 0, "bundled": 0, "caches": 0, "patches": 0,
    "disk_cache": 1, "text": 1,
    "spec": 2,
    "model": 3, "brand": 3,
    "layout": 4,
    "render": 5,
    "deliver": 6,
    "cli_args": 7, "failures": 7,
    "preview": 8, "reviews": 8, "scaffold": 8,
    "cli": 9,
    "__main__": 10,
}


def _import_graph() -> dict[str, set[str]]:
    """Module → the package modules it imports, at module level or inside functions."""
    import ast

    pkg_root = ROOT / "roi_in_a_box"
    mods = {}
    for p in pkg_root.rglob("*.py"):
        name = ".".join(p.relative_to(ROOT).with_suffix("").parts)
        mods[name.removesuffix(".__init__")] = p
    graph: dict[str, set[str]] = {}
    for mod, path in mods.items():
        package = mod if path.name == "__init__.py" else mod.rsplit(".", 1)[0]
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                names = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names]
            else:
                continue
            for name in names:
                while name not in mods and "." in name:
                    name = name.rsplit(".", 1)[0]
                if name in mods and name != mod:
                    deps.add(name)
        graph[mod] = deps
    return graph


def _package(mod: str) -> str:
    parts = mod.split(".")
    return parts[1] if len(parts) > 1 else "(root)"


def test_layers_import_only_downwards() -> None:
    graph = _import_graph()
    assert {_package(m) for m in graph} <= set(RANK), "a new package needs a rank in RANK"
    wrong = sorted(f"{m} imports {d}" for m, deps in graph.items() for d in deps
                   if _package(m) != _package(d) and RANK[_package(d)] >= RANK[_package(m)])
    assert wrong == []


def test_no_import_cycles() -> None:
    graph = _import_graph()
    cycles: list[list[str]] = []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert cycles == []


# --------------------------------------------------------------------------- library internals


def test_library_patches_match_the_pinned_versions() -> None:
    """Fails loudly when a library the engine patches (or whose private names it uses) is not
    the version each patch was written for: re-read that patch, then update ``written_for``."""
    import re

    import roi_in_a_box.render.pdf.text  # noqa: F401  (installs the ReportLab patches)
    import roi_in_a_box.render.pptx.writer  # noqa: F401  (installs the python-pptx patch)
    from roi_in_a_box import patches

    items = [*patches.PATCHES.values(), *patches.INTERNALS]
    assert [p for p in (patches.check(i) for i in items) if p] == []
    lock = (ROOT / "requirements.lock").read_text("utf-8")
    for item in items:  # the version written for is the locked one
        assert re.search(rf"^{re.escape(item.distribution.lower())}=={re.escape(item.written_for)}\b", lock, re.M), item
    for name in patches.PATCHES:  # and each patch is in place
        owner, attr = patches._resolve(patches.PATCHES[name].target)
        assert getattr(owner, attr).__module__.startswith("roi_in_a_box."), name


def test_a_patch_refuses_a_target_that_is_gone(monkeypatch: pytest.MonkeyPatch) -> None:
    from roi_in_a_box import patches

    gone = patches.Internal("gone", "reportlab", "5.1.0", "reportlab.platypus.paragraph:noSuchFunction", "test")
    monkeypatch.setitem(patches.PATCHES, "gone", gone)
    with pytest.raises(RuntimeError, match="cannot patch reportlab.platypus.paragraph:noSuchFunction"):
        patches.install("gone", lambda: None)
    other = patches.Internal("old", "reportlab", "4.0.0", "reportlab.platypus.paragraph:split", "test")
    monkeypatch.setitem(patches.PATCHES, "old", other)
    import reportlab.platypus.paragraph as para

    monkeypatch.setattr(para, "split", para.split)  # restored after the test
    with pytest.warns(RuntimeWarning, match="written for reportlab 4.0.0, 5.1.0 is installed"):
        patches.install("old", para.split)


def test_every_renderer_has_one_visit_per_block_type() -> None:
    """What the README says a new block type touches: each renderer's visit_<block>, and block_text."""
    from roi_in_a_box.render.docx.renderer import DocxRenderer
    from roi_in_a_box.render.pdf.renderer import PdfRenderer

    for visitor in (PdfRenderer, DocxRenderer, SlidePlanner):
        missing = [c.__name__ for c in BLOCK_TYPES if not callable(getattr(visitor, "visit_" + _snake(c.__name__), None))]
        assert missing == [], visitor.__name__
    for cls in BLOCK_TYPES:
        assert isinstance(tree.block_text(cls()), str)  # every block type has its text for coverage checks
