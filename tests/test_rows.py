"""Accounts files and review exports are read row by row: a row that is not UTF-8, has the
wrong number of columns, a 5 MB field, a NaN rating or 100,000-deep JSON is that row's
error (with its number); the other rows are used.  A mapping that rejects every row is
invalid input (exit 1), and FIFOs and Windows device names are refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from roi_in_a_box.deliver.accounts import load_accounts
from roi_in_a_box.model.study import load_study
from roi_in_a_box.reviews.importer import import_export
from roi_in_a_box.spec.errors import InputError
from roi_in_a_box.spec.file_names import reserved_name
from tests.hostile_helpers import ROOT, SAMPLE, assert_clean_failure, run_cli, sample_copy

ACCOUNTS = ROOT / "sample_inputs" / "accounts_ledgerly.csv"
REVIEWS = ROOT / "sample_inputs" / "reviews"


@pytest.fixture(scope="module")
def spec():
    return load_study(SAMPLE).spec


def _accounts(tmp_path: Path, extra: list[bytes], keep: int = 4) -> Path:
    lines = ACCOUNTS.read_bytes().splitlines(keepends=True)[: keep + 1]
    path = tmp_path / "accounts.csv"
    path.write_bytes(b"".join(lines) + b"".join(extra))
    return path


def test_one_latin1_row_is_a_row_error(tmp_path, spec):
    path = _accounts(tmp_path, [b"acct-latin,Caf\xe9 M\xfcller,mid_market,Software,5,,,,,,,,,,,\n",
                                b"acct-after,After,mid_market,Software,5,,,,,,,,,,,\n"])
    good, bad = load_accounts(path, spec)
    assert [a.id for _, a in good] == ["acct-00001", "acct-00002", "acct-00003", "acct-00004", "acct-after"]
    (err,) = bad
    assert err.number == 5 and err.line == 6 and "not valid UTF-8 (byte 0xe9)" in err.reason


@pytest.mark.parametrize("row, reason", [
    (b"acct-short,Short,mid_market\n", "has 3 columns, the header has 16"),
    (b"acct-long,Long,mid_market,Software,5,,,,,,,,,,,,extra,more\n", "has 18 columns, the header has 16"),
    (b"acct-big," + b"x" * 5_000_000 + b",mid_market,Software,5,,,,,,,,,,,\n", "longer than 1,000,000"),
    (b"con,Console,mid_market,Software,5,,,,,,,,,,,\n", "Windows"),
    (b"NUL.x,Null,mid_market,Software,5,,,,,,,,,,,\n", "Windows"),
    (b"COM1,Port,mid_market,Software,5,,,,,,,,,,,\n", "Windows"),
])
def test_bad_shape_rows_are_row_errors(tmp_path, spec, row, reason):
    good, bad = load_accounts(_accounts(tmp_path, [row]), spec)
    assert len(good) == 4 and len(bad) == 1 and reason in bad[0].reason and bad[0].number == 5


def test_control_characters_in_account_names_are_cleaned(tmp_path, spec):
    good, bad = load_accounts(_accounts(tmp_path, [b"acct-ctl,Bell\x07 \xe2\x80\xaeCo,mid_market,Software,5,,,,,,,,,,,\n"]),
                              spec)
    assert not bad and good[-1][1].name == "Bell Co"


def test_batch_with_bad_rows_of_every_kind_builds_all_good_ones(tmp_path):
    rows = [b"acct-latin,Caf\xe9,mid_market,Software,5,,,,,,,,,,,\n", b"acct-short,Short\n",
            b"con,Console,mid_market,Software,5,,,,,,,,,,,\n", b"acct-00001,Duplicate,mid_market,Software,5,,,,,,,,,,,\n",
            b"acct-neg,Neg,mid_market,Software,5,,-5,,,,,,,,,\n", b"acct-seg,Seg,galactic,Software,5,,,,,,,,,,,\n"]
    path = _accounts(tmp_path, rows, keep=3)
    spec = sample_copy(tmp_path)
    run = run_cli("batch", spec, path, "--format", "pdf", "-j", "1", "-q", "--out", tmp_path / "out", cwd=tmp_path)
    assert_clean_failure(run, 1, "row 4 (line 5)")
    assert "3 built" in run.out and "6 failed" in run.out
    built = sorted(p.name for p in (tmp_path / "out" / "ledgerly-close-2026" / "renewal" / "accounts").iterdir())
    assert built == ["acct-00001", "acct-00002", "acct-00003"]


def _export(tmp_path: Path, extra: list[bytes], name: str = "ledgerly_g2like.csv", keep: int = 5) -> Path:
    src = (REVIEWS / name).read_bytes()
    lines = src.splitlines(keepends=True)[: keep + 1]
    path = tmp_path / name
    path.write_bytes(b"".join(lines) + b"".join(extra))
    return path


def _g2_row(rid: str, stars: str = "5", text: bytes = b"Closes the month in days.") -> bytes:
    return (f"{rid},https://www.g2.com/products/ledgerly/reviews/{rid},3/13/2026,{stars},Quinn F.,Controller,"
            f"Mid-Market(51-1000 emp.),Software,Yes,Yes,No,Fine,").encode() + text + b",Nothing,Solves\n"


@pytest.mark.parametrize("row, reason", [
    (_g2_row("r-nan", "NaN"), "star rating 'NaN' is not a number"),
    (_g2_row("r-inf", "Infinity"), "is not a number"),
    (_g2_row("r-snan", "sNaN"), "is not a number"),
    (_g2_row("r-latin", text=b"Caf\xe9 reconciliation"), "not valid UTF-8"),
    (_g2_row("r-huge", text=b'"' + b"y" * 5_000_000 + b'"'), "longer than"),
    (b"r-short,https://x\n", "columns"),
])
def test_review_csv_bad_rows_are_row_errors(tmp_path, row, reason):
    export = _export(tmp_path, [row, _g2_row("r-after")])
    rep = import_export(export, REVIEWS / "g2like_csv.map.yaml", tmp_path / "store.jsonl")
    assert rep.added == 6, rep.bad
    (err,) = rep.bad
    assert reason in err.reason and err.number == 6


def test_review_jsonl_deep_line_and_bad_bytes_are_row_errors(tmp_path):
    lines = (REVIEWS / "ledgerly_peerpanel.jsonl").read_bytes().splitlines(keepends=True)[:4]
    deep = b'{"reviewId": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n"
    path = tmp_path / "ledgerly_peerpanel.jsonl"
    path.write_bytes(lines[0] + deep + b'{"reviewId": "caf\xe9"}\n' + b'{"rating": NaN}\n' + b"".join(lines[1:]))
    rep = import_export(path, REVIEWS / "peerpanel_jsonl.map.yaml", tmp_path / "store.jsonl")
    assert rep.added == 4
    reasons = {e.number: e.reason for e in rep.bad}
    assert "nested more than" in reasons[2] and "not valid UTF-8" in reasons[3] and "NaN" in reasons[4]


def test_mapping_that_rejects_every_row_is_invalid_input(tmp_path):
    mapping = tmp_path / "bad.map.yaml"
    mapping.write_text((REVIEWS / "g2like_csv.map.yaml").read_text("utf-8").replace("%m/%d/%Y", "%d.%m.%Y"), "utf-8")
    store = tmp_path / "store.jsonl"
    run = run_cli("reviews", "import", REVIEWS / "ledgerly_g2like.csv", "--map", mapping, "--store", store,
                  cwd=tmp_path)
    assert_clean_failure(run, 1, f"{mapping}:")
    assert "error: fields: the mapping rejected every row" in run.err
    assert "rejected every row" in run.err and "row 1" in run.err and not store.exists()


def test_fifo_input_is_refused_not_waited_for(tmp_path):
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    run = run_cli("check", fifo, cwd=tmp_path, timeout=60)
    assert_clean_failure(run, 1, f"{fifo}:1:1: error")
    assert "not a regular file" in run.err
    accounts = tmp_path / "accounts.csv"
    os.mkfifo(accounts)
    run = run_cli("batch", SAMPLE, accounts, "-q", "--out", tmp_path / "out", cwd=tmp_path, timeout=60)
    assert_clean_failure(run, 1, "not a regular file")


@pytest.mark.parametrize("name, reserved", [("con", True), ("CON", True), ("nul.pdf", True), ("com1", True),
                                            ("lpt9.x", True), ("aux", True), ("console", False), ("com10", False),
                                            ("acme-con", False), ("null", False)])
def test_windows_device_names(name, reserved):
    assert reserved_name(name) is reserved


def test_study_id_con_is_refused(tmp_path):
    spec = sample_copy(tmp_path, lambda t: t.replace("id: ledgerly-close-2026", "id: con", 1))
    run = run_cli("check", spec, cwd=tmp_path)
    assert_clean_failure(run, 1, "study.id: study id cannot be a folder name on Windows")
    with pytest.raises(InputError):
        load_study(spec)
