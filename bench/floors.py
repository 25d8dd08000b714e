"""Minimal hand-written documents with the raw libraries: the speed floor the engine is compared with.

Each function makes a document comparable to the engine's for the same study (title,
lead, four stat tiles, use cases, value props with their quotes, logo, a benefits/costs
chart, footer), the way a competent developer would write it by hand: fonts
registered once per process, no layout engine, no fitting, no validation.
"""

from __future__ import annotations

import io
from pathlib import Path

from roi_in_a_box.model.study import Analysis

_FONTS: dict[str, str] = {}


def content(a: Analysis) -> dict:  # type: ignore[type-arg]
    s, r = a.spec, a.result
    quotes = {q.id: q for q in s.quotes}
    return {
        "title": s.study.title, "lead": s.study.subtitle or "",
        "stats": [(f"{r.roi_pct:.0f}%", "3-year ROI"), (f"{r.payback_months:.1f} months", "Payback"),
                  (f"${r.npv / 1000:.0f}K", "NPV"), (f"{s.vendor.review_count}", "Verified reviews")],
        "use_cases": [(u.title, u.description) for u in s.use_cases[:3]],
        "value_props": [(v.title, v.claim, quotes[next(e for e in v.evidence if e in quotes)].text
                         if any(e in quotes for e in v.evidence) else "") for v in s.value_props[:3]],
        "years": [("Initial", float(y.benefits), float(y.costs)) if y.year == 0 else
                  (f"Year {y.year}", float(y.benefits), float(y.costs)) for y in r.years],
        "logo": str(Path(__file__).resolve().parents[1] / "brand_kits" / "northbeam" / "logo.png"),
    }


def reportlab_doc(c: dict, out: Path, font_path: Path, bold_path: Path) -> None:  # type: ignore[type-arg]
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if not _FONTS:
        pdfmetrics.registerFont(TTFont("FloorSans", str(font_path)))
        pdfmetrics.registerFont(TTFont("FloorSans-Bold", str(bold_path)))
        _FONTS["done"] = "1"
    body = ParagraphStyle("b", fontName="FloorSans", fontSize=9, leading=12)
    h1 = ParagraphStyle("h1", fontName="FloorSans-Bold", fontSize=22, leading=26)
    h2 = ParagraphStyle("h2", fontName="FloorSans-Bold", fontSize=11, leading=14)
    story = [Image(c["logo"], width=110, height=30), Paragraph(c["title"], h1), Paragraph(c["lead"], body)]
    tiles = Table([[Paragraph(f"<b>{v}</b><br/>{l}", body) for v, l in c["stats"]]])
    tiles.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.whitesmoke), ("FONTNAME", (0, 0), (-1, -1), "FloorSans")]))
    story += [Spacer(1, 8), tiles, Paragraph("Use cases", h2)]
    story += [Paragraph(f"<b>{t}</b> {d}", body) for t, d in c["use_cases"]]
    story.append(Paragraph("Proven value", h2))
    for t, claim, quote in c["value_props"]:
        story += [Paragraph(f"<b>{t}</b> {claim}", body), Paragraph(f"“{quote}”", body)]
    d = Drawing(400, 160)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 20, 340, 120
    chart.data = [[b for _, b, _ in c["years"]], [k for _, _, k in c["years"]]]
    chart.categoryAxis.categoryNames = [n for n, _, _ in c["years"]]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = "FloorSans"
    d.add(chart)
    story.append(d)
    doc = SimpleDocTemplate(str(out), pagesize=letter, invariant=1, initialFontName="FloorSans")
    doc.build(story, onFirstPage=lambda cv, _: (cv.setFont("FloorSans", 7), cv.drawString(40, 20, "Footer · 1")))


def chart_png(c: dict) -> bytes:  # type: ignore[type-arg]
    """The bar chart as a 200 dpi PNG: drawn with reportlab.graphics, rasterised by pdfium
    (no matplotlib here, and ReportLab's own bitmap backend is not installed)."""
    import pypdfium2
    from reportlab.graphics import renderPDF
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing

    d = Drawing(400, 200)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 20, 340, 160
    chart.data = [[b for _, b, _ in c["years"]], [k for _, _, k in c["years"]]]
    chart.categoryAxis.categoryNames = [n for n, _, _ in c["years"]]
    d.add(chart)
    pdf = renderPDF.drawToString(d)
    page = pypdfium2.PdfDocument(pdf)[0]
    buf = io.BytesIO()
    page.render(scale=200 / 72).to_pil().save(buf, format="PNG")
    return buf.getvalue()


def docx_doc(c: dict, out: Path) -> None:  # type: ignore[type-arg]
    import docx
    from docx.shared import Pt

    d = docx.Document()
    d.add_picture(c["logo"], width=Pt(110))
    d.add_heading(c["title"], 0)
    d.add_paragraph(c["lead"])
    t = d.add_table(rows=2, cols=4)
    for i, (v, l) in enumerate(c["stats"]):
        t.cell(0, i).text, t.cell(1, i).text = v, l
    d.add_heading("Use cases", 1)
    for title, desc in c["use_cases"]:
        p = d.add_paragraph()
        p.add_run(title).bold = True
        p.add_run(" " + desc)
    d.add_heading("Proven value", 1)
    for title, claim, quote in c["value_props"]:
        p = d.add_paragraph()
        p.add_run(title).bold = True
        p.add_run(" " + claim)
        d.add_paragraph(quote, style="Quote")
    d.add_picture(io.BytesIO(chart_png(c)), width=Pt(400))
    d.save(str(out))


def pptx_doc(c: dict, out: Path) -> None:  # type: ignore[type-arg]
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]

    def slide(title: str):  # type: ignore[no-untyped-def]
        s = prs.slides.add_slide(blank)
        tb = s.shapes.add_textbox(Inches(0.5), Inches(0.4), Inches(12), Inches(1))
        tb.text_frame.text = title
        tb.text_frame.paragraphs[0].runs[0].font.size = Pt(32)
        return s

    s = slide(c["title"])
    s.shapes.add_picture(c["logo"], Inches(0.5), Inches(2), width=Inches(2))
    s = slide("Headline results")
    for i, (v, l) in enumerate(c["stats"]):
        tb = s.shapes.add_textbox(Inches(0.5 + 3.1 * i), Inches(2), Inches(3), Inches(2))
        tb.text_frame.text = f"{v}\n{l}"
    s = slide("Use cases")
    tb = s.shapes.add_textbox(Inches(0.5), Inches(1.6), Inches(12), Inches(5))
    tb.text_frame.text = "\n".join(f"{t}: {d}" for t, d in c["use_cases"])
    for title, claim, quote in c["value_props"][:2]:
        s = slide(title)
        tb = s.shapes.add_textbox(Inches(0.5), Inches(1.6), Inches(12), Inches(5))
        tb.text_frame.text = f"{claim}\n“{quote}”"
        s.notes_slide.notes_text_frame.text = "Source: verified review"
    s = slide("ROI model")
    data = CategoryChartData()
    data.categories = [n for n, _, _ in c["years"]]
    data.add_series("Benefits", [b for _, b, _ in c["years"]])
    data.add_series("Costs", [k for _, _, k in c["years"]])
    s.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(0.5), Inches(1.6), Inches(8), Inches(5), data)
    buf = io.BytesIO()
    prs.save(buf)
    out.write_bytes(buf.getvalue())
