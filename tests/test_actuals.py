"""Value realised over time: accounts carry actuals per quarter or year per model line
(CSV, YAML, JSONL, Parquet; the old one-amount-a-year files stay valid), CRM report
exports (Salesforce, HubSpot) become accounts files through a column map with every bad
row reported by number, and the QBR and renewal documents show realised against the
benchmark per period (chart and table), or say plainly that there is no data yet."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from roi_in_a_box.brand.kit import load_kit, resolve_kit
from roi_in_a_box.deliver.accounts import load_accounts
from roi_in_a_box.deliver.account_stream import iter_rows, stream_accounts
from roi_in_a_box.deliver.crm_import import import_crm
from roi_in_a_box.layout import tree as t
from roi_in_a_box.layout.engine import build_document
from roi_in_a_box.model.account import Account, realised
from roi_in_a_box.model.periods import Period, parse_period
from roi_in_a_box.model.study import load_study
from roi_in_a_box.spec.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_inputs"
ACCOUNTS = SAMPLES / "accounts"
CRM = ACCOUNTS / "crm"


@pytest.fixture(scope="module")
def en():  # type: ignore[no-untyped-def]
    return load_study(SAMPLES / "ledgerly_en.yaml")


@pytest.fixture(scope="module")
def brand():  # type: ignore[no-untyped-def]
    return load_kit(resolve_kit(None))


@pytest.mark.parametrize("text, period", [
    ("2025-Q3", Period(2025, 3)), ("Q3-2025", Period(2025, 3)), ("Q3 2025", Period(2025, 3)),
    ("FY2025 Q3", Period(2025, 3)), ("2025 Q3", Period(2025, 3)), ("q1/2026", Period(2026, 1)),
    ("2025", Period(2025)), ("FY2026", Period(2026))])
def test_periods_are_read_in_the_spellings_crms_use(text: str, period: Period) -> None:
    assert parse_period(text) == period
    assert parse_period(period.key) == period


@pytest.mark.parametrize("text", ["2025-Q5", "Q0 2025", "March 2025", "25-Q1", "1789"])
def test_a_bad_period_says_what_would_be_valid(text: str) -> None:
    with pytest.raises(ValueError, match="expected e.g. 2025-Q3"):
        parse_period(text)


def test_quarterly_actuals_land_in_the_model_years_counted_from_the_start(en) -> None:  # type: ignore[no-untyped-def]
    good, bad = load_accounts(ACCOUNTS / "ledgerly_quarterly.csv", en.spec)
    assert bad == []
    accounts = {a.id: a for _, a in good}
    sage = accounts["acct-q-001"]
    assert sage.start is not None and sage.start.isoformat() == "2025-04-14"
    assert sorted(sage.actuals["benefit.ben-close-labour"]) == [parse_period(p) for p in (
        "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")]
    own = realised(en.spec, sage, en.result)
    assert own is not None
    # 2025-Q2 … 2026-Q1 are year 1, 2026-Q2 and Q3 year 2, year 3 not reported yet
    line = own.result.benefits[0]  # risk-adjusted, as the study's own lines are
    q = sage.actuals["benefit.ben-close-labour"]
    assert line.yearly == tuple(v * (1 - line.risk) for v in (
        sum(v for p, v in q.items() if p < Period(2026, 2)), q[Period(2026, 2)] + q[Period(2026, 3)], Decimal(0)))
    assert line.unadjusted_total == sum(q.values())
    assert [p.period.key if p.period else "initial" for p in own.periods] == [
        "initial", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    assert own.periods[1].benchmark == en.result.years[1].net / 4
    assert own.periods[-1].benchmark == en.result.years[2].net / 4
    assert own.periods[0].costs == sum(sage.initial_costs.values())
    assert own.periods[2].net == own.periods[2].benefits - own.periods[2].costs
    assert own.months_reported == 18
    yearly = realised(en.spec, accounts["acct-y-004"], en.result)
    assert yearly is not None and [p.period.key for p in yearly.periods if p.period] == ["2025", "2026"]
    assert yearly.periods[1].benchmark == en.result.years[1].net
    assert realised(en.spec, accounts["acct-q-003"], en.result) is None  # no data yet


def test_old_accounts_files_stay_valid(en) -> None:  # type: ignore[no-untyped-def]
    good, bad = load_accounts(SAMPLES / "accounts_ledgerly.csv", en.spec)
    assert bad == [] and len(good) == 12
    own = realised(en.spec, good[0][1], en.result)
    assert own is not None and own.periods == () and own.months_reported is None
    line = own.result.benefits[0]
    assert line.yearly == (good[0][1].benefits["ben-close-labour"] * (1 - line.risk),) * 3


def _csv(tmp_path: Path, header: str, *rows: str) -> Path:
    path = tmp_path / "accounts.csv"
    path.write_text("\n".join([header, *rows]) + "\n", "utf-8")
    return path


@pytest.mark.parametrize("columns, cells, reason", [
    ("benefit.ben-close-labour.2025-Q5", "100", "benefit.ben-close-labour.2025-Q5: period '2025-Q5' is not a quarter"),
    ("benefit.ben-close-labor.2025-Q1", "100", "no benefit line 'ben-close-labor' in the study's model (did you mean "
                                               "'ben-close-labour'?)"),
    ("benefit.ben-close-labour.2025-Q1", "lots", "benefit.ben-close-labour.2025-Q1: 'lots' is not a number"),
    ("benefit.ben-close-labour.2025-Q1", "-5", "must be a number from 0 to 1e12"),
    ("benefit.ben-close-labour.2025-Q1,benefit.ben-audit-fees.2025", "1,2", "periods mix quarters and years"),
    ("benefit.ben-close-labour.2025-Q1,benefit.ben-audit-fees", "1,2", "benefit.ben-audit-fees: a yearly amount "
                                                                        "cannot be mixed with per-period actuals"),
    ("initial_cost.cost-training.2025-Q1", "1", "an initial cost is one-off and has no period"),
    ("benefit.ben-close-labour.2025-Q3,benefit.ben-close-labour.Q3 2025", "1,2", "period 2025-Q3 given twice"),
    ("start,benefit.ben-close-labour.2025-Q1", "2025-04-01,1", "period 2025-Q1 is before the account's start"),
    ("start,benefit.ben-close-labour.2028-Q2", "2025-04-01,1", "period 2028-Q2 is in year 4 from 2025-Q2, beyond the "
                                                               "study's 3-year horizon"),
    ("start,benefit.ben-close-labour.2025-Q2", "April 2025,1", "start: 'April 2025' is not a date (expected YYYY-MM-DD)"),
])
def test_bad_periods_lines_and_amounts_are_that_rows_error(tmp_path, en, columns, cells, reason) -> None:  # type: ignore[no-untyped-def]
    empty = "," * (columns.count(",") + 1)
    path = _csv(tmp_path, f"id,name,{columns}", f"good-1,Good{empty}", f"bad-2,Bad,{cells}", f"good-3,Good Too{empty}")
    good, bad = load_accounts(path, en.spec)
    if "no benefit line" in reason or "one-off" in reason:  # a wrong column is wrong in every row, empty or not
        assert good == [] and len(bad) == 3 and all(reason in e.reason for e in bad)
        return
    assert [a.id for _, a in good] == ["good-1", "good-3"]
    assert len(bad) == 1 and bad[0].number == 2 and bad[0].line == 3 and bad[0].account == "bad-2"
    assert reason in bad[0].reason, bad[0].reason


YAML_ACCOUNTS = """\
accounts:
  - id: y-1
    name: Nested Co
    start: 2025-04-14
    initial_costs: {cost-implementation: 1000}
    actuals:
      2025-Q2: {benefits: {ben-close-labour: 500, ben-audit-fees: 50}, costs: {cost-licence: 200}}
      2025-Q3: {benefits: {ben-close-labour: 700}, costs: {cost-licence: 200}}
  - id: y-2
    name: Broken Co
    actuals:
      2025-Q2: {benefits: {ben-nope: 5}}
"""


def test_yaml_jsonl_and_parquet_accounts_nest_actuals_like_the_csv_columns(tmp_path, en) -> None:  # type: ignore[no-untyped-def]
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    (tmp_path / "a.yaml").write_text(YAML_ACCOUNTS, "utf-8")
    good, bad = load_accounts(tmp_path / "a.yaml", en.spec)
    assert [a.id for _, a in good] == ["y-1"] and bad[0].number == 2 and bad[0].line == 9
    assert "benefit.ben-nope.2025-Q2: no benefit line 'ben-nope'" in bad[0].reason
    nested = good[0][1]
    assert nested.actuals == {"benefit.ben-close-labour": {Period(2025, 2): Decimal(500), Period(2025, 3): Decimal(700)},
                              "benefit.ben-audit-fees": {Period(2025, 2): Decimal(50)},
                              "cost.cost-licence": {Period(2025, 2): Decimal(200), Period(2025, 3): Decimal(200)}}
    (tmp_path / "a.jsonl").write_text(json.dumps({
        "id": "y-1", "name": "Nested Co", "start": "2025-04-14", "initial_costs": {"cost-implementation": 1000},
        "actuals": {"2025-Q2": {"benefits": {"ben-close-labour": 500, "ben-audit-fees": 50},
                                "costs": {"cost-licence": 200}},
                    "2025-Q3": {"benefits": {"ben-close-labour": 700}, "costs": {"cost-licence": 200}}}})
        + "\n{not json\n", "utf-8")
    parts = list(stream_accounts(tmp_path / "a.jsonl", en.spec, 10))
    assert [a for _, a in parts[0].good] == [nested]
    assert parts[0].bad[0].number == 2 and "not valid JSON" in parts[0].bad[0].reason
    flat = {"id": "y-1", "name": "Nested Co", "start": "2025-04-14", "initial_cost.cost-implementation": "1000",
            "benefit.ben-close-labour.2025-Q2": "500", "benefit.ben-close-labour.2025-Q3": "700",
            "benefit.ben-audit-fees.2025-Q2": "50", "cost.cost-licence.2025-Q2": "200",
            "cost.cost-licence.2025-Q3": "200"}
    pq.write_table(pa.Table.from_pylist([flat]), tmp_path / "a.parquet")
    assert [a for p in stream_accounts(tmp_path / "a.parquet", en.spec, 10) for _, a in p.good] == [nested]
    assert len(list(iter_rows(tmp_path / "a.yaml"))) == 2


def test_salesforce_report_export_through_the_column_map(tmp_path, en) -> None:  # type: ignore[no-untyped-def]
    """Field labels as the header, every value quoted, "$42,016.00" amounts, M/D/YYYY dates,
    "Q3-2025" periods, the Grand Totals block and the copyright footer; three bad rows are
    reported by number and the accounts they belong to still come out."""
    export = CRM / "salesforce_ledgerly_report.csv"
    assert export.read_text("utf-8").startswith('"Account Name","Account ID","Opportunity Owner"')
    rep = import_crm(export, CRM / "salesforce_report.map.yaml", en.spec, tmp_path / "sf.csv")
    assert [(e.number, e.account) for e in rep.bad] == [(6, "0015g00000LqA1bAAF"), (10, "0015g00000LqA1bAAF"),
                                                        (15, "0015g00000LqA1bAAF")]
    assert "model line 'Travel savings' is not in the map's values" in rep.bad[0].reason
    assert "amount 'TBD' is not an amount" in rep.bad[1].reason
    assert "period 'Q5-2025' is not a quarter" in rep.bad[2].reason
    lines = export.read_text("utf-8").splitlines()
    assert rep.footer_line is not None and lines[rep.footer_line - 1].startswith('"Grand Totals')
    assert any("salesforce.com" in ln for ln in lines[rep.footer_line:])
    assert rep.rows == rep.footer_line - 3  # data rows (the header and the blank line before the totals aside)
    good, bad = load_accounts(tmp_path / "sf.csv", en.spec)
    assert bad == [] and [a.name for _, a in good] == ["Sage Outfitters", "Harbor Clinics", "Kestrel Hotels",
                                                       "Alder Foods"]
    sage = good[0][1]
    assert sage.segment == "mid_market" and sage.seats == 58 and sage.start and sage.start.isoformat() == "2025-04-14"
    assert sage.adopted_use_cases == ("close-orchestration", "auto-reconciliation")
    assert sage.actuals["benefit.ben-close-labour"][Period(2025, 2)] == Decimal("53592.00")
    assert sage.initial_costs == {"cost-implementation": Decimal("111360.00")}
    alder = good[3][1]
    assert alder.actuals == {} and realised(en.spec, alder, en.result) is None  # no realised value yet


def test_hubspot_company_export_with_a_property_per_line_and_quarter(tmp_path, en) -> None:  # type: ignore[no-untyped-def]
    export = CRM / "hubspot_ledgerly_companies.csv"
    assert export.read_text("utf-8").startswith("Record ID,Company name,")
    rep = import_crm(export, CRM / "hubspot_companies.map.yaml", en.spec, tmp_path / "hs.csv")
    assert [(e.number, e.line, e.account) for e in rep.bad] == [(2, 3, "18273649999")]
    assert "segment 'Strategic' is not in the map's values" in rep.bad[0].reason
    good, _ = load_accounts(tmp_path / "hs.csv", en.spec)
    grove = good[0][1]
    assert grove.id == "18273645102" and grove.segment == "enterprise" and grove.start is not None
    assert sorted(grove.actuals["cost.cost-licence"]) == [Period(2025, 4), Period(2026, 1), Period(2026, 2),
                                                          Period(2026, 3)]
    own = realised(en.spec, grove, en.result)
    assert own is not None and own.periods[0].period is None  # the onboarding fee, before year 1
    assert realised(en.spec, good[2][1], en.result) is None


def test_a_map_that_does_not_fit_is_a_located_error_and_writes_nothing(tmp_path, en) -> None:  # type: ignore[no-untyped-def]
    bad_map = tmp_path / "map.yaml"
    bad_map.write_text((CRM / "salesforce_report.map.yaml").read_text("utf-8").replace(
        "name: Account Name", "name: Acount Name"), "utf-8")
    with pytest.raises(InputError) as info:
        import_crm(CRM / "salesforce_ledgerly_report.csv", bad_map, en.spec, tmp_path / "out.csv")
    p = info.value.problems[0]
    assert p.path == "fields.name" and p.line == 8 and "did you mean 'Account Name'" in p.message
    every_bad = tmp_path / "every.yaml"
    every_bad.write_text((CRM / "hubspot_companies.map.yaml").read_text("utf-8").replace(
        "Enterprise: enterprise", "Big: enterprise").replace("Mid-market: mid_market", "Mid: mid_market").replace(
        "Small business: small_business", "Small: small_business"), "utf-8")
    with pytest.raises(InputError) as info:
        import_crm(CRM / "hubspot_ledgerly_companies.csv", every_bad, en.spec, tmp_path / "out.csv")
    assert "no account could be read" in str(info.value) and not (tmp_path / "out.csv").exists()


def test_accounts_import_command(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.hostile_helpers import run_cli

    run = run_cli("accounts", "import", CRM / "salesforce_ledgerly_report.csv", "--map", CRM / "salesforce_report.map.yaml",
                  "--spec", SAMPLES / "ledgerly_en.yaml", "-o", tmp_path / "a.csv", cwd=tmp_path)
    assert run.code == 0, run.err
    assert "4 account(s) written" in run.out and "row 6 (line 7) [0015g00000LqA1bAAF]" in run.err
    assert (tmp_path / "a.csv").read_text("utf-8").startswith("id,name,segment,industry,seats,adopted_use_cases,start,")


def _blocks(doc: t.Document) -> list[t.Block]:
    return [b for p in doc.pages for b in t.iter_blocks(p.blocks)]


@pytest.mark.parametrize("layout, stage", [("qbr_slides", "service"), ("renewal_packet", "renewal"),
                                           ("renewal_summary", "renewal")])
def test_documents_chart_and_tabulate_realised_per_quarter_against_the_benchmark(en, brand, layout, stage) -> None:  # type: ignore[no-untyped-def]
    good, _ = load_accounts(ACCOUNTS / "ledgerly_quarterly.csv", en.spec)
    sage = good[0][1]
    own = realised(en.spec, sage, en.result)
    assert own is not None
    doc, _ = build_document(en, layout, brand, stage=stage, account=sage, account_result=own)
    blocks = _blocks(doc)
    chart = next(b for b in blocks if isinstance(b, t.Chart) and b.series[0].name == "Your results")
    assert chart.categories == ("Initial", "Q2 2025", "Q3 2025", "Q4 2025", "Q1 2026", "Q2 2026", "Q3 2026")
    assert chart.series[0].values == tuple(float(p.net) for p in own.periods)
    assert chart.series[1].name == "Study benchmark" and chart.series[1].values == tuple(
        float(p.benchmark) for p in own.periods)
    if layout == "renewal_packet":
        assert chart.title == "Your value vs the benchmark"
    if layout != "renewal_packet":  # the packet has two pages: the chart, not the table
        table = next(b for b in blocks if isinstance(b, t.Table) and b.header and b.header[0] == "Period")
        shown = chart.categories[-5:] if layout == "qbr_slides" else chart.categories  # a slide: the latest five
        assert [r[0] for r in table.rows] == [*shown, "Total to date"]
        assert table.rows[-1][-1] == f"${sum(p.benchmark for p in own.periods) / 1000:.1f}K"  # over every period
        assert table.header[-1] == "Study benchmark"
    if layout == "qbr_slides":
        payback = next(b for b in blocks if isinstance(b, t.Chart) and b.kind == "payback")
        assert payback.categories[-1] == "18"  # the line stops where the reports stop
        results = next(b for b in blocks if isinstance(b, t.Table) and "Your results to date" in b.header)
        assert results.rows[0][1] == "83%"
    assert doc.title.startswith("Your results")


@pytest.mark.parametrize("layout, stage", [("qbr_slides", "service"), ("renewal_packet", "renewal"),
                                           ("renewal_summary", "renewal")])
def test_without_realised_data_the_documents_say_so_and_are_not_titled_your_results(en, brand, layout, stage) -> None:  # type: ignore[no-untyped-def]
    for account in (Account("new-1", "New Co"), None):
        doc, _ = build_document(en, layout, brand, stage=stage, account=account)
        text = " ".join(t.block_text(b) for b in _blocks(doc))
        said = "No realised data for New Co yet" if account else "No account data yet"
        assert said in text
        assert "Your results" not in doc.title and all(p.title != "Your results" for p in doc.pages)
        assert not any(isinstance(b, t.Heading) and b.text.startswith("Your results") for b in _blocks(doc))
        charts = [b for b in _blocks(doc) if isinstance(b, t.Chart) and b.kind == "bar"]
        assert charts and all(s.name == "Study benchmark" for c in charts for s in c.series)
        assert any(c.title == "Study benchmark: net cash flow per year" for c in charts)


@pytest.mark.parametrize("sample, accounts, first", [
    ("ghatbox_bn", "ghatbox_bn.yaml", "২য় ত্রৈমাসিক ২০২৫"), ("shiftsabai_th", "shiftsabai_th.yaml", "ไตรมาส 2 2025")])
def test_periods_are_labelled_in_the_studys_language(brand, sample, accounts, first) -> None:  # type: ignore[no-untyped-def]
    a = load_study(SAMPLES / f"{sample}.yaml")
    good, bad = load_accounts(ACCOUNTS / accounts, a.spec)
    assert bad == [] and len(good) == 2
    own = realised(a.spec, good[0][1], a.result)
    doc, _ = build_document(a, "qbr_slides", brand, stage="service", account=good[0][1], account_result=own)
    chart = next(b for b in _blocks(doc) if isinstance(b, t.Chart) and len(b.series) == 2)
    assert chart.categories[1] == first
    assert realised(a.spec, good[1][1], a.result) is None


def _files(tmp_path: Path, sample: str, accounts: str) -> dict[tuple[str, str], Path]:
    """The QBR (PPTX), renewal packet (PDF) and summary (DOCX) of the sample's first two
    accounts (the first with quarterly actuals, the other without data)."""
    from roi_in_a_box.deliver.pipeline import Job, render_one, vendor_logo

    a = load_study(SAMPLES / f"{sample}.yaml")
    brand = load_kit(resolve_kit(None))
    good, _ = load_accounts(ACCOUNTS / accounts, a.spec)
    with_data, without = good[0][1], next(acc for _, acc in good if not acc.actuals)
    out = {}
    for acc in (with_data, without):
        for stage, layout, fmt in (("service", "qbr_slides", "pptx"), ("renewal", "renewal_packet", "pdf"),
                                   ("renewal", "renewal_summary", "docx")):
            path = tmp_path / acc.id / f"{layout}.{fmt}"
            path.parent.mkdir(parents=True, exist_ok=True)
            render_one(a, Job(stage, layout, fmt, path), brand, account=acc, logo=vendor_logo(a), check=False)
            out[(acc.id, fmt)] = path
    return out


def _pptx_charts_and_text(path: Path) -> tuple[list[tuple[str, ...]], str]:
    from pptx import Presentation

    cats, text = [], []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_chart:
                cats.append(tuple(str(c) for c in shape.chart.plots[0].categories))
            if shape.has_text_frame:
                text.append(shape.text_frame.text)
            if shape.has_table:
                text += [c.text for r in shape.table.rows for c in r.cells]
    return cats, "\n".join(text)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)


def _docx_text(path: Path) -> tuple[str, list[list[str]]]:
    from docx import Document

    d = Document(str(path))
    return "\n".join(p.text for p in d.paragraphs), [[c.text for c in r.cells] for tb in d.tables for r in tb.rows]


def test_the_files_show_quarterly_realised_value_and_say_when_there_is_none(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Read back from the PPTX (native chart categories, table cells), the PDF text and the
    DOCX tables: the quarters are there for the account with actuals, the no-data sentence
    and no "Your results" title for the one without."""
    files = _files(tmp_path, "ledgerly_en", "ledgerly_quarterly.csv")
    cats, text = _pptx_charts_and_text(files[("acct-q-001", "pptx")])
    assert ("Initial", "Q2 2025", "Q3 2025", "Q4 2025", "Q1 2026", "Q2 2026", "Q3 2026") in cats
    assert "Total to date" in text and "Realised value over time · Study benchmark" in text
    pdf = _pdf_text(files[("acct-q-001", "pdf")])
    assert "Your value vs the benchmark" in pdf and "Q3 2026" in pdf
    _, rows = _docx_text(files[("acct-q-001", "docx")])
    table = next(r for r in rows if r and r[0] == "Total to date")
    assert len(table) == 5  # period, benefits, costs, net, benchmark
    assert ["Period", "Benefits", "Costs", "Net", "Study benchmark²"] in rows or any(
        r[:4] == ["Period", "Benefits", "Costs", "Net"] for r in rows)
    cats, text = _pptx_charts_and_text(files[("acct-q-003", "pptx")])
    assert "No realised data for Juniper Trading yet" in text and "Your results" not in text
    assert "No realised data for Juniper Trading yet" in " ".join(_pdf_text(files[("acct-q-003", "pdf")]).split())
    paragraphs, _ = _docx_text(files[("acct-q-003", "docx")])
    assert "No realised data for Juniper Trading yet" in paragraphs
    from docx import Document

    assert not Document(str(files[("acct-q-003", "docx")])).core_properties.title.startswith("Your results")
