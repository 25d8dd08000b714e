"""Running the CLI on hostile inputs the way a user would: a subprocess with a memory limit
and a timeout, with checks that hold for every case (no traceback, the documented exit
status, nothing written outside --out, nothing half-written)."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_inputs" / "ledgerly_en.yaml"
MEMORY_LIMIT = 3 << 30   # address space: a healthy build peaks far below; the bombs used 1-3 GB
TIMEOUT = 240


@dataclass
class Run:
    code: int
    out: str
    err: str


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(*args: str | Path, cwd: Path, timeout: float = TIMEOUT, stdin: str | None = None) -> Run:
    """``roi-in-a-box ARGS`` in ``cwd`` under the memory limit; a timeout fails the test."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    proc = subprocess.run([sys.executable, "-m", "roi_in_a_box", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, preexec_fn=_limit, env=env, input=stdin)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def snapshot(root: Path) -> dict[str, int]:
    """Every file under ``root`` with its size (what a run may not change outside --out)."""
    return {p.relative_to(root).as_posix(): p.lstat().st_size for p in root.rglob("*")
            if p.is_file() or p.is_symlink()}


def assert_clean_failure(run: Run, code: int, located: str) -> None:
    """No traceback, the documented exit status, and a message naming where."""
    assert "Traceback" not in run.err + run.out, run.err[-3000:]
    assert "internal error" not in run.err, run.err[-2000:]
    assert run.code == code, (run.code, run.err[-2000:])
    if located:
        assert located in run.err, (located, run.err[-2000:])


def assert_no_partial_files(out: Path) -> None:
    """No temporaries left, and every manifest lists files whose bytes match it."""
    leftovers = [p for p in out.rglob(".tmp-*")] if out.is_dir() else []
    assert not leftovers, leftovers
    for manifest in out.rglob("manifest.json") if out.is_dir() else []:
        import hashlib

        data = json.loads(manifest.read_text("utf-8"))
        for rec in data["outputs"]:
            p = manifest.parent / rec["path"]
            assert hashlib.sha256(p.read_bytes()).hexdigest() == rec["sha256"], p


def layout_with(tmp_path: Path, text: str, *, name: str = "hostile") -> Path:
    """A one-page layout file whose second block's text is ``text``."""
    path = tmp_path / f"{name}.yaml"
    path.write_text("name: hostile\nformats: [pdf]\npages:\n  - blocks:\n"
                    "      - {component: heading, level: 0, text: \"{{ study.title }}\"}\n"
                    f"      - component: paragraph\n        text: {json.dumps(text)}\n", "utf-8")
    return path


def sample_copy(tmp_path: Path, edit=None, name: str = "spec.yaml") -> Path:  # type: ignore[no-untyped-def]
    """The English sample (with its logos folder) in ``tmp_path``, its text passed through ``edit``."""
    import shutil

    if not (tmp_path / "logos").exists():
        shutil.copytree(SAMPLE.parent / "logos", tmp_path / "logos")
    text = SAMPLE.read_text("utf-8")
    spec = tmp_path / name
    spec.write_text(edit(text) if edit else text, "utf-8")
    return spec
