"""Number lint: numbers typed into the prose must trace to the model, the evidence or a
declared source; figure references are filled by the engine."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from roi_in_a_box.model.number_lint import numbers_in
from roi_in_a_box.model.study import load_study
from roi_in_a_box.spec.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "sample_inputs").glob("*.yaml"))
LEDGERLY = ROOT / "sample_inputs" / "ledgerly_en.yaml"
SUBTITLE = "An independent analysis of 212 verified G2 reviews, two customer case studies and a three-year value model"


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_sample_passes_the_number_lint(path: Path) -> None:
    assert [str(w) for w in load_study(path).warnings if w.code == "untraced-number"] == []


def _variant(tmp_path: Path, old: str, new: str, extra: str = "") -> Path:
    text = LEDGERLY.read_text("utf-8")
    assert old in text
    path = tmp_path / "v.yaml"
    path.write_text(text.replace(old, new, 1) + extra, "utf-8")
    return path


def test_typed_numbers_that_trace_to_nothing_warn_where_they_are(tmp_path: Path) -> None:
    spec = _variant(tmp_path, SUBTITLE, "999 verified reviews, 900% ROI")
    found = [w for w in load_study(spec).warnings if w.code == "untraced-number"]
    assert [w.found for w in found] == ["'999'", "'900%'"]
    line = next(i for i, ln in enumerate(spec.read_text("utf-8").splitlines(), 1) if "999 verified" in ln)
    assert {(w.path, w.line) for w in found} == {("study.subtitle", line)}


def test_methodology_with_the_wrong_rate_warns(tmp_path: Path) -> None:
    spec = _variant(tmp_path, "discounted at 10% a year", "discounted at 12% a year")
    [w] = [w for w in load_study(spec).warnings if w.code == "untraced-number"]
    assert w.path == "methodology" and w.found == "'12%'"


def test_strict_numbers_makes_it_an_error(tmp_path: Path) -> None:
    spec = _variant(tmp_path, SUBTITLE, "999 verified reviews", "")
    text = spec.read_text("utf-8").replace("  currency: USD\n", "  currency: USD\n  policy:\n    strict_numbers: true\n", 1)
    spec.write_text(text, "utf-8")
    with pytest.raises(InputError) as exc:
        load_study(spec)
    assert [(p.path, p.code) for p in exc.value.problems] == [("study.subtitle", "untraced-number")]


def test_numbers_within_display_rounding_pass(tmp_path: Path) -> None:
    # ROI 195.7…%, NPV 513,9xx, payback 4.54 months, rating 4.6
    spec = _variant(tmp_path, SUBTITLE, "196% ROI, $513.9K NPV, $0.5M net, payback in 4.5 months, rated 4.6")
    assert [w for w in load_study(spec).warnings if w.code == "untraced-number"] == []
    spec = _variant(tmp_path, SUBTITLE, "197% ROI")
    assert [w.found for w in load_study(spec).warnings if w.code == "untraced-number"] == ["'197%'"]


def test_numbers_in_reads_separators_suffixes_and_native_digits() -> None:
    got = [(n.value, n.tolerance, n.percent) for n in numbers_in("$1,234.5 and $6.2M, 38-40% in G2 and B2B")]
    assert got == [(D("1234.5"), D("0.05"), False), (D("6.2E+6"), D("5E+4"), False), (D(38), D("0.5"), False),
                   (D(40), D("0.5"), True)]
    assert [n.value for n in numbers_in("১৬৮টি পর্যালোচনা, ১.৫ লা৳")] == [D(168), D("1.5E+5")]
    assert [n.value for n in numbers_in("รีวิว ๙๔ รายการ 3 ปี")] == [D(94), D(3)]
    assert numbers_in("{{ figure('roi_pct') }} ROI") == []


def test_figure_references_are_filled_in_the_study_language(tmp_path: Path) -> None:
    spec = _variant(tmp_path, SUBTITLE, "{{ figure('roi_pct') }} ROI from {{ figure('review_count') }} reviews, "
                                        "payback {{figure('payback_months')}}")
    a = load_study(spec)
    assert a.spec.study.subtitle == "196% ROI from 212 reviews, payback 4.5 months"
    assert not [w for w in a.warnings if w.code == "untraced-number"]


def test_unknown_figure_reference_is_a_located_error(tmp_path: Path) -> None:
    spec = _variant(tmp_path, SUBTITLE, "{{ figure('roi') }} ROI")
    with pytest.raises(InputError) as exc:
        load_study(spec)
    [p] = exc.value.problems
    assert p.path == "study.subtitle" and p.code == "reference" and "roi_pct" in p.expected


def test_references_fill_bengali_native_digits() -> None:
    a = load_study(ROOT / "sample_inputs" / "ghatbox_bn.yaml")
    from roi_in_a_box.model.references import fill, figure_values
    from roi_in_a_box.model.summary import figures_for

    values = figure_values(a.result, a.spec, figures_for(a))
    filled = fill(a.spec.model_copy(update={"methodology": "ROI {{ figure('roi_pct') }}"}), values)
    assert filled.methodology == "ROI " + values["roi_pct"]
    assert any("০" <= ch <= "৯" for ch in values["review_count"])


def test_a_checked_claim_bound_is_traceable(tmp_path: Path) -> None:
    # "payback < 6 months" is claims[1] (below: 6), checked against the model's 4.54 months.
    spec = _variant(tmp_path, SUBTITLE, "Payback in under 6 months")
    assert [w for w in load_study(spec).warnings if w.code == "untraced-number"] == []
    spec = _variant(tmp_path, SUBTITLE, "Payback in under 7 months")
    assert [w.found for w in load_study(spec).warnings if w.code == "untraced-number"] == ["'7'"]
