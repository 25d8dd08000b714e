"""The --out folder: one build per study at a time (a second waits, saying for whom),
files created with the modes the umask asks for, and --layout takes names only."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time

import pytest

from roi_in_a_box.deliver.atomic import atomic_write_bytes
from roi_in_a_box.deliver.lock import study_lock
from tests.hostile_helpers import ROOT, SAMPLE, assert_clean_failure, assert_no_partial_files, run_cli

PDF_ONLY = ("--stage", "pre_sale", "--format", "pdf")


def test_second_build_waits_for_the_first(tmp_path):
    base = tmp_path / "out" / "ledgerly-close-2026"
    with study_lock(base):
        proc = subprocess.Popen([sys.executable, "-m", "roi_in_a_box", "build", str(SAMPLE), *PDF_ONLY,
                                 "--out", str(tmp_path / "out")], stderr=subprocess.PIPE, stdout=subprocess.PIPE,
                                text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        time.sleep(4)
        assert proc.poll() is None  # still waiting
        assert not list(base.rglob("*.pdf"))
    _, err = proc.communicate(timeout=240)
    assert proc.returncode == 0, err
    assert f"{base}: waiting for another build writing there to finish" in err
    assert list(base.rglob("*.pdf"))


def test_concurrent_builds_with_different_kits_leave_a_consistent_folder(tmp_path):
    out = tmp_path / "out"
    for _ in range(2):
        procs = [subprocess.Popen([sys.executable, "-m", "roi_in_a_box", "build", str(SAMPLE), "--stage", "pre_sale",
                                   "--format", "pdf", "--format", "pptx", "--brand", kit, "--force", "--out", str(out)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                  env={**os.environ, "PYTHONPATH": str(ROOT)}) for kit in ("northbeam", "harbor")]
        for p in procs:
            assert p.wait(timeout=300) == 0, p.stderr.read() if p.stderr else ""
        assert_no_partial_files(out)
        manifest = json.loads((out / "ledgerly-close-2026" / "manifest.json").read_text("utf-8"))
        assert manifest["inputs"]["brand_kit"]["name"] in ("Northbeam Analyst Partners", "Harbor & Finch Research")


def test_lock_is_released_when_the_holder_dies(tmp_path):
    base = tmp_path / "s"
    base.mkdir()
    script = (f"import fcntl, os, time\nfd = os.open({str(base)!r}, os.O_RDONLY | os.O_DIRECTORY)\n"
              "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert holder.stdout and holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait()
    with study_lock(base):
        fd = os.open(base, os.O_RDONLY | os.O_DIRECTORY)
        with pytest.raises(BlockingIOError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.close(fd)


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_files_follow_the_umask(tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        atomic_write_bytes(tmp_path / "f.bin", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "f.bin").stat().st_mode & 0o777 == mode


def test_built_documents_follow_the_umask(tmp_path):
    run = run_cli("build", SAMPLE, *PDF_ONLY, "--out", tmp_path / "out", cwd=tmp_path)
    assert_clean_failure(run, 0, "")
    files = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert files and all(p.stat().st_mode & 0o777 == 0o666 & ~_current_umask() for p in files)


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("layout", ["/etc/passwd", "../layouts/one_pager.yaml", "layouts/one_pager.yaml",
                                    "one_pager.yaml", "One_Pager"])
def test_layout_takes_names_only(tmp_path, layout):
    run = run_cli("build", SAMPLE, "--layout", layout, "--out", tmp_path / "out", cwd=ROOT)
    assert_clean_failure(run, 2, "is not a layout name")
    assert not (tmp_path / "out").exists()
