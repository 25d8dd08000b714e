"""The TEI-style calculation table and shared-outcome rounding as documents show them."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from roi_in_a_box.brand.kit import load_kit, resolve_kit
from roi_in_a_box.layout import tree as t
from roi_in_a_box.layout.engine import build_document
from roi_in_a_box.model.study import load_study

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = {n: ROOT / "sample_inputs" / f"{n}.yaml" for n in ("ledgerly_en", "ghatbox_bn", "shiftsabai_th")}


@pytest.fixture(scope="module")
def brand():  # type: ignore[no-untyped-def]
    return load_kit(resolve_kit(None))


def _tables(doc: t.Document) -> dict[str, t.Table]:
    return {b.id: b for p in doc.pages for b in t.iter_blocks(p.blocks) if isinstance(b, t.Table)}


def test_ledgerly_calculation_table_rows(brand) -> None:  # type: ignore[no-untyped-def]
    doc, _ = build_document(load_study(SAMPLES["ledgerly_en"]), "case_study", brand)
    [table] = [tb for i, tb in _tables(doc).items() if i.endswith("-ben-close-labour")]
    assert table.header == ("Ref.", "Metric", "Source", "Year 1", "Year 2", "Year 3")
    assert [r[0] for r in table.rows] == ["A1", "A2", "A3", "At", "", "Atr"]
    assert table.rows[1][3:] == ("280", "310", "320")
    assert table.rows[2][3:] == ("$50", "$50", "$50")
    assert table.rows[3][2:] == ("A1*A2*A3", "$168,000", "$186,000", "$192,000")
    assert table.rows[4][2] == "↓10%"
    assert table.rows[5][3:] == ("$151,200", "$167,400", "$172,800")
    assert table.caption == "3-year total $491,400; present value $405,629 (discounted at 10%)."
    assert any("evidence: cs-harborline, q-close-six-days" in s for s in table.sources)


@pytest.mark.parametrize("name, native", [("ghatbox_bn", "৩৬,০০,০০০"), ("shiftsabai_th", "1,400,000")])
def test_calculation_table_in_bengali_and_thai(brand, name: str, native: str) -> None:  # type: ignore[no-untyped-def]
    doc, _ = build_document(load_study(SAMPLES[name]), "case_study", brand)
    [table] = [tb for i, tb in _tables(doc).items() if "-ben-" in i and tb.header[0] != ""]
    assert table.rows[-3][0].endswith("t") and native in " ".join(table.rows[-3])


def test_shared_outcome_rows_add_up_to_the_caption(brand) -> None:  # type: ignore[no-untyped-def]
    a = load_study(SAMPLES["ledgerly_en"])
    doc, _ = build_document(a, "case_study", brand)
    [table] = [tb for i, tb in _tables(doc).items() if i.endswith("so-harborline-relaunch")]
    amounts = [D(r[2].lstrip("$").replace(",", "")) for r in table.rows]
    shares = [int(r[1].rstrip("%")) for r in table.rows]
    assert sum(amounts) == 6200000 and "($6,200,000)" in table.caption
    assert sum(shares) == 100


def test_line_results_side_by_side_in_full_amounts(brand) -> None:  # type: ignore[no-untyped-def]
    a = load_study(SAMPLES["ledgerly_en"])
    doc, _ = build_document(a, "case_study", brand)
    [table] = [tb for tb in _tables(doc).values() if tb.header[:2] == ("", "Risk")]
    first = table.rows[0]
    assert first == ("Accounting time freed by a faster close", "10%", "$546,000", "$450,699", "$491,400", "$405,629")
    benefits = next(r for r in table.rows if r[0] == "Benefits")
    assert benefits[5] == "$775,820"  # equals PV(benefits), in whole dollars
    assert a.result.pv_benefits.quantize(D(1)) == 775820


def test_check_json_has_per_line_results() -> None:
    from roi_in_a_box.model.summary import summary_json

    lines = summary_json(load_study(SAMPLES["ledgerly_en"]))["figures"]["lines"]
    first = lines[0]
    assert first["unadjusted"] == {"total": "546000.00", "pv": "450698.72"}
    assert first["adjusted"]["yearly"] == ["151200.00", "167400.00", "172800.00"]
    assert first["calculation"]["formula"] == "A1*A2*A3"
    assert first["calculation"]["inputs"][1]["low"] == "200"
    assert {ln["kind"] for ln in lines} == {"benefit", "cost"} and "calculation" not in lines[1]


def test_unquantified_benefits_and_flexibility_sections(brand) -> None:  # type: ignore[no-untyped-def]
    a = load_study(SAMPLES["ledgerly_en"])
    doc, _ = build_document(a, "case_study", brand)
    blocks = [b for p in doc.pages for b in t.iter_blocks(p.blocks)]
    heads = [b.text for b in blocks if isinstance(b, t.Heading)]
    assert "Unquantified benefits" in heads and "Flexibility" in heads
    quotes = [b for b in blocks if isinstance(b, t.Quote) and b.id.endswith("flex-more-entities-q")]
    assert quotes and quotes[0].text.startswith("I run the books for nine clients")
    para = next(b for b in blocks if b.id.endswith("-uq-program-budgets"))
    assert para.sources == ("Unquantified benefits uq-program-budgets: evidence q-nonprofit-grants",)


def test_flexibility_needs_verified_evidence(tmp_path: Path) -> None:
    from roi_in_a_box.spec.errors import InputError

    text = SAMPLES["ledgerly_en"].read_text("utf-8").replace("    evidence: [q-small-firm]\n",
                                                             "    evidence: [q-gift-card]\n", 1)
    spec = tmp_path / "s.yaml"
    spec.write_text(text, "utf-8")
    with pytest.raises(InputError) as exc:
        load_study(spec)
    assert [(p.path, p.code) for p in exc.value.problems] == [("flexibility[0].evidence", "unverified-evidence")]
