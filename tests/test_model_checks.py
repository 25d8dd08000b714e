"""Model-level checks of a whole spec: invalid shared outcomes are located errors, and
figures that compute but mislead (never paid back, implausible or negative ROI) warn."""

from __future__ import annotations

from pathlib import Path

import pytest

from roi_in_a_box.model.plausibility import document_warnings
from roi_in_a_box.model.study import load_study
from roi_in_a_box.spec.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = (ROOT / "sample_inputs" / "minimal_en.yaml").read_text("utf-8")
MODEL = MINIMAL[MINIMAL.index("roi_model:"):]


def _spec(tmp_path: Path, roi_model: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(MINIMAL.replace(MODEL, roi_model), "utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, ln in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in ln)


SHARED = MODEL + """  shared_outcomes:
    - id: so-x
      label: Net new sales in the quarter
      outcome: 100000
      method: {method}
      contributors:
        - name: Agency
          cost: {cost}
        - name: {second}
          cost: 0
"""


def test_cost_weighted_with_all_costs_zero_is_a_located_error(tmp_path: Path) -> None:
    spec = _spec(tmp_path, SHARED.format(method="cost_weighted", cost=0, second="Team"))
    with pytest.raises(InputError) as exc:
        load_study(spec)
    [p] = exc.value.problems
    assert p.path == "roi_model.shared_outcomes[0].method" and p.code == "shares"
    assert p.line == _line_of(spec, "method: cost_weighted")
    assert "every contributor's cost is 0" in p.message


def test_duplicate_contributor_names_are_a_located_error(tmp_path: Path) -> None:
    spec = _spec(tmp_path, SHARED.format(method="equal", cost=10, second="Agency"))
    with pytest.raises(InputError) as exc:
        load_study(spec)
    [p] = exc.value.problems
    assert p.path == "roi_model.shared_outcomes[0].contributors[1].name" and p.code == "duplicate-id"
    assert p.line == _line_of(spec, "- name: Agency") + 2  # the second "Agency"


def test_valid_shared_outcome_still_attributes(tmp_path: Path) -> None:
    a = load_study(_spec(tmp_path, SHARED.format(method="cost_weighted", cost=10, second="Team")))
    [(_, ats)] = a.attributions
    assert [at.amount for at in ats] == [100000, 0]


NEVER = """roi_model:
  benefits:
    - id: ben-time
      label: Accounting time freed by a faster close
      roi_type: efficiency
      yearly: [10000, 10000, 10000]
  costs:
    - id: cost-licence
      label: Subscription
      yearly: [50000, 50000, 50000]
"""


def test_never_paid_back_and_negative_roi_warn(tmp_path: Path) -> None:
    a = load_study(_spec(tmp_path, NEVER))
    assert a.result.roi_pct == -80 and a.result.payback_months is None
    codes = {w.code for w in a.warnings}
    assert {"no-payback", "negative-roi"} <= codes
    assert document_warnings("pre_sale", a.result, "the study model") == [
        "pre_sale document shows a negative ROI (-80%, the study model)"]
    assert document_warnings("onboarding", a.result, "the study model") == []


def test_implausible_roi_warns(tmp_path: Path) -> None:
    huge = MODEL.replace("yearly: [100000, 110000, 120000]", "yearly: [100000000000, 100000000000, 100000000000]")
    a = load_study(_spec(tmp_path, huge))
    [w] = [w for w in a.warnings if w.code == "implausible-roi"]
    assert w.path == "roi_model" and "study.policy.max_roi_pct" in w.expected
    assert not [w for w in load_study(_spec(tmp_path, MODEL)).warnings if w.code == "implausible-roi"]


def test_payback_dip_warns_and_reports_the_final_crossing(tmp_path: Path) -> None:
    dip = MODEL.replace("yearly: [100000, 110000, 120000]", "yearly: [100000, 0, 200000]").replace(
        "yearly: [30000, 30000, 30000]", "yearly: [30000, 100000, 30000]")
    a = load_study(_spec(tmp_path, dip))
    # cumulative: −20,000 at 0, +50,000 after year 1, −50,000 after year 2, +120,000 after year 3
    assert [y.cumulative_net for y in a.result.years] == [-20000, 50000, -50000, 120000]
    assert a.result.payback_months is not None and 24 < a.result.payback_months < 36
    [w] = [w for w in a.warnings if w.code == "payback-dip"]
    assert "first reaches zero after 3.43 months" in w.message
