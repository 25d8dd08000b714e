"""The spec format: samples pass, every invalid sample fails where and how it says it will."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from roi_in_a_box.cli import app
from roi_in_a_box.model.study import load_study
from roi_in_a_box.spec.errors import InputError
from roi_in_a_box.spec.schema import json_schema
from roi_in_a_box.spec.yaml_source import load_file, parse_text

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "sample_inputs").glob("*.yaml"))
INVALID = sorted((ROOT / "sample_inputs" / "invalid").glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (?P<code>[a-z_-]+) line (?P<line>\d+)")
runner = CliRunner()


def _first_line(path: Path) -> str:
    return path.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace")


def test_there_are_samples_in_three_languages() -> None:
    langs = {load_study(p).spec.study.language for p in SAMPLES}
    assert {"en", "bn", "th"} <= langs


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_passes_check(path: Path) -> None:
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert "OK: spec is valid" in result.output
    if path.name.startswith("minimal"):
        return
    a = load_study(path)
    assert len(a.spec.quotes) >= 6 and len(a.spec.use_cases) >= 3 and len(a.spec.value_props) >= 3
    assert a.spec.roi_model.horizon_years == 3 and a.spec.vendor.review_count >= 50


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_schema_command_output_validates_sample(path: Path) -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(_jsonable(load_file(path).data), schema, cls=jsonschema.Draft202012Validator,
                        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_schema_rejects_what_the_engine_rejects() -> None:
    data = _jsonable(load_file(SAMPLES[0]).data)
    data["study"]["langauge"] = "en"  # type: ignore[index]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json_schema(), cls=jsonschema.Draft202012Validator)


def test_invalid_samples_cover_every_error_class() -> None:
    codes = {EXPECT.match(_first_line(p)).group("code") for p in INVALID}  # type: ignore[union-attr]
    assert {"yaml", "alias", "depth", "duplicate-key", "unknown-key", "missing", "dangling-ref",
            "unverified-evidence", "claim-mismatch"} <= codes


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_sample_fails_at_expected_line(path: Path) -> None:
    m = EXPECT.match(_first_line(path))
    assert m, f"{path.name} lacks an '# expect: CODE line N' header"
    with pytest.raises(InputError) as info:
        load_study(path)
    found = [(p.code, p.line) for p in info.value.problems]
    assert (m.group("code"), int(m.group("line"))) in found, [str(p) for p in info.value.problems]
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert f"{path}:{m.group('line')}:" in result.output


def test_check_json_reports_errors_with_locations() -> None:
    bad = next(p for p in INVALID if "unknown" in p.name)
    result = runner.invoke(app, ["check", "--json", str(bad)])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["ok"] is False
    err = report["errors"][0]
    assert {"file", "line", "column", "path", "message", "expected"} <= set(err)
    assert "did you mean" in err["message"]


def test_check_json_summary_has_figures_and_definitions() -> None:
    result = runner.invoke(app, ["check", "--json", str(SAMPLES[0])])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["figures"]["roi_pct"]["definition"].startswith("ROI = NPV / PV(costs)")
    assert report["zone"] in ("winning", "competitive", "instability")


def test_usage_error_exits_2() -> None:
    assert runner.invoke(app, ["check"]).exit_code == 2
    assert runner.invoke(app, ["nonsense"]).exit_code == 2


def test_alias_bomb_rejected_quickly() -> None:
    bomb = "a: &a ['x','x','x','x','x','x','x','x','x']\n" + "".join(
        f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        parse_text(bomb, "bomb.yaml")
    assert time.perf_counter() - start < 1.0
    assert info.value.problems[0].code == "alias"


def test_deep_nesting_rejected_without_crashing() -> None:
    deep = "a: " + "[" * 50_000 + "]" * 50_000 + "\n"
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        parse_text(deep, "deep.yaml")
    assert time.perf_counter() - start < 2.0
    assert info.value.problems[0].code == "depth"


def test_unknown_key_suggests_the_right_one() -> None:
    with pytest.raises(InputError) as info:
        from roi_in_a_box.spec.schema import StudySpec
        from roi_in_a_box.spec.validate import parse_model

        text = SAMPLES[0].read_text("utf-8").replace("  currency:", "  curency:", 1)
        parse_model(parse_text(text, "x.yaml"), StudySpec)
    msgs = [str(p) for p in info.value.problems]
    assert any("did you mean 'currency'" in m for m in msgs), msgs


def test_duplicate_keys_are_errors() -> None:
    with pytest.raises(InputError) as info:
        parse_text("a: 1\nb: 2\na: 3\n", "dup.yaml")
    p = info.value.problems[0]
    assert (p.code, p.line, p.column) == ("duplicate-key", 3, 1)
    assert "first defined on line 1" in p.message


def test_money_stays_exact() -> None:
    data = parse_text("amount: 0.10\nbig: 12345678901234.55\n", "m.yaml").data
    assert data == {"amount": Decimal("0.10"), "big": Decimal("12345678901234.55")}


def test_stale_and_unusable_quotes_are_warnings_not_errors() -> None:
    a = load_study(SAMPLES[0])
    codes = {w.code for w in a.warnings}
    assert "stale-quote" in codes
    assert all(w.severity == "warning" for w in a.warnings)


def test_too_few_reviews_means_draft_only(tmp_path: Path) -> None:
    text = re.sub(r"review_count: \d+", "review_count: 12", SAMPLES[0].read_text("utf-8"), count=1)
    spec = tmp_path / "few.yaml"
    spec.write_text(text, "utf-8")
    a = load_study(spec)
    assert a.draft
    assert any(w.code == "draft-only" for w in a.warnings)


def test_libyaml_and_pyyaml_read_every_file_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are read by libyaml when PyYAML has it; the data, every location and every
    error (aliases, depth, syntax, two documents, duplicate keys) are PyYAML's own."""
    from roi_in_a_box.spec import yaml_source

    if yaml_source._FAST is None:
        pytest.skip("PyYAML was built without libyaml")
    root = Path(__file__).resolve().parents[1]
    files = [*sorted((root / "sample_inputs").rglob("*.yaml")), *sorted((root / "layouts").glob("*.yaml")),
             *sorted((root / "brand_kits").rglob("*.yaml"))]

    def read(path: Path) -> object:
        try:
            loc = yaml_source.parse_text(path.read_text("utf-8", errors="surrogateescape"), path.name)
        except InputError as exc:
            return [str(p) for p in exc.problems]
        return (loc.data, loc.value_at, loc.key_at, loc.cleaned)
    fast = {p: read(p) for p in files}
    assert sum(isinstance(v, list) for v in fast.values()) >= 5  # some of sample_inputs/invalid fail to parse
    monkeypatch.setattr(yaml_source, "_FAST", None)
    assert {p: read(p) for p in files} == fast
