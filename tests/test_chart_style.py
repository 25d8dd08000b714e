"""One chart style in every format, read back from each file: the layout's value axis
(ticks that fit the data, the study's money format: "$0" never "$0K", Bengali digits and
lakh/crore, Thai digits only where the locale uses them), the PPTX payback marker and
number formats, DOCX chart pictures at their slot's shape with labels of at least 8 pt,
and the PDF's tick labels."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from roi_in_a_box.brand.kit import load_kit, resolve_kit
from roi_in_a_box.layout import chart_axis, engine
from roi_in_a_box.layout import tree as t
from roi_in_a_box.model.study import load_study
from roi_in_a_box.render.registry import renderer_for

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = {"en": ROOT / "sample_inputs/ledgerly_en.yaml", "bn": ROOT / "sample_inputs/ghatbox_bn.yaml",
           "th": ROOT / "sample_inputs/shiftsabai_th.yaml"}
BENGALI_DIGITS = set("০১২৩৪৫৬৭৮৯")
THAI_DIGITS = set("๐๑๒๓๔๕๖๗๘๙")
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
BRAND = load_kit(resolve_kit(None))


def _charts(doc: t.Document) -> list[t.Chart]:
    return [b for p in doc.pages for b in t.iter_blocks(p.blocks) if isinstance(b, t.Chart)]


@pytest.fixture(scope="module")
def trees() -> dict[tuple[str, str], t.Document]:
    out = {}
    for lang, spec in SAMPLES.items():
        a = load_study(spec)
        for layout in ("case_study", "deck_insert"):
            out[(lang, layout)] = engine.build_document(a, layout, BRAND)[0]
    return out


def test_the_axis_fits_the_data_and_speaks_the_locale(trees) -> None:  # type: ignore[no-untyped-def]
    for (lang, _), doc in trees.items():
        native = load_study(SAMPLES[lang]).spec.study.native_digits
        for ch in _charts(doc):
            lo, hi = chart_axis.value_range(ch)
            step = ch.ticks[1] - ch.ticks[0]
            assert ch.ticks[0] <= min(lo, 0) < ch.ticks[0] + step and ch.ticks[-1] - step < max(hi, 0) <= ch.ticks[-1]
            assert 3 <= len(ch.ticks) <= 7 and len(ch.tick_labels) == len(ch.ticks)
            zero = ch.tick_labels[ch.ticks.index(0.0)]
            text = "".join(ch.tick_labels)
            assert not re.search(r"(^|[^\d.,])0(\.0+)?\s*[KMB]", zero), zero  # "$0", never "$0K"
            if lang == "en":
                assert zero == "$0" and all(x.lstrip("-").startswith("$") for x in ch.tick_labels), ch.tick_labels
            if lang == "bn":
                assert not re.search(r"[0-9]", text) and set(text) & BENGALI_DIGITS, ch.tick_labels
                assert "লাখ" in text or "কোটি" in text, ch.tick_labels
            if lang == "th":
                assert bool(set(text) & THAI_DIGITS) == native, ch.tick_labels


def _pptx_charts(doc: t.Document) -> list[etree._Element]:
    data, _, _ = _render(doc, "pptx")
    z = zipfile.ZipFile(io.BytesIO(data))
    return [etree.fromstring(z.read(n)) for n in sorted(z.namelist()) if re.match(r"ppt/charts/chart\d+\.xml$", n)]


def _render(doc: t.Document, fmt: str) -> tuple[bytes, int, list[str]]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"x.{fmt}"
        result = renderer_for(fmt).render(doc, BRAND, path)
        return path.read_bytes(), result.pages, result.warnings


def test_pptx_charts_carry_the_axis_the_payback_marker_and_locale_figures(trees) -> None:  # type: ignore[no-untyped-def]
    for lang in SAMPLES:
        doc = trees[(lang, "deck_insert")]
        charts = {c.title.split("\u2009")[0]: c for c in _charts(doc)}
        xmls = _pptx_charts(doc)
        assert xmls
        for x in xmls:
            title = "".join(x.find(f"{C}chart/{C}title").itertext()).split("\u2009")[0]
            ch = next(c for k, c in charts.items() if title.startswith(k))
            val = x.find(f".//{C}valAx")
            scaling = val.find(f"{C}scaling")
            assert float(scaling.find(f"{C}min").get("val")) == ch.ticks[0]
            assert float(scaling.find(f"{C}max").get("val")) == ch.ticks[-1]
            assert float(val.find(f"{C}majorUnit").get("val")) == ch.ticks[1] - ch.ticks[0]
            fmt = val.find(f"{C}numFmt").get("formatCode")
            labels = [a.text or "" for a in x.iter(f"{A}t")]
            if lang == "bn":  # no number format writes Bengali digits: blank ticks, text labels on the points
                assert fmt == ";;;"
                assert any(set(lab) & BENGALI_DIGITS for lab in labels), labels
            else:
                zero = ch.tick_labels[ch.ticks.index(0.0)]
                assert fmt.startswith(f'[=0]"{zero}";[>0]'), fmt
                for dl in x.iter(f"{C}dLbls"):
                    code = dl.find(f"{C}numFmt")
                    if code is not None and code.get("formatCode") not in (None, "General"):
                        assert "[=0]" in code.get("formatCode") or ";;" in code.get("formatCode"), code.get("formatCode")
            if ch.kind == "payback" and ch.marker is not None:
                series = x.findall(f".//{C}lineChart/{C}ser")
                assert len(series) == 2, "the cumulative line and the payback marker"
                pts = series[1].findall(f"{C}val//{C}pt")
                assert len(pts) == 1 and float(pts[0].find(f"{C}v").text) == 0.0
                assert series[1].find(f"{C}marker/{C}symbol").get("val") == "diamond"
                assert ch.marker_label in labels


def test_docx_chart_pictures_have_their_slot_shape_and_8pt_labels(trees, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from roi_in_a_box.render.docx import charts as docx_charts
    from roi_in_a_box.render.pdf import text as pdf_text

    sizes: list[float] = []
    real = pdf_text.draw_label

    def spy(cv, x, y, s, size, *args, **kw):  # type: ignore[no-untyped-def]
        sizes.append(size)
        return real(cv, x, y, s, size, *args, **kw)

    monkeypatch.setattr(pdf_text, "draw_label", spy)
    monkeypatch.setattr(docx_charts, "_CACHE", type(docx_charts._CACHE)())  # draw afresh
    for lang in SAMPLES:
        doc = trees[(lang, "case_study")]
        data, _, _ = _render(doc, "docx")
        xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
        alts = {c.id: c for c in _charts(doc)}
        extents = [(int(m[1]), int(m[2])) for m in re.finditer(
            r'<wp:extent cx="(\d+)" cy="(\d+)"/><wp:effectExtent[^>]*/><wp:docPr [^>]*descr="([^"]*)"', xml)
            if "chart" in m[3].lower() or any(c.title and c.title.split("\u2009")[0] in m[3] for c in alts.values())]
        assert len(extents) >= 3, lang
        for cx, cy in extents:
            w_pt = cx / 12700
            assert abs(cx / cy - chart_axis.aspect(w_pt)) < 0.01 * chart_axis.aspect(w_pt), (lang, cx, cy)
    assert sizes and min(sizes) >= chart_axis.MIN_LABEL_PT, sorted(set(sizes))


def test_pdf_charts_print_the_same_tick_labels(trees) -> None:  # type: ignore[no-untyped-def]
    for lang in ("en", "bn"):
        doc = trees[(lang, "case_study")]
        data, _, _ = _render(doc, "pdf")
        text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
        for ch in _charts(doc):
            for label in ch.tick_labels:
                assert label.replace("\u00a0", " ") in text.replace("\u00a0", " "), (lang, label)
        assert not re.search(r"\$0K", text)
        if lang == "bn":
            assert not re.search(r"\d\.\dM\b", text), "Latin '6.2M' next to crore"


# --------------------------------------------------------------------------- one figure, one string


def _negative_bar_chart() -> t.Chart:
    return t.Chart(id="net", kind="bar", title="Net cash flow", categories=("Initial", "Year 1", "Year 2"),
                   series=(t.Series("Net", (-1_000_000.0, 2_600_000.0, 3_700_000.0)),),
                   value_labels=(("-$1M", "$2.6M", "$3.7M"),), ticks=(-1e6, 0.0, 1e6, 2e6, 3e6, 4e6),
                   tick_labels=("-$1M", "$0", "$1M", "$2M", "$3M", "$4M"))


def _clear_of_the_bar(pdf: bytes) -> None:
    """The negative bar's category label and its figure lie below the bar, the label below
    the figure, none of them on the bar (pdfplumber: top-down coordinates)."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        words = {w["text"]: w for w in page.extract_words()}
        cat, fig = words["Initial"], words["-$1M"] if "-$1M" in words else None
        x = (cat["x0"] + cat["x1"]) / 2
        bars = [r for r in page.rects if r["x0"] <= x <= r["x1"] and r["height"] > 5 and r["width"] < page.width / 2]
        assert bars, "the negative bar"
        bottom = max(r["bottom"] for r in bars)
        assert cat["top"] >= bottom, (cat, bottom)
        figures = [w for w in page.extract_words() if w["text"] == "-$1M" and w["x0"] <= x <= w["x1"]]
        assert figures and fig is not None
        assert all(bottom <= f["top"] and f["bottom"] <= cat["top"] for f in figures), (figures, cat, bottom)


def test_a_negative_bar_keeps_its_label_and_figure_clear_of_it_in_pdf_and_docx() -> None:
    from roi_in_a_box.render.docx import charts as docx_charts

    chart = _negative_bar_chart()
    doc = t.Document(kind="t", title="t", language="en", pages=(t.Page(blocks=(chart,)),))
    data, _, _ = _render(doc, "pdf")
    _clear_of_the_bar(data)
    _clear_of_the_bar(docx_charts._draw_pdf(chart, BRAND, "en", 460.0, 164.0))


def test_pptx_category_labels_sit_under_the_plot_where_libreoffice_can_find_the_axes() -> None:
    chart = _negative_bar_chart()
    doc = t.Document(kind="t", title="t", language="en", page_size="16:9", pages=(t.Page(blocks=(chart,)),))
    (x,) = _pptx_charts(doc)
    cat = x.find(f".//{C}catAx")
    assert cat.find(f"{C}tickLblPos").get("val") == "low"
    ids = [int(e.get("val")) for e in x.iter(f"{C}axId", f"{C}crossAx")]
    # ids of 2**31 and above: LibreOffice reads them signed, loses the crossing and draws
    # the category labels at zero, on the negative bar (seen in its render)
    assert ids and all(0 <= i < 2 ** 31 for i in ids), ids
    texts = ["".join(a.text or "" for a in d.iter(f"{A}t")) for d in x.iter(f"{C}dLbl")]
    assert texts == ["-$1M", "$2.6M", "$3.7M"]
    assert x.find(f".//{C}valAx/{C}numFmt").get("formatCode") == '[=0]"$0";[>0]"$"#,##0,,"M";"-""$"#,##0,,"M"'


def test_one_string_per_figure_in_charts_tiles_and_tables(trees) -> None:  # type: ignore[no-untyped-def]
    """A chart's figure is the string the tables and tiles print for the same amount, in
    every language; Thai large money is CLDR's Thai words ("฿7.5 ล้าน"), never Latin "M"."""
    for lang in SAMPLES:
        doc = trees[(lang, "deck_insert")]
        shown = [s for p in doc.pages for b in t.iter_blocks(p.blocks) for s in _strings(b)]
        for ch in _charts(doc):
            for row in ch.value_labels:
                for lab in row:
                    assert lab.startswith(("-", "$", "฿")) or lang == "bn", lab
                    assert "\u2212" not in lab  # CLDR's minus (U+002D in en, bn, th)
        for x in _pptx_charts(doc):
            for dl in x.iter(f"{C}dLbl"):
                text = "".join(a.text or "" for a in dl.iter(f"{A}t"))
                assert text in {lab for ch in _charts(doc) for row in ch.value_labels for lab in row} | {
                    ch.marker_label for ch in _charts(doc)}, (lang, text)
        if lang == "th":
            text = " ".join(shown)
            assert "\u0e25\u0e49\u0e32\u0e19" in text  # ล้าน
            assert not re.search(r"฿[\d๐-๙.,]+[KMB]\b", text), re.findall(r"฿[\d๐-๙.,]+[KMB]", text)


def _strings(b: t.Block) -> list[str]:
    if isinstance(b, t.StatTiles):
        return [x.value for x in b.tiles]
    if isinstance(b, t.Table):
        return [c for r in b.rows for c in r]
    if isinstance(b, t.Chart):
        return [*b.tick_labels, *(x for r in b.value_labels for x in r)]
    if isinstance(b, t.Paragraph):
        return ["".join(r.text for r in b.runs)]
    return []
