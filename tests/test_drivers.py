"""Driver-based lines: the formula grammar, located formula errors, and a published TEI
benefit calculation table reproduced to the dollar."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from roi_in_a_box.model.formula import FormulaError, parse
from roi_in_a_box.model.study import load_study
from roi_in_a_box.spec.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = (ROOT / "sample_inputs" / "minimal_en.yaml").read_text("utf-8")
BENEFIT = MINIMAL[MINIMAL.index("  benefits:"):MINIMAL.index("  costs:")]

# Forrester Consulting for Intellum, "Drive Business Success Through Customer Education"
# (May 2024), Appendix: TEI Benefits, Table B "Increased Customer Spending"
# (https://thoughtleadership.forrester.com/go/intellum/customer_education_ebook/44):
#   B1 annual revenue (A1+A6)                 $1,000,000,000  $1,044,000,000  $1,090,828,000
#   B2 customers offered education (A2)       38.4%           76.7%           76.7%
#   B3 training utilisation rate (A3)         51.1%           51.1%           51.1%
#   B4 increased revenue per trainee (survey) 8.3%            8.3%            8.3%
#   B5 top-line growth B1*B2*B3*B4            $16,286,592     $33,962,125     $35,485,476
#   B6 operating profit margin (A7)           12%             12%             12%
#   Bt increased customer spending B5*B6      $1,954,391      $4,075,455      $4,258,257
#   risk adjustment ↓20%
#   Btr risk-adjusted                         $1,563,513      $3,260,364      $3,406,606
#   three-year total $8,230,482; three-year present value (10%) $6,675,324
INTELLUM = """  benefits:
    - id: ben-spending
      label: Increased customer spending
      roi_type: attributable
      risk: 0.20
      formula: "revenue * offered * utilisation * uplift * margin"
      drivers:
        - name: revenue
          label: Annual revenue
          unit: USD
          yearly: [1000000000, 1044000000, 1090828000]
          source: "A1+A6 (composite, grown by retained customers)"
        - name: offered
          label: Percentage of customers offered education programs
          unit: percent
          yearly: [38.4, 76.7, 76.7]
          source: "A2 (survey data; half the 76.7% in Year 1)"
        - name: utilisation
          label: Training utilization rate
          unit: percent
          value: 51.1
          source: "A3 (survey data)"
        - name: uplift
          label: Increased revenue per trainee
          unit: percent
          value: 8.3
          source: survey data
        - name: margin
          label: Operating profit margin
          unit: percent
          value: 12
          source: "A7 (composite)"
"""


def _spec(tmp_path: Path, benefits: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(MINIMAL.replace(BENEFIT, benefits), "utf-8")
    return path


def test_intellum_increased_customer_spending_to_the_dollar(tmp_path: Path) -> None:
    a = load_study(_spec(tmp_path, INTELLUM))
    calc = a.calculations["ben-spending"]
    assert [r.ref for r in calc.rows] == ["A1", "A2", "A3", "A4", "A5"]
    assert calc.formula == "A1*A2*A3*A4*A5"
    unadjusted = [x.quantize(D(1)) for x in calc.amounts]
    assert unadjusted == [1954391, 4075455, 4258257]  # Bt
    [line] = a.result.benefits
    assert [x.quantize(D(1)) for x in line.yearly] == [1563513, 3260364, 3406606]  # Btr
    assert line.pv.quantize(D(1)) == 6675324  # published three-year PV, to the dollar
    # Published total $8,230,482; exact total 8,230,482.508 (the study's total is not half-up rounded).
    assert abs(line.total - 8230482) < 1
    top_line = [(r * o * u * g) for r, o, u, g in zip(*(row.used for row in calc.rows[:4]))]
    assert [x.quantize(D(1)) for x in top_line] == [16286592, 33962125, 35485476]  # B5


def test_the_line_is_expressible_with_literal_factors(tmp_path: Path) -> None:
    literal = INTELLUM.replace('"revenue * offered * utilisation * uplift * margin"',
                               '"revenue × offered × 0.511 × 0.083 × 12%"')
    a = load_study(_spec(tmp_path, literal))
    assert a.result.benefits[0].pv.quantize(D(1)) == 6675324
    assert a.calculations["ben-spending"].formula == "A1×A2×0.511×0.083×12%"


def test_formula_errors_are_located_at_the_bad_token(tmp_path: Path) -> None:
    bad = INTELLUM.replace('"revenue * offered * utilisation * uplift * margin"',
                           '"revenue * offerd * utilisation"')
    spec = _spec(tmp_path, bad)
    with pytest.raises(InputError) as exc:
        load_study(spec)
    [p] = exc.value.problems
    lines = spec.read_text("utf-8").splitlines()
    row = next(i for i, ln in enumerate(lines, 1) if "offerd" in ln)
    assert (p.line, p.code, p.found) == (row, "formula", "'offerd'")
    assert lines[row - 1][p.column - 1:p.column + 5] == "offerd"  # the column points at the token
    assert "unknown input 'offerd'" in p.message and "revenue" in p.message


def test_structural_driver_errors(tmp_path: Path) -> None:
    both = INTELLUM.replace("      risk: 0.20\n", "      risk: 0.20\n      yearly: [1, 2, 3]\n")
    short = INTELLUM.replace("yearly: [38.4, 76.7, 76.7]", "yearly: [38.4, 76.7]")
    zero = INTELLUM.replace('"revenue * offered * utilisation * uplift * margin"', '"revenue / (margin - 12%)"')
    for text, code, needle in ((both, "formula", "both yearly amounts and a formula"),
                               (short, "horizon", "has 2 yearly values"),
                               (zero, "formula", "year 1: division by zero")):
        with pytest.raises(InputError) as exc:
            load_study(_spec(tmp_path, text))
        assert any(p.code == code and needle in p.message for p in exc.value.problems), exc.value.problems


@pytest.mark.parametrize("source, value", [("2 + 3 * 4", D(14)), ("(2 + 3) * 4", D(20)), ("-2 * -3", D(6)),
                                           ("10 / 4", D("2.5")), ("50% * 8", D(4)), ("min(3, 1, 2) + max(1, 5)", D(6)),
                                           ("1 - 2 - 3", D(-4)), ("8 ÷ 2 × 3", D(12))])
def test_grammar_precedence_and_associativity(source: str, value: D) -> None:
    assert parse(source).evaluate({}) == value


@pytest.mark.parametrize("source, column", [("a * * b", 5), ("a +", 4), ("(a", 3), ("a b", 3), ("a $ b", 3),
                                            ("__import__('os')", 1), ("a ** b", 4), ("", 1)])
def test_grammar_rejects_with_the_column(source: str, column: int) -> None:
    with pytest.raises(FormulaError) as exc:
        parse(source, {"a", "b"})
    assert exc.value.column == column


def test_grammar_bounds() -> None:
    with pytest.raises(FormulaError, match="nests deeper"):
        parse("(" * 30 + "1" + ")" * 30)
    with pytest.raises(FormulaError, match="at most 300"):
        parse("1+" * 200 + "1")
