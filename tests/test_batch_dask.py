"""Batches on a Dask LocalCluster (two worker processes): the same bytes and ledger as
the process pool, a killed worker loses or duplicates nothing, an interrupted run resumes."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
from pathlib import Path

import pytest

from roi_in_a_box.deliver.batch import run_batch
from roi_in_a_box.deliver.make_accounts import write_accounts

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
EN = ROOT / "sample_inputs" / "ledgerly_en.yaml"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c


def _packets(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.suffix in (".pdf", ".docx")}


def test_dask_gives_the_pool_bytes_and_ledger(analysis, kit, cluster, tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.csv"
    write_accounts(analysis.spec, accounts, 20)
    pool = run_batch(analysis, kit, accounts, tmp_path / "pool", stage="renewal", jobs=2)
    dask = run_batch(analysis, kit, accounts, tmp_path / "dask", stage="renewal", executor="dask",
                     scheduler=cluster.scheduler_address)
    assert (pool.built, dask.built) == (20, 20) and not pool.failed and not dask.failed
    a, b = _packets(tmp_path / "pool"), _packets(tmp_path / "dask")
    assert len(a) == 40 and a == b
    ledger = Path("ledgerly-close-2026/renewal/batch.jsonl")
    assert (tmp_path / "pool" / ledger).read_bytes() == (tmp_path / "dask" / ledger).read_bytes()


def test_killed_worker_still_gives_every_packet_once(analysis, kit, cluster, tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.csv"
    write_accounts(analysis.spec, accounts, 48)
    client = distributed.Client(cluster.scheduler_address)
    pids = list(client.run(os.getpid).values())
    client.close()
    killed: list[int] = []

    def kill_one(p) -> None:  # type: ignore[no-untyped-def]
        if p.done >= 8 and not killed:
            os.kill(pids[0], signal.SIGKILL)
            killed.append(pids[0])

    report = run_batch(analysis, kit, accounts, tmp_path / "out", stage="renewal", formats=("pdf",), executor="dask",
                       scheduler=cluster.scheduler_address, on_progress=kill_one)
    assert killed and report.built == 48 and not report.failed
    stage = tmp_path / "out" / "ledgerly-close-2026" / "renewal"
    ids = [line.split('"account": "')[1].split('"')[0] for line in (stage / "batch.jsonl").read_text().splitlines()]
    assert sorted(ids) == sorted(set(ids)) and len(ids) == 48
    pdfs = sorted(stage.rglob("*.pdf"))
    assert len(pdfs) == 48 and not [p for p in stage.rglob(".tmp-*")]
    for pdf in pdfs:
        assert subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True).returncode == 0, pdf


def test_interrupted_dask_run_resumes(analysis, kit, cluster, tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.csv"
    write_accounts(analysis.spec, accounts, 40)

    def stop(p) -> None:  # type: ignore[no-untyped-def]
        if p.done >= 16:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(analysis, kit, accounts, tmp_path / "out", stage="renewal", formats=("pdf",), executor="dask",
                  scheduler=cluster.scheduler_address, on_progress=stop)
    resumed = run_batch(analysis, kit, accounts, tmp_path / "out", stage="renewal", formats=("pdf",), executor="dask",
                        scheduler=cluster.scheduler_address)
    assert resumed.reused >= 16 and resumed.reused + resumed.built == 40 and not resumed.failed
    whole = run_batch(analysis, kit, accounts, tmp_path / "pool", stage="renewal", formats=("pdf",), jobs=2)
    assert whole.built == 40
    assert _packets(tmp_path / "out") == _packets(tmp_path / "pool")


def test_parquet_accounts_give_the_csv_packets(analysis, kit, tmp_path: Path) -> None:
    pc = pytest.importorskip("pyarrow.csv")
    pq = pytest.importorskip("pyarrow.parquet")
    accounts = tmp_path / "accounts.csv"
    write_accounts(analysis.spec, accounts, 6)
    columns = accounts.read_text("utf-8").splitlines()[0].split(",")
    table = pc.read_csv(accounts, convert_options=pc.ConvertOptions(column_types=dict.fromkeys(columns, "string")))
    pq.write_table(table, tmp_path / "accounts.parquet")
    a = run_batch(analysis, kit, accounts, tmp_path / "csv", stage="renewal", formats=("pdf",), jobs=1)
    b = run_batch(analysis, kit, tmp_path / "accounts.parquet", tmp_path / "pq", stage="renewal", formats=("pdf",), jobs=1)
    assert a.built == b.built == 6
    assert _packets(tmp_path / "csv") == _packets(tmp_path / "pq")


def test_a_lost_scheduler_stops_the_run_with_exit_4_and_a_resumable_ledger(analysis, tmp_path: Path) -> None:
    """The scheduler process is killed mid-run: the command says so in one message (no
    traceback), exits 4, and its ledger holds only finished accounts, which the same
    command (here with the process pool) does not build again."""
    import json
    import socket
    import sys
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    scheduler = subprocess.Popen([*dask, "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--nworkers", "2",
                               "--nthreads", "1", "--no-dashboard"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        accounts = tmp_path / "accounts.csv"
        write_accounts(analysis.spec, accounts, 120)
        out = tmp_path / "out"
        cmd = [sys.executable, "-m", "roi_in_a_box", "batch", str(EN), str(accounts), "--stage", "renewal",
               "--format", "pdf", "--out", str(out), "-q"]
        run = subprocess.Popen([*cmd, "--executor", "dask", "--scheduler", address], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
        ledger = out / analysis.spec.study.id / "renewal" / "batch.jsonl"
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and run.poll() is None:
            if ledger.is_file() and ledger.read_text("utf-8").count("\n") >= 16:
                break
            time.sleep(0.2)
        assert run.poll() is None, run.communicate()
        scheduler.kill()
        _, err = run.communicate(timeout=240)
        assert run.returncode == 4, err
        assert "lost the Dask scheduler" in err and "resume" in err and "Traceback" not in err
        lines = ledger.read_text("utf-8").splitlines()
        done = [json.loads(line) for line in lines]
        assert 16 <= len(done) < 120 and len({d["account"] for d in done}) == len(done)
        base = out / analysis.spec.study.id
        assert all((base / o["path"]).is_file() for d in done for o in d["outputs"])
        resumed = subprocess.run([*cmd, "-j", "2"], capture_output=True, text=True, timeout=600)
        assert resumed.returncode == 0, resumed.stderr
        summary = json.loads((base / "renewal" / "batch-summary.json").read_text("utf-8"))
        assert summary["reused"] == len(done) and summary["built"] == 120 - len(done) and not summary["failed"]
    finally:
        for p in (worker, scheduler):
            p.terminate()
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
