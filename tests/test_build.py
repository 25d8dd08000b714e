"""The main job: builds, manifests, skip-if-unchanged, atomic writes, batches."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from roi_in_a_box.deliver.batch import run_batch
from roi_in_a_box.deliver.make_accounts import write_accounts
from roi_in_a_box.deliver.pipeline import build
from roi_in_a_box.model.study import load_study

ROOT = Path(__file__).resolve().parents[1]
EN = ROOT / "sample_inputs" / "ledgerly_en.yaml"
CLI = [sys.executable, "-m", "roi_in_a_box"]


def _files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_pdf_build_manifest_matches_disk_and_second_build_writes_nothing(analysis, kit, tmp_path: Path) -> None:
    report = build(analysis, kit, tmp_path, stages=("pre_sale", "renewal"), formats=("pdf",))
    assert not report.skipped
    manifest = json.loads(report.manifest.read_text("utf-8"))
    assert [o["layout"] for o in manifest["outputs"]] == ["one_pager", "renewal_packet"]
    for out in manifest["outputs"]:
        path = report.out_dir / out["path"]
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == out["sha256"] and len(data) == out["size"]
        assert len(PdfReader(path).pages) == out["pages"]
    one_pager = report.out_dir / "pre_sale" / "one_pager.pdf"
    assert len(PdfReader(one_pager).pages) == 1
    assert manifest["roi"]["roi_pct"]["definition"].startswith("ROI = NPV / PV(costs)")
    assert manifest["inputs"]["spec"]["sha256"] == hashlib.sha256(EN.read_bytes()).hexdigest()
    assert set(manifest["inputs"]["fonts"]) >= {"Lato-Regular.ttf", "HindSiliguri-Regular.ttf", "Sarabun-Regular.ttf"}

    before = {p: p.stat().st_mtime_ns for p in report.out_dir.rglob("*") if p.is_file()}
    again = build(analysis, kit, tmp_path, stages=("pre_sale", "renewal"), formats=("pdf",))
    assert again.skipped
    assert before == {p: p.stat().st_mtime_ns for p in report.out_dir.rglob("*") if p.is_file()}


def test_same_inputs_give_same_bytes(analysis, kit, tmp_path: Path) -> None:
    a = build(analysis, kit, tmp_path / "a", stages=("pre_sale",), formats=("pdf",))
    b = build(analysis, kit, tmp_path / "b", stages=("pre_sale",), formats=("pdf",), force=True)
    assert _files(a.out_dir / "pre_sale") == _files(b.out_dir / "pre_sale")


def test_changed_spec_rebuilds(analysis, kit, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(EN.read_text("utf-8"), "utf-8")
    shutil.copytree(ROOT / "sample_inputs" / "logos", tmp_path / "logos")
    build(load_study(spec), kit, tmp_path / "out", stages=("pre_sale",), formats=("pdf",))
    spec.write_text(EN.read_text("utf-8").replace("Book a free", "Book a complimentary", 1), "utf-8")
    assert not build(load_study(spec), kit, tmp_path / "out", stages=("pre_sale",), formats=("pdf",)).skipped


def test_cli_build_exit_codes(tmp_path: Path) -> None:
    ok = subprocess.run([*CLI, "build", str(EN), "--stage", "pre_sale", "--format", "pdf", "--out", str(tmp_path)],
                        capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stderr
    assert "one_pager.pdf" in ok.stdout
    bad = subprocess.run([*CLI, "build", str(ROOT / "sample_inputs/invalid/unknown_key.yaml"), "--out", str(tmp_path)],
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 1 and "did you mean" in bad.stderr
    usage = subprocess.run([*CLI, "build", str(EN), "--stage", "upsell"], capture_output=True, text=True, cwd=ROOT)
    assert usage.returncode == 2
    kit = subprocess.run([*CLI, "build", str(EN), "--brand", "nosuchkit", "--out", str(tmp_path)],
                         capture_output=True, text=True, cwd=ROOT)
    assert kit.returncode == 2 and "harbor, meridian, northbeam" in kit.stderr
    layout = subprocess.run([*CLI, "build", str(EN), "--layout", "nolayout", "--out", str(tmp_path)],
                            capture_output=True, text=True, cwd=ROOT)
    assert layout.returncode == 2 and "one_pager" in layout.stderr and "stages" not in layout.stderr


def test_one_layout_in_another_format_lands_in_the_stages_that_use_it(tmp_path: Path) -> None:
    run = subprocess.run([*CLI, "build", str(EN), "--layout", "case_study", "--format", "pdf", "--out", str(tmp_path)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    built = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.pdf"))
    assert built == ["ledgerly-close-2026/pre_sale/case_study.pdf"]


def test_killed_build_leaves_no_partial_files_and_next_run_completes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = subprocess.Popen([*CLI, "build", str(EN), "--out", str(out), "--force"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline and not list(out.rglob("*.pdf")):
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    leftovers = [p for p in out.rglob("*") if p.is_file() and p.name.startswith(".tmp-")]
    assert leftovers == []
    for pdf in out.rglob("*.pdf"):
        assert len(PdfReader(pdf).pages) >= 1  # any file present is complete
    done = subprocess.run([*CLI, "build", str(EN), "--out", str(out), "--format", "pdf"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "ledgerly-close-2026" / "manifest.json").read_text("utf-8"))
    assert all((out / "ledgerly-close-2026" / o["path"]).is_file() for o in manifest["outputs"])


def _accounts_with_bad_rows(analysis, path: Path) -> None:  # type: ignore[no-untyped-def]
    write_accounts(analysis.spec, path, 10)
    rows = list(csv.reader(path.open(encoding="utf-8")))
    header = rows[0]
    rows[3][header.index("segment")] = "galactic"           # data row 3
    rows[6][header.index("benefit.ben-close-labour")] = "lots"  # data row 6
    rows[8][header.index("id")] = rows[1][header.index("id")]   # data row 8: duplicate id
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


def test_batch_builds_good_rows_reports_bad_rows_and_resumes(analysis, kit, tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.csv"
    _accounts_with_bad_rows(analysis, accounts)
    report = run_batch(analysis, kit, accounts, tmp_path / "out", stage="renewal", formats=("pdf",), jobs=2)
    assert report.built == 7 and report.total == 10
    assert sorted(e.number for e in report.failed) == [3, 6, 8]
    reasons = {e.number: e.reason for e in report.failed}
    assert "segment" in reasons[3] and "galactic" in reasons[3]
    assert "ben-close-labour" in reasons[6]
    assert "already used in row 1" in reasons[8]
    pdfs = sorted((tmp_path / "out").rglob("renewal_packet.pdf"))
    assert len(pdfs) == 7
    first = PdfReader(pdfs[0])
    text = "".join(p.extract_text() for p in first.pages)
    assert "Your results" in text or "Study benchmark" in text

    again = run_batch(analysis, kit, accounts, tmp_path / "out", stage="renewal", formats=("pdf",), jobs=2)
    assert again.built == 0 and again.reused == 7


def test_interrupted_batch_resumes(analysis, kit, tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.csv"
    write_accounts(analysis.spec, accounts, 6)
    out = tmp_path / "out"
    run_batch(analysis, kit, accounts, out, stage="renewal", formats=("pdf",), jobs=1)
    state = out / "ledgerly-close-2026" / "renewal" / "batch.jsonl"
    lines = state.read_text("utf-8").splitlines()
    state.write_text("\n".join(lines[:2]) + "\n" + lines[2][: len(lines[2]) // 2], "utf-8")  # killed mid-write
    resumed = run_batch(analysis, kit, accounts, out, stage="renewal", formats=("pdf",), jobs=1)
    assert (resumed.reused, resumed.built) == (2, 4)


def test_cli_batch_exit_status_says_some_failed(analysis, tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.csv"
    _accounts_with_bad_rows(analysis, accounts)
    res = subprocess.run([*CLI, "batch", str(EN), str(accounts), "--format", "pdf", "-j", "2", "-q", "--out",
                          str(tmp_path / "o")], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "COLUMNS": "120"})
    assert res.returncode == 1
    assert "row 3" in res.stderr and "row 6" in res.stderr and "row 8" in res.stderr
    assert "7 built" in res.stdout


def test_fitted_packet_counts_each_tree_once_and_draws_the_winner_once(analysis, kit, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A packet that needs fitting: every candidate tree is counted at most once, and the
    winner is drawn once, as the file (fitting's last measurement of it is that drawing)."""
    from roi_in_a_box.deliver.account_stream import stream_accounts
    from roi_in_a_box.deliver import pipeline
    from roi_in_a_box.deliver.pipeline import Job, render_one
    from roi_in_a_box.render.registry import renderer_for


    cls = type(renderer_for("pdf"))
    counted: list[object] = []
    drawn: list[object] = []
    count, draw = cls.count_pages, cls.render_bytes
    monkeypatch.setattr(cls, "count_pages", lambda self, d, b: counted.append(d) or count(self, d, b))
    monkeypatch.setattr(cls, "render_bytes", lambda self, d, b: drawn.append(d) or draw(self, d, b))
    write_accounts(analysis.spec, tmp_path / "a.csv", 6)
    fitted = 0
    for part in stream_accounts(tmp_path / "a.csv", analysis.spec, 8):
        for _, account in part.good:
            counted.clear()
            drawn.clear()
            monkeypatch.setattr(pipeline, "_NEEDED_FITTING", {})  # as in a fresh process
            out = tmp_path / f"{account.id}.pdf"
            rec = render_one(analysis, Job("renewal", "renewal_packet", "pdf", out), kit, account=account, check=False)
            fitted += any(f.startswith("dropped block") for f in rec.fitting)
            assert len({id(d) for d in counted}) == len(counted)
            assert len(drawn) == 1 and any(drawn[0] is c for c in counted)
            assert hashlib.sha256(out.read_bytes()).hexdigest() == rec.sha256
    assert fitted  # some generated accounts overflow the packet: the case under test


_FRESH_PACKET = """
import sys
from pathlib import Path
from roi_in_a_box.brand.kit import load_kit, resolve_kit
from roi_in_a_box.deliver.account_stream import stream_accounts
from roi_in_a_box.deliver.pipeline import Job, render_one, vendor_logo
from roi_in_a_box.model.study import load_study
analysis = load_study(Path(sys.argv[1]))
account = next(a for part in stream_accounts(Path(sys.argv[2]), analysis.spec, 8) for _, a in part.good)
render_one(analysis, Job("renewal", "renewal_packet", "pdf", Path(sys.argv[3])), load_kit(resolve_kit(None)),
           account=account, logo=vendor_logo(analysis), check=False)
"""


@pytest.mark.parametrize("spec", ["ledgerly_en", pytest.param("ghatbox_bn", marks=pytest.mark.slow),
                                  pytest.param("shiftsabai_th", marks=pytest.mark.slow)])
def test_a_packet_drawn_fiftieth_in_a_warm_process_is_the_one_a_fresh_process_draws(kit, tmp_path: Path,
                                                                                   spec: str) -> None:
    """Study-level drawing is reused across a worker's accounts (text operators, shaped
    words, paragraphs): the first account's packet, drawn again after 49 others, has the
    bytes a fresh process gives it."""
    from roi_in_a_box import caches
    from roi_in_a_box.deliver.account_stream import stream_accounts
    from roi_in_a_box.deliver.pipeline import Job, render_one, vendor_logo

    study = load_study(ROOT / "sample_inputs" / f"{spec}.yaml")
    write_accounts(study.spec, tmp_path / "a.csv", 50)
    fresh = tmp_path / "fresh.pdf"
    subprocess.run([sys.executable, "-c", _FRESH_PACKET, str(study.loaded.path), str(tmp_path / "a.csv"), str(fresh)],
                   check=True, cwd=ROOT)
    accounts = [a for part in stream_accounts(tmp_path / "a.csv", study.spec, 64) for _, a in part.good]
    logo = vendor_logo(study)
    caches.clear_all()
    for account in [*accounts[1:], accounts[0]]:
        out = tmp_path / f"{account.id}.pdf"
        render_one(study, Job("renewal", "renewal_packet", "pdf", out), kit, account=account, logo=logo, check=False)
    assert out.read_bytes() == fresh.read_bytes()


def test_pool_and_serial_batches_write_the_same_packets(analysis, kit, tmp_path: Path) -> None:
    """Two forked workers, each reusing its own study-level drawing over its share of the
    accounts, write the very packets one process writes alone."""
    accounts = tmp_path / "accounts.csv"
    write_accounts(analysis.spec, accounts, 12)
    for jobs in (1, 2):
        run_batch(analysis, kit, accounts, tmp_path / f"j{jobs}", stage="renewal", formats=("pdf",), jobs=jobs)
    serial, pool = _files(tmp_path / "j1"), _files(tmp_path / "j2")
    packets = {k: v for k, v in serial.items() if k.endswith(".pdf")}
    assert len(packets) == 12 and all(pool[k] == v for k, v in packets.items())


_ORDER_SCRIPT = """
import sys
from pathlib import Path
from roi_in_a_box.brand.kit import load_kit, resolve_kit
from roi_in_a_box.deliver.pipeline import build
from roi_in_a_box.model.study import load_study
for kit in sys.argv[3:]:
    report = build(load_study(Path(sys.argv[1])), load_kit(resolve_kit(kit)), Path(sys.argv[2]) / kit,
                   stages=("pre_sale",), formats=("docx",), force=True)
    print(kit, [o.fitting for o in report.outputs])
"""


def test_a_document_is_fitted_the_same_whatever_the_process_built_before(tmp_path: Path) -> None:
    """Northbeam's case study needs no fitting, Harbor's ends its last page 99% full: built
    after Northbeam's in one process, Harbor's was measured by the full render (with an
    error margin) instead of the page count, and lost a table it keeps when built alone."""
    spec = ROOT / "sample_inputs" / "ledgerly_en.yaml"

    def fitting(*kits: str) -> str:
        out = subprocess.run([sys.executable, "-c", _ORDER_SCRIPT, str(spec), str(tmp_path / "-".join(kits)), *kits], capture_output=True,
                             text=True, check=True, cwd=ROOT).stdout
        return next(line for line in out.splitlines() if line.startswith("harbor "))

    assert fitting("northbeam", "harbor") == fitting("harbor")
