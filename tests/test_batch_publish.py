"""Batch output to an fsspec URL (``--out memory://…``, ``file://…``, ``s3://…``): the same
packet bytes as a local folder, every packet whole and once, the ledger kept locally and
copied to the URL, and a resume that checks the packets at the URL."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import fsspec
import pytest
from typer.testing import CliRunner

from roi_in_a_box.cli import app
from roi_in_a_box.deliver.batch import run_batch
from roi_in_a_box.deliver.make_accounts import write_accounts
from roi_in_a_box.deliver.publish import Publisher

ROOT = Path(__file__).resolve().parents[1]
EN = ROOT / "sample_inputs" / "ledgerly_en.yaml"
STUDY = "ledgerly-close-2026"
LEDGER = "renewal/batch.jsonl"


@pytest.fixture(scope="module")
def local(analysis, kit, tmp_path_factory):  # type: ignore[no-untyped-def]
    """The same accounts built into a plain folder: the bytes every URL must hold."""
    tmp = tmp_path_factory.mktemp("local")
    accounts = tmp / "accounts.csv"
    write_accounts(analysis.spec, accounts, 12)
    report = run_batch(analysis, kit, accounts, tmp / "out", formats=("pdf",), jobs=1)
    assert report.built == 12
    base = tmp / "out" / STUDY
    packets = {p.relative_to(base).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
               for p in sorted(base.rglob("*.pdf"))}
    return accounts, packets


def _at(fs, root: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {p[len(root) + 1:]: hashlib.sha256(fs.cat_file(p)).hexdigest()
            for p in sorted(fs.find(root)) if p.endswith(".pdf")}


def test_memory_url_holds_the_local_bytes_and_resumes_from_what_is_there(analysis, kit, local,
                                                                           tmp_path: Path) -> None:
    accounts, packets = local
    url = f"memory://roi-test-{uuid.uuid4().hex[:8]}/run"
    fs, root = fsspec.core.url_to_fs(url)
    try:
        report = run_batch(analysis, kit, accounts, tmp_path / "work", formats=("pdf",), jobs=2, publish=url)
        assert report.built == 12 and not report.failed
        study = f"{root}/{STUDY}"
        assert _at(fs, study) == packets and len(packets) == 12
        assert not list((tmp_path / "work").rglob("*.pdf"))  # built locally, moved to the URL
        local_ledger = (tmp_path / "work" / STUDY / LEDGER).read_bytes()
        assert fs.cat_file(f"{study}/{LEDGER}") == local_ledger and local_ledger.count(b"\n") == 12

        again = run_batch(analysis, kit, accounts, tmp_path / "work", formats=("pdf",), jobs=1, publish=url)
        assert (again.built, again.reused) == (0, 12)

        gone = sorted(packets)[3]
        fs.rm(f"{study}/{gone}")  # a packet missing at the URL is built again, and only it
        third = run_batch(analysis, kit, accounts, tmp_path / "work", formats=("pdf",), jobs=1, publish=url)
        assert (third.built, third.reused) == (1, 11)
        assert _at(fs, study) == packets
    finally:
        if fs.exists(root):
            fs.rm(root, recursive=True)


def test_file_url_from_the_process_pool_renames_whole_packets_in_place(analysis, kit, local, tmp_path: Path) -> None:
    accounts, packets = local
    store = tmp_path / "store"
    stale = store / STUDY / "renewal" / "accounts" / "acct-00001" / ".tmp-renewal.pdf.dead"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"half a packet from a killed worker")
    report = run_batch(analysis, kit, accounts, tmp_path / "work", formats=("pdf",), jobs=2,
                       publish=store.as_uri())
    assert report.built == 12 and not report.failed
    base = store / STUDY
    got = {p.relative_to(base).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(base.rglob("*.pdf"))}
    assert got == packets
    assert not list(store.rglob(".tmp-*")), "temporaries left at the URL"
    assert (base / LEDGER).read_bytes() == (tmp_path / "work" / STUDY / LEDGER).read_bytes()
    assert Publisher(store.as_uri()).renames and not Publisher("memory://x").renames


def test_the_cli_takes_a_url_for_out_and_keeps_the_ledger_in_work(local, tmp_path: Path) -> None:
    accounts, packets = local
    store = tmp_path / "store"
    result = CliRunner().invoke(app, ["batch", str(EN), str(accounts), "--format", "pdf", "-j", "1", "-q",
                                      "--out", store.as_uri(), "--work", str(tmp_path / "work")])
    assert result.exit_code == 0, result.output
    assert store.as_uri() in result.output
    assert sorted(p.relative_to(store / STUDY).as_posix() for p in (store / STUDY).rglob("*.pdf")) == sorted(packets)
    assert (tmp_path / "work" / STUDY / LEDGER).is_file()
