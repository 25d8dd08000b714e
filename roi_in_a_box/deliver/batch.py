"""Batch builds: one personalised packet per account, on all cores, resumable.

The parent loads the study, kit, fonts and renderers once, then forks workers that
inherit them warm.  Results stream back in chunks; the parent alone appends each
finished account to ``batch.jsonl`` (flushed per line), so an interrupted batch
resumes where it stopped and a finished account is never rebuilt unless its inputs
change.  Workers collect garbage after every account (see :func:`_collect`): python-docx/python-pptx trees
live in reference cycles and would otherwise grow memory over long batches.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..brand.model import Brand
from ..model.study import Analysis
from ..spec.errors import InputError
from . import fingerprint
from .accounts import Row, RowError, load_accounts
from .atomic import atomic_write_bytes, stale_temporaries
from .lock import study_lock
from .pipeline import Job, input_fingerprint, plan, render_one, vendor_logo

CHUNK = 8
FULL_GC_EVERY = 64


@dataclass
class BatchReport:
    out_dir: Path
    built: int = 0
    reused: int = 0
    failed: list[RowError] = field(default_factory=list)
    total: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed


# Worker state, set in the parent before forking (inherited) or by the initializer.
_STATE: dict[str, Any] = {}


def _account_jobs(base_jobs: list[Job], base: Path, account_id: str) -> list[Job]:
    return [Job(j.stage, j.layout, j.fmt, base / j.stage / "accounts" / account_id / j.path.name) for j in base_jobs]


def _work(chunk: list[tuple[Row, Any, str]]) -> list[dict[str, Any]]:
    """Render a chunk of accounts in a worker; never raises for one bad account."""
    analysis: Analysis = _STATE["analysis"]
    brand: Brand = _STATE["brand"]
    out = []
    for row, account, key in chunk:
        try:
            records = []
            for job in _account_jobs(_STATE["jobs"], _STATE["base"], account.id):
                rec = render_one(analysis, job, brand, account=account, logo=_STATE["logo"])
                rec.path = job.path.relative_to(_STATE["base"]).as_posix()
                records.append(asdict(rec))
            out.append({"account": account.id, "name": account.name, "row": row.number, "key": key,
                        "outputs": records})
        except InputError as exc:
            out.append({"account": account.id, "row": row.number, "line": row.line,
                        "error": "; ".join(p.message for p in exc.problems)})
        except Exception as exc:  # one broken account must not sink the batch
            out.append({"account": account.id, "row": row.number, "line": row.line,
                        "error": f"{type(exc).__name__}: {exc}"})
        _collect()
    return out


def _collect() -> None:
    """Free the account's python-docx/python-pptx reference cycles.  A young-generation
    pass per account catches them while they are young and costs little; a full pass
    every ``FULL_GC_EVERY`` accounts catches the rest.  (A full pass per account walks
    every cached paragraph and glyph run and made each account slower than the last.)"""
    _STATE["since_full"] = _STATE.get("since_full", 0) + 1
    if _STATE["since_full"] >= FULL_GC_EVERY:
        _STATE["since_full"] = 0
        gc.collect()
    else:
        gc.collect(1)


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _done(state_path: Path, base: Path) -> dict[str, str]:
    """Accounts finished by an earlier run whose files are all still there: id → key."""
    done: dict[str, str] = {}
    if not state_path.is_file():
        return done
    for line in state_path.read_text("utf-8").splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue  # a line cut by a kill: that account is simply rebuilt
        if "outputs" in rec and all((base / o["path"]).is_file() and (base / o["path"]).stat().st_size == o["size"]
                                    for o in rec["outputs"]):
            done[rec["account"]] = rec["key"]
    return done


def run_batch(analysis: Analysis, brand: Brand, accounts_path: Path, out: Path, *, stage: str = "renewal",
              formats: tuple[str, ...] | None = None, jobs: int = 0, force: bool = False,
              on_progress: Callable[[int, int], None] | None = None,
              on_wait: Callable[[str], None] | None = None) -> BatchReport:
    """Build ``stage`` for every valid account; report bad rows; resume earlier runs.

    Holds the study folder's lock (see :mod:`.lock`) while it writes."""
    good, bad = load_accounts(accounts_path, analysis.spec)
    with study_lock(out / analysis.spec.study.id, on_wait):
        return _run(analysis, brand, good, bad, out, stage=stage, formats=formats, jobs=jobs, force=force,
                    on_progress=on_progress)


def _run(analysis: Analysis, brand: Brand, good: list[tuple[Row, Any]], bad: list[RowError], out: Path, *,
         stage: str, formats: tuple[str, ...] | None, jobs: int, force: bool,
         on_progress: Callable[[int, int], None] | None) -> BatchReport:
    base = out / analysis.spec.study.id
    stage_dir = base / stage
    for tmp in stale_temporaries(stage_dir):
        tmp.unlink(missing_ok=True)
    base_jobs = plan(analysis.spec.study.id, out, (stage,), formats, None)
    study_key = fingerprint.combined(input_fingerprint(analysis, brand, base_jobs))
    state_path = stage_dir / "batch.jsonl"
    done = {} if force else _done(state_path, base)
    report = BatchReport(stage_dir, failed=list(bad), total=len(good) + len(bad))

    todo = []
    for row, acc in good:
        key = hashlib.sha256((study_key + json.dumps(row.data, sort_keys=True, default=str)).encode()).hexdigest()
        if done.get(acc.id) == key:
            report.reused += 1
        else:
            todo.append((row, acc, key))
    if on_progress:
        on_progress(report.reused, len(good))

    _STATE.update(analysis=analysis, brand=brand, jobs=base_jobs, base=base, logo=vendor_logo(analysis))
    stage_dir.mkdir(parents=True, exist_ok=True)
    workers = max(1, jobs or os.cpu_count() or 1)
    with state_path.open("a" if not force else "w", encoding="utf-8") as state:
        def record(results: list[dict[str, Any]]) -> None:
            for res in results:
                if "error" in res:
                    report.failed.append(RowError(res["row"], res["line"], res["account"], res["error"]))
                else:
                    state.write(json.dumps(res, ensure_ascii=False) + "\n")
                    report.built += 1
            state.flush()
            if on_progress:
                on_progress(report.reused + report.built + len(report.failed) - len(bad), len(good))

        if todo:
            _warm(analysis, brand, base_jobs)
        gc.collect()
        gc.freeze()  # the warm, shared objects stay out of every per-account collection
        try:
            if workers == 1 or len(todo) <= CHUNK:
                for chunk in _chunks(todo, CHUNK):
                    record(_work(chunk))
            else:
                ctx = multiprocessing.get_context("fork")
                with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
                    pending: set[Future[list[dict[str, Any]]]] = set()
                    chunks = _chunks(todo, CHUNK)
                    for chunk in chunks:
                        pending.add(pool.submit(_work, chunk))
                        if len(pending) >= workers * 3:
                            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                            for fut in finished:
                                record(fut.result())
                    for fut in pending:
                        record(fut.result())
        finally:
            gc.unfreeze()

    summary = {"stage": stage, "accounts": report.total, "built": report.built, "reused": report.reused,
               "failed": [asdict(f) for f in sorted(report.failed, key=lambda f: f.number)]}
    atomic_write_bytes(stage_dir / "batch-summary.json", json.dumps(summary, ensure_ascii=False, indent=2).encode())
    return report


def _warm(analysis: Analysis, brand: Brand, base_jobs: list[Job]) -> None:
    """Load layouts, fonts and renderers in the parent so forked workers start warm."""
    from ..layout.engine import build_document
    from ..render.registry import format_info, renderer_for

    for job in base_jobs:
        doc, _ = build_document(analysis, job.layout, brand, stage=job.stage)
        renderer = renderer_for(job.fmt)
        if format_info(job.fmt).paged:
            renderer.count_pages(doc, brand)
