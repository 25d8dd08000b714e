"""A hand-built document tree with every block type, in English, Bengali and Thai.

Renderer tests use it so each format is tested on the same input, independent of the
spec and layout stages.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from roi_in_a_box.brand.model import Brand, Colors, FontFamily, FontRole
from roi_in_a_box.layout.tree import (
    Callout, Card, Cards, Chart, Columns, Document, Footnotes, FrameworkGraphic, Heading, Image,
    Page, Paragraph, Quote, Run, Series, StatTile, StatTiles, Table,
)


def _fam(pkg: str, name: str, stem: str) -> FontFamily:
    d = Path(str(files(pkg) / "files"))
    italic = d / f"{stem}-Italic.ttf"
    bold_italic = d / f"{stem}-BoldItalic.ttf"
    return FontFamily(name, d / f"{stem}-Regular.ttf", d / f"{stem}-Bold.ttf",
                      italic if italic.exists() else None, bold_italic if bold_italic.exists() else None)


LATO = _fam("fontpkg_lato", "Lato", "Lato")
HIND = _fam("fontpkg_hind_siliguri", "Hind Siliguri", "HindSiliguri")
SARABUN = _fam("fontpkg_sarabun", "Sarabun", "Sarabun")


def test_brand(logo: Path | None = None) -> Brand:
    role = FontRole({"latin": LATO, "bengali": HIND, "thai": SARABUN}, fallbacks=(HIND, SARABUN))
    return Brand(
        name="test", root=Path("."),
        colors=Colors(primary="#1F3A5F", secondary="#3C7A89", accent="#F2A541", text="#1E1E24",
                      muted="#5C6370", background="#FFFFFF"),
        heading=role, body=role, logo=logo, footer="© 2026 Northbeam Analyst Partners",
        legal="Fictional study for testing.",
    )


TEXT = {
    "en": {
        "title": "Ledgerly cuts month-end close from 12 days to 4",
        "para": "According to our research, 60% of companies struggle to show ROI. "
                "Verified reviewers say Ledgerly pays back in under a year.",
        "quote": "We closed the books in four days for the first time. The CFO finally trusts the numbers.",
        "card": ("Automated reconciliation", "Matches bank lines to the ledger every night."),
    },
    "bn": {
        "title": "ROI পুনরায় সংজ্ঞায়িত করুন এবং দ্রুত চুক্তি পান",
        "para": "আমাদের গবেষণা অনুযায়ী, ৬০% কোম্পানিগুলো ROI দেখানোর জন্য সংগ্রাম করে। "
                "পাইপলাইনগুলি বন্ধ, সংস্কার বা সম্প্রসারিত না হওয়ার এক নম্বর কারণ এই দ্বন্দ্ব।",
        "quote": "অনবোর্ডিংয়ের সময় অনুরূপ গ্রাহকদের কাছ থেকে ROI শেয়ার করা নিশ্চিত করুন। CFO-দের আস্থা বেড়েছে।",
        "card": ("দক্ষতা", "কর্মপ্রবাহ স্বয়ংক্রিয় করে প্রতি মাসে সময় বাঁচায়।"),
    },
    "th": {
        "title": "นิยาม ROI ใหม่และปิดการขายได้เร็วขึ้น",
        "para": "จากการวิจัยของเรา 60% ของบริษัทต่างๆ ประสบปัญหาในการแสดง ROI "
                "ความขัดแย้งนี้เป็นสาเหตุอันดับหนึ่งที่ทำให้ไปป์ไลน์หยุดชะงักหรือไม่ได้รับการต่ออายุ",
        "quote": "ลูกค้าของคุณคือพนักงานขายที่ดีที่สุดของคุณ และเราสามารถพิสูจน์ผลตอบแทนจากการลงทุนได้ภายในหนึ่งไตรมาส",
        "card": ("ประสิทธิภาพ", "ลดเวลาการกระทบยอดบัญชีลงอย่างมากในทุกเดือน"),
    },
}

HOSTILE = "<img src='/etc/passwd'/> and <b>unclosed & \"quoted\""


def sample_document(lang: str = "en", logo: Path | None = None, page_size: str = "letter") -> Document:
    t = TEXT[lang]
    stats = StatTiles(id="stats", tiles=(
        StatTile("212%", "3-year ROI", "ROI = NPV / PV(costs), risk-adjusted, 10% discount"),
        StatTile("$1.4M", "Net present value"),
        StatTile("7.5 months", "Payback"),
        StatTile("4.6 ★", "G2 rating, 212 reviews"),
    ), sources=("roi_model",))
    chart = Chart(id="chart", kind="bar", title="Benefits vs costs by year",
                  categories=("Initial", "Year 1", "Year 2", "Year 3"),
                  series=(Series("Benefits", (0.0, 620000.0, 710000.0, 760000.0)),
                          Series("Costs", (180000.0, 150000.0, 150000.0, 150000.0))),
                  value_labels=(("$0", "$620K", "$710K", "$760K"), ("$180K", "$150K", "$150K", "$150K")),
                  axis_label="USD", caption="Risk-adjusted, undiscounted", priority=3)
    waterfall = Chart(id="waterfall", kind="waterfall", title="From benefits to NPV",
                      categories=("Reconciliation", "Close speed", "Audit", "Licences", "Services", "NPV"),
                      series=(Series("PV", (900000.0, 500000.0, 200000.0, -150000.0, -50000.0, 1400000.0)),),
                      value_labels=(("$900K", "$500K", "$200K", "−$150K", "−$50K", "$1.4M"),), priority=4)
    payback = Chart(id="payback", kind="payback", title="Cumulative net cash flow",
                    categories=tuple(str(m) for m in range(0, 37, 6)),
                    series=(Series("Cumulative", (-180000.0, -60000.0, 60000.0, 300000.0, 550000.0, 800000.0, 1050000.0)),),
                    value_labels=(), axis_label="Months", marker=7.5, marker_label="Payback · 7.5 months", priority=5)
    framework = FrameworkGraphic(
        id="framework",
        type_labels=(("attributable", "Attributable"), ("transformational", "Transformational"),
                     ("efficiency", "Efficiency"), ("need", "Need"), ("indirect", "Indirect")),
        zone_labels=(("winning", "Winning zone"), ("competitive", "Competitive zone"),
                     ("instability", "Instability zone")),
        evidenced=("efficiency", "attributable"), zone="winning", next_steps=(),
        caption="Evidenced ROI types highlighted", priority=2)
    quote = Quote(id="q1", text=t["quote"], attribution="VP Finance · Mid-market · Retail",
                  detail="G2 · 2026-03-02 · ★★★★★", stars=5.0, heading="Close faster", sources=("g2:123",))
    hostile = Quote(id="q2", text=HOSTILE, attribution="Controller · Enterprise · Banking",
                    detail="G2 · 2026-04-11 · ★★★★☆", stars=4.0, label="Incentivized review", priority=6)
    cards = Cards(id="uc", cards=(Card(t["card"][0], t["card"][1], "efficiency", "Efficiency"),
                                  Card("Audit readiness", "Every entry traceable to its source.", "need", "Need"),
                                  Card("Cash visibility", "Daily cash position for the CFO.", "attributable",
                                       "Attributable")))
    table = Table(id="table", header=("", "Initial", "Year 1", "Year 2", "Year 3", "Total", "PV"),
                  rows=(("Benefits", "$0", "$620K", "$710K", "$760K", "$2.09M", "$1.72M"),
                        ("Costs", "$180K", "$150K", "$150K", "$150K", "$630K", "$553K"),
                        ("Net", "−$180K", "$470K", "$560K", "$610K", "$1.46M", "$1.17M")),
                  align=("left", "right", "right", "right", "right", "right", "right"),
                  caption="Risk-adjusted; discounted at 10%", emphasis_rows=(2,))
    page1 = Page(title=t["title"], blocks=(
        *((Image(id="logo", path=str(logo), width_pt=110, alt="Ledgerly logo"),) if logo else ()),
        Heading(id="title", text=t["title"], level=0),
        Paragraph(id="lead", runs=(Run(t["para"]), Run(" Read the study.", bold=True,
                                                       link="https://example.com/study")), style="lead"),
        stats,
        Columns(id="cols", columns=((cards,), (quote,)), weights=(1.0, 1.0)),
        framework,
    ), notes="Sources: ROI model (3-year, 10% discount); quote g2:123.")
    page2 = Page(title="ROI model", blocks=(
        Heading(id="h-model", text="ROI model", level=1),
        table, chart, waterfall, payback, hostile,
        Callout(id="cta", title="Book a 30-minute strategy session", text="See what similar customers achieved.",
                link="mailto:roi@example.com", link_text="roi@example.com"),
        Footnotes(id="method", items=("Based on 212 verified G2 reviews as of 2026-09-30.",
                                      "ROI = NPV / PV(costs); payback on undiscounted risk-adjusted cash flow.")),
    ), notes="Sources: ROI model lines b1-b3, c1-c2.")
    return Document(kind="test", title=t["title"], language=lang, pages=(page1, page2),
                    page_size=page_size, max_pages=2, footer="© 2026 Northbeam Analyst Partners",
                    author="Northbeam Analyst Partners", subject="ROI study")
