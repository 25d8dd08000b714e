"""Claims in the forms studies print them: bounds, ranges, totals and per-line figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from roi_in_a_box.model.study import load_study
from roi_in_a_box.spec.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
LEDGERLY = ROOT / "sample_inputs" / "ledgerly_en.yaml"
PAYBACK = """    - figure: payback_months
      below: 6
"""


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = LEDGERLY.read_text("utf-8")
    assert old in text
    path = tmp_path / "v.yaml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def test_sample_claims_in_every_form_pass() -> None:
    claims = load_study(LEDGERLY).spec.roi_model.claims
    assert {c.figure for c in claims} >= {"payback_months", "npv", "total_costs", "line_pv"}


@pytest.mark.parametrize("new, found", [
    ("    - figure: payback_months\n      below: 4\n", "< 4"),  # payback is 4.54 months (tolerance 0.5)
    ("    - figure: roi_pct\n      above: 250\n", "> 250"),
    ("    - figure: npv\n      low: 600000\n      high: 700000\n", "600000 … 700000"),
])
def test_bounds_and_ranges_that_do_not_hold_are_located_errors(tmp_path: Path, new: str, found: str) -> None:
    spec = _variant(tmp_path, PAYBACK, new)
    with pytest.raises(InputError) as exc:
        load_study(spec)
    [p] = exc.value.problems
    assert p.code == "claim-mismatch" and p.found == found and p.path.startswith("roi_model.claims[1]")


def test_per_line_claim_mismatch_and_unknown_line(tmp_path: Path) -> None:
    wrong = _variant(tmp_path, "      value: 405629\n", "      value: 450699\n")  # the unadjusted PV
    with pytest.raises(InputError) as exc:
        load_study(wrong)
    assert [p.code for p in exc.value.problems] == ["claim-mismatch"]
    assert "line 'ben-close-labour'" in exc.value.problems[0].message
    unknown = _variant(tmp_path, "      line: ben-close-labour\n", "      line: ben-close-labor\n")
    with pytest.raises(InputError) as exc:
        load_study(unknown)
    assert [p.code for p in exc.value.problems] == ["dangling-ref"]


def test_a_claim_with_two_forms_is_an_error(tmp_path: Path) -> None:
    spec = _variant(tmp_path, PAYBACK, "    - figure: payback_months\n      below: 6\n      value: 4.5\n")
    with pytest.raises(InputError) as exc:
        load_study(spec)
    assert [p.code for p in exc.value.problems] == ["claim-form"]
